"""BEGIN / COMMIT / ROLLBACK and the failed-transaction state."""

import psycopg
import pytest
from psycopg import errors
from psycopg.pq import TransactionStatus


def test_begin_commit(conn):
    assert conn.info.transaction_status == TransactionStatus.IDLE
    assert conn.execute("BEGIN").statusmessage == "BEGIN"
    assert conn.info.transaction_status == TransactionStatus.INTRANS
    assert conn.execute("SELECT 1").fetchone() == (1,)
    assert conn.execute("COMMIT").statusmessage == "COMMIT"
    assert conn.info.transaction_status == TransactionStatus.IDLE


def test_begin_rollback(conn):
    conn.execute("BEGIN")
    assert conn.execute("ROLLBACK").statusmessage == "ROLLBACK"
    assert conn.info.transaction_status == TransactionStatus.IDLE


def test_start_transaction_and_end(conn):
    assert conn.execute("START TRANSACTION").statusmessage == "START TRANSACTION"
    assert conn.info.transaction_status == TransactionStatus.INTRANS
    assert conn.execute("END").statusmessage == "COMMIT"
    assert conn.info.transaction_status == TransactionStatus.IDLE


def test_error_in_transaction_blocks_until_rollback(conn):
    conn.execute("BEGIN")
    with pytest.raises(errors.DivisionByZero):
        conn.execute("SELECT 1/0")
    assert conn.info.transaction_status == TransactionStatus.INERROR
    for _ in range(2):
        with pytest.raises(errors.InFailedSqlTransaction) as failure:
            conn.execute("SELECT 1")
        assert failure.value.sqlstate == "25P02"
        assert conn.info.transaction_status == TransactionStatus.INERROR
    assert conn.execute("ROLLBACK").statusmessage == "ROLLBACK"
    assert conn.info.transaction_status == TransactionStatus.IDLE
    assert conn.execute("SELECT 2").fetchone() == (2,)


def test_commit_of_failed_transaction_rolls_back(conn):
    conn.execute("BEGIN")
    with pytest.raises(errors.SyntaxError):
        conn.execute("SELEC 1")
    assert conn.execute("COMMIT").statusmessage == "ROLLBACK"
    assert conn.info.transaction_status == TransactionStatus.IDLE


def test_failed_transaction_with_extended_protocol(conn):
    conn.execute("BEGIN")
    with pytest.raises(errors.DivisionByZero):
        conn.execute("SELECT %s::int / 0", [1])
    with pytest.raises(errors.InFailedSqlTransaction):
        conn.execute("SELECT %s::int", [1])
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT %s::int + 1", [1]).fetchone() == (2,)


def test_driver_managed_transaction(server):
    # Without autocommit psycopg opens the transaction itself before the first statement.
    with server.connect(autocommit=False) as connection:
        assert connection.execute("SELECT 5").fetchone() == (5,)
        assert connection.info.transaction_status == TransactionStatus.INTRANS
        connection.commit()
        assert connection.info.transaction_status == TransactionStatus.IDLE
        with pytest.raises(psycopg.errors.UndefinedFunction):
            connection.execute("SELECT no_such_function()")
        connection.rollback()
        assert connection.execute("SELECT 6").fetchone() == (6,)
        connection.rollback()
