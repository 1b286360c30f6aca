#!/usr/bin/env python3
"""Generate TPC-H with tpchgen-cli and load it as Iceberg tables in the embedded catalog.

Usage: load-tpch.py [--scale SF] [--data-dir DIR] [--cache-dir DIR] [--namespace NAME]

Parquet files are generated once per scale factor into CACHE_DIR/sf<SF>/ and reused. The 8
tables are loaded into namespace NAME (default "tpch") of the SqlCatalog "lake" at
sqlite:///DATA_DIR/catalog.db with warehouse file://DATA_DIR/warehouse, which is Weir's embedded
default; a second namespace holds a second scale factor beside the first. Tables that already
exist are skipped; each table is created and filled in one commit, so an interrupted load leaves
no half-loaded table behind.
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from pyiceberg.catalog.sql import SqlCatalog

TABLES = ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"]
BATCH_ROWS = 2_000_000


def generate(scale: str, cache_dir: Path) -> Path:
    target = cache_dir / f"sf{scale}"
    if all((target / f"{table}.parquet").exists() for table in TABLES):
        return target
    if shutil.which("tpchgen-cli") is None:
        sys.exit("load-tpch: tpchgen-cli is not installed (pip install tpchgen-cli)")
    partial = cache_dir / f"sf{scale}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    subprocess.run(["tpchgen-cli", "parquet", "--scale-factor", scale, "--output-dir", str(partial)], check=True)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target


def plain_types(schema: pa.Schema) -> pa.Schema:
    """Iceberg has no view or large string types; read those columns as plain strings."""
    fields = []
    for field in schema:
        kind = field.type
        if pa.types.is_string_view(kind) or pa.types.is_large_string(kind):
            kind = pa.string()
        fields.append(pa.field(field.name, kind, nullable=field.nullable))
    return pa.schema(fields)


def load(catalog: SqlCatalog, namespace: str, table: str, source: Path) -> None:
    identifier = (namespace, table)
    if catalog.table_exists(identifier):
        print(f"load-tpch: {namespace}.{table} exists, skipped")
        return
    parquet = pq.ParquetFile(source)
    schema = plain_types(parquet.schema_arrow)
    transaction = catalog.create_table_transaction(identifier, schema=schema)
    rows = 0
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
        chunk = pa.Table.from_batches([batch]).cast(schema)
        transaction.append(chunk)
        rows += chunk.num_rows
    transaction.commit_transaction()
    print(f"load-tpch: {namespace}.{table} loaded, {rows} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="0.1", help="TPC-H scale factor (default 0.1)")
    parser.add_argument("--data-dir", default="./var", help="Weir data directory (default ./var)")
    parser.add_argument("--cache-dir", default="./var/tpch-cache", help="where generated Parquet is kept")
    parser.add_argument("--namespace", default="tpch", help="Iceberg namespace (SQL schema) of the tables (default tpch)")
    args = parser.parse_args()

    data_dir = Path(args.data_dir).resolve()
    cache_dir = Path(args.cache_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    parquet_dir = generate(args.scale, cache_dir)

    catalog = SqlCatalog("lake", uri=f"sqlite:///{data_dir}/catalog.db", warehouse=f"file://{data_dir}/warehouse")
    catalog.create_namespace_if_not_exists(args.namespace)
    for table in TABLES:
        load(catalog, args.namespace, table, parquet_dir / f"{table}.parquet")


if __name__ == "__main__":
    main()
