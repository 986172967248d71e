//! Landlords' records as staff keep them: their properties and how their costs are
//! approved (SPEC "Cost approvals").

use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::properties::{self, require_agency};
use crate::store::Store;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{Field, LandlordRecord, LandlordRules};
use plumbline_domain::approval::ApprovalThresholds;
use plumbline_domain::{Actor, MoneyMinor, UserId};

#[derive(sqlx::FromRow)]
struct LandlordRow {
    id: i64,
    name: String,
    email: String,
    phone: Option<String>,
    notify_from_minor: Option<i64>,
    approval_above_minor: Option<i64>,
    staff_may_approve: Option<bool>,
}

/// A landlord's limits as an order's rules read them: each stored limit, or the default
/// where none is kept (a landlord who never had limits set, or an unreadable one).
pub(crate) fn limits_or_defaults(
    notify_from_minor: Option<i64>,
    approval_above_minor: Option<i64>,
) -> ApprovalThresholds {
    let defaults = ApprovalThresholds::default();
    let read = |minor: Option<i64>, default| minor.and_then(|m| MoneyMinor::try_from(m).ok()).unwrap_or(default);
    ApprovalThresholds {
        notify_from: read(notify_from_minor, defaults.notify_from),
        approval_above: read(approval_above_minor, defaults.approval_above),
    }
}

async fn record(db: &mut Db, now: DateTime<Utc>, row: LandlordRow) -> Result<LandlordRecord> {
    let defaults = ApprovalThresholds::default();
    let money = |minor: Option<i64>, default: MoneyMinor| -> Result<MoneyMinor> {
        minor.map_or(Ok(default), |minor| {
            MoneyMinor::try_from(minor).map_err(|err| anyhow::anyhow!("threshold: {err}").into())
        })
    };
    let rules = LandlordRules {
        thresholds: ApprovalThresholds {
            notify_from: money(row.notify_from_minor, defaults.notify_from)?,
            approval_above: money(row.approval_above_minor, defaults.approval_above)?,
        },
        staff_may_approve: row.staff_may_approve.unwrap_or(true),
    };
    let id = UserId(row.id);
    Ok(LandlordRecord {
        id,
        properties: properties::of_landlord(db, now, id).await?,
        name: row.name,
        email: row.email,
        phone: row.phone,
        rules,
    })
}

const LANDLORDS: &str =
    "SELECT u.id, u.name, u.email, u.phone, t.notify_from_minor, t.approval_above_minor, t.staff_may_approve
     FROM users u LEFT JOIN landlord_thresholds t ON t.landlord_id = u.id WHERE u.role = 'landlord'";

/// Every active landlord with their properties and approval rules, by name.
pub async fn list(store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Vec<LandlordRecord>> {
    require_agency(actor)?;
    let mut db = store.read().await?;
    let rows: Vec<LandlordRow> =
        Sql::new(format!("{LANDLORDS} AND u.deactivated_at IS NULL ORDER BY lower(u.name), u.id"))
            .fetch_all(&mut db)
            .await?;
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        records.push(record(&mut db, now, row).await?);
    }
    Ok(records)
}

/// Sets a landlord's thresholds and whether staff may approve for them. Approvals already
/// asked for keep the route they were given.
pub async fn set_rules(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    id: UserId,
    rules: &LandlordRules,
) -> Result<LandlordRecord> {
    require_agency(actor)?;
    let ApprovalThresholds { notify_from, approval_above } = rules.thresholds;
    if notify_from > approval_above {
        return Err(ServiceError::validation(
            Field::NotifyFrom,
            format!(
                "the landlord is told from {notify_from}: that cannot be above the approval threshold ({approval_above})"
            ),
        ));
    }
    let mut tx = store.write().await?;
    let found: Option<(i64,)> =
        Sql::new("SELECT id FROM users WHERE id = ? AND role = 'landlord'").bind(id.0).fetch_optional(&mut tx).await?;
    if found.is_none() {
        return Err(ServiceError::not_found(format!("Landlord {}", id.0)));
    }
    Sql::new(
        "INSERT INTO landlord_thresholds (landlord_id, notify_from_minor, approval_above_minor, staff_may_approve)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (landlord_id) DO UPDATE SET notify_from_minor = excluded.notify_from_minor,
             approval_above_minor = excluded.approval_above_minor, staff_may_approve = excluded.staff_may_approve",
    )
    .bind(id.0)
    .bind(notify_from.minor_units())
    .bind(approval_above.minor_units())
    .bind(rules.staff_may_approve)
    .execute(&mut tx)
    .await?;
    let row: LandlordRow = Sql::new(format!("{LANDLORDS} AND u.id = ?")).bind(id.0).fetch_one(&mut tx).await?;
    let record = record(&mut tx, now, row).await?;
    tx.commit().await?;
    Ok(record)
}
