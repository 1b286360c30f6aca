#!/usr/bin/env bash
# Runs a command beside the servers the test suites share: a signature-checking S3 service
# (moto_server) and a throwaway PostgreSQL 15.
#
#   scripts/run-with-test-servers.sh COMMAND [ARGUMENTS...]
#
# Both start on free loopback ports in a new directory under .test-servers/
# (scripts/moto-server.sh, scripts/postgres-server.sh). COMMAND runs with
# WEIR_TEST_S3_CREDENTIALS naming the credentials file moto-server.sh wrote and
# WEIR_TEST_POSTGRES_DSN naming the PostgreSQL (user demo, password demo, database
# lake). Both are stopped when this script exits, however it exits. The directory
# (the servers' logs included) is removed after a clean run and kept after a
# failure. Exits with COMMAND's status.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
(($# >= 1)) || { echo "usage: $0 COMMAND [ARGUMENTS...]" >&2; exit 2; }

mkdir -p "$root/.test-servers"
work=$(mktemp -d "$root/.test-servers/servers.XXXXXX")
# PostgreSQL runs as user postgres, which must be able to enter it (when it cannot reach the
# checkout at all, postgres-server.sh moves the cluster under /tmp).
chmod 755 "$work"

child=
cleanup() {
    local status=$?
    set +e
    if [[ -n $child ]]; then kill -TERM "$child" 2>/dev/null && wait "$child"; fi
    "$root/scripts/moto-server.sh" stop "$work/moto" >/dev/null
    "$root/scripts/postgres-server.sh" stop "$work/postgres" >/dev/null
    if ((status == 0)); then
        rm -rf "$work"
    else
        printf '[servers] kept %s (moto.log, postgres.log) after a failure\n' "$work" >&2
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r moto_port postgres_port <<<"$("$root/scripts/free-ports.py" 2 | tr '\n' ' ')"
mkdir -p "$work/moto"
"$root/scripts/moto-server.sh" start "$work/moto" "$moto_port"
export WEIR_TEST_S3_CREDENTIALS=$work/moto/credentials
"$root/scripts/postgres-server.sh" start "$work/postgres" "$postgres_port"
export WEIR_TEST_POSTGRES_DSN="host=127.0.0.1 port=$postgres_port user=demo password=demo dbname=lake"
# In the background so a signal to this script runs the trap at once rather than after COMMAND.
"$@" &
child=$!
wait "$child"
child=
