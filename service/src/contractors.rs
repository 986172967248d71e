//! Contractors as staff keep and pick them: their profiles (trades, rates, insurance and
//! licence), and ranked suggestions for a job with the reason one cannot be assigned.

use crate::agency;
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::input::{self, MAX_LINE_CHARS, MAX_TEXT_CHARS};
use crate::properties::require_agency;
use crate::store::Store;
use chrono::{DateTime, NaiveDate, Utc};
use plumbline_domain::api::{ContractorChoice, ContractorDetails, ContractorProfile, Field};
use plumbline_domain::contractor::{DocumentStatus, assignment_blocked};
use plumbline_domain::ids::CategoryId;
use plumbline_domain::{Actor, MoneyMinor, State, UserId, WorkOrderId};

#[derive(sqlx::FromRow)]
struct ChoiceRecord {
    user_id: i64,
    company: String,
    preferred: bool,
    insurance_expires_on: Option<String>,
    licence_expires_on: Option<String>,
    covers_category: bool,
    open_jobs: i64,
}

/// The SQL for a contractor's open jobs, as a column.
fn push_open_jobs(query: &mut Sql) {
    query.push("(SELECT count(*) FROM work_orders o WHERE o.contractor_id = k.user_id AND o.state IN (");
    query.push_state_list(State::ALL.into_iter().filter(|s| s.is_with_contractor()));
    query.push(")) AS open_jobs");
}

/// A stored day, or `None` for one that cannot be read (only a hand-edited store has one).
fn day(text: Option<&str>) -> Option<NaiveDate> {
    text.and_then(|text| text.parse().ok())
}

/// Whether a contractor may be given work on `today`, and if not why.
pub(crate) fn blocked(
    company: &str,
    insurance: Option<&str>,
    licence: Option<&str>,
    today: NaiveDate,
) -> Option<String> {
    assignment_blocked(company, DocumentStatus::of(day(insurance), today), DocumentStatus::of(day(licence), today))
}

/// Every contractor, best first for this order: category match, preferred, insured,
/// fewest open jobs. Staff only.
pub async fn suggest(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    order: WorkOrderId,
) -> Result<Vec<ContractorChoice>> {
    if !actor.role.is_agency() {
        return Err(ServiceError::NotAllowed("only agency staff assign contractors".into()));
    }
    let mut db = store.read().await?;
    let today = agency::settings_in(&mut db).await?.calendar.local_date(now);
    let mut query = Sql::new(
        "SELECT k.user_id, k.company, k.preferred, k.insurance_expires_on, k.licence_expires_on,
                EXISTS (SELECT 1 FROM contractor_categories cc JOIN work_orders w ON w.category_id = cc.category_id
                        WHERE cc.contractor_id = k.user_id AND w.id = ?) AS covers_category, ",
    )
    .bind(order.0);
    push_open_jobs(&mut query);
    // A deactivated contractor is not offered for new work.
    query.push(" FROM contractors k JOIN users u ON u.id = k.user_id WHERE u.deactivated_at IS NULL");
    let records: Vec<ChoiceRecord> = query.fetch_all(&mut db).await?;
    let mut choices: Vec<ContractorChoice> = records
        .into_iter()
        .map(|r| ContractorChoice {
            id: UserId(r.user_id),
            blocked: blocked(&r.company, r.insurance_expires_on.as_deref(), r.licence_expires_on.as_deref(), today),
            company: r.company,
            preferred: r.preferred,
            covers_category: r.covers_category,
            open_jobs: r.open_jobs,
        })
        .collect();
    choices.sort_by_key(|c| (c.blocked.is_some(), !c.covers_category, !c.preferred, c.open_jobs));
    Ok(choices)
}

#[derive(sqlx::FromRow)]
struct ProfileRecord {
    user_id: i64,
    name: String,
    email: String,
    phone: Option<String>,
    deactivated_at: Option<i64>,
    company: String,
    hourly_rate_minor: i64,
    callout_fee_minor: i64,
    insurance_expires_on: Option<String>,
    licence_expires_on: Option<String>,
    preferred: bool,
    notes: String,
    open_jobs: i64,
}

async fn profile_records(db: &mut Db, only: Option<UserId>) -> Result<Vec<ProfileRecord>> {
    let mut query = Sql::new(
        "SELECT k.user_id, u.name, u.email, u.phone, u.deactivated_at, k.company, k.hourly_rate_minor,
                k.callout_fee_minor, k.insurance_expires_on, k.licence_expires_on, k.preferred, k.notes, ",
    );
    push_open_jobs(&mut query);
    query.push(" FROM contractors k JOIN users u ON u.id = k.user_id");
    if let Some(id) = only {
        query.push(" WHERE k.user_id = ").push_bind(id.0);
    }
    query.push(" ORDER BY u.deactivated_at IS NOT NULL, lower(k.company), k.user_id");
    query.fetch_all(db).await
}

async fn trades(db: &mut Db) -> Result<Vec<(i64, i64)>> {
    Sql::new("SELECT contractor_id, category_id FROM contractor_categories ORDER BY category_id").fetch_all(db).await
}

fn into_profile(r: ProfileRecord, trades: &[(i64, i64)], today: NaiveDate) -> Result<ContractorProfile> {
    let insurance_on = day(r.insurance_expires_on.as_deref());
    let licence_on = day(r.licence_expires_on.as_deref());
    let (insurance, licence) = (DocumentStatus::of(insurance_on, today), DocumentStatus::of(licence_on, today));
    Ok(ContractorProfile {
        id: UserId(r.user_id),
        contact: r.name,
        email: r.email,
        phone: r.phone,
        active: r.deactivated_at.is_none(),
        open_jobs: r.open_jobs,
        insurance,
        licence,
        blocked: assignment_blocked(&r.company, insurance, licence),
        details: ContractorDetails {
            company: r.company,
            trades: trades.iter().filter(|(k, _)| *k == r.user_id).map(|(_, c)| CategoryId(*c)).collect(),
            hourly_rate: MoneyMinor::try_from(r.hourly_rate_minor)
                .map_err(|err| anyhow::anyhow!("hourly rate: {err}"))?,
            callout_fee: MoneyMinor::try_from(r.callout_fee_minor)
                .map_err(|err| anyhow::anyhow!("call-out fee: {err}"))?,
            insurance_expires_on: insurance_on,
            licence_expires_on: licence_on,
            preferred: r.preferred,
            notes: r.notes,
        },
    })
}

/// Every contractor's profile, active ones first, by company. Staff only.
pub async fn profiles(store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Vec<ContractorProfile>> {
    require_agency(actor)?;
    let mut db = store.read().await?;
    let today = agency::settings_in(&mut db).await?.calendar.local_date(now);
    let trades = trades(&mut db).await?;
    profile_records(&mut db, None).await?.into_iter().map(|r| into_profile(r, &trades, today)).collect()
}

pub async fn profile(store: &Store, actor: Actor, now: DateTime<Utc>, id: UserId) -> Result<ContractorProfile> {
    require_agency(actor)?;
    let mut db = store.read().await?;
    let today = agency::settings_in(&mut db).await?.calendar.local_date(now);
    let trades = trades(&mut db).await?;
    let record = profile_records(&mut db, Some(id)).await?.pop();
    let record = record.ok_or_else(|| ServiceError::not_found(format!("Contractor {}", id.0)))?;
    into_profile(record, &trades, today)
}

/// The trades named must be the agency's top-level categories.
pub(crate) async fn check_trades(db: &mut Db, trades: &[CategoryId]) -> Result<Vec<i64>> {
    let top: Vec<(i64,)> = Sql::new("SELECT id FROM categories WHERE parent_id IS NULL").fetch_all(db).await?;
    let mut ids: Vec<i64> = trades.iter().map(|c| c.0).collect();
    ids.sort_unstable();
    ids.dedup();
    if let Some(unknown) = ids.iter().find(|id| !top.contains(&(**id,))) {
        return Err(ServiceError::validation(
            Field::Trades,
            format!("category {unknown} is not one of the agency's trades"),
        ));
    }
    Ok(ids)
}

/// Saves a contractor's profile. Staff only.
pub async fn update_profile(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    id: UserId,
    details: &ContractorDetails,
) -> Result<ContractorProfile> {
    require_agency(actor)?;
    let company = input::required(Field::Company, "company", &details.company, MAX_LINE_CHARS)?;
    let notes = input::optional(Field::Notes, "notes", &details.notes, MAX_TEXT_CHARS)?;
    let mut tx = store.write().await?;
    let trades = check_trades(&mut tx, &details.trades).await?;
    let updated = Sql::new(
        "UPDATE contractors SET company = ?, hourly_rate_minor = ?, callout_fee_minor = ?, insurance_expires_on = ?,
                                licence_expires_on = ?, preferred = ?, notes = ?
         WHERE user_id = ?",
    )
    .bind(&company)
    .bind(details.hourly_rate.minor_units())
    .bind(details.callout_fee.minor_units())
    .bind(details.insurance_expires_on.map(|d| d.to_string()))
    .bind(details.licence_expires_on.map(|d| d.to_string()))
    .bind(details.preferred)
    .bind(&notes)
    .bind(id.0)
    .execute(&mut tx)
    .await?;
    if updated == 0 {
        return Err(ServiceError::not_found(format!("Contractor {}", id.0)));
    }
    set_trades(&mut tx, id, &trades).await?;
    tx.commit().await?;
    profile(store, actor, now, id).await
}

pub(crate) async fn set_trades(db: &mut Db, id: UserId, trades: &[i64]) -> Result<()> {
    Sql::new("DELETE FROM contractor_categories WHERE contractor_id = ?").bind(id.0).execute(&mut *db).await?;
    for category in trades {
        Sql::new("INSERT INTO contractor_categories (contractor_id, category_id) VALUES (?, ?)")
            .bind(id.0)
            .bind(*category)
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}
