#!/usr/bin/env bash
# Starts or stops a Weir server in the background for tests and benchmarks.
#
#   scripts/weir-server.sh start BIN DIR PORT
#   scripts/weir-server.sh stop  BIN DIR [PORT]
#
# `start` runs `BIN serve --host 127.0.0.1 --port PORT --data-dir DIR/data`,
# writes its pid to DIR/weir.pid and its output to DIR/weir.log, and returns
# once the port accepts connections (or fails, showing the log, if the process
# dies or the timeout passes). `stop` sends SIGTERM and waits for the process
# to exit; if it has not exited in time it is killed and `stop` fails, because
# a clean exit on SIGTERM is part of Weir's contract. Both are safe to repeat.
#
# Environment:
#   WEIR_START_TIMEOUT   seconds to wait for the port (default 30)
#   WEIR_STOP_TIMEOUT    seconds to wait for exit after SIGTERM (default 15)
set -euo pipefail

WEIR_START_TIMEOUT=${WEIR_START_TIMEOUT:-30}
WEIR_STOP_TIMEOUT=${WEIR_STOP_TIMEOUT:-15}

usage() {
    echo "usage: $0 start BIN DIR PORT | stop BIN DIR [PORT]" >&2
    exit 2
}
log() { printf '[weir] %s\n' "$*"; }
die() { printf '[weir] error: %s\n' "$*" >&2; exit 1; }

(($# >= 3)) || usage
command=$1
bin=$2
dir=$3
port=${4:-}
pid_file=$dir/weir.pid
log_file=$dir/weir.log

source "$(dirname "${BASH_SOURCE[0]}")/background-process.sh"

start() {
    [[ $port =~ ^[0-9]+$ ]] || usage
    [[ -x $bin ]] || die "no weir binary at $bin (build it: make build, or make release)"
    mkdir -p "$dir/data"

    local pid
    if pid=$(running_pid "$pid_file"); then
        log "already running (pid $pid)"
        return 0
    fi
    # Otherwise readiness would be judged on someone else's server.
    port_open "$port" && die "port $port is already in use"

    echo "==== $(date -u +%FT%TZ) $bin serve on port $port" >>"$log_file"
    "$bin" serve --host 127.0.0.1 --port "$port" --data-dir "$dir/data" </dev/null >>"$log_file" 2>&1 &
    pid=$!
    echo "$pid" >"$pid_file"

    local deadline=$((SECONDS + WEIR_START_TIMEOUT))
    until port_open "$port"; do
        if ! alive "$pid"; then
            local status=0
            wait "$pid" || status=$?
            rm -f "$pid_file"
            show_log "$log_file"
            die "weir exited with status $status before accepting connections"
        fi
        if ((SECONDS >= deadline)); then
            show_log "$log_file"
            kill -TERM "$pid" 2>/dev/null || true
            die "port $port not accepting connections after ${WEIR_START_TIMEOUT}s"
        fi
        sleep 0.1
    done
    log "ready on 127.0.0.1:$port (pid $pid, log $log_file)"
}

stop() {
    local pid
    if ! pid=$(running_pid "$pid_file"); then
        rm -f "$pid_file"
        log "not running"
        return 0
    fi
    kill -TERM "$pid"
    local deadline=$((SECONDS + WEIR_STOP_TIMEOUT))
    while alive "$pid"; do
        if ((SECONDS >= deadline)); then
            kill -KILL "$pid" 2>/dev/null || true
            rm -f "$pid_file"
            show_log "$log_file"
            die "weir (pid $pid) did not exit within ${WEIR_STOP_TIMEOUT}s of SIGTERM; killed it"
        fi
        sleep 0.1
    done
    rm -f "$pid_file"
    log "stopped (pid $pid)"
}

case $command in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
