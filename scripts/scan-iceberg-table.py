#!/usr/bin/env python3
"""Scan an Iceberg table with PyIceberg and record what PyIceberg returns, for interop tests.

Usage: scan-iceberg-table.py DIR NAMESPACE.TABLE OUT.json

Opens DIR/catalog.db as the SqlCatalog "lake" (warehouse DIR/warehouse, as Weir's embedded catalog)
and writes OUT.json: {"rows": the current snapshot's rows as lists of column values in schema
order (sorted), "files": per planned data file its path and the paths of the delete files
PyIceberg applies to it}.
"""

import json
import sys

from pyiceberg.catalog.sql import SqlCatalog


def main():
    directory, name, out = sys.argv[1:4]
    catalog = SqlCatalog("lake", uri=f"sqlite:///{directory}/catalog.db", warehouse=f"file://{directory}/warehouse")
    table = catalog.load_table(name)
    scan = table.scan()
    files = [
        {"path": task.file.file_path, "deletes": sorted(d.file_path for d in task.delete_files)}
        for task in scan.plan_files()
    ]
    arrow = scan.to_arrow()
    columns = [arrow.column(i).to_pylist() for i in range(arrow.num_columns)]
    rows = sorted((list(row) for row in zip(*columns)), key=lambda row: json.dumps(row))
    with open(out, "w") as handle:
        json.dump({"rows": rows, "files": sorted(files, key=lambda f: f["path"])}, handle)


if __name__ == "__main__":
    main()
