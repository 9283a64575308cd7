#!/bin/bash
# Entry point of localhost/storeplane/postgres: the part of the official postgres image's
# contract (docker-entrypoint.sh) that the engine charts use.
#   POSTGRES_PASSWORD (required), POSTGRES_USER (default postgres), POSTGRES_DB (default: the
#   user), PGDATA (default /var/lib/postgresql/data). On an empty PGDATA: initdb with that
#   superuser and password (scram-sha-256 over TCP, trust on the local socket), create the
#   database, then run `postgres` listening on every address. A PGDATA with a cluster starts as is.
# Runs as any user with a passwd entry (the image maps uid 70, as the Alpine images do). The
# password never reaches a command line: initdb reads it from a pipe, psql from stdin.
set -Eeuo pipefail

: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}" "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

if [[ ${1:-postgres} != postgres ]]; then exec "$@"; fi
if [[ $(id -u) == 0 ]]; then
  echo "entrypoint: refusing to run PostgreSQL as root; run as uid 70 (postgres)" >&2
  exit 1
fi

mkdir -p "$PGDATA"
chmod 700 "$PGDATA" 2>/dev/null || true

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  if [[ -z ${POSTGRES_PASSWORD:-} ]]; then
    echo "entrypoint: the database is uninitialized and POSTGRES_PASSWORD is not set" >&2
    exit 1
  fi
  echo "entrypoint: initializing a new cluster in $PGDATA for user \"$POSTGRES_USER\""
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-host=scram-sha-256 --auth-local=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"

  # A temporary server on the socket only, to create the database.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  if [[ $POSTGRES_DB != postgres ]]; then
    # The name is data: a psql variable quoted as an identifier, on stdin.
    psql -v ON_ERROR_STOP=1 -v db="$POSTGRES_DB" --username="$POSTGRES_USER" --dbname=postgres -q <<<'CREATE DATABASE :"db";'
  fi
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "entrypoint: cluster ready"
fi

exec postgres "${@:2}"
