"""Types clients meet in catalogs and schemas: "char", character(n) and varchar(n) casts, and
time with time zone, in text and binary. Every expectation holds on PostgreSQL and on Weir."""

import datetime

import pytest
from conftest import sqlstate_of

UTC_PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))
INDIA = datetime.timezone(datetime.timedelta(hours=-5, minutes=-30))


@pytest.mark.parametrize("binary", [False, True])
def test_char_and_timetz_in_both_formats(utc, binary):
    cursor = utc.cursor(binary=binary)
    cursor.execute("""SELECT 'r'::"char", '12:00:00+02'::timetz, '09:15:30.25-05:30'::timetz, pg_typeof(current_time)::text""")
    assert cursor.fetchone() == (
        "r", datetime.time(12, 0, tzinfo=UTC_PLUS_2), datetime.time(9, 15, 30, 250000, tzinfo=INDIA), "time with time zone",
    )


@pytest.mark.parametrize("placeholder", ["%t", "%b"])
def test_timetz_parameters(utc, placeholder):
    row = utc.execute(f"SELECT {placeholder}::timetz::text", [datetime.time(7, 30, tzinfo=UTC_PLUS_2)]).fetchone()
    assert row == ("07:30:00+02",)


@pytest.mark.parametrize(("sql", "sqlstate"), [("SELECT 'noon'::timetz", "22007"), ("SELECT '12:00+16'::timetz", "22009")])
def test_bad_timetz_input(utc, sql, sqlstate):
    assert sqlstate_of(utc, sql) == sqlstate


@pytest.mark.parametrize("sql", [
    "SELECT 1::int2::boolean", "SELECT 5::int2::date", "SELECT 5::int8::date", "SELECT 7::int2::interval",
])
def test_integers_cast_only_to_types_postgres_allows(conn, sql):
    # Integers become OIDs (and regclass, regtype, ...) but not booleans from smallint, or dates.
    assert sqlstate_of(conn, sql) == "42846"


def test_integers_cast_to_oid_types(conn):
    assert conn.execute("SELECT 2200::int2::regnamespace::text, 11::int8::oid, 1259::regclass::text").fetchone() == (
        "public", 11, "pg_class")
