"""Errors carry the PostgreSQL SQLSTATE and leave the connection usable."""

import psycopg
import pytest
from psycopg.pq import TransactionStatus

CASES = [
    pytest.param("SELEC 1", "42601", id="syntax-error"),
    pytest.param("SELECT 1 +", "42601", id="syntax-error-at-end"),
    pytest.param("SELECT 1/0", "22012", id="division-by-zero"),
    pytest.param("SELECT 7 % 0", "22012", id="modulo-by-zero"),
    pytest.param("SELECT 1.5 / 0", "22012", id="numeric-division-by-zero"),
    pytest.param("SELECT no_such_function(1)", "42883", id="unknown-function"),
]


@pytest.mark.parametrize(("statement", "sqlstate"), CASES)
def test_error_sqlstate_and_recovery(conn, statement, sqlstate):
    with pytest.raises(psycopg.Error) as failure:
        conn.execute(statement)
    assert failure.value.sqlstate == sqlstate
    assert failure.value.diag.severity == "ERROR"
    assert failure.value.diag.message_primary
    assert conn.info.transaction_status == TransactionStatus.IDLE
    assert conn.execute("SELECT 2").fetchone() == (2,)


@pytest.mark.parametrize(("statement", "sqlstate"), CASES)
def test_error_with_extended_protocol(conn, statement, sqlstate):
    with pytest.raises(psycopg.Error) as failure:
        conn.execute(statement, prepare=False, binary=True)
    assert failure.value.sqlstate == sqlstate
    assert conn.execute("SELECT %s::int", [3]).fetchone() == (3,)


def test_syntax_error_position(conn):
    with pytest.raises(psycopg.errors.SyntaxError) as failure:
        conn.execute("SELECT 1 FROM FROM")
    assert failure.value.diag.statement_position == "15"


def test_error_classes(conn):
    with pytest.raises(psycopg.errors.SyntaxError):
        conn.execute("SELEC 1")
    with pytest.raises(psycopg.errors.DivisionByZero):
        conn.execute("SELECT 1/0")
    with pytest.raises(psycopg.errors.UndefinedFunction):
        conn.execute("SELECT no_such_function(1)")
    assert conn.execute("SELECT 'still alive'").fetchone() == ("still alive",)
