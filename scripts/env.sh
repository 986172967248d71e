# Shared environment for the project's scripts (sourced, not run).
# The build cache lives outside the clone so fresh clones rebuild incrementally.
export PLUMBLINE_CACHE="${PLUMBLINE_CACHE:-$HOME/.cache/plumbline}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PLUMBLINE_CACHE/target}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"
mkdir -p "$PLUMBLINE_CACHE"
