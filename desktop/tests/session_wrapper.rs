//! `scripts/with-desktop-session.sh`, the wrapper every desktop test runs in: its exit
//! status is the command's, never its clean-up's, even when the command leaves a process
//! behind still writing into the session's directories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn wrapper() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/with-desktop-session.sh")
}

/// Runs `script` (bash) in a fresh session of its own, not the one these tests run in.
fn in_new_session(script: &str) -> Output {
    Command::new(wrapper())
        .env_remove("PLUMBLINE_DESKTOP_SESSION")
        .args(["bash", "-c", script])
        .stdin(Stdio::null())
        .output()
        .expect("the wrapper runs")
}

/// Leaves a writer creating directories in XDG_DATA_HOME (as an app a test started may
/// still be doing) and prints where, then ends with `status`. The writer stops by itself
/// after a few seconds, so a wrapper that never stops it still returns.
fn leaving_a_writer(status: i32) -> String {
    format!(
        r#"( for i in $(seq 1 3000); do mkdir -p "$XDG_DATA_HOME/writer/$i/a" || exit 0; done ) >/dev/null 2>&1 &
           sleep 0.2; echo "$XDG_DATA_HOME"; exit {status}"#
    )
}

fn session_dir_of(output: &Output) -> PathBuf {
    let data = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(data.starts_with("/tmp/plumbline-session."), "the command ran in a session: {data:?}");
    PathBuf::from(data).parent().expect("data is inside the session's directory").to_owned()
}

#[test]
fn a_passing_command_passes_although_a_writer_outlives_it() {
    let output = in_new_session(&leaving_a_writer(0));
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    assert!(!session_dir_of(&output).exists(), "the session's files are removed once its processes stop");
}

#[test]
fn a_failing_command_keeps_its_own_status() {
    let output = in_new_session(&leaving_a_writer(7));
    assert_eq!(output.status.code(), Some(7), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    assert!(!session_dir_of(&output).exists());
}
