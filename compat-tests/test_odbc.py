"""psqlODBC (Debian's odbc-postgresql) through pyodbc, with the driver named by path."""

import pyodbc
import pytest

from conftest import psqlodbc_driver




@pytest.fixture(scope="module", autouse=True)
def _no_driver_logs(tmp_path_factory):
    # Debian's /etc/odbcinst.ini turns CommLog on, which leaves psqlodbc_*.log files in /tmp.
    # The driver is named by path, so an empty configuration directory loses nothing.
    patch = pytest.MonkeyPatch()
    patch.setenv("ODBCSYSINI", str(tmp_path_factory.mktemp("odbc")))
    yield
    patch.undo()


def connect(server):
    """Connects in the test body, so a connect failure is the test's own outcome."""
    connection_string = (
        f"DRIVER={{{psqlodbc_driver()}}};SERVER={server.host};PORT={server.port};"
        f"DATABASE={server.dbname};UID={server.user};PWD={server.password};"
        "SSLmode=prefer;BoolsAsChar=0;CommLog=0;Debug=0;"
    )
    return pyodbc.connect(connection_string, timeout=10)


def test_select_values(server):
    connection = connect(server)
    cursor = connection.cursor()
    row = cursor.execute("SELECT 1 + 1, 'abc', 2.5::float8, true, NULL::int, 3000000000").fetchone()
    assert tuple(row) == (2, "abc", 2.5, True, None, 3000000000)


def test_parameter(server):
    connection = connect(server)
    cursor = connection.cursor()
    assert cursor.execute("SELECT CAST(? AS integer) + 1", 41).fetchval() == 42
    assert cursor.execute("SELECT ? || '!'", "hi").fetchval() == "hi!"


def test_rows(server):
    connection = connect(server)
    cursor = connection.cursor()
    rows = cursor.execute("SELECT x FROM generate_series(1, 1000) AS g(x)").fetchall()
    assert len(rows) == 1000
    assert sum(r[0] for r in rows) == 500500


def test_error_and_recovery(server):
    connection = connect(server)
    cursor = connection.cursor()
    with pytest.raises(pyodbc.Error) as failure:
        cursor.execute("SELECT 1/0")
    assert failure.value.args[0] == "22012"
    connection.rollback()
    assert cursor.execute("SELECT 'ok'").fetchval() == "ok"
