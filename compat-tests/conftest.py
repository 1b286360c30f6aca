"""Fixtures that run every compat test against Weir and against PostgreSQL.

The servers are named by libpq keyword strings in two environment variables:

    WEIR_DSN="host=127.0.0.1 port=5433 user=demo password=demo dbname=lake"
    PG_DSN="host=127.0.0.1 port=5432 user=demo password=demo dbname=lake"

Each test that takes the `server` fixture runs once per server. A server whose
variable is unset is skipped, so the suite can prove its expectations against
PostgreSQL alone. `scripts/run-compat.sh` starts both and sets both, and with
WEIR_REQUIRE_SERVERS=1 (as `make test` sets it) a missing server fails its tests
instead (`missing_server`).
"""

from __future__ import annotations

import dataclasses
import glob
import os
import shutil
import signal

import psycopg
import psycopg.conninfo
import pytest

SERVER_ENV = {"postgres": "PG_DSN", "weir": "WEIR_DSN"}


def missing_server(reason: str) -> None:
    """Skips the test for want of a test server, or fails it when WEIR_REQUIRE_SERVERS=1: in
    `make test` every server is started, so a missing one is a broken run, not a quiet skip."""
    if os.environ.get("WEIR_REQUIRE_SERVERS") == "1":
        pytest.fail(f"WEIR_REQUIRE_SERVERS=1 but a test server is missing: {reason}")
    pytest.skip(reason)

# A hung server must fail its test, not the whole run.
TEST_TIMEOUT_SECONDS = int(os.environ.get("COMPAT_TEST_TIMEOUT", "120"))


@dataclasses.dataclass(frozen=True)
class Server:
    """One server under test and the ways clients need its address spelled."""

    name: str
    dsn: str

    @property
    def params(self) -> dict[str, str]:
        return psycopg.conninfo.conninfo_to_dict(self.dsn)

    @property
    def host(self) -> str:
        return self.params.get("host", "127.0.0.1")

    @property
    def port(self) -> int:
        return int(self.params.get("port", 5432))

    @property
    def user(self) -> str:
        return self.params.get("user", "demo")

    @property
    def password(self) -> str:
        return self.params.get("password", "demo")

    @property
    def dbname(self) -> str:
        return self.params.get("dbname", self.user)

    def dsn_with(self, **overrides: str) -> str:
        params = self.params
        params.update(overrides)
        return psycopg.conninfo.make_conninfo(**params)

    def dsn_without_password(self) -> str:
        params = self.params
        params.pop("password", None)
        return psycopg.conninfo.make_conninfo(**params)

    def connect(self, **kwargs) -> psycopg.Connection:
        """A psycopg 3 connection; autocommit unless the test asks otherwise."""
        kwargs.setdefault("autocommit", True)
        kwargs.setdefault("connect_timeout", 10)
        return psycopg.connect(self.dsn, **kwargs)


@pytest.fixture(params=list(SERVER_ENV), scope="session")
def server(request) -> Server:
    variable = SERVER_ENV[request.param]
    dsn = os.environ.get(variable)
    if not dsn:
        missing_server(f"{variable} is not set")
    return Server(request.param, dsn)


@pytest.fixture(scope="session")
def postgres_server() -> Server:
    """The PostgreSQL server, whose answers are the expectations when a test compares a client's
    view of both servers."""
    dsn = os.environ.get("PG_DSN")
    if not dsn:
        missing_server("PG_DSN is not set: PostgreSQL's answers are the expectations")
    return Server("postgres", dsn)


@pytest.fixture(scope="session")
def postgres_oracle() -> psycopg.Connection:
    """A connection to the PostgreSQL server, whose answers are the expectations for queries
    over data both servers hold (the TPC-H tables)."""
    dsn = os.environ.get("PG_DSN")
    if not dsn:
        missing_server("PG_DSN is not set: PostgreSQL's answers are the expectations")
    with psycopg.connect(dsn, autocommit=True) as connection:
        yield connection


@pytest.fixture
def conn(server):
    with server.connect() as connection:
        yield connection


def sqlstate_of(conn, sql: str) -> str:
    """The SQLSTATE `sql` fails with; the test fails if it succeeds."""
    with pytest.raises(psycopg.Error) as failure:
        conn.execute(sql)
    return failure.value.sqlstate


@pytest.fixture
def utc(conn):
    """A connection whose session time zone is UTC, for timestamptz results that do not depend on the server."""
    conn.execute("SET TimeZone = 'UTC'")
    return conn


@pytest.fixture(autouse=True)
def _timeout(request):
    # A long test names its own limit: @pytest.mark.timeout_seconds(N).
    marker = request.node.get_closest_marker("timeout_seconds")
    limit = marker.args[0] if marker else TEST_TIMEOUT_SECONDS

    def expire(signum, frame):
        raise TimeoutError(f"test took longer than {limit}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(limit)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def pg_tool(name: str) -> str:
    """A PostgreSQL 15 client program, preferring the versioned directory."""
    pgbin = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")
    candidate = os.path.join(pgbin, name)
    if os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} not found (run scripts/install-deps.sh)")
    return found


def psqlodbc_driver() -> str:
    """Path of the psqlODBC Unicode driver installed by Debian's odbc-postgresql."""
    for pattern in (
        "/usr/lib/*/odbc/psqlodbcw.so",
        "/usr/lib/odbc/psqlodbcw.so",
        "/usr/local/lib/psqlodbcw.so",
    ):
        matches = sorted(glob.glob(pattern))
        if matches:
            return matches[0]
    pytest.fail("psqlodbcw.so not found (install odbc-postgresql)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "weir_gap(reason): Weir does not support this yet; the test must fail against Weir "
        "(strict xfail) and pass against PostgreSQL, so closing the gap flips it to a failure to fix.",
    )
    config.addinivalue_line("markers", "timeout_seconds(n): this test's time limit, instead of COMPAT_TEST_TIMEOUT")


@pytest.fixture(autouse=True)
def _weir_gap(request):
    marker = request.node.get_closest_marker("weir_gap")
    if marker is None:
        return
    server = request.node.funcargs.get("server")
    if server is None and "conn" in request.node.funcargs:
        server = request.getfixturevalue("server")
    if server is not None and server.name == "weir":
        request.node.add_marker(pytest.mark.xfail(reason=marker.args[0], strict=True))
