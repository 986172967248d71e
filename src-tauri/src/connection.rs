//! `connection.json` in the data directory: which agency server this desktop uses and the
//! certificate fingerprint the user accepted for it. Neither is secret (the server prints
//! its fingerprint for anyone to compare), so a plain file is fine; the token is not here
//! but in the OS keyring. Without this file the desktop uses this computer's own store.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

const FILE: &str = "connection.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    /// `https://host:port`.
    pub address: String,
    /// SHA-256 of the server's certificate, as the user accepted it.
    pub fingerprint: String,
    /// The e-mail address whose token "Remember me" kept in the keyring, if any: the key
    /// to find it again after a restart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remembered: Option<String>,
}

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// The connection kept in `data_dir`, if this desktop uses an agency server.
pub fn load(data_dir: &Path) -> anyhow::Result<Option<Connection>> {
    let path = path(data_dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(anyhow::anyhow!("reading {}: {err}", path.display())),
    };
    let connection = serde_json::from_str(&text).map_err(|err| anyhow::anyhow!("reading {}: {err}", path.display()))?;
    Ok(Some(connection))
}

/// Writes the connection beside its place and renames it there, so a crash leaves the
/// old file or the new one, never half of one.
pub fn save(data_dir: &Path, connection: &Connection) -> std::io::Result<()> {
    std::fs::create_dir_all(data_dir)?;
    let path = path(data_dir);
    let partial = path.with_extension("partial");
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(serde_json::to_string_pretty(connection).map_err(std::io::Error::other)?.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(partial, path)
}

/// Back to this computer's store: no server named any more.
pub fn forget(data_dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path(data_dir)) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        removed => removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_connection_reads_back_and_none_is_this_computer() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(load(dir.path()).expect("read"), None);
        let connection = Connection {
            address: "https://office-pc:8443".to_owned(),
            fingerprint: "AB:CD".to_owned(),
            remembered: Some("dana@example.com".to_owned()),
        };
        save(dir.path(), &connection).expect("saved");
        assert_eq!(load(dir.path()).expect("read"), Some(connection));
        std::fs::write(path(dir.path()), "{").expect("spoilt");
        assert!(load(dir.path()).is_err(), "a spoilt file is an error, not this computer's store");
        forget(dir.path()).expect("forgotten");
        assert_eq!(load(dir.path()).expect("read"), None);
        forget(dir.path()).expect("forgetting twice is fine");
    }
}
