#!/usr/bin/env bash
# Run the workspace tests again on PostgreSQL: start a throw-away cluster (initdb into a temporary folder, a unix
# socket only, no TCP port), point the tests at it with FACTORYSEC_DB=postgresql, stop and remove it at the end.
# Needs Debian's postgresql package (scripts/setup.sh --test installs it when run as root).
# Usage: bash scripts/test-postgresql.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "test-postgresql: PostgreSQL is not installed (Debian package 'postgresql'; run 'bash scripts/setup.sh --test' as root)" >&2
  exit 1
fi
cluster=$(mktemp -d /tmp/factorysec-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" = 0 ]; then  # PostgreSQL refuses to run as root: the cluster belongs to the 'postgres' account
  chown postgres: "$cluster"
  as_owner=(runuser -u postgres --)
fi
stop() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop EXIT
"${as_owner[@]}" "$bindir/initdb" -D "$cluster/data" -A trust -U postgres -E UTF8 >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -o "-k $cluster -c listen_addresses=''" start >/dev/null
echo "test-postgresql: throw-away cluster on $cluster ($("$bindir/postgres" --version))" >&2
FACTORYSEC_DB=postgresql FACTORYSEC_PG_HOST="$cluster" FACTORYSEC_PG_USER=postgres FACTORYSEC_PG_NAME=factorysec \
  .venv/bin/python -m pytest tests/workspace "$@"
