#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests, installing it from Debian if it is missing.
# Prints the SQLAlchemy URL of an empty database; the server listens on loopback only.
set -euo pipefail
PGPORT="${DUBAN_PG_PORT:-54329}"
PGROOT="${DUBAN_PG_ROOT:-/tmp/duban-pg}"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -f "$PGROOT/data/postmaster.pid" ]; then
  as_pg "$bindir/pg_ctl" -D "$PGROOT/data" -m fast stop >&2 || true
fi
rm -rf "$PGROOT"
mkdir -p "$PGROOT/socket"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$PGROOT"
as_pg "$bindir/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >&2
as_pg "$bindir/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w \
  -o "-p $PGPORT -k $PGROOT/socket -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >&2
as_pg "$bindir/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -q -c "CREATE DATABASE duban_test" >&2
echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/duban_test"
