#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1 for the test suite.
# Usage: source .ci/postgres.sh   -> exports SRM_TEST_DATABASE_URL and PG_PID; stop_postgres
# The cluster lives in a temporary folder, trusts local connections, runs with fsync off,
# and is stopped by its PID on exit. Server binaries refuse to run as root, so as root
# they run as the `postgres` user.
set -euo pipefail

pg_bin=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && pg_bin="$d"
done
if [ -z "$pg_bin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pg_bin="$d"; done
  fi
fi
[ -n "$pg_bin" ] || { echo "PostgreSQL server binaries not found" >&2; return 1 2>/dev/null || exit 1; }

pg_dir=$(mktemp -d /tmp/srm-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$pg_dir"
  as_pg=(runuser -u postgres --)
fi
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
# one role logs in with a password (the first matching pg_hba line wins), for the tests of
# passwords in URLs and of .pgpass
sed -i '1i host all srm_login 127.0.0.1/32 scram-sha-256' "$pg_dir/data/pg_hba.conf"
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -k $pg_dir" start >/dev/null
PG_PID=$(head -1 "$pg_dir/data/postmaster.pid")
"${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres srm_test
SRM_TEST_LOGIN_PASSWORD='Sekr3t P@ss:w%rd'
"${as_pg[@]}" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres \
  -c "CREATE ROLE srm_login LOGIN PASSWORD '$SRM_TEST_LOGIN_PASSWORD'" \
  -c "CREATE DATABASE srm_login OWNER srm_login" >/dev/null
export PG_PID pg_dir SRM_TEST_LOGIN_PASSWORD
export SRM_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$pg_port/srm_test"
# the password-authenticated role's database, without its password
export SRM_TEST_LOGIN_URL="postgresql+psycopg://srm_login@127.0.0.1:$pg_port/srm_login"

stop_postgres() {
  if [ -n "${PG_PID:-}" ] && kill -0 "$PG_PID" 2>/dev/null; then
    kill -INT "$PG_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$pg_dir"
}
