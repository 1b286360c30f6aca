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


# Meta-commands whose output must be the same on both servers: they describe the TPC-H tables both
# hold, so PostgreSQL's output is the expectation.
SAME_AS_POSTGRES = [
    r"\d tpch.nation",
    r"\d tpch.*",
    r"\d+ tpch.region",
    r"\dt tpch.*",
    r"\dt",
    r"\d",
    r"\dn",
    r"\dv",
    r"\df",
    r"\x \\ SELECT n_name, n_regionkey FROM tpch.nation WHERE n_nationkey < 3 ORDER BY 1",
]


@pytest.mark.parametrize("command", SAME_AS_POSTGRES)
def test_meta_command_output_matches_postgres(server, postgres_server, command):
    assert output(server, "-c", command) == output(postgres_server, "-c", command)


def test_list_databases_shows_the_warehouse(server):
    """\\l: the connected database with its owner, UTF8 encoding and libc locale provider."""
    rows = [line.split("|") for line in output(server, "-A", "-t", "-c", r"\l").splitlines()]
    lake = next(row for row in rows if row[0] == server.dbname)
    assert lake[1] == server.user
    assert lake[2] == "UTF8"
    assert lake[6] == "libc"


def test_list_roles_shows_the_user(server):
    rows = [line.split("|") for line in output(server, "-A", "-t", "-c", r"\du").splitlines()]
    assert [server.user, "", "{}"] in rows


def test_conninfo(server):
    assert output(server, "-c", r"\conninfo") == (
        f'You are connected to database "{server.dbname}" as user "{server.user}" on host "{server.host}" '
        f'at port "{server.port}".\n'
    )


def test_describe_tables_with_sizes(server, postgres_server):
    """\\dt+ adds persistence, access method and size: everything but the size matches PostgreSQL,
    and the size is the server's own pg_table_size, pretty-printed."""
    command = ("-A", "-t", "-c", r"\dt+ tpch.*")
    ours = [line.split("|") for line in output(server, *command).splitlines()]
    theirs = [line.split("|") for line in output(postgres_server, *command).splitlines()]
    assert [row[:6] + row[7:] for row in ours] == [row[:6] + row[7:] for row in theirs]
    sizes = output(server, "-A", "-t", "-c",
                   "SELECT c.relname, pg_size_pretty(pg_table_size(c.oid)) FROM pg_class c "
                   "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'tpch' ORDER BY 1").splitlines()
    assert [f"{row[1]}|{row[6]}" for row in ours] == sizes
    assert all(not size.endswith("|0 bytes") for size in sizes)


def test_list_databases_with_size(server):
    rows = [line.split("|") for line in output(server, "-A", "-t", "-c", r"\l+").splitlines()]
    lake = next(row for row in rows if row[0] == server.dbname)
    database_size = output(server, "-A", "-t", "-c", "SELECT pg_size_pretty(pg_database_size(current_database()))")
    assert lake[8] == database_size.strip()
