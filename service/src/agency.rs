//! Agency-wide settings: working calendar, SLA targets, attachment and money limits,
//! idle sign-out.

use crate::db::{Db, Sql};
use crate::error::Result;
use crate::money;
use crate::store::Store;
use anyhow::{Context, anyhow};
use chrono::{NaiveDate, NaiveTime, Weekday};
use plumbline_domain::sla::{SlaTarget, SlaTargets, WorkingCalendar};
use plumbline_domain::{MoneyMinor, Priority};

#[derive(Debug, Clone)]
pub struct AgencySettings {
    pub name: String,
    pub calendar: WorkingCalendar,
    pub sla: SlaTargets,
    pub auto_close_days: i64,
    pub attachment_limits: AttachmentLimits,
    /// Who is called about an emergency out of hours.
    pub escalation_contact: Option<String>,
    /// Where an emergency out of hours, or left unanswered, is e-mailed.
    pub escalation_email: Option<String>,
    /// ISO 4217: how amounts are written in history and notifications.
    pub currency: String,
    /// The most one order may carry: estimate, approval, invoice, payout.
    pub max_order_amount: MoneyMinor,
    /// How far past the approved cost (or the estimate) an invoice may go, in percent,
    /// before staff must approve the overrun.
    pub invoice_overrun_percent: i64,
    /// A session idle this long is signed out (enforced with the sessions).
    pub idle_sign_out_minutes: i64,
}

/// How much may be attached, in bytes: one file, and all of one order's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentLimits {
    pub per_file: u64,
    pub per_order: u64,
}

#[derive(sqlx::FromRow)]
struct AgencyRow {
    name: String,
    time_zone: String,
    working_days: String,
    day_start: String,
    day_end: String,
    auto_close_days: i64,
    max_attachment_bytes: i64,
    max_order_attachment_bytes: i64,
    escalation_contact: Option<String>,
    escalation_email: Option<String>,
    currency: String,
    max_order_amount_minor: i64,
    invoice_overrun_percent: i64,
    idle_sign_out_minutes: i64,
}

pub async fn settings(store: &Store) -> Result<AgencySettings> {
    settings_in(&mut store.read().await?).await
}

/// The settings as seen inside an open transaction.
pub async fn settings_in(db: &mut Db) -> Result<AgencySettings> {
    let row: AgencyRow = Sql::new(
        "SELECT name, time_zone, working_days, day_start, day_end, auto_close_days,
                max_attachment_bytes, max_order_attachment_bytes, escalation_contact, escalation_email, currency,
                max_order_amount_minor, invoice_overrun_percent, idle_sign_out_minutes
         FROM agency WHERE id = 1",
    )
    .fetch_one(&mut *db)
    .await?;
    let calendar = WorkingCalendar {
        time_zone: row.time_zone.parse().map_err(|e| anyhow!("agency time zone {}: {e}", row.time_zone))?,
        working_days: row
            .working_days
            .split(',')
            .map(|day| day.trim().parse::<Weekday>().map_err(|_| anyhow!("working day '{day}'")))
            .collect::<Result<_, _>>()?,
        day_start: NaiveTime::parse_from_str(&row.day_start, "%H:%M").context("agency day_start")?,
        day_end: NaiveTime::parse_from_str(&row.day_end, "%H:%M").context("agency day_end")?,
        holidays: bank_holidays(db).await?,
    };
    let attachment_limits = AttachmentLimits {
        per_file: u64::try_from(row.max_attachment_bytes).context("agency max_attachment_bytes")?,
        per_order: u64::try_from(row.max_order_attachment_bytes).context("agency max_order_attachment_bytes")?,
    };
    Ok(AgencySettings {
        name: row.name,
        calendar,
        sla: sla_targets(db).await?,
        auto_close_days: row.auto_close_days,
        attachment_limits,
        escalation_contact: row.escalation_contact.filter(|c| !c.trim().is_empty()),
        escalation_email: row.escalation_email.filter(|e| !e.trim().is_empty()),
        currency: row.currency,
        max_order_amount: money::stored(row.max_order_amount_minor)?,
        invoice_overrun_percent: row.invoice_overrun_percent,
        idle_sign_out_minutes: row.idle_sign_out_minutes,
    })
}

/// The agency's bank holidays, sorted (as `WorkingCalendar::holidays` needs them).
async fn bank_holidays(db: &mut Db) -> Result<Vec<NaiveDate>> {
    let days: Vec<(String,)> = Sql::new("SELECT day FROM bank_holidays ORDER BY day").fetch_all(db).await?;
    days.into_iter()
        .map(|(day,)| day.parse().with_context(|| format!("bank holiday {day}")).map_err(Into::into))
        .collect()
}

#[derive(sqlx::FromRow)]
struct SlaRow {
    #[sqlx(try_from = "String")]
    priority: Priority,
    respond: String,
    resolve: String,
}

async fn sla_targets(db: &mut Db) -> Result<SlaTargets> {
    let rows: Vec<SlaRow> = Sql::new("SELECT priority, respond, resolve FROM sla_targets").fetch_all(db).await?;
    let mut targets = SlaTargets::default();
    for row in rows {
        let target = SlaTarget {
            respond: serde_json::from_str(&row.respond).context("sla respond span")?,
            resolve: serde_json::from_str(&row.resolve).context("sla resolve span")?,
        };
        match row.priority {
            Priority::Emergency => targets.emergency = target,
            Priority::Urgent => targets.urgent = target,
            Priority::Routine => targets.routine = target,
            Priority::Low => targets.low = target,
        }
    }
    Ok(targets)
}
