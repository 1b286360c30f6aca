"""psycopg2: client-side interpolation, so every statement is a simple Query."""

import datetime
from decimal import Decimal

import psycopg2
import psycopg2.errors
import pytest


@pytest.fixture
def connection(server):
    connection = psycopg2.connect(server.dsn, connect_timeout=10)
    yield connection
    connection.close()


def test_interpolated_query(connection):
    with connection.cursor() as cur:
        cur.execute("SELECT %s + 1, %s || 'b', %s", (41, "a", None))
        assert cur.fetchone() == (42, "ab", None)
        assert [d.name for d in cur.description] == ["?column?", "?column?", "?column?"]
    connection.commit()


def test_value_types(connection):
    with connection.cursor() as cur:
        cur.execute("SELECT 1.5::numeric, 2.5::float8, true, NULL, '2024-02-29'::date, 3000000000, 'it''s'")
        assert cur.fetchone() == (Decimal("1.5"), 2.5, True, None, datetime.date(2024, 2, 29), 3000000000, "it's")
    connection.rollback()


def test_rows_and_rowcount(connection):
    with connection.cursor() as cur:
        cur.execute("SELECT x, x * x FROM generate_series(1, %s) AS g(x)", (100,))
        assert cur.rowcount == 100
        rows = cur.fetchall()
    assert rows[9] == (10, 100)
    assert sum(square for _, square in rows) == 338350
    connection.commit()


def test_implicit_transaction_and_error(connection):
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
        assert connection.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_INTRANS
        with pytest.raises(psycopg2.errors.DivisionByZero):
            cur.execute("SELECT 1/0")
        with pytest.raises(psycopg2.errors.InFailedSqlTransaction):
            cur.execute("SELECT 1")
    connection.rollback()
    with connection.cursor() as cur:
        cur.execute("SELECT 'ok'")
        assert cur.fetchone() == ("ok",)


def test_autocommit_and_server_version(connection):
    connection.autocommit = True
    assert connection.server_version // 10000 == 15
    with connection.cursor() as cur:
        cur.execute("SELECT current_user, current_database()")
        assert cur.fetchone() == ("demo", "lake")
    assert connection.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_IDLE
