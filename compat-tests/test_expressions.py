"""Literal expressions: types, arithmetic, comparison, concatenation and casts."""

import datetime
from decimal import Decimal

import pytest

INT4, INT8, FLOAT8, NUMERIC, TEXT, BOOL, DATE, TIMESTAMP = 23, 20, 701, 1700, 25, 16, 1082, 1114


def types_of(cursor):
    return [column.type_code for column in cursor.description]


def test_literal_types(conn):
    cur = conn.execute("SELECT 1, 3000000000, 1.5, 1.5::float8, 'a'::text, 'b', true, NULL")
    assert types_of(cur) == [INT4, INT8, NUMERIC, FLOAT8, TEXT, TEXT, BOOL, TEXT]
    assert cur.fetchone() == (1, 3000000000, Decimal("1.5"), 1.5, "a", "b", True, None)


def test_column_names(conn):
    cur = conn.execute("SELECT 1 AS one, 2 + 2, 'x' AS \"Mixed Case\", 1.5::float8")
    assert [column.name for column in cur.description] == ["one", "?column?", "Mixed Case", "float8"]


def test_integer_arithmetic(conn):
    cur = conn.execute("SELECT 2 + 3 * 4, (2 + 3) * 4, 7 / 2, -7 / 2, 7 % 3, -7 % 3, 10 - 15, -(5)")
    assert types_of(cur) == [INT4] * 8
    assert cur.fetchone() == (14, 20, 3, -3, 1, -1, -5, -5)


def test_mixed_width_arithmetic(conn):
    cur = conn.execute("SELECT 3000000000 * 2, 2147483647 + 1::int8, 1 + 1.5, 1 + 1.5::float8, 7.0 / 2")
    assert types_of(cur) == [INT8, INT8, NUMERIC, FLOAT8, NUMERIC]
    row = cur.fetchone()
    assert row[:4] == (6000000000, 2147483648, Decimal("2.5"), 2.5)
    assert str(row[4]) == "3.5000000000000000"


def test_float8_arithmetic_and_text_form(conn):
    cur = conn.execute(
        "SELECT 1.5::float8 * 2, 1::float8 / 4, (0.1::float8 + 0.2::float8)::text, "
        "1e20::float8::text, 2.5::float8::text"
    )
    assert cur.fetchone() == (3.0, 0.25, "0.30000000000000004", "1e+20", "2.5")


def test_numeric_arithmetic_keeps_scale(conn):
    row = conn.execute("SELECT 1.10 + 2.205, 1.5 * 1.5, 10.00 - 0.5").fetchone()
    assert [str(value) for value in row] == ["3.305", "2.25", "9.50"]


def test_comparison(conn):
    row = conn.execute(
        "SELECT 1 < 2, 2 <= 1, 1 = 1.0, 2 > 1.5::float8, 1 <> 1, 3000000000 > 1, 'abc' < 'abd', 'a' = 'a', true > false"
    ).fetchone()
    assert row == (True, False, True, True, False, True, True, True, True)


def test_null_semantics(conn):
    row = conn.execute("SELECT NULL = NULL, 1 + NULL, NULL IS NULL, 1 IS NOT NULL, 1 < NULL").fetchone()
    assert row == (None, None, True, True, None)


def test_boolean_logic(conn):
    row = conn.execute(
        "SELECT true AND false, true OR false, NOT true, true AND NULL, false AND NULL, true OR NULL"
    ).fetchone()
    assert row == (False, True, False, None, False, True)


def test_concatenation(conn):
    cur = conn.execute("SELECT 'abc' || 'def', 'n=' || 42, 'a' || 'b' || 'c', 'x' || NULL, 1.5::float8 || '!'")
    assert types_of(cur) == [TEXT] * 5
    assert cur.fetchone() == ("abcdef", "n=42", "abc", None, "1.5!")


def test_casts_to_int(conn):
    cur = conn.execute(
        "SELECT '42'::int, CAST('7' AS integer) + 1, 3.7::int, 2.5::int, "
        "2.5::float8::int, 3.5::float8::int, true::int, '-12'::int8"
    )
    assert types_of(cur) == [INT4] * 7 + [INT8]
    # numeric rounds half away from zero, float8 rounds half to even
    assert cur.fetchone() == (42, 8, 4, 3, 2, 4, 1, -12)


def test_casts_to_text(conn):
    row = conn.execute(
        "SELECT 42::text, CAST(3000000000 AS text), 1.50::text, true::text, false::text, "
        "'2024-02-29'::date::text, '2024-01-02 03:04:05'::timestamp::text"
    ).fetchone()
    assert row == ("42", "3000000000", "1.50", "true", "false", "2024-02-29", "2024-01-02 03:04:05")


def test_casts_to_float8_and_bool(conn):
    cur = conn.execute(
        "SELECT '2.5'::float8, 42::float8, CAST(1.25 AS double precision), "
        "'true'::bool, 'f'::boolean, 1::bool, 0::bool, CAST('yes' AS boolean)"
    )
    assert types_of(cur) == [FLOAT8] * 3 + [BOOL] * 5
    assert cur.fetchone() == (2.5, 42.0, 1.25, True, False, True, False, True)


def test_casts_to_date_and_timestamp(conn):
    cur = conn.execute(
        "SELECT '2024-02-29'::date, CAST('2024-01-02 03:04:05' AS timestamp), "
        "'2024-01-02 03:04:05.25'::timestamp, '2024-01-02 23:59:59'::timestamp::date, '2024-03-01'::date::timestamp"
    )
    assert types_of(cur) == [DATE, TIMESTAMP, TIMESTAMP, DATE, TIMESTAMP]
    assert cur.fetchone() == (
        datetime.date(2024, 2, 29),
        datetime.datetime(2024, 1, 2, 3, 4, 5),
        datetime.datetime(2024, 1, 2, 3, 4, 5, 250000),
        datetime.date(2024, 1, 2),
        datetime.datetime(2024, 3, 1, 0, 0),
    )


def test_expressions_in_binary_results(conn):
    cur = conn.cursor(binary=True)
    cur.execute("SELECT 2 + 3, 3000000000 * 2, 1.5::float8 * 3, 'a' || 'b', 1 < 2, NULL::int")
    assert types_of(cur) == [INT4, INT8, FLOAT8, TEXT, BOOL, INT4]
    assert cur.fetchone() == (5, 6000000000, 4.5, "ab", True, None)


def test_numeric_date_timestamp_in_binary_results(conn):
    cur = conn.cursor(binary=True)
    cur.execute(
        "SELECT 1.25 + 1, -0.001, 12345678901234567890.5, '2024-02-29'::date, '2024-01-02 03:04:05.25'::timestamp"
    )
    assert cur.fetchone() == (
        Decimal("2.25"),
        Decimal("-0.001"),
        Decimal("12345678901234567890.5"),
        datetime.date(2024, 2, 29),
        datetime.datetime(2024, 1, 2, 3, 4, 5, 250000),
    )


def test_bitwise_operators(conn):
    cur = conn.execute(
        "SELECT 12 & 10, 12 | 3, 12 # 10, ~5, 1 << 4, -16 >> 2, 5::int2 & 3::int2, 5::int8 << 40, 1 << 33, '7' & 3"
    )
    assert cur.fetchone() == (8, 15, 6, -6, 16, -4, 1, 5497558138880, 2, 3)
    assert types_of(cur)[6:8] == [21, INT8]  # smallint, bigint
