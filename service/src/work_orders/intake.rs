//! Intake: a tenant's request (or staff's, on the tenant's behalf) becomes a triaged
//! work order with its SLA clocks running.

use crate::agency;
use crate::db::{Db, Sql};
use crate::emergencies;
use crate::error::{Result, ServiceError};
use crate::history::{self, Event};
use crate::store::Store;
use crate::time::to_secs;
use chrono::{DateTime, Utc};
use plumbline_domain::EventKind;
use plumbline_domain::api::{AccessInstructions, Field, MAX_ACCESS_CHARS, SubmitRequest, Submitted};
use plumbline_domain::role::Party;
use plumbline_domain::sla;
use plumbline_domain::triage::{Triage, TriageInput, triage};
use plumbline_domain::visibility::CodesOn;
use plumbline_domain::{Actor, Priority, Reference, Role, State, WorkOrderId};

pub use plumbline_domain::api::MAX_DESCRIPTION_CHARS;

#[derive(sqlx::FromRow)]
struct Tenancy {
    unit_id: i64,
    property_id: i64,
    tenant_id: i64,
    gate_code: Option<String>,
    lockbox_code: Option<String>,
    pets: String,
    best_contact: String,
    preferred_times: String,
    /// Agency-local days (`YYYY-MM-DD`); current from the first through the last.
    started_on: String,
    ended_on: Option<String>,
    /// The agency no longer manages the property.
    archived: bool,
}

impl Tenancy {
    /// Requests are raised only for a home the tenant lives in today.
    fn check_current(&self, today: &str) -> Result<()> {
        let refuse = |why: String| Err(ServiceError::validation(Field::Tenancy, why));
        if self.archived {
            return refuse("this property is archived: the agency no longer manages it".into());
        }
        match &self.ended_on {
            Some(ended) if ended.as_str() < today => {
                refuse(format!("this tenancy ended on {ended}; pick the tenant's current home"))
            }
            _ if self.started_on.as_str() > today => {
                refuse(format!("this tenancy starts on {}; requests can be raised from then", self.started_on))
            }
            _ => Ok(()),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Subcategory {
    category_id: i64,
    category: String,
    name: String,
    #[sqlx(try_from = "String")]
    default_priority: Priority,
    keywords: String,
    /// What to try meanwhile (the sub-category's tips, else its category's).
    tips: String,
}

pub async fn submit(store: &Store, actor: Actor, now: DateTime<Utc>, request: &SubmitRequest) -> Result<Submitted> {
    let description = check_description(&request.description)?;
    let mut tx = store.write().await?;
    let tenancy = tenancy(&mut tx, request).await?;
    let on_behalf = match actor.role {
        Role::Staff | Role::Admin => true,
        Role::Tenant if tenancy.tenant_id == actor.user_id.0 => false,
        Role::Tenant | Role::Landlord | Role::Contractor => {
            return Err(ServiceError::NotAllowed("only the tenant or agency staff can raise a request".into()));
        }
    };
    let sub: Subcategory = Sql::new(
        "SELECT c.id AS category_id, c.name AS category, s.name, s.default_priority,
                trim(c.emergency_keywords || ',' || s.emergency_keywords, ',') AS keywords,
                CASE WHEN trim(s.troubleshooting) = '' THEN c.troubleshooting ELSE s.troubleshooting END AS tips
         FROM categories s JOIN categories c ON c.id = s.parent_id WHERE s.id = ?",
    )
    .bind(request.subcategory.0)
    .fetch_optional(&mut tx)
    .await?
    .ok_or_else(|| ServiceError::validation(Field::Subcategory, "unknown category; pick one from the list"))?;
    let submitter = if on_behalf { Party::Agency } else { Party::RequestingTenant };
    let access = access_for(request.access.as_ref(), &tenancy, submitter.may_see_access_codes(CodesOn::Tenancy))?;

    let settings = agency::settings_in(&mut tx).await?;
    tenancy.check_current(&settings.calendar.local_date(now).to_string())?;
    let keywords: Vec<String> = sub.keywords.split(',').map(str::to_owned).collect();
    let triaged = triage(TriageInput {
        category_default: sub.default_priority,
        severity: request.severity,
        text: description,
        extra_keywords: &keywords,
        today: settings.calendar.local_date(now),
    });
    let due = sla::due_times(now, triaged.priority, &settings.sla, &settings.calendar);
    let (id,): (i64,) = Sql::new(
        "INSERT INTO work_orders (unit_id, property_id, tenancy_id, tenant_id, raised_by, category_id, subcategory_id,
             severity, priority, priority_rank, triage_reason, description, gate_code, lockbox_code, pets, best_contact,
             preferred_times, state, opened_at, respond_by, resolve_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(tenancy.unit_id)
    .bind(tenancy.property_id)
    .bind(request.tenancy.0)
    .bind(tenancy.tenant_id)
    .bind(actor.user_id.0)
    .bind(sub.category_id)
    .bind(request.subcategory.0)
    .bind(request.severity.as_str())
    .bind(triaged.priority.as_str())
    .bind(triaged.priority.rank())
    .bind(triaged.explanation())
    .bind(description)
    .bind(access.gate_code)
    .bind(access.lockbox_code)
    .bind(access.pets)
    .bind(access.best_contact)
    .bind(access.preferred_times)
    .bind(State::New.as_str())
    .bind(to_secs(now))
    .bind(to_secs(due.respond_by))
    .bind(to_secs(due.resolve_by))
    .bind(to_secs(now))
    .fetch_one(&mut tx)
    .await?;
    let by_staff = if on_behalf { " (raised by staff on the tenant's behalf)" } else { "" };
    let id = WorkOrderId(id);
    let note = format!("New maintenance task: {} – {}{by_staff}", sub.category, sub.name);
    let event = Event {
        order: id,
        at: now,
        actor: Some(actor.user_id),
        kind: EventKind::Submission,
        from: None,
        to: Some(State::New),
        note: &note,
    };
    let event_id = history::record(&mut tx, &event).await?;
    let emergency = triaged.priority == Priority::Emergency;
    if emergency {
        emergencies::raise(&mut tx, id, event_id, now).await?;
    }
    tx.commit().await?;
    Ok(Submitted {
        id,
        reference: Reference::of(id),
        priority: triaged.priority,
        triage_reason: triaged.explanation(),
        emergency_contact: settings.escalation_contact.filter(|_| emergency),
        respond_by: due.respond_by,
        meanwhile: if emergency { meanwhile(&triaged, &sub.tips) } else { String::new() },
    })
}

/// Until help arrives: the safety steps for what the request mentions (a gas smell, a
/// flood), else the category's own tips.
fn meanwhile(triaged: &Triage, tips: &str) -> String {
    let advice = triaged.safety_advice();
    if advice.is_empty() { tips.trim().to_owned() } else { advice.join(" ") }
}

fn check_description(text: &str) -> Result<&str> {
    let description = text.trim();
    if description.is_empty() {
        return Err(ServiceError::validation(Field::Description, "describe the problem"));
    }
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        let message = format!("the description is longer than {MAX_DESCRIPTION_CHARS} characters");
        return Err(ServiceError::validation(Field::Description, message));
    }
    Ok(description)
}

async fn tenancy(tx: &mut Db, request: &SubmitRequest) -> Result<Tenancy> {
    Sql::new(
        "SELECT t.unit_id, u.property_id, t.tenant_id, t.gate_code, t.lockbox_code, t.pets, t.best_contact,
                t.preferred_times, t.started_on, t.ended_on, p.archived_at IS NOT NULL AS archived
         FROM tenancies t JOIN units u ON u.id = t.unit_id JOIN properties p ON p.id = u.property_id WHERE t.id = ?",
    )
    .bind(request.tenancy.0)
    .fetch_optional(tx)
    .await?
    .ok_or_else(|| ServiceError::validation(Field::Tenancy, "no such tenancy"))
}

/// The request's own instructions, else the tenancy's; every field bounded. A submitter
/// who was never shown the tenancy's codes (a tenant) cannot send them back: a code they
/// leave empty is the tenancy's, one they type replaces it.
fn access_for(given: Option<&AccessInstructions>, tenancy: &Tenancy, codes_seen: bool) -> Result<AccessInstructions> {
    let on_file = AccessInstructions {
        gate_code: tenancy.gate_code.clone(),
        lockbox_code: tenancy.lockbox_code.clone(),
        pets: tenancy.pets.clone(),
        best_contact: tenancy.best_contact.clone(),
        preferred_times: tenancy.preferred_times.clone(),
    };
    let access = match given {
        None => on_file,
        Some(given) if codes_seen => given.clone(),
        Some(given) => AccessInstructions {
            gate_code: given.gate_code.clone().or(on_file.gate_code),
            lockbox_code: given.lockbox_code.clone().or(on_file.lockbox_code),
            ..given.clone()
        },
    };
    let fields = [
        (Field::GateCode, access.gate_code.as_deref().unwrap_or("")),
        (Field::LockboxCode, access.lockbox_code.as_deref().unwrap_or("")),
        (Field::Pets, access.pets.as_str()),
        (Field::BestContact, access.best_contact.as_str()),
        (Field::PreferredTimes, access.preferred_times.as_str()),
    ];
    for (field, value) in fields {
        if value.chars().count() > MAX_ACCESS_CHARS {
            return Err(ServiceError::validation(field, format!("keep this under {MAX_ACCESS_CHARS} characters")));
        }
    }
    Ok(access)
}
