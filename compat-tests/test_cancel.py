"""Cancelling a running query from another connection, and statement_timeout."""

import threading
import time

import psycopg
import pytest

LONG_QUERY = "SELECT x FROM generate_series(1, 2000000000) AS g(x) WHERE x = 0"


def test_cancel_request_stops_query(server):
    with server.connect() as conn:
        timer = threading.Timer(0.5, conn.cancel)
        timer.start()
        started = time.monotonic()
        with pytest.raises(psycopg.errors.QueryCanceled) as failure:
            conn.execute(LONG_QUERY)
        timer.join()
        assert failure.value.sqlstate == "57014"
        assert time.monotonic() - started < 10
        assert conn.execute("SELECT 'still usable'").fetchone() == ("still usable",)


def test_statement_timeout(server):
    with server.connect() as conn:
        conn.execute("SET statement_timeout = '300ms'")
        with pytest.raises(psycopg.errors.QueryCanceled) as failure:
            conn.execute(LONG_QUERY)
        assert failure.value.sqlstate == "57014"
        assert "statement timeout" in str(failure.value)
        conn.execute("RESET statement_timeout")
        assert conn.execute("SELECT 1").fetchone() == (1,)
