"""Starts a Weir of its own for a test that needs a configuration of its own, and drives
concurrent writers (`insert_concurrently`).

    with weir_server(directory, "catalogs:\\n  - name: rest ...") as dsn:
        psycopg.connect(dsn + " dbname=rest")

The server is $WEIR_BIN serving `configuration` (YAML, without `server.port` and
`server.data_dir`, which this module adds) on a free loopback port with its data in
DIRECTORY/var. It runs with the test's environment minus AWS_* variables, plus
`environment`. Leaving the block stops it with SIGTERM and fails if it did not exit
cleanly.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from conftest import missing_server

START_TIMEOUT_SECONDS = 30


def weir_binary() -> str:
    """$WEIR_BIN, or skip: these tests need to start a Weir of their own."""
    binary = os.environ.get("WEIR_BIN")
    if not binary:
        missing_server("needs WEIR_BIN to start a Weir with its own configuration")
    return binary


@contextlib.contextmanager
def weir_server(directory: Path, configuration: str = "", environment: dict[str, str] | None = None) -> Iterator[str]:
    """Runs Weir for the block and yields a libpq DSN (user demo, no dbname) reaching it."""
    binary = weir_binary()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = directory / f"weir-{port}.yaml"
    config.write_text(f"server:\n  port: {port}\n  data_dir: {directory / 'var'}\n" + configuration)
    variables = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    variables.update(environment or {})
    log_path = directory / f"weir-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([binary, "serve", "--config", str(config)], env=variables,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"weir did not start:\n{log_path.read_text(errors='replace')}")
                time.sleep(0.1)
        yield f"host=127.0.0.1 port={port} user=demo password=demo connect_timeout=10"
    finally:
        process.terminate()
        try:
            status = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            status = None
    assert status == 0, f"weir did not stop cleanly:\n{log_path.read_text(errors='replace')}"


def insert_concurrently(dsn: str, table: str, writers: int = 4, inserts: int = 4) -> None:
    """`writers` connections to `dsn` each insert rows (writer, n) for n < `inserts` into `table`
    (columns writer, n) at once, one statement and so one commit per row; fails on any error."""
    errors = []

    def write(writer: int) -> None:
        try:
            with psycopg.connect(dsn, autocommit=True) as connection:
                for n in range(inserts):
                    connection.execute(f"INSERT INTO {table} VALUES ({writer}, {n})")
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
