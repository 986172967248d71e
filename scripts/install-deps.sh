#!/usr/bin/env bash
# Installs everything Plumbline needs to build, run, test and package on Debian 12 /
# Ubuntu. Idempotent: each step checks first, so a second run takes seconds.
# Downloads only from the package registries (Debian/Ubuntu packages and Rust crates).
#
#   scripts/install-deps.sh                    everything
#   scripts/install-deps.sh --without-bundler  all but the Tauri bundler (tauri-cli), which
#                                              only packaging needs and which compiles for
#                                              minutes on a new machine
#   scripts/install-deps.sh --bundler-only     the bundler alone (scripts/test.sh builds
#                                              it beside the tests, at low priority)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
case "${1:-}" in
  "") parts=(system tools bundler) ;;
  --without-bundler) parts=(system tools) ;;
  --bundler-only) parts=(bundler) ;;
  *) echo "usage: $0 [--without-bundler | --bundler-only]" >&2; exit 2 ;;
esac
wanted() { [[ " ${parts[*]} " == *" $1 "* ]]; }

APT_PACKAGES=(
  # Tauri v2 on Linux
  build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libxdo-dev
  libayatana-appindicator3-dev librsvg2-dev libgtk-3-dev libdbus-1-dev
  # scripts/bench.sh's bare-SQL figures
  sqlite3
  # headless desktop for end-to-end tests: X server, WebDriver, screenshots,
  # session bus, keyring and notification daemon
  xvfb webkit2gtk-driver imagemagick xdotool dbus dbus-x11 gnome-keyring
  libsecret-tools dunst
  # the agency store's engine: a throwaway cluster per test run (scripts/with-postgres.sh)
  postgresql
  # packages (scripts/package.sh): the .rpm's builder and reader, the .deb's checker;
  # the Windows compile check's C compiler (scripts/check-windows.sh)
  rpm lintian gcc-mingw-w64-x86-64
  # the work-order PDFs' tests read them back: text, images, pages (pdftotext, pdfimages,
  # pdfinfo), and pdftoppm renders a page to look at
  poppler-utils
  # the e-mail tests' real SMTP server (scripts/test-smtp-server.py), and the certificate
  # it signs itself for the STARTTLS test (test-support's mail_server.rs)
  python3-aiosmtpd openssl
  # the web portal's end-to-end tests: a real headless browser at phone size, over WebDriver
  chromium chromium-driver
)

install_system() {
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

  # The UI's wasm, and the Windows compile check.
  installed_targets=$(rustup target list --installed)
  for target in wasm32-unknown-unknown x86_64-pc-windows-gnu; do
    if ! grep -qx "$target" <<<"$installed_targets"; then
      echo "==> rustup: adding $target"
      rustup target add "$target"
    fi
  done
}

# cargo_tool <crate> <exact version> [cargo install flags...]
installed_tools=$(cargo install --list)
cargo_tool() {
  local crate=$1 version=$2; shift 2
  if grep -qxF "$crate v$version:" <<<"$installed_tools"; then
    return
  fi
  echo "==> cargo install $crate $version"
  # Tools build in their own target dir so they never invalidate the workspace's, and
  # unoptimised (over their own release profiles, such as trunk's fat LTO in one codegen
  # unit): they mostly start other programs, so a new machine's run gains minutes for
  # seconds. On two cores: trunk compiles in 147 s instead of 430, the bundler in 3.5 min
  # instead of about 15; wasm-bindgen then takes 1.1 s instead of 0.3 per build of the
  # page, and the bundler 7.8 s instead of 1.0 for the two packages.
  CARGO_TARGET_DIR="${TOOLS_TARGET_DIR:-$PLUMBLINE_CACHE/tools-target}" \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --quiet "$crate" --version "=$version" "$@"
}

install_tools() {
  # trunk 0.22 needs a newer rustc than this toolchain; 0.21 builds. Without its default
  # features (TLS, and a check for its own updates): it builds offline from the PATH's
  # tools and downloads nothing, and compiles a fifth faster.
  cargo_tool trunk 0.21.14 --locked --no-default-features
  cargo_tool tauri-driver 2.1.0 --locked
  # wasm-bindgen-cli must match the wasm-bindgen library in Cargo.lock exactly. Not
  # --locked: its own lockfile pins a crate version the registry no longer has.
  local wasm_bindgen_version
  wasm_bindgen_version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
  cargo_tool wasm-bindgen-cli "$wasm_bindgen_version"
}

# The Tauri bundler, for the .deb and .rpm (scripts/package.sh). In its own target dir:
# it may build while the tools' or the workspace's target dir is in use.
install_bundler() {
  TOOLS_TARGET_DIR="$PLUMBLINE_CACHE/bundler-target" cargo_tool tauri-cli 2.12.4 --locked
}

if wanted system; then install_system; fi
if wanted tools; then install_tools; fi
if wanted bundler; then install_bundler; fi
