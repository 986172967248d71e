#!/usr/bin/env bash
# Installs everything Plumbline needs to build, run and test on Debian 12 / Ubuntu.
# Idempotent: each step checks first, so a second run takes seconds.
# Downloads only from the package registries (Debian/Ubuntu packages and Rust crates).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

APT_PACKAGES=(
  # Tauri v2 on Linux
  build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libxdo-dev
  libayatana-appindicator3-dev librsvg2-dev libgtk-3-dev libdbus-1-dev
  # scripts/bench.sh's bare-SQL figures; the page's integrity hash after wasm-opt
  sqlite3 openssl
  # headless desktop for end-to-end tests: X server, WebDriver, screenshots,
  # session bus, keyring and notification daemon
  xvfb webkit2gtk-driver imagemagick xdotool dbus dbus-x11 gnome-keyring
  libsecret-tools dunst
  # the agency store's engine: a throwaway cluster per test run (scripts/with-postgres.sh)
  postgresql
)

missing_apt=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing_apt+=("$pkg")
done
if ((${#missing_apt[@]})); then
  echo "==> apt: installing ${missing_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing_apt[@]}"
fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  echo "==> rustup: adding wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# cargo_tool <crate> <exact version> [cargo install flags...]
installed_tools=$(cargo install --list)
cargo_tool() {
  local crate=$1 version=$2; shift 2
  if grep -qxF "$crate v$version:" <<<"$installed_tools"; then
    return
  fi
  echo "==> cargo install $crate $version"
  # Tools build in their own target dir so they never invalidate the workspace's.
  CARGO_TARGET_DIR="$PLUMBLINE_CACHE/tools-target" cargo install --quiet "$crate" --version "=$version" "$@"
}

# trunk 0.22 needs a newer rustc than this toolchain; 0.21 builds.
cargo_tool trunk 0.21.14 --locked
cargo_tool tauri-driver 2.1.0 --locked
# wasm-bindgen-cli must match the wasm-bindgen library in Cargo.lock exactly. Not
# --locked: its own lockfile pins a crate version the registry no longer has.
wasm_bindgen_version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
cargo_tool wasm-bindgen-cli "$wasm_bindgen_version"
