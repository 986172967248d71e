//! The agency's properties, their units and tenancies, as staff keep them. A property is
//! archived when the agency stops managing it, never deleted while it has orders; a
//! tenancy ends on a day, after which no request can be raised for it.

use crate::agency;
use crate::db::{Db, Sql, contains_pattern};
use crate::error::{Result, ServiceError};
use crate::input::{self, MAX_LINE_CHARS, MAX_TEXT_CHARS};
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use crate::users;
use chrono::{DateTime, NaiveDate, Utc};
use plumbline_domain::account::normalise_email;
use plumbline_domain::api::{
    AccessInstructions, Field, NewTenancy, PersonOption, PropertyDetail, PropertyInput, PropertyList, PropertyRow,
    PropertySearch, TenancyDetail, TenancyUpdate, TenantInput, UnitDetail,
};
use plumbline_domain::ids::{PropertyId, TenancyId, UnitId};
use plumbline_domain::{Actor, Role, State, UserId};

pub(crate) fn require_agency(actor: Actor) -> Result<()> {
    if actor.role.is_agency() {
        Ok(())
    } else {
        Err(ServiceError::NotAllowed("only agency staff keep the agency's records".into()))
    }
}

/// The summary columns, with today's date bound twice for the current-tenancy count.
fn summary_query(today: &str) -> Sql {
    let mut sql = Sql::new(
        "SELECT p.id, p.name, p.street, p.city, p.postcode, l.name AS landlord, p.archived_at,
                (SELECT count(*) FROM units n WHERE n.property_id = p.id) AS units,
                (SELECT count(*) FROM tenancies t JOIN units n ON n.id = t.unit_id
                 WHERE n.property_id = p.id AND t.started_on <= ",
    );
    sql.push_bind(today)
        .push(" AND (t.ended_on IS NULL OR t.ended_on >= ")
        .push_bind(today)
        .push(")) AS current_tenancies,");
    sql.push(" (SELECT count(*) FROM work_orders w WHERE w.property_id = p.id AND w.state IN (");
    sql.push_state_list(State::ALL.into_iter().filter(|s| !s.is_terminal()));
    sql.push(")) AS orders_not_closed FROM properties p JOIN users l ON l.id = p.landlord_id");
    sql
}

#[derive(sqlx::FromRow)]
struct SummaryRecord {
    id: i64,
    name: String,
    street: String,
    city: String,
    postcode: String,
    landlord: String,
    archived_at: Option<i64>,
    units: i64,
    current_tenancies: i64,
    orders_not_closed: i64,
}

impl SummaryRecord {
    fn into_summary(self) -> PropertyRow {
        PropertyRow {
            id: PropertyId(self.id),
            address: format!("{}, {} {}", self.street, self.city, self.postcode),
            name: self.name,
            landlord: self.landlord,
            units: self.units,
            current_tenancies: self.current_tenancies,
            orders_not_closed: self.orders_not_closed,
            archived: self.archived_at.is_some(),
        }
    }
}

async fn today(db: &mut Db, now: DateTime<Utc>) -> Result<String> {
    Ok(agency::settings_in(db).await?.calendar.local_date(now).to_string())
}

/// Properties where every word of the search appears in the name, address or landlord's
/// name; by street. Archived ones only when asked for.
pub async fn list(store: &Store, actor: Actor, now: DateTime<Utc>, search: &PropertySearch) -> Result<PropertyList> {
    require_agency(actor)?;
    let query = input::optional(Field::Query, "search", &search.query, 100)?;
    let mut db = store.read().await?;
    let today = today(&mut db, now).await?;
    let mut filter = Sql::new(" WHERE TRUE");
    if !search.archived {
        filter.push(" AND p.archived_at IS NULL");
    }
    for word in query.split_whitespace() {
        let pattern = contains_pattern(word);
        filter.push(" AND (");
        for (i, column) in ["p.name", "p.street", "p.city", "p.postcode", "l.name"].into_iter().enumerate() {
            let or = if i == 0 { "" } else { " OR " };
            filter.push(format_args!("{or}{column} ILIKE ")).push_bind(pattern.clone()).push(" ESCAPE '\\'");
        }
        filter.push(")");
    }
    let mut count = Sql::new("SELECT count(*) FROM properties p JOIN users l ON l.id = p.landlord_id");
    count.append(&filter);
    let (total,): (i64,) = count.fetch_one(&mut db).await?;
    let mut sql = summary_query(&today);
    sql.append(&filter);
    sql.push(" ORDER BY lower(p.street), p.id LIMIT ").push_bind(PropertyList::SHOWN as i64);
    let records: Vec<SummaryRecord> = sql.fetch_all(&mut db).await?;
    Ok(PropertyList { properties: records.into_iter().map(SummaryRecord::into_summary).collect(), total })
}

/// A landlord's properties, archived last.
pub(crate) async fn of_landlord(db: &mut Db, now: DateTime<Utc>, landlord: UserId) -> Result<Vec<PropertyRow>> {
    let today = today(db, now).await?;
    let mut sql = summary_query(&today);
    sql.push(" WHERE p.landlord_id = ").push_bind(landlord.0);
    sql.push(" ORDER BY p.archived_at IS NOT NULL, lower(p.street), p.id");
    let records: Vec<SummaryRecord> = sql.fetch_all(db).await?;
    Ok(records.into_iter().map(SummaryRecord::into_summary).collect())
}

#[derive(sqlx::FromRow)]
struct TenancyRecord {
    id: i64,
    unit_id: i64,
    tenant_id: i64,
    tenant_name: String,
    tenant_email: String,
    started_on: String,
    ended_on: Option<String>,
    gate_code: Option<String>,
    lockbox_code: Option<String>,
    pets: String,
    best_contact: String,
    preferred_times: String,
}

impl TenancyRecord {
    fn into_detail(self, today: NaiveDate) -> Result<TenancyDetail> {
        let started_on = stored_day(&self.started_on)?;
        let ended_on = self.ended_on.as_deref().map(stored_day).transpose()?;
        Ok(TenancyDetail {
            id: TenancyId(self.id),
            tenant: UserId(self.tenant_id),
            tenant_name: self.tenant_name,
            tenant_email: self.tenant_email,
            current: started_on <= today && ended_on.is_none_or(|ended| ended >= today),
            started_on,
            ended_on,
            access: AccessInstructions {
                gate_code: self.gate_code,
                lockbox_code: self.lockbox_code,
                pets: self.pets,
                best_contact: self.best_contact,
                preferred_times: self.preferred_times,
            },
        })
    }
}

fn stored_day(text: &str) -> Result<NaiveDate> {
    Ok(text.parse().map_err(|err| anyhow::anyhow!("stored day {text}: {err}"))?)
}

#[derive(sqlx::FromRow)]
struct PropertyRecord {
    name: String,
    street: String,
    city: String,
    postcode: String,
    landlord_id: i64,
    landlord_name: String,
    archived_at: Option<i64>,
}

/// A property with its units and their tenancies (newest first).
pub async fn detail(store: &Store, actor: Actor, now: DateTime<Utc>, id: PropertyId) -> Result<PropertyDetail> {
    require_agency(actor)?;
    let mut db = store.read().await?;
    let settings = agency::settings_in(&mut db).await?;
    let today = settings.calendar.local_date(now);
    let found: Option<PropertyRecord> = Sql::new(
        "SELECT p.name, p.street, p.city, p.postcode, p.landlord_id, l.name AS landlord_name, p.archived_at
         FROM properties p JOIN users l ON l.id = p.landlord_id WHERE p.id = ?",
    )
    .bind(id.0)
    .fetch_optional(&mut db)
    .await?;
    let record = found.ok_or_else(|| ServiceError::not_found(format!("Property {}", id.0)))?;
    let mut open = Sql::new("SELECT count(*) FROM work_orders WHERE property_id = ? AND state IN (").bind(id.0);
    open.push_state_list(State::ALL.into_iter().filter(|s| !s.is_terminal())).push(")");
    let (orders_not_closed,): (i64,) = open.fetch_one(&mut db).await?;
    let units: Vec<(i64, String)> = Sql::new("SELECT id, label FROM units WHERE property_id = ? ORDER BY label, id")
        .bind(id.0)
        .fetch_all(&mut db)
        .await?;
    let tenancies: Vec<TenancyRecord> = Sql::new(
        "SELECT t.id, t.unit_id, t.tenant_id, u.name AS tenant_name, u.email AS tenant_email, t.started_on, t.ended_on,
                t.gate_code, t.lockbox_code, t.pets, t.best_contact, t.preferred_times
         FROM tenancies t JOIN units n ON n.id = t.unit_id JOIN users u ON u.id = t.tenant_id
         WHERE n.property_id = ? ORDER BY t.started_on DESC, t.id DESC",
    )
    .bind(id.0)
    .fetch_all(&mut db)
    .await?;
    let mut details = Vec::new();
    for (unit_id, label) in units {
        let mut of_unit = Vec::new();
        for record in tenancies.iter().filter(|t| t.unit_id == unit_id) {
            of_unit.push(clone_record(record).into_detail(today)?);
        }
        details.push(UnitDetail { id: UnitId(unit_id), label, tenancies: of_unit });
    }
    Ok(PropertyDetail {
        id,
        input: PropertyInput {
            name: record.name,
            street: record.street,
            city: record.city,
            postcode: record.postcode,
            landlord: UserId(record.landlord_id),
        },
        landlord_name: record.landlord_name,
        archived_at: record.archived_at.map(from_secs),
        orders_not_closed,
        units: details,
    })
}

fn clone_record(r: &TenancyRecord) -> TenancyRecord {
    TenancyRecord {
        id: r.id,
        unit_id: r.unit_id,
        tenant_id: r.tenant_id,
        tenant_name: r.tenant_name.clone(),
        tenant_email: r.tenant_email.clone(),
        started_on: r.started_on.clone(),
        ended_on: r.ended_on.clone(),
        gate_code: r.gate_code.clone(),
        lockbox_code: r.lockbox_code.clone(),
        pets: r.pets.clone(),
        best_contact: r.best_contact.clone(),
        preferred_times: r.preferred_times.clone(),
    }
}

/// A property's fields, checked.
struct CheckedProperty {
    name: String,
    street: String,
    city: String,
    postcode: String,
}

fn check_property(input: &PropertyInput) -> Result<CheckedProperty> {
    let street = input::required(Field::Street, "street", &input.street, MAX_LINE_CHARS)?;
    let name = input::optional(Field::Name, "name", &input.name, MAX_LINE_CHARS)?;
    Ok(CheckedProperty {
        // Most properties are known by their street address.
        name: if name.is_empty() { street.clone() } else { name },
        city: input::required(Field::City, "town or city", &input.city, MAX_LINE_CHARS)?,
        postcode: input::required(Field::Postcode, "postcode", &input.postcode, 12)?.to_uppercase(),
        street,
    })
}

/// Work is planned and certificates recorded only for a property on record that the
/// agency still manages.
pub(crate) async fn check_managed(db: &mut Db, property: PropertyId) -> Result<()> {
    let found: Option<(Option<i64>,)> =
        Sql::new("SELECT archived_at FROM properties WHERE id = ?").bind(property.0).fetch_optional(db).await?;
    match found {
        None => Err(ServiceError::validation(Field::Property, "no such property")),
        Some((Some(_),)) => {
            Err(ServiceError::validation(Field::Property, "this property is archived: the agency no longer manages it"))
        }
        Some((None,)) => Ok(()),
    }
}

/// The landlord a property is for must be an active landlord account.
async fn check_landlord(db: &mut Db, landlord: UserId) -> Result<()> {
    let found: Option<(String, Option<i64>)> =
        Sql::new("SELECT role, deactivated_at FROM users WHERE id = ?").bind(landlord.0).fetch_optional(db).await?;
    match found {
        Some((role, None)) if role == Role::Landlord.as_str() => Ok(()),
        Some((role, Some(_))) if role == Role::Landlord.as_str() => {
            Err(ServiceError::validation(Field::Landlord, "this landlord's account is deactivated"))
        }
        _ => Err(ServiceError::validation(Field::Landlord, "choose a landlord")),
    }
}

/// Another property already at this address, if any.
pub(crate) async fn at_address(db: &mut Db, street: &str, postcode: &str) -> Result<Option<i64>> {
    let found: Option<(i64,)> =
        Sql::new("SELECT id FROM properties WHERE lower(street) = lower(?) AND lower(postcode) = lower(?)")
            .bind(street)
            .bind(postcode)
            .fetch_optional(db)
            .await?;
    Ok(found.map(|(id,)| id))
}

/// Adds a property (`id: None`) or changes one.
pub async fn save(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    id: Option<PropertyId>,
    input: &PropertyInput,
) -> Result<PropertyDetail> {
    require_agency(actor)?;
    let checked = check_property(input)?;
    let mut tx = store.write().await?;
    check_landlord(&mut tx, input.landlord).await?;
    if let Some(other) = at_address(&mut tx, &checked.street, &checked.postcode).await?
        && Some(other) != id.map(|id| id.0)
    {
        return Err(ServiceError::validation(
            Field::Street,
            format!("{}, {} is already on record", checked.street, checked.postcode),
        ));
    }
    let id = match id {
        None => {
            let (id,): (i64,) = Sql::new(
                "INSERT INTO properties (landlord_id, name, street, city, postcode) VALUES (?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(input.landlord.0)
            .bind(&checked.name)
            .bind(&checked.street)
            .bind(&checked.city)
            .bind(&checked.postcode)
            .fetch_one(&mut tx)
            .await?;
            PropertyId(id)
        }
        Some(id) => {
            let updated = Sql::new(
                "UPDATE properties SET landlord_id = ?, name = ?, street = ?, city = ?, postcode = ? WHERE id = ?",
            )
            .bind(input.landlord.0)
            .bind(&checked.name)
            .bind(&checked.street)
            .bind(&checked.city)
            .bind(&checked.postcode)
            .bind(id.0)
            .execute(&mut tx)
            .await?;
            if updated == 0 {
                return Err(ServiceError::not_found(format!("Property {}", id.0)));
            }
            id
        }
    };
    tx.commit().await?;
    detail(store, actor, now, id).await
}

/// Archives a property (it leaves the lists and intake) or brings it back. One with
/// open orders is archived only once they are finished.
pub async fn set_archived(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    id: PropertyId,
    archived: bool,
) -> Result<PropertyDetail> {
    require_agency(actor)?;
    let current = detail(store, actor, now, id).await?;
    if archived && current.orders_not_closed > 0 {
        let message = format!(
            "{} has {} work order(s) not yet closed; close or cancel them before archiving it",
            current.input.name, current.orders_not_closed
        );
        return Err(ServiceError::validation(Field::Property, message));
    }
    let mut tx = store.write().await?;
    Sql::new("UPDATE properties SET archived_at = ? WHERE id = ?")
        .bind(archived.then(|| to_secs(now)))
        .bind(id.0)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    detail(store, actor, now, id).await
}

/// Adds a unit ("Flat 2", "Whole house") to a property.
pub async fn add_unit(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    property: PropertyId,
    label: &str,
) -> Result<PropertyDetail> {
    require_agency(actor)?;
    let label = input::required(Field::Unit, "unit's name", label, 60)?;
    let current = detail(store, actor, now, property).await?;
    if current.units.iter().any(|unit| unit.label.eq_ignore_ascii_case(&label)) {
        return Err(ServiceError::validation(
            Field::Unit,
            format!("{} already has a unit called {label}", current.input.name),
        ));
    }
    let mut tx = store.write().await?;
    Sql::new("INSERT INTO units (property_id, label) VALUES (?, ?)")
        .bind(property.0)
        .bind(&label)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    detail(store, actor, now, property).await
}

/// Checked access instructions, as stored on a tenancy.
pub(crate) fn check_access(access: &AccessInstructions) -> Result<AccessInstructions> {
    Ok(AccessInstructions {
        gate_code: input::optional_some(Field::GateCode, "gate code", access.gate_code.as_deref(), 40)?,
        lockbox_code: input::optional_some(Field::LockboxCode, "lockbox code", access.lockbox_code.as_deref(), 40)?,
        pets: input::optional(Field::Pets, "pets", &access.pets, MAX_TEXT_CHARS)?,
        best_contact: input::optional(Field::BestContact, "best contact", &access.best_contact, MAX_LINE_CHARS)?,
        preferred_times: input::optional(
            Field::PreferredTimes,
            "preferred times",
            &access.preferred_times,
            MAX_LINE_CHARS,
        )?,
    })
}

fn check_dates(started_on: NaiveDate, ended_on: Option<NaiveDate>) -> Result<()> {
    match ended_on {
        Some(ended) if ended < started_on => Err(ServiceError::validation(
            Field::EndedOn,
            format!("the tenancy cannot end ({ended}) before it starts ({started_on})"),
        )),
        _ => Ok(()),
    }
}

/// The property a unit belongs to.
async fn property_of_unit(db: &mut Db, unit: UnitId) -> Result<PropertyId> {
    let found: Option<(i64,)> =
        Sql::new("SELECT property_id FROM units WHERE id = ?").bind(unit.0).fetch_optional(db).await?;
    found.map(|(id,)| PropertyId(id)).ok_or_else(|| ServiceError::validation(Field::Unit, "no such unit"))
}

/// A tenant account for a new tenancy: the one named, or a new one without a password.
async fn tenant_for(db: &mut Db, now: DateTime<Utc>, tenant: &TenantInput) -> Result<UserId> {
    match tenant {
        TenantInput::Existing(id) => {
            let found: Option<(String,)> =
                Sql::new("SELECT role FROM users WHERE id = ?").bind(id.0).fetch_optional(&mut *db).await?;
            match found {
                Some((role,)) if role == Role::Tenant.as_str() => Ok(*id),
                _ => Err(ServiceError::validation(Field::Tenant, "choose a tenant")),
            }
        }
        TenantInput::New { name, email, phone } => {
            let name = input::required(Field::Name, "tenant's name", name, MAX_LINE_CHARS)?;
            let email =
                normalise_email(email).map_err(|err| ServiceError::validation(Field::Email, err.to_string()))?;
            let phone = input::optional_some(Field::Phone, "phone number", Some(phone), 30)?;
            let taken: Option<(i64,)> = Sql::new("SELECT id FROM users WHERE lower(email) = lower(?)")
                .bind(&email)
                .fetch_optional(&mut *db)
                .await?;
            if taken.is_some() {
                return Err(ServiceError::validation(Field::Email, format!("There is already an account for {email}")));
            }
            users::insert_without_password(db, now, Role::Tenant, &email, &name, phone.as_deref()).await
        }
    }
}

/// Lets a unit to a tenant from a day (and, if known, to a day).
pub async fn add_tenancy(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    tenancy: &NewTenancy,
) -> Result<PropertyDetail> {
    require_agency(actor)?;
    check_dates(tenancy.started_on, tenancy.ended_on)?;
    let access = check_access(&tenancy.access)?;
    let mut tx = store.write().await?;
    let property = property_of_unit(&mut tx, tenancy.unit).await?;
    let tenant = tenant_for(&mut tx, now, &tenancy.tenant).await?;
    insert_tenancy(&mut tx, tenancy.unit, tenant, tenancy.started_on, tenancy.ended_on, &access).await?;
    tx.commit().await?;
    detail(store, actor, now, property).await
}

pub(crate) async fn insert_tenancy(
    db: &mut Db,
    unit: UnitId,
    tenant: UserId,
    started_on: NaiveDate,
    ended_on: Option<NaiveDate>,
    access: &AccessInstructions,
) -> Result<()> {
    Sql::new(
        "INSERT INTO tenancies (unit_id, tenant_id, started_on, ended_on, gate_code, lockbox_code, pets, best_contact,
                                preferred_times)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(unit.0)
    .bind(tenant.0)
    .bind(started_on.to_string())
    .bind(ended_on.map(|day| day.to_string()))
    .bind(access.gate_code.as_deref())
    .bind(access.lockbox_code.as_deref())
    .bind(&access.pets)
    .bind(&access.best_contact)
    .bind(&access.preferred_times)
    .execute(db)
    .await?;
    Ok(())
}

/// Changes a tenancy's dates or access instructions; ending it (an `ended_on` in the
/// past) stops new requests for it. Orders already raised keep their own instructions.
pub async fn update_tenancy(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    update: &TenancyUpdate,
) -> Result<PropertyDetail> {
    require_agency(actor)?;
    check_dates(update.started_on, update.ended_on)?;
    let access = check_access(&update.access)?;
    let mut tx = store.write().await?;
    let found: Option<(i64,)> =
        Sql::new("SELECT n.property_id FROM tenancies t JOIN units n ON n.id = t.unit_id WHERE t.id = ?")
            .bind(update.id.0)
            .fetch_optional(&mut tx)
            .await?;
    let (property,) = found.ok_or_else(|| ServiceError::not_found(format!("Tenancy {}", update.id.0)))?;
    Sql::new(
        "UPDATE tenancies SET started_on = ?, ended_on = ?, gate_code = ?, lockbox_code = ?, pets = ?, best_contact = ?,
                              preferred_times = ?
         WHERE id = ?",
    )
    .bind(update.started_on.to_string())
    .bind(update.ended_on.map(|day| day.to_string()))
    .bind(access.gate_code.as_deref())
    .bind(access.lockbox_code.as_deref())
    .bind(&access.pets)
    .bind(&access.best_contact)
    .bind(&access.preferred_times)
    .bind(update.id.0)
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    detail(store, actor, now, PropertyId(property)).await
}

/// Active accounts of `role` (landlords for a property, tenants for a tenancy), by name.
pub async fn people(store: &Store, actor: Actor, role: Role) -> Result<Vec<PersonOption>> {
    require_agency(actor)?;
    if !matches!(role, Role::Landlord | Role::Tenant) {
        return Err(ServiceError::validation(Field::Id, "properties name landlords and tenants only"));
    }
    let rows: Vec<(i64, String, String)> = Sql::new(
        "SELECT id, name, email FROM users WHERE role = ? AND deactivated_at IS NULL ORDER BY lower(name), id",
    )
    .bind(role.as_str())
    .fetch_all(store)
    .await?;
    Ok(rows.into_iter().map(|(id, name, email)| PersonOption { id: UserId(id), name, email }).collect())
}
