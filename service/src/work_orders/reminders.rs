//! Appointment reminders: a day before a scheduled visit, its tenant and contractor are
//! reminded, once per appointment (a rescheduled visit is reminded again).

use crate::error::Result;
use crate::notifications;
use crate::store::Store;
use crate::time::to_secs;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::WorkOrderId;
use sqlx::SqliteConnection;

/// How long before a visit its reminder goes out.
pub const REMIND_BEFORE_HOURS: i64 = 24;

const NOT_YET_REMINDED: &str = "w.state = 'Scheduled' AND w.appointment_start > ? AND w.appointment_start <= ?
     AND (w.reminded_for IS NULL OR w.reminded_for <> w.appointment_start)";

/// Sends the reminders now due; returns how many visits were reminded.
pub async fn send_reminders(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let window = (to_secs(now), to_secs(now + Duration::hours(REMIND_BEFORE_HOURS)));
    let due: Vec<(i64,)> =
        sqlx::query_as(&format!("SELECT w.id FROM work_orders w WHERE {NOT_YET_REMINDED} LIMIT 200"))
            .bind(window.0)
            .bind(window.1)
            .fetch_all(store.pool())
            .await?;
    let mut sent = 0;
    for (order,) in due {
        let mut tx = store.pool().begin().await?;
        // Guarded, so two desktops looking at once send it once.
        let claimed = sqlx::query(&format!(
            "UPDATE work_orders AS w SET reminded_for = appointment_start WHERE w.id = ? AND {NOT_YET_REMINDED}"
        ))
        .bind(order)
        .bind(window.0)
        .bind(window.1)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 1 {
            notifications::tell_reminder(&mut tx, WorkOrderId(order), now).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// Marks visits already inside the reminder window as reminded, without telling anyone
/// (a generated agency's past is not news).
pub async fn settle_reminders(conn: &mut SqliteConnection, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(&format!("UPDATE work_orders AS w SET reminded_for = appointment_start WHERE {NOT_YET_REMINDED}"))
        .bind(to_secs(now))
        .bind(to_secs(now + Duration::hours(REMIND_BEFORE_HOURS)))
        .execute(conn)
        .await?;
    Ok(())
}
