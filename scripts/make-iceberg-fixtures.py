#!/usr/bin/env python3
"""Create Iceberg fixture tables with PyIceberg and record what PyIceberg itself says about them.

Usage: make-iceberg-fixtures.py DIR

Writes DIR/catalog.db (a SqlCatalog named "lake") and DIR/warehouse, with namespace "fixtures":
  - plain:       unpartitioned, one append
  - partitioned: identity(region) + day(ts) spec, then evolved to month(ts)
  - evolved:     add, rename and drop columns between appends
  - history:     several appends, then an overwrite and a delete (rewritten files)
and DIR/expected.json: per table its snapshots, schema fields and, per snapshot, the data files
PyIceberg's scan plans (path, record count, delete files), plus a filtered scan.
"""

import datetime
import json
import sys
import time
from pathlib import Path

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.expressions import EqualTo, GreaterThanOrEqual
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import DayTransform, IdentityTransform, MonthTransform
from pyiceberg.types import DateType, DoubleType, LongType, NestedField, StringType, TimestampType


def scan_facts(table, snapshot_id, row_filter=None):
    scan = table.scan(snapshot_id=snapshot_id) if row_filter is None else table.scan(
        snapshot_id=snapshot_id, row_filter=row_filter)
    files = []
    for task in scan.plan_files():
        files.append({
            "path": task.file.file_path,
            "record_count": task.file.record_count,
            "file_size_in_bytes": task.file.file_size_in_bytes,
            "deletes": sorted(d.file_path for d in task.delete_files),
        })
    return sorted(files, key=lambda f: f["path"])


def table_facts(table, filters=()):
    metadata = table.metadata
    snapshots = []
    for snapshot in metadata.snapshots:
        snapshots.append({
            "snapshot_id": snapshot.snapshot_id,
            "parent_snapshot_id": snapshot.parent_snapshot_id,
            "sequence_number": snapshot.sequence_number,
            "timestamp_ms": snapshot.timestamp_ms,
            "schema_id": snapshot.schema_id,
            "operation": snapshot.summary.operation.value if snapshot.summary else None,
            "files": scan_facts(table, snapshot.snapshot_id),
        })
    schema = table.schema()
    return {
        "metadata_location": table.metadata_location,
        "format_version": metadata.format_version,
        "current_snapshot_id": metadata.current_snapshot_id,
        "current_schema_id": metadata.current_schema_id,
        "fields": [{"id": f.field_id, "name": f.name, "type": str(f.field_type), "required": f.required}
                   for f in schema.fields],
        "specs": [{"spec_id": s.spec_id, "fields": [
            {"source_id": f.source_id, "field_id": f.field_id, "name": f.name, "transform": str(f.transform)}
            for f in s.fields]} for s in metadata.partition_specs],
        "snapshots": snapshots,
        "filtered": [{"column": column, "op": op, "value": value,
                      "files": scan_facts(table, metadata.current_snapshot_id, expression)}
                     for column, op, value, expression in filters],
    }


def main():
    root = Path(sys.argv[1]).resolve()
    root.mkdir(parents=True, exist_ok=True)
    catalog = SqlCatalog("lake", uri=f"sqlite:///{root}/catalog.db", warehouse=f"file://{root}/warehouse")
    catalog.create_namespace_if_not_exists("fixtures")
    expected = {}

    plain_schema = pa.schema([("id", pa.int64()), ("name", pa.string()), ("score", pa.float64())])
    plain = catalog.create_table("fixtures.plain", schema=plain_schema)
    plain.append(pa.table({"id": [1, 2, 3], "name": ["a", "b", None], "score": [1.5, 2.5, 3.5]},
                          schema=plain_schema))
    expected["plain"] = table_facts(plain, [("id", ">=", 3, GreaterThanOrEqual("id", 3)),
                                           ("id", ">=", 4, GreaterThanOrEqual("id", 4))])

    part_schema = Schema(
        NestedField(1, "id", LongType(), required=False),
        NestedField(2, "region", StringType(), required=False),
        NestedField(3, "ts", TimestampType(), required=False),
        NestedField(4, "day", DateType(), required=False),
    )
    spec = PartitionSpec(
        PartitionField(source_id=2, field_id=1000, transform=IdentityTransform(), name="region"),
        PartitionField(source_id=3, field_id=1001, transform=DayTransform(), name="ts_day"),
    )
    part = catalog.create_table("fixtures.partitioned", schema=part_schema, partition_spec=spec)
    arrow_part = part.schema().as_arrow()
    base = datetime.datetime(2024, 1, 30, 12, 0, 0)
    rows = [(i, ["eu", "us"][i % 2], base + datetime.timedelta(days=i), (base + datetime.timedelta(days=i)).date())
            for i in range(6)]
    part.append(pa.table({"id": [r[0] for r in rows], "region": [r[1] for r in rows],
                          "ts": [r[2] for r in rows], "day": [r[3] for r in rows]}, schema=arrow_part))
    with part.update_spec() as update:
        update.remove_field("ts_day")
        update.add_field("ts", MonthTransform(), "ts_month")
    part.append(pa.table({"id": [10, 11], "region": ["eu", "ap"],
                          "ts": [datetime.datetime(2024, 5, 1), datetime.datetime(2024, 6, 2)],
                          "day": [datetime.date(2024, 5, 1), datetime.date(2024, 6, 2)]}, schema=arrow_part))
    expected["partitioned"] = table_facts(part, [
        ("region", "=", "us", EqualTo("region", "us")),
        ("ts", ">=", "2024-05-15T00:00:00", GreaterThanOrEqual("ts", "2024-05-15T00:00:00")),
    ])

    evolved_schema = pa.schema([("id", pa.int64()), ("old_name", pa.string()), ("dropped", pa.int32())])
    evolved = catalog.create_table("fixtures.evolved", schema=evolved_schema)
    evolved.append(pa.table({"id": [1], "old_name": ["x"], "dropped": [7]}, schema=evolved_schema))
    with evolved.update_schema() as update:
        update.add_column("added", DoubleType())
        update.rename_column("old_name", "new_name")
        update.delete_column("dropped")
    evolved.append(pa.table({"id": [2], "new_name": ["y"], "added": [0.5]}, schema=evolved.schema().as_arrow()))
    expected["evolved"] = table_facts(evolved)
    expected["evolved"]["schemas"] = [
        {"schema_id": s.schema_id, "fields": [{"id": f.field_id, "name": f.name, "type": str(f.field_type)}
                                              for f in s.fields]}
        for s in evolved.metadata.schemas]

    history_schema = pa.schema([("id", pa.int64()), ("value", pa.string())])
    history = catalog.create_table("fixtures.history", schema=history_schema)
    for batch in range(3):
        history.append(pa.table({"id": [batch * 10 + i for i in range(3)],
                                 "value": [f"v{batch}{i}" for i in range(3)]}, schema=history_schema))
        time.sleep(0.01)
    history.delete(delete_filter=EqualTo("id", 11))
    history.overwrite(pa.table({"id": [100, 101], "value": ["o1", "o2"]}, schema=history_schema),
                      overwrite_filter=GreaterThanOrEqual("id", 20))
    expected["history"] = table_facts(history)
    expected["history"]["snapshot_log"] = [
        {"snapshot_id": e.snapshot_id, "timestamp_ms": e.timestamp_ms} for e in history.metadata.snapshot_log]

    (root / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
