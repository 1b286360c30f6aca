#!/usr/bin/env bash
# Wire throughput of Weir against PostgreSQL 15, measured in one invocation.
#
#   scripts/bench-wire.sh
#
# Builds the release binary, starts Weir and a PostgreSQL on free loopback
# ports, runs scripts/bench-wire.py against each in turn (pgbench SELECT 1 in
# simple and extended mode; 1,000,000 mixed-type rows through psql COPY and
# psycopg 3), prints tps and rows/s with the weir/postgres ratio, and writes the
# table to bench-results/wire.txt. Both servers are stopped on exit.
#
# Environment:
#   WEIR_BIN          the weir binary (default .build/release/weir)
#   BENCH_SKIP_BUILD  1: use the existing binary, do not run swift build
#   BENCH_TARGETS     default "postgres weir"; "postgres" measures PostgreSQL alone
#   BENCH_SECONDS     pgbench duration per run (default 10)
#   BENCH_ROWS        rows to stream (default 1000000)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

WEIR_BIN=${WEIR_BIN:-.build/release/weir}
BENCH_TARGETS=${BENCH_TARGETS:-postgres weir}
PYTHON=${PYTHON:-python3}
SWIFT=${SWIFT:-swift}

log() { printf '[bench] %s\n' "$*"; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }
wants() { [[ " $BENCH_TARGETS " == *" $1 "* ]]; }

if wants weir; then
    if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
        log "swift build -c release"
        "$SWIFT" build -c release
    fi
    [[ -x $WEIR_BIN ]] || die "no weir binary at $WEIR_BIN (build it with: make release)"
fi

mkdir -p .test-servers bench-results
work=$(mktemp -d "$root/.test-servers/bench.XXXXXX")
chmod 755 "$work"
read -r weir_port pg_port <<<"$(scripts/free-ports.py 2 | tr '\n' ' ')"

cleanup() {
    local status=$?
    set +e
    if wants weir; then
        scripts/weir-server.sh stop "$WEIR_BIN" "$work/weir" || status=1
    fi
    scripts/postgres-server.sh stop "$work/postgres" >/dev/null
    if ((status == 0)); then
        rm -rf "$work"
    else
        log "FAILED; server logs kept in $work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

servers=()
if wants postgres; then
    scripts/postgres-server.sh start "$work/postgres" "$pg_port"
    servers+=("postgres=$pg_port")
fi
if wants weir; then
    scripts/weir-server.sh start "$WEIR_BIN" "$work/weir" "$weir_port"
    servers+=("weir=$weir_port")
fi

BENCH_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
if [[ -n $(git status --porcelain 2>/dev/null) ]]; then BENCH_COMMIT+=" (with uncommitted changes)"; fi
export BENCH_COMMIT

"$PYTHON" scripts/bench-wire.py \
    --seconds "${BENCH_SECONDS:-10}" --rows "${BENCH_ROWS:-1000000}" \
    --output bench-results/wire.txt "${servers[@]}"
