"""A SQL catalog kept in PostgreSQL (`catalogs: - type: sql, uri: postgresql://...`), shared
with PyIceberg's SqlCatalog on the same database: each sees the other's tables and commits.

Runs against the PostgreSQL that scripts/run-compat.sh starts (PG_DSN), in a schema of its own
in that database, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid

import psycopg
import psycopg.conninfo
import pyarrow as pa
import pytest
from pyiceberg.catalog.sql import SqlCatalog

from weir_process import insert_concurrently, weir_binary, weir_server
from conftest import missing_server

CATALOG = "pgcat"


@pytest.fixture(scope="module")
def pg_catalog(tmp_path_factory):
    """(PyIceberg's SqlCatalog, Weir's DSN, warehouse URI) over a fresh schema of PG_DSN's database."""
    weir_binary()
    dsn = os.environ.get("PG_DSN")
    if not dsn:
        missing_server("needs the PostgreSQL of scripts/run-compat.sh (PG_DSN)")
    params = psycopg.conninfo.conninfo_to_dict(dsn)
    schema = f"weir_catalog_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    directory = tmp_path_factory.mktemp("pgcat")
    warehouse = f"file://{directory / 'warehouse'}"
    host, port, user, database = params["host"], params["port"], params["user"], params["dbname"]
    catalog = SqlCatalog(
        CATALOG, warehouse=warehouse,
        uri=f"postgresql+psycopg://{user}:{params['password']}@{host}:{port}/{database}?options=-csearch_path%3D{schema}")
    configuration = (
        f"catalogs:\n  - name: {CATALOG}\n    type: sql\n"
        f"    uri: postgresql://{user}@{host}:{port}/{database}?options=-csearch_path%3D{schema}\n"
        f"    password_env: WEIR_TEST_CATALOG_PASSWORD\n    warehouse: {warehouse}\n")
    try:
        with weir_server(directory / "weir", configuration, {"WEIR_TEST_CATALOG_PASSWORD": params["password"]}) as weir:
            yield catalog, weir, warehouse
    finally:
        catalog.engine.dispose()
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def connect(weir: str) -> psycopg.Connection:
    return psycopg.connect(f"{weir} dbname={CATALOG}", autocommit=True)


def test_tables_pyiceberg_writes_in_postgres_read_in_weir(pg_catalog):
    catalog, weir, _ = pg_catalog
    catalog.create_namespace("ops")
    rows = pa.table({"id": pa.array(range(50), pa.int64()), "host": [f"h{i % 7}" for i in range(50)]})
    table = catalog.create_table("ops.pings", schema=rows.schema)
    table.append(rows)
    table.append(rows.slice(0, 10))
    with connect(weir) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT host), sum(id) FROM ops.pings").fetchone() == (60, 7, 1225 + 45)
        assert ("ops",) in conn.execute("SELECT schema_name FROM information_schema.schemata").fetchall()


def test_tables_weir_writes_in_postgres_load_in_pyiceberg(pg_catalog):
    catalog, weir, warehouse = pg_catalog
    with connect(weir) as conn:
        conn.execute("CREATE SCHEMA sales")
        conn.execute("CREATE TABLE sales.orders (id integer NOT NULL, total numeric(10, 2)) PARTITION BY iceberg (bucket(2, id))")
        conn.execute("INSERT INTO sales.orders SELECT g, g * 1.25 FROM generate_series(1, 100) g")
        conn.execute("DELETE FROM sales.orders WHERE id <= 10")
        conn.execute("ALTER TABLE sales.orders RENAME COLUMN total TO amount")
        expected = conn.execute("SELECT id, amount FROM sales.orders ORDER BY id").fetchall()
    table = catalog.load_table("sales.orders")
    assert table.location() == f"{warehouse}/sales/orders"
    scanned = sorted((row["id"], row["amount"]) for row in table.scan().to_arrow().to_pylist())
    assert scanned == expected and len(expected) == 90
    assert [field.name for field in table.schema().fields] == ["id", "amount"]
    # And the other way: PyIceberg's append is Weir's next read.
    table.append(pa.table({"id": pa.array([500], pa.int32()), "amount": pa.array([None], pa.decimal128(10, 2))},
                          schema=table.schema().as_arrow()))
    with connect(weir) as conn:
        assert conn.execute("SELECT count(*) FROM sales.orders").fetchone() == (91,)
        conn.execute("DROP TABLE sales.orders")
    assert ("sales", "orders") not in catalog.list_tables("sales")


def test_concurrent_writers_through_postgres_all_land(pg_catalog):
    _, weir, _ = pg_catalog
    with connect(weir) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS busy")
        conn.execute("CREATE TABLE busy.t (writer integer, n integer) WITH (\"commit.retry.num-retries\" = '20')")
    insert_concurrently(f"{weir} dbname={CATALOG}", "busy.t")
    with connect(weir) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT (writer, n)) FROM busy.t").fetchone() == (16, 16)


def test_an_unreachable_catalog_database_is_a_clear_error(tmp_path):
    configuration = (
        f"catalogs:\n  - name: {CATALOG}\n    type: sql\n"
        "    uri: postgresql://demo@127.0.0.1:1/nowhere\n    warehouse: file:///tmp/nowhere\n")
    with weir_server(tmp_path, configuration) as weir:
        with connect(weir) as conn:
            with pytest.raises(psycopg.Error) as caught:
                conn.execute("SELECT count(*) FROM some_schema.some_table")
            assert caught.value.sqlstate == "58030"
            assert "postgresql://demo@127.0.0.1:1/nowhere" in caught.value.diag.message_primary
