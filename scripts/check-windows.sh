#!/usr/bin/env bash
# Compiles the desktop shell and every crate it links for Windows (x86_64-pc-windows-gnu,
# with Debian's mingw-w64 for the C parts), lints included, so that code only Windows
# builds (cfg(windows): the notification identity, the Credential Manager keyring, the
# native dialogs) fails here rather than on an agency's PC. Nothing is linked or run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
[ -f src-ui/dist/index.html ] || scripts/build-ui.sh
cargo clippy --locked -p plumbline -p plumbline-desktop --target x86_64-pc-windows-gnu -- -D warnings
echo "the desktop shell and its crates compile for Windows"
