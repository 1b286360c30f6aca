#!/usr/bin/env python3
"""Measures wire-protocol throughput of servers started by scripts/bench-wire.sh.

    scripts/bench-wire.py [--seconds 10] [--rows 1000000] [--output FILE] NAME=PORT...

Every server gets the same runs, one after another (never concurrently, so they
do not compete for the two cores):

  * pgbench, 4 clients on 2 threads, a script of `SELECT 1;`, in simple and
    extended query mode: transactions per second;
  * 1,000,000 rows of int4, float8, text and bool, streamed by
    `psql -c "COPY (...) TO STDOUT"`, by a psycopg 3 server-side cursor and by
    psycopg 3 `cursor.stream`: rows per second.

Each row count and checksum is verified, so a server that sends too little
cannot look fast. Prints a table with the ratio of each server to the first
one named (weir/postgres when run as `postgres=P weir=P`) and writes it to FILE.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

import psycopg

PGBIN = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")
PASSWORD = "demo"


def dsn(port: int) -> str:
    return f"host=127.0.0.1 port={port} user=demo password={PASSWORD} dbname=lake"


def rows_query(rows: int) -> str:
    return (
        "SELECT x, x::float8 * 1.5, 'row-' || x::text, x % 2 = 0 "
        f"FROM generate_series(1, {rows}) AS g(x)"
    )


def pgbench(port: int, mode: str, seconds: int, script: str) -> float:
    command = [
        os.path.join(PGBIN, "pgbench"), "-n", "-f", script, "-c", "4", "-j", "2",
        "-T", str(seconds), "-M", mode, "-h", "127.0.0.1", "-p", str(port), "-U", "demo", "lake",
    ]
    result = subprocess.run(
        command, env=dict(os.environ, PGPASSWORD=PASSWORD), capture_output=True, text=True,
        timeout=seconds + 120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pgbench -M {mode} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    failed = re.search(r"number of failed transactions: (\d+)", result.stdout)
    if failed and int(failed.group(1)) != 0:
        raise RuntimeError(f"pgbench -M {mode}: {failed.group(1)} failed transactions\n{result.stdout}")
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", result.stdout)
    if not tps:
        raise RuntimeError(f"no tps in pgbench output:\n{result.stdout}")
    return float(tps.group(1))


def psql_copy(port: int, rows: int) -> float:
    """COPY ... TO STDOUT through psql; counts the lines it writes."""
    command = [
        os.path.join(PGBIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
        "-d", f"host=127.0.0.1 port={port} user=demo dbname=lake",
        "-c", f"COPY ({rows_query(rows)}) TO STDOUT",
    ]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=dict(os.environ, PGPASSWORD=PASSWORD), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    lines = 0
    last = b""
    while chunk := process.stdout.read(1 << 20):
        lines += chunk.count(b"\n")
        last = (last + chunk)[-256:]
    error = process.stderr.read().decode()
    if process.wait() != 0:
        raise RuntimeError(f"psql COPY failed: {error}")
    elapsed = time.perf_counter() - start
    final = last.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode().split("\t")
    expected = [rows, rows * 1.5, f"row-{rows}", "t" if rows % 2 == 0 else "f"]
    if lines != rows or len(final) != 4 or [int(final[0]), float(final[1]), *final[2:]] != expected:
        raise RuntimeError(f"psql COPY: {lines} lines, last {final}; expected {rows} lines, last {expected}")
    return rows / elapsed


def check_rows(label: str, count: int, total: int, texts: int, evens: int, rows: int) -> None:
    expected = (rows, rows * (rows + 1) // 2, rows, rows // 2)
    if (count, total, texts, evens) != expected:
        actual = (count, total, texts, evens)
        raise RuntimeError(f"{label}: got (count, sum, texts, evens) {actual}, expected {expected}")


def psycopg_server_cursor(port: int, rows: int) -> float:
    start = time.perf_counter()
    count = total = texts = evens = 0
    with psycopg.connect(dsn(port), connect_timeout=10) as connection:
        with connection.cursor(name="bench") as cursor:
            cursor.itersize = 10000
            cursor.execute(rows_query(rows))
            for x, scaled, text, even in cursor:
                count += 1
                total += x
                texts += text.startswith("row-")
                evens += even
        connection.commit()
    elapsed = time.perf_counter() - start
    check_rows("psycopg server-side cursor", count, total, texts, evens, rows)
    return rows / elapsed


def psycopg_stream(port: int, rows: int) -> float:
    start = time.perf_counter()
    count = total = texts = evens = 0
    with psycopg.connect(dsn(port), autocommit=True, connect_timeout=10) as connection:
        # size > 1 uses libpq's chunked-rows mode where the bundled libpq has it (>= 17).
        size = 1000 if psycopg.pq.version() >= 170000 else 1
        for x, scaled, text, even in connection.cursor().stream(rows_query(rows), size=size):
            count += 1
            total += x
            texts += text.startswith("row-")
            evens += even
    elapsed = time.perf_counter() - start
    check_rows("psycopg stream", count, total, texts, evens, rows)
    return rows / elapsed


def server_version(port: int) -> str:
    with psycopg.connect(dsn(port), autocommit=True, connect_timeout=10) as connection:
        return connection.execute("SELECT version()").fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="pgbench -T")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows to stream")
    parser.add_argument("--output", help="also write the report here")
    parser.add_argument("servers", nargs="+", metavar="NAME=PORT")
    arguments = parser.parse_args()
    servers = [(name, int(port)) for name, port in (s.split("=", 1) for s in arguments.servers)]

    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("SELECT 1;\n")
    seconds, rows = arguments.seconds, arguments.rows
    benchmarks = [
        ("pgbench SELECT 1, -M simple", "tps", lambda port: pgbench(port, "simple", seconds, script.name)),
        ("pgbench SELECT 1, -M extended", "tps", lambda port: pgbench(port, "extended", seconds, script.name)),
        (f"psql COPY TO STDOUT, {rows:,} rows", "rows/s", lambda port: psql_copy(port, rows)),
        (f"psycopg 3 server cursor, {rows:,} rows", "rows/s", lambda port: psycopg_server_cursor(port, rows)),
        (f"psycopg 3 cursor.stream, {rows:,} rows", "rows/s", lambda port: psycopg_stream(port, rows)),
    ]

    results: dict[tuple[str, str], float] = {}
    versions = {}
    try:
        for name, port in servers:
            versions[name] = server_version(port)
            for label, unit, run in benchmarks:
                print(f"[bench] {name}: {label} ...", flush=True)
                results[(name, label)] = run(port)
                print(f"[bench] {name}: {label}: {results[(name, label)]:,.0f} {unit}", flush=True)
    finally:
        os.unlink(script.name)

    baseline = servers[0][0]
    names = [name for name, _ in servers]
    header = ["benchmark", "unit", *names] + [f"{n}/{baseline}" for n in names[1:]]
    table = []
    for label, unit, _ in benchmarks:
        values = [results[(n, label)] for n in names]
        ratios = [f"{v / values[0]:.2f}" if values[0] else "-" for v in values[1:]]
        table.append([label, unit, *[f"{v:,.0f}" for v in values], *ratios])
    widths = [max(len(row[i]) for row in [header, *table]) for i in range(len(header))]

    def line(row):
        return "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))

    report = [
        f"# wire benchmark, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M:%SZ}",
        f"# host: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}",
        f"# commit: {os.environ.get('BENCH_COMMIT', 'unknown')}",
        *[f"# {n}: {versions[n]}" for n in names],
        "# pgbench: -n -c 4 -j 2 -T {} with a script of 'SELECT 1;'".format(arguments.seconds),
        "# higher is better; a ratio above 1.00 means faster than " + baseline,
        "",
        line(header),
        line(["-" * w for w in widths]),
        *[line(row) for row in table],
    ]
    text = "\n".join(report) + "\n"
    print()
    print(text, end="")
    if arguments.output:
        os.makedirs(os.path.dirname(arguments.output) or ".", exist_ok=True)
        with open(arguments.output, "w") as output:
            output.write(text)
        print(f"[bench] written to {arguments.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
