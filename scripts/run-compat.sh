#!/usr/bin/env bash
# Runs compat-tests/ against a fresh Weir and a fresh PostgreSQL 15.
#
#   scripts/run-compat.sh [pytest arguments...]   (e.g. compat-tests/test_psql.py -k describe)
#
# Both servers start on free loopback ports in a new directory under
# .test-servers/, and both are stopped when this script exits, however it
# exits. The directory (server logs included) is removed after a clean pass and
# kept after a failure. Exits non-zero if any test fails or Weir does not shut
# down cleanly on SIGTERM.
#
# Environment:
#   WEIR_BIN         the weir binary (default .build/debug/weir)
#   COMPAT_TARGETS   servers to test (default "postgres weir"; "postgres" alone
#                    checks the suite's expectations without a Weir build)
#   PYTHON           default python3
#   COMPAT_TPCH_SCALE  TPC-H scale factor loaded into both servers (default 0.01)
#   COMPAT_DUCKDB_TPCH_SCALE  TPC-H scale factor loaded into Weir as a second schema
#                    tpch_sf<scale> (tpch_sf0_1; PostgreSQL gets it empty) for the comparison
#                    with DuckDB in test_tpch_duckdb.py (default 0.1; empty skips it), loaded
#                    only when that test is among those run
#   TPCH_CACHE_DIR   where generated TPC-H Parquet is kept (default .test-servers/tpch-cache)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

WEIR_BIN=${WEIR_BIN:-.build/debug/weir}
COMPAT_TPCH_SCALE=${COMPAT_TPCH_SCALE:-0.01}
COMPAT_DUCKDB_TPCH_SCALE=${COMPAT_DUCKDB_TPCH_SCALE-0.1}
COMPAT_TARGETS=${COMPAT_TARGETS:-postgres weir}
PYTHON=${PYTHON:-python3}

log() { printf '[compat] %s\n' "$*"; }
die() { printf '[compat] error: %s\n' "$*" >&2; exit 1; }

wants() { [[ " $COMPAT_TARGETS " == *" $1 "* ]]; }

if wants weir && [[ ! -x $WEIR_BIN ]]; then
    die "no weir binary at $WEIR_BIN (run: make build)"
fi

# Arguments naming test files or directories replace the default of the whole suite.
targets=(compat-tests)
for argument in "$@"; do
    [[ $argument == compat-tests/* ]] && targets=()
done

# The DuckDB comparison reads a larger TPC-H from Weir; load it only for runs that include it.
duckdb_scale=""
if wants weir && [[ -n $COMPAT_DUCKDB_TPCH_SCALE ]]; then
    for target in "${targets[@]}" "$@"; do
        if [[ $target == compat-tests || $target == compat-tests/ || $target == compat-tests/test_tpch_duckdb.py* ]]; then
            duckdb_scale=$COMPAT_DUCKDB_TPCH_SCALE
        fi
    done
fi
duckdb_namespace="tpch_sf${duckdb_scale//./_}"

mkdir -p .test-servers
work=$(mktemp -d "$root/.test-servers/compat.XXXXXX")
# PostgreSQL runs as the postgres user, which must be able to enter this directory.
chmod 755 "$work"
read -r weir_port pg_port <<<"$(scripts/free-ports.py 2 | tr '\n' ' ')"

cleanup() {
    local status=$? weir_stopped=true
    set +e
    if wants weir; then
        scripts/weir-server.sh stop "$WEIR_BIN" "$work/weir" || { status=1; weir_stopped=false; }
    fi
    scripts/postgres-server.sh stop "$work/postgres" >/dev/null
    if ((status == 0)); then
        rm -rf "$work"
    else
        # A failed stop has already shown the log.
        if $weir_stopped && [[ -s $work/weir/weir.log ]]; then
            echo "---- last lines of $work/weir/weir.log ----"
            tail -n 30 "$work/weir/weir.log"
        fi
        log "FAILED; server logs kept in $work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The same TPC-H rows (generated once, cached) go into Weir's warehouse as Iceberg tables and
# into PostgreSQL as plain tables, so table queries can be compared between the two.
tpch_cache=${TPCH_CACHE_DIR:-$root/.test-servers/tpch-cache}
unset WEIR_DSN PG_DSN WEIR_DATA_DIR TPCH_DUCKDB_PARQUET_DIR TPCH_DUCKDB_NAMESPACE
if wants postgres; then
    scripts/postgres-server.sh start "$work/postgres" "$pg_port"
    export PG_DSN="host=127.0.0.1 port=$pg_port user=demo password=demo dbname=lake"
    if [[ -n $duckdb_scale ]]; then
        # An empty schema of the same name keeps the servers' schema lists (\dn, getSchemas) equal.
        "$PYTHON" -c 'import sys, psycopg; psycopg.connect(sys.argv[1], autocommit=True).execute(f"CREATE SCHEMA {sys.argv[2]}")' \
            "$PG_DSN" "$duckdb_namespace"
    fi
fi
if wants weir; then
    "$PYTHON" scripts/load-tpch.py --scale "$COMPAT_TPCH_SCALE" --data-dir "$work/weir/data" --cache-dir "$tpch_cache" >/dev/null
    if [[ -n $duckdb_scale ]]; then
        "$PYTHON" scripts/load-tpch.py --scale "$duckdb_scale" --namespace "$duckdb_namespace" \
            --data-dir "$work/weir/data" --cache-dir "$tpch_cache" >/dev/null
        export TPCH_DUCKDB_PARQUET_DIR="$tpch_cache/sf$duckdb_scale" TPCH_DUCKDB_NAMESPACE="$duckdb_namespace"
    fi
fi
if wants postgres; then
    "$PYTHON" scripts/load-tpch.py --scale "$COMPAT_TPCH_SCALE" --data-dir "$work/tpch-only" --cache-dir "$tpch_cache" >/dev/null
    "$PYTHON" scripts/load-tpch-postgres.py --dsn "$PG_DSN" --parquet-dir "$tpch_cache/sf$COMPAT_TPCH_SCALE" >/dev/null
fi
if wants weir; then
    # Small enough that the TPC-H fact tables at the test scale are read by parallel partitions,
    # large enough that nation and region are not: both paths run.
    export WEIR_PARALLEL_SCAN_MIN_ROWS=${WEIR_PARALLEL_SCAN_MIN_ROWS:-1000}
    scripts/weir-server.sh start "$WEIR_BIN" "$work/weir" "$weir_port"
    export WEIR_DSN="host=127.0.0.1 port=$weir_port user=demo password=demo dbname=lake"
    export WEIR_DATA_DIR="$work/weir/data"
    export WEIR_BIN
fi

log "PG_DSN=${PG_DSN:-<unset>}"
log "WEIR_DSN=${WEIR_DSN:-<unset>}"
"$PYTHON" -m pytest "${targets[@]}" -q "$@"
log "passed"
