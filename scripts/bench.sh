#!/usr/bin/env bash
# Speed and size, measured. With no argument: builds the release app and its .deb, makes
# (or reuses) the 100,000-order store, drives the real app under Xvfb on it and on a fresh
# demo store, and prints one table. Needs what scripts/install-deps.sh installs.
#   scripts/bench.sh            the table
#   scripts/bench.sh --queries  criterion benches `queries` and `roles` on SQLite and PostgreSQL
#   scripts/bench.sh --plans    the query plans instead (EXPLAIN ANALYZE on PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

on_both_engines() {
  echo "==> SQLite"
  "$@"
  echo "==> PostgreSQL"
  # shellcheck disable=SC2016 # expanded by the inner shell, where the variable is set
  scripts/with-postgres.sh sh -c '
    psql -q "$PLUMBLINE_TEST_POSTGRES_URL" -c "CREATE DATABASE plumbline_scale"
    PLUMBLINE_BENCH_POSTGRES_URL="${PLUMBLINE_TEST_POSTGRES_URL%/*}/plumbline_scale" exec "$@"
  ' sh "$@"
}

case "${1:-}" in
  --queries) on_both_engines cargo bench --locked -p plumbline-service --bench queries --bench roles; exit ;;
  --plans) on_both_engines cargo run --release --locked -p plumbline-service --example query_plans; exit ;;
  "") ;;
  *) echo "usage: scripts/bench.sh [--queries | --plans]" >&2; exit 2 ;;
esac

echo "==> building the release app and the 100,000-order store (once)" >&2
# A current binaryen's wasm-opt, for the shipped UI's size (scripts/build-ui.sh uses it).
if ! grep -qxF "wasm-opt v0.116.1:" <<<"$(cargo install --list)"; then
  CARGO_TARGET_DIR="$PLUMBLINE_CACHE/tools-target" cargo install --quiet wasm-opt --version "=0.116.1" --locked >&2
fi
scripts/build-ui.sh >&2
cargo build --release --locked -p plumbline >&2
# The .deb of that same binary, for its size (checked as CI checks it, not installed).
scripts/package.sh --no-install >&2
# The floor: a hello-world Tauri 2 + Yew app with the same profiles (its own workspace).
floor=scripts/bench/floor
scripts/build-ui.sh "$floor/page" >&2
# The wasm's API floor: Yew, the UI's transport and every command, without a screen.
scripts/build-ui.sh "$floor/api" >&2
cargo build --release --locked --manifest-path "$floor/Cargo.toml" -p plumbline-floor >&2
scale_store="$CARGO_TARGET_DIR/scale-store/plumbline.sqlite3"
# Makes the store the first time, and brings it to the current schema every time (the
# sqlite3 figures below read it directly).
cargo run --release --locked -p plumbline-service --example query_plans >/dev/null
# The driver only waits on the app: a debug build is enough and shares the tests' build.
cargo build --locked -p plumbline-e2e --example screen_times >&2
export PLUMBLINE_APP="$CARGO_TARGET_DIR/release/plumbline"
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

echo "==> driving the app on the 100,000-order store, then on the demo" >&2
# Only its rows: a service the session's bus starts (the accessibility registry) may
# print to the same stdout.
screen_times() {
  scripts/with-desktop-session.sh "$CARGO_TARGET_DIR/debug/examples/screen_times" "$@" | grep -F "$(printf '\t')"
}
BENCH_STORE="$scale_store" screen_times >"$results/scale.tsv"
screen_times --demo >"$results/demo.tsv"
PLUMBLINE_APP="$CARGO_TARGET_DIR/release/plumbline-floor" screen_times --floor >"$results/floor.tsv"

# Each screen's main query in the sqlite3 shell: median of 7 runs, in ms.
bare_sql() {
  local store=$1 name query
  # The app's runs leave their writes in the WAL; read through it, a new 100k store's
  # queries took 130 ms in the shell instead of 2-16.
  sqlite3 "$store" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  while IFS=$'\t' read -r name query; do
    case "$name" in --*|"") continue ;; esac
    for _ in 1 2 3 4 5 6 7; do
      printf '.timer on\n.output /dev/null\n%s\n' "$query" | sqlite3 -readonly "$store" 2>&1 |
        awk '/^Run Time/ { total += $4 } END { printf "%.1f\n", total * 1000 }'
    done | sort -n | sed -n 4p | sed "s/^/sql\t$name\t/"
  done <scripts/bench/screen-queries.sql
}
bare_sql "$scale_store" >>"$results/scale.tsv"

wasm=$(ls src-ui/dist/*.wasm)
api_wasm=$(ls "$floor"/api/dist/*.wasm)
deb=$(ls "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb)
kb() { echo $(( ($1 + 512) / 1024 )); }
{
  printf 'size\trelease binary (KB)\t%s\t\n' "$(kb "$(stat -c %s "$PLUMBLINE_APP")")"
  printf 'size\t.deb (KB)\t%s\t\n' "$(kb "$(stat -c %s "$deb")")"
  printf 'size\tUI wasm raw (KB)\t%s\t\n' "$(kb "$(stat -c %s "$wasm")")"
  printf 'size\tUI wasm gzip -9 (KB)\t%s\t\n' "$(kb "$(gzip -9c "$wasm" | wc -c)")"
  printf 'size\t  of which the API floor, raw (KB)\t%s\t\n' "$(kb "$(stat -c %s "$api_wasm")")"
  printf 'size\t  of which the API floor, gzip -9 (KB)\t%s\t\n' "$(kb "$(gzip -9c "$api_wasm" | wc -c)")"
} >"$results/sizes.tsv"

# One table: the 100,000-order store's figure beside the demo's, per row.
echo
printf '%-8s %-44s %14s %14s   %s\n' "" "" "100k p50" "100k p95" "demo p50 / p95"
join_figures() {
  awk -F'\t' '
    FNR == NR { demo[$1 FS $2] = $3 ($4 == "" ? "" : " / " $4); next }
    { printf "%-8s %-44s %14s %14s   %s\n", $1, $2, $3, $4, demo[$1 FS $2] }
  ' "$results/demo.tsv" "$results/scale.tsv"
}
join_figures
awk -F'\t' '{ printf "%-8s %-44s %14s\n", $1, $2, $3 }' "$results/sizes.tsv"
echo
echo "The floor app (hello-world Tauri 2 + Yew, a 100-row table), and Plumbline on the 100k store against it:"
awk -F'\t' '
  FNR == NR { floor[$1 FS $2] = $3; printf "floor    %-44s %14s\n", $2, $3; next }
  ($1 == "start" || ($1 == "memory" && $2 == "after browsing (PSS MB)")) && floor[$1 FS $2] > 0 {
    printf "ratio    %-44s %14.2f\n", $2 " / floor", $3 / floor[$1 FS $2]
  }
' "$results/floor.tsv" "$results/scale.tsv"
echo
echo "click: click to the next screen painted (ms); ipc: the screen's command timed in the webview (ms);"
echo "sql: the same screen's main query in the sqlite3 shell (ms); start: exec to the first screen painted (ms)."
echo "memory: PSS of the app and its WebKit processes, after one round of clicks through every screen and after four."
echo "The API floor: a wasm of Yew, the UI's transport and every command's call, but no screen."
