#!/usr/bin/env bash
# Installs what Plumbline needs (first time only) and runs every check CI runs:
# formatting, lints, the domain's wasm build, unit and integration tests (the service's
# on SQLite and on PostgreSQL), and the end-to-end tests of the real app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
source scripts/env.sh

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all --check

step "frontend (trunk)"
scripts/build-ui.sh

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "domain builds for wasm32 (no IO in the rules)"
cargo build --locked -p plumbline-domain --target wasm32-unknown-unknown

# Tests of desktop integrations use the real services: a private D-Bus session bus
# with an unlocked gnome-keyring (Secret Service), started by this wrapper.
step "unit and integration tests (real SQLite files, real Secret Service)"
scripts/with-desktop-session.sh cargo test --locked --workspace --exclude plumbline-e2e

# The same service and agency-server tests on the agency store's engine, each test in its
# own database on a throwaway PostgreSQL cluster; there the schema test also compares the
# two engines' migrations.
step "service and server tests on PostgreSQL (throwaway cluster)"
scripts/with-postgres.sh cargo test --locked -p plumbline-service --test service
scripts/with-postgres.sh cargo test --locked -p plumbline-server

step "app build"
cargo build --locked -p plumbline

step "end-to-end tests (real app, Xvfb, WebDriver, D-Bus session with a keyring)"
export PLUMBLINE_APP="$CARGO_TARGET_DIR/debug/plumbline"
# Each test run gets its own session bus and keyring, so nothing leaks between runs; the
# agency server the connected desktops use keeps its agency on PostgreSQL, as in an office.
scripts/with-postgres.sh scripts/with-desktop-session.sh cargo test --locked -p plumbline-e2e -- --test-threads=1
step "all checks passed; screenshots in target/e2e-screens/"
