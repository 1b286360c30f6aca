#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 cluster for tests and benchmarks.
#
#   scripts/postgres-server.sh start DIR PORT
#   scripts/postgres-server.sh stop  DIR [PORT]
#
# The cluster lives in DIR/data, its log in DIR/postgres.log and its unix socket
# in DIR. When user postgres cannot reach DIR (a checkout under root's home,
# mode 700), they live in a directory of their own under /tmp instead, named in
# DIR/cluster-location; `stop` copies the log back to DIR and removes it. It listens on 127.0.0.1:PORT only, stores passwords as SCRAM-SHA-256
# and requires SCRAM for every TCP connection. It has a login role `demo` with
# password `demo` and a database `lake` owned by it. Durability is switched off:
# the data is disposable.
#
# PostgreSQL refuses to run as root, so when run as root the cluster belongs to
# the `postgres` system user (created if missing) and DIR is chown'ed to it.
# `start` on a running cluster and `stop` on a stopped one do nothing.
#
# Environment:
#   PGBIN                   PostgreSQL binaries (default /usr/lib/postgresql/15/bin)
#   PG_LOG_STATEMENTS=1     log every statement clients send (to DIR/postgres.log)
#   PG_START_TIMEOUT        seconds to wait for startup (default 30)
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PG_START_TIMEOUT=${PG_START_TIMEOUT:-30}

usage() {
    echo "usage: $0 start DIR PORT | stop DIR [PORT]" >&2
    exit 2
}
log() { printf '[postgres] %s\n' "$*"; }
die() { printf '[postgres] error: %s\n' "$*" >&2; exit 1; }

(($# >= 2)) || usage
command=$1
dir=$2
port=${3:-}

[[ -x $PGBIN/postgres ]] || die "no PostgreSQL server in $PGBIN (run scripts/install-deps.sh)"

# Where the cluster's files are: DIR, or the directory DIR/cluster-location names.
cluster=
find_cluster() {
    if [[ -f $dir/cluster-location ]]; then cluster=$(cat "$dir/cluster-location"); else cluster=$dir; fi
}

run_as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        (cd "$cluster" && runuser -u postgres -- "$@")
    else
        (cd "$cluster" && "$@")
    fi
}

is_running() {
    [[ -f $cluster/data/postmaster.pid ]] && run_as_owner "$PGBIN/pg_ctl" status -D "$cluster/data" >/dev/null 2>&1
}

start() {
    [[ -n $port ]] || usage
    [[ $port =~ ^[0-9]+$ ]] || die "port must be a number, got '$port'"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)

    if [[ $(id -u) -eq 0 ]]; then
        if ! id postgres >/dev/null 2>&1; then
            log "creating system user postgres"
            useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
        fi
        chown -R postgres: "$dir"
        find_cluster
        if [[ $cluster == "$dir" ]] && ! runuser -u postgres -- test -w "$dir" -a -x "$dir"; then
            cluster=$(mktemp -d /tmp/weir-postgres.XXXXXX)
            chmod 755 "$cluster"
            chown postgres: "$cluster"
            echo "$cluster" >"$dir/cluster-location"
            log "user postgres cannot reach $dir; the cluster lives in $cluster"
        fi
    else
        find_cluster
    fi

    if is_running; then
        log "already running in $cluster"
        return 0
    fi

    if [[ ! -f $cluster/data/PG_VERSION ]]; then
        log "initdb $cluster/data"
        run_as_owner "$PGBIN/initdb" -D "$cluster/data" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$cluster/initdb.log" 2>&1 \
            || { cat "$cluster/initdb.log" >&2; die "initdb failed"; }
        cat >"$cluster/data/pg_hba.conf" <<'EOF'
# Local socket: the test scripts administer the cluster as the superuser.
local   all   all                  trust
# TCP: loopback only, SCRAM only.
host    all   all   127.0.0.1/32   scram-sha-256
EOF
        echo "include 'weir-test.conf'" >>"$cluster/data/postgresql.conf"
    fi

    # Written on every start so a reused DIR picks up a new port.
    {
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $port"
        echo "unix_socket_directories = '$cluster'"
        echo "password_encryption = 'scram-sha-256'"
        echo "ssl = off"
        echo "timezone = 'UTC'"
        echo "log_timezone = 'UTC'"
        echo "datestyle = 'iso, mdy'"
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
        if [[ ${PG_LOG_STATEMENTS:-0} == 1 ]]; then
            echo "log_statement = 'all'"
            echo "log_connections = on"
            echo "log_line_prefix = '%m [%p] %u@%d %a: '"
        fi
    } >"$cluster/data/weir-test.conf"
    chown_if_root "$cluster/data/weir-test.conf"

    log "starting on 127.0.0.1:$port (log $cluster/postgres.log)"
    if ! run_as_owner "$PGBIN/pg_ctl" start -D "$cluster/data" -l "$cluster/postgres.log" \
        -w -t "$PG_START_TIMEOUT" >/dev/null; then
        tail -n 30 "$cluster/postgres.log" >&2 || true
        die "PostgreSQL did not start"
    fi

    run_as_owner "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$cluster" -p "$port" -U postgres -d postgres <<'EOF' >/dev/null
SELECT 'CREATE ROLE demo LOGIN'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'demo') \gexec
ALTER ROLE demo PASSWORD 'demo';
SELECT 'CREATE DATABASE lake OWNER demo'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'lake') \gexec
EOF

    # Prove the setup the tests rely on: SCRAM over TCP as demo into lake.
    local check
    check=$(PGPASSWORD=demo "$PGBIN/psql" -X -A -t \
        "host=127.0.0.1 port=$port user=demo dbname=lake sslmode=disable" \
        -c "SELECT current_user || '@' || current_database() || ' ' || current_setting('password_encryption')") \
        || die "cannot connect as demo over TCP"
    [[ $check == "demo@lake scram-sha-256" ]] || die "unexpected check result: $check"
    log "ready: host=127.0.0.1 port=$port user=demo password=demo dbname=lake"
}

chown_if_root() {
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$1"; fi
}

stop() {
    if [[ ! -d $dir ]]; then
        log "nothing to stop in $dir"
        return 0
    fi
    dir=$(cd "$dir" && pwd)
    find_cluster
    if is_running; then
        run_as_owner "$PGBIN/pg_ctl" stop -D "$cluster/data" -m fast -w -t 60 >/dev/null
        log "stopped ($cluster)"
    else
        log "not running ($cluster)"
    fi
    if [[ $cluster != "$dir" ]]; then
        cp "$cluster/postgres.log" "$dir/postgres.log" 2>/dev/null || true
        rm -rf "$cluster" "$dir/cluster-location"
    fi
}

case $command in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
