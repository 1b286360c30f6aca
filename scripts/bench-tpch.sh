#!/usr/bin/env bash
# TPC-H on Weir against DuckDB, measured in one invocation.
#
#   scripts/bench-tpch.sh
#
# Builds the release binary, generates TPC-H at BENCH_TPCH_SCALE once (cached in
# .bench/tpch-cache) and loads it as Iceberg tables into a cached Weir data
# directory (.bench/tpch-sf<SCALE>), starts Weir on a free loopback port, runs
# scripts/bench-tpch.py (the 22 queries over the wire on Weir, and on DuckDB
# with one thread per core over the same Parquet files), writes the table to
# bench-results/tpch.txt and stops Weir.
#
# Environment:
#   WEIR_BIN          the weir binary (default .build/release/weir)
#   BENCH_SKIP_BUILD  1: use the existing binary
#   BENCH_TPCH_SCALE  scale factor (default 1)
#   BENCH_RUNS        timed runs per query after a warm-up; the best counts (default 3)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

WEIR_BIN=${WEIR_BIN:-.build/release/weir}
PYTHON=${PYTHON:-python3}
SWIFT=${SWIFT:-swift}
scale=${BENCH_TPCH_SCALE:-1}

log() { printf '[bench-tpch] %s\n' "$*"; }

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    log "swift build -c release"
    "$SWIFT" build -c release --product weir
fi

mkdir -p .bench .test-servers bench-results
data="$root/.bench/tpch-sf$scale"
cache="$root/.bench/tpch-cache"
log "TPC-H SF$scale in $data"
"$PYTHON" scripts/load-tpch.py --scale "$scale" --data-dir "$data" --cache-dir "$cache"

source scripts/bench-weir-server.sh
start_bench_weir "$data" bench-tpch

"$PYTHON" scripts/bench-tpch.py --weir-dsn "host=127.0.0.1 port=$port user=demo password=demo dbname=lake" \
    --parquet-dir "$cache/sf$scale" --runs "${BENCH_RUNS:-3}" --output bench-results/tpch.txt
