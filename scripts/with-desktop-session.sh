#!/usr/bin/env bash
# Runs a command inside a private desktop session: its own D-Bus session bus and an
# unlocked gnome-keyring (the real Secret Service), with throwaway keyring files, so
# tests use the real OS services and never touch the user's own keyring.
#   scripts/with-desktop-session.sh cargo test -p plumbline-desktop
set -euo pipefail

if [ -z "${PLUMBLINE_DESKTOP_SESSION:-}" ]; then
  export PLUMBLINE_DESKTOP_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

session_dir=$(mktemp -d /tmp/plumbline-session.XXXXXX)
chmod 700 "$session_dir"
mkdir -m 700 "$session_dir/data" "$session_dir/runtime"
trap 'kill "${keyring_pid:-}" 2>/dev/null || true; rm -rf "$session_dir"' EXIT
export XDG_DATA_HOME="$session_dir/data" XDG_RUNTIME_DIR="$session_dir/runtime"

# --unlock creates the login keyring with this password and unlocks it; the daemon
# prints its environment and stays in the background.
eval "$(printf 'plumbline-test' | gnome-keyring-daemon --unlock --components=secrets)"
keyring_pid=${GNOME_KEYRING_PID:-}
export GNOME_KEYRING_CONTROL

"$@"
