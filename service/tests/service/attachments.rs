//! Attaching files: content-hash storage, type from content, limits, all-or-nothing,
//! and who may attach and see them. Every case checks what is in the files directory.

use crate::fixtures::{cast, fingerprint, order_in};
use crate::support::{TestStore, demo_store, now};
use plumbline_domain::api::{Attachment, Field};
use plumbline_domain::{Actor, AttachmentKind, MediaType, State, WorkOrderId};
use plumbline_service::db::{Engine, Sql};
use plumbline_service::{ServiceError, Store, attachments, work_orders};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const JPEG: &[u8] = include_bytes!("../fixtures/leak.jpg");
const PDF: &[u8] = include_bytes!("../fixtures/invoice.pdf");

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A folder of the user's own files to choose from, apart from the data directory.
struct Chosen(TempDir);

impl Chosen {
    fn new() -> Self {
        Self(tempfile::tempdir().expect("temp dir"))
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folders");
        std::fs::write(&path, bytes).expect("written");
        path
    }
}

/// Every entry of the files directory (hidden ones too), or none if it is not there.
fn stored_files(store: &Store) -> BTreeSet<String> {
    match std::fs::read_dir(store.files_dir()) {
        Ok(entries) => entries.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => BTreeSet::new(),
    }
}

async fn attach(
    store: &Store,
    actor: Actor,
    id: WorkOrderId,
    kind: AttachmentKind,
    paths: &[PathBuf],
) -> Result<Vec<Attachment>, ServiceError> {
    attachments::attach(store, actor, now(), &store.files_dir(), id, kind, paths).await
}

async fn set_limits(store: &Store, per_file: i64, per_order: i64) {
    Sql::new("UPDATE agency SET max_attachment_bytes = ?, max_order_attachment_bytes = ?")
        .bind(per_file)
        .bind(per_order)
        .execute(store)
        .await
        .unwrap();
}

async fn order_with_contractor(test: &TestStore) -> (crate::fixtures::Cast, WorkOrderId) {
    let cast = cast(&test.store).await;
    let id = order_in(&test.store, &cast, State::InProgress).await;
    (cast, id)
}

fn refusal_message(err: ServiceError) -> String {
    let ServiceError::Validation { field: Field::Files, message } = err else {
        panic!("expected a refusal of the files, got {err:?}");
    };
    message
}

#[tokio::test]
async fn a_photo_and_a_pdf_are_copied_in_under_their_content_hash_and_listed_for_the_parties() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();

    let photos =
        attach(store, cast.tenant, id, AttachmentKind::Before, &[chosen.file("leak.jpg", JPEG)]).await.unwrap();
    let invoice =
        attach(store, cast.contractor, id, AttachmentKind::Invoice, &[chosen.file("bill.pdf", PDF)]).await.unwrap();

    assert_eq!(
        (photos[0].file_name.as_str(), photos[0].media_type, photos[0].kind),
        ("leak.jpg", MediaType::Jpeg, AttachmentKind::Before)
    );
    assert_eq!((invoice[0].media_type, invoice[0].size_bytes), (MediaType::Pdf, PDF.len() as i64));
    assert_eq!(stored_files(store), BTreeSet::from([sha256(JPEG), sha256(PDF)]));
    assert_eq!(std::fs::read(store.files_dir().join(sha256(JPEG))).unwrap(), JPEG, "the content is copied as it was");
    for viewer in [cast.staff, cast.landlord, cast.tenant, cast.contractor] {
        let listed = attachments::list(store, viewer, id).await.unwrap();
        assert_eq!(listed, [photos[0].clone(), invoice[0].clone()], "{:?}", viewer.role);
    }
    let timeline = work_orders::detail(store, cast.staff, now(), id).await.unwrap().timeline;
    let notes: Vec<_> = timeline.iter().rev().take(2).map(|e| (e.what.as_str(), e.note.as_str(), e.to)).collect();
    assert_eq!(
        notes,
        [
            ("Attachments", "Added a PDF (invoice)", Some(State::InProgress)),
            ("Attachments", "Added a photo (before)", Some(State::InProgress)),
        ]
    );
}

#[tokio::test]
async fn several_files_in_one_go_are_one_event() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();
    let paths = [chosen.file("one.jpg", JPEG), chosen.file("two.JPG", JPEG)];

    let added = attach(store, cast.landlord, id, AttachmentKind::Before, &paths).await.unwrap();

    assert_eq!(added.iter().map(|a| a.file_name.as_str()).collect::<Vec<_>>(), ["one.jpg", "two.JPG"]);
    let last = work_orders::detail(store, cast.staff, now(), id).await.unwrap().timeline.pop().unwrap();
    assert_eq!(last.note, "Added 2 photos (before)");
}

#[tokio::test]
async fn the_same_file_twice_is_two_attachments_and_one_file_on_disk() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let other = order_in(store, &cast, State::InProgress).await;
    let chosen = Chosen::new();
    let photo = chosen.file("leak.jpg", JPEG);

    attach(store, cast.staff, id, AttachmentKind::Before, std::slice::from_ref(&photo)).await.unwrap();
    attach(store, cast.staff, id, AttachmentKind::After, std::slice::from_ref(&photo)).await.unwrap();
    attach(store, cast.staff, other, AttachmentKind::Other, std::slice::from_ref(&photo)).await.unwrap();

    let kinds: Vec<_> = attachments::list(store, cast.staff, id).await.unwrap().iter().map(|a| a.kind).collect();
    assert_eq!(kinds, [AttachmentKind::Before, AttachmentKind::After], "each attachment is its own row");
    assert_eq!(stored_files(store), BTreeSet::from([sha256(JPEG)]), "the content is stored once");
}

#[tokio::test]
async fn a_text_file_named_jpg_is_refused_and_nothing_of_the_call_is_stored() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();
    let paths = [chosen.file("leak.jpg", JPEG), chosen.file("invoice.jpg", b"Invoice 42: call-out and trap, 125.00")];
    let before = fingerprint(store, id).await;

    let err = attach(store, cast.contractor, id, AttachmentKind::Invoice, &paths).await.unwrap_err();

    assert_eq!(
        refusal_message(err),
        "invoice.jpg is not a JPEG image: its content is not an image, PDF or video Plumbline accepts"
    );
    assert_eq!(fingerprint(store, id).await, before, "the good file of the call was not attached either");
    assert_eq!(stored_files(store), BTreeSet::new(), "no file was written");
}

#[tokio::test]
async fn a_file_over_the_agencys_limit_is_refused_with_the_limit() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    set_limits(store, 300, 10_000).await;
    let before = fingerprint(store, id).await;

    let chosen = Chosen::new();
    let path = chosen.file("invoice.pdf", PDF);
    let err = attach(store, cast.contractor, id, AttachmentKind::Invoice, &[path]).await.unwrap_err();

    assert_eq!(refusal_message(err), format!("invoice.pdf is {} bytes; a file may be at most 300 bytes", PDF.len()));
    assert_eq!(fingerprint(store, id).await, before);
    assert_eq!(stored_files(store), BTreeSet::new());
}

#[tokio::test]
async fn files_beyond_the_orders_total_are_refused_and_the_earlier_ones_stay() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let total = (JPEG.len() + PDF.len()) as i64;
    set_limits(store, 10_000, total - 1).await;
    let chosen = Chosen::new();
    attach(store, cast.tenant, id, AttachmentKind::Before, &[chosen.file("leak.jpg", JPEG)]).await.unwrap();
    let before = fingerprint(store, id).await;

    let err = attach(store, cast.contractor, id, AttachmentKind::Invoice, &[chosen.file("invoice.pdf", PDF)])
        .await
        .unwrap_err();

    let message = refusal_message(err);
    assert!(message.ends_with(&format!("an order may hold at most {} bytes", total - 1)), "{message}");
    assert_eq!(fingerprint(store, id).await, before);
    assert_eq!(stored_files(store), BTreeSet::from([sha256(JPEG)]));
    // Another order has its own allowance.
    let other = order_in(store, &cast, State::InProgress).await;
    attach(store, cast.staff, other, AttachmentKind::Invoice, &[chosen.file("invoice.pdf", PDF)]).await.unwrap();
}

#[tokio::test]
async fn a_chosen_path_is_only_read_the_name_kept_is_its_base_name_and_the_only_write_is_the_hash() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();
    chosen.file("photos/keep.txt", b"the user's own folder");
    let photo = chosen.file("leak.jpg", JPEG);
    let roundabout = chosen.0.path().join("photos").join("..").join("leak.jpg");
    let data_dir = store.files_dir().parent().unwrap().to_owned();
    let data_before = entries(&data_dir);

    let added = attach(store, cast.staff, id, AttachmentKind::Other, &[roundabout]).await.unwrap();

    assert_eq!(added[0].file_name, "leak.jpg");
    assert_eq!(stored_files(store), BTreeSet::from([sha256(JPEG)]));
    let mut data_after = entries(&data_dir);
    assert!(data_after.remove("files"), "the files directory is made on first use");
    assert_eq!(data_after, data_before, "nothing else was written beside the store");
    assert_eq!(entries(chosen.0.path()), BTreeSet::from(["leak.jpg".to_owned(), "photos".to_owned()]));
    assert_eq!(std::fs::read(photo).unwrap(), JPEG, "the original is left as it was");
    let stored: Vec<(String,)> = Sql::new("SELECT file_name FROM attachments").fetch_all(store).await.unwrap();
    assert_eq!(stored, [("leak.jpg".to_owned(),)], "no path is kept");
}

/// Names in a folder, SQLite's own side files left out (they come and go).
fn entries(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with("-wal") && !name.ends_with("-shm"))
        .collect()
}

#[tokio::test]
async fn a_folder_or_a_missing_file_is_refused_by_name() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();
    chosen.file("Photos/keep.txt", b"a folder");
    let before = fingerprint(store, id).await;

    for (path, expected) in [
        (chosen.0.path().join("Photos"), "Photos is a folder, not a file"),
        (chosen.0.path().join("gone.jpg"), "gone.jpg could not be read: it was moved or is not readable"),
        (chosen.file("empty.pdf", b""), "empty.pdf is empty"),
    ] {
        let err = attach(store, cast.staff, id, AttachmentKind::Other, &[path]).await.unwrap_err();
        assert_eq!(refusal_message(err), expected);
    }
    assert_eq!(fingerprint(store, id).await, before);
    assert_eq!(stored_files(store), BTreeSet::new());
}

#[tokio::test]
async fn people_unrelated_to_the_order_may_neither_attach_nor_see_its_files() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();
    let added = attach(store, cast.tenant, id, AttachmentKind::Before, &[chosen.file("leak.jpg", JPEG)]).await.unwrap();
    let before = fingerprint(store, id).await;
    let pdf = chosen.file("invoice.pdf", PDF);

    for stranger in [cast.other_landlord, cast.other_tenant, cast.other_contractor] {
        let refused = attach(store, stranger, id, AttachmentKind::Invoice, std::slice::from_ref(&pdf)).await;
        assert!(matches!(refused, Err(ServiceError::NotFound { .. })), "{:?} attached: {refused:?}", stranger.role);
        let listed = attachments::list(store, stranger, id).await;
        assert!(matches!(listed, Err(ServiceError::NotFound { .. })), "{:?} listed", stranger.role);
        let open_dir = Chosen::new();
        let opened = attachments::open_path(store, stranger, &store.files_dir(), open_dir.0.path(), added[0].id).await;
        assert!(matches!(opened, Err(ServiceError::NotFound { .. })), "{:?} opened", stranger.role);
        assert_eq!(entries(open_dir.0.path()), BTreeSet::new(), "nothing copied for {:?}", stranger.role);
        let shown = attachments::image(store, stranger, &store.files_dir(), added[0].id).await;
        assert!(matches!(shown, Err(ServiceError::NotFound { .. })), "{:?} viewed", stranger.role);
    }
    assert_eq!(fingerprint(store, id).await, before);
    assert_eq!(stored_files(store), BTreeSet::from([sha256(JPEG)]));
}

#[tokio::test]
async fn images_are_shown_from_the_store_and_other_files_open_from_their_hash() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();
    let paths = [chosen.file("leak.jpg", JPEG)];
    let photo = attach(store, cast.tenant, id, AttachmentKind::Before, &paths).await.unwrap().remove(0);
    let pdf = attach(store, cast.contractor, id, AttachmentKind::Invoice, &[chosen.file("invoice.pdf", PDF)])
        .await
        .unwrap()
        .remove(0);

    let image = attachments::image(store, cast.landlord, &store.files_dir(), photo.id).await.unwrap();
    assert_eq!((image.media_type, image.bytes.as_slice()), (MediaType::Jpeg, JPEG));
    let not_an_image = attachments::image(store, cast.landlord, &store.files_dir(), pdf.id).await;
    assert!(matches!(not_an_image, Err(ServiceError::Validation { .. })), "{not_an_image:?}");
    let open_dir = Chosen::new();
    let path =
        attachments::open_path(store, cast.landlord, &store.files_dir(), open_dir.0.path(), pdf.id).await.unwrap();
    assert_eq!(path, open_dir.0.path().join(pdf.id.0.to_string()).join("invoice.pdf"));
    assert_eq!(std::fs::read(&path).unwrap(), PDF);
}

#[tokio::test]
async fn a_file_is_opened_from_a_copy_named_for_what_its_content_is_never_from_the_store() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();
    let paths = [chosen.file("report.html", PDF), chosen.file("scan", PDF), chosen.file("leak.JPEG", JPEG)];
    let added = attach(store, cast.contractor, id, AttachmentKind::Invoice, &paths).await.unwrap();
    let open_dir = Chosen::new();

    let mut opened = Vec::new();
    for attachment in &added {
        let path = attachments::open_path(store, cast.tenant, &store.files_dir(), open_dir.0.path(), attachment.id)
            .await
            .unwrap();
        assert_eq!(path.parent().unwrap(), open_dir.0.path().join(attachment.id.0.to_string()));
        assert!(!path.starts_with(store.files_dir()), "the stored file itself is never handed out: {path:?}");
        opened.push(path.file_name().unwrap().to_string_lossy().into_owned());
        assert_eq!(std::fs::read(&path).unwrap(), if attachment.media_type == MediaType::Pdf { PDF } else { JPEG });
    }
    assert_eq!(opened, ["report.html.pdf", "scan.pdf", "leak.JPEG"]);
    // Opening again gives the stored content back, whatever the app did to the copy.
    let again = open_dir.0.path().join(added[0].id.0.to_string()).join("report.html.pdf");
    std::fs::write(&again, b"changed by the viewer").unwrap();
    attachments::open_path(store, cast.tenant, &store.files_dir(), open_dir.0.path(), added[0].id).await.unwrap();
    assert_eq!(std::fs::read(&again).unwrap(), PDF);
    assert_eq!(stored_files(store), BTreeSet::from([sha256(PDF), sha256(JPEG)]), "the store is only read");
    assert_eq!(std::fs::read(store.files_dir().join(sha256(PDF))).unwrap(), PDF);
}

#[tokio::test]
async fn choosing_nothing_attaches_nothing() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let before = fingerprint(store, id).await;
    assert_eq!(attach(store, cast.staff, id, AttachmentKind::Before, &[]).await.unwrap(), []);
    assert_eq!(fingerprint(store, id).await, before);
}

#[tokio::test]
async fn files_written_before_a_failed_database_write_are_removed_again() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();
    attach(store, cast.staff, id, AttachmentKind::Before, &[chosen.file("leak.jpg", JPEG)]).await.unwrap();
    // The files are stored just before the rows and the event; make the event fail.
    refuse_event_inserts(store).await;
    let before = fingerprint(store, id).await;
    let paths = [chosen.file("again.jpg", JPEG), chosen.file("invoice.pdf", PDF)];

    let err = attach(store, cast.staff, id, AttachmentKind::Invoice, &paths).await.unwrap_err();

    assert!(matches!(err, ServiceError::Internal(_)), "{err:?}");
    assert_eq!(fingerprint(store, id).await, before);
    assert_eq!(stored_files(store), BTreeSet::from([sha256(JPEG)]), "the new PDF is removed, the photo in use stays");
}

/// A trigger that makes every insert of a history event fail, in the engine's own
/// trigger language.
async fn refuse_event_inserts(store: &Store) {
    let statements: &[&str] = match store.engine() {
        Engine::Sqlite => {
            &["CREATE TRIGGER refuse_events BEFORE INSERT ON work_order_events BEGIN SELECT RAISE(ABORT, 'no'); END"]
        }
        Engine::Postgres => &[
            "CREATE FUNCTION refuse_events() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no'; END $$",
            "CREATE TRIGGER refuse_events BEFORE INSERT ON work_order_events FOR EACH ROW EXECUTE FUNCTION refuse_events()",
        ],
    };
    for statement in statements {
        Sql::new(*statement).execute(store).await.unwrap();
    }
}

/// A file of `len` bytes that takes no room on disk: zeros, which no sniff accepts, so a
/// refusal by size rather than by content shows the content was never read.
fn sparse(chosen: &Chosen, name: &str, len: u64) -> PathBuf {
    let path = chosen.0.path().join(name);
    std::fs::File::create(&path).unwrap().set_len(len).unwrap();
    path
}

const MB: u64 = 1024 * 1024;

#[tokio::test]
async fn a_pipe_is_refused_by_name_at_once_without_being_opened() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();
    let pipe = chosen.0.path().join("photo.jpg");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status().expect("mkfifo runs");
    assert!(made.success());
    let before = fingerprint(store, id).await;

    // Opening a pipe with no writer waits for one for ever.
    let paths = [chosen.file("leak.jpg", JPEG), pipe];
    let attaching = attach(store, cast.tenant, id, AttachmentKind::Before, &paths);
    let err = tokio::time::timeout(std::time::Duration::from_secs(10), attaching)
        .await
        .expect("refused at once, not left waiting on the pipe")
        .unwrap_err();

    assert_eq!(
        refusal_message(err),
        "photo.jpg is not a file saved on disk (it is a pipe, socket or device); choose a photo, video or PDF"
    );
    assert_eq!(fingerprint(store, id).await, before);
    assert_eq!(stored_files(store), BTreeSet::new());
}

#[tokio::test]
async fn a_file_over_either_limit_is_refused_from_its_size_before_a_byte_is_read() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();
    let before = fingerprint(store, id).await;

    // The agency's default: 25 MB a file.
    let huge = sparse(&chosen, "huge.mp4", 30 * MB);
    let err = attach(store, cast.tenant, id, AttachmentKind::Before, &[chosen.file("leak.jpg", JPEG), huge])
        .await
        .unwrap_err();
    assert_eq!(refusal_message(err), "huge.mp4 is 30 MB; a file may be at most 25 MB");

    // Each file within its limit, together beyond the order's: refused on their sizes,
    // not on the zeros a read would have found.
    set_limits(store, (40 * MB) as i64, (30 * MB) as i64).await;
    let big = sparse(&chosen, "big.mp4", 30 * MB);
    let err = attach(store, cast.tenant, id, AttachmentKind::Before, &[chosen.file("leak.jpg", JPEG), big])
        .await
        .unwrap_err();
    let message = refusal_message(err);
    assert!(message.starts_with("these files (30.1 MB) would bring PL-"), "{message}");
    assert!(message.ends_with("an order may hold at most 30 MB"), "{message}");

    assert_eq!(fingerprint(store, id).await, before);
    assert_eq!(stored_files(store), BTreeSet::new(), "nothing staged is left behind");
}

#[tokio::test]
async fn a_file_of_zeros_within_the_limits_is_read_and_refused_by_its_content() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();
    let zeros = sparse(&chosen, "clip.mp4", 3 * MB);

    let err = attach(store, cast.tenant, id, AttachmentKind::Before, &[zeros]).await.unwrap_err();

    assert_eq!(
        refusal_message(err),
        "clip.mp4 is not an MP4 video: its content is not an image, PDF or video Plumbline accepts"
    );
    assert_eq!(stored_files(store), BTreeSet::new(), "the staged copy is removed");
}

#[tokio::test]
async fn a_large_file_streams_in_whole_and_is_stored_under_its_hash() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let chosen = Chosen::new();
    // Many reads' worth, with the type's bytes in the first read only.
    let mut pdf = PDF.to_vec();
    pdf.extend((0..5 * MB).map(|i| (i % 251) as u8));

    let added =
        attach(store, cast.contractor, id, AttachmentKind::Invoice, &[chosen.file("big.pdf", &pdf)]).await.unwrap();

    assert_eq!((added[0].media_type, added[0].size_bytes), (MediaType::Pdf, pdf.len() as i64));
    assert_eq!(stored_files(store), BTreeSet::from([sha256(&pdf)]));
    assert_eq!(std::fs::read(store.files_dir().join(sha256(&pdf))).unwrap(), pdf);
}

#[tokio::test]
async fn a_failed_call_never_removes_a_file_another_calls_row_names() {
    let test = demo_store().await;
    let store = &test.store;
    let (cast, id) = order_with_contractor(&test).await;
    let failing = order_in(store, &cast, State::InProgress).await;
    refuse_event_inserts_for(store, failing).await;
    let chosen = Chosen::new();

    for round in 0..12_u8 {
        // New content each round, so each round one of the two calls creates its file.
        let mut photo = JPEG.to_vec();
        photo.extend([round; 64]);
        let path = chosen.file(&format!("same-{round}.jpg"), &photo);
        let (fails, succeeds) = tokio::join!(
            attach(store, cast.staff, failing, AttachmentKind::Before, std::slice::from_ref(&path)),
            attach(store, cast.tenant, id, AttachmentKind::Before, std::slice::from_ref(&path)),
        );
        assert!(matches!(fails, Err(ServiceError::Internal(_))), "{fails:?}");
        succeeds.unwrap();
        assert!(store.files_dir().join(sha256(&photo)).is_file(), "round {round}: the attached file is gone");
    }
    let rows: Vec<(String,)> = Sql::new("SELECT sha256 FROM attachments").fetch_all(store).await.unwrap();
    assert_eq!(rows.len(), 12);
    let named: BTreeSet<String> = rows.into_iter().map(|(hash,)| hash).collect();
    assert_eq!(stored_files(store), named, "every row's file, and nothing the failed calls left");
}

/// Makes inserting a history event of `order` fail, so attaching to it fails after its
/// files are in place.
async fn refuse_event_inserts_for(store: &Store, order: WorkOrderId) {
    let statements = match store.engine() {
        Engine::Sqlite => vec![format!(
            "CREATE TRIGGER refuse_events BEFORE INSERT ON work_order_events WHEN NEW.work_order_id = {} \
             BEGIN SELECT RAISE(ABORT, 'no'); END",
            order.0
        )],
        Engine::Postgres => vec![
            format!(
                "CREATE FUNCTION refuse_events() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF NEW.work_order_id = {} THEN RAISE EXCEPTION 'no'; END IF; RETURN NEW; END $$",
                order.0
            ),
            "CREATE TRIGGER refuse_events BEFORE INSERT ON work_order_events FOR EACH ROW EXECUTE FUNCTION refuse_events()"
                .to_owned(),
        ],
    };
    for statement in statements {
        Sql::new(statement).execute(store).await.unwrap();
    }
}
