//! The background engine: the work no one asks for but the clock makes due — SLA alerts,
//! appointment reminders, auto-close, contractors' expiry reminders, planned maintenance's
//! orders, certificates' reminders and renewals, and emergencies escalated again — run by whoever keeps the store (the agency
//! server every minute, or a desktop on its own store).
//!
//! Each piece is already safe to run twice (a guarded claim per order, a version-guarded
//! close), so the lock below is about effort, not correctness: with several server
//! processes on one PostgreSQL database, one of them does a minute's work and the others
//! skip it instead of racing for the same rows.

use crate::db::{Engine, Sql};
use crate::error::Result;
use crate::store::Store;
use crate::{compliance, contractors, emergencies, planned, work_orders};
use chrono::{DateTime, Utc};

/// The advisory-lock key the engine's turn is held under: any constant no other part of
/// Plumbline uses ("PLMBBGND" in ASCII). One database is one agency, so one key suffices.
pub const ENGINE_LOCK: i64 = 0x504C_4D42_4247_4E44;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueWork {
    pub sla_alerts: usize,
    pub reminders: usize,
    pub auto_closed: u64,
    /// Contractors' insurance and licences about to run out.
    pub expiry_reminders: usize,
    /// Work orders raised by planned-maintenance schedules.
    pub planned_orders: usize,
    /// Certificates' reminders sent and renewal orders raised.
    pub certificate_reminders: usize,
    pub certificate_renewals: usize,
    /// Emergencies no one answered in time, raised again with every staff member.
    pub escalations: usize,
}

/// Runs the work due at `now`, or returns `None` when another process on the same
/// PostgreSQL database is running it at this moment (`pg_try_advisory_xact_lock`, held
/// by a transaction that lasts the run and so ends with it, even if this process dies).
/// On SQLite it just runs: the guarded claims keep two desktops from doubling anything.
pub async fn run_due_work(store: &Store, now: DateTime<Utc>) -> Result<Option<DueWork>> {
    match store.engine() {
        Engine::Sqlite => Ok(Some(run(store, now).await?)),
        Engine::Postgres => {
            let mut turn = store.write().await?;
            let (ours,): (bool,) =
                Sql::new("SELECT pg_try_advisory_xact_lock(?)").bind(ENGINE_LOCK).fetch_one(&mut turn).await?;
            if !ours {
                return Ok(None);
            }
            let done = run(store, now).await;
            // Ending the transaction (it wrote nothing) releases the lock, whether the run
            // succeeded or not.
            turn.commit().await?;
            Ok(Some(done?))
        }
    }
}

async fn run(store: &Store, now: DateTime<Utc>) -> Result<DueWork> {
    let certificates = compliance::remind_and_renew(store, now).await?;
    Ok(DueWork {
        sla_alerts: work_orders::announce_sla(store, now).await?,
        reminders: work_orders::send_reminders(store, now).await?,
        auto_closed: work_orders::auto_close(store, now).await?,
        expiry_reminders: contractors::remind_expiring(store, now).await?,
        planned_orders: planned::raise_due(store, now).await?,
        certificate_reminders: certificates.reminders,
        certificate_renewals: certificates.renewals,
        escalations: emergencies::escalate_unanswered(store, now).await?,
    })
}
