#!/usr/bin/env bash
# Iceberg scans on Weir against DuckDB, measured in one invocation.
#
#   scripts/bench-scan.sh
#
# Builds the release binary, loads TPC-H SF1 once (the cached data directory bench-tpch uses,
# .bench/tpch-sf1), has Weir write bench.lineitem_by_month (lineitem partitioned by
# month(l_shipdate)) once, starts Weir on a free loopback port, runs scripts/bench-scan.py, writes
# the table to bench-results/scan.txt and stops Weir.
#
# Environment:
#   WEIR_BIN          the weir binary (default .build/release/weir)
#   BENCH_SKIP_BUILD  1: use the existing binary
#   BENCH_RUNS        timed runs per query after a warm-up; the best counts (default 3)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

WEIR_BIN=${WEIR_BIN:-.build/release/weir}
PYTHON=${PYTHON:-python3}
SWIFT=${SWIFT:-swift}

log() { printf '[bench-scan] %s\n' "$*"; }

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    log "swift build -c release"
    "$SWIFT" build -c release --product weir
fi

mkdir -p .bench .test-servers bench-results
data="$root/.bench/tpch-sf1"
cache="$root/.bench/tpch-cache"
log "TPC-H SF1 in $data"
"$PYTHON" scripts/load-tpch.py --scale 1 --data-dir "$data" --cache-dir "$cache"

source scripts/bench-weir-server.sh
start_bench_weir "$data" bench-scan
dsn="host=127.0.0.1 port=$port user=demo password=demo dbname=lake"

"$PYTHON" - "$dsn" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as connection:
    exists = connection.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = 'bench' AND table_name = 'lineitem_by_month'").fetchall()
    if not exists:
        print("[bench-scan] writing bench.lineitem_by_month with Weir (once)", flush=True)
        connection.execute("CREATE SCHEMA IF NOT EXISTS bench")
        columns = connection.execute(
            "SELECT column_name, format_type(atttypid, atttypmod) FROM information_schema.columns c "
            "JOIN pg_attribute a ON a.attname = c.column_name AND a.attrelid = 'tpch.lineitem'::regclass "
            "WHERE table_schema = 'tpch' AND table_name = 'lineitem' ORDER BY ordinal_position").fetchall()
        definition = ", ".join(f"{name} {kind}" for name, kind in columns)
        connection.execute(f"CREATE TABLE bench.lineitem_by_month ({definition}) PARTITION BY iceberg (month(l_shipdate))")
        try:
            connection.execute("INSERT INTO bench.lineitem_by_month SELECT * FROM tpch.lineitem")
        except BaseException:
            connection.execute("DROP TABLE IF EXISTS bench.lineitem_by_month")
            raise
PY

"$PYTHON" scripts/bench-scan.py --weir-dsn "$dsn" --weir-pid "$weir_pid" --runs "${BENCH_RUNS:-3}" \
    --output bench-results/scan.txt
