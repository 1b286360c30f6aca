"""The 22 TPC-H queries (compat-tests/tpch/*.sql) at a larger scale factor (0.1 by default) on
Weir, compared with DuckDB's answers over the same Parquet files, row by row.

scripts/run-compat.sh loads the Parquet files in TPCH_DUCKDB_PARQUET_DIR into Weir's warehouse as
namespace TPCH_DUCKDB_NAMESPACE; each query's `tpch.` qualifier is rewritten to that namespace for
Weir, and DuckDB reads views `tpch.<table>` over the files. Column names (but for how DuckDB names
an unaliased call) and row counts must be the same. Values compare exactly (decimals by their numeric value, since DuckDB does not keep
PostgreSQL's result scales), except where a side returns a float (DuckDB's avg of a decimal is a
DOUBLE): those compare with a relative tolerance.
"""

import math
import os
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg
import pytest
from conftest import missing_server

QUERIES = sorted((Path(__file__).parent / "tpch").glob("q*.sql"))
TABLES = ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"]
FLOAT_RELATIVE_TOLERANCE = 1e-9
GAPS: dict[str, str] = {}

PARQUET_DIR = os.environ.get("TPCH_DUCKDB_PARQUET_DIR")
NAMESPACE = os.environ.get("TPCH_DUCKDB_NAMESPACE")


def require_environment():
    if not (os.environ.get("WEIR_DSN") and PARQUET_DIR and NAMESPACE):
        missing_server("needs WEIR_DSN, TPCH_DUCKDB_PARQUET_DIR and TPCH_DUCKDB_NAMESPACE (set by scripts/run-compat.sh)")


@pytest.fixture(scope="module")
def duckdb_connection():
    require_environment()
    connection = duckdb.connect()
    connection.execute("CREATE SCHEMA tpch")
    for table in TABLES:
        path = Path(PARQUET_DIR) / f"{table}.parquet"
        connection.execute(f"CREATE VIEW tpch.{table} AS SELECT * FROM read_parquet('{path}')")
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def weir_connection():
    require_environment()
    with psycopg.connect(os.environ["WEIR_DSN"], autocommit=True, connect_timeout=10) as connection:
        yield connection


def for_namespace(sql: str, namespace: str) -> str:
    return re.sub(r"\btpch\.", f"{namespace}.", sql)


def postgres_name(duckdb_name: str) -> str:
    """DuckDB names an unaliased call by its text (`sum(l_quantity)`), PostgreSQL by the function
    (`sum`); Q18 has one."""
    return re.sub(r"\(.*", "", duckdb_name)


def same_value(value, expected) -> bool:
    if value is None or expected is None:
        return value is None and expected is None
    if isinstance(value, float) or isinstance(expected, float):
        return math.isclose(float(value), float(expected), rel_tol=FLOAT_RELATIVE_TOLERANCE)
    if isinstance(value, (int, Decimal)) and isinstance(expected, (int, Decimal)):
        return Decimal(value) == Decimal(expected)
    return value == expected


def first_difference(rows, expected) -> str | None:
    if len(rows) != len(expected):
        return f"{len(rows)} rows on Weir, {len(expected)} on DuckDB"
    for number, (row, reference) in enumerate(zip(rows, expected), start=1):
        if len(row) != len(reference) or not all(map(same_value, row, reference)):
            return f"row {number}: Weir {row!r} != DuckDB {reference!r}"
    return None


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, id=path.stem, marks=[pytest.mark.xfail(reason=GAPS[path.stem], strict=True)] if path.stem in GAPS else [])
        for path in QUERIES
    ],
)
def test_tpch_query_matches_duckdb(weir_connection, duckdb_connection, path):
    sql = path.read_text()
    duck = duckdb_connection.execute(sql)
    expected = duck.fetchall()
    expected_names = [column[0] for column in duck.description]
    cursor = weir_connection.execute(for_namespace(sql, NAMESPACE))
    rows = cursor.fetchall()
    names = [column.name for column in cursor.description]
    assert names == [postgres_name(name) for name in expected_names]
    difference = first_difference(rows, expected)
    assert difference is None, difference


def test_namespace_rewrite_touches_only_the_qualifier():
    sql = "SELECT x.tpch, tpch.nation.n_name FROM tpch.nation, my_tpch.t, tpch.region"
    assert for_namespace(sql, "tpch_sf0_1") == (
        "SELECT x.tpch, tpch_sf0_1.nation.n_name FROM tpch_sf0_1.nation, my_tpch.t, tpch_sf0_1.region"
    )


def test_values_compare_by_kind():
    assert same_value(Decimal("1.50"), Decimal("1.5"))
    assert not same_value(Decimal("1.51"), Decimal("1.5"))
    assert same_value(Decimal("1995"), 1995)
    assert same_value(Decimal("0.02864874130561755275"), 0.028648741305617557)
    assert not same_value(Decimal("0.02864874"), 0.028648741305617557)
    assert not same_value(None, 0)
    assert same_value("AIR", "AIR") and not same_value("AIR", "AIR ")
