//! Tenancies as staff find them when a tenant rings: current ones only, found by what a
//! caller says first (their name, street, postcode or flat).

use crate::agency;
use crate::db::{Sql, contains_pattern};
use crate::error::{Result, ServiceError};
use crate::store::Store;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{AccessInstructions, Field, TenancyChoice};
use plumbline_domain::ids::TenancyId;
use plumbline_domain::role::Party;
use plumbline_domain::visibility::CodesOn;
use plumbline_domain::{Actor, Role, UserId};

/// Longer than any name and address together; more is a paste gone wrong.
pub const MAX_QUERY_CHARS: usize = 100;
pub const MAX_RESULTS: u32 = 50;

#[derive(sqlx::FromRow)]
struct TenancyRecord {
    id: i64,
    tenant: String,
    street: String,
    city: String,
    postcode: String,
    unit: String,
    gate_code: Option<String>,
    lockbox_code: Option<String>,
    pets: String,
    best_contact: String,
    preferred_times: String,
}

/// Current tenancies where every word of `query` appears (case-insensitively) in the
/// tenant's name, the street, the postcode or the unit; by tenant name. An empty query
/// lists the first `limit`. Staff see every tenancy, a tenant only their own.
pub async fn search(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    query: &str,
    limit: u32,
) -> Result<Vec<TenancyChoice>> {
    let only_tenant = searchable_by(actor)?;
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(ServiceError::validation(
            Field::Query,
            format!("search with at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    if limit == 0 || limit > MAX_RESULTS {
        return Err(ServiceError::validation(Field::Limit, format!("ask for 1 to {MAX_RESULTS} tenancies")));
    }
    // Dates are stored as agency-local days; a tenancy is current through its last day.
    let today = agency::settings(store).await?.calendar.local_date(now).to_string();
    let mut sql = Sql::new(
        "SELECT t.id, u.name AS tenant, p.street, p.city, p.postcode, n.label AS unit, t.gate_code, t.lockbox_code,
                t.pets, t.best_contact, t.preferred_times
         FROM tenancies t JOIN users u ON u.id = t.tenant_id JOIN units n ON n.id = t.unit_id
              JOIN properties p ON p.id = n.property_id
         WHERE p.archived_at IS NULL AND t.started_on <= ",
    );
    sql.push_bind(today.clone()).push(" AND (t.ended_on IS NULL OR t.ended_on >= ").push_bind(today).push(")");
    if let Some(tenant) = only_tenant {
        sql.push(" AND t.tenant_id = ").push_bind(tenant.0);
    }
    for word in query.split_whitespace() {
        let pattern = contains_pattern(word);
        sql.push(" AND (");
        for (i, column) in ["u.name", "p.street", "p.postcode", "n.label"].into_iter().enumerate() {
            let or = if i == 0 { "" } else { " OR " };
            sql.push(format_args!("{or}{column} ILIKE ")).push_bind(pattern.clone()).push(" ESCAPE '\\'");
        }
        sql.push(")");
    }
    sql.push(" ORDER BY u.name, p.street, n.label, t.id LIMIT ").push_bind(i64::from(limit));
    let records: Vec<TenancyRecord> = sql.fetch_all(store).await?;
    // The order page's rule: a tenant's own tenancy shows them no codes either.
    let party = if only_tenant.is_some() { Party::RequestingTenant } else { Party::Agency };
    let codes_visible = party.may_see_access_codes(CodesOn::Tenancy);
    Ok(records.into_iter().map(|record| choice(record, codes_visible)).collect())
}

/// `Some(tenant)` when the actor may search only their own tenancies.
fn searchable_by(actor: Actor) -> Result<Option<UserId>> {
    match actor.role {
        Role::Staff | Role::Admin => Ok(None),
        Role::Tenant => Ok(Some(actor.user_id)),
        Role::Landlord | Role::Contractor => {
            Err(ServiceError::NotAllowed("only agency staff can look up tenancies".into()))
        }
    }
}

fn choice(r: TenancyRecord, codes_visible: bool) -> TenancyChoice {
    TenancyChoice {
        id: TenancyId(r.id),
        tenant: r.tenant,
        address: format!("{}, {} {}", r.street, r.city, r.postcode),
        unit: r.unit,
        access: AccessInstructions {
            gate_code: r.gate_code.filter(|_| codes_visible),
            lockbox_code: r.lockbox_code.filter(|_| codes_visible),
            pets: r.pets,
            best_contact: r.best_contact,
            preferred_times: r.preferred_times,
        },
    }
}
