//! A compliance certificate's file: staff attach the PDF (or a photo of it), kept by its
//! content's hash beside the attachments; the property's landlord opens it; a new scan
//! replaces it and the old file goes unless something else names it; what is refused
//! changes nothing, on disk or in the store.

use crate::fixtures::{cast, order_in};
use crate::support::{TestStore, demo_store, now};
use plumbline_domain::api::{Certificate, CertificateInput, Field};
use plumbline_domain::ids::CertificateId;
use plumbline_domain::{Actor, AttachmentKind, MediaType, State};
use plumbline_service::attachments::ChosenFile;
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, attachments, compliance};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::Path;
use tempfile::TempDir;

const JPEG: &[u8] = include_bytes!("../fixtures/leak.jpg");
const PDF: &[u8] = include_bytes!("../fixtures/invoice.pdf");
/// An MP4 file's first box: a video, which no certificate is.
const MP4: &[u8] = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41 and then the video itself";

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Every entry of the store's files directory (hidden ones too).
fn stored_files(store: &Store) -> BTreeSet<String> {
    match std::fs::read_dir(store.files_dir()) {
        Ok(entries) => entries.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => BTreeSet::new(),
    }
}

/// A gas safety certificate recorded today on the cast's property, and the folder of
/// the user's own files to attach from.
struct Recorded {
    test: TestStore,
    staff: Actor,
    landlord: Actor,
    certificate: Certificate,
    chosen: TempDir,
}

impl Recorded {
    async fn new() -> Self {
        let test = demo_store().await;
        let cast = cast(&test.store).await;
        let (property,): (i64,) =
            Sql::new("SELECT u.property_id FROM tenancies t JOIN units u ON u.id = t.unit_id WHERE t.id = ?")
                .bind(cast.tenancy.0)
                .fetch_one(&test.store)
                .await
                .unwrap();
        let input = CertificateInput {
            property: plumbline_domain::ids::PropertyId(property),
            kind: "Gas safety".into(),
            issued_on: now().date_naive(),
            expires_on: None,
        };
        let certificate = compliance::record(&test.store, cast.staff, now(), &input).await.unwrap();
        let chosen = tempfile::tempdir().unwrap();
        Self { test, staff: cast.staff, landlord: cast.landlord, certificate, chosen }
    }

    fn store(&self) -> &Store {
        &self.test.store
    }

    fn file(&self, name: &str, bytes: &[u8]) -> ChosenFile {
        let path = self.chosen.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        ChosenFile::at(&path)
    }

    async fn attach(&self, actor: Actor, name: &str, bytes: &[u8]) -> Result<Certificate, ServiceError> {
        let file = self.file(name, bytes);
        let files_dir = self.store().files_dir();
        compliance::attach_file(self.store(), actor, now(), &files_dir, self.certificate.id, &file).await
    }

    async fn opened_by(&self, actor: Actor, open_dir: &Path) -> Result<std::path::PathBuf, ServiceError> {
        let files_dir = self.store().files_dir();
        compliance::open_file_path(self.store(), actor, &files_dir, open_dir, self.certificate.id).await
    }

    /// The certificate's file columns as stored.
    async fn stored_row(&self) -> (Option<String>, Option<String>) {
        Sql::new("SELECT file_sha256, file_name FROM certificates WHERE id = ?")
            .bind(self.certificate.id.0)
            .fetch_one(self.store())
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn staff_attach_the_pdf_the_landlord_opens_it_and_a_new_scan_replaces_it() {
    let recorded = Recorded::new().await;
    assert_eq!(recorded.certificate.file, None, "recorded without its file");

    let certificate = recorded.attach(recorded.staff, "Gas safety 2026.pdf", PDF).await.unwrap();
    let file = certificate.file.expect("the file is named on the certificate");
    assert_eq!((file.name.as_str(), file.media_type), ("Gas safety 2026.pdf", MediaType::Pdf));
    assert_eq!(file.size_bytes, PDF.len() as i64);
    assert_eq!(file.added_at, now());
    assert!(!file.added_by.is_empty(), "who added it is named");
    assert_eq!(stored_files(recorded.store()), BTreeSet::from([sha256(PDF)]), "kept by its content's hash");

    // The landlord sees it listed on theirs, and opens a copy named for what it is.
    let theirs = compliance::list(recorded.store(), recorded.landlord, now(), &Default::default()).await.unwrap();
    let listed = theirs.iter().find(|c| c.id == recorded.certificate.id).expect("listed for the landlord");
    assert_eq!(listed.file.as_ref().map(|f| f.name.as_str()), Some("Gas safety 2026.pdf"));
    let open_dir = tempfile::tempdir().unwrap();
    let opened = recorded.opened_by(recorded.landlord, open_dir.path()).await.unwrap();
    let folder = format!("certificate-{}", recorded.certificate.id.0);
    assert_eq!(opened, open_dir.path().join(folder).join("Gas safety 2026.pdf"));
    assert_eq!(std::fs::read(&opened).unwrap(), PDF);

    // A better scan replaces it; the PDF, named by nothing else, is removed.
    let replaced = recorded.attach(recorded.staff, "scan.jpeg", JPEG).await.unwrap();
    assert_eq!(replaced.file.map(|f| (f.name, f.media_type)), Some(("scan.jpeg".into(), MediaType::Jpeg)));
    assert_eq!(stored_files(recorded.store()), BTreeSet::from([sha256(JPEG)]));
    let content = compliance::file_content(
        recorded.store(),
        recorded.staff,
        &recorded.store().files_dir(),
        recorded.certificate.id,
    )
    .await
    .unwrap();
    assert_eq!(std::fs::read(&content.path).unwrap(), JPEG);
    assert_eq!(content.media_type, MediaType::Jpeg);
}

#[tokio::test]
async fn a_replaced_file_that_an_order_also_holds_stays() {
    let recorded = Recorded::new().await;
    let store = recorded.store();
    let cast = cast(store).await;
    let order = order_in(store, &cast, State::InProgress).await;
    let pdf = recorded.file("invoice.pdf", PDF);
    attachments::attach(store, cast.contractor, now(), &store.files_dir(), order, AttachmentKind::Invoice, &[pdf.path])
        .await
        .unwrap();
    recorded.attach(recorded.staff, "certificate.pdf", PDF).await.unwrap();
    recorded.attach(recorded.staff, "scan.jpg", JPEG).await.unwrap();
    assert_eq!(stored_files(store), BTreeSet::from([sha256(PDF), sha256(JPEG)]), "the order's PDF is kept");
}

#[tokio::test]
async fn what_is_refused_stores_nothing_and_only_the_agency_and_the_landlord_may_open_it() {
    let recorded = Recorded::new().await;
    let store = recorded.store();
    let cast = cast(store).await;
    let refused = |result: Result<Certificate, ServiceError>| match result {
        Err(ServiceError::Validation { field: Field::Files, message }) => message,
        other => panic!("expected a refusal of the file, got {other:?}"),
    };

    let video = refused(recorded.attach(recorded.staff, "walkround.mp4", MP4).await);
    assert_eq!(video, "walkround.mp4 is an MP4 video; a certificate's file is a PDF or a photo of it");
    let text = refused(recorded.attach(recorded.staff, "certificate.pdf", b"just some text").await);
    assert!(text.starts_with("certificate.pdf is not a PDF"), "{text}");
    Sql::new("UPDATE agency SET max_attachment_bytes = 100").execute(store).await.unwrap();
    let large = refused(recorded.attach(recorded.staff, "gas.pdf", PDF).await);
    assert!(large.starts_with("gas.pdf is ") && large.ends_with("a file may be at most 100 bytes"), "{large}");
    Sql::new("UPDATE agency SET max_attachment_bytes = 10000000").execute(store).await.unwrap();
    assert!(matches!(recorded.attach(recorded.landlord, "gas.pdf", PDF).await, Err(ServiceError::NotAllowed(_))));
    let unknown = compliance::attach_file(
        store,
        recorded.staff,
        now(),
        &store.files_dir(),
        CertificateId(9_999_999),
        &recorded.file("gas.pdf", PDF),
    )
    .await;
    assert!(matches!(unknown, Err(ServiceError::NotFound { .. })), "{unknown:?}");
    assert_eq!(recorded.stored_row().await, (None, None), "nothing named on the certificate");
    assert_eq!(stored_files(store), BTreeSet::new(), "nothing left in the files directory");

    // Before a file is attached there is nothing to open; then only its viewers may.
    let open_dir = tempfile::tempdir().unwrap();
    let none = recorded.opened_by(recorded.staff, open_dir.path()).await;
    assert!(matches!(none, Err(ServiceError::NotFound { ref what }) if what.contains("Gas safety")), "{none:?}");
    recorded.attach(recorded.staff, "gas.pdf", PDF).await.unwrap();
    let other_landlord = recorded.opened_by(cast.other_landlord, open_dir.path()).await;
    assert!(matches!(other_landlord, Err(ServiceError::NotFound { .. })), "{other_landlord:?}");
    let tenant = recorded.opened_by(cast.tenant, open_dir.path()).await;
    assert!(matches!(tenant, Err(ServiceError::NotAllowed(_))), "{tenant:?}");
    assert!(recorded.opened_by(recorded.landlord, open_dir.path()).await.is_ok());
}
