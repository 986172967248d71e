//! The archive on disk: a tar stream of the store copy, each attached file, and last the
//! manifest. Checksums are computed as the bytes pass through, so writing or unpacking
//! reads each byte once.

use super::{Entry, FILES_PREFIX, MANIFEST, Manifest, STORE_ENTRY, refuse};
use crate::error::Result;
use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

/// A manifest larger than this is not one Plumbline wrote.
const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;

/// What goes into an archive: the store copy, and the attached files by their hashes.
pub(super) struct Sources {
    pub snapshot: PathBuf,
    pub files_dir: PathBuf,
    pub hashes: Vec<String>,
}

/// Writes the archive to `out` (a new file) and returns the manifest with every entry.
pub(super) fn write(out: &Path, sources: &Sources, mut manifest: Manifest, now: DateTime<Utc>) -> Result<Manifest> {
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .with_context(|| format!("creating {}", out.display()))?;
    let mut builder = tar::Builder::new(BufWriter::new(file));
    let mtime = u64::try_from(now.timestamp()).unwrap_or(0);
    manifest.entries.push(append_file(&mut builder, STORE_ENTRY, &sources.snapshot, mtime)?);
    for hash in &sources.hashes {
        let path = sources.files_dir.join(hash);
        if !path.is_file() {
            return Err(anyhow!("the attached file {hash} is missing from {}", sources.files_dir.display()).into());
        }
        let entry = append_file(&mut builder, &format!("{FILES_PREFIX}{hash}"), &path, mtime)?;
        if entry.sha256 != *hash {
            let damaged =
                anyhow!("the attached file {} is damaged: its content no longer matches its name", path.display());
            return Err(damaged.into());
        }
        manifest.entries.push(entry);
    }
    let json = serde_json::to_vec_pretty(&manifest).context("writing the manifest")?;
    append(&mut builder, MANIFEST, &mut json.as_slice(), json.len() as u64, mtime)
        .with_context(|| format!("writing {}", out.display()))?;
    let file = builder
        .into_inner()
        .and_then(|buffered| buffered.into_inner().map_err(io::IntoInnerError::into_error))
        .with_context(|| format!("writing {}", out.display()))?;
    file.sync_all().with_context(|| format!("saving {}", out.display()))?;
    Ok(manifest)
}

fn append_file(builder: &mut tar::Builder<impl Write>, name: &str, path: &Path, mtime: u64) -> Result<Entry> {
    let file = File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let size = file.metadata().with_context(|| format!("reading {}", path.display()))?.len();
    let mut reader = Hashing::new(BufReader::new(file).take(size));
    append(builder, name, &mut reader, size, mtime).with_context(|| format!("archiving {}", path.display()))?;
    if reader.count != size {
        return Err(anyhow!("{} changed while it was being backed up", path.display()).into());
    }
    Ok(Entry { path: name.to_owned(), size, sha256: reader.hex() })
}

fn append(
    builder: &mut tar::Builder<impl Write>,
    name: &str,
    data: &mut impl Read,
    size: u64,
    mtime: u64,
) -> io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_size(size);
    header.set_mode(0o600);
    header.set_mtime(mtime);
    builder.append_data(&mut header, name, data)
}

/// An archive's entries as found: each unpacked file's size and hash, and the manifest.
pub(super) struct Unpacked {
    pub manifest: Option<Manifest>,
    pub found: BTreeMap<String, Entry>,
}

/// Unpacks `archive` into `into` (an empty directory), refusing anything a Plumbline
/// backup does not hold. Checks nothing against the manifest: that is the caller's.
pub(super) fn unpack(archive: &Path, into: &Path) -> Result<Unpacked> {
    let file = File::open(archive).map_err(|err| refuse(format!("the backup could not be read: {err}")))?;
    let mut tar = tar::Archive::new(BufReader::new(file));
    let mut unpacked = Unpacked { manifest: None, found: BTreeMap::new() };
    let entries = tar.entries().map_err(|err| not_an_archive(&err))?;
    for entry in entries {
        let mut entry = entry.map_err(|err| not_an_archive(&err))?;
        let name = entry.path().ok().and_then(|path| path.to_str().map(str::to_owned)).unwrap_or_default();
        let kind = EntryKind::of(&name)
            .ok_or_else(|| refuse(format!("the backup holds {name:?}, which a Plumbline backup never does")))?;
        if entry.header().entry_type() != tar::EntryType::Regular || unpacked.found.contains_key(&name) {
            return Err(refuse(format!("the backup's entry {name} is not a single file")));
        }
        let declared = entry.header().size().map_err(|err| not_an_archive(&err))?;
        match kind {
            EntryKind::Manifest => unpacked.manifest = Some(read_manifest(&mut entry, declared)?),
            EntryKind::Store | EntryKind::File => {
                let found = unpack_file(&mut entry, &name, declared, into)?;
                unpacked.found.insert(name, found);
            }
        }
    }
    Ok(unpacked)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Manifest,
    Store,
    File,
}

impl EntryKind {
    /// Only these names are ever unpacked, so no entry can write outside `into`.
    fn of(name: &str) -> Option<Self> {
        match name {
            MANIFEST => Some(Self::Manifest),
            STORE_ENTRY => Some(Self::Store),
            _ => name.strip_prefix(FILES_PREFIX).filter(|hash| is_sha256_hex(hash)).map(|_| Self::File),
        }
    }
}

/// 64 lower-case hex digits: never a separator, `..` or an absolute path.
pub(super) fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn read_manifest(entry: &mut impl Read, declared: u64) -> Result<Manifest> {
    if declared > MAX_MANIFEST_BYTES {
        return Err(refuse("the backup's manifest is too large to be one Plumbline wrote"));
    }
    let mut json = Vec::new();
    entry.take(declared).read_to_end(&mut json).map_err(|err| not_an_archive(&err))?;
    if json.len() as u64 != declared {
        return Err(cut_short(MANIFEST));
    }
    serde_json::from_slice(&json).map_err(|err| refuse(format!("the backup's manifest cannot be read: {err}")))
}

fn unpack_file(entry: &mut impl Read, name: &str, declared: u64, into: &Path) -> Result<Entry> {
    let target = into.join(name);
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .with_context(|| format!("creating {}", target.display()))?;
    let mut out = BufWriter::new(file);
    let mut reader = Hashing::new(entry.take(declared));
    match io::copy(&mut reader, &mut out) {
        Ok(_) => {}
        Err(err) if err.kind() == ErrorKind::UnexpectedEof => return Err(cut_short(name)),
        Err(err) => return Err(anyhow::Error::new(err).context(format!("unpacking {name}")).into()),
    }
    if reader.count != declared {
        return Err(cut_short(name));
    }
    let file = out.into_inner().map_err(io::IntoInnerError::into_error).with_context(|| format!("unpacking {name}"))?;
    file.sync_all().with_context(|| format!("saving {}", target.display()))?;
    Ok(Entry { path: name.to_owned(), size: declared, sha256: reader.hex() })
}

fn cut_short(name: &str) -> crate::ServiceError {
    refuse(format!("the backup is incomplete: it ends part-way through {name} (was it copied whole?)"))
}

fn not_an_archive(err: &io::Error) -> crate::ServiceError {
    if err.kind() == ErrorKind::UnexpectedEof {
        refuse("the backup is incomplete: it ends part-way through (was it copied whole?)")
    } else {
        refuse(format!("the file is not a Plumbline backup, or it is damaged: {err}"))
    }
}

/// Passes bytes through, counting them and hashing them.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    count: u64,
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Self {
        Self { inner, hasher: Sha256::new(), count: 0 }
    }

    fn hex(&self) -> String {
        self.hasher.clone().finalize().iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.hasher.update(&buf[..read]);
        self.count += read as u64;
        Ok(read)
    }
}
