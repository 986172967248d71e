#!/usr/bin/env bash
# Runs the query benchmarks on the 100,000-order store on both engines, side by side:
# SQLite (a file kept under the target directory) and PostgreSQL (a throwaway cluster;
# the store is generated into it first, which takes a few minutes).
#   scripts/bench.sh            criterion benches `queries` and `roles` on both engines
#   scripts/bench.sh --plans    the query plans instead (EXPLAIN ANALYZE on PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

if [ "${1:-}" = "--plans" ]; then
  run=(cargo run --release --locked -p plumbline-service --example query_plans)
else
  run=(cargo bench --locked -p plumbline-service --bench queries --bench roles)
fi

echo "==> SQLite"
"${run[@]}"

echo "==> PostgreSQL"
# shellcheck disable=SC2016 # expanded by the inner shell, where the variable is set
scripts/with-postgres.sh sh -c '
  psql -q "$PLUMBLINE_TEST_POSTGRES_URL" -c "CREATE DATABASE plumbline_scale"
  PLUMBLINE_BENCH_POSTGRES_URL="${PLUMBLINE_TEST_POSTGRES_URL%/*}/plumbline_scale" exec "$@"
' sh "${run[@]}"
