#!/usr/bin/env bash
# Runs the end-to-end tests against the built app ($PLUMBLINE_APP), each test in a
# desktop session of its own (D-Bus session bus, keyring, notification daemon, X display),
# so tests can run side by side and nothing one leaves behind reaches another.
#   scripts/e2e.sh [filter...]          the tests whose names contain a filter (all without)
#   PLUMBLINE_E2E_JOBS=1 scripts/e2e.sh one at a time
# Two at a time by default: one test keeps a third of two cores busy, as it mostly waits
# for the app's screens (measured with vmstat over a whole run), so two halve the run.
# Needs PostgreSQL's URL (scripts/with-postgres.sh) for the agency-server tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
jobs=${PLUMBLINE_E2E_JOBS:-2}

# The test binary, built once; each test then runs it alone (`--exact`).
binary=$(cargo test --locked -p plumbline-e2e --test e2e --no-run --message-format=json-render-diagnostics |
  sed -n 's/.*"executable":"\([^"]*\)".*/\1/p')
[ -x "$binary" ] || { echo "e2e: the test binary was not built" >&2; exit 1; }
listed=$("$binary" --list --format terse "$@" | sed -n 's/: test$//p')
[ -n "$listed" ] || { echo "e2e: no test matches $*" >&2; exit 1; }
# The longest test first (the screen sweep: 209 s of a run's 863): started last, it alone
# would hold the run up for minutes after the others are done. (A grep that matches
# nothing must not end the list under `set -e`.)
longest='^sweep::'
mapfile -t tests < <(grep -E "$longest" <<<"$listed" || true; grep -vE "$longest" <<<"$listed" || true)

logs=$(mktemp -d /tmp/plumbline-e2e.XXXXXX)
trap 'rm -rf "$logs"' EXIT
echo "e2e: ${#tests[@]} tests, $jobs at a time"

# One test, in its own session: prints a line when it ends, and its whole output if it
# failed (under a lock, so two tests' reports never interleave).
run_test() {
  local name=$1 log="$logs/$1.log" start=$SECONDS status=0
  # cargo runs a test binary from its package's directory: so does this.
  (cd tests && ../scripts/with-desktop-session.sh "$binary" --exact "$name" --test-threads=1) >"$log" 2>&1 || status=$?
  local took=$((SECONDS - start))
  (
    flock 9
    if [ "$status" -eq 0 ]; then
      echo "ok     $name (${took} s)"
    else
      echo "FAILED $name (${took} s), its output:"
      sed 's/^/    /' "$log"
      echo "$name" >>"$logs/failed"
    fi
  ) 9>"$logs/lock"
}
export -f run_test
export binary logs

start=$SECONDS
printf '%s\n' "${tests[@]}" | xargs -d '\n' -P "$jobs" -I{} bash -c 'run_test "$1"' _ {} || true
if [ -s "$logs/failed" ]; then
  echo "e2e: $(wc -l <"$logs/failed") of ${#tests[@]} failed in $((SECONDS - start)) s:" >&2
  sed 's/^/  /' "$logs/failed" >&2
  exit 1
fi
echo "e2e: all ${#tests[@]} passed in $((SECONDS - start)) s"
