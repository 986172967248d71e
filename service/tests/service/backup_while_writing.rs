//! The "done when": a backup taken while another process keeps writing restores
//! to a store that passes `integrity_check`, holds every write acknowledged before the
//! backup began, and every attached file's bytes match their hash. The writer is this
//! test binary re-run on one ignored test, posting messages and attaching new photos
//! until told to stop, printing each write once it is acknowledged.

use crate::backup::{JPEG, admin, assert_every_attachment_intact, integrity};
use crate::fixtures::{cast, order_in};
use crate::support::{StoreAddress, demo_store, now, open_address};
use plumbline_domain::api::PostMessage;
use plumbline_domain::{Actor, AttachmentKind, Role, State, UserId, WorkOrderId};
use plumbline_service::db::{Engine, Sql};
use plumbline_service::{Store, attachments, backup, messages};
use std::collections::BTreeSet;
use std::io::BufRead;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const WRITER_STORE: &str = "PLUMBLINE_BACKUP_WRITER_STORE";
const WRITER_ORDER: &str = "PLUMBLINE_BACKUP_WRITER_ORDER";
const WRITER_ACTOR: &str = "PLUMBLINE_BACKUP_WRITER_ACTOR";
/// The writer stops once this file exists.
const WRITER_STOP: &str = "PLUMBLINE_BACKUP_WRITER_STOP";
const MESSAGE: &str = "acknowledged message ";
const ATTACHMENT: &str = "acknowledged attachment ";

/// Writes acknowledged by the writer, as it printed them.
#[derive(Debug, Default, Clone)]
struct Acknowledged {
    messages: BTreeSet<i64>,
    attachments: BTreeSet<i64>,
}

impl Acknowledged {
    fn len(&self) -> usize {
        self.messages.len() + self.attachments.len()
    }

    fn note(&mut self, line: &str) {
        if let Some(id) = line.strip_prefix(MESSAGE).and_then(|id| id.parse().ok()) {
            self.messages.insert(id);
        } else if let Some(id) = line.strip_prefix(ATTACHMENT).and_then(|id| id.parse().ok()) {
            self.attachments.insert(id);
        }
    }

    /// Takes in every line already received, waiting until there are at least `at_least`.
    fn catch_up(&mut self, lines: &mpsc::Receiver<String>, at_least: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while let Ok(line) = lines.try_recv() {
            self.note(&line);
        }
        while self.len() < at_least {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = lines.recv_timeout(left).expect("the writer keeps acknowledging writes");
            self.note(&line);
        }
    }
}

/// The ids of `table`'s rows on the order that match `which` (an SQL condition).
async fn ids(store: &Store, table: &str, order: WorkOrderId, which: &str) -> BTreeSet<i64> {
    let rows: Vec<(i64,)> = Sql::new(format!("SELECT id FROM {table} WHERE work_order_id = ? AND {which}"))
        .bind(order.0)
        .fetch_all(store)
        .await
        .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_another_process_writes_holds_every_write_acknowledged_before_it() {
    let test = demo_store().await;
    if test.store.engine() == Engine::Postgres {
        return; // pg_dump's, see backup::on_postgres_backing_up_points_to_pg_dump
    }
    let store = &test.store;
    let cast = cast(store).await;
    let order = order_in(store, &cast, State::InProgress).await;
    let scratch = tempfile::tempdir().unwrap();
    let stop = scratch.path().join("stop");
    let mut writer = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "backup_while_writing::writer_process", "--ignored", "--nocapture"])
        .env(WRITER_STORE, test.address().to_string())
        .env(WRITER_ORDER, order.0.to_string())
        .env(WRITER_ACTOR, cast.tenant.user_id.0.to_string())
        .env(WRITER_STOP, &stop)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (send, lines) = mpsc::channel();
    let stdout = writer.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = send.send(line);
        }
    });

    let mut acknowledged = Acknowledged::default();
    acknowledged.catch_up(&lines, 40);
    let before = acknowledged.clone();
    let archive = scratch.path().join("while-writing.plumbline-backup");
    backup::back_up(store, admin(store).await, &archive, now()).await.unwrap();
    acknowledged.catch_up(&lines, before.len() + 10);
    std::fs::write(&stop, b"").unwrap();
    let status = writer.wait().unwrap();
    assert!(status.success(), "the writer never failed a write");
    acknowledged.catch_up(&lines, 0);

    let into = scratch.path().join("restored");
    let restored = backup::restore(store, Some(admin(store).await), &archive, &into).await.unwrap();
    let copy = Store::open(&restored.dir).await.unwrap();
    assert_eq!(integrity(&copy).await, "ok");
    let messages = ids(&copy, "messages", order, "body LIKE 'Written during the backup%'").await;
    let files = ids(&copy, "attachments", order, "TRUE").await;
    assert!(before.messages.is_subset(&messages), "every message acknowledged before the backup is in it");
    assert!(before.attachments.is_subset(&files), "every attachment acknowledged before the backup is in it");
    assert!(!before.attachments.is_empty(), "photos were attached before the backup");
    assert!(messages.is_subset(&acknowledged.messages), "and nothing the writer was not told of");
    assert_every_attachment_intact(&copy).await;
    assert!(acknowledged.len() > before.len(), "the writer went on writing after the backup began");
}

/// The writer the test above starts; does nothing when run on its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by a_backup_taken_while_another_process_writes_holds_every_write_acknowledged_before_it"]
async fn writer_process() {
    let Ok(address) = std::env::var(WRITER_STORE) else { return };
    let store = open_address(&address.parse::<StoreAddress>().unwrap()).await;
    let order = WorkOrderId(std::env::var(WRITER_ORDER).unwrap().parse().unwrap());
    let tenant = Actor { user_id: UserId(std::env::var(WRITER_ACTOR).unwrap().parse().unwrap()), role: Role::Tenant };
    let stop = std::path::PathBuf::from(std::env::var(WRITER_STOP).unwrap());
    let photos = tempfile::tempdir().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);

    for i in 0_u32.. {
        if stop.exists() || Instant::now() > deadline {
            break;
        }
        let request = PostMessage { id: order, body: format!("Written during the backup {i}"), internal: false };
        // A minute apart, so the writer stays within `MESSAGES_PER_MINUTE`.
        let message =
            messages::post(&store, tenant, now() + chrono::Duration::minutes(i.into()), &request).await.unwrap();
        println!("{MESSAGE}{}", message.id.0);
        if i % 4 == 0 {
            // A photo of new content each time: a new file beside a new row.
            let path = photos.path().join(format!("photo-{i}.jpg"));
            std::fs::write(&path, [JPEG, &i.to_le_bytes()].concat()).unwrap();
            let files = &store.files_dir();
            let added = attachments::attach(&store, tenant, now(), files, order, AttachmentKind::Before, &[path])
                .await
                .unwrap();
            println!("{ATTACHMENT}{}", added[0].id.0);
        }
    }
}
