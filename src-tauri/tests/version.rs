//! `plumbline --version` answers from a terminal (and from a package's smoke test) without
//! a display: it prints the version and exits before any window or store is opened.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

#[test]
fn version_prints_the_product_and_version_and_exits_without_a_display() {
    let data_dir = tempfile::tempdir().unwrap();
    for flag in ["--version", "-V"] {
        let output = Command::new(env!("CARGO_BIN_EXE_plumbline"))
            .arg(flag)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("PLUMBLINE_DATA_DIR", data_dir.path())
            .output()
            .expect("the app to run");
        assert!(output.status.success(), "{flag}: {output:?}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), format!("Plumbline {}\n", env!("CARGO_PKG_VERSION")));
        assert!(output.stderr.is_empty(), "{flag} wrote to stderr: {}", String::from_utf8_lossy(&output.stderr));
    }
    assert_eq!(std::fs::read_dir(data_dir.path()).unwrap().count(), 0, "--version opened no store");
}
