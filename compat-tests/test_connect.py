"""Connecting: SCRAM-SHA-256 authentication, SSL negotiation, session parameters."""

import asyncio

import asyncpg
import psycopg
import pytest


def test_select_one(conn):
    assert conn.execute("SELECT 1").fetchone() == (1,)


def test_scram_login_reports_user_and_database(conn):
    assert conn.info.user == "demo"
    assert conn.info.dbname == "lake"
    assert conn.execute("SELECT current_user, current_database()").fetchone() == ("demo", "lake")


@pytest.mark.parametrize("sslmode", ["disable", "prefer", "allow"])
def test_ssl_negotiation_falls_back_to_plain(server, sslmode):
    # prefer sends SSLRequest first; the server answers 'N' and the login continues in plain text.
    with psycopg.connect(server.dsn_with(sslmode=sslmode), connect_timeout=10) as connection:
        assert connection.execute("SELECT 2").fetchone() == (2,)
        assert connection.pgconn.ssl_in_use is False


def test_sslmode_require_is_refused(server):
    with pytest.raises(psycopg.OperationalError, match="(?i)server does not support SSL"):
        psycopg.connect(server.dsn_with(sslmode="require"), connect_timeout=10)


def test_parameter_status_sent_at_startup(conn):
    # Drivers read these from ParameterStatus messages rather than querying.
    info = conn.info
    assert info.parameter_status("server_version").startswith("15")
    assert info.parameter_status("server_encoding") == "UTF8"
    assert info.parameter_status("client_encoding") == "UTF8"
    assert info.parameter_status("DateStyle") == "ISO, MDY"
    assert info.parameter_status("integer_datetimes") == "on"
    assert info.parameter_status("standard_conforming_strings") == "on"
    assert info.server_version // 10000 == 15
    assert info.backend_pid > 0


def test_wrong_password_is_28P01(server):
    async def attempt():
        await asyncpg.connect(
            host=server.host, port=server.port, user=server.user, database=server.dbname,
            password="not-the-password", timeout=10,
        )

    with pytest.raises(asyncpg.InvalidPasswordError) as failure:
        asyncio.run(attempt())
    assert failure.value.sqlstate == "28P01"


def test_wrong_password_psycopg(server):
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(server.dsn_with(password="not-the-password"), connect_timeout=10)


def test_connection_after_failed_login_still_works(server):
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(server.dsn_with(password="wrong"), connect_timeout=10)
    with server.connect() as connection:
        assert connection.execute("SELECT 3").fetchone() == (3,)
