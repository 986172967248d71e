#!/usr/bin/env bash
# Runs a command inside a private desktop session: its own D-Bus session bus and an
# unlocked gnome-keyring (the real Secret Service), with throwaway keyring files, so
# tests use the real OS services and never touch the user's own keyring.
#   scripts/with-desktop-session.sh cargo test -p plumbline-desktop
# Exits with the command's own status: clean-up never decides it.
set -euo pipefail

if [ -z "${PLUMBLINE_DESKTOP_SESSION:-}" ]; then
  export PLUMBLINE_DESKTOP_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

session_dir=$(mktemp -d /tmp/plumbline-session.XXXXXX)
chmod 700 "$session_dir"
mkdir -m 700 "$session_dir/data" "$session_dir/runtime"
export XDG_DATA_HOME="$session_dir/data" XDG_RUNTIME_DIR="$session_dir/runtime"
# Marks every process started in this session, however it detaches (setsid, a double
# fork, a daemon), so clean-up can find them all.
export PLUMBLINE_SESSION_DIR="$session_dir"

# The pids whose environment carries this session's mark. Only builtins read
# /proc/*/environ, so the scan never finds itself.
session_pids() {
  local environ pid var
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    [ "$pid" = "$$" ] && continue
    while IFS= read -r -d '' var; do
      if [ "$var" = "PLUMBLINE_SESSION_DIR=$session_dir" ]; then
        echo "$pid"
        break
      fi
    done 2>/dev/null <"$environ" || true
  done
}

# Signals the session's processes, then waits up to $2 tenths of a second for them to go.
stop_all() {
  local signal=$1 tenths=$2 pids
  pids=$(session_pids)
  [ -z "$pids" ] && return 0
  # shellcheck disable=SC2086 # one pid per word
  kill "-$signal" $pids 2>/dev/null
  while [ "$tenths" -gt 0 ]; do
    [ -z "$(session_pids)" ] && return 0
    sleep 0.1
    tenths=$((tenths - 1))
  done
  return 1
}

# Stops everything still running in the session (the keyring daemon, an app a test left
# behind, a writer in XDG_DATA_HOME) before removing its files, so `rm` never races a
# writer ("Directory not empty"). Never fails.
clean_up() {
  set +e
  export -n PLUMBLINE_SESSION_DIR # the clean-up's own commands are not the session's
  stop_all TERM 50 || stop_all KILL 20 || echo "with-desktop-session: processes still running: $(session_pids | tr '\n' ' ')" >&2
  rm -rf "$session_dir" 2>/dev/null || { sleep 0.5; rm -rf "$session_dir"; } || echo "with-desktop-session: could not remove $session_dir" >&2
}
trap 'status=$?; clean_up; exit "$status"' EXIT

# --unlock creates the login keyring with this password and unlocks it; the daemon
# prints its environment and stays in the background.
eval "$(printf 'plumbline-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

"$@"
