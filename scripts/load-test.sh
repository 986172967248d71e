#!/usr/bin/env bash
# A bounded load test of the agency server on loopback (issue 12): the server in-process
# on the 100,000-order store in a throwaway PostgreSQL cluster (generated into it first,
# which takes a few minutes), and 50 simulated desktops working for 60 s. Prints each
# command's throughput and p50/p99 latency and the errors by code; fails on any error but
# `conflict`. Options go to the example, e.g.:
#   scripts/load-test.sh --desktops 50 --seconds 60 [--think-ms 0] [--background]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

cargo build --profile server --locked -p plumbline-server --example load_test
# shellcheck disable=SC2016 # expanded by the inner shell, where the variable is set
scripts/with-postgres.sh sh -c '
  psql -q "$PLUMBLINE_TEST_POSTGRES_URL" -c "CREATE DATABASE plumbline_scale"
  PLUMBLINE_BENCH_POSTGRES_URL="${PLUMBLINE_TEST_POSTGRES_URL%/*}/plumbline_scale" exec "$@"
' sh "$CARGO_TARGET_DIR/server/examples/load_test" "$@"
