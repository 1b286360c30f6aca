# Sourced by the benchmark scripts: starts "$WEIR_BIN" over data directory $1 on a free loopback
# port in the background, sets $port, $work (a scratch directory with weir.log and weir.pid) and
# $weir_pid, and stops the server when the calling script exits (keeping $work only on failure).
# Expects $root, $WEIR_BIN and $PYTHON; the first argument of the caller's name tags $work.
start_bench_weir() {
    local data=$1 tag=$2
    work=$(mktemp -d "$root/.test-servers/$tag.XXXXXX")
    port=$(scripts/free-ports.py 1)
    trap stop_bench_weir EXIT
    trap 'exit 130' INT TERM
    "$WEIR_BIN" serve --host 127.0.0.1 --port "$port" --data-dir "$data" >"$work/weir.log" 2>&1 &
    weir_pid=$!
    echo "$weir_pid" >"$work/weir.pid"
    for _ in $(seq 1 100); do
        if "$PYTHON" -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then break; fi
        sleep 0.1
    done
}

stop_bench_weir() {
    local status=$?
    set +e
    kill "$(cat "$work/weir.pid" 2>/dev/null)" 2>/dev/null
    wait 2>/dev/null
    ((status == 0)) && rm -rf "$work"
    exit "$status"
}
