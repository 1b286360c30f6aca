"""Iceberg tables on S3: PyIceberg writes a table to moto_server (signature checking on), and a
Weir configured with `storage.s3` serves it over the wire with the rows PyIceberg's own scan reads.

Runs when scripts/run-with-test-servers.sh has set WEIR_TEST_S3_CREDENTIALS (make test does); each test
starts its own Weir on the fixture's catalog.
"""

import datetime
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from weir_process import weir_server
from conftest import missing_server

ROOT = Path(__file__).resolve().parent.parent


def credentials():
    path = os.environ.get("WEIR_TEST_S3_CREDENTIALS")
    if not path or not os.environ.get("WEIR_BIN") or not os.environ.get("WEIR_DSN"):
        missing_server("S3 table tests need WEIR_BIN and a moto_server (scripts/run-with-test-servers.sh)")
    values = {}
    for line in Path(path).read_text().splitlines():
        name, _, value = line.partition("=")
        values[name] = value
    return path, values


@pytest.fixture(scope="module")
def s3_table(tmp_path_factory):
    """The fixture directory (its var/ holds catalog.db) and what PyIceberg read."""
    path, values = credentials()
    directory = tmp_path_factory.mktemp("s3")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/make-iceberg-s3-fixture.py"), path, str(directory / "var"),
         f"compat-{uuid.uuid4()}"],
        check=True)
    expected = json.loads((directory / "var" / "expected.json").read_text())
    return directory, values, expected


def s3_weir(directory, values, secret, cache=None):
    """A Weir on the fixture's catalog whose S3 settings come from its YAML file, the secret from
    the environment, with a byte-range cache in `cache` if given; a context manager yielding the
    DSN (dbname lake)."""
    configuration = (
        "storage:\n  s3:\n"
        f"    endpoint: {values['AWS_ENDPOINT_URL']}\n"
        f"    region: {values['AWS_REGION']}\n"
        f"    access_key_id: {values['AWS_ACCESS_KEY_ID']}\n"
        "    secret_access_key_env: WEIR_TEST_S3_SECRET\n"
        "    max_attempts: 2\n")
    if cache is not None:
        configuration += f"  cache:\n    directory: {cache}\n    max_bytes: 64MB\n"
    return weir_server(directory, configuration, {"WEIR_TEST_S3_SECRET": secret})


def test_rows_match_pyiceberg(s3_table):
    directory, values, expected = s3_table
    with s3_weir(directory, values, values["AWS_SECRET_ACCESS_KEY"]) as dsn:
        with psycopg.connect(dsn + " dbname=lake", autocommit=True) as conn:
            rows = conn.execute("SELECT id, city, fare, pickup FROM s3.trips ORDER BY id").fetchall()
            summary = conn.execute("SELECT count(*), count(city), sum(fare) FROM s3.trips WHERE id >= 20").fetchone()
            files = conn.execute('SELECT count(*) FROM s3."trips$files"').fetchone()
    wanted = [(row["id"], row["city"], row["fare"], datetime.datetime.fromisoformat(row["pickup"]))
              for row in expected["rows"]]
    assert rows == wanted
    later = [row for row in expected["rows"] if row["id"] >= 20]
    assert summary == (len(later), sum(row["city"] is not None for row in later), sum(row["fare"] for row in later))
    assert files == (len(expected["data_files"]),)


def test_a_table_pyiceberg_changed_reads_the_same(s3_table):
    """Rows PyIceberg deleted stay deleted, and its schema change (a column added, one renamed) reads
    by field id: old files give NULL for the new column and their values under the new name."""
    directory, values, expected = s3_table
    with s3_weir(directory, values, values["AWS_SECRET_ACCESS_KEY"]) as dsn:
        with psycopg.connect(dsn + " dbname=lake", autocommit=True) as conn:
            rows = conn.execute("SELECT id, town, fare, pickup, tip FROM s3.evolved ORDER BY id").fetchall()
    wanted = [(row["id"], row["town"], row["fare"], datetime.datetime.fromisoformat(row["pickup"]), row["tip"])
              for row in expected["evolved_rows"]]
    assert rows == wanted
    assert len(rows) == 50 and not any(town == "Oslo" for _, town, _, _, _ in rows)


def test_the_byte_range_cache_answers_repeated_scans(s3_table, tmp_path):
    """With `storage.cache`, the Parquet ranges a scan fetched are kept on local disk, and the same
    scan again fetches nothing new (every range it reads is a cache file already)."""
    directory, values, expected = s3_table
    cache = tmp_path / "range-cache"
    query = "SELECT count(*), sum(fare), count(city), max(pickup) FROM s3.trips"
    with s3_weir(directory, values, values["AWS_SECRET_ACCESS_KEY"], cache=cache) as dsn:
        with psycopg.connect(dsn + " dbname=lake", autocommit=True) as conn:
            first = conn.execute(query).fetchone()
            kept = sorted(path.name for path in cache.iterdir())
            second = conn.execute(query).fetchone()
            assert sorted(path.name for path in cache.iterdir()) == kept
    assert first == second
    assert first[0] == len(expected["rows"])
    assert len(kept) >= len(expected["data_files"])


def test_wrong_secret_is_refused_naming_the_object(s3_table):
    directory, values, expected = s3_table
    with s3_weir(directory, values, values["AWS_SECRET_ACCESS_KEY"][::-1]) as dsn:
        with psycopg.connect(dsn + " dbname=lake", autocommit=True) as conn:
            with pytest.raises(psycopg.Error) as caught:
                conn.execute("SELECT count(*) FROM s3.trips")
    assert caught.value.sqlstate == "58030"
    message = caught.value.diag.message_primary
    assert expected["metadata_location"] in message
    assert "403 SignatureDoesNotMatch" in message


def test_weir_writes_a_table_on_s3_that_pyiceberg_reads(s3_table):
    """A namespace whose `location` is on S3 (set by PyIceberg) gets Weir's new tables there.

    The table is not partitioned: Weir (like AWS's own SDKs) sends a partition directory's `=` as
    `%3D` and signs it so, which AWS and MinIO accept, but moto checks the signature against `=`.
    """
    directory, values, _ = s3_table
    from pyiceberg.catalog.sql import SqlCatalog

    bucket = values["WEIR_TEST_S3_BUCKET"]
    prefix = f"weir-writes-{uuid.uuid4()}"
    s3 = {
        "s3.endpoint": values["AWS_ENDPOINT_URL"], "s3.region": values["AWS_REGION"],
        "s3.access-key-id": values["AWS_ACCESS_KEY_ID"], "s3.secret-access-key": values["AWS_SECRET_ACCESS_KEY"],
    }
    catalog = SqlCatalog(
        "lake", uri=f"sqlite:///{directory / 'var'}/catalog.db", warehouse=f"file://{directory / 'var'}/warehouse", **s3)
    catalog.create_namespace("s3w", properties={"location": f"s3://{bucket}/{prefix}/s3w"})
    with s3_weir(directory, values, values["AWS_SECRET_ACCESS_KEY"]) as dsn:
        with psycopg.connect(dsn + " dbname=lake", autocommit=True) as conn:
            conn.execute("CREATE TABLE s3w.events (id integer NOT NULL, kind text)")
            conn.execute("INSERT INTO s3w.events SELECT g, 'k' || (g % 3) FROM generate_series(1, 500) g")
            conn.execute("DELETE FROM s3w.events WHERE id > 450")
            rows = conn.execute("SELECT id, kind FROM s3w.events ORDER BY id").fetchall()
    assert len(rows) == 450
    table = catalog.load_table("s3w.events")
    assert table.location() == f"s3://{bucket}/{prefix}/s3w/events"
    assert table.metadata_location.startswith(f"s3://{bucket}/{prefix}/s3w/events/metadata/")
    scanned = table.scan().to_arrow().sort_by("id")
    assert list(zip(scanned.column("id").to_pylist(), scanned.column("kind").to_pylist())) == rows
    assert all(entry["file_path"].startswith(f"s3://{bucket}/{prefix}/") for entry in table.inspect.files().to_pylist())
