#!/usr/bin/env bash
# Runs the agency server on the demo agency, in one command: installs what is needed
# (first time only), starts a throwaway PostgreSQL cluster, seeds the demo agency into it,
# and serves it over HTTPS, printing the address and the certificate's fingerprint to
# connect a desktop to, with the web portal for browsers and phones at that address.
# Ctrl-C stops the server and deletes the cluster.
#   scripts/serve.sh                                  # https://127.0.0.1:8443
#   PLUMBLINE_LISTEN=0.0.0.0:8443 scripts/serve.sh    # reachable from other computers
# Extra arguments go to plumbline-server (see `plumbline-server --help`).
# The self-signed certificate is kept in $PLUMBLINE_CACHE/serve-state, so its fingerprint
# stays the same from one run to the next; the agency's data does not survive a run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
source scripts/env.sh

scripts/build-ui.sh
cargo build --profile server -p plumbline-server
server="$CARGO_TARGET_DIR/server/plumbline-server"
state="$PLUMBLINE_CACHE/serve-state"
files=$(mktemp -d /tmp/plumbline-serve-files.XXXXXX)
trap 'rm -rf "$files"' EXIT
export PLUMBLINE_LISTEN="${PLUMBLINE_LISTEN:-127.0.0.1:8443}"

echo "==> starting the agency server on a throwaway PostgreSQL cluster (Ctrl-C stops both)"
echo "    demo accounts: each role's, shown on the desktop's sign-in screen; password plumbline-demo"
echo "    web portal (tenants and contractors, in a browser): https://$PLUMBLINE_LISTEN/"
# Single quotes: the URL is the one with-postgres.sh exports for the cluster it started,
# passed in the environment (a database URL may hold a password: not on the command line).
scripts/with-postgres.sh sh -c 'PLUMBLINE_DATABASE_URL="$PLUMBLINE_TEST_POSTGRES_URL" exec "$0" "$@"' \
  "$server" --state-dir "$state" --files-dir "$files" --web-root src-ui/dist --demo "$@"
