//! Certificate pinning: the desktop trusts the one certificate whose SHA-256 fingerprint
//! the user accepted, not a certificate authority. An agency's server usually has a
//! self-signed certificate on a LAN address, which no authority vouches for; the user
//! compares the fingerprint the server printed with the one the desktop shows, once.

use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex, PoisonError};
use tokio_rustls::rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use tokio_rustls::rustls::crypto::{WebPkiSupportedAlgorithms, ring, verify_tls12_signature, verify_tls13_signature};
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio_rustls::rustls::{ClientConfig, DigitallySignedStruct, Error, SignatureScheme};

/// SHA-256 of a DER certificate as `AB:CD:…`, as the server prints it and
/// `openssl x509 -fingerprint -sha256` shows it.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|byte| format!("{byte:02X}")).collect::<Vec<_>>().join(":")
}

/// A fingerprint as typed or pasted: case, colons and spaces do not matter.
pub fn same_fingerprint(a: &str, b: &str) -> bool {
    let digits =
        |text: &str| text.chars().filter(char::is_ascii_hexdigit).map(|c| c.to_ascii_uppercase()).collect::<String>();
    let a = digits(a);
    a.len() == 64 && a == digits(b)
}

/// Accepts the server's certificate only if it is the pinned one (or, on first contact
/// with no pin, any certificate, to show its fingerprint). It remembers the fingerprint
/// it was shown, so a refusal can say what changed.
#[derive(Debug)]
pub struct PinnedVerifier {
    pinned: Option<String>,
    seen: Arc<Mutex<Option<String>>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedVerifier {
    pub fn new(pinned: Option<String>, seen: Arc<Mutex<Option<String>>>) -> Self {
        Self { pinned, seen, algorithms: ring::default_provider().signature_verification_algorithms }
    }
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let presented = fingerprint(end_entity);
        *self.seen.lock().unwrap_or_else(PoisonError::into_inner) = Some(presented.clone());
        match &self.pinned {
            None => Ok(ServerCertVerified::assertion()),
            Some(pinned) if same_fingerprint(pinned, &presented) => Ok(ServerCertVerified::assertion()),
            Some(_) => Err(Error::General("the server's certificate is not the one pinned".to_owned())),
        }
    }

    // The handshake's signatures are still checked: only the holder of the pinned
    // certificate's key can complete it.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A rustls configuration on the ring provider that trusts only `verifier`.
pub fn tls_config(verifier: PinnedVerifier) -> Result<ClientConfig, Error> {
    let mut config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // reqwest is built without HTTP/2 (the root Cargo.toml says why).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_compare_however_they_were_typed() {
        let printed = fingerprint(b"certificate");
        assert!(same_fingerprint(&printed, &printed.to_lowercase().replace(':', " ")));
        assert!(!same_fingerprint(&printed, &fingerprint(b"another")));
        assert!(!same_fingerprint("", ""), "an empty pin pins nothing");
    }
}
