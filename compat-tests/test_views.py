"""CREATE VIEW, CREATE OR REPLACE VIEW and DROP VIEW over the TPC-H tables, checked against
PostgreSQL: the rows a view returns, how clients discover it, and the errors PostgreSQL gives.
On Weir a view is an Iceberg view in the SQL catalog, so the last test also reads the catalog row
and metadata file Weir wrote."""

import json
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest

from conftest import pg_tool, sqlstate_of


@pytest.fixture
def view_name(conn):
    """A fresh view name in schema tpch, dropped after the test whatever it did."""
    name = f"v_{uuid.uuid4().hex[:10]}"
    yield name
    conn.execute(f"DROP VIEW IF EXISTS tpch.{name}")


def test_view_returns_its_query_rows_under_its_column_names(conn, view_name):
    conn.execute(
        f"CREATE VIEW tpch.{view_name} (key, nation) AS "
        "SELECT n_nationkey, n_name FROM tpch.nation WHERE n_regionkey = 1 -- the Americas\n"
    )
    cursor = conn.execute(f"SELECT * FROM tpch.{view_name} ORDER BY key")
    assert [column.name for column in cursor.description] == ["key", "nation"]
    assert cursor.fetchall() == [(1, "ARGENTINA"), (2, "BRAZIL"), (3, "CANADA"), (17, "PERU"), (24, "UNITED STATES")]
    # Views join, filter and aggregate like tables, and take aliases.
    rows = conn.execute(
        f"SELECT v.nation, count(*) FROM tpch.{view_name} AS v JOIN tpch.customer c ON c.c_nationkey = v.key "
        "WHERE v.key < 3 GROUP BY v.nation ORDER BY 1"
    ).fetchall()
    expected = conn.execute(
        "SELECT n_name, count(*) FROM tpch.nation JOIN tpch.customer ON c_nationkey = n_nationkey "
        "WHERE n_regionkey = 1 AND n_nationkey < 3 GROUP BY n_name ORDER BY 1"
    ).fetchall()
    assert rows == expected


def test_view_names_resolve_where_it_was_created(conn, view_name):
    conn.execute("SET search_path = tpch")
    conn.execute(f"CREATE VIEW {view_name} AS SELECT r_name FROM region WHERE r_regionkey = 0")
    conn.execute("SET search_path = public")
    assert conn.execute(f"SELECT * FROM tpch.{view_name}").fetchall() == [("AFRICA",)]


def test_views_of_views_and_replacement(conn, view_name):
    inner = view_name + "_inner"
    try:
        conn.execute(f"CREATE VIEW tpch.{inner} AS SELECT n_nationkey AS id, n_name AS name FROM tpch.nation")
        conn.execute(f"CREATE VIEW tpch.{view_name} AS SELECT name FROM tpch.{inner} WHERE id = 7")
        assert conn.execute(f"SELECT * FROM tpch.{view_name}").fetchall() == [("GERMANY",)]
        conn.execute(f"CREATE OR REPLACE VIEW tpch.{view_name} AS SELECT name, id FROM tpch.{inner} WHERE id = 8")
        assert conn.execute(f"SELECT * FROM tpch.{view_name}").fetchall() == [("INDIA", 8)]
        # The old columns must stay as they were; new ones may follow.
        assert sqlstate_of(conn, f"CREATE OR REPLACE VIEW tpch.{view_name} AS SELECT name FROM tpch.{inner}") == "42P16"
        assert sqlstate_of(conn, f"CREATE OR REPLACE VIEW tpch.{view_name} AS SELECT id, name FROM tpch.{inner}") == "42P16"
        assert sqlstate_of(conn, f"CREATE OR REPLACE VIEW tpch.{view_name} AS SELECT name, id::text FROM tpch.{inner}") == "42P16"
    finally:
        conn.execute(f"DROP VIEW IF EXISTS tpch.{view_name}")
        conn.execute(f"DROP VIEW IF EXISTS tpch.{inner}")


def test_catalogs_describe_views(conn, view_name):
    conn.execute(f"CREATE VIEW tpch.{view_name} AS SELECT r_regionkey AS id, r_name AS name FROM tpch.region")
    assert conn.execute(f"SELECT relkind FROM pg_class WHERE relname = '{view_name}'").fetchall() == [("v",)]
    assert conn.execute(
        f"SELECT table_type FROM information_schema.tables WHERE table_schema = 'tpch' AND table_name = '{view_name}'"
    ).fetchall() == [("VIEW",)]
    assert conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        f"WHERE table_name = '{view_name}' ORDER BY ordinal_position"
    ).fetchall() == [("id", "bigint"), ("name", "text")]
    assert conn.execute(f"SELECT viewname FROM pg_views WHERE schemaname = 'tpch' AND viewname = '{view_name}'").fetchall() == [
        (view_name,)
    ]
    definition = conn.execute(f"SELECT pg_get_viewdef('tpch.{view_name}'::regclass)").fetchone()[0]
    assert "r_regionkey" in definition and "region" in definition


def test_psql_lists_and_describes_views(server, conn, view_name):
    conn.execute(f"CREATE VIEW tpch.{view_name} AS SELECT r_regionkey AS id FROM tpch.region")
    env = dict(os.environ, PGPASSWORD=server.password)
    listing = subprocess.run(
        [pg_tool("psql"), server.dsn_without_password(), "-XAt", "-c", r"\dv tpch.*"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert f"tpch|{view_name}|view|" in listing
    description = subprocess.run(
        [pg_tool("psql"), server.dsn_without_password(), "-X", "-c", rf"\d tpch.{view_name}"],
        capture_output=True, text=True, env=env, check=True,
    ).stdout
    assert f'View "tpch.{view_name}"' in description and "bigint" in description


def test_errors_match_postgres(conn, view_name):
    conn.execute(f"CREATE VIEW tpch.{view_name} AS SELECT 1 AS one")
    assert sqlstate_of(conn, f"CREATE VIEW tpch.{view_name} AS SELECT 1 AS one") == "42P07"
    assert sqlstate_of(conn, "CREATE VIEW tpch.nation AS SELECT 1") == "42P07"
    assert sqlstate_of(conn, "CREATE OR REPLACE VIEW tpch.nation AS SELECT 1") == "42809"
    assert sqlstate_of(conn, "DROP VIEW tpch.nation") == "42809"
    assert sqlstate_of(conn, f"DROP VIEW tpch.{view_name}_missing") == "42P01"
    assert sqlstate_of(conn, f"CREATE VIEW tpch.{view_name}_bad AS SELECT * FROM tpch.no_such_table") == "42P01"
    assert sqlstate_of(conn, f"CREATE VIEW tpch.{view_name}_bad (a, b) AS SELECT 1") == "42601"
    assert sqlstate_of(conn, f"CREATE VIEW tpch.{view_name}_bad AS SELECT 1 AS a, 2 AS a") == "42701"
    assert sqlstate_of(conn, f"CREATE VIEW no_such_schema.{view_name} AS SELECT 1") == "3F000"
    # A failed DROP of several names drops none of them.
    assert sqlstate_of(conn, f"DROP VIEW tpch.{view_name}, tpch.{view_name}_missing") == "42P01"
    assert conn.execute(f"SELECT * FROM tpch.{view_name}").fetchall() == [(1,)]
    conn.execute(f"DROP VIEW IF EXISTS tpch.{view_name}_missing, tpch.{view_name}")
    assert sqlstate_of(conn, f"SELECT * FROM tpch.{view_name}") == "42P01"


def test_weir_stores_an_iceberg_view(server, conn, view_name):
    if server.name != "weir":
        pytest.skip("the storage format is Weir's")
    conn.execute(f"CREATE VIEW tpch.{view_name} AS SELECT n_name FROM tpch.nation")
    data = Path(os.environ["WEIR_DATA_DIR"])
    with sqlite3.connect(data / "catalog.db") as catalog:
        rows = catalog.execute(
            "SELECT iceberg_type, metadata_location FROM iceberg_tables WHERE table_namespace = 'tpch' AND table_name = ?", (view_name,)
        ).fetchall()
    assert len(rows) == 1 and rows[0][0] == "VIEW"
    metadata = json.loads(Path(rows[0][1].removeprefix("file://")).read_text())
    version = next(v for v in metadata["versions"] if v["version-id"] == metadata["current-version-id"])
    assert version["representations"] == [{"type": "sql", "dialect": "postgres", "sql": f"SELECT n_name FROM tpch.nation"}]
    assert version["default-namespace"] == ["tpch"]
    assert [field["name"] for field in metadata["schemas"][0]["fields"]] == ["n_name"]


@pytest.fixture
def schema_name(conn):
    """A fresh schema name, dropped (with its views) after the test."""
    name = f"s_{uuid.uuid4().hex[:10]}"
    yield name
    conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def test_create_and_drop_schema(conn, schema_name):
    conn.execute(f"CREATE SCHEMA {schema_name}")
    assert conn.execute(f"SELECT count(*) FROM pg_namespace WHERE nspname = '{schema_name}'").fetchone() == (1,)
    assert sqlstate_of(conn, f"CREATE SCHEMA {schema_name}") == "42P06"
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema_name}")
    assert sqlstate_of(conn, "CREATE SCHEMA pg_mine") == "42939"
    conn.execute(f"CREATE VIEW {schema_name}.v AS SELECT 1 AS one")
    assert conn.execute(f"SELECT * FROM {schema_name}.v").fetchall() == [(1,)]
    assert sqlstate_of(conn, f"DROP SCHEMA {schema_name}") == "2BP01"
    conn.execute(f"DROP SCHEMA {schema_name} CASCADE")
    assert sqlstate_of(conn, f"SELECT * FROM {schema_name}.v") == "42P01"
    assert conn.execute(f"SELECT count(*) FROM pg_namespace WHERE nspname = '{schema_name}'").fetchone() == (0,)
    assert sqlstate_of(conn, f"DROP SCHEMA {schema_name}") == "3F000"
    conn.execute(f"DROP SCHEMA IF EXISTS {schema_name}")


def test_views_are_created_in_the_first_existing_search_path_schema(conn, schema_name):
    conn.execute(f"CREATE SCHEMA {schema_name}")
    conn.execute(f"SET search_path = no_such_schema, {schema_name}, tpch")
    conn.execute("CREATE VIEW v_here AS SELECT count(*) AS n FROM nation")
    assert conn.execute(f"SELECT n FROM {schema_name}.v_here").fetchall() == [(25,)]
    conn.execute(f"DROP SCHEMA {schema_name} CASCADE")
