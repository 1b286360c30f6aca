"""Random tables and their rows, and the SQL that makes them on both servers.

Each column draws its values from a small pool of its type (so values repeat, and joins and groups
find partners), salted with the type's extreme values, and is NULL with its own probability. Some
tables are empty, some hold one row, one value may dominate a column (skew).
"""

from __future__ import annotations

import dataclasses
import random

# Column types a table may have: each is stored by Weir's Iceberg tables as itself, so both
# servers report the same column type. (smallint, varchar(n) and char(n) become int and text in
# Iceberg; expressions still make them through casts.)
TABLE_TYPES = ("int4", "int8", "numeric", "float8", "float4", "text", "bool", "date", "timestamp", "timestamptz")

DECLARED = {
    "int4": "integer",
    "int8": "bigint",
    "float8": "double precision",
    "float4": "real",
    "text": "text",
    "bool": "boolean",
    "date": "date",
    "timestamp": "timestamp",
    "timestamptz": "timestamptz",
}

EXTREMES = {
    "int4": ["-2147483648", "2147483647", "0", "-1"],
    "int8": ["-9223372036854775808", "9223372036854775807", "0", "-1"],
    "float8": ["'NaN'", "'Infinity'", "'-Infinity'", "'-0'", "1e308", "-1e-300", "0"],
    "float4": ["'NaN'", "'Infinity'", "'-Infinity'", "'-0'", "3.4e38", "1e-30", "0"],
    "text": ["''", "' '", "'a'", "'A'", "'a%_b'", "'\\'", "'ñandú'", "'😀'", "'" + "x" * 300 + "'", "'NULL'"],
    "bool": ["true", "false"],
    "date": ["'0001-01-01'", "'1970-01-01'", "'2000-02-29'", "'9999-12-31'", "'4714-11-24 BC'", "'1999-12-31'"],
    "timestamp": ["'0001-01-01 00:00:00'", "'1970-01-01 00:00:00'", "'2000-02-29 23:59:59.999999'", "'9999-12-31 23:59:59'"],
    "timestamptz": ["'1970-01-01 00:00:00+00'", "'2000-02-29 12:30:00+05:30'", "'9999-12-31 23:59:59+00'"],
}


@dataclasses.dataclass
class Column:
    name: str
    type: str
    # For numeric: (precision, scale).
    numeric: tuple[int, int] | None = None

    @property
    def declared(self) -> str:
        if self.type == "numeric":
            return f"numeric({self.numeric[0]}, {self.numeric[1]})"
        return DECLARED[self.type]


@dataclasses.dataclass
class Table:
    name: str
    columns: list[Column]
    rows: list[list[str]]

    def create_sql(self, schema: str) -> str:
        columns = ", ".join(f"{column.name} {column.declared}" for column in self.columns)
        return f"CREATE TABLE {schema}.{self.name} ({columns})"

    def insert_sql(self, schema: str, rows: list[list[str]] | None = None) -> str | None:
        rows = self.rows if rows is None else rows
        if not rows:
            return None
        values = ", ".join("(" + ", ".join(row) + ")" for row in rows)
        return f"INSERT INTO {schema}.{self.name} VALUES {values}"


def numeric_literal(rng: random.Random, precision: int, scale: int, extreme: bool) -> str:
    integer_digits = precision - scale
    if extreme:
        whole = "9" * integer_digits if integer_digits else "0"
        fraction = "9" * scale
    else:
        whole = str(rng.randint(0, 10 ** min(integer_digits, 4) - 1)) if integer_digits else "0"
        fraction = "".join(rng.choice("0123456789") for _ in range(scale))
    sign = "-" if rng.random() < 0.4 else ""
    return f"{sign}{whole}.{fraction}" if scale else f"{sign}{whole}"


def value_pool(rng: random.Random, column: Column) -> list[str]:
    """A few values a column draws from: ordinary ones and (sometimes) its type's extremes."""
    size = rng.choice([1, 2, 3, 5, 8, 20])
    kind = column.type
    pool: list[str] = []
    for _ in range(size):
        if kind in ("int4", "int8"):
            pool.append(str(rng.randint(-20, 20)))
        elif kind == "numeric":
            pool.append(numeric_literal(rng, *column.numeric, extreme=False))
        elif kind in ("float8", "float4"):
            pool.append(rng.choice(["0.5", "-2.25", "3", "1e10", "-7.125", "0.1", str(rng.randint(-9, 9))]))
        elif kind == "text":
            pool.append("'" + "".join(rng.choice("abcAB _%-0") for _ in range(rng.randint(0, 4))) + "'")
        elif kind == "bool":
            pool.append(rng.choice(["true", "false"]))
        elif kind == "date":
            pool.append(f"'{rng.randint(1990, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}'")
        elif kind in ("timestamp", "timestamptz"):
            zone = "+00" if kind == "timestamptz" else ""
            pool.append(
                f"'{rng.randint(1990, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                f"{rng.randint(0, 23):02d}:{rng.choice([0, 30, 59]):02d}:{rng.choice(['00', '15.5', '59.999999'])}{zone}'")
    if rng.random() < 0.4:
        if kind == "numeric":
            pool.append(numeric_literal(rng, *column.numeric, extreme=True))
        else:
            pool += rng.sample(EXTREMES[kind], k=min(2, len(EXTREMES[kind])))
    return pool


def random_table(rng: random.Random, name: str) -> Table:
    columns = []
    for index in range(rng.randint(1, 5)):
        kind = rng.choice(TABLE_TYPES)
        numeric = None
        if kind == "numeric":
            precision = rng.choice([5, 10, 18, 38])
            numeric = (precision, rng.choice([0, 2, min(4, precision)]))
        columns.append(Column(f"c{index}", kind, numeric))
    row_count = rng.choice([0, 1, 2, 5, 10, 20, 40, 80])
    pools = [value_pool(rng, column) for column in columns]
    null_rates = [rng.choice([0.0, 0.1, 0.3, 0.9]) for _ in columns]
    skewed = [rng.random() < 0.2 for _ in columns]
    rows = []
    for _ in range(row_count):
        row = []
        for column, pool, null_rate, skew in zip(columns, pools, null_rates, skewed):
            if rng.random() < null_rate:
                row.append("NULL")
            elif skew and rng.random() < 0.8:
                row.append(pool[0])
            else:
                row.append(rng.choice(pool))
        rows.append([value if value == "NULL" else f"({value})::{column.declared}" for value, column in zip(row, columns)])
    return Table(name, columns, rows)


def random_tables(rng: random.Random, count: int) -> list[Table]:
    return [random_table(rng, f"t{index}") for index in range(count)]


def create(connection, schema: str, tables: list[Table]) -> None:
    """Makes `schema` anew on one server with `tables` and their rows."""
    connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    connection.execute(f"CREATE SCHEMA {schema}")
    for table in tables:
        connection.execute(table.create_sql(schema))
        insert = table.insert_sql(schema)
        if insert:
            connection.execute(insert)
