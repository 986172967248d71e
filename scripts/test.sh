#!/usr/bin/env bash
# Installs what Plumbline needs (first time only) and runs every check CI runs:
# formatting, lints, the domain's wasm build, the desktop shell's Windows compile check,
# unit and integration tests (the service's on SQLite and on PostgreSQL), the end-to-end
# tests of the real app under Xvfb, and the Linux packages, built, checked and installed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --without-bundler
source scripts/env.sh

# Each step says when it began, so a slow run shows where its time went.
step() { printf '\n==> [%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# Only the last step needs the Tauri bundler, which compiles for minutes on a new
# machine: it builds beside the checks, at low priority, instead of before them
# (and is done at once where it is already installed).
bundler_log="$PLUMBLINE_CACHE/install-bundler.log"
setsid nice -n 15 scripts/install-deps.sh --bundler-only >"$bundler_log" 2>&1 &
bundler=$!
# Each build in the background has a process group of its own, so that a failed run stops
# it whole.
background=("$bundler")
trap 'for group in "${background[@]}"; do kill -- "-$group" 2>/dev/null || true; done' EXIT

step "format"
cargo fmt --all --check

step "frontend (trunk)"
scripts/build-ui.sh

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
# The desktop as it ships: its service without PostgreSQL's driver (the workspace's build
# above has it, for the server and the tests).
cargo clippy --locked -p plumbline-service -p plumbline -- -D warnings

step "domain builds for wasm32 (no IO in the rules)"
cargo build --locked -p plumbline-domain --target wasm32-unknown-unknown

step "the desktop shell compiles for Windows (x86_64-pc-windows-gnu)"
scripts/check-windows.sh

# Tests of desktop integrations use the real services: a private D-Bus session bus
# with an unlocked gnome-keyring (Secret Service), started by this wrapper.
step "unit and integration tests (real SQLite files, real Secret Service)"
scripts/with-desktop-session.sh cargo test --locked --workspace --exclude plumbline-e2e

# The same service and agency-server tests on the agency store's engine, each test in its
# own database on a throwaway PostgreSQL cluster; there the schema test also compares the
# two engines' migrations. Chosen by test target within the previous step's packages, so
# they reuse its build: `-p` alone would unify other features and compile 150 crates again.
step "service and server tests on PostgreSQL (throwaway cluster)"
scripts/with-postgres.sh cargo test --locked --workspace --exclude plumbline-e2e --test service --test api

step "app build"
cargo build --locked -p plumbline

# The end-to-end tests leave two fifths of two cores idle, waiting on the app's screens:
# the packages' release build takes them, at the lowest priority (its own log; the
# packages' step builds again, at once if this succeeded, and shows any error).
setsid nice -n 19 cargo build --release --locked -p plumbline >"$PLUMBLINE_CACHE/release-build.log" 2>&1 &
release=$!
background+=("$release")

step "end-to-end tests (real app, Xvfb, WebDriver, D-Bus session with a keyring)"
export PLUMBLINE_APP="$CARGO_TARGET_DIR/debug/plumbline"
# Each test gets its own session bus, keyring and display, so nothing leaks between tests
# and two run at once; the agency server the connected desktops use keeps its agency on
# PostgreSQL, as in an office.
scripts/with-postgres.sh scripts/e2e.sh

step "Linux packages (.deb, .rpm): built, checked with lintian, the .deb installed and run"
wait "$release" || true
wait "$bundler" || { cat "$bundler_log"; echo "the Tauri bundler could not be installed" >&2; exit 1; }
scripts/package.sh

step "all checks passed; screenshots in target/e2e-screens/"
