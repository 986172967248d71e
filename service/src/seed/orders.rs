//! Generated work orders with their whole history.

use super::AgencySize;
use super::people::{Agency, Category, Contractor, Subcategory, Unit};
use crate::error::Result;
use crate::time::to_secs;
use anyhow::anyhow;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::lifecycle::transition;
use plumbline_domain::role::Party;
use plumbline_domain::sla::{self, SlaTargets, WorkingCalendar};
use plumbline_domain::triage::{TriageInput, triage};
use plumbline_domain::{Action, Severity, State};
use rand::Rng;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use sqlx::{Sqlite, Transaction};

/// The steps that take a new order to each state.
fn path_to(target: State, rng: &mut SmallRng) -> Vec<Action> {
    use Action::*;
    let delivered = [Assign, Accept, Schedule, Start, Complete];
    match target {
        State::New => vec![],
        State::AwaitingApproval => vec![RequestApproval],
        State::Assigned => delivered[..1].to_vec(),
        State::Accepted => delivered[..2].to_vec(),
        State::Scheduled => delivered[..3].to_vec(),
        State::InProgress => delivered[..4].to_vec(),
        State::Completed => delivered.to_vec(),
        State::Closed => {
            let close = if rng.gen_bool(0.6) { ConfirmDone } else { Close };
            let mut steps = if rng.gen_bool(0.1) { vec![RequestApproval, Approve] } else { vec![] };
            steps.extend(delivered);
            steps.push(close);
            steps
        }
        State::Rejected => vec![Reject],
        State::Cancelled => {
            if rng.gen_bool(0.5) {
                vec![Cancel]
            } else {
                vec![Assign, Cancel]
            }
        }
    }
}

/// Older orders are mostly finished; recent ones are spread over the open states.
fn target_state(age_days: i64, rng: &mut SmallRng) -> State {
    let roll = rng.gen_range(0..100);
    if age_days > 21 {
        match roll {
            0..=84 => State::Closed,
            85..=92 => State::Cancelled,
            93..=97 => State::Rejected,
            _ => State::Completed,
        }
    } else {
        match roll {
            0..=14 => State::New,
            15..=21 => State::AwaitingApproval,
            22..=33 => State::Assigned,
            34..=43 => State::Accepted,
            44..=58 => State::Scheduled,
            59..=70 => State::InProgress,
            71..=80 => State::Completed,
            81..=92 => State::Closed,
            _ => State::Cancelled,
        }
    }
}

fn party_for(action: Action, tenant_first: bool) -> Party {
    match action {
        Action::Approve => Party::OwningLandlord,
        Action::Accept | Action::Schedule | Action::Start | Action::Complete => Party::AssignedContractor,
        Action::ConfirmDone | Action::Rate => Party::RequestingTenant,
        Action::Cancel if tenant_first => Party::RequestingTenant,
        Action::SetPriority
        | Action::RequestApproval
        | Action::Reject
        | Action::Assign
        | Action::Reassign
        | Action::Decline
        | Action::RequestReschedule
        | Action::Reopen
        | Action::ReportNotDone
        | Action::Close
        | Action::AutoClose
        | Action::Cancel => Party::Agency,
    }
}

fn note_for(action: Action, rng: &mut SmallRng) -> &'static str {
    let options: &[&str] = match action {
        Action::Reject => &["Tenant responsibility under the tenancy agreement", "Duplicate of an earlier request"],
        Action::Cancel => &["Tenant fixed it themselves", "Raised in error", "Resolved by the building's managing agent"],
        Action::Complete => &["Replaced faulty part and tested", "Cleared blockage, all running freely", "Repaired and made good"],
        Action::RequestApproval => &["Quote above the landlord's approval limit"],
        Action::Approve => &["Approved, please go ahead"],
        Action::Close => &["Reviewed photos and invoice"],
        Action::ConfirmDone => &["All working now, thank you"],
        Action::SetPriority
        | Action::Assign
        | Action::Reassign
        | Action::Decline
        | Action::Accept
        | Action::Schedule
        | Action::RequestReschedule
        | Action::Start
        | Action::Reopen
        | Action::ReportNotDone
        | Action::AutoClose
        | Action::Rate => &[""],
    };
    options.choose(rng).copied().unwrap_or("")
}

struct OrderPlan<'a> {
    unit: &'a Unit,
    category: &'a Category,
    subcategory: &'a Subcategory,
    contractor: &'a Contractor,
    opened: DateTime<Utc>,
    severity: Severity,
    description: &'static str,
}

pub async fn insert_orders(
    tx: &mut Transaction<'_, Sqlite>,
    rng: &mut SmallRng,
    size: AgencySize,
    agency: &Agency,
    categories: &[Category],
    now: DateTime<Utc>,
) -> Result<(usize, usize)> {
    let calendar = WorkingCalendar::uk_default();
    let targets = SlaTargets::default();
    let mut events = 0;
    // Oldest first, so ids (and references) grow with time as they would in real use.
    let mut openings: Vec<DateTime<Utc>> = (0..size.orders)
        .map(|_| {
            // Squaring skews towards recent orders, as an active agency's history looks.
            let share: f64 = rng.r#gen::<f64>().powi(2);
            now - Duration::seconds((share * (size.days_of_history * 86_400) as f64) as i64 + 600)
        })
        .collect();
    openings.sort();
    for opened in openings {
        let unit = agency.units.choose(rng).ok_or_else(|| anyhow!("no units"))?;
        let category_index = rng.gen_range(0..categories.len());
        let category = &categories[category_index];
        let subcategory = category.subcategories.choose(rng).ok_or_else(|| anyhow!("no subcategories"))?;
        let suitable: Vec<&Contractor> =
            agency.contractors.iter().filter(|c| c.categories.contains(&category_index)).collect();
        let contractor = suitable.choose(rng).copied().or_else(|| agency.contractors.first()).ok_or_else(|| anyhow!("no contractors"))?;
        let plan = OrderPlan {
            unit,
            category,
            subcategory,
            contractor,
            opened,
            severity: *[Severity::Urgent, Severity::Routine, Severity::Routine, Severity::Low, Severity::Emergency]
                .choose(rng)
                .unwrap_or(&Severity::Routine),
            description: subcategory.descriptions.choose(rng).copied().unwrap_or("Needs a look"),
        };
        events += insert_order(tx, rng, agency, &plan, &calendar, &targets, now).await?;
    }
    Ok((size.orders, events))
}

async fn insert_order(
    tx: &mut Transaction<'_, Sqlite>,
    rng: &mut SmallRng,
    agency: &Agency,
    plan: &OrderPlan<'_>,
    calendar: &WorkingCalendar,
    targets: &SlaTargets,
    now: DateTime<Utc>,
) -> Result<usize> {
    let triaged = triage(TriageInput {
        category_default: plan.subcategory.default_priority,
        severity: plan.severity,
        text: plan.description,
        extra_keywords: &[],
        today: calendar.local_date(plan.opened),
    });
    let due = sla::due_times(plan.opened, triaged.priority, targets, calendar);
    let age_days = (now - plan.opened).num_days();
    let tenant_first = rng.gen_bool(0.5);
    let steps = path_to(target_state(age_days, rng), rng);
    let staff = *agency.staff.choose(rng).ok_or_else(|| anyhow!("no staff"))?;
    let (order_id,): (i64,) = sqlx::query_as(
        "INSERT INTO work_orders (unit_id, property_id, tenancy_id, tenant_id, raised_by, category_id, subcategory_id,
             severity, priority, priority_rank, triage_reason, description, gate_code, lockbox_code, pets, best_contact,
             preferred_times, state, opened_at, respond_by, resolve_by, updated_at)
         SELECT ?, ?, t.id, t.tenant_id, ?, ?, ?, ?, ?, ?, ?, ?, t.gate_code, t.lockbox_code, t.pets, t.best_contact,
             t.preferred_times, 'New', ?, ?, ?, ?
         FROM tenancies t WHERE t.id = ?
         RETURNING id",
    )
    .bind(plan.unit.id)
    .bind(plan.unit.property_id)
    .bind(if rng.gen_bool(0.8) { plan.unit.tenant_id } else { staff })
    .bind(plan.category.id)
    .bind(plan.subcategory.id)
    .bind(plan.severity.as_str())
    .bind(triaged.priority.as_str())
    .bind(triaged.priority.rank())
    .bind(triaged.explanation())
    .bind(plan.description)
    .bind(to_secs(plan.opened))
    .bind(to_secs(due.respond_by))
    .bind(to_secs(due.resolve_by))
    .bind(to_secs(plan.opened))
    .bind(plan.unit.tenancy_id)
    .fetch_one(&mut **tx)
    .await?;

    let submitted = format!("New maintenance task: {} – {}", plan.category.name, plan.subcategory.name);
    insert_event(tx, order_id, plan.opened, Some(plan.unit.tenant_id), "Submit", None, Some(State::New), &submitted).await?;

    let mut state = State::New;
    let mut at = plan.opened;
    // The history fits in the order's age, so nothing happens in the future.
    let span = (now - plan.opened).num_seconds().max(steps.len() as i64 + 1);
    let gap = span / (steps.len() as i64 + 1);
    for &action in &steps {
        let party = party_for(action, tenant_first);
        let next = transition(state, action, party).map_err(|e| anyhow!("generated path invalid: {e}"))?;
        at += Duration::seconds(rng.gen_range(gap / 2..=gap.max(1)));
        let actor = match party {
            Party::OwningLandlord => Some(plan.unit.landlord_id),
            Party::AssignedContractor => Some(plan.contractor.id),
            Party::RequestingTenant => Some(plan.unit.tenant_id),
            Party::Agency | Party::System | Party::Unrelated => Some(staff),
        };
        let note = note_for(action, rng);
        insert_event(tx, order_id, at, actor, &format!("{action:?}"), Some(state), Some(next), note).await?;
        apply_effects(tx, rng, order_id, action, at, plan, calendar).await?;
        state = next;
    }
    sqlx::query("UPDATE work_orders SET state = ?, updated_at = ?, version = ? WHERE id = ?")
        .bind(state.as_str())
        .bind(to_secs(at))
        .bind(steps.len() as i64 + 1)
        .bind(order_id)
        .execute(&mut **tx)
        .await?;
    Ok(steps.len() + 1)
}

/// What each step changes on the order besides its state.
async fn apply_effects(
    tx: &mut Transaction<'_, Sqlite>,
    rng: &mut SmallRng,
    order_id: i64,
    action: Action,
    at: DateTime<Utc>,
    plan: &OrderPlan<'_>,
    calendar: &WorkingCalendar,
) -> Result<()> {
    let at_secs = to_secs(at);
    let query = match action {
        Action::RequestApproval => sqlx::query("UPDATE work_orders SET estimate_minor = ?, responded_at = coalesce(responded_at, ?) WHERE id = ?")
            .bind(rng.gen_range(520..1_800) * 100)
            .bind(at_secs),
        Action::Approve => sqlx::query("UPDATE work_orders SET approved_minor = estimate_minor WHERE id = ?"),
        Action::Assign => sqlx::query("UPDATE work_orders SET contractor_id = ?, responded_at = coalesce(responded_at, ?) WHERE id = ?")
            .bind(plan.contractor.id)
            .bind(at_secs),
        Action::Schedule => {
            // A three-hour window on a later working day, in local time.
            let day = calendar.add_business_days(at, rng.gen_range(1..4)).with_timezone(&calendar.time_zone).date_naive();
            let start_hour = *[9u32, 12, 15].choose(rng).unwrap_or(&9);
            let start = calendar.to_utc(day.and_hms_opt(start_hour, 0, 0).unwrap_or_default());
            sqlx::query("UPDATE work_orders SET appointment_start = ?, appointment_end = ? WHERE id = ?")
                .bind(to_secs(start))
                .bind(to_secs(start + Duration::hours(3)))
        }
        Action::Complete => sqlx::query("UPDATE work_orders SET completed_at = ?, invoice_minor = ? WHERE id = ?")
            .bind(at_secs)
            .bind(rng.gen_range(60..480) * 100),
        Action::Close | Action::ConfirmDone | Action::Cancel | Action::AutoClose | Action::Reject => {
            sqlx::query("UPDATE work_orders SET closed_at = ?, responded_at = coalesce(responded_at, ?) WHERE id = ?")
                .bind(at_secs)
                .bind(at_secs)
        }
        Action::SetPriority
        | Action::Reassign
        | Action::Decline
        | Action::Accept
        | Action::RequestReschedule
        | Action::Start
        | Action::Reopen
        | Action::ReportNotDone
        | Action::Rate => return Ok(()),
    };
    query.bind(order_id).execute(&mut **tx).await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    tx: &mut Transaction<'_, Sqlite>,
    order_id: i64,
    at: DateTime<Utc>,
    actor: Option<i64>,
    action: &str,
    from: Option<State>,
    to: Option<State>,
    note: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO work_order_events (work_order_id, at, actor_id, action, from_state, to_state, note)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(order_id)
    .bind(to_secs(at))
    .bind(actor)
    .bind(action)
    .bind(from.map(State::as_str))
    .bind(to.map(State::as_str))
    .bind(note)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
