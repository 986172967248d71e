//! Contractors as staff keep and pick them: their profiles (trades, rates, insurance and
//! licence), and ranked suggestions for a job with the reason one cannot be assigned.

use crate::agency;
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::input::{self, MAX_LINE_CHARS, MAX_TEXT_CHARS};
use crate::notifications;
use crate::properties::require_agency;
use crate::store::Store;
use chrono::{DateTime, NaiveDate, Utc};
use plumbline_domain::api::{ContractorChoice, ContractorDetails, ContractorProfile, Field};
use plumbline_domain::contractor::{Document, DocumentStatus, REMINDER_DAYS, assignment_blocked};
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

#[derive(sqlx::FromRow)]
struct ExpiringRecord {
    user_id: i64,
    company: String,
    insurance_expires_on: Option<String>,
    licence_expires_on: Option<String>,
}

/// Reminds staff of insurance and licences running out, 30 and then 7 days ahead (once
/// each per expiry date: a renewed document is reminded of afresh). Returns how many
/// reminders were sent. Safe to run from several processes: each reminder is claimed by
/// inserting its row, which only one can do.
pub async fn remind_expiring(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    let mut db = store.read().await?;
    let today = agency::settings_in(&mut db).await?.calendar.local_date(now);
    let expiring = expiring(&mut db, today).await?;
    drop(db);
    let mut sent = 0;
    for (contractor, document, on) in expiring {
        let mut tx = store.write().await?;
        if claim_reminders(&mut tx, &contractor, document, on, today).await? {
            tell_expiring(&mut tx, now, &contractor, document, on, today).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// Claims the reminders already due without telling anyone: a generated agency's past
/// is not news.
pub(crate) async fn settle_expiry_reminders(db: &mut Db, now: DateTime<Utc>) -> Result<()> {
    let today = agency::settings_in(db).await?.calendar.local_date(now);
    for (contractor, document, on) in expiring(db, today).await? {
        claim_reminders(db, &contractor, document, on, today).await?;
    }
    Ok(())
}

/// Every active contractor's document that runs out within the first reminder's reach.
async fn expiring(db: &mut Db, today: NaiveDate) -> Result<Vec<(ExpiringRecord, Document, NaiveDate)>> {
    let horizon = (today + chrono::Duration::days(REMINDER_DAYS[0])).to_string();
    let records: Vec<ExpiringRecord> = Sql::new(
        "SELECT k.user_id, k.company, k.insurance_expires_on, k.licence_expires_on
         FROM contractors k JOIN users u ON u.id = k.user_id
         WHERE u.deactivated_at IS NULL AND (k.insurance_expires_on BETWEEN ? AND ? OR k.licence_expires_on BETWEEN ? AND ?)",
    )
    .bind(today.to_string())
    .bind(&horizon)
    .bind(today.to_string())
    .bind(&horizon)
    .fetch_all(db)
    .await?;
    let mut expiring = Vec::new();
    for record in records {
        for (document, expires) in
            [(Document::Insurance, &record.insurance_expires_on), (Document::Licence, &record.licence_expires_on)]
        {
            if let Some(on) =
                day(expires.as_deref()).filter(|on| (0..=REMINDER_DAYS[0]).contains(&(*on - today).num_days()))
            {
                expiring.push((clone_expiring(&record), document, on));
            }
        }
    }
    Ok(expiring)
}

fn clone_expiring(r: &ExpiringRecord) -> ExpiringRecord {
    ExpiringRecord {
        user_id: r.user_id,
        company: r.company.clone(),
        insurance_expires_on: r.insurance_expires_on.clone(),
        licence_expires_on: r.licence_expires_on.clone(),
    }
}

/// Claims every reminder now due for the document (at 7 days left the 30-day one too, if
/// a closed laptop missed it); whether any was new.
async fn claim_reminders(
    db: &mut Db,
    contractor: &ExpiringRecord,
    document: Document,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<bool> {
    let days_left = (on - today).num_days();
    let mut claimed = false;
    for ahead in REMINDER_DAYS.into_iter().filter(|ahead| days_left <= *ahead) {
        let inserted = Sql::new(
            "INSERT INTO expiry_reminders (contractor_id, document, expires_on, days_ahead) VALUES (?, ?, ?, ?)
             ON CONFLICT DO NOTHING",
        )
        .bind(contractor.user_id)
        .bind(document.as_str())
        .bind(on.to_string())
        .bind(ahead)
        .execute(&mut *db)
        .await?;
        claimed |= inserted == 1;
    }
    Ok(claimed)
}

async fn tell_expiring(
    db: &mut Db,
    now: DateTime<Utc>,
    contractor: &ExpiringRecord,
    document: Document,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<()> {
    let when = match (on - today).num_days() {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        n => format!("in {n} days"),
    };
    let title = format!("{} expires {when} · {}", document.label(), contractor.company);
    let body = format!(
        "{}'s {} runs out on {}. Ask them for the renewal: they cannot be given work once it has lapsed.",
        contractor.company,
        document.as_str(),
        on.format("%-d %b %Y")
    );
    notifications::tell_agency(db, &title, &body, now).await
}
