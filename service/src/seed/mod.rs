//! Generated agencies: the demo agency a newcomer starts on, and the scale agency the
//! benchmarks run against. Deterministic for a given seed and instant.
//!
//! Orders are walked through the real lifecycle (`plumbline_domain::lifecycle`), and
//! payouts through the payment rule and writer (`plumbline_domain::payment`,
//! `payments::write`), so every generated history is one the app itself could have written.

mod catalogue;
mod messages;
mod orders;
mod payouts;
mod people;
mod season;
mod timeline;

use crate::db::{Db, Engine, Sql};
use crate::error::Result;
use crate::store::Store;
use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand::rngs::SmallRng;

pub use catalogue::CATEGORIES;

/// How big an agency to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgencySize {
    pub landlords: usize,
    pub properties: usize,
    pub contractors: usize,
    pub orders: usize,
    /// Orders are spread over this many days before `now`.
    pub days_of_history: i64,
}

impl AgencySize {
    /// A realistic small agency: a few hundred orders over the last year.
    pub const DEMO: Self = Self { landlords: 6, properties: 24, contractors: 12, orders: 320, days_of_history: 365 };
    /// SPEC's "100,000+ orders" for benchmarks.
    pub const SCALE: Self =
        Self { landlords: 800, properties: 10_000, contractors: 400, orders: 100_000, days_of_history: 730 };
}

/// Counts of what was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generated {
    pub users: usize,
    pub orders: usize,
    pub events: usize,
}

/// Fills an empty store with a generated agency, in one transaction.
pub async fn generate(store: &Store, size: AgencySize, seed: u64, now: DateTime<Utc>) -> Result<Generated> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut tx = store.write().await?;
    people::insert_agency(&mut tx).await?;
    let categories = people::insert_categories(&mut tx).await?;
    let agency = people::insert_people(&mut tx, &mut rng, size, &categories, now).await?;
    index_orders_per_write(&mut tx, false).await?;
    let (orders, events) = orders::insert_orders(&mut tx, &mut rng, size, &agency, &categories, now).await?;
    // One hash for everyone: hashing thousands of users would take minutes, and the
    // generated agencies are for trying and measuring, not for real people.
    let demo_hash = crate::accounts::hash_password(crate::accounts::DEMO_PASSWORD).await?;
    Sql::new("UPDATE users SET password_hash = ?").bind(demo_hash).execute(&mut tx).await?;
    // After every order, so the orders are the same with or without payouts.
    let payouts = payouts::insert_payouts(&mut tx, &mut rng, &agency, now).await?;
    index_orders_per_write(&mut tx, true).await?;
    // The generated past is history, not news: no one starts with a full bell. (Orders
    // are recorded quietly; payouts go through the real payment path, which notifies and
    // announces to the change feed.)
    Sql::new("DELETE FROM notifications").execute(&mut tx).await?;
    tx.withdraw_announcements();
    crate::work_orders::settle_sla(&mut tx, now).await?;
    crate::work_orders::settle_reminders(&mut tx, now).await?;
    crate::contractors::settle_expiry_reminders(&mut tx, now).await?;
    tx.commit().await?;
    Ok(Generated { users: agency.user_count, orders, events: events + payouts })
}

/// On PostgreSQL, turns the triggers that index an order at each write off (`false`)
/// for a bulk load, and back on (`true`) after indexing every order once: each order
/// is rewritten by its later steps and messages, and indexing it at each of those writes
/// kept a 100,000-order agency generating for over 25 minutes. Inside the transaction,
/// so nothing else ever sees the triggers off. SQLite's FTS5 triggers are cheap enough.
/// (Public for the tests' own bulk loads.)
pub async fn index_orders_per_write(tx: &mut Db, on: bool) -> Result<()> {
    if tx.engine() != Engine::Postgres {
        return Ok(());
    }
    let switch = if on { "ENABLE" } else { "DISABLE" };
    Sql::new(format!("ALTER TABLE work_orders {switch} TRIGGER search_orders_on_write")).execute(&mut *tx).await?;
    Sql::new(format!("ALTER TABLE messages {switch} TRIGGER search_orders_on_message")).execute(&mut *tx).await?;
    if on {
        Sql::new("SELECT search_refresh_orders(array(SELECT id FROM work_orders))").execute(&mut *tx).await?;
    }
    Ok(())
}

/// A real agency's starting point: the agency row, SLA targets and the standard categories.
pub(crate) async fn install_defaults(tx: &mut Db) -> Result<()> {
    people::insert_agency(tx).await?;
    people::insert_categories(tx).await?;
    Ok(())
}

/// Seeds the demo agency if the store has never been set up. Returns whether it did.
pub async fn demo_if_empty(store: &Store, now: DateTime<Utc>) -> Result<bool> {
    if !store.is_empty().await? {
        return Ok(false);
    }
    generate(store, AgencySize::DEMO, DEMO_SEED, now).await?;
    let mut tx = store.write().await?;
    crate::planned::seed_demo(&mut tx, now).await?;
    crate::compliance::seed_demo(&mut tx, now).await?;
    crate::quotes::seed_demo(&mut tx, now).await?;
    tx.commit().await?;
    Ok(true)
}

pub const DEMO_SEED: u64 = 20_261_123;
