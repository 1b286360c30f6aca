#!/usr/bin/env python3
"""Write an Iceberg table to S3 with PyIceberg and record what PyIceberg reads back.

Usage: make-iceberg-s3-fixture.py CREDENTIALS_FILE DIR PREFIX

CREDENTIALS_FILE is what scripts/moto-server.sh writes (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL, WEIR_TEST_S3_BUCKET lines).
Creates DIR/catalog.db, a SqlCatalog named "lake" (the embedded layout Weir
opens), whose warehouse is s3://BUCKET/PREFIX, and in it the table s3.trips:
two appends, so two data files, written through PyIceberg's own S3 client
(adjusted to moto_server by pyarrow_on_moto.py); and s3.evolved: an append,
a row delete, a schema change (a column added, one renamed) and an append in
the new schema. DIR/expected.json holds trips' metadata location and data files
and the rows of PyIceberg's scans of both tables, sorted by id.
"""

import datetime
import json
import sys
from pathlib import Path

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.schema import Schema
from pyiceberg.expressions import EqualTo
from pyiceberg.types import DoubleType, LongType, NestedField, StringType, TimestampType

from pyarrow_on_moto import pyarrow_writes_to_moto


def read_credentials(path):
    values = {}
    for line in Path(path).read_text().splitlines():
        name, _, value = line.partition("=")
        values[name] = value
    return values


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    credentials, directory, prefix = read_credentials(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    directory.mkdir(parents=True, exist_ok=True)
    bucket = credentials["WEIR_TEST_S3_BUCKET"]
    catalog = SqlCatalog(
        "lake",
        uri=f"sqlite:///{directory}/catalog.db",
        warehouse=f"s3://{bucket}/{prefix}",
        **{
            "s3.endpoint": credentials["AWS_ENDPOINT_URL"],
            "s3.access-key-id": credentials["AWS_ACCESS_KEY_ID"],
            "s3.secret-access-key": credentials["AWS_SECRET_ACCESS_KEY"],
            "s3.region": credentials["AWS_REGION"],
            "s3.force-virtual-addressing": False,
        },
    )
    catalog.create_namespace("s3")
    schema = Schema(
        NestedField(1, "id", LongType(), required=True),
        NestedField(2, "city", StringType(), required=False),
        NestedField(3, "fare", DoubleType(), required=False),
        NestedField(4, "pickup", TimestampType(), required=False),
    )
    table = catalog.create_table("s3.trips", schema=schema)
    arrow_schema = schema.as_arrow()
    start = datetime.datetime(2024, 3, 1, 8, 30)
    for batch in range(2):
        ids = range(batch * 50, batch * 50 + 50)
        table.append(pa.table({
            "id": pa.array(ids, pa.int64()),
            "city": pa.array([None if i % 7 == 0 else ["Lyon", "Oslo", "Lima"][i % 3] for i in ids], pa.string()),
            "fare": pa.array([round(i * 1.25, 2) for i in ids], pa.float64()),
            "pickup": pa.array([start + datetime.timedelta(minutes=17 * i) for i in ids], pa.timestamp("us")),
        }, schema=arrow_schema))

    evolved = catalog.create_table("s3.evolved", schema=schema)
    evolved.append(pa.table({
        "id": pa.array(range(60), pa.int64()),
        "city": pa.array([["Lyon", "Oslo", "Lima"][i % 3] for i in range(60)], pa.string()),
        "fare": pa.array([i / 4 for i in range(60)], pa.float64()),
        "pickup": pa.array([start + datetime.timedelta(hours=i) for i in range(60)], pa.timestamp("us")),
    }, schema=arrow_schema))
    evolved.delete(EqualTo("city", "Oslo"))
    with evolved.update_schema() as update:
        update.add_column("tip", DoubleType())
        update.rename_column("city", "town")
    evolved = catalog.load_table("s3.evolved")
    evolved.append(pa.table({
        "id": pa.array(range(100, 110), pa.int64()),
        "town": pa.array(["Kyiv"] * 10, pa.string()),
        "fare": pa.array([1.5] * 10, pa.float64()),
        "pickup": pa.array([start] * 10, pa.timestamp("us")),
        "tip": pa.array([0.25 * i for i in range(10)], pa.float64()),
    }, schema=evolved.schema().as_arrow()))

    def scanned(name):
        rows = sorted(catalog.load_table(name).scan().to_arrow().to_pylist(), key=lambda row: row["id"])
        for row in rows:
            row["pickup"] = row["pickup"].isoformat()
        return rows

    table = catalog.load_table("s3.trips")
    (directory / "expected.json").write_text(json.dumps({
        "metadata_location": table.metadata_location,
        "data_files": sorted(task.file.file_path for task in table.scan().plan_files()),
        "rows": scanned("s3.trips"),
        "evolved_rows": scanned("s3.evolved"),
    }))


if __name__ == "__main__":
    with pyarrow_writes_to_moto():
        main()
