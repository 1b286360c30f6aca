"""psql, the client people type into: unaligned, tuples-only output."""

import os
import subprocess

import pytest

from conftest import pg_tool


def psql(server, *arguments, password=None):
    dsn = server.dsn_without_password()
    environment = dict(os.environ, PGPASSWORD=password or server.password, PGCONNECT_TIMEOUT="10")
    return subprocess.run(
        [pg_tool("psql"), "-X", "-v", "ON_ERROR_STOP=1", "-d", dsn, *arguments],
        env=environment, capture_output=True, text=True, timeout=60,
    )


def output(server, *arguments):
    result = psql(server, *arguments)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_select_one(server):
    assert output(server, "-A", "-t", "-c", "SELECT 1") == "1\n"


def test_columns_are_separated_by_bar(server):
    assert output(server, "-A", "-t", "-c", "SELECT 'a' AS x, 2 AS y, NULL AS z, 1.5::float8") == "a|2||1.5\n"


def test_header_and_footer(server):
    assert output(server, "-A", "-c", "SELECT 1 AS one, 'two' AS two") == "one|two\n1|two\n(1 row)\n"


def test_rows(server):
    assert output(server, "-A", "-t", "-c", "SELECT x FROM generate_series(1, 5) AS g(x)") == "1\n2\n3\n4\n5\n"


def test_multiple_statements_in_one_query(server):
    # psql 15 sends this as one simple Query and prints every result.
    assert output(server, "-A", "-t", "-c", "SELECT 1; SELECT 'two'") == "1\ntwo\n"


def test_several_commands_and_set_show(server):
    out = output(server, "-A", "-t", "-c", "SET application_name = 'from-psql'", "-c", "SHOW application_name")
    assert out == "SET\nfrom-psql\n"  # psql prints the command tag of a statement without rows


def test_error_reports_sqlstate(server):
    result = psql(server, "-A", "-t", "-v", "VERBOSITY=verbose", "-c", "SELECT 1/0")
    assert result.returncode == 1
    assert "ERROR:  22012:" in result.stderr


def test_wrong_password(server):
    result = psql(server, "-A", "-t", "-c", "SELECT 1", password="wrong")
    assert result.returncode == 2
    assert "password authentication failed" in result.stderr


def test_describe_tables(server):
    """psql's \\dt joins pg_class, pg_namespace and pg_am and calls catalog functions."""
    expected = "".join(
        f"tpch|{name}|table|demo\n"
        for name in ["customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"]
    )
    assert output(server, "-A", "-t", "-c", r"\dt tpch.*") == expected


def test_list_schemas_includes_tpch(server):
    schemas = output(server, "-A", "-t", "-c", r"\dn").splitlines()
    assert "tpch|demo" in schemas
