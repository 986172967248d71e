#!/usr/bin/env bash
# Installs what Plumbline needs (first time only) and starts it on the demo agency.
# The demo lives in its own folder under the app-data directory; real data is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --without-bundler
source scripts/env.sh
scripts/build-ui.sh
cargo run --release -p plumbline -- --demo "$@"
