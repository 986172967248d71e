//! The background engine: the server runs it (at start, then every minute), and on
//! PostgreSQL only one process at a time does.

use plumbline_server::Limits;
use plumbline_service::background::{ENGINE_LOCK, run_due_work};
use plumbline_service::db::{Pool, Sql};
use plumbline_test_support::{TestServer, demo_store};
use std::time::Duration;

async fn auto_closed(server: &TestServer) -> i64 {
    let (count,): (i64,) = Sql::new("SELECT count(*) FROM work_order_events WHERE action = 'AutoClose'")
        .fetch_one(server.store())
        .await
        .expect("count");
    count
}

#[tokio::test]
async fn the_server_runs_the_engine_at_start() {
    let test_store = demo_store().await;
    let mut server = TestServer::start_with_engine(test_store, Limits::default(), Duration::from_secs(60)).await;
    let mut waited = Duration::ZERO;
    // The demo has jobs completed long enough ago to close on their own.
    while auto_closed(&server).await == 0 {
        assert!(waited < Duration::from_secs(20), "nothing was auto-closed");
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += Duration::from_millis(100);
    }
    server.shutdown().await;
}

#[tokio::test]
async fn on_postgres_a_second_process_skips_the_run_while_the_first_holds_it() {
    let test_store = demo_store().await;
    let store = &test_store.store;
    let Pool::Postgres(pool) = store.pool() else {
        // On SQLite there is no lock to hold: it just runs.
        assert!(run_due_work(store, plumbline_server::now()).await.expect("runs").is_some());
        return;
    };
    let mut other_process = pool.begin().await.expect("a transaction");
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(ENGINE_LOCK)
        .execute(&mut *other_process)
        .await
        .expect("locked");
    assert_eq!(run_due_work(store, plumbline_server::now()).await.expect("asks"), None, "skipped while held");
    other_process.rollback().await.expect("released");
    assert!(run_due_work(store, plumbline_server::now()).await.expect("runs").is_some(), "runs once free");
}
