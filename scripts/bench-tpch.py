"""Times the 22 TPC-H queries on Weir (over the wire, as psql would run them) and on DuckDB
(threads = cores) over the same Parquet files, in one invocation, and prints per-query times and
the Weir/DuckDB ratio per query and for the total.

Usage: bench-tpch.py --weir-dsn DSN --parquet-dir DIR [--runs N] [--output FILE]

Each query runs once to warm caches, then N times (default 3); the best time counts. A query that
fails on Weir is reported as such and left out of the total.
"""

import argparse
import os
import sys
from pathlib import Path

import duckdb
import psycopg

from benchlib import best_time

QUERIES = sorted((Path(__file__).parent.parent / "compat-tests" / "tpch").glob("q*.sql"))
TABLES = ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weir-dsn", required=True)
    parser.add_argument("--parquet-dir", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path)
    arguments = parser.parse_args()

    duck = duckdb.connect()
    duck.execute(f"SET threads = {os.cpu_count()}")
    duck.execute("CREATE SCHEMA tpch")
    for table in TABLES:
        duck.execute(f"CREATE VIEW tpch.{table} AS SELECT * FROM read_parquet('{arguments.parquet_dir / (table + '.parquet')}')")

    lines = [f"# TPC-H on {os.cpu_count()} cores: Weir over the wire vs DuckDB on the same Parquet files (best of {arguments.runs})",
             "", f"{'query':<6} {'DuckDB s':>10} {'Weir s':>10} {'Weir/DuckDB':>12}", f"{'-' * 6} {'-' * 10} {'-' * 10} {'-' * 12}"]
    total_duck = total_weir = 0.0
    failures = []
    with psycopg.connect(arguments.weir_dsn, autocommit=True) as weir:
        for path in QUERIES:
            sql = path.read_text()
            duck_seconds = best_time(lambda: duck.execute(sql).fetchall(), arguments.runs)
            try:
                weir_seconds = best_time(lambda: weir.execute(sql).fetchall(), arguments.runs)
            except psycopg.Error as error:
                failures.append(path.stem)
                lines.append(f"{path.stem:<6} {duck_seconds:>10.3f} {'failed':>10} {'':>12}  {error.sqlstate}: {error.diag.message_primary}")
                continue
            total_duck += duck_seconds
            total_weir += weir_seconds
            lines.append(f"{path.stem:<6} {duck_seconds:>10.3f} {weir_seconds:>10.3f} {weir_seconds / duck_seconds:>12.2f}")
    lines.append(f"{'total':<6} {total_duck:>10.3f} {total_weir:>10.3f} {total_weir / total_duck:>12.2f}")
    if failures:
        lines.append(f"# failed on Weir (not in the total): {', '.join(failures)}")
    text = "\n".join(lines)
    print(text)
    if arguments.output:
        arguments.output.write_text(text + "\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
