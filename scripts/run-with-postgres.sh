#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 beside it.
#
#   scripts/run-with-postgres.sh COMMAND [ARGUMENTS...]
#
# PostgreSQL starts on a free loopback port in a new directory under .test-servers/
# (scripts/postgres-server.sh), COMMAND runs with WEIR_TEST_POSTGRES_DSN naming it
# (user demo, password demo, database lake), and PostgreSQL is stopped when this
# script exits, however it exits. The directory (the server's log included) is
# removed after a clean run and kept after a failure. Exits with COMMAND's status.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
(($# >= 1)) || { echo "usage: $0 COMMAND [ARGUMENTS...]" >&2; exit 2; }

mkdir -p "$root/.test-servers"
work=$(mktemp -d "$root/.test-servers/postgres.XXXXXX")

child=
cleanup() {
    local status=$?
    set +e
    if [[ -n $child ]]; then kill -TERM "$child" 2>/dev/null && wait "$child"; fi
    "$root/scripts/postgres-server.sh" stop "$work/postgres" >/dev/null
    if ((status == 0)); then
        rm -rf "$work"
    else
        printf '[postgres] kept %s (postgres.log) after a failure\n' "$work" >&2
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$("$root/scripts/free-ports.py" 1)
"$root/scripts/postgres-server.sh" start "$work/postgres" "$port"
export WEIR_TEST_POSTGRES_DSN="host=127.0.0.1 port=$port user=demo password=demo dbname=lake"
# In the background so a signal to this script runs the trap at once rather than after COMMAND.
"$@" &
child=$!
wait "$child"
child=
