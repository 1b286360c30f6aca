"""Iceberg time travel and metadata tables (Weir only: PostgreSQL has no such tables).

PyIceberg writes a table with two snapshots into Weir's embedded catalog; Weir must read each
snapshot's rows and describe the snapshots exactly as PyIceberg reports them.
"""

import datetime
import os

import psycopg
import pyarrow as pa
import pytest
from pyiceberg.catalog.sql import SqlCatalog
from conftest import missing_server


@pytest.fixture(scope="module")
def events():
    data_dir, dsn = os.environ.get("WEIR_DATA_DIR"), os.environ.get("WEIR_DSN")
    if not data_dir or not dsn:
        missing_server("time travel is a Weir feature; WEIR_DATA_DIR and WEIR_DSN are not set")
    catalog = SqlCatalog("lake", uri=f"sqlite:///{data_dir}/catalog.db", warehouse=f"file://{data_dir}/warehouse")
    catalog.create_namespace_if_not_exists("travel")
    schema = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("kind", pa.string())])
    if catalog.table_exists("travel.events"):
        catalog.drop_table("travel.events")
    table = catalog.create_table("travel.events", schema=schema)
    table.append(pa.table({"id": [1, 2], "kind": ["a", "b"]}, schema=schema))
    table.append(pa.table({"id": [3], "kind": ["c"]}, schema=schema))
    table = catalog.load_table("travel.events")
    with psycopg.connect(dsn, autocommit=True) as connection:
        yield table, connection


def ids(connection, sql):
    return sorted(row[0] for row in connection.execute(sql).fetchall())


def test_reads_each_snapshot(events):
    table, connection = events
    first, second = [snapshot.snapshot_id for snapshot in table.snapshots()]
    assert ids(connection, "SELECT id FROM travel.events") == [1, 2, 3]
    assert ids(connection, f'SELECT id FROM travel."events@{first}"') == [1, 2]
    assert ids(connection, f'SELECT id FROM travel."events@{second}"') == [1, 2, 3]
    assert ids(connection, 'SELECT id FROM travel."events@main"') == [1, 2, 3]


def test_reads_as_of_a_time(events):
    table, connection = events
    first = table.snapshots()[0]
    # One millisecond after the first commit, the first snapshot is current.
    seconds, millis = divmod(first.timestamp_ms + 1, 1000)
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).replace(microsecond=millis * 1000)
    text = moment.strftime("%Y-%m-%d %H:%M:%S.%f+00")
    assert ids(connection, f'SELECT id FROM travel."events@{text}"') == [1, 2]


def test_metadata_tables_match_pyiceberg(events):
    table, connection = events
    snapshots = connection.execute(
        'SELECT snapshot_id, parent_id, operation FROM travel."events$snapshots"'
    ).fetchall()
    assert snapshots == [(s.snapshot_id, s.parent_snapshot_id, s.summary.operation.value) for s in table.snapshots()]
    history = connection.execute('SELECT snapshot_id, is_current_ancestor FROM travel."events$history"').fetchall()
    assert history == [(entry.snapshot_id, True) for entry in table.history()]
    refs = connection.execute('SELECT name, type, snapshot_id FROM travel."events$refs"').fetchall()
    assert refs == [("main", "BRANCH", table.current_snapshot().snapshot_id)]
    files = connection.execute('SELECT file_path, record_count FROM travel."events$files"').fetchall()
    expected = table.inspect.files().select(["file_path", "record_count"]).to_pylist()
    assert sorted(files) == sorted((row["file_path"], row["record_count"]) for row in expected)


def test_unknown_snapshot_and_metadata_table_are_errors(events):
    _, connection = events
    with pytest.raises(psycopg.Error) as failure:
        connection.execute('SELECT id FROM travel."events@42"')
    assert failure.value.sqlstate == "22023"
    assert failure.value.diag.message_primary == 'table "travel.events" has no snapshot 42'
    with pytest.raises(psycopg.Error) as failure:
        connection.execute('SELECT * FROM travel."events$nope"')
    assert failure.value.sqlstate == "42P01"
