#!/usr/bin/env bash
# Installs what building and testing Weir needs, and only what is missing.
#
# Every requirement is checked first (dpkg for Debian packages, an import for
# Python packages), so a second run does no network access and takes a second.
# `apt-get update` runs only when an apt install is actually needed.
#
# Environment:
#   PYTHON   the Python that runs the compat tests (default: python3)
set -euo pipefail

PYTHON=${PYTHON:-python3}
export DEBIAN_FRONTEND=noninteractive

log() { printf '[deps] %s\n' "$*"; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo DEBIAN_FRONTEND=noninteractive "$@"
    else
        log "need root (or sudo) to run: $*" >&2
        exit 1
    fi
}

# Each entry is "package" or "package|alternative|...": the requirement is met
# when any alternative is installed. The first name is the one installed.
APT_REQUIREMENTS=(
    # build: libpg_query (PostgreSQL 15 grammar) and the system libraries the shims wrap
    libpg-query-dev
    libpq-dev
    libssl-dev
    libzstd-dev
    libsnappy-dev
    libldap2-dev
    liblz4-dev
    zlib1g-dev
    libsqlite3-dev
    # real PostgreSQL 15 server and clients (psql, pgbench, pg_isready)
    "postgresql|postgresql-15"
    "postgresql-client|postgresql-client-15"
    # compat tests: pgjdbc needs javac + java, psqlODBC needs unixODBC
    "default-jdk-headless|openjdk-17-jdk-headless"
    libpostgresql-jdbc-java
    odbc-postgresql
    unixodbc-dev
)

# pip requirement -> Python code that succeeds when it is satisfied.
PIP_REQUIREMENTS=(
    "psycopg[binary]>=3.1"
    "psycopg2-binary"
    "asyncpg"
    "SQLAlchemy>=2"
    "pandas"
    "pyodbc"
    "pytest"
    "cryptography"
    # lakehouse tests: Parquet fixtures, the independent Iceberg writer/reader, the result oracle
    "pyarrow"
    "pyiceberg[sql-sqlite,pyarrow,pyiceberg-core]"
    "duckdb"
    "tpchgen-cli"
    # S3 tests: an S3 API server that checks signatures, set up through boto3
    "moto[server]"
)
pip_check() {
    case "$1" in
        "psycopg[binary]>=3.1") echo 'import psycopg, psycopg_binary' ;;
        psycopg2-binary) echo 'import psycopg2' ;;
        asyncpg) echo 'import asyncpg' ;;
        "SQLAlchemy>=2") echo 'import sqlalchemy; assert int(sqlalchemy.__version__.split(".")[0]) >= 2' ;;
        pandas) echo 'import pandas' ;;
        pyodbc) echo 'import pyodbc' ;;
        pytest) echo 'import pytest' ;;
        cryptography) echo 'from cryptography import x509' ;;
        pyarrow) echo 'import pyarrow.parquet' ;;
        "pyiceberg[sql-sqlite,pyarrow,pyiceberg-core]") echo 'import pyiceberg.catalog.sql, sqlalchemy, pyarrow, pyiceberg_core' ;;
        duckdb) echo 'import duckdb' ;;
        tpchgen-cli) echo 'import shutil, sys; sys.exit(shutil.which("tpchgen-cli") is None)' ;;
        "moto[server]") echo 'import moto.server, flask_cors, boto3' ;;
        *) log "no check for pip requirement $1" >&2; exit 1 ;;
    esac
}

apt_installed() {
    local status
    status=$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) || return 1
    [[ $status == installed ]]
}

missing_apt=()
for requirement in "${APT_REQUIREMENTS[@]}"; do
    IFS='|' read -r -a alternatives <<<"$requirement"
    met=false
    for name in "${alternatives[@]}"; do
        if apt_installed "$name"; then met=true; break; fi
    done
    $met || missing_apt+=("${alternatives[0]}")
done
# pyodbc is installed by pip below but links against the unixODBC runtime.
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    missing_apt+=(python3)
fi
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    missing_apt+=(python3-pip)
fi

if ((${#missing_apt[@]} > 0)); then
    log "apt: installing ${missing_apt[*]}"
    apt_log=$(mktemp)
    if ! {
        as_root apt-get update -qq &&
            as_root apt-get install -y -qq --no-install-recommends "${missing_apt[@]}"
    } >"$apt_log" 2>&1; then
        cat "$apt_log" >&2
        rm -f "$apt_log"
        log "apt-get failed" >&2
        exit 1
    fi
    rm -f "$apt_log"
else
    log "apt: all ${#APT_REQUIREMENTS[@]} requirements present"
fi

missing_pip=()
for requirement in "${PIP_REQUIREMENTS[@]}"; do
    if ! "$PYTHON" -c "$(pip_check "$requirement")" >/dev/null 2>&1; then
        missing_pip+=("$requirement")
    fi
done

if ((${#missing_pip[@]} > 0)); then
    log "pip: installing ${missing_pip[*]}"
    pip_flags=(--quiet --disable-pip-version-check --root-user-action=ignore)
    # Debian's own python3 refuses system-wide installs (PEP 668); this is a
    # build machine, so install anyway rather than juggling a virtualenv.
    externally_managed='import os, sys, sysconfig
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
sys.exit(0 if os.path.exists(marker) and sys.prefix == sys.base_prefix else 1)'
    if "$PYTHON" -c "$externally_managed"; then
        pip_flags+=(--break-system-packages)
    fi
    "$PYTHON" -m pip install "${pip_flags[@]}" "${missing_pip[@]}"
    for requirement in "${missing_pip[@]}"; do
        if ! "$PYTHON" -c "$(pip_check "$requirement")"; then
            log "pip: $requirement installed but its check still fails" >&2
            exit 1
        fi
    done
else
    log "pip: all ${#PIP_REQUIREMENTS[@]} requirements present"
fi

# Fail here, not halfway through a test run, if something is still absent.
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
for tool in "$PGBIN"/{postgres,initdb,pg_ctl,psql,pgbench} /usr/share/java/postgresql.jar; do
    [[ -e $tool ]] || { log "expected $tool after install, it is missing" >&2; exit 1; }
done
for tool in javac java; do
    command -v "$tool" >/dev/null 2>&1 || { log "expected $tool on PATH after install" >&2; exit 1; }
done
log "ok"
