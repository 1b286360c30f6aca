"""Date/time functions and operators: extract, date_trunc, arithmetic, make_*, age, to_char, AT TIME ZONE.

Every expected value is what PostgreSQL 15 returns (the same cases run against it); the
`utc` fixture pins the session time zone so timestamptz results do not depend on the server's default.
"""

import datetime
from decimal import Decimal

import pytest


DATETIME_CASES = [
    ("extract(year from date '2024-03-15')", Decimal('2024')),
    ("extract(month from timestamp '2024-03-15 10:20:30.5')", Decimal('3')),
    ("extract(day from timestamp '2024-03-15 10:20:30.5')", Decimal('15')),
    ("extract(hour from timestamp '2024-03-15 10:20:30.5')", Decimal('10')),
    ("extract(minute from timestamp '2024-03-15 10:20:30.5')", Decimal('20')),
    ("extract(second from timestamp '2024-03-15 10:20:30.5')", Decimal('30.500000')),
    ("extract(milliseconds from timestamp '2024-03-15 10:20:30.5')", Decimal('30500.000')),
    ("extract(microseconds from timestamp '2024-03-15 10:20:30.5')", Decimal('30500000')),
    ("extract(epoch from timestamp '2024-03-15 10:20:30.5')", Decimal('1710498030.500000')),
    ("extract(epoch from date '2024-03-15')", Decimal('1710460800')),
    ("extract(epoch from timestamptz '2024-03-15 10:20:30+02')", Decimal('1710490830.000000')),
    ("extract(dow from date '2024-03-17')", Decimal('0')),
    ("extract(isodow from date '2024-03-17')", Decimal('7')),
    ("extract(doy from date '2024-03-15')", Decimal('75')),
    ("extract(week from date '2024-12-30')", Decimal('1')),
    ("extract(isoyear from date '2024-12-30')", Decimal('2025')),
    ("extract(quarter from date '2024-08-01')", Decimal('3')),
    ("extract(decade from date '2024-08-01')", Decimal('202')),
    ("extract(century from date '2024-08-01')", Decimal('21')),
    ("extract(millennium from date '2024-08-01')", Decimal('3')),
    ("extract(julian from date '2024-01-01')", Decimal('2460311')),
    ("extract(hour from time '13:45:10')", Decimal('13')),
    ("extract(epoch from interval '1 day 2 hours')", Decimal('93600.000000')),
    ("extract(year from interval '2 years 3 months')", Decimal('2')),
    ("extract(month from interval '2 years 3 months')", Decimal('3')),
    ("extract(hour from interval '26 hours')", Decimal('26')),
    ("extract(timezone from timestamptz '2024-01-01 00:00+00')", Decimal('0')),
    ("date_part('year', date '2024-03-15')", 2024.0),
    ("date_part('hour', date '2024-03-15')", 0.0),
    ("date_part('second', timestamp '2024-03-15 10:20:30.5')", 30.5),
    ("date_part('epoch', timestamp '2024-03-15 10:20:30.5')", 1710498030.5),
    ("date_trunc('month', timestamp '2024-03-15 10:20:30')", datetime.datetime(2024, 3, 1, 0, 0)),
    ("date_trunc('week', timestamp '2024-03-15 10:20:30')", datetime.datetime(2024, 3, 11, 0, 0)),
    ("date_trunc('quarter', timestamp '2024-08-15 10:20:30')", datetime.datetime(2024, 7, 1, 0, 0)),
    ("date_trunc('year', timestamp '2024-08-15 10:20:30')", datetime.datetime(2024, 1, 1, 0, 0)),
    ("date_trunc('hour', timestamp '2024-08-15 10:20:30')", datetime.datetime(2024, 8, 15, 10, 0)),
    ("date_trunc('minute', timestamp '2024-08-15 10:20:30.7')", datetime.datetime(2024, 8, 15, 10, 20)),
    ("date_trunc('decade', timestamp '2024-08-15')", datetime.datetime(2020, 1, 1, 0, 0)),
    ("date_trunc('century', timestamp '2024-08-15')", datetime.datetime(2001, 1, 1, 0, 0)),
    ("date_trunc('day', timestamptz '2024-08-15 23:30+00')", datetime.datetime(2024, 8, 15, 0, 0, tzinfo=datetime.timezone.utc)),
    ("date_trunc('day', timestamptz '2024-08-15 23:30+00', 'Asia/Tokyo')", datetime.datetime(2024, 8, 15, 15, 0, tzinfo=datetime.timezone.utc)),
    ("date_trunc('month', date '2024-02-15')", datetime.datetime(2024, 2, 1, 0, 0, tzinfo=datetime.timezone.utc)),
    ("date '2024-01-31' + 1", datetime.date(2024, 2, 1)),
    ("1 + date '2024-01-31'", datetime.date(2024, 2, 1)),
    ("date '2024-03-01' - 1", datetime.date(2024, 2, 29)),
    ("date '2024-03-01' - date '2024-01-01'", 60),
    ("date '2024-01-31' + interval '1 month'", datetime.datetime(2024, 2, 29, 0, 0)),
    ("date '2024-03-31' - interval '1 month'", datetime.datetime(2024, 2, 29, 0, 0)),
    ("timestamp '2024-01-31 10:00' + interval '1 month'", datetime.datetime(2024, 2, 29, 10, 0)),
    ("timestamp '2023-01-31 10:00' + interval '1 month 1 day 1 hour'", datetime.datetime(2023, 3, 1, 11, 0)),
    ("timestamp '2024-02-29' + interval '1 year'", datetime.datetime(2025, 2, 28, 0, 0)),
    ("timestamp '2024-03-01' - interval '1 day'", datetime.datetime(2024, 2, 29, 0, 0)),
    ("interval '2 hours' + timestamp '2024-01-01'", datetime.datetime(2024, 1, 1, 2, 0)),
    ("timestamptz '2024-01-31 10:00+00' + interval '1 month'", datetime.datetime(2024, 2, 29, 10, 0, tzinfo=datetime.timezone.utc)),
    ("timestamp '2024-03-01' - timestamp '2024-01-01 01:00'", datetime.timedelta(days=59, seconds=82800)),
    ("timestamp '2024-01-01' - timestamp '2024-03-01 01:00'", datetime.timedelta(days=-61, seconds=82800)),
    ("timestamptz '2024-03-01 00:00+00' - timestamptz '2024-02-28 12:00+00'", datetime.timedelta(days=1, seconds=43200)),
    ("interval '1 day' + interval '2 hours'", datetime.timedelta(days=1, seconds=7200)),
    ("interval '1 day' - interval '2 hours'", datetime.timedelta(seconds=79200)),
    ("interval '1 day 2 hours' * 2.5", datetime.timedelta(days=2, seconds=61200)),
    ("2 * interval '1 month'", datetime.timedelta(days=60)),
    ("interval '1 month' * 1.5", datetime.timedelta(days=45)),
    ("interval '3 days' / 2", datetime.timedelta(days=1, seconds=43200)),
    ("interval '1 hour' / 3", datetime.timedelta(seconds=1200)),
    ('make_date(2024, 2, 29)', datetime.date(2024, 2, 29)),
    ('make_timestamp(2024, 2, 29, 13, 45, 30.5)', datetime.datetime(2024, 2, 29, 13, 45, 30, 500000)),
    ('make_interval(1, 2, 1, 3, 4, 5, 6.5)', datetime.timedelta(days=435, seconds=14706, microseconds=500000)),
    ('make_interval(0, 0, 0, 10)', datetime.timedelta(days=10)),
    ("justify_days(interval '65 days')", datetime.timedelta(days=65)),
    ("justify_hours(interval '50 hours')", datetime.timedelta(days=2, seconds=7200)),
    ("justify_interval(interval '1 month -1 hour')", datetime.timedelta(days=29, seconds=82800)),
    ("age(timestamp '2024-03-01', timestamp '2023-01-31 12:00')", datetime.timedelta(days=395, seconds=43200)),
    ("age(timestamp '2023-01-31', timestamp '2024-03-01 12:00')", datetime.timedelta(days=-397, seconds=43200)),
    ("age(date '2024-03-15', date '2020-02-29')", datetime.timedelta(days=1475)),
    ("timestamp '2024-01-01 12:00' AT TIME ZONE 'Europe/Paris'", datetime.datetime(2024, 1, 1, 11, 0, tzinfo=datetime.timezone.utc)),
    ("timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'Europe/Paris'", datetime.datetime(2024, 7, 1, 14, 0)),
    ("timestamptz '2024-07-01 12:00+00' AT TIME ZONE 'UTC'", datetime.datetime(2024, 7, 1, 12, 0)),
    ("timezone('America/New_York', timestamp '2024-01-01 12:00')", datetime.datetime(2024, 1, 1, 17, 0, tzinfo=datetime.timezone.utc)),
    ("to_char(timestamp '2024-03-05 14:07:09.123456', 'YYYY-MM-DD HH24:MI:SS')", '2024-03-05 14:07:09'),
    ("to_char(timestamp '2024-03-05 14:07:09.123456', 'YYYY-MM-DD HH12:MI:SS AM')", '2024-03-05 02:07:09 PM'),
    ("to_char(timestamp '2024-03-05 14:07:09.123456', 'MS US')", '123 123456'),
    ("to_char(timestamp '2024-03-05 14:07:09', 'Mon Month Day Dy')", 'Mar March     Tuesday   Tue'),
    ("to_char(timestamp '2024-03-05 14:07:09', 'MON MONTH DAY DY mon month day dy')", 'MAR MARCH     TUESDAY   TUE mar march     tuesday   tue'),
    ("to_char(timestamp '2024-03-05 14:07:09', 'FMMonth FMDay FMDD FMHH12 pm')", 'March Tuesday 5 2 pm'),
    ("to_char(timestamp '2024-03-05 14:07:09', 'Q WW IW DDD D ID J')", '1 10 10 065 3 2 2460375'),
    ("to_char(timestamp '2024-03-05 04:07:09', 'HH HH12 a.m. P.M.')", '04 04 a.m. A.M.'),
    ('to_char(timestamp \'2024-03-05 14:07:09\', \'"Year" YYYY, "day" DD\')', 'Year 2024, day 05'),
    ("to_char(timestamptz '2024-03-05 14:07:09+00', 'YYYY-MM-DD HH24:MI TZ')", '2024-03-05 14:07 UTC'),
    ("to_char(date '2024-03-05', 'DD/MM/YYYY')", '05/03/2024'),
    ("to_char(timestamp '2024-03-05 00:07:09', 'HH12 AM YY YYY Y IYYY SSSS')", '12 AM 24 024 4 2024 429'),
    ("to_date('2024-03-05', 'YYYY-MM-DD')", datetime.date(2024, 3, 5)),
    ("to_date('05 Mar 2024', 'DD Mon YYYY')", datetime.date(2024, 3, 5)),
    ("to_date('20240305', 'YYYYMMDD')", datetime.date(2024, 3, 5)),
    ("to_date('March 5, 2024', 'Month DD, YYYY')", datetime.date(2024, 3, 5)),
    ("to_timestamp('2024-03-05 14:07:09', 'YYYY-MM-DD HH24:MI:SS')", datetime.datetime(2024, 3, 5, 14, 7, 9, tzinfo=datetime.timezone.utc)),
    ("to_timestamp('2024-03-05 02:07:09 PM', 'YYYY-MM-DD HH12:MI:SS AM')", datetime.datetime(2024, 3, 5, 14, 7, 9, tzinfo=datetime.timezone.utc)),
    ("to_timestamp('2024-03-05 14:07:09.25', 'YYYY-MM-DD HH24:MI:SS.MS')", datetime.datetime(2024, 3, 5, 14, 7, 9, 250000, tzinfo=datetime.timezone.utc)),
    ('to_timestamp(0)', datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)),
    ('to_timestamp(1709647629.5)', datetime.datetime(2024, 3, 5, 14, 7, 9, 500000, tzinfo=datetime.timezone.utc)),
    ('pg_typeof(now())', 'timestamp with time zone'),
    ('pg_typeof(current_date)', 'date'),
    ('pg_typeof(clock_timestamp())', 'timestamp with time zone'),
    ('now() = current_timestamp', True),
    ('now() = transaction_timestamp()', True),
    ('now() = statement_timestamp()', True),
    ('clock_timestamp() >= now()', True),
    ("pg_typeof(extract(year from date '2024-01-01'))", 'numeric'),
    ("pg_typeof(date_part('year', date '2024-01-01'))", 'double precision'),
    ("pg_typeof(date '2024-01-01' + interval '1 day')", 'timestamp without time zone'),
    ("pg_typeof(date '2024-01-01' - date '2023-01-01')", 'integer'),
]


@pytest.mark.parametrize(("expression", "expected"), DATETIME_CASES)
def test_datetime_value(utc, expression, expected):
    assert utc.execute("SELECT " + expression).fetchone()[0] == expected


def test_interval_text_keeps_months_and_days(utc):
    row = utc.execute(
        "SELECT (interval '1 month' * 1.5)::text, justify_days(interval '65 days')::text, "
        "age(timestamp '2024-03-01', timestamp '2023-01-31 12:00')::text, "
        "(timestamp '2024-01-01' - timestamp '2024-03-01 01:00')::text, make_interval(1, 2, 1, 3, 4, 5, 6.5)::text, "
        "justify_interval(interval '1 month -1 hour')::text"
    ).fetchone()
    assert row == (
        "1 mon 15 days", "2 mons 5 days", "1 year 1 mon 12:00:00", "-60 days -01:00:00",
        "1 year 2 mons 10 days 04:05:06.5", "29 days 23:00:00",
    )


def test_timestamptz_arithmetic_follows_the_session_zone(conn):
    conn.execute("SET TimeZone = 'Europe/Paris'")
    row = conn.execute(
        "SELECT (timestamptz '2024-03-30 12:00+01' + interval '1 day')::text, "
        "(timestamptz '2024-03-30 12:00+01' + interval '24 hours')::text, "
        "date_trunc('day', timestamptz '2024-03-31 12:00+02')::text, "
        "extract(hour from timestamptz '2024-07-01 12:00+00'), extract(timezone from timestamptz '2024-07-01 12:00+00'), "
        "(timestamp '2024-07-01 12:00' AT TIME ZONE 'UTC')::text, "
        "to_timestamp('2024-07-01 12:00', 'YYYY-MM-DD HH24:MI')::text"
    ).fetchone()
    assert row == (
        "2024-03-31 12:00:00+02", "2024-03-31 13:00:00+02", "2024-03-31 00:00:00+01", Decimal("14"), Decimal("7200"),
        "2024-07-01 14:00:00+02", "2024-07-01 12:00:00+02",
    )


@pytest.mark.weir_gap("time zone abbreviations other than UTC (TZ in to_char) need the tz database's abbreviations")
def test_to_char_zone_abbreviation(conn):
    conn.execute("SET TimeZone = 'Europe/Paris'")
    assert conn.execute("SELECT to_char(timestamptz '2024-07-01 12:00+00', 'HH24:MI TZ')").fetchone()[0] == "14:00 CEST"


@pytest.mark.weir_gap("to_char for interval is not implemented yet")
def test_to_char_interval(conn):
    assert conn.execute("SELECT to_char(interval '1 day 02:03:04', 'HH24:MI')").fetchone()[0] == "02:03"
