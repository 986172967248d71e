//! Appointment reminders: a day before a scheduled visit, its tenant and contractor are
//! reminded, once per appointment (a rescheduled visit is reminded again).

use crate::db::{Db, Sql};
use crate::error::Result;
use crate::notifications;
use crate::store::Store;
use crate::time::to_secs;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::{State, WorkOrderId};

/// How long before a visit its reminder goes out.
pub const REMIND_BEFORE_HOURS: i64 = 24;

/// Appends the condition (no leading AND) of a scheduled visit starting within the
/// reminder window after `now` that has not been reminded for that start yet.
fn push_not_yet_reminded(query: &mut Sql, now: DateTime<Utc>) {
    query.push("w.state IN (").push_state_list([State::Scheduled]).push(")");
    query.push(" AND w.appointment_start > ").push_bind(to_secs(now));
    query.push(" AND w.appointment_start <= ").push_bind(to_secs(now + Duration::hours(REMIND_BEFORE_HOURS)));
    query.push(" AND (w.reminded_for IS NULL OR w.reminded_for <> w.appointment_start)");
}

/// Sends the reminders now due; returns how many visits were reminded.
pub async fn send_reminders(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let mut query = Sql::new("SELECT w.id FROM work_orders w WHERE ");
    push_not_yet_reminded(&mut query, now);
    query.push(" LIMIT 200");
    let due: Vec<(i64,)> = query.fetch_all(store).await?;
    let mut sent = 0;
    for (order,) in due {
        let mut tx = store.write().await?;
        // Guarded, so two desktops looking at once send it once.
        let mut claim = Sql::new("UPDATE work_orders AS w SET reminded_for = appointment_start WHERE w.id = ");
        claim.push_bind(order).push(" AND ");
        push_not_yet_reminded(&mut claim, now);
        if claim.execute(&mut tx).await? == 1 {
            notifications::tell_reminder(&mut tx, WorkOrderId(order), now).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// Marks visits already inside the reminder window as reminded, without telling anyone
/// (a generated agency's past is not news).
pub async fn settle_reminders(db: &mut Db, now: DateTime<Utc>) -> Result<()> {
    let mut query = Sql::new("UPDATE work_orders AS w SET reminded_for = appointment_start WHERE ");
    push_not_yet_reminded(&mut query, now);
    query.execute(db).await?;
    Ok(())
}
