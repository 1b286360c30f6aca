"""Load the TPC-H Parquet files load-tpch.py generates into a PostgreSQL database.

Usage: load-tpch-postgres.py --dsn DSN --parquet-dir DIR

Creates schema "tpch" with one table per Parquet file, with the PostgreSQL types that match
the Parquet/Iceberg types Weir reads (bigint, integer, numeric(p,s), date, text, ...), and
copies the rows in. Compatibility tests then run the same query on PostgreSQL and on Weir,
which reads the same rows from Iceberg, and compare the results.
"""

import argparse
import sys
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq

TABLES = ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"]


def postgres_type(kind: pa.DataType) -> str:
    if pa.types.is_int64(kind):
        return "bigint"
    if pa.types.is_int32(kind):
        return "integer"
    if pa.types.is_int16(kind):
        return "smallint"
    if pa.types.is_decimal(kind):
        return f"numeric({kind.precision},{kind.scale})"
    if pa.types.is_date32(kind):
        return "date"
    if pa.types.is_float64(kind):
        return "double precision"
    if pa.types.is_float32(kind):
        return "real"
    if pa.types.is_boolean(kind):
        return "boolean"
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return "text"
    sys.exit(f"load-tpch-postgres: no PostgreSQL type for Arrow type {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--parquet-dir", required=True, type=Path)
    arguments = parser.parse_args()
    with psycopg.connect(arguments.dsn, autocommit=True) as connection:
        connection.execute("CREATE SCHEMA IF NOT EXISTS tpch")
        for table in TABLES:
            data = pq.read_table(arguments.parquet_dir / f"{table}.parquet")
            # Required Parquet columns are required Iceberg fields in Weir, so NOT NULL here too.
            columns = ", ".join(
                f'"{field.name}" {postgres_type(field.type)}' + ("" if field.nullable else " NOT NULL") for field in data.schema
            )
            connection.execute(f"DROP TABLE IF EXISTS tpch.{table}")
            connection.execute(f"CREATE TABLE tpch.{table} ({columns})")
            with connection.cursor().copy(f"COPY tpch.{table} FROM STDIN") as copy:
                for row in zip(*(column.to_pylist() for column in data.columns)):
                    copy.write_row(row)
            print(f"load-tpch-postgres: tpch.{table} loaded, {data.num_rows} rows")


if __name__ == "__main__":
    main()
