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
echo "== Weir ($TASKS task(s)), default glibc malloc"
"$BIN" "$FILE" "$TASKS" 3
# Whole row groups are fresh multi-megabyte arrays; with glibc's defaults each one is mmap'ed,
# page-faulted in and unmapped again, which costs more than decoding. Raising the thresholds shows
# the decoder's own speed (what a long-running server with a tuned or pooling allocator sees).
echo "== Weir ($TASKS task(s)), malloc mmap/trim thresholds raised"
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=1073741824 "$BIN" "$FILE" "$TASKS" 3
echo "== DuckDB ($TASKS thread(s))"
python3 - "$FILE" "$TASKS" <<'PY'
import sys, time, duckdb
path, threads = sys.argv[1], int(sys.argv[2])
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
for run in range(1, 4):
    start = time.perf_counter()
    table = con.sql(f"SELECT * FROM read_parquet('{path}')").to_arrow_table()
    arrow = time.perf_counter() - start
    start = time.perf_counter()
    con.execute(f"CREATE OR REPLACE TEMP TABLE scanned AS SELECT * FROM read_parquet('{path}')")
    materialised = time.perf_counter() - start
    start = time.perf_counter()
    con.execute(f"SELECT sum(hash(COLUMNS(*))) FROM read_parquet('{path}')").fetchall()
    hashed = time.perf_counter() - start
    print(f"run {run}: {table.num_rows} rows: to_arrow_table {arrow:.3f}s, CREATE TEMP TABLE AS {materialised:.3f}s, "
          f"sum(hash(every column)) {hashed:.3f}s")
PY
