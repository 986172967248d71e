//! The server's TLS identity: the certificate and key an agency configures, or a
//! self-signed certificate made at first start and kept in the state directory, so its
//! fingerprint stays the same from one start to the next. Desktops pin that fingerprint
//! once the user has checked it against the one the server printed.

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// Where the certificate comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsSource {
    /// PEM files: the certificate (chain, leaf first) and its private key.
    Files { cert: PathBuf, key: PathBuf },
    /// A self-signed certificate in `<dir>/tls/`, made at first start if missing.
    SelfSigned { state_dir: PathBuf },
}

/// The certificate the server presents, and the rustls configuration presenting it.
#[derive(Clone)]
pub struct Identity {
    /// The leaf certificate, DER-encoded: what a client pins.
    pub certificate: CertificateDer<'static>,
    /// SHA-256 of `certificate`, as upper-case hex pairs joined by colons.
    pub fingerprint: String,
    /// Whether the certificate was made just now (first start on this state directory).
    pub generated: bool,
    pub(crate) config: Arc<ServerConfig>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity").field("fingerprint", &self.fingerprint).finish_non_exhaustive()
    }
}

/// The names a self-signed certificate is made for. Desktops check the pinned
/// fingerprint rather than the name, so the server's LAN address need not be among them.
const SELF_SIGNED_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];
const CERT_FILE: &str = "self-signed.crt";
const KEY_FILE: &str = "self-signed.key";

pub fn load(source: &TlsSource) -> anyhow::Result<Identity> {
    let (chain, key, generated) = match source {
        TlsSource::Files { cert, key } => (read_chain(cert)?, read_key(key)?, false),
        TlsSource::SelfSigned { state_dir } => self_signed(&state_dir.join("tls"))?,
    };
    let Some(certificate) = chain.first().cloned() else { bail!("the certificate file holds no certificate") };
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .context("choosing TLS versions")?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .context("the certificate and key do not make a TLS identity")?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let fingerprint = fingerprint(&certificate);
    Ok(Identity { certificate, fingerprint, generated, config: Arc::new(config) })
}

/// SHA-256 of a DER certificate as `AB:CD:…` — how browsers and `openssl x509
/// -fingerprint -sha256` show it, so a person can compare the two by eye.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|byte| format!("{byte:02X}")).collect::<Vec<_>>().join(":")
}

fn read_chain(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    CertificateDer::pem_file_iter(path)
        .with_context(|| format!("reading the certificate {}", path.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("reading the certificate {}", path.display()))
}

fn read_key(path: &Path) -> anyhow::Result<PrivateKeyDer<'static>> {
    PrivateKeyDer::from_pem_file(path).with_context(|| format!("reading the private key {}", path.display()))
}

type Material = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>, bool);

/// The self-signed certificate in `dir`, made first if it is not there yet.
fn self_signed(dir: &Path) -> anyhow::Result<Material> {
    let (cert, key) = (dir.join(CERT_FILE), dir.join(KEY_FILE));
    if cert.exists() && key.exists() {
        return Ok((read_chain(&cert)?, read_key(&key)?, false));
    }
    let made = rcgen::generate_simple_self_signed(SELF_SIGNED_NAMES.map(str::to_owned).to_vec())
        .context("making a self-signed certificate")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    // The key first and the certificate last: a certificate on disk means both are whole.
    write_private(&key, made.signing_key.serialize_pem().as_bytes())?;
    write_new(&cert, made.cert.pem().as_bytes(), false)?;
    Ok((read_chain(&cert)?, read_key(&key)?, true))
}

fn write_private(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    write_new(path, contents, true)
}

/// Writes `contents` to a temporary file beside `path` and renames it into place; a
/// private file is readable by its owner only (on Unix).
fn write_new(path: &Path, contents: &[u8], private: bool) -> anyhow::Result<()> {
    use std::io::Write;
    let temporary = path.with_extension("partial");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(&temporary).with_context(|| format!("writing {}", temporary.display()))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_colon_separated_upper_case_hex() {
        let printed = fingerprint(b"certificate");
        assert_eq!(printed.len(), 32 * 3 - 1);
        assert!(printed.split(':').all(|pair| pair.len() == 2 && pair.chars().all(|c| c.is_ascii_hexdigit())));
        assert_eq!(printed, printed.to_uppercase());
    }

    #[test]
    fn a_self_signed_certificate_is_made_once_and_then_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let source = TlsSource::SelfSigned { state_dir: dir.path().to_owned() };
        let first = load(&source).expect("made");
        assert!(first.generated);
        let again = load(&source).expect("read back");
        assert!(!again.generated);
        assert_eq!(again.fingerprint, first.fingerprint);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("tls").join(KEY_FILE)).expect("key").permissions().mode();
            assert_eq!(mode & 0o077, 0, "the key is the owner's alone");
        }
    }

    #[test]
    fn configured_files_are_used_as_given() {
        let dir = tempfile::tempdir().expect("temp dir");
        let made = rcgen::generate_simple_self_signed(vec!["plumbline.example".to_owned()]).expect("made");
        let (cert, key) = (dir.path().join("c.pem"), dir.path().join("k.pem"));
        std::fs::write(&cert, made.cert.pem()).expect("cert");
        std::fs::write(&key, made.signing_key.serialize_pem()).expect("key");
        let identity = load(&TlsSource::Files { cert, key }).expect("loaded");
        assert_eq!(identity.fingerprint, fingerprint(made.cert.der()));
        assert!(!identity.generated);
    }
}
