"""Types clients meet in catalogs and schemas: "char", character(n) and varchar(n) casts, and
time with time zone, in text and binary. Every expectation holds on PostgreSQL and on Weir."""

import datetime

import pytest
from conftest import sqlstate_of

UTC_PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))
INDIA = datetime.timezone(datetime.timedelta(hours=-5, minutes=-30))

TEXT_CASES = [
    ("""SELECT 'abc'::"char"::text, pg_typeof('a'::"char")::text""", ("a", '"char"')),
    ("SELECT 'ab'::char, 'abc'::varchar(2), 'a'::char(3) || '|'", ("a", "ab", "a|")),
    ("SELECT typtype, typcategory FROM pg_type WHERE typname = 'int4'", ("b", "N")),
    ("SELECT typname FROM pg_type WHERE typtype = 'b' AND typname IN ('char', 'timetz') ORDER BY 1", ("char",)),
    ("SELECT CASE t.typtype WHEN 'b' THEN 'base' END, t.typtype = ANY (ARRAY['b', 'c']) FROM pg_type t WHERE typname = 'int4'", ("base", True)),
    ("SELECT '12:00:00.5-05:30'::timetz::text, '23:59:59.999999+14:59:59'::timetz::text", ("12:00:00.5-05:30", "23:59:59.999999+14:59:59")),
    ("SELECT '01:00+02'::timetz < '00:30+00'::timetz, '12:00+02'::timetz = '11:00+01'::timetz", (True, False)),
    ("SELECT '12:00+02'::timetz::time::text, '2024-01-01 12:00+02'::timestamptz::timetz::text", ("12:00:00", "10:00:00+00")),
    ("SELECT 0::regtype::text, 0::regclass::text", ("-", "-")),
]


@pytest.mark.parametrize(("sql", "expected"), TEXT_CASES)
def test_type_values(utc, sql, expected):
    assert utc.execute(sql).fetchone() == expected


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
