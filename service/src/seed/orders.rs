//! Generated work orders with their whole history.

use super::AgencySize;
use super::messages::{Talk, insert_conversation};
use super::people::{Agency, Category, Contractor, Subcategory, Unit};
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::history::{self, Event, Readings};
use crate::time::to_secs;
use anyhow::anyhow;
use chrono::Timelike;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::EventKind;
use plumbline_domain::lifecycle::transition;
use plumbline_domain::role::Party;
use plumbline_domain::sla::{self, SlaTargets, WorkingCalendar};
use plumbline_domain::triage::{TriageInput, triage};
use plumbline_domain::visibility::Note;
use plumbline_domain::{Action, Priority, Severity, State, UserId, WorkOrderId};
use rand::Rng;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;

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
        Action::Approve | Action::DeclineEstimate => Party::OwningLandlord,
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

fn note_for(action: Action, subcategory: &str, rng: &mut SmallRng) -> &'static str {
    let options: &[&str] = match action {
        Action::Reject => &["Tenant responsibility under the tenancy agreement", "Duplicate of an earlier request"],
        Action::Cancel => {
            &["Tenant fixed it themselves", "Raised in error", "Resolved by the building's managing agent"]
        }
        Action::Complete => work_done(subcategory),
        Action::RequestApproval => &["Quote above the landlord's approval limit"],
        Action::Approve => &["Approved, please go ahead"],
        Action::DeclineEstimate => &["Too much: please get a second quote"],
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

/// What a contractor writes on completing a job of this kind.
fn work_done(subcategory: &str) -> &'static [&'static str] {
    match subcategory {
        "Leak" => {
            &["Replaced the failed joint under the sink and tested, no more leaks", "Repaired the pipe and dried out"]
        }
        "Blocked drain" => &["Cleared blockage, all running freely", "Rodded the drain and flushed it through"],
        "Toilet" => &["Replaced the fill valve, cistern fills and stops properly", "Fitted a new seat and hinges"],
        "Taps" => &["New washer and cartridge, no more drips", "Tightened and resealed the mixer tap"],
        "Power" | "Sockets and switches" => {
            &["Replaced the faulty socket and tested the circuit", "Found a failed RCD, replaced it and tested"]
        }
        "Lighting" | "Bulbs and fittings" => {
            &["Replaced the fitting and lamps, all working", "Refitted the bracket securely"]
        }
        "Boiler" => &[
            "Replaced the pressure valve and repressurised, heating and hot water back",
            "Serviced and reset the boiler",
        ],
        "Radiators" => &["Bled and balanced the radiators, all heating evenly", "Replaced the leaking valve"],
        "Ventilation" => &["Fitted a new extractor fan with a humidity sensor", "Cleaned and rebalanced the fan"],
        "Oven and hob" => &["Replaced the oven element and tested", "Replaced the hob igniters, all rings light"],
        "Fridge freezer" => &["Defrosted and replaced the door seal", "Replaced the thermostat, holding temperature"],
        "Washing machine" => &["Cleared the pump filter and drain hose, drains properly", "Replaced the door seal"],
        "Doors and locks" => {
            &["Replaced the lock cylinder, door secures, new keys to the tenant", "Eased and rehung the door"]
        }
        "Windows" => &["Reglazed the broken pane", "Fitted a new handle and checked the locks"],
        "Flooring" => {
            &["Refixed the laminate and fitted a threshold strip", "Restretched and refixed the stair carpet"]
        }
        "Roof and walls" => {
            &["Replaced the slipped tiles", "Treated the damp patch and found the cause: a blocked gutter, cleared"]
        }
        "Rodents" => &["Laid bait, sealed entry points, follow-up visit booked", "Sealed gaps under the kitchen units"],
        "Insects" => &["Treated and removed the nest", "Treated the entry points"],
        "Smoke and CO detectors" => &["Replaced the detector and tested the alarm", "Fitted a new battery and tested"],
        _ => &["Repaired and made good"],
    }
}

/// Most tenants pick the category's usual severity; some feel it is worse or milder.
fn tenant_severity(usual: Priority, rng: &mut SmallRng) -> Severity {
    let ladder = [Severity::Emergency, Severity::Urgent, Severity::Routine, Severity::Low];
    let usual = usual.rank() as usize;
    let index = match rng.gen_range(0..20) {
        0..=2 => usual.saturating_sub(1),
        3..=5 => (usual + 1).min(3),
        _ => usual,
    };
    ladder[index]
}

/// When each step happened: within a span typical of the priority, never after `now`.
fn step_times(
    opened: DateTime<Utc>,
    priority: Priority,
    steps: usize,
    now: DateTime<Utc>,
    calendar: &WorkingCalendar,
    rng: &mut SmallRng,
) -> Vec<DateTime<Utc>> {
    let typical_hours = match priority {
        Priority::Emergency => 20,
        Priority::Urgent => 60,
        Priority::Routine => 200,
        Priority::Low => 500,
    };
    let age = (now - opened).num_seconds().max(1);
    let span = (typical_hours * 3600 * rng.gen_range(50..150) / 100).min(age);
    let mut times: Vec<DateTime<Utc>> = (0..steps)
        .map(|_| opened + Duration::seconds(rng.gen_range(1..=span.max(1))))
        .map(|at| in_working_hours(at, calendar).clamp(opened, now))
        .collect();
    times.sort_unstable();
    times
}

/// The same day between 08:00 and 18:00 local time: people (and contractors' visits)
/// keep daytime hours, so the demo's history has no visit at 02:00.
fn in_working_hours(at: DateTime<Utc>, calendar: &WorkingCalendar) -> DateTime<Utc> {
    let local = at.with_timezone(&calendar.time_zone).naive_local();
    if (8..18).contains(&local.hour()) {
        return at;
    }
    let daytime = local.date().and_hms_opt(8 + local.hour() % 10, local.minute(), 0).unwrap_or(local);
    calendar.to_utc(daytime)
}

/// A three-hour window around the visit (the Start step), or, for an order still
/// waiting for its visit, on one of the next working days.
fn appointment_window(
    visit: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    calendar: &WorkingCalendar,
    rng: &mut SmallRng,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = match visit {
        Some(visit) => {
            // Booked on the hour, starting between 08:00 and 15:00 so it ends by 18:00.
            let local = in_working_hours(visit, calendar).with_timezone(&calendar.time_zone).naive_local();
            let hour = local.time().hour().saturating_sub(1).clamp(8, 15);
            calendar.to_utc(local.date().and_hms_opt(hour, 0, 0).unwrap_or(local))
        }
        None => {
            let day = calendar.add_business_days(now, rng.gen_range(0..3)).with_timezone(&calendar.time_zone);
            let hour = *[9u32, 12, 15].choose(rng).unwrap_or(&9);
            calendar.to_utc(day.date_naive().and_hms_opt(hour, 0, 0).unwrap_or_default())
        }
    };
    (start, start + Duration::hours(3))
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
    tx: &mut Db,
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
        let contractor = suitable
            .choose(rng)
            .copied()
            .or_else(|| agency.contractors.first())
            .ok_or_else(|| anyhow!("no contractors"))?;
        let plan = OrderPlan {
            unit,
            category,
            subcategory,
            contractor,
            opened,
            severity: tenant_severity(subcategory.default_priority, rng),
            description: subcategory.descriptions.choose(rng).copied().unwrap_or("Needs a look"),
        };
        events += insert_order(tx, rng, agency, &plan, &calendar, &targets, now).await?;
    }
    Ok((size.orders, events))
}

async fn insert_order(
    tx: &mut Db,
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
    let (order_id,): (i64,) = Sql::new(
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
    .fetch_one(&mut *tx)
    .await?;

    let submitted = format!("New maintenance task: {} – {}", plan.category.name, plan.subcategory.name);
    let order = WorkOrderId(order_id);
    let tenant = Some(UserId(plan.unit.tenant_id));
    let event = Event {
        order,
        at: plan.opened,
        actor: tenant,
        kind: EventKind::Submission,
        from: None,
        to: Some(State::New),
        note: &submitted,
    };
    history::record_quietly(tx, &event).await?;

    let mut state = State::New;
    let times = step_times(plan.opened, triaged.priority, steps.len(), now, calendar, rng);
    let mut at = plan.opened;
    for (index, &action) in steps.iter().enumerate() {
        let party = party_for(action, tenant_first);
        let next = transition(state, action, party).map_err(|e| anyhow!("generated path invalid: {e}"))?;
        at = times[index];
        let actor = match party {
            Party::OwningLandlord => Some(plan.unit.landlord_id),
            Party::AssignedContractor => Some(plan.contractor.id),
            Party::RequestingTenant => Some(plan.unit.tenant_id),
            Party::Agency | Party::System | Party::Unrelated => Some(staff),
        };
        // The generated words are read by whom the domain says, as a person's would be.
        let (note, readings) = Readings::of(&Note::said(action, note_for(action, plan.subcategory.name, rng)));
        let event = Event {
            order,
            at,
            actor: actor.map(UserId),
            kind: EventKind::Step(action),
            from: Some(state),
            to: Some(next),
            note: &note,
        };
        history::record_quietly_read_as(tx, &event, &readings).await?;
        let visit = times.get(index + 1).copied();
        apply_effects(tx, rng, order_id, action, (at, visit, now), plan, calendar).await?;
        state = next;
    }
    Sql::new("UPDATE work_orders SET state = ?, updated_at = ?, version = ? WHERE id = ?")
        .bind(state.as_str())
        .bind(to_secs(at))
        .bind(steps.len() as i64 + 1)
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
    if !state.is_not_closed() || state == State::Completed {
        let talk = Talk {
            order_id,
            tenant_id: plan.unit.tenant_id,
            contractor_id: steps.contains(&Action::Assign).then_some(plan.contractor.id),
            subcategory: plan.subcategory.name,
            opened: plan.opened,
            finished: at,
        };
        insert_conversation(tx, rng, agency, &talk).await?;
    }
    Ok(steps.len() + 1)
}

/// What each step changes on the order besides its state.
async fn apply_effects(
    tx: &mut Db,
    rng: &mut SmallRng,
    order_id: i64,
    action: Action,
    (at, next_step, now): (DateTime<Utc>, Option<DateTime<Utc>>, DateTime<Utc>),
    plan: &OrderPlan<'_>,
    calendar: &WorkingCalendar,
) -> Result<()> {
    let at_secs = to_secs(at);
    let query = match action {
        Action::RequestApproval => {
            Sql::new("UPDATE work_orders SET estimate_minor = ?, responded_at = coalesce(responded_at, ?) WHERE id = ?")
                .bind(rng.gen_range(520..1_800_i64) * 100)
                .bind(at_secs)
        }
        Action::Approve => Sql::new("UPDATE work_orders SET approved_minor = estimate_minor WHERE id = ?"),
        Action::DeclineEstimate => Sql::new("UPDATE work_orders SET estimate_minor = NULL WHERE id = ?"),
        Action::Assign => {
            Sql::new("UPDATE work_orders SET contractor_id = ?, responded_at = coalesce(responded_at, ?) WHERE id = ?")
                .bind(plan.contractor.id)
                .bind(at_secs)
        }
        Action::Schedule => {
            let (start, end) = appointment_window(next_step, now, calendar, rng);
            Sql::new("UPDATE work_orders SET appointment_start = ?, appointment_end = ? WHERE id = ?")
                .bind(to_secs(start))
                .bind(to_secs(end))
        }
        Action::Complete => Sql::new("UPDATE work_orders SET completed_at = ?, invoice_minor = ? WHERE id = ?")
            .bind(at_secs)
            .bind(rng.gen_range(60..480_i64) * 100),
        Action::Close | Action::ConfirmDone | Action::Cancel | Action::AutoClose | Action::Reject => {
            Sql::new("UPDATE work_orders SET closed_at = ?, responded_at = coalesce(responded_at, ?) WHERE id = ?")
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
    query.bind(order_id).execute(tx).await?;
    Ok(())
}
