#!/usr/bin/env bash
# Builds the Yew frontend into src-ui/dist, which the Tauri shell embeds at compile time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
(cd src-ui && trunk build --release --offline)
