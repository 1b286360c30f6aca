#!/usr/bin/env bash
# Times Weir's Parquet reader decoding a whole file into engine columns, next to DuckDB
# materialising the same file into Arrow, in the same invocation (absolute times drift on shared
# machines; compare the ratio).
#
#   scripts/bench-parquet.sh FILE [TASKS]
#
# Builds the Lakehouse target in release mode, then compiles scripts/bench/ParquetScanBenchmark.swift
# against it (no extra package target needed).
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:?usage: scripts/bench-parquet.sh FILE [TASKS]}
TASKS=${2:-1}
swift build -c release --target Lakehouse >/dev/null
BIN=.build/release/parquet-scan-benchmark
includes=()
for shim in Sources/System/C*; do includes+=(-I "$shim"); done
swiftc -O -parse-as-library -module-name ParquetScanBenchmark -I .build/release/Modules "${includes[@]}" \
    scripts/bench/ParquetScanBenchmark.swift .build/release/Lakehouse.build/*.o .build/release/Engine.build/*.o \
    -lzstd -lsnappy -lz -llz4 -o "$BIN"
echo "== Weir ($TASKS task(s))"
"$BIN" "$FILE" "$TASKS" 3
echo "== DuckDB ($TASKS thread(s))"
python3 - "$FILE" "$TASKS" <<'PY'
import sys, time, duckdb
path, threads = sys.argv[1], int(sys.argv[2])
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
for run in range(1, 4):
    start = time.perf_counter()
    result = con.execute(f"SELECT * FROM read_parquet('{path}')")
    table = result.to_arrow_table() if hasattr(result, "to_arrow_table") else result.fetch_arrow_table()
    arrow = time.perf_counter() - start
    start = time.perf_counter()
    con.execute(f"CREATE OR REPLACE TEMP TABLE scanned AS SELECT * FROM read_parquet('{path}')")
    materialised = time.perf_counter() - start
    print(f"run {run}: {table.num_rows} rows: to_arrow_table {arrow:.3f}s, CREATE TEMP TABLE AS {materialised:.3f}s")
PY
