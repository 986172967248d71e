#!/usr/bin/env bash
# Builds the Yew frontend into src-ui/dist, which the Tauri shell embeds at compile time
# (or, given another page's directory, that page: scripts/bench.sh builds its floor app's).
# With a current wasm-opt on PATH (scripts/bench.sh installs one; building it takes half
# an hour on two cores, too long for every fresh machine), the wasm is also optimised for
# size. The page names the wasm without an integrity hash (Trunk.toml preloads only the
# JS), so no hash needs updating after it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
page=${1:-src-ui}
(cd "$page" && trunk build --release --offline)

# Not Debian's binaryen (108): told this rustc's features (below) it reads the wasm, but
# any round trip points wasm-bindgen's `__wbindgen_externrefs` export at the function
# table, and the page then never starts (#17). 116 and later are right.
# (No wasm-opt at all, as on a new machine, is version 0: the pipeline must not fail.)
binaryen_version=$( (wasm-opt --version 2>/dev/null || true) | sed -n 's/^wasm-opt version \([0-9]*\).*/\1/p')
if [ "${binaryen_version:-0}" -ge 116 ]; then
  wasm=$(ls "$page"/dist/*.wasm)
  before=$(stat -c %s "$wasm")
  # The features rustc enables for wasm32 by default; -Os keeps speed, -Oz would cost it.
  wasm-opt -Os --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
  echo "wasm-opt: $(basename "$wasm") $before -> $(stat -c %s "$wasm") bytes"
fi
