#!/usr/bin/env python3
"""Create the demo warehouse `make run` serves, with Weir's own writer.

Usage: load-demo.py --weir BIN [--scale SF] [--data-dir DIR] [--cache-dir DIR]

TPC-H at scale SF is generated once with tpchgen-cli (as load-tpch.py does), then a Weir server is
started on a free loopback port over DIR and each table is created through it with
`CREATE TABLE tpch.<table> (...)` and filled with `COPY tpch.<table> FROM STDIN`, exactly as a
user would over psql; the server is stopped at the end. Tables that already exist are skipped; a
table whose load fails is dropped again, so a rerun starts it afresh.
"""

import argparse
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent


def load_script(name: str, file: str):
    """Another script of this directory as a module (their names hold dashes)."""
    spec = importlib.util.spec_from_file_location(name, HERE / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load_tpch = load_script("load_tpch", "load-tpch.py")
load_tpch_postgres = load_script("load_tpch_postgres", "load-tpch-postgres.py")

BATCH_ROWS = 100_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_weir(binary: str, data_dir: Path, port: int) -> subprocess.Popen:
    log = open(data_dir / "load-demo.log", "ab")
    server = subprocess.Popen(
        [binary, "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"load-demo: weir exited with status {server.returncode}; see {data_dir / 'load-demo.log'}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    sys.exit("load-demo: weir did not accept connections within 60 s")


def load(connection: psycopg.Connection, table: str, source: Path) -> None:
    parquet = pq.ParquetFile(source)
    columns = ", ".join(
        f"{field.name} {load_tpch_postgres.postgres_type(field.type)}{'' if field.nullable else ' NOT NULL'}" for field in parquet.schema_arrow
    )
    connection.execute(f"CREATE TABLE tpch.{table} ({columns})")
    try:
        rows = 0
        with connection.cursor().copy(f"COPY tpch.{table} FROM STDIN") as copy:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
                for row in zip(*(column.to_pylist() for column in batch.columns)):
                    copy.write_row(row)
                rows += batch.num_rows
    except BaseException:
        connection.execute(f"DROP TABLE IF EXISTS tpch.{table}")
        raise
    print(f"load-demo: tpch.{table} written by Weir, {rows} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weir", required=True, help="the weir binary")
    parser.add_argument("--scale", default="0.01", help="TPC-H scale factor (default 0.01)")
    parser.add_argument("--data-dir", default="./var", help="Weir data directory (default ./var)")
    parser.add_argument("--cache-dir", default="./var/tpch-parquet", help="where generated Parquet is kept")
    args = parser.parse_args()

    data_dir = Path(args.data_dir).resolve()
    cache_dir = Path(args.cache_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    parquet_dir = load_tpch.generate(args.scale, cache_dir)

    port = free_port()
    server = start_weir(args.weir, data_dir, port)
    try:
        dsn = f"host=127.0.0.1 port={port} user=demo password=demo dbname=lake"
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute("CREATE SCHEMA IF NOT EXISTS tpch")
            existing = {row[0] for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'tpch'").fetchall()}
            for table in load_tpch.TABLES:
                if table in existing:
                    continue
                load(connection, table, parquet_dir / f"{table}.parquet")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
