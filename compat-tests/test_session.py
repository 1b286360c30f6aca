"""Session functions, SHOW, SET and RESET."""

import pytest


def show(conn, name):
    return conn.execute(f"SHOW {name}").fetchone()[0]


def test_version(conn):
    (version,) = conn.execute("SELECT version()").fetchone()
    assert version.startswith("PostgreSQL 15")


def test_current_user_and_database(conn):
    assert conn.execute("SELECT current_user").fetchone() == ("demo",)
    assert conn.execute("SELECT current_database()").fetchone() == ("lake",)


def test_server_version_three_ways(conn):
    (setting,) = conn.execute("SELECT current_setting('server_version')").fetchone()
    assert setting.startswith("15")
    assert show(conn, "server_version") == setting
    assert conn.info.parameter_status("server_version") == setting


@pytest.mark.parametrize(
    ("statement", "column"),
    [
        ("SHOW server_version", "server_version"),
        ("SHOW DateStyle", "DateStyle"),
        ("SHOW datestyle", "DateStyle"),
        ("SHOW TimeZone", "TimeZone"),
        ("SHOW application_name", "application_name"),
    ],
)
def test_show_column_name(conn, statement, column):
    cur = conn.execute(statement)
    assert [c.name for c in cur.description] == [column]
    assert cur.description[0].type_code == 25
    assert len(cur.fetchall()) == 1


def test_show_datestyle_and_timezone(conn):
    assert show(conn, "DateStyle") == "ISO, MDY"
    assert show(conn, "TimeZone") != ""


def test_set_application_name(conn):
    cur = conn.execute("SET application_name = 'x'")
    assert cur.statusmessage == "SET"
    assert show(conn, "application_name") == "x"
    assert conn.execute("SELECT current_setting('application_name')").fetchone() == ("x",)
    # The new value is reported to the client too.
    assert conn.info.parameter_status("application_name") == "x"


def test_set_to_syntax_and_reset(conn):
    initial = show(conn, "application_name")
    conn.execute("SET application_name TO 'first'")
    conn.execute("SET SESSION application_name = 'second'")
    assert show(conn, "application_name") == "second"
    cur = conn.execute("RESET application_name")
    assert cur.statusmessage == "RESET"
    assert show(conn, "application_name") == initial


def test_set_timezone_and_reset_all(conn):
    initial = show(conn, "TimeZone")
    conn.execute("SET TimeZone = 'UTC'")
    assert show(conn, "TimeZone") == "UTC"
    conn.execute("SET application_name = 'y'")
    cur = conn.execute("RESET ALL")
    assert cur.statusmessage == "RESET"
    assert show(conn, "TimeZone") == initial
    assert show(conn, "application_name") == ""


def test_settings_are_per_session(server):
    with server.connect() as first, server.connect() as second:
        first.execute("SET application_name = 'only-first'")
        assert show(second, "application_name") == ""
        assert show(first, "application_name") == "only-first"
