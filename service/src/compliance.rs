//! Compliance certificates (`domain::compliance`): staff record them per property; staff
//! see every property's, a landlord their own properties'. The background engine reminds
//! staff and the landlord 30 and 7 days before one runs out (each once, claimed by a
//! `certificate_reminders` row) and raises its renewal order 30 days ahead (once, claimed
//! by a guarded update of `renewal_order_id`). Only a property's current certificate of a
//! kind (the one that runs out last) is reminded of or renewed.

use crate::agency;
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::input;
use crate::notifications;
use crate::properties::{self, require_agency};
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use crate::work_orders::{self, Booked};
use chrono::{DateTime, Days, NaiveDate, Utc};
use plumbline_domain::api::{Certificate, CertificateFile, CertificateInput, Field, ListCertificates};
use plumbline_domain::compliance::{
    MAX_KIND_CHARS, REMINDER_DAYS, RENEWAL_LEAD_DAYS, reminders_due, renewal_due, renewal_work, standard_expiry,
};
use plumbline_domain::contractor::DocumentStatus;
use plumbline_domain::ids::{CertificateId, PropertyId};
use plumbline_domain::{Actor, MediaType, Role, UserId, WorkOrderId};
use std::collections::HashSet;

mod file;
pub use file::{attach_file, file_content, file_limit, open_file_path};

/// Whether certificate `c` is its property's newest of its kind (none runs out later).
const CURRENT: &str = "NOT EXISTS (SELECT 1 FROM certificates n WHERE n.property_id = c.property_id AND n.kind = c.kind
        AND (n.expires_on > c.expires_on OR (n.expires_on = c.expires_on AND n.id > c.id)))";

/// A certificate, with whether it is current and who added its file.
fn certificate_query() -> Sql {
    Sql::new(format!(
        "SELECT c.id, c.property_id, p.name AS property_name, c.kind, c.issued_on, c.expires_on, c.renewal_order_id,
                p.landlord_id, {CURRENT} AS current, c.file_sha256, c.file_name, c.file_media_type,
                c.file_size_bytes, f.name AS file_added_by, c.file_added_at
         FROM certificates c JOIN properties p ON p.id = c.property_id
         LEFT JOIN users f ON f.id = c.file_added_by"
    ))
}

/// Narrows `sql` (a `certificate_query` with a `WHERE`) to what `actor` may see: staff
/// every property's, a landlord their own properties'.
fn push_visible_to(sql: &mut Sql, actor: Actor) -> Result<()> {
    match actor.role {
        Role::Staff | Role::Admin => Ok(()),
        Role::Landlord => {
            sql.push(" AND p.landlord_id = ").push_bind(actor.user_id.0);
            Ok(())
        }
        Role::Contractor | Role::Tenant => {
            Err(ServiceError::NotAllowed("only the agency and landlords see certificates".into()))
        }
    }
}

#[derive(sqlx::FromRow)]
struct CertificateRecord {
    id: i64,
    property_id: i64,
    property_name: String,
    kind: String,
    issued_on: String,
    expires_on: String,
    renewal_order_id: Option<i64>,
    landlord_id: i64,
    current: bool,
    file_sha256: Option<String>,
    file_name: Option<String>,
    file_media_type: Option<String>,
    file_size_bytes: Option<i64>,
    file_added_by: Option<String>,
    file_added_at: Option<i64>,
}

impl CertificateRecord {
    fn into_certificate(self, today: NaiveDate) -> Result<Certificate> {
        let expires_on = day(&self.expires_on)?;
        let file = self.file()?;
        Ok(Certificate {
            id: CertificateId(self.id),
            property: PropertyId(self.property_id),
            property_name: self.property_name,
            kind: self.kind,
            issued_on: day(&self.issued_on)?,
            expires_on,
            status: DocumentStatus::of(Some(expires_on), today),
            current: self.current,
            renewal_order: self.renewal_order_id.map(WorkOrderId),
            file,
        })
    }

    fn file(&self) -> Result<Option<CertificateFile>> {
        let (Some(name), Some(media_type), Some(size_bytes), Some(added_at)) =
            (&self.file_name, &self.file_media_type, self.file_size_bytes, self.file_added_at)
        else {
            return Ok(None);
        };
        Ok(Some(CertificateFile {
            name: name.clone(),
            media_type: MediaType::parse(media_type)
                .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("certificates holds the type {media_type:?}")))?,
            size_bytes,
            added_by: self.file_added_by.clone().unwrap_or_default(),
            added_at: from_secs(added_at),
        }))
    }
}

fn day(text: &str) -> Result<NaiveDate> {
    text.parse().map_err(|_| ServiceError::Internal(anyhow::anyhow!("certificates holds the day {text:?}")))
}

/// A property's certificates, newest first per kind; or every current certificate the
/// actor may see (staff: all; a landlord: their properties'), soonest to run out first.
pub async fn list(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    request: &ListCertificates,
) -> Result<Vec<Certificate>> {
    let mut sql = certificate_query();
    sql.push(" WHERE 1 = 1");
    push_visible_to(&mut sql, actor)?;
    match request.property {
        Some(property) => {
            sql.push(" AND c.property_id = ")
                .push_bind(property.0)
                .push(" ORDER BY c.kind, c.expires_on DESC, c.id DESC");
        }
        None => {
            sql.push(" AND ").push(CURRENT).push(" ORDER BY c.expires_on, c.id");
        }
    }
    let mut db = store.read().await?;
    let today = agency::settings_in(&mut db).await?.calendar.local_date(now);
    let records: Vec<CertificateRecord> = sql.fetch_all(&mut db).await?;
    records.into_iter().map(|record| record.into_certificate(today)).collect()
}

/// Records a certificate (staff). With no expiry given, a standard kind's usual term.
pub async fn record(store: &Store, actor: Actor, now: DateTime<Utc>, input: &CertificateInput) -> Result<Certificate> {
    require_agency(actor)?;
    let kind = input::required(Field::Kind, "kind of certificate", &input.kind, MAX_KIND_CHARS)?;
    let kind = canonical(&kind);
    let expires_on = match input.expires_on.or_else(|| standard_expiry(&kind, input.issued_on)) {
        Some(expires) => expires,
        None => return Err(ServiceError::validation(Field::ExpiresOn, format!("enter the day this {kind} runs out"))),
    };
    if expires_on <= input.issued_on {
        let why = format!("it cannot run out ({expires_on}) before it was issued ({})", input.issued_on);
        return Err(ServiceError::validation(Field::ExpiresOn, why));
    }
    let mut tx = store.write().await?;
    let today = agency::settings_in(&mut tx).await?.calendar.local_date(now);
    if input.issued_on > today {
        let why = format!("a certificate is recorded once issued (today is {today})");
        return Err(ServiceError::validation(Field::IssuedOn, why));
    }
    properties::check_managed(&mut tx, input.property).await?;
    let (id,): (i64,) = Sql::new(
        "INSERT INTO certificates (property_id, kind, issued_on, expires_on, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(input.property.0)
    .bind(&kind)
    .bind(input.issued_on.to_string())
    .bind(expires_on.to_string())
    .bind(actor.user_id.0)
    .bind(to_secs(now))
    .fetch_one(&mut tx)
    .await?;
    let mut sql = certificate_query();
    sql.push(" WHERE c.id = ").push_bind(id);
    let record: CertificateRecord = sql.fetch_one(&mut tx).await?;
    tx.commit().await?;
    record.into_certificate(today)
}

/// A standard kind as the agency's list spells it ("gas safety" is "Gas safety").
fn canonical(kind: &str) -> String {
    plumbline_domain::compliance::STANDARD_KINDS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(kind))
        .map_or_else(|| kind.to_owned(), |(name, _)| (*name).to_owned())
}

/// The demo agency's certificates: gas safety, EICR and (for every other home) EPC for
/// all but the first three properties, each in date for at least two months more, so a
/// demo starts green and turns amber as its days pass.
pub(crate) async fn seed_demo(tx: &mut Db, now: DateTime<Utc>) -> Result<()> {
    let today = agency::settings_in(tx).await?.calendar.local_date(now);
    let (staff,): (i64,) = Sql::new("SELECT min(id) FROM users WHERE role = 'staff'").fetch_one(&mut *tx).await?;
    let properties: Vec<(i64,)> =
        Sql::new("SELECT id FROM properties ORDER BY id LIMIT 1000 OFFSET 3").fetch_all(&mut *tx).await?;
    for (n, (property,)) in (0_u64..).zip(properties) {
        let mut held = vec![
            ("Gas safety", today - Days::new(10 + 23 * n % 280)),
            ("EICR", today - Days::new(200 + 97 * n % 1500)),
        ];
        if n % 2 == 0 {
            held.push(("EPC", today - Days::new(700 + 131 * n % 2000)));
        }
        for (kind, issued) in held {
            let expires = standard_expiry(kind, issued).unwrap_or(issued);
            Sql::new(
                "INSERT INTO certificates (property_id, kind, issued_on, expires_on, recorded_by, recorded_at)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(property)
            .bind(kind)
            .bind(issued.to_string())
            .bind(expires.to_string())
            .bind(staff)
            .bind(to_secs(now))
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// What one run of the engine did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ComplianceWork {
    pub reminders: usize,
    pub renewals: usize,
}

/// The engine's part: reminders and renewal orders for current certificates about to
/// run out.
pub async fn remind_and_renew(store: &Store, now: DateTime<Utc>) -> Result<ComplianceWork> {
    let mut db = store.read().await?;
    let settings = agency::settings_in(&mut db).await?;
    let today = settings.calendar.local_date(now);
    // Nothing is due further ahead than the first reminder or the renewal.
    let horizon = today + Days::new(RENEWAL_LEAD_DAYS.max(REMINDER_DAYS[0]).unsigned_abs());
    // Current certificates about to run out, and any run out whose renewal was never
    // raised (one recorded late): a range on the expiry index, then the newest per kind.
    let mut sql = certificate_query();
    sql.push(" WHERE c.expires_on <= ").push_bind(horizon.to_string());
    sql.push(" AND (c.expires_on >= ").push_bind(today.to_string()).push(" OR c.renewal_order_id IS NULL)");
    sql.push(" AND ").push(CURRENT);
    let due: Vec<CertificateRecord> = sql.fetch_all(&mut db).await?;
    let sent = reminders_sent(&mut db, &due).await?;
    drop(db);
    let mut done = ComplianceWork::default();
    for record in due {
        let expires_on = day(&record.expires_on)?;
        // Most minutes nothing is new: the write lock is taken only when something is.
        let new_reminder =
            reminders_due(expires_on, today).into_iter().any(|ahead| !sent.contains(&(record.id, ahead)));
        let new_renewal = renewal_due(expires_on, today) && record.renewal_order_id.is_none();
        if !new_reminder && !new_renewal {
            continue;
        }
        let mut tx = store.write().await?;
        if claim_reminders(&mut tx, record.id, expires_on, today).await? {
            tell_running_out(&mut tx, &record, expires_on, today, now).await?;
            done.reminders += 1;
        }
        if renewal_due(expires_on, today) && renew(&mut tx, &settings, &record, expires_on, now).await? {
            done.renewals += 1;
        }
        tx.commit().await?;
    }
    Ok(done)
}

/// The reminders already sent for `certificates`, as (certificate, days ahead).
async fn reminders_sent(db: &mut Db, certificates: &[CertificateRecord]) -> Result<HashSet<(i64, i64)>> {
    if certificates.is_empty() {
        return Ok(HashSet::new());
    }
    let mut sql = Sql::new("SELECT certificate_id, days_ahead FROM certificate_reminders WHERE certificate_id IN (");
    sql.push_bind_list(certificates.iter().map(|record| record.id)).push(")");
    let sent: Vec<(i64, i64)> = sql.fetch_all(db).await?;
    Ok(sent.into_iter().collect())
}

/// Claims the reminders due today; whether any was new.
async fn claim_reminders(tx: &mut Db, certificate: i64, expires_on: NaiveDate, today: NaiveDate) -> Result<bool> {
    let mut claimed = false;
    for ahead in reminders_due(expires_on, today) {
        let inserted = Sql::new(
            "INSERT INTO certificate_reminders (certificate_id, days_ahead) VALUES (?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(certificate)
        .bind(ahead)
        .execute(&mut *tx)
        .await?;
        claimed |= inserted == 1;
    }
    Ok(claimed)
}

/// Tells the agency and the property's landlord.
async fn tell_running_out(
    tx: &mut Db,
    record: &CertificateRecord,
    expires_on: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let when = match (expires_on - today).num_days() {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        n => format!("in {n} days"),
    };
    let title = format!("{} certificate expires {when} · {}", record.kind, record.property_name);
    let body = format!(
        "The {} certificate for {} runs out on {}. A renewal has been raised to book the inspection in time.",
        record.kind,
        record.property_name,
        expires_on.format("%-d %b %Y")
    );
    notifications::tell_agency(tx, &title, &body, now).await?;
    notifications::tell_user(tx, UserId(record.landlord_id), &title, &body, now).await
}

/// Raises the renewal order once; whether this run did.
async fn renew(
    tx: &mut Db,
    settings: &agency::AgencySettings,
    record: &CertificateRecord,
    expires_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool> {
    // The claim: a no-op update that finds the certificate not yet renewed. It locks the
    // row on PostgreSQL (a second engine's waits, then finds it renewed); SQLite has one
    // writer at a time.
    let unclaimed =
        Sql::new("UPDATE certificates SET renewal_order_id = NULL WHERE id = ? AND renewal_order_id IS NULL")
            .bind(record.id)
            .execute(&mut *tx)
            .await?;
    if unclaimed == 0 {
        return Ok(false);
    }
    let work = renewal_work(&record.kind);
    let subcategory: Option<(i64,)> =
        Sql::new("SELECT id FROM categories WHERE name = ? AND parent_id IS NOT NULL ORDER BY id LIMIT 1")
            .bind(work)
            .fetch_optional(&mut *tx)
            .await?;
    let subcategory = match subcategory {
        Some((id,)) => id,
        None => {
            Sql::new("SELECT min(id) FROM categories WHERE parent_id IS NOT NULL")
                .fetch_one::<(i64,)>(&mut *tx)
                .await?
                .0
        }
    };
    let (recorded_by,): (i64,) =
        Sql::new("SELECT recorded_by FROM certificates WHERE id = ?").bind(record.id).fetch_one(&mut *tx).await?;
    let expires = expires_on.format("%-d %b %Y");
    let job = Booked {
        property: record.property_id,
        unit: None,
        subcategory,
        raised_by: recorded_by,
        description: format!(
            "Renew the {} certificate before it runs out on {expires}; attach the new certificate to this order.",
            record.kind
        ),
        why: format!("Certificate renewal ({}), runs out {expires}", record.kind),
        note: format!("Renewal raised: the {} certificate runs out on {expires}", record.kind),
        day: expires_on,
        schedule: None,
    };
    let order = work_orders::book(tx, settings, &job, now).await?;
    Sql::new("UPDATE certificates SET renewal_order_id = ? WHERE id = ?")
        .bind(order.0)
        .bind(record.id)
        .execute(&mut *tx)
        .await?;
    Ok(true)
}
