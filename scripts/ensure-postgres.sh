#!/usr/bin/env bash
# Make the PostgreSQL server the tests use reachable at $DATABASE_URL, idempotently.
# Default: postgres://postgres:postgres@127.0.0.1:5432/purpose_bound_test
#
# - already reachable: nothing to do;
# - a local Debian cluster exists (pg_ctlcluster): start it, give the postgres role the
#   password the URL names, create the database;
# - PostgreSQL is not installed and we are root with apt: install it first (CI on a fresh machine).
# When none of that works it says so and exits 0: the PostgreSQL tests then FAIL (they never skip).
set -uo pipefail

URL="${DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/purpose_bound_test}"
# Parse postgres://user:password@host:port/db
rest="${URL#*://}"
creds="${rest%%@*}"; hostpart="${rest#*@}"
PGUSER_="${creds%%:*}"; PGPASS_="${creds#*:}"
hostport="${hostpart%%/*}"; DB="${hostpart#*/}"; DB="${DB%%\?*}"
PGHOST_="${hostport%%:*}"; PGPORT_="${hostport#*:}"; [ "$PGPORT_" = "$hostport" ] && PGPORT_=5432
SAFE_URL="postgres://${PGUSER_}@${PGHOST_}:${PGPORT_}/${DB}"

reachable() { PGPASSWORD="$PGPASS_" psql -h "$PGHOST_" -p "$PGPORT_" -U "$PGUSER_" -d "$DB" -Atqc 'select 1' >/dev/null 2>&1; }

if command -v psql >/dev/null 2>&1 && reachable; then
  echo "ensure-postgres: $SAFE_URL is reachable"
  exit 0
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -n "${CI:-}${PB_INSTALL_POSTGRES:-}" ]; then
    echo "ensure-postgres: installing PostgreSQL from Debian's packages"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || true
  fi
fi

if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  # The cluster listening on the URL's port (a machine may have several); else the first one.
  read -r ver name _ < <(pg_lsclusters --no-header 2>/dev/null | awk -v port="$PGPORT_" '$3 == port' | head -n 1)
  [ -n "${ver:-}" ] || read -r ver name _ < <(pg_lsclusters --no-header 2>/dev/null | head -n 1)
  if [ -n "${ver:-}" ]; then
    pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do su postgres -c "psql -p ${PGPORT_} -Atqc 'select 1'" >/dev/null 2>&1 && break; sleep 1; done
    su postgres -c "psql -p ${PGPORT_} -v ON_ERROR_STOP=1 -qc \"ALTER ROLE ${PGUSER_} PASSWORD '${PGPASS_}'\"" >/dev/null 2>&1 || true
    if ! su postgres -c "psql -p ${PGPORT_} -Atqc \"SELECT 1 FROM pg_database WHERE datname = '${DB}'\"" 2>/dev/null | grep -q 1; then
      su postgres -c "createdb -p ${PGPORT_} -O ${PGUSER_} ${DB}" >/dev/null 2>&1 || true
    fi
  fi
fi

if command -v psql >/dev/null 2>&1 && reachable; then
  echo "ensure-postgres: started; $SAFE_URL is reachable"
else
  echo "ensure-postgres: WARNING: $SAFE_URL is NOT reachable; the PostgreSQL tests will fail" >&2
fi
exit 0
