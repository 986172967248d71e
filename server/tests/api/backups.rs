//! The operator's backups of an agency server, through the real `plumbline-server`
//! binary on the PostgreSQL under test: one archive on demand, a restore onto a new
//! database (and a refusal onto one that holds an agency), and the daily backup the
//! running server takes into `--backup-dir`. Skipped without PostgreSQL, as the server
//! binary only serves PostgreSQL.

use plumbline_service::Store;
use plumbline_service::db::Sql;
use plumbline_test_support::{StoreAddress, TestStore, demo_store, postgres_store, postgres_url};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn server(address: &StoreAddress, state_dir: &Path) -> Command {
    let StoreAddress::Postgres { url, files_dir } = address else { panic!("a PostgreSQL store") };
    let mut command = Command::new(env!("CARGO_BIN_EXE_plumbline-server"));
    command.arg("--database-url").arg(url).arg("--state-dir").arg(state_dir).arg("--files-dir").arg(files_dir);
    command.env_remove("PLUMBLINE_LISTEN").env_remove("PLUMBLINE_BACKUP_DIR").env_remove("PLUMBLINE_DEMO");
    command
}

fn run(command: &mut Command) -> (bool, String) {
    let Output { status, stdout, stderr } = command.output().expect("plumbline-server runs");
    (status.success(), String::from_utf8_lossy(&stdout).into_owned() + &String::from_utf8_lossy(&stderr))
}

async fn count(store: &Store, table: &str) -> i64 {
    Sql::new(format!("SELECT count(*) FROM {table}")).fetch_one::<(i64,)>(store).await.unwrap().0
}

async fn counts(store: &Store) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in ["users", "properties", "tenancies", "work_orders", "work_order_events", "payouts", "categories"] {
        counts.push(count(store, table).await);
    }
    counts
}

#[tokio::test]
async fn the_operator_backs_up_the_agency_and_restores_it_onto_a_new_database_only() {
    let Some(url) = postgres_url() else { return };
    let agency: TestStore = demo_store().await;
    let state = tempfile::tempdir().unwrap();
    let archive = state.path().join("agency.plumbline-backup");

    let (ok, said) = run(server(&agency.address(), state.path()).arg("--back-up-to").arg(&archive));
    assert!(ok, "{said}");
    assert!(said.contains("Backed up") && said.contains("work orders"), "{said}");
    assert!(archive.is_file());

    let new = postgres_store(&url).await;
    let (ok, said) = run(server(&new.address(), state.path()).arg("--restore-from").arg(&archive));
    assert!(ok, "{said}");
    assert!(said.contains("Restored"), "{said}");
    assert_eq!(counts(&new.store).await, counts(&agency.store).await, "the new database holds the agency");

    let before = counts(&agency.store).await;
    let (ok, said) = run(server(&agency.address(), state.path()).arg("--restore-from").arg(&archive));
    assert!(!ok, "restoring over an agency is refused");
    assert!(said.contains("already holds an agency"), "{said}");
    assert_eq!(counts(&agency.store).await, before, "and changes nothing");
}

#[tokio::test]
async fn a_running_server_with_a_backup_dir_takes_the_days_backup() {
    if postgres_url().is_none() {
        return;
    }
    let agency = demo_store().await;
    let state = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let mut serving = server(&agency.address(), state.path())
        .args(["--listen", "127.0.0.1:0", "--backups-kept", "3"])
        .arg("--backup-dir")
        .arg(folder.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    let deadline = Instant::now() + Duration::from_secs(60);
    let written = loop {
        let archives: Vec<_> = std::fs::read_dir(folder.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "plumbline-backup"))
            .collect();
        if let Some(archive) = archives.first() {
            break archive.clone();
        }
        assert!(Instant::now() < deadline, "no daily backup within a minute of start");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    serving.kill().unwrap();
    serving.wait().unwrap();
    let name = written.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("plumbline-20"), "named by its time: {name}");
    let restored = tempfile::tempdir().unwrap();
    let restored_dir = restored.path().join("store");
    let store = plumbline_service::backup::restore(&agency.store, None, &written, &restored_dir).await;
    assert!(store.is_err(), "restoring in place of a set-up agency needs its admin");
    let admin = admin_of(&agency.store).await;
    let restored_store = plumbline_service::backup::restore(&agency.store, Some(admin), &written, &restored_dir)
        .await
        .expect("the daily backup restores on a desktop");
    assert_eq!(
        restored_store.manifest.counts.work_orders,
        u64::try_from(count(&agency.store, "work_orders").await).unwrap()
    );
}

async fn admin_of(store: &Store) -> plumbline_domain::Actor {
    let (id,): (i64,) = Sql::new("SELECT id FROM users WHERE role = 'admin' LIMIT 1").fetch_one(store).await.unwrap();
    plumbline_domain::Actor { user_id: plumbline_domain::UserId(id), role: plumbline_domain::Role::Admin }
}
