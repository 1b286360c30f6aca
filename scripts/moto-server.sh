#!/usr/bin/env bash
# Starts or stops a throwaway S3 service (moto_server) that checks request signatures.
#
#   scripts/moto-server.sh start DIR PORT
#   scripts/moto-server.sh stop  DIR [PORT]
#
# `start` runs moto_server on 127.0.0.1:PORT with its pid in DIR/moto.pid and its
# log in DIR/moto.log, then runs scripts/moto-setup.py, which creates an IAM user
# with an access key allowed s3:*, switches signature checking on (moto checks
# SigV4 once INITIAL_NO_AUTH_ACTION_COUNT actions have passed), creates the bucket
# and proves that a wrong secret is refused. The key pair, region, endpoint and
# bucket go to DIR/credentials as KEY=VALUE lines (mode 600):
#
#   AWS_ACCESS_KEY_ID=...  AWS_SECRET_ACCESS_KEY=...  AWS_REGION=us-east-1
#   AWS_ENDPOINT_URL=http://127.0.0.1:PORT  WEIR_TEST_S3_BUCKET=weir-test
#
# `stop` sends SIGTERM, waits, and kills the server if it has not exited. Both are
# safe to repeat. A server already running in DIR is left alone by `start`.
#
# Environment:
#   PYTHON              the Python with moto[server] and boto3 (default python3)
#   MOTO_BUCKET         bucket to create (default weir-test)
#   MOTO_START_TIMEOUT  seconds to wait for the port (default 30)
#   MOTO_STOP_TIMEOUT   seconds to wait for exit after SIGTERM (default 10)
set -euo pipefail

PYTHON=${PYTHON:-python3}
MOTO_BUCKET=${MOTO_BUCKET:-weir-test}
MOTO_START_TIMEOUT=${MOTO_START_TIMEOUT:-30}
MOTO_STOP_TIMEOUT=${MOTO_STOP_TIMEOUT:-10}
# Must match NO_AUTH_ACTIONS in moto-setup.py: the IAM actions it spends before auth is on.
NO_AUTH_ACTIONS=3

usage() {
    echo "usage: $0 start DIR PORT | stop DIR [PORT]" >&2
    exit 2
}
log() { printf '[moto] %s\n' "$*"; }
die() { printf '[moto] error: %s\n' "$*" >&2; exit 1; }

(($# >= 2)) || usage
command=$1
dir=$2
port=${3:-}
scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

source "$scripts/background-process.sh"
log_file=$dir/moto.log
pid_file=$dir/moto.pid

stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + MOTO_STOP_TIMEOUT))
    while alive "$pid"; do
        if ((SECONDS >= deadline)); then
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.1
    done
    rm -f "$pid_file"
}

start() {
    [[ $port =~ ^[0-9]+$ ]] || usage
    "$PYTHON" -c 'import moto.server, boto3, flask_cors' 2>/dev/null \
        || die "moto[server] is not installed for $PYTHON (run scripts/install-deps.sh)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)

    local pid
    if pid=$(running_pid "$pid_file"); then
        [[ -s $dir/credentials ]] || die "moto (pid $pid) runs in $dir but has no credentials file; stop it first"
        log "already running (pid $pid)"
        return 0
    fi
    port_open "$port" && die "port $port is already in use"
    rm -f "$dir/credentials"

    echo "==== $(date -u +%FT%TZ) moto_server on port $port" >>"$log_file"
    INITIAL_NO_AUTH_ACTION_COUNT=$NO_AUTH_ACTIONS \
        "$PYTHON" -m moto.server -H 127.0.0.1 -p "$port" </dev/null >>"$log_file" 2>&1 &
    pid=$!
    echo "$pid" >"$pid_file"

    local deadline=$((SECONDS + MOTO_START_TIMEOUT))
    until port_open "$port"; do
        if ! alive "$pid"; then
            rm -f "$pid_file"
            show_log "$log_file" 30
            die "moto_server exited before accepting connections"
        fi
        if ((SECONDS >= deadline)); then
            stop_pid "$pid"
            show_log "$log_file" 30
            die "port $port not accepting connections after ${MOTO_START_TIMEOUT}s"
        fi
        sleep 0.1
    done

    if ! "$PYTHON" "$scripts/moto-setup.py" "http://127.0.0.1:$port" "$MOTO_BUCKET" "$dir/credentials"; then
        stop_pid "$pid"
        show_log "$log_file" 30
        die "setting up IAM credentials and the bucket failed"
    fi
    log "ready on 127.0.0.1:$port with signature checking (pid $pid, credentials $dir/credentials)"
}

stop() {
    if [[ ! -d $dir ]]; then
        log "nothing to stop in $dir"
        return 0
    fi
    local pid
    if ! pid=$(running_pid "$pid_file"); then
        rm -f "$pid_file"
        log "not running"
        return 0
    fi
    stop_pid "$pid"
    log "stopped (pid $pid)"
}

case $command in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
