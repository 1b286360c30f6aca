"""Tables Weir writes, as other Iceberg engines see them (Weir only: PostgreSQL has no Iceberg).

Weir creates and fills tables in its embedded catalog with CREATE TABLE and INSERT; PyIceberg must
load them and scan the same rows, with the partition values Iceberg's transforms give, and DuckDB
must read the Parquet files. PyIceberg appending to a Weir table, concurrent writers, failed
writes and DROP TABLE are checked the same way.
"""

import datetime
import decimal
import os
import uuid
from pathlib import Path

import duckdb
import psycopg
import pyarrow as pa
import pytest
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.transforms import BucketTransform
from pyiceberg.types import DoubleType, LongType

from weir_process import insert_concurrently
from conftest import missing_server


@pytest.fixture(scope="module")
def lake():
    data_dir, dsn = os.environ.get("WEIR_DATA_DIR"), os.environ.get("WEIR_DSN")
    if not data_dir or not dsn:
        missing_server("Iceberg writes are a Weir feature; WEIR_DATA_DIR and WEIR_DSN are not set")
    catalog = SqlCatalog("lake", uri=f"sqlite:///{data_dir}/catalog.db", warehouse=f"file://{data_dir}/warehouse")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("CREATE SCHEMA IF NOT EXISTS writes")
        yield catalog, connection, dsn


@pytest.fixture
def table_name(lake):
    """A fresh table name in schema writes, dropped after the test."""
    _, connection, _ = lake
    name = f"t_{uuid.uuid4().hex[:10]}"
    yield name
    connection.execute(f"DROP TABLE IF EXISTS writes.{name}")


def files_under(location: str) -> list[Path]:
    root = Path(location.removeprefix("file://"))
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_weir_table_scans_the_same_in_pyiceberg_and_duckdb(lake, table_name):
    catalog, connection, _ = lake
    connection.execute(
        f"CREATE TABLE writes.{table_name} (id bigint NOT NULL, kind text, amount numeric(12,2), ts timestamptz, "
        "day date, flag boolean, score double precision, note varchar(20)) "
        "PARTITION BY iceberg (day(ts), bucket(4, id), kind) "
        "WITH (\"write.parquet.compression-codec\" = 'zstd', owner = 'tests')"
    )
    connection.execute(
        f"INSERT INTO writes.{table_name} VALUES "
        "(1, 'a', 10.50, '2024-03-01 10:00:00+00', '2024-03-01', true, 0.5, 'first'), "
        "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL), "
        "(3, 'b', -7.25, '2024-03-02 23:59:59.999999+00', '1999-12-31', false, '-1e300', 'ünïcode')"
    )
    connection.execute(
        f"INSERT INTO writes.{table_name} (id, kind, amount, ts, day) "
        "SELECT g, CASE WHEN g % 3 = 0 THEN 'a' ELSE 'c' END, g * 1.25, "
        "timestamptz '2024-01-01 00:00:00+00' + g * interval '7 hours', date '2020-01-01' + g "
        "FROM generate_series(4, 1000) g"
    )
    columns = "id, kind, amount, ts, day, flag, score, note"
    weir_rows = connection.execute(f"SELECT {columns} FROM writes.{table_name} ORDER BY id").fetchall()
    assert len(weir_rows) == 1000
    assert weir_rows[0] == (
        1, "a", decimal.Decimal("10.50"), datetime.datetime(2024, 3, 1, 10, tzinfo=datetime.timezone.utc),
        datetime.date(2024, 3, 1), True, 0.5, "first",
    )

    table = catalog.load_table(f"writes.{table_name}")
    assert table.format_version == 2
    assert table.properties.get("owner") == "tests"
    assert [(field.name, str(field.transform)) for field in table.spec().fields] == [
        ("ts_day", "day"), ("id_bucket", "bucket[4]"), ("kind", "identity"),
    ]
    snapshots = table.snapshots()
    assert len(snapshots) == 2
    assert snapshots[1].parent_snapshot_id == snapshots[0].snapshot_id
    assert snapshots[1].summary["added-records"] == "997"
    assert snapshots[1].summary["total-records"] == "1000"

    scanned = table.scan().to_arrow().sort_by("id").to_pylist()
    assert [tuple(row[name.strip()] for name in columns.split(",")) for row in scanned] == weir_rows

    # Every data file holds only rows of its partition, as PyIceberg's transforms compute it.
    bucket = BucketTransform(4).transform(LongType())
    files = table.inspect.files().to_pylist()
    assert len(files) > 3
    for entry in files:
        partition = entry["partition"]
        rows = duckdb.sql(f"SELECT id, kind, ts FROM read_parquet('{entry['file_path']}', hive_partitioning = false)").fetchall()
        assert len(rows) == entry["record_count"]
        for row_id, kind, ts in rows:
            assert bucket(row_id) == partition["id_bucket"]
            assert kind == partition["kind"]
            expected_day = None if ts is None else (ts.astimezone(datetime.timezone.utc).date() - datetime.date(1970, 1, 1)).days
            actual_day = partition["ts_day"]
            if isinstance(actual_day, datetime.date):
                actual_day = (actual_day - datetime.date(1970, 1, 1)).days
            assert actual_day == expected_day

    # $partitions agrees with PyIceberg's inspect.partitions().
    def text(partition):
        return "{" + ", ".join(f"{name}={'null' if value is None else value}" for name, value in partition.items()) + "}"

    expected = sorted(
        (text(row["partition"]), row["record_count"], row["file_count"], row["total_data_file_size_in_bytes"])
        for row in table.inspect.partitions().to_pylist()
    )
    actual = connection.execute(
        f'SELECT partition, record_count, file_count, total_data_file_size_in_bytes FROM writes."{table_name}$partitions"'
    ).fetchall()
    assert sorted(actual) == expected

    # DuckDB reads Weir's Parquet files with the same totals.
    paths = ", ".join(f"'{entry['file_path']}'" for entry in files)
    duck = duckdb.sql(f"SELECT count(*), sum(amount), count(note) FROM read_parquet([{paths}], hive_partitioning = false)").fetchall()[0]
    weir = connection.execute(f"SELECT count(*), sum(amount), count(note) FROM writes.{table_name}").fetchone()
    assert duck == weir


def test_pyiceberg_appends_to_a_weir_table(lake, table_name):
    catalog, connection, _ = lake
    connection.execute(f"CREATE TABLE writes.{table_name} (id integer NOT NULL, name text)")
    connection.execute(f"INSERT INTO writes.{table_name} VALUES (1, 'weir')")
    table = catalog.load_table(f"writes.{table_name}")
    schema = table.schema().as_arrow()
    table.append(pa.table({"id": [2, 3], "name": ["py", None]}, schema=schema))
    connection.execute(f"INSERT INTO writes.{table_name} VALUES (4, 'weir again')")
    assert connection.execute(f"SELECT id, name FROM writes.{table_name} ORDER BY id").fetchall() == [
        (1, "weir"), (2, "py"), (3, None), (4, "weir again"),
    ]
    table = catalog.load_table(f"writes.{table_name}")
    assert sorted(table.scan().to_arrow().column("id").to_pylist()) == [1, 2, 3, 4]
    assert [snapshot.summary.operation.value for snapshot in table.snapshots()] == ["append"] * 3
    # PyIceberg's own (copy-on-write) delete and schema change, then Weir reads on.
    table.delete("id = 2")
    with table.update_schema() as update:
        update.add_column("score", DoubleType())
    table = catalog.load_table(f"writes.{table_name}")
    table.append(pa.table({"id": [5], "name": ["late"], "score": [1.5]}, schema=table.schema().as_arrow()))
    assert connection.execute(f"SELECT id, name, score FROM writes.{table_name} ORDER BY id").fetchall() == [
        (1, "weir", None), (3, None, None), (4, "weir again", None), (5, "late", 1.5),
    ]
    expected = sorted(tuple(row.values()) for row in catalog.load_table(f"writes.{table_name}").scan().to_arrow().to_pylist())
    assert sorted(connection.execute(f"SELECT id, name, score FROM writes.{table_name}").fetchall()) == expected


def test_concurrent_inserts_all_land(lake, table_name):
    catalog, connection, dsn = lake
    # Each lost race is another writer's commit: 16 commits bound the retries one writer needs.
    connection.execute(f"CREATE TABLE writes.{table_name} (writer integer, n integer) WITH (\"commit.retry.num-retries\" = 20)")
    insert_concurrently(dsn, f"writes.{table_name}")
    rows = connection.execute(f"SELECT writer, n FROM writes.{table_name} ORDER BY 1, 2").fetchall()
    assert rows == [(writer, n) for writer in range(4) for n in range(4)]
    assert len(catalog.load_table(f"writes.{table_name}").snapshots()) == 16


def test_failed_insert_adds_no_snapshot_and_no_files(lake, table_name):
    catalog, connection, _ = lake
    connection.execute(f"CREATE TABLE writes.{table_name} (id integer NOT NULL, name text)")
    connection.execute(f"INSERT INTO writes.{table_name} VALUES (1, 'kept')")
    table = catalog.load_table(f"writes.{table_name}")
    before = files_under(table.location())
    with pytest.raises(psycopg.errors.NotNullViolation) as raised:
        connection.execute(f"INSERT INTO writes.{table_name} SELECT CASE WHEN g = 500 THEN NULL ELSE g END, 'x' FROM generate_series(1, 1000) g")
    assert "id" in str(raised.value)
    assert connection.execute(f"SELECT id, name FROM writes.{table_name}").fetchall() == [(1, "kept")]
    assert len(catalog.load_table(f"writes.{table_name}").snapshots()) == 1
    assert files_under(table.location()) == before


def test_drop_table_removes_it_for_every_engine(lake):
    catalog, connection, _ = lake
    name = f"t_{uuid.uuid4().hex[:10]}"
    connection.execute(f"CREATE TABLE writes.{name} AS SELECT g AS id FROM generate_series(1, 10) g")
    location = catalog.load_table(f"writes.{name}").location()
    assert files_under(location)
    connection.execute(f"DROP TABLE writes.{name}")
    assert not catalog.table_exists(f"writes.{name}")
    assert files_under(location) == []
    with pytest.raises(psycopg.errors.UndefinedTable):
        connection.execute(f"SELECT * FROM writes.{name}")


def test_create_table_refuses_what_iceberg_cannot_hold(lake, table_name):
    _, connection, _ = lake
    for sql, sqlstate in [
        (f"CREATE TABLE writes.{table_name} (a numeric)", "0A000"),
        (f"CREATE TABLE writes.{table_name} (a interval)", "0A000"),
        (f"CREATE TABLE writes.{table_name} (a integer) PARTITION BY RANGE (a)", "0A000"),
        (f"CREATE TABLE writes.{table_name} (a integer) PARTITION BY iceberg (day(a))", "42804"),
        (f"CREATE TABLE writes.{table_name} (a integer) PARTITION BY iceberg (b)", "42703"),
        (f"CREATE TABLE writes.{table_name} (a integer PRIMARY KEY)", "0A000"),
        (f"CREATE TEMPORARY TABLE {table_name} (a integer)", "0A000"),
    ]:
        with pytest.raises(psycopg.Error) as raised:
            connection.execute(sql)
        assert raised.value.sqlstate == sqlstate, sql


def test_delete_update_and_alter_are_seen_by_pyiceberg(lake, table_name):
    catalog, connection, _ = lake
    connection.execute(f"CREATE TABLE writes.{table_name} (id integer NOT NULL, region text, amount bigint) PARTITION BY iceberg (region)")
    connection.execute(
        f"INSERT INTO writes.{table_name} SELECT g, CASE WHEN g % 3 = 0 THEN 'east' WHEN g % 3 = 1 THEN 'west' ELSE 'north' END, g * 10 "
        "FROM generate_series(1, 300) g"
    )
    files_before = {entry["file_path"] for entry in catalog.load_table(f"writes.{table_name}").inspect.files().to_pylist()}
    assert connection.execute(f"DELETE FROM writes.{table_name} WHERE region = 'east' AND id > 150").rowcount == 50
    assert connection.execute(f"UPDATE writes.{table_name} SET amount = -amount WHERE region = 'west' AND id <= 30").rowcount == 10
    connection.execute(f"ALTER TABLE writes.{table_name} ADD COLUMN note text")
    connection.execute(f"ALTER TABLE writes.{table_name} RENAME COLUMN amount TO total")
    connection.execute(f"UPDATE writes.{table_name} SET note = 'checked' WHERE id = 3")

    weir = connection.execute(f"SELECT id, region, total, note FROM writes.{table_name} ORDER BY id").fetchall()
    assert len(weir) == 250
    table = catalog.load_table(f"writes.{table_name}")
    scanned = table.scan().to_arrow().sort_by("id").to_pylist()
    assert [(row["id"], row["region"], row["total"], row["note"]) for row in scanned] == weir
    assert [snapshot.summary.operation.value for snapshot in table.snapshots()] == ["append", "overwrite", "overwrite", "overwrite"]
    # The renamed column kept its field id; the added one got the next.
    assert [(field.field_id, field.name) for field in table.schema().fields] == [(1, "id"), (2, "region"), (3, "total"), (4, "note")]
    # Only the files holding changed rows were rewritten: the 'north' partition's file stayed.
    files_after = {entry["file_path"] for entry in table.inspect.files().to_pylist()}
    assert len(files_before & files_after) == 1
    assert table.scan(row_filter="region = 'north'").to_arrow().num_rows == 100


def test_merge_on_read_writes_position_deletes_pyiceberg_applies(lake, table_name):
    catalog, connection, _ = lake
    modes = ", ".join(f'"write.{kind}.mode" = \'merge-on-read\'' for kind in ("delete", "update", "merge"))
    connection.execute(
        f"CREATE TABLE writes.{table_name} (id integer NOT NULL, region text, amount bigint) PARTITION BY iceberg (region) "
        f"WITH (\"format-version\" = '2', {modes})"
    )
    connection.execute(
        f"INSERT INTO writes.{table_name} SELECT g, CASE WHEN g % 2 = 0 THEN 'east' ELSE 'west' END, g * 10 "
        "FROM generate_series(1, 200) g"
    )
    data_files = {entry["file_path"] for entry in catalog.load_table(f"writes.{table_name}").inspect.files().to_pylist()}
    assert connection.execute(f"DELETE FROM writes.{table_name} WHERE id % 10 = 0").rowcount == 20
    assert connection.execute(f"UPDATE writes.{table_name} SET amount = -amount WHERE id <= 15").rowcount == 14
    assert connection.execute(
        f"MERGE INTO writes.{table_name} t USING (VALUES (1, 'gone'), (3, 'x'), (999, 'north')) s(id, tag) ON t.id = s.id "
        "WHEN MATCHED AND s.tag = 'gone' THEN DELETE WHEN MATCHED THEN UPDATE SET amount = 0 "
        "WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.tag, 1)"
    ).rowcount == 3
    # Rows deleted twice over (an UPDATE's old row, then a MERGE) stay deleted once.
    assert connection.execute(f"DELETE FROM writes.{table_name} WHERE id = 3").rowcount == 1

    weir = connection.execute(f"SELECT id, region, amount FROM writes.{table_name} ORDER BY id").fetchall()
    expected = [(g, "east" if g % 2 == 0 else "west", (-g * 10 if g <= 15 else g * 10)) for g in range(1, 201) if g % 10 and g not in (1, 3)]
    assert weir == sorted(expected + [(999, "north", 1)])
    table = catalog.load_table(f"writes.{table_name}")
    scanned = table.scan().to_arrow().sort_by("id").to_pylist()
    assert [(row["id"], row["region"], row["amount"]) for row in scanned] == weir
    # No data file was rewritten: the originals are all still live, next to the new rows' files,
    # and the changes added position delete files.
    live = {entry["file_path"] for entry in table.inspect.files().to_pylist() if entry["content"] == 0}
    assert data_files <= live
    deletes = [entry for entry in table.inspect.files().to_pylist() if entry["content"] == 1]
    assert len(deletes) >= 4
    assert [snapshot.summary.operation.value for snapshot in table.snapshots()] == ["append", "delete", "overwrite", "overwrite", "delete"]


def test_merge_on_read_needs_format_version_2(lake, table_name):
    _, connection, _ = lake
    connection.execute(
        f"CREATE TABLE writes.{table_name} (id integer) WITH (\"format-version\" = '1', \"write.delete.mode\" = 'merge-on-read')"
    )
    connection.execute(f"INSERT INTO writes.{table_name} VALUES (1), (2)")
    with pytest.raises(psycopg.errors.FeatureNotSupported) as refused:
        connection.execute(f"DELETE FROM writes.{table_name} WHERE id = 1")
    assert "format version 1" in str(refused.value)
    assert connection.execute(f"SELECT count(*) FROM writes.{table_name}").fetchone() == (2,)


def test_update_that_breaks_not_null_changes_nothing(lake, table_name):
    catalog, connection, _ = lake
    connection.execute(f"CREATE TABLE writes.{table_name} (id integer NOT NULL, v integer)")
    connection.execute(f"INSERT INTO writes.{table_name} VALUES (1, 1), (2, NULL)")
    with pytest.raises(psycopg.errors.NotNullViolation):
        connection.execute(f"UPDATE writes.{table_name} SET id = v")
    assert connection.execute(f"SELECT id, v FROM writes.{table_name} ORDER BY id").fetchall() == [(1, 1), (2, None)]
    table = catalog.load_table(f"writes.{table_name}")
    assert len(table.snapshots()) == 1
    assert len(table.inspect.files().to_pylist()) == 1


def test_expire_snapshots_and_remove_orphan_files(lake, table_name):
    catalog, connection, _ = lake
    connection.execute(f"CREATE TABLE writes.{table_name} (id integer, v text)")
    for n in range(3):
        connection.execute(f"INSERT INTO writes.{table_name} VALUES ({n}, 'v{n}')")
    connection.execute(f"DELETE FROM writes.{table_name} WHERE id = 0")
    table = catalog.load_table(f"writes.{table_name}")
    assert len(table.snapshots()) == 4
    deleted_file = next(
        entry["data_file"]["file_path"] for entry in table.inspect.entries().to_pylist() if entry["status"] == 2
    )

    # Snapshots younger than the default five days stay.
    assert connection.execute(f"CALL weir.expire_snapshots('writes.{table_name}')").fetchall() == [(0, 0, 0, 0)]
    expired, deleted_files, deleted_manifests, deleted_lists = connection.execute(
        f"CALL weir.expire_snapshots(table_name => 'writes.{table_name}', older_than => now() + interval '1 minute', retain_last => 1)"
    ).fetchone()
    # The first insert's file, deleted by the DELETE, is reached by no remaining snapshot.
    assert (expired, deleted_files, deleted_lists) == (3, 1, 3)
    assert deleted_manifests >= 1
    table = catalog.load_table(f"writes.{table_name}")
    assert len(table.snapshots()) == 1
    assert not Path(deleted_file.removeprefix("file://")).exists()
    assert sorted(table.scan().to_arrow().column("id").to_pylist()) == [1, 2]
    assert connection.execute(f"SELECT id FROM writes.{table_name} ORDER BY id").fetchall() == [(1,), (2,)]

    # A stray file, and one written a moment ago (a write in flight), under the table.
    data = Path(table.location().removeprefix("file://")) / "data"
    stray, fresh = data / "stray.parquet", data / "fresh.parquet"
    stray.write_bytes(b"left over")
    fresh.write_bytes(b"in flight")
    old = datetime.datetime.now().timestamp() - 7 * 86400
    os.utime(stray, (old, old))
    removed = connection.execute(f"CALL weir.remove_orphan_files('writes.{table_name}')").fetchall()
    assert removed == [(f"file://{stray}",)]
    assert not stray.exists() and fresh.exists()
    assert connection.execute(f"SELECT count(*) FROM writes.{table_name}").fetchone() == (2,)
    with pytest.raises(psycopg.errors.UndefinedFunction):
        connection.execute("CALL weir.vacuum_everything('x')")
    with pytest.raises(psycopg.errors.UndefinedTable):
        connection.execute("CALL weir.expire_snapshots('writes.no_such_table')")
