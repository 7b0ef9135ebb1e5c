#!/usr/bin/env bash
# A throwaway PostgreSQL server for readout's tests: start | stop | url | status.
# Runs as user postgres (initdb refuses root) in /tmp/readout-pg on port 55432, trust auth,
# listening on 127.0.0.1 only. Safe to call twice: start when running and stop when stopped do nothing.
set -euo pipefail

ROOT=/tmp/readout-pg
DATA=$ROOT/data
PORT=55432
URL="postgresql://postgres@127.0.0.1:$PORT/postgres"

bindir() {
    # The newest installed major version; a glob so a Debian upgrade (15 -> 16) needs no edit.
    local dirs=(/usr/lib/postgresql/*/bin)
    [[ -x "${dirs[-1]}/initdb" ]] && echo "${dirs[-1]}"
}

install_if_missing() {
    bindir >/dev/null && return
    echo "installing Debian's postgresql (about 10 s)..." >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir >/dev/null || { echo "error: postgresql installed but no initdb found" >&2; exit 1; }
}

as_postgres() { runuser -u postgres -- "$@"; }

running() { [[ -f $DATA/postmaster.pid ]] && as_postgres "$(bindir)/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

start() {
    install_if_missing
    running && return
    local bin; bin=$(bindir)
    mkdir -p "$ROOT" && chown postgres:postgres "$ROOT"
    if [[ ! -f $DATA/PG_VERSION ]]; then
        as_postgres "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_postgres "$bin/pg_ctl" -D "$DATA" -l "$ROOT/log" -s -w \
        -o "-p $PORT -k $ROOT -c listen_addresses=127.0.0.1" start \
        || { echo "error: postgres did not start; see $ROOT/log" >&2; exit 1; }
}

stop() {
    bindir >/dev/null || return 0
    running || return 0
    as_postgres "$(bindir)/pg_ctl" -D "$DATA" -s -w stop -m fast
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) echo "$URL" ;;
    status) if running; then echo "running on $URL"; else echo "stopped"; exit 3; fi ;;
    *) echo "usage: $0 start|stop|url|status" >&2; exit 2 ;;
esac
