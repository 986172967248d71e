//! Backup and restore on real files: a round trip with attachments, refusals of damaged,
//! cut-short and newer archives (each naming what is wrong and leaving nothing behind),
//! the admin-only rule, and daily backups with retention. On PostgreSQL the same archive
//! is written from the agency's database, and restores onto a new one.

use crate::fixtures::{cast, order_in, submit_routine, table_counts};
use crate::support::{TestStore, demo_store, now, postgres_store, postgres_url, sqlite_store};
use chrono::TimeDelta;
use plumbline_domain::api::Field;
use plumbline_domain::{Actor, AttachmentKind, Role, State, UserId, WorkOrderId};
use plumbline_service::backup::{self, Manifest, RestoredStore};
use plumbline_service::db::{Engine, Sql};
use plumbline_service::{ServiceError, Store, attachments, compliance, seed, work_orders};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub const JPEG: &[u8] = include_bytes!("../fixtures/leak.jpg");
const PDF: &[u8] = include_bytes!("../fixtures/invoice.pdf");

pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

pub async fn admin(store: &Store) -> Actor {
    let (id,): (i64,) = Sql::new("SELECT id FROM users WHERE role = 'admin' LIMIT 1").fetch_one(store).await.unwrap();
    Actor { user_id: UserId(id), role: Role::Admin }
}

/// A demo store (on the engine under test) with a photo and a PDF on an order in progress.
async fn store_with_attachments() -> TestStore {
    with_attachments(demo_store().await).await
}

async fn with_attachments(test: TestStore) -> TestStore {
    let store = &test.store;
    let cast = cast(store).await;
    let order = order_in(store, &cast, State::InProgress).await;
    let chosen = tempfile::tempdir().unwrap();
    for (name, bytes, actor) in [("leak.jpg", JPEG, cast.tenant), ("bill.pdf", PDF, cast.contractor)] {
        let path = chosen.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        attachments::attach(store, actor, now(), &store.files_dir(), order, AttachmentKind::Other, &[path])
            .await
            .unwrap();
    }
    test
}

/// Every file in `dir` and below, by path relative to it.
fn listing(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

async fn count(store: &Store, table: &str) -> i64 {
    Sql::new(format!("SELECT count(*) FROM {table}")).fetch_one::<(i64,)>(store).await.unwrap().0
}

/// Every attachment row of the store has its file, and the file's bytes hash to its name.
pub async fn assert_every_attachment_intact(store: &Store) {
    let hashes: Vec<(String,)> = Sql::new("SELECT DISTINCT sha256 FROM attachments").fetch_all(store).await.unwrap();
    assert!(!hashes.is_empty(), "the store has attachments to check");
    for (hash,) in hashes {
        let bytes = std::fs::read(store.files_dir().join(&hash)).unwrap_or_else(|_| panic!("files/{hash} restored"));
        assert_eq!(sha256(&bytes), hash, "files/{hash} holds the bytes it is named by");
    }
}

pub async fn integrity(store: &Store) -> String {
    Sql::new("PRAGMA integrity_check").fetch_one::<(String,)>(store).await.unwrap().0
}

struct Backup {
    dir: TempDir,
    archive: PathBuf,
}

async fn back_up(store: &Store) -> Backup {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("agency.plumbline-backup");
    backup::back_up(store, admin(store).await, &archive, now()).await.unwrap();
    Backup { dir, archive }
}

impl Backup {
    async fn restore(&self, store: &Store) -> Result<RestoredStore, ServiceError> {
        backup::restore(store, Some(admin(store).await), &self.archive, &self.restored_dir()).await
    }

    fn restored_dir(&self) -> PathBuf {
        self.dir.path().join("restored")
    }

    /// The archive rewritten entry by entry, `change` given each entry's name and bytes.
    fn rewrite(&self, change: impl Fn(&str, &mut Vec<u8>)) {
        let mut entries = Vec::new();
        let mut archive = tar::Archive::new(std::fs::File::open(&self.archive).unwrap());
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let name = entry.path().unwrap().display().to_string();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            change(&name, &mut bytes);
            entries.push((name, bytes));
        }
        let mut builder = tar::Builder::new(std::fs::File::create(&self.archive).unwrap());
        for (name, bytes) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o600);
            builder.append_data(&mut header, name, bytes.as_slice()).unwrap();
        }
        builder.finish().unwrap();
    }

    /// Flips one byte in the middle of `entry`'s data, in the archive file itself.
    fn flip_byte_in(&self, entry_name: &str) {
        let mut archive = tar::Archive::new(std::fs::File::open(&self.archive).unwrap());
        let (offset, size) = archive
            .entries()
            .unwrap()
            .map(Result::unwrap)
            .find(|entry| entry.path().unwrap().display().to_string() == entry_name)
            .map(|entry| (entry.raw_file_position(), entry.size()))
            .unwrap_or_else(|| panic!("{entry_name} is in the archive"));
        let mut bytes = std::fs::read(&self.archive).unwrap();
        bytes[usize::try_from(offset + size / 2).unwrap()] ^= 0x5a;
        std::fs::write(&self.archive, bytes).unwrap();
    }

    /// The refusal's message, after checking nothing was left where it would have gone.
    async fn refusal(&self, store: &Store) -> String {
        let err = self.restore(store).await.expect_err("the backup is refused");
        assert!(!self.restored_dir().exists(), "a refused restore leaves nothing behind");
        let ServiceError::Validation { field: Field::Archive, message } = err else {
            panic!("expected a refusal of the archive, got {err:?}");
        };
        message
    }
}

#[tokio::test]
async fn a_backup_restores_every_row_and_every_attached_file() {
    let test = store_with_attachments().await;
    let store = &test.store;

    let backup = back_up(store).await;
    let restored = backup.restore(store).await.unwrap();

    assert_eq!(listing(backup.dir.path()).first().map(String::as_str), Some("agency.plumbline-backup"));
    let manifest: &Manifest = &restored.manifest;
    assert_eq!((manifest.format.as_str(), manifest.schema_version), ("plumbline-backup", Store::schema_version()));
    assert_eq!(manifest.counts.attachments, 2);
    assert_eq!(manifest.created_at, now());
    let copy = Store::open(&restored.dir).await.unwrap();
    assert_eq!(integrity(&copy).await, "ok");
    for table in ["work_orders", "work_order_events", "messages", "users", "attachments", "notifications"] {
        assert_eq!(count(&copy, table).await, count(store, table).await, "every row of {table}");
    }
    let mut files = vec![sha256(PDF), sha256(JPEG)];
    files.sort();
    assert_eq!(listing(&copy.files_dir()), files, "every attached file, nothing else");
    assert_every_attachment_intact(&copy).await;
    let status = backup::status(store, admin(store).await).unwrap();
    assert_eq!(status.last_backup.map(|last| last.file_name), Some("agency.plumbline-backup".into()));
}

/// A certificate's file is named by no attachment, yet is the agency's as much: the
/// archive carries it, and a restore checks it is there.
#[tokio::test]
async fn a_certificates_file_is_backed_up_and_restored_with_the_attachments() {
    let test = store_with_attachments().await;
    let store = &test.store;
    let staff = cast(store).await.staff;
    let (property,): (i64,) = Sql::new("SELECT min(id) FROM properties").fetch_one(store).await.unwrap();
    let input = plumbline_domain::api::CertificateInput {
        property: plumbline_domain::ids::PropertyId(property),
        kind: "EICR".into(),
        issued_on: now().date_naive(),
        expires_on: None,
    };
    let certificate = compliance::record(store, staff, now(), &input).await.unwrap();
    let scan = [PDF, b"% the electrician's signature page"].concat();
    let chosen = tempfile::tempdir().unwrap();
    let path = chosen.path().join("eicr.pdf");
    std::fs::write(&path, &scan).unwrap();
    let file = attachments::ChosenFile::at(&path);
    compliance::attach_file(store, staff, now(), &store.files_dir(), certificate.id, &file).await.unwrap();

    let backup = back_up(store).await;
    let restored = backup.restore(store).await.unwrap();
    let copy = Store::open(&restored.dir).await.unwrap();
    let mut files = vec![sha256(PDF), sha256(JPEG), sha256(&scan)];
    files.sort();
    assert_eq!(listing(&copy.files_dir()), files, "the certificate's file with the attachments'");

    // An archive whose copy of it is damaged is refused, naming it.
    let entry = format!("files/{}", sha256(&scan));
    backup.rewrite(|name, bytes| {
        if name == entry {
            bytes.clear();
        }
    });
    std::fs::remove_dir_all(backup.restored_dir()).unwrap();
    let refusal = backup.refusal(store).await;
    assert!(refusal.contains(&sha256(&scan)), "{refusal}");
}

#[tokio::test]
async fn only_an_admin_may_back_up_or_restore() {
    let test = store_with_attachments().await;
    let store = &test.store;
    let staff = cast(store).await.staff;
    let dir = tempfile::tempdir().unwrap();

    let refused = backup::back_up(store, staff, &dir.path().join("x.plumbline-backup"), now()).await;
    assert!(matches!(refused, Err(ServiceError::NotAllowed(_))), "{refused:?}");
    assert!(listing(dir.path()).is_empty(), "nothing was written");
    let backup = back_up(store).await;
    for someone in [Some(staff), None] {
        let refused = backup::restore(store, someone, &backup.archive, &backup.restored_dir()).await;
        assert!(matches!(refused, Err(ServiceError::NotAllowed(_))), "{refused:?}");
        assert!(!backup.restored_dir().exists());
    }
    assert!(matches!(backup::status(store, staff), Err(ServiceError::NotAllowed(_))));
}

#[tokio::test]
async fn a_new_computer_restores_before_anyone_is_signed_in_since_it_has_nothing_to_lose() {
    let test = store_with_attachments().await;
    let backup = back_up(&test.store).await;
    let new_computer = crate::support::sqlite_store().await;

    let restored = backup::restore(&new_computer.store, None, &backup.archive, &backup.restored_dir()).await.unwrap();

    assert_eq!(restored.manifest.agency, "Harbour Lettings");
}

#[tokio::test]
async fn a_flipped_byte_in_an_attached_file_is_refused_naming_the_file() {
    let test = store_with_attachments().await;
    let backup = back_up(&test.store).await;
    let photo = format!("files/{}", sha256(JPEG));

    backup.flip_byte_in(&photo);

    let message = backup.refusal(&test.store).await;
    assert!(message.contains(&format!("{photo} does not match its checksum")), "{message}");
}

#[tokio::test]
async fn a_flipped_byte_in_the_store_copy_is_refused() {
    let test = store_with_attachments().await;
    let backup = back_up(&test.store).await;

    backup.flip_byte_in("plumbline.sqlite3");

    let message = backup.refusal(&test.store).await;
    assert!(message.contains("plumbline.sqlite3 does not match its checksum"), "{message}");
}

#[tokio::test]
async fn a_cut_short_backup_is_refused_as_incomplete() {
    let test = store_with_attachments().await;
    let backup = back_up(&test.store).await;
    let bytes = std::fs::read(&backup.archive).unwrap();

    for keep in [bytes.len() / 2, bytes.len() - 2048, 700] {
        std::fs::write(&backup.archive, &bytes[..keep]).unwrap();
        let message = backup.refusal(&test.store).await;
        assert!(message.contains("incomplete"), "cut at {keep}: {message}");
    }
}

#[tokio::test]
async fn a_store_that_fails_the_integrity_check_is_refused_though_its_checksum_matches() {
    let test = store_with_attachments().await;
    let backup = back_up(&test.store).await;

    backup.rewrite(|name, bytes| {
        if name == "plumbline.sqlite3" {
            // The last pages are tables' and indexes' (the schema is at the start, and a
            // vacuumed copy has no free pages): give each an invalid page type.
            let pages = bytes.len() / 4096;
            for page in pages - 8..pages {
                bytes[page * 4096] = 0x01;
            }
        }
    });
    let damaged = std::fs::read(&backup.archive).unwrap();
    let store_hash = {
        let mut archive = tar::Archive::new(damaged.as_slice());
        let mut entry = archive
            .entries()
            .unwrap()
            .map(Result::unwrap)
            .find(|e| e.path().unwrap().ends_with("plumbline.sqlite3"))
            .unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        (sha256(&bytes), bytes.len() as u64)
    };
    backup.rewrite(|name, bytes| {
        if name == "manifest.json" {
            let mut manifest: Manifest = serde_json::from_slice(bytes).unwrap();
            let entry = manifest.entries.iter_mut().find(|e| e.path == "plumbline.sqlite3").unwrap();
            (entry.sha256, entry.size) = store_hash.clone();
            *bytes = serde_json::to_vec(&manifest).unwrap();
        }
    });

    let message = backup.refusal(&test.store).await;
    assert!(message.contains("fails SQLite's integrity check"), "{message}");
}

#[tokio::test]
async fn a_backup_from_a_newer_plumbline_is_refused() {
    let test = store_with_attachments().await;
    let backup = back_up(&test.store).await;
    let newer = Store::schema_version() + 1;

    backup.rewrite(|name, bytes| {
        if name == "manifest.json" {
            let mut manifest: Manifest = serde_json::from_slice(bytes).unwrap();
            manifest.schema_version = newer;
            *bytes = serde_json::to_vec(&manifest).unwrap();
        }
    });

    let message = backup.refusal(&test.store).await;
    assert!(message.contains(&format!("newer version of Plumbline (schema {newer}")), "{message}");
}

#[tokio::test]
async fn a_file_that_is_not_a_backup_is_refused() {
    let test = store_with_attachments().await;
    let backup = back_up(&test.store).await;

    std::fs::write(&backup.archive, JPEG).unwrap();

    let message = backup.refusal(&test.store).await;
    assert!(message.contains("not a Plumbline backup") || message.contains("incomplete"), "{message}");
}

#[tokio::test]
async fn scheduled_backups_run_once_a_day_and_keep_only_the_newest() {
    let test = store_with_attachments().await;
    let store = &test.store;
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("holiday rota.pdf"), PDF).unwrap();
    backup::schedule(store, admin(store).await, folder.path(), 2).unwrap();

    let mut taken = Vec::new();
    for hours in [0, 1, 23, 24, 30, 48, 72] {
        let at = now() + TimeDelta::hours(hours);
        if backup::run_scheduled(store, at).await.unwrap().is_some() {
            taken.push(hours);
        }
    }

    assert_eq!(taken, [0, 24, 48, 72], "one a day");
    assert_eq!(
        listing(folder.path()),
        [
            "holiday rota.pdf",
            "plumbline-2026-11-25-093000.plumbline-backup",
            "plumbline-2026-11-26-093000.plumbline-backup"
        ],
        "the newest two kept; nothing else in the folder touched"
    );
    let status = backup::status(store, admin(store).await).unwrap();
    assert_eq!(status.last_backup.unwrap().taken_at, now() + TimeDelta::hours(72));
    backup::set_kept(store, admin(store).await, 1).unwrap();
    assert_eq!(listing(folder.path()).len(), 2, "lowering the number kept removes the older at once");
}

#[tokio::test]
async fn a_failed_scheduled_backup_is_noted_and_tried_again_an_hour_later() {
    let test = store_with_attachments().await;
    let store = &test.store;
    let parent = tempfile::tempdir().unwrap();
    let folder = parent.path().join("usb drive");
    std::fs::create_dir(&folder).unwrap();
    backup::schedule(store, admin(store).await, &folder, 7).unwrap();
    std::fs::remove_dir(&folder).unwrap();

    assert!(backup::run_scheduled(store, now()).await.is_err());
    let failure = backup::status(store, admin(store).await).unwrap().last_failure.expect("the failure is noted");
    assert!(failure.message.contains("usb drive"), "{}", failure.message);
    std::fs::create_dir(&folder).unwrap();
    assert!(backup::run_scheduled(store, now() + TimeDelta::minutes(30)).await.unwrap().is_none(), "waits an hour");
    assert!(backup::run_scheduled(store, now() + TimeDelta::minutes(61)).await.unwrap().is_some());
    assert_eq!(backup::status(store, admin(store).await).unwrap().last_failure, None);
}

#[tokio::test]
async fn keeping_no_backups_or_a_missing_folder_is_refused() {
    let test = store_with_attachments().await;
    let store = &test.store;
    let admin = admin(store).await;
    let folder = tempfile::tempdir().unwrap();

    let zero = backup::schedule(store, admin, folder.path(), 0);
    assert!(matches!(zero, Err(ServiceError::Validation { field: Field::Keep, .. })), "{zero:?}");
    let missing = backup::schedule(store, admin, &folder.path().join("nowhere"), 7);
    assert!(matches!(missing, Err(ServiceError::Validation { field: Field::Archive, .. })), "{missing:?}");
    assert_eq!(backup::status(store, admin).unwrap().schedule, None);
}

/// The order with the attachments: the newest in progress.
async fn order_with_attachments(store: &Store) -> WorkOrderId {
    let (id,): (i64,) =
        Sql::new("SELECT work_order_id FROM attachments ORDER BY id DESC LIMIT 1").fetch_one(store).await.unwrap();
    WorkOrderId(id)
}

#[tokio::test]
async fn an_archive_from_either_engine_restores_onto_a_new_agency_database() {
    let Some(url) = postgres_url() else { return };
    let sqlite = sqlite_store().await;
    assert!(seed::demo_if_empty(&sqlite.store, now()).await.unwrap());
    let sources = [store_with_attachments().await, with_attachments(sqlite).await];
    for source in &sources {
        let from = &source.store;
        let backup = back_up(from).await;
        let target = postgres_store(&url).await;
        let onto = &target.store;

        let work = backup.dir.path().join("unpacked");
        let manifest = backup::restore_onto_postgres(onto, &backup.archive, &work).await.unwrap();

        assert_eq!(manifest.counts.attachments, 2);
        assert!(!work.exists(), "the unpacked archive is removed");
        assert_eq!(table_counts(onto).await, table_counts(from).await, "every row of every table");
        let order = order_with_attachments(from).await;
        let cast = cast(onto).await;
        assert_eq!(
            work_orders::detail(onto, cast.staff, now(), order).await.unwrap(),
            work_orders::detail(from, cast.staff, now(), order).await.unwrap()
        );
        assert_every_attachment_intact(onto).await;
        let newest: i64 = Sql::new("SELECT max(id) FROM work_orders").fetch_one::<(i64,)>(onto).await.unwrap().0;
        let new = submit_routine(onto, &cast).await;
        assert!(new.0 > newest, "new rows get fresh ids after the copied ones");
    }
}

#[tokio::test]
async fn restoring_onto_a_database_that_holds_an_agency_is_refused_and_changes_nothing() {
    let test = store_with_attachments().await;
    if test.store.engine() != Engine::Postgres {
        return;
    }
    let store = &test.store;
    let backup = back_up(store).await;
    let before = table_counts(store).await;

    let work = backup.dir.path().join("unpacked");
    let refused = backup::restore_onto_postgres(store, &backup.archive, &work).await;

    let Err(ServiceError::NotAllowed(message)) = refused else { panic!("refused, got {refused:?}") };
    assert!(message.contains("already holds an agency"), "{message}");
    assert_eq!(table_counts(store).await, before);
    assert!(!work.exists());
}
