"""Times Iceberg scans on Weir (over the wire) and on DuckDB (threads = cores) over the same
Parquet files, in one invocation, and reports the Weir/DuckDB ratios and the bytes Weir read from
storage for the selective query.

Usage: bench-scan.py --weir-dsn DSN --weir-pid PID [--runs N] [--output FILE]

Two queries:
- full scan: max() of every column of tpch.lineitem, so every value of every column is fetched
  and decoded, while little crosses the wire;
- selective: one month of l_shipdate from bench.lineitem_by_month, the same rows partitioned by
  month(l_shipdate) (written by Weir). Bytes read are the growth of the Weir process's `rchar` in
  /proc/PID/io during one run (every pread of metadata, manifests and data), against the table's
  data file bytes.

Each query runs once to warm caches, then N times (default 3); the best time counts.
"""

import argparse
import os
from pathlib import Path

import duckdb
import psycopg

from benchlib import best_time

COLUMNS = [
    "l_orderkey", "l_partkey", "l_suppkey", "l_linenumber", "l_quantity", "l_extendedprice", "l_discount", "l_tax",
    "l_returnflag", "l_linestatus", "l_shipdate", "l_commitdate", "l_receiptdate", "l_shipinstruct", "l_shipmode", "l_comment",
]
FULL_SCAN = "SELECT " + ", ".join(f"max({column})" for column in COLUMNS) + " FROM {table}"
SELECTIVE = (
    "SELECT count(*), sum(l_extendedprice), max(l_comment) FROM {table} "
    "WHERE l_shipdate >= DATE '1995-03-01' AND l_shipdate < DATE '1995-04-01'"
)


def bytes_read(pid: int) -> int:
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise RuntimeError("no rchar in /proc/PID/io")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weir-dsn", required=True)
    parser.add_argument("--weir-pid", required=True, type=int)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path)
    arguments = parser.parse_args()

    weir = psycopg.connect(arguments.weir_dsn, autocommit=True)
    duck = duckdb.connect()
    duck.execute(f"SET threads = {os.cpu_count()}")

    def files(table: str) -> tuple[str, int]:
        schema, name = table.split(".")
        rows = weir.execute(f'SELECT file_path, file_size_in_bytes FROM {schema}."{name}$files"').fetchall()
        paths = ", ".join(f"'{path.removeprefix('file://')}'" for path, _ in rows)
        return f"read_parquet([{paths}], hive_partitioning = false)", sum(size for _, size in rows)

    lines = []

    def report(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    report(f"# Iceberg scans on {os.cpu_count()} cores: Weir over the wire vs DuckDB on the same Parquet files (best of {arguments.runs})")
    report()
    report(f"{'query':<12} {'DuckDB s':>10} {'Weir s':>10} {'Weir/DuckDB':>12}")
    report(f"{'-' * 12} {'-' * 10} {'-' * 10} {'-' * 12}")
    results = {}
    for name, sql, table in [("full scan", FULL_SCAN, "tpch.lineitem"), ("selective", SELECTIVE, "bench.lineitem_by_month")]:
        source, table_bytes = files(table)
        weir_rows = weir.execute(sql.format(table=table)).fetchall()
        duck_rows = duck.sql(sql.format(table=source)).fetchall()
        assert [tuple(str(value) for value in row) for row in weir_rows] == [
            tuple(str(value) for value in row) for row in duck_rows
        ], f"{name}: Weir {weir_rows} != DuckDB {duck_rows}"
        weir_seconds = best_time(lambda: weir.execute(sql.format(table=table)).fetchall(), arguments.runs)
        duck_seconds = best_time(lambda: duck.sql(sql.format(table=source)).fetchall(), arguments.runs)
        results[name] = (table, table_bytes)
        report(f"{name:<12} {duck_seconds:>10.3f} {weir_seconds:>10.3f} {weir_seconds / duck_seconds:>12.2f}")

    table, table_bytes = results["selective"]
    before = bytes_read(arguments.weir_pid)
    weir.execute(SELECTIVE.format(table=table)).fetchall()
    fetched = bytes_read(arguments.weir_pid) - before
    report()
    report(
        f"selective query: Weir read {fetched:,} bytes of the table's {table_bytes:,} data file bytes "
        f"({fetched / table_bytes:.4f}, bar < 0.05)"
    )
    if arguments.output:
        arguments.output.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
