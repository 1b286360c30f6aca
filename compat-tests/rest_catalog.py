"""Starts and stops scripts/rest-catalog-server.py, the Iceberg REST catalog for tests.

    with rest_catalog_server(tmp_path) as server:
        catalog = server.catalog()          # PyIceberg's RestCatalog, signed in
        catalog.create_namespace("lake")
        server.fail_next_commits(503)       # the next table commit answers 503
        server.recent_requests()            # what clients sent, oldest first

The server listens on a free loopback port, keeps its SQLite catalog and (unless
told otherwise) its warehouse in the given directory, and logs to
rest-catalog-server.log there. Leaving the block stops it (SIGTERM, then wait)
and fails if it did not exit cleanly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERVER_SCRIPT = ROOT / "scripts" / "rest-catalog-server.py"
CLIENT_ID = "weir-test"
CLIENT_SECRET = "weir-test-secret"
START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 15


@dataclasses.dataclass(frozen=True)
class RestCatalogServer:
    """A running server: where it listens, how clients sign in, and its test routes."""

    uri: str
    warehouse: str
    prefix: str | None
    client_id: str | None
    client_secret: str | None
    log_path: Path

    @property
    def credential(self) -> str | None:
        """PyIceberg's `credential` property ("id:secret"), None when the server needs no token."""
        return f"{self.client_id}:{self.client_secret}" if self.client_id is not None else None

    def catalog(self, name: str = "rest", **properties: str) -> Any:
        """PyIceberg's RestCatalog for this server, with its credential unless `properties` give one.
        (Imported here: starting a server for another client needs no PyIceberg in the test's process.)"""
        from pyiceberg.catalog.rest import RestCatalog

        if self.credential is not None:
            properties.setdefault("credential", self.credential)
            properties.setdefault("oauth2-server-uri", f"{self.uri}/v1/oauth/tokens")
        return RestCatalog(name, uri=self.uri, **properties)

    def fail_next_commits(self, status: int, count: int = 1) -> None:
        """The next `count` table commits answer `status` without being applied."""
        self._request("POST", "/test/fail-next-commits", {"status": status, "count": count})

    def recent_requests(self) -> list[dict[str, Any]]:
        """The server's record of recent requests, oldest first (see the server's docstring)."""
        return self._request("GET", "/test/requests")

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.uri + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)


@contextlib.contextmanager
def rest_catalog_server(
    directory: Path,
    *,
    warehouse: str | None = None,
    prefix: str | None = None,
    client_id: str | None = CLIENT_ID,
    client_secret: str | None = CLIENT_SECRET,
    token_ttl: float | None = None,
    vend_s3_credentials: Path | None = None,
) -> Iterator[RestCatalogServer]:
    """Runs the server for the block; see the module docstring.

    `warehouse` defaults to DIRECTORY/warehouse; client_id=None starts a server that asks for
    no token. The server gets no AWS_* variables: its S3 keys come from `vend_s3_credentials`.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    warehouse = warehouse or (directory / "warehouse").resolve().as_uri()
    log_path = directory / "rest-catalog-server.log"
    command = [sys.executable, str(SERVER_SCRIPT), "--port", "0", "--catalog-db", str(directory / "catalog.db"),
               "--warehouse", warehouse]
    if prefix is not None:
        command += ["--prefix", prefix]
    if client_id is not None:
        command += ["--client-id", client_id, "--client-secret", client_secret or ""]
    if token_ttl is not None:
        command += ["--token-ttl", str(token_ttl)]
    if vend_s3_credentials is not None:
        command += ["--vend-s3-credentials", str(vend_s3_credentials)]
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environment["AWS_EC2_METADATA_DISABLED"] = "true"

    log_start = log_path.stat().st_size if log_path.exists() else 0
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=log)
    try:
        uri = _wait_until_answering(process, log_path, log_start)
        yield RestCatalogServer(uri, warehouse, prefix, client_id, client_secret if client_id else None, log_path)
    except BaseException:
        _stop(process)
        raise
    status = _stop(process)
    if status != 0:
        raise RuntimeError(f"the REST catalog server did not stop cleanly on SIGTERM (exit status {status}):\n"
                           f"{_tail(log_path)}")


def _stop(process: subprocess.Popen) -> int | None:
    """SIGTERM and wait; the exit status, or None if the server had to be killed."""
    process.terminate()
    try:
        return process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


def _wait_until_answering(process: subprocess.Popen, log_path: Path, log_start: int) -> str:
    """The server's base URI once GET /v1/config answers; the port is the one its log announces."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    uri = None
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the REST catalog server exited with {process.returncode}:\n{_tail(log_path)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the REST catalog server did not answer in {START_TIMEOUT_SECONDS}s:\n"
                               f"{_tail(log_path)}")
        if uri is None:
            announced = re.search(r"listening on (http://[\d.]+:\d+)",
                                  log_path.read_bytes()[log_start:].decode(errors="replace"))
            uri = announced.group(1) if announced else None
        if uri is not None:
            try:
                with urllib.request.urlopen(uri + "/v1/config", timeout=2):
                    return uri
            except (urllib.error.URLError, ConnectionError):
                pass
        time.sleep(0.1)


def _tail(log_path: Path, lines: int = 30) -> str:
    return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
