"""Session functions, SHOW, SET and RESET."""

import time

import psycopg
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


def test_set_config_changes_the_setting_after_the_statement(conn):
    assert conn.execute("SELECT set_config('application_name', 'via-set-config', false)").fetchone()[0] == "via-set-config"
    assert conn.execute("SHOW application_name").fetchone()[0] == "via-set-config"
    assert conn.info.parameter_status("application_name") == "via-set-config"
    assert conn.execute("SELECT set_config('search_path', 'tpch, public', false)").fetchone()[0] == "tpch, public"
    assert conn.execute("SELECT current_schema(), count(*) FROM nation").fetchone() == ("tpch", 25)


def test_set_config_local_lasts_until_the_transaction_ends(conn):
    conn.autocommit = False
    conn.execute("SELECT set_config('search_path', 'tpch', true)")
    assert conn.execute("SHOW search_path").fetchone()[0] == "tpch"
    conn.rollback()
    assert conn.execute("SHOW search_path").fetchone()[0] == '"$user", public'


def test_set_config_of_an_unknown_setting_fails(conn):
    with pytest.raises(psycopg.Error) as failure:
        conn.execute("SELECT set_config('no_such_setting', 'x', false)")
    assert failure.value.sqlstate == "42704"


def test_statements_of_one_simple_query_see_earlier_ones(server):
    """Each statement of a multi-statement query is planned after the ones before it ran."""
    with server.connect() as connection:
        connection.execute("SET search_path = tpch; SELECT count(*) FROM region")
        assert connection.execute("SHOW search_path").fetchone()[0] == "tpch"


def test_repeated_statements_see_the_clock_and_settings_of_their_own_run(conn):
    """The same text prepared again (psycopg's unnamed statements) must not reuse a stale answer:
    now() moves with each transaction and current_setting follows SET."""
    times = []
    for _ in range(3):
        times.append(conn.execute("SELECT now(), 1").fetchone()[0])
        time.sleep(0.01)
    assert times[0] < times[1] < times[2]
    for name in ["first", "second"]:
        conn.execute(f"SET application_name = '{name}'")
        assert conn.execute("SELECT current_setting('application_name'), 1 + 1").fetchone() == (name, 2)
    conn.execute("SET TimeZone = 'UTC'")
    assert conn.execute("SELECT '2024-01-01 12:00+00'::timestamptz::text").fetchone() == ("2024-01-01 12:00:00+00",)
    conn.execute("SET TimeZone = 'Asia/Tokyo'")
    assert conn.execute("SELECT '2024-01-01 12:00+00'::timestamptz::text").fetchone() == ("2024-01-01 21:00:00+09",)


def test_prepared_statements_read_the_clock_when_executed(conn):
    """A statement prepared once (server-side, as pgjdbc does after five runs, or with PREPARE) and
    executed later sees the time of each execution, not of its preparation."""
    times = []
    for _ in range(3):
        times.append(conn.execute("SELECT now(), current_date", prepare=True).fetchone()[0])
        time.sleep(0.01)
    assert times[0] < times[1] < times[2]
    conn.execute("PREPARE clock AS SELECT now()")
    first = conn.execute("EXECUTE clock").fetchone()[0]
    time.sleep(0.01)
    assert conn.execute("EXECUTE clock").fetchone()[0] > first
