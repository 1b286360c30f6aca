"""Iceberg tables in a REST catalog, served over the wire by a Weir configured with `catalogs:`.

The catalog is scripts/rest-catalog-server.py (PyIceberg's SqlCatalog behind the REST protocol,
with OAuth2 client credentials required, short-lived tokens and a path prefix). PyIceberg's own
RestCatalog client is the other engine: tables it writes must read the same in Weir, and tables
Weir writes must load and scan the same in PyIceberg. Commit conflicts, unknown commit outcomes,
refused credentials and an unreachable catalog are driven through the server's test routes.
With a moto_server (scripts/run-with-test-servers.sh), a catalog whose warehouse is on S3 vends storage
credentials to a Weir that has none of its own.
"""

from __future__ import annotations

import datetime
import os
import socket
from decimal import Decimal
from pathlib import Path

import psycopg
import pyarrow as pa
import pytest
from pyiceberg.expressions import EqualTo
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import DayTransform, IdentityTransform
from pyiceberg.types import DecimalType, LongType, NestedField, StringType, TimestampType

from rest_catalog import CLIENT_ID, CLIENT_SECRET, rest_catalog_server
from weir_process import insert_concurrently, weir_binary, weir_server
from conftest import missing_server

CATALOG = "rest"


def rest_configuration(uri: str, *, extra: str = "") -> str:
    """Weir's `catalogs:` entry for the server at `uri`; the credential comes from the environment."""
    return (f"catalogs:\n  - name: {CATALOG}\n    type: rest\n    uri: {uri}\n"
            "    credential_env: WEIR_TEST_REST_CREDENTIAL\n    max_attempts: 2\n    request_timeout_seconds: 20\n" + extra)


@pytest.fixture(scope="module")
def rest(tmp_path_factory):
    """A REST catalog (prefix, 4-second tokens) and a Weir serving it as database `rest`."""
    weir_binary()
    directory = tmp_path_factory.mktemp("rest")
    with rest_catalog_server(directory / "catalog", prefix="analytics", token_ttl=4) as server:
        with weir_server(directory / "weir", rest_configuration(server.uri),
                         {"WEIR_TEST_REST_CREDENTIAL": f"{CLIENT_ID}:{CLIENT_SECRET}"}) as dsn:
            yield server, dsn


def connect(dsn: str, dbname: str = CATALOG) -> psycopg.Connection:
    return psycopg.connect(f"{dsn} dbname={dbname}", autocommit=True)


ORDERS_SCHEMA = Schema(
    NestedField(1, "id", LongType(), required=True),
    NestedField(2, "region", StringType()),
    NestedField(3, "amount", DecimalType(12, 2)),
    NestedField(4, "placed", TimestampType()),
)


def arrow_table(columns: dict[str, list], note: bool = False) -> pa.Table:
    """The rows as Arrow, with `id` NOT NULL as the Iceberg schema has it."""
    fields = [pa.field("id", pa.int64(), nullable=False), pa.field("region", pa.string()),
              pa.field("total" if note else "amount", pa.decimal128(12, 2)), pa.field("placed", pa.timestamp("us"))]
    if note:
        fields.append(pa.field("note", pa.string()))
    return pa.table(columns, schema=pa.schema(fields))


def orders_rows(start: int, count: int) -> pa.Table:
    regions = ["north", "south", "east", None]
    numbers = range(start, start + count)
    return arrow_table({
        "id": list(numbers),
        "region": [regions[i % 4] for i in numbers],
        "amount": [Decimal(i * 7 % 1000) / 4 for i in numbers],
        "placed": [datetime.datetime(2026, 1, 1) + datetime.timedelta(hours=5 * i) for i in numbers],
    })


def test_tables_pyiceberg_writes_read_the_same_in_weir(rest):
    """Partitioned, with deleted rows, after schema evolution: Weir's rows are PyIceberg's scan."""
    server, dsn = rest
    catalog = server.catalog()
    catalog.create_namespace("shop")
    spec = PartitionSpec(
        PartitionField(source_id=2, field_id=1000, transform=IdentityTransform(), name="region"),
        PartitionField(source_id=4, field_id=1001, transform=DayTransform(), name="placed_day"))
    table = catalog.create_table("shop.orders", schema=ORDERS_SCHEMA, partition_spec=spec)
    table.append(orders_rows(0, 400))
    table.delete(EqualTo("region", "east"))
    with table.update_schema() as update:
        update.add_column("note", StringType())
        update.rename_column("amount", "total")
    table = catalog.load_table("shop.orders")
    table.append(arrow_table({
        "id": [1000, 1001], "region": ["west", None], "total": [Decimal("1.50"), None],
        "placed": [datetime.datetime(2026, 3, 1)] * 2, "note": ["late", None]}, note=True))
    expected = sorted(catalog.load_table("shop.orders").scan().to_arrow().to_pylist(), key=lambda row: row["id"])
    with connect(dsn) as conn:
        rows = conn.execute("SELECT id, region, total, placed, note FROM shop.orders ORDER BY id").fetchall()
        schemas = [row[0] for row in conn.execute(
            "SELECT schema_name FROM information_schema.schemata ORDER BY 1").fetchall()]
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'shop'").fetchall()
        snapshots = conn.execute('SELECT count(*) FROM shop."orders$snapshots"').fetchone()[0]
        east = conn.execute("SELECT count(*) FROM shop.orders WHERE region = 'east'").fetchone()[0]
    assert rows == [(row["id"], row["region"], row["total"], row["placed"], row["note"]) for row in expected]
    assert len(rows) == 302
    assert east == 0
    assert "shop" in schemas and ("orders",) in tables
    assert snapshots == len(catalog.load_table("shop.orders").snapshots())
    # From the embedded catalog's database, the REST catalog is the first part of three-part names.
    with connect(dsn, "lake") as conn:
        assert conn.execute(f"SELECT count(*) FROM {CATALOG}.shop.orders").fetchone()[0] == 302


def test_tables_weir_writes_load_and_scan_the_same_in_pyiceberg(rest):
    server, dsn = rest
    with connect(dsn) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS crm")
        conn.execute("""CREATE TABLE crm.accounts (id bigint NOT NULL, name text, score double precision, opened date)
                        PARTITION BY iceberg (bucket(4, id)) WITH ("write.parquet.compression-codec" = 'zstd')""")
        conn.execute("INSERT INTO crm.accounts SELECT g, 'acct ' || g, g / 8.0, DATE '2026-01-01' + g "
                     "FROM generate_series(1, 300) g")
        conn.execute("UPDATE crm.accounts SET score = -1 WHERE id % 50 = 0")
        conn.execute("DELETE FROM crm.accounts WHERE id > 290")
        conn.execute("ALTER TABLE crm.accounts ADD COLUMN tier integer")
        conn.execute("INSERT INTO crm.accounts VALUES (1000, 'new', 0.5, DATE '2026-12-01', 3)")
        conn.execute("CREATE TABLE crm.top AS SELECT id, name FROM crm.accounts WHERE score > 30")
        rows = conn.execute("SELECT id, name, score, opened, tier FROM crm.accounts ORDER BY id").fetchall()
        top = conn.execute("SELECT id, name FROM crm.top ORDER BY id").fetchall()
    catalog = server.catalog()
    table = catalog.load_table("crm.accounts")
    scanned = sorted(table.scan().to_arrow().to_pylist(), key=lambda row: row["id"])
    assert [(r["id"], r["name"], r["score"], r["opened"], r["tier"]) for r in scanned] == rows
    assert len(rows) == 291
    assert [field.name for field in table.schema().fields] == ["id", "name", "score", "opened", "tier"]
    assert str(table.spec().fields[0].transform) == "bucket[4]"
    assert table.properties["write.parquet.compression-codec"] == "zstd"
    assert [s.summary.operation.value for s in table.snapshots()] == ["append", "overwrite", "overwrite", "append"]
    assert sorted((r["id"], r["name"]) for r in catalog.load_table("crm.top").scan().to_arrow().to_pylist()) == top
    # Weir's commits went to the catalog as requirements and updates (the server applied them).
    commits = [r for r in server.recent_requests() if r.get("body") and "updates" in r["body"]]
    assert commits and all(r["authorization"] for r in commits)
    first = commits[0]["body"]
    assert {"type": "assert-ref-snapshot-id", "ref": "main", "snapshot-id": None} in first["requirements"]
    assert [u["action"] for u in first["updates"]] == ["add-snapshot", "set-snapshot-ref"]


def test_concurrent_writers_through_the_catalog_all_land(rest):
    server, dsn = rest
    with connect(dsn) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS load")
        conn.execute("CREATE TABLE load.events (writer integer, n integer) WITH (\"commit.retry.num-retries\" = '20')")

    insert_concurrently(f"{dsn} dbname={CATALOG}", "load.events")
    with connect(dsn) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT (writer, n)) FROM load.events").fetchone() == (16, 16)
    assert len(server.catalog().load_table("load.events").snapshots()) == 16


def test_a_refused_commit_is_retried_and_an_unknown_one_reported(rest):
    server, dsn = rest
    with connect(dsn) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS faults")
        conn.execute("CREATE TABLE faults.t (id integer)")
        # 409: another writer won; Weir rebuilds on the new state and commits again.
        server.fail_next_commits(409)
        conn.execute("INSERT INTO faults.t VALUES (1)")
        # 503: the catalog did not handle the commit; sending it again is safe.
        server.fail_next_commits(503)
        conn.execute("INSERT INTO faults.t VALUES (2)")
        # 500: the commit may or may not have happened; Weir must not guess, and must not remove
        # the data file a commit that did happen would list.
        data = Path(server.catalog().load_table("faults.t").location().removeprefix("file://"), "data")
        before = len(list(data.rglob("*.parquet")))
        server.fail_next_commits(500)
        with pytest.raises(psycopg.Error) as caught:
            conn.execute("INSERT INTO faults.t VALUES (3)")
        assert caught.value.sqlstate == "40003"
        assert "faults.t" in caught.value.diag.message_primary
        assert len(list(data.rglob("*.parquet"))) == before + 1
        assert conn.execute("SELECT array_agg(id ORDER BY id) FROM faults.t").fetchone()[0] == [1, 2]
        # The session goes on.
        conn.execute("INSERT INTO faults.t VALUES (4)")
        assert conn.execute("SELECT count(*) FROM faults.t").fetchone()[0] == 3


def test_missing_objects_and_bad_names_give_postgres_errors(rest):
    _, dsn = rest
    with connect(dsn) as conn:
        for sql, state in [
            ("SELECT * FROM nowhere.t", "42P01"),
            ("CREATE TABLE nowhere.t (id integer)", "3F000"),
            ("DROP SCHEMA nowhere", "3F000"),
        ]:
            with pytest.raises(psycopg.Error) as caught:
                conn.execute(sql)
            assert caught.value.sqlstate == state, sql
        conn.execute("CREATE SCHEMA IF NOT EXISTS dup")
        conn.execute("CREATE TABLE IF NOT EXISTS dup.t (id integer)")
        with pytest.raises(psycopg.Error) as caught:
            conn.execute("CREATE TABLE dup.t (id integer)")
        assert caught.value.sqlstate == "42P07"
        with pytest.raises(psycopg.Error) as caught:
            conn.execute("DROP SCHEMA dup")
        assert caught.value.sqlstate == "2BP01"
        conn.execute("DROP TABLE dup.t")
        conn.execute("DROP SCHEMA dup")


def test_wrong_credentials_and_an_unreachable_catalog_are_clear_errors(tmp_path):
    weir_binary()
    with rest_catalog_server(tmp_path / "catalog") as server:
        with weir_server(tmp_path / "wrong", rest_configuration(server.uri),
                         {"WEIR_TEST_REST_CREDENTIAL": f"{CLIENT_ID}:not-the-secret"}) as dsn:
            with connect(dsn) as conn:
                with pytest.raises(psycopg.Error) as caught:
                    conn.execute("SELECT * FROM information_schema.tables")
                assert caught.value.sqlstate == "28000"
                assert '"rest"' in caught.value.diag.message_primary
                assert CLIENT_ID in caught.value.diag.message_primary
            # The embedded catalog keeps serving.
            with connect(dsn, "lake") as conn:
                assert conn.execute("SELECT 1").fetchone() == (1,)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with weir_server(tmp_path / "unreachable", rest_configuration(f"http://127.0.0.1:{closed_port}"),
                     {"WEIR_TEST_REST_CREDENTIAL": f"{CLIENT_ID}:{CLIENT_SECRET}"}) as dsn:
        with connect(dsn) as conn:
            with pytest.raises(psycopg.Error) as caught:
                conn.execute("SELECT count(*) FROM any_schema.any_table")
            assert caught.value.sqlstate == "58030"
            assert f"127.0.0.1:{closed_port}" in caught.value.diag.message_primary


def s3_values() -> dict[str, str] | None:
    path = os.environ.get("WEIR_TEST_S3_CREDENTIALS")
    if not path:
        return None
    return dict(line.split("=", 1) for line in Path(path).read_text().splitlines() if "=" in line)


def test_vended_credentials_reach_s3_for_a_weir_without_keys(tmp_path):
    """The warehouse is on moto (signatures checked); only the catalog has keys, and it vends them."""
    weir_binary()
    values = s3_values()
    if values is None:
        missing_server("needs a moto_server (scripts/run-with-test-servers.sh)")
    warehouse = f"s3://{values['WEIR_TEST_S3_BUCKET']}/rest-{os.getpid()}"
    with rest_catalog_server(tmp_path / "catalog", warehouse=warehouse,
                             vend_s3_credentials=Path(os.environ["WEIR_TEST_S3_CREDENTIALS"])) as server:
        environment = {"WEIR_TEST_REST_CREDENTIAL": f"{CLIENT_ID}:{CLIENT_SECRET}"}
        with weir_server(tmp_path / "weir", rest_configuration(server.uri), environment) as dsn:
            with connect(dsn) as conn:
                conn.execute("CREATE SCHEMA vended")
                conn.execute("CREATE TABLE vended.t (id integer NOT NULL, label text)")
                conn.execute("INSERT INTO vended.t SELECT g, 'v' || g FROM generate_series(1, 200) g")
                conn.execute("DELETE FROM vended.t WHERE id > 150")
                rows = conn.execute("SELECT id, label FROM vended.t ORDER BY id").fetchall()
        assert len(rows) == 150
        table = server.catalog(**{"header.X-Iceberg-Access-Delegation": "vended-credentials"}).load_table("vended.t")
        assert table.location().startswith(warehouse)
        scanned = sorted((r["id"], r["label"]) for r in table.scan().to_arrow().to_pylist())
        assert scanned == rows
        # Without vended credentials the same Weir has no keys, and S3 refuses it.
        with weir_server(tmp_path / "keyless", rest_configuration(server.uri, extra="    vended_credentials: false\n"),
                         environment) as dsn:
            with connect(dsn) as conn:
                with pytest.raises(psycopg.Error) as caught:
                    conn.execute("SELECT count(*) FROM vended.t")
                assert caught.value.sqlstate == "58030"
                assert warehouse in caught.value.diag.message_primary


def test_views_live_in_the_catalog(rest):
    server, dsn = rest
    with connect(dsn) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS reports")
        conn.execute("CREATE TABLE reports.sales (region text, amount integer)")
        conn.execute("INSERT INTO reports.sales VALUES ('n', 5), ('s', 7), ('n', 1)")
        conn.execute("CREATE VIEW reports.by_region AS SELECT region, sum(amount) AS total FROM reports.sales GROUP BY region")
        assert conn.execute("SELECT * FROM reports.by_region ORDER BY region").fetchall() == [("n", 6), ("s", 7)]
        conn.execute("CREATE OR REPLACE VIEW reports.by_region AS "
                     "SELECT region, sum(amount) AS total, count(*) AS n FROM reports.sales GROUP BY region")
        assert conn.execute("SELECT * FROM reports.by_region ORDER BY region").fetchall() == [("n", 6, 2), ("s", 7, 1)]
        listed = conn.execute(
            "SELECT table_name FROM information_schema.views WHERE table_schema = 'reports'").fetchall()
        assert listed == [("by_region",)]
    view = server.catalog().load_view("reports.by_region")
    assert len(view.metadata.versions) == 2
    assert "count(*)" in view.metadata.versions[-1].representations[0].root.sql
    with connect(dsn) as conn:
        conn.execute("DROP VIEW reports.by_region")
        with pytest.raises(psycopg.Error) as caught:
            conn.execute("SELECT * FROM reports.by_region")
        assert caught.value.sqlstate == "42P01"


def test_snapshot_expiry_commits_through_the_catalog(rest):
    server, dsn = rest
    with connect(dsn) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS upkeep")
        conn.execute("CREATE TABLE upkeep.t (id integer)")
        for n in range(3):
            conn.execute(f"INSERT INTO upkeep.t VALUES ({n})")
        expired, *_ = conn.execute(
            "CALL weir.expire_snapshots(table_name => 'upkeep.t', older_than => now() + interval '1 minute', retain_last => 1)"
        ).fetchone()
        assert expired == 2
        assert conn.execute("SELECT array_agg(id ORDER BY id) FROM upkeep.t").fetchone() == ([0, 1, 2],)
    table = server.catalog().load_table("upkeep.t")
    assert len(table.snapshots()) == 1
    assert sorted(table.scan().to_arrow().column("id").to_pylist()) == [0, 1, 2]
    commit = [r["body"] for r in server.recent_requests() if r.get("body") and "updates" in r["body"]][-1]
    assert [u["action"] for u in commit["updates"]] == ["remove-snapshots"]
    assert {"type": "assert-ref-snapshot-id", "ref": "main", "snapshot-id": table.current_snapshot().snapshot_id} in commit["requirements"]
