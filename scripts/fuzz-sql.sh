#!/usr/bin/env bash
# Long runs of the SQL fuzzer (compat-tests/sqlfuzz) against a fresh Weir and a fresh PostgreSQL 15.
#
#   scripts/fuzz-sql.sh [sqlfuzz arguments...]     (e.g. --queries 100000 --seed 7)
#
# Both servers start on free loopback ports in a new directory under .test-servers/ and are
# stopped when this script exits, however it exits; the directory (server logs included) is
# removed after a run without findings and kept otherwise. Each finding is printed with a
# minimized reproducer (the tables' rows and the query, with both servers' answers). Exits 1 when
# there was any finding.
#
# Environment:
#   WEIR_BIN   the weir binary (default .build/debug/weir)
#   PYTHON     default python3
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
WEIR_BIN=${WEIR_BIN:-.build/debug/weir}
PYTHON=${PYTHON:-python3}
[[ -x $WEIR_BIN ]] || { echo "[fuzz-sql] no weir binary at $WEIR_BIN (run: make build)" >&2; exit 1; }

mkdir -p .test-servers
work=$(mktemp -d "$root/.test-servers/fuzz-sql.XXXXXX")
# PostgreSQL runs as the postgres user, which must be able to enter this directory.
chmod 755 "$work"
read -r weir_port pg_port <<<"$(scripts/free-ports.py 2 | tr '\n' ' ')"

cleanup() {
    local status=$?
    set +e
    scripts/weir-server.sh stop "$WEIR_BIN" "$work/weir" || status=1
    scripts/postgres-server.sh stop "$work/postgres" >/dev/null
    if ((status == 0)); then
        rm -rf "$work"
    else
        echo "[fuzz-sql] server logs kept in $work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

scripts/postgres-server.sh start "$work/postgres" "$pg_port"
scripts/weir-server.sh start "$WEIR_BIN" "$work/weir" "$weir_port"
"$PYTHON" compat-tests/sqlfuzz \
    --weir "host=127.0.0.1 port=$weir_port user=demo password=demo dbname=lake" \
    --postgres "host=127.0.0.1 port=$pg_port user=demo password=demo dbname=lake" "$@"
