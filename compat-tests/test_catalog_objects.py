"""Catalog object types and sizes: regnamespace and regrole print names, and pg_table_size with its
relatives report what tables take in storage (psql's `\\dt+` and `\\l+` sizes).

Each case runs against PostgreSQL 15 too; sizes differ between a heap and Iceberg files, so those
cases check relations that hold whatever the storage is, and Weir's figure is checked against the
table's own file list.
"""

import psycopg
import pytest

from conftest import sqlstate_of

SAME_ANSWER = [
    ("SELECT 'pg_catalog'::regnamespace::text, 11::regnamespace::text, 2200::oid::regnamespace::text",
     ("pg_catalog", "pg_catalog", "public")),
    ("SELECT 'tpch'::regnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'tpch')", (True,)),
    ("SELECT n.oid::regnamespace::text FROM pg_namespace n WHERE nspname = 'tpch'", ("tpch",)),
    ("SELECT 99999::regnamespace::text, 0::regnamespace::text, 0::regrole::text", ("99999", "-", "-")),
    ("SELECT current_user::regrole::text = current_user, current_user::regrole::oid = "
     "(SELECT oid FROM pg_roles WHERE rolname = current_user)", (True, True)),
    ("SELECT pg_typeof('public'::regnamespace)::text, pg_typeof(10::regrole)::text", ("regnamespace", "regrole")),
    ("SELECT 11::regnamespace::bigint, 2200::regnamespace::int8", (11, 2200)),
    ("SELECT pg_size_pretty(0::bigint), pg_size_pretty(10239::bigint), pg_size_pretty(10240::bigint)",
     ("0 bytes", "10239 bytes", "10 kB")),
    ("SELECT pg_size_pretty(123456789::bigint), pg_size_pretty(-123456789::bigint), pg_size_pretty(20971519::bigint)",
     ("118 MB", "-118 MB", "20 MB")),
    ("SELECT pg_size_pretty(1099511627776::bigint), pg_size_pretty(9223372036854775807::bigint), pg_size_pretty(NULL::bigint)",
     ("1024 GB", "8192 PB", None)),
    ("SELECT pg_table_size('tpch.orders') > 0, pg_total_relation_size('tpch.lineitem'::regclass) > 0",
     (True, True)),
    ("SELECT pg_table_size(0), pg_relation_size(NULL::regclass), pg_database_size(current_database()) > 0",
     (None, None, True)),
]


@pytest.mark.parametrize(("sql", "expected"), SAME_ANSWER)
def test_catalog_object_values(conn, sql, expected):
    assert conn.execute(sql).fetchone() == expected


def test_cast_column_names_follow_postgres(conn):
    cursor = conn.execute(
        "SELECT 2200::oid::regnamespace::text, 11::regnamespace::bigint, CASE WHEN true THEN 1 ELSE (SELECT 2 AS x) END, "
        "(SELECT 1)::text, n_name::text FROM tpch.nation LIMIT 1")
    assert [column.name for column in cursor.description] == ["text", "int8", "x", "?column?", "n_name"]


@pytest.mark.parametrize(("sql", "sqlstate"), [
    ("SELECT 'no_such_schema'::regnamespace", "3F000"),
    ("SELECT 'no_such_role'::regrole", "42704"),
    ("SELECT pg_table_size('tpch.no_such_table')", "42P01"),
    ("SELECT 'a.b'::regnamespace", "42602"),
])
def test_unknown_objects_are_errors(conn, sql, sqlstate):
    assert sqlstate_of(conn, sql) == sqlstate


def test_table_size_is_the_sum_of_its_files(server, conn):
    if server.name != "weir":
        pytest.skip("Iceberg file lists are Weir's")
    for table in ["orders", "lineitem", "nation"]:
        files, size, relation = conn.execute(
            f'SELECT (SELECT sum(file_size_in_bytes) FROM tpch."{table}$files"), '
            f"pg_table_size('tpch.{table}'), pg_relation_size('tpch.{table}')").fetchone()
        assert size == files == relation
    # The database is every table together.
    total, database = conn.execute(
        "SELECT sum(pg_table_size(c.oid)), pg_database_size(current_database()) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')").fetchone()
    assert total == database
