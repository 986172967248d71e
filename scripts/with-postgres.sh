#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster, so the service's tests can run on
# the agency store's real engine without touching any server of the user's:
#   scripts/with-postgres.sh cargo test -p plumbline-service --test service
# The command sees PLUMBLINE_TEST_POSTGRES_URL (superuser, no password, database
# "postgres"). The cluster is stopped and deleted afterwards, also on failure or Ctrl-C;
# the script exits with the command's status.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "with-postgres: no PostgreSQL under /usr/lib/postgresql/*/bin (scripts/install-deps.sh installs it)" >&2
  exit 1
fi

# initdb refuses to run as root: as root, the cluster belongs to the package's unprivileged
# `postgres` user and its tools run as that user, from the temp dir (the caller's working
# directory may be closed to that user).
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
fi
dir=$(mktemp -d /tmp/plumbline-postgres.XXXXXX)
data="$dir/data"
pg() { (cd "$dir" && "${as_owner[@]}" "$bin/$1" "${@:2}"); }
cleanup() {
  # Immediate: nothing in a throwaway cluster is worth a clean shutdown's checkpoint.
  if [ -f "$data/postmaster.pid" ]; then
    pg pg_ctl -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
# Ctrl-C or a kill still runs the EXIT trap (and reports the usual status for a signal).
trap 'exit 130' INT
trap 'exit 143' TERM
if [ "${#as_owner[@]}" -gt 0 ]; then
  chown postgres: "$dir"
fi
chmod 700 "$dir"

# --no-sync and fsync=off: the data is thrown away, so never wait for the disk.
pg initdb -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }

# A random free port: skip one something answers on, and try another if the server
# still cannot bind it (another program took it in between). The socket lives in the
# temp dir, so it never meets a system server's /var/run/postgresql.
port=
for _ in 1 2 3 4 5; do
  candidate=$((20000 + RANDOM % 40000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    continue
  fi
  if pg pg_ctl -D "$data" -l "$dir/server.log" -w -s \
    -o "-c listen_addresses=127.0.0.1 -p $candidate -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start; then
    port=$candidate
    break
  fi
done
if [ -z "$port" ]; then
  echo "with-postgres: the server did not start:" >&2
  cat "$dir/server.log" >&2 2>/dev/null || true
  exit 1
fi

export PLUMBLINE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
status=0
"$@" || status=$?
exit "$status"
