#!/usr/bin/env bash
# Runs a command with a signature-checking S3 service (moto_server) beside it.
#
#   scripts/run-with-moto.sh COMMAND [ARGUMENTS...]
#
# moto starts on a free loopback port in a new directory under .test-servers/
# (scripts/moto-server.sh), COMMAND runs with WEIR_TEST_S3_CREDENTIALS naming the
# credentials file moto-server.sh wrote, and moto is stopped when this script
# exits, however it exits. The directory (moto's log included) is removed after
# a clean run and kept after a failure. Exits with COMMAND's status.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
(($# >= 1)) || { echo "usage: $0 COMMAND [ARGUMENTS...]" >&2; exit 2; }

mkdir -p "$root/.test-servers"
work=$(mktemp -d "$root/.test-servers/moto.XXXXXX")

child=
cleanup() {
    local status=$?
    set +e
    if [[ -n $child ]]; then kill -TERM "$child" 2>/dev/null && wait "$child"; fi
    "$root/scripts/moto-server.sh" stop "$work" >/dev/null
    if ((status == 0)); then
        rm -rf "$work"
    else
        printf '[moto] kept %s (moto.log) after a failure\n' "$work" >&2
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$root/scripts/moto-server.sh" start "$work" "$("$root/scripts/free-ports.py" 1)"
export WEIR_TEST_S3_CREDENTIALS=$work/credentials
# In the background so a signal to this script runs the trap at once rather than after COMMAND.
"$@" &
child=$!
wait "$child"
child=
