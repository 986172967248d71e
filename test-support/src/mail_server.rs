//! A real SMTP server for the e-mail tests: `scripts/test-smtp-server.py` (Debian's
//! python3-aiosmtpd) as a child process on a free loopback port, writing each message it
//! accepts as JSON to a directory of its own. It can be stopped and started again on the
//! same port, to show mail waiting in the outbox while the server is away.

use serde_json::Value;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// One message as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub subject: String,
    /// The decoded plain-text body, with its line ends as `\n`.
    pub body: String,
    /// The user it signed in as, if it signed in.
    pub login: Option<String>,
}

#[derive(Debug)]
pub struct MailServer {
    port: u16,
    auth: Option<(String, String)>,
    /// Its certificate and key, when it offers STARTTLS (and then requires it).
    tls: Option<(PathBuf, PathBuf)>,
    out: TempDir,
    child: Option<Child>,
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/test-smtp-server.py")
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

impl MailServer {
    /// A server accepting any message without sign-in.
    pub fn start() -> Self {
        Self::launch(None)
    }

    /// A server that takes mail only after AUTH as `user` with `password`.
    pub fn start_with_auth(user: &str, password: &str) -> Self {
        Self::launch(Some((user.to_owned(), password.to_owned())))
    }

    /// A server that takes mail only over STARTTLS, with a certificate for "localhost"
    /// that it signed itself: one no computer trusts.
    pub fn start_with_untrusted_starttls() -> Self {
        let out = tempfile::tempdir().expect("a directory for the mail");
        let (cert, key) = (out.path().join("cert.pem"), out.path().join("key.pem"));
        let made = Command::new("openssl")
            .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"])
            .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl");
        assert!(made.success(), "openssl made no certificate");
        Self::launch_in(out, None, Some((cert, key)))
    }

    fn launch(auth: Option<(String, String)>) -> Self {
        Self::launch_in(tempfile::tempdir().expect("a directory for the mail"), auth, None)
    }

    fn launch_in(out: TempDir, auth: Option<(String, String)>, tls: Option<(PathBuf, PathBuf)>) -> Self {
        let mut server = MailServer { port: free_port(), auth, tls, out, child: None };
        server.start_again();
        server
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Starts the server again on its port after `stop`, and waits until it answers.
    pub fn start_again(&mut self) {
        assert!(self.child.is_none(), "the mail server is already running");
        let mut command = Command::new("/usr/bin/python3");
        command.arg(script()).arg("--port").arg(self.port.to_string()).arg("--out").arg(self.out.path());
        if let Some((user, password)) = &self.auth {
            command.arg("--user").arg(user).arg("--password").arg(password);
        }
        if let Some((cert, key)) = &self.tls {
            command.arg("--tls-cert").arg(cert).arg("--tls-key").arg(key);
        }
        let child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("python3 with aiosmtpd");
        self.child = Some(child);
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            assert!(Instant::now() < deadline, "the test SMTP server did not start (is python3-aiosmtpd installed?)");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server; its port refuses connections until `start_again`.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far, oldest first.
    pub fn received(&self) -> Vec<ReceivedMail> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.out.path())
            .expect("the mail directory")
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        files.iter().map(|path| read(path)).collect()
    }
}

fn read(path: &std::path::Path) -> ReceivedMail {
    let text = std::fs::read_to_string(path).expect("a received message");
    let json: Value = serde_json::from_str(&text).expect("the message as JSON");
    let text_of = |key: &str| json[key].as_str().unwrap_or_default().to_owned();
    ReceivedMail {
        mail_from: text_of("mail_from"),
        rcpt_tos: json["rcpt_tos"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        subject: text_of("subject"),
        body: text_of("body").replace("\r\n", "\n"),
        login: json["login"].as_str().map(str::to_owned),
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        self.stop();
    }
}
