"""Composite values: ROW(...), field selection and information_schema._pg_expandarray, which
pgjdbc's key and index metadata queries use. Every expectation holds on PostgreSQL and on Weir."""

import pytest
from conftest import sqlstate_of


def test_row_comparisons(conn):
    row = conn.execute(
        "SELECT ROW(1, 2) = ROW(1, 2), (1, 2) <> (1, 3), (1, 2) < (1, 3), (2, 1) < (1, 9), (1, NULL) = (1, 2), "
        "(1, NULL) < (2, 0), (1, NULL) < (1, 5), (1, 2, 3) >= (1, 2, 3)"
    ).fetchone()
    assert row == (True, True, True, False, None, True, None, True)
    rows = conn.execute(
        "SELECT x FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) t(x, y) WHERE (x, y) IN ((1, 'a'), (3, 'c')) "
        "OR (x, y) NOT IN ((1, 'a'), (2, 'b')) ORDER BY 1"
    ).fetchall()
    assert rows == [(1,), (3,)]


def test_expandarray_rows_in_lockstep(conn):
    rows = conn.execute(
        "SELECT (information_schema._pg_expandarray(a)).x, (information_schema._pg_expandarray(a)).n "
        "FROM (SELECT ARRAY['p', 'q', 'r'] AS a) s"
    ).fetchall()
    assert rows == [("p", 1), ("q", 2), ("r", 3)]


def test_record_through_a_subquery(conn):
    """pgjdbc's getPrimaryKeys shape: the whole record leaves a subquery, its fields are read outside."""
    rows = conn.execute(
        "SELECT r.k::text, (r.k).x, (r.k).n FROM "
        "(SELECT information_schema._pg_expandarray(ARRAY[30, 40]::int2[]) AS k) r WHERE (r.k).n = 2"
    ).fetchall()
    assert rows == [("(40,2)", 40, 2)]


@pytest.mark.parametrize("binary", [False, True])
def test_record_columns_in_both_formats(conn, binary):
    cursor = conn.cursor(binary=binary)
    cursor.execute("SELECT ROW(1, 'two', NULL::int)")
    # An untyped literal keeps type unknown inside a row, which psycopg reads as bytes in binary.
    assert cursor.fetchone()[0] == ((1, b"two", None) if binary else ("1", "two", None))


@pytest.mark.parametrize(
    ("sql", "sqlstate"),
    [
        ("SELECT (1).x", "42809"),
        ("SELECT (ROW(1, 2)).z", "42703"),
        ("SELECT '(1,2)'::record", "0A000"),
        ("SELECT (1, 2) = (1, 2, 3)", "42601"),
        ("SELECT (1, 2) IN (1, 2)", "42883"),
    ],
)
def test_bad_record_use(conn, sql, sqlstate):
    assert sqlstate_of(conn, sql) == sqlstate
