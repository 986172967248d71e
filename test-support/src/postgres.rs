//! Databases of their own on the PostgreSQL server under test, and the demo template
//! they copy.

use crate::own_runtime::on_own_runtime;
use chrono::{DateTime, Utc};
use plumbline_service::db::Pool;
use plumbline_service::{Store, seed};
use sqlx::{Connection, PgConnection};
use std::collections::BTreeMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};

/// A database made for one test on the server at `admin_url`.
pub struct Database {
    admin_url: String,
    name: String,
}

impl Database {
    /// `CREATE DATABASE <fresh name> <options>` (e.g. a `TEMPLATE` to copy).
    pub async fn create(admin_url: &str, options: &str) -> Self {
        let name = fresh_name("plumbline_test");
        admin(admin_url, &format!("CREATE DATABASE \"{name}\" {options}")).await.expect("test database created");
        Self { admin_url: admin_url.to_owned(), name }
    }

    pub fn url(&self) -> String {
        with_database(&self.admin_url, &self.name)
    }

    /// Drops the database now, from `Drop`: that runs inside the test's runtime, which
    /// cannot be blocked on, so the DROP gets a thread and runtime of its own. FORCE ends
    /// the store's pooled connections, which are only closed after this. A database left
    /// behind is only disk space until the throwaway cluster goes, so failure just warns.
    pub fn drop_now(self) {
        let Self { admin_url, name } = self;
        let dropped = on_own_runtime(move || async move {
            admin(&admin_url, &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await
        });
        if let Err(error) = dropped {
            eprintln!("warning: test database left behind: {error}");
        }
    }
}

/// The database holding the demo agency seeded at `at`, made once per test process and
/// instant (in practice one per process: the service's tests seed at their fixed instant,
/// servers' at [`crate::seeded_at`]) for each test's database to copy. Each
/// `#[tokio::test]` has its own runtime, gone when it ends, so the seeding gets a thread
/// and runtime of its own; the first test to ask waits for it and the others wait on the
/// lock. The template stays until the cluster goes (a test process has no last moment to
/// drop it in).
pub fn demo_template(admin_url: &str, at: DateTime<Utc>) -> String {
    static TEMPLATES: Mutex<BTreeMap<DateTime<Utc>, Result<String, String>>> = Mutex::new(BTreeMap::new());
    let mut templates = TEMPLATES.lock().unwrap_or_else(PoisonError::into_inner);
    let template = templates.entry(at).or_insert_with(|| {
        let admin_url = admin_url.to_owned();
        on_own_runtime(move || async move { seed_template(&admin_url, at).await.map_err(|error| format!("{error:#}")) })
    });
    match template {
        Ok(name) => name.clone(),
        Err(error) => panic!("seeding the demo template database failed: {error}"),
    }
}

async fn seed_template(admin_url: &str, at: DateTime<Utc>) -> anyhow::Result<String> {
    let name = fresh_name("plumbline_demo");
    admin(admin_url, &format!("CREATE DATABASE \"{name}\"")).await?;
    let files = tempfile::tempdir()?;
    let store = Store::connect(&with_database(admin_url, &name), files.path()).await?;
    anyhow::ensure!(seed::demo_if_empty(&store, at).await?, "the new database was not empty");
    // A database with open sessions cannot be copied: close them all before any copy.
    if let Pool::Postgres(pool) = store.pool() {
        pool.close().await;
    }
    Ok(name)
}

/// Runs one statement on the server's admin database, on a connection of its own
/// (CREATE/DROP DATABASE cannot run inside a transaction or on the database itself).
async fn admin(admin_url: &str, statement: &str) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect(admin_url).await?;
    sqlx::raw_sql(statement).execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

/// A database name no other test, test process or earlier run has used: the process id,
/// a counter, and a random part (a leftover of a killed run on a long-lived server).
fn fresh_name(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let random = RandomState::new().hash_one(std::process::id()) as u32;
    format!("{prefix}_{}_{}_{random:08x}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// `url` with its database (the path) replaced by `database`, query parameters kept.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(base, query)| (base, Some(query)));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let server = base[authority..].find('/').map_or(base, |slash| &base[..authority + slash]);
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn a_database_url_gets_another_database() {
        assert_eq!(with_database("postgres://u@h:5/postgres", "t"), "postgres://u@h:5/t");
        assert_eq!(
            with_database("postgres://u@h:5/postgres?sslmode=disable", "t"),
            "postgres://u@h:5/t?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h:5", "t"), "postgres://u@h:5/t");
    }
}
