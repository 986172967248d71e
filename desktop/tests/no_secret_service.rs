//! A desktop whose session bus has no Secret Service on it (nothing answers for the
//! keyring, and nothing can be started to): "Remember me" fails within a few seconds,
//! with an error the shell turns into `NOT_REMEMBERED`, instead of leaving the sign-in
//! waiting for ever.

use plumbline_desktop::{NOT_REMEMBERED, RememberedSession};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A session bus with nothing on it and no services to activate.
struct BareSessionBus {
    _dir: tempfile::TempDir,
    daemon: Child,
    address: String,
}

impl BareSessionBus {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let socket = dir.path().join("bus");
        let config = dir.path().join("bus.conf");
        let busconfig = format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path={}</listen>
<policy context="default"><allow send_destination="*"/><allow own="*"/></policy></busconfig>"#,
            socket.display()
        );
        std::fs::write(&config, busconfig).expect("the bus's config");
        let daemon = Command::new("dbus-daemon")
            .args(["--nofork", "--config-file"])
            .arg(&config)
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (installed by scripts/install-deps.sh)");
        let started = Instant::now();
        while !socket.exists() {
            assert!(started.elapsed() < Duration::from_secs(5), "the bare session bus never started");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { address: format!("unix:path={}", socket.display()), _dir: dir, daemon }
    }
}

impl Drop for BareSessionBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

#[test]
fn remember_me_without_a_secret_service_fails_quickly_and_is_explained_plainly() {
    let bus = BareSessionBus::start();
    // The check runs in a child process of this test binary, whose session bus is the
    // bare one (this process's environment stays as it was).
    let exe = std::env::current_exe().expect("this test binary");
    let ran = Command::new(exe)
        .args(["--exact", "keyring_calls_on_this_bus_fail_quickly", "--ignored", "--test-threads=1"])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .output()
        .expect("running the check on the bare bus");
    let said = String::from_utf8_lossy(&ran.stdout);
    assert!(ran.status.success() && said.contains("1 passed"), "{said}\n{}", String::from_utf8_lossy(&ran.stderr));
}

#[test]
#[ignore = "run by the test above, on a bare session bus"]
fn keyring_calls_on_this_bus_fail_quickly() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let entry = RememberedSession::for_store("no-secret-service-test");
        let asked = Instant::now();
        assert!(entry.save("a secret").await.is_err(), "nothing can keep the secret");
        assert!(asked.elapsed() < Duration::from_secs(7), "answered in {:?}, not left waiting", asked.elapsed());
    });
    // The keyring's own call is still waiting on its thread; the test need not.
    runtime.shutdown_timeout(Duration::from_millis(100));
    // What the person is told says what it means for them, in their words.
    assert!(NOT_REMEMBERED.contains("sign in again next time"));
    assert!(!NOT_REMEMBERED.contains("Secret Service") && !NOT_REMEMBERED.contains("D-Bus"));
}
