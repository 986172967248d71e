//! Generated work orders with their whole history.

use super::AgencySize;
use super::messages::{Talk, insert_conversation};
use super::people::{Agency, Category, Contractor, Subcategory, Unit};
use super::season;
use super::timeline::{self, Course};
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::history::{self, Event, Readings};
use crate::time::to_secs;
use anyhow::anyhow;
use chrono::{DateTime, Duration, Utc};
use chrono::{Datelike, Timelike};
use plumbline_domain::EventKind;
use plumbline_domain::lifecycle::transition;
use plumbline_domain::repeat::REPEAT_WINDOW_DAYS;
use plumbline_domain::role::Party;
use plumbline_domain::sla::{self, SlaDue, SlaTargets, WorkingCalendar};
use plumbline_domain::triage::{Triage, TriageInput, triage};
use plumbline_domain::visibility::Note;
use plumbline_domain::{Action, Priority, Severity, State, UserId, WorkOrderId};
use rand::Rng;
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;

fn party_for(action: Action, tenant_first: bool) -> Party {
    match action {
        Action::Approve | Action::DeclineEstimate => Party::OwningLandlord,
        Action::Accept | Action::Schedule | Action::Start | Action::Complete => Party::AssignedContractor,
        Action::ConfirmDone | Action::Rate | Action::ReportNotDone => Party::RequestingTenant,
        Action::Cancel if tenant_first => Party::RequestingTenant,
        Action::SetPriority
        | Action::RequestApproval
        | Action::Reject
        | Action::Assign
        | Action::Reassign
        | Action::Decline
        | Action::RequestReschedule
        | Action::Reopen
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
        Action::ReportNotDone => &["Still leaking after the visit", "It stopped working again the next day"],
        Action::Reopen => &["Photos show the job is not finished", "Invoice says a part is still on order"],
        Action::SetPriority
        | Action::Assign
        | Action::Reassign
        | Action::Decline
        | Action::Accept
        | Action::Schedule
        | Action::RequestReschedule
        | Action::Start
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
    let mut earlier: Vec<Earlier> = Vec::new();
    for (index, opened) in openings(size, now, rng).into_iter().enumerate() {
        let newest = size.orders - index;
        let mut hold = HELD.iter().find(|(held, ..)| *held == newest).map(|(_, state, share)| (*state, *share));
        let plan = match repeat_of(&earlier, opened, rng) {
            Some(again) => again_plan(agency, categories, again, opened, rng)?,
            None => fresh_plan(agency, categories, opened, rng)?,
        };
        earlier.push(Earlier {
            opened,
            unit: plan.unit_index,
            category: plan.category_index,
            contractor: plan.contractor_index,
        });
        let mut order = plan.order(agency, categories)?;
        if let Some(&(_, used, state)) = ON_THE_CLOCK.iter().find(|(held, ..)| *held == newest) {
            (order, hold) = kept_on_the_clock(order, now, (&calendar, &targets), used, state);
        }
        events += insert_order(tx, rng, agency, &order, (&calendar, &targets), hold, now).await?;
    }
    Ok((size.orders, events))
}

/// Recent orders held at each stage of the work (the 2nd newest still new, the 5th
/// awaiting approval…), so the demo shows work in hand at every stage whatever the day
/// it is generated on; the others stand wherever their story has reached. Each held
/// order's steps are done by the given share of its age: the 60th newest was completed
/// early in its life and never confirmed, so it waits for the engine to close it.
const HELD: [(usize, State, f64); 8] = [
    (2, State::New, 0.9),
    (5, State::AwaitingApproval, 0.9),
    (8, State::Assigned, 0.9),
    (11, State::Accepted, 0.9),
    (14, State::Scheduled, 0.9),
    (18, State::InProgress, 0.9),
    (24, State::Completed, 0.9),
    (60, State::Completed, 0.25),
];

/// Recent orders whose resolution clock stands where a desk's would whatever the day
/// the demo is generated on (the others' clocks fall where their stories put them): the
/// 22nd newest booked with a tenth of its window left (at risk), the 27th started and
/// past its window (breached). Each is (newest-but-N, share of the window used, stage).
const ON_THE_CLOCK: [(usize, f64, State); 2] = [(22, 0.9, State::Scheduled), (27, 1.25, State::InProgress)];

/// `order` as one that has used `used` of its resolution window at `now`: the tenant
/// called it urgent and it reached `state` well within the response target. Returns the
/// order, raised that long ago, and where to hold it.
fn kept_on_the_clock<'a>(
    order: OrderPlan<'a>,
    now: DateTime<Utc>,
    (calendar, targets): (&WorkingCalendar, &SlaTargets),
    used: f64,
    state: State,
) -> (OrderPlan<'a>, Option<(State, f64)>) {
    let order = OrderPlan { severity: Severity::Urgent, ..order };
    let priority = triaged(&order, calendar).priority;
    let windows = |opened: DateTime<Utc>| {
        let due = sla::due_times(opened, priority, targets, calendar);
        (due.respond_by - opened, due.resolve_by - opened)
    };
    // A window in business days depends on when it opens: settle on an opening.
    let mut opened = now;
    for _ in 0..3 {
        opened = now - Duration::seconds((windows(opened).1.num_seconds() as f64 * used) as i64);
    }
    let age = (now - opened).num_seconds().max(1) as f64;
    let done_by = windows(opened).0.num_seconds() as f64 / 2.0 / age;
    (OrderPlan { opened, ..order }, Some((state, done_by.min(0.9))))
}

/// How many of `steps` bring a new order to `state`, if they do.
fn steps_to(steps: &[Action], state: State, tenant_first: bool) -> Option<usize> {
    let mut now_in = State::New;
    if now_in == state {
        return Some(0);
    }
    for (index, action) in steps.iter().enumerate() {
        now_in = transition(now_in, *action, party_for(*action, tenant_first)).ok()?;
        if now_in == state {
            return Some(index + 1);
        }
    }
    None
}

/// When each order was raised, oldest first (so ids and references grow with time, as
/// in real use): skewed towards recent months as an active agency's history is, and
/// busier in winter.
fn openings(size: AgencySize, now: DateTime<Utc>, rng: &mut SmallRng) -> Vec<DateTime<Utc>> {
    let mut openings = Vec::with_capacity(size.orders);
    while openings.len() < size.orders {
        let share: f64 = rng.r#gen::<f64>().powi(2);
        let opened = now - Duration::seconds((share * (size.days_of_history * 86_400) as f64) as i64 + 600);
        if rng.gen_bool(season::busyness(opened.month())) {
            openings.push(opened);
        }
    }
    openings.sort();
    openings
}

/// An order raised earlier, by indexes into the agency's lists.
struct Earlier {
    opened: DateTime<Utc>,
    unit: usize,
    category: usize,
    contractor: usize,
}

/// Per cent of requests that are the same fault again at a unit with a recent one.
const REPEAT_PERCENT: f64 = 7.0;

/// An earlier order (of the last six months) this one repeats, now and then.
fn repeat_of<'a>(earlier: &'a [Earlier], opened: DateTime<Utc>, rng: &mut SmallRng) -> Option<&'a Earlier> {
    if !rng.gen_bool(REPEAT_PERCENT / 100.0) {
        return None;
    }
    let recent = earlier.iter().rev().take_while(|e| opened - e.opened < Duration::days(REPEAT_WINDOW_DAYS));
    recent.collect::<Vec<_>>().choose(rng).copied()
}

/// What an order is about and who does it, by indexes until it is inserted.
struct Planned {
    unit_index: usize,
    category_index: usize,
    subcategory_index: usize,
    contractor_index: usize,
    opened: DateTime<Utc>,
    severity: Severity,
    description: &'static str,
}

impl Planned {
    fn order<'a>(&self, agency: &'a Agency, categories: &'a [Category]) -> Result<OrderPlan<'a>> {
        let missing = || anyhow!("a generated order names something not generated");
        let category = categories.get(self.category_index).ok_or_else(missing)?;
        Ok(OrderPlan {
            unit: agency.units.get(self.unit_index).ok_or_else(missing)?,
            category,
            subcategory: category.subcategories.get(self.subcategory_index).ok_or_else(missing)?,
            contractor: agency.contractors.get(self.contractor_index).ok_or_else(missing)?,
            opened: self.opened,
            severity: self.severity,
            description: self.description,
        })
    }
}

/// A new fault: any unit, a category as likely as the season makes it.
fn fresh_plan(agency: &Agency, categories: &[Category], opened: DateTime<Utc>, rng: &mut SmallRng) -> Result<Planned> {
    let unit_index = rng.gen_range(0..agency.units.len().max(1));
    let weights: Vec<f64> = categories.iter().map(|c| season::category_weight(c.name, opened.month())).collect();
    let category_index = WeightedIndex::new(&weights).map_err(|e| anyhow!("category weights: {e}"))?.sample(rng);
    let suitable: Vec<usize> =
        (0..agency.contractors.len()).filter(|i| agency.contractors[*i].categories.contains(&category_index)).collect();
    let contractor_index = suitable.choose(rng).copied().unwrap_or(0);
    planned(categories, unit_index, category_index, contractor_index, opened, rng)
}

/// The same kind of fault again at the same unit; often the same contractor comes back.
fn again_plan(
    agency: &Agency,
    categories: &[Category],
    again: &Earlier,
    opened: DateTime<Utc>,
    rng: &mut SmallRng,
) -> Result<Planned> {
    let contractor_index = if rng.gen_bool(0.6) {
        again.contractor
    } else {
        let suitable: Vec<usize> = (0..agency.contractors.len())
            .filter(|i| agency.contractors[*i].categories.contains(&again.category))
            .collect();
        suitable.choose(rng).copied().unwrap_or(again.contractor)
    };
    planned(categories, again.unit, again.category, contractor_index, opened, rng)
}

fn planned(
    categories: &[Category],
    unit_index: usize,
    category_index: usize,
    contractor_index: usize,
    opened: DateTime<Utc>,
    rng: &mut SmallRng,
) -> Result<Planned> {
    let category = categories.get(category_index).ok_or_else(|| anyhow!("no category {category_index}"))?;
    let subcategory_index = rng.gen_range(0..category.subcategories.len().max(1));
    let subcategory = category.subcategories.get(subcategory_index).ok_or_else(|| anyhow!("no subcategories"))?;
    Ok(Planned {
        unit_index,
        category_index,
        subcategory_index,
        contractor_index,
        opened,
        severity: tenant_severity(subcategory.default_priority, rng),
        description: subcategory.descriptions.choose(rng).copied().unwrap_or("Needs a look"),
    })
}

async fn insert_order(
    tx: &mut Db,
    rng: &mut SmallRng,
    agency: &Agency,
    plan: &OrderPlan<'_>,
    (calendar, targets): (&WorkingCalendar, &SlaTargets),
    hold: Option<(State, f64)>,
    now: DateTime<Utc>,
) -> Result<usize> {
    let triaged = triaged(plan, calendar);
    let due = sla::due_times(plan.opened, triaged.priority, targets, calendar);
    let tenant_first = rng.gen_bool(0.5);
    let course = match hold {
        Some((State::AwaitingApproval, _)) => Course::ApprovedRepair,
        Some(_) => Course::Repair,
        None => Course::Any,
    };
    let mut story = timeline::story(plan.opened, due, plan.contractor.quality, tenant_first, course, rng);
    let held = hold.and_then(|(state, share)| Some((steps_to(&story.steps, state, tenant_first)?, share)));
    let taken = match held {
        Some((steps, share)) => {
            story.hold_after(steps, plan.opened, now, share);
            steps
        }
        None => story.taken_by(now),
    };
    let staff = *agency.staff.choose(rng).ok_or_else(|| anyhow!("no staff"))?;
    let raised_by = if rng.gen_bool(0.8) { plan.unit.tenant_id } else { staff };
    let order_id = insert_row(tx, plan, &triaged, due, raised_by).await?;

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
    let mut at = plan.opened;
    for (index, &action) in story.steps[..taken].iter().enumerate() {
        let party = party_for(action, tenant_first);
        let next = transition(state, action, party).map_err(|e| anyhow!("generated path invalid: {e}"))?;
        at = story.times[index];
        let actor = match party {
            Party::OwningLandlord => Some(plan.unit.landlord_id),
            Party::AssignedContractor => Some(plan.contractor.id),
            Party::RequestingTenant => Some(plan.unit.tenant_id),
            Party::Agency | Party::System | Party::Unrelated => Some(staff),
        };
        let stars = (action == Action::Rate).then(|| plan.contractor.quality.stars(rng));
        // The generated words are read by whom the domain says, as a person's would be.
        let said = match stars {
            Some(stars) => Note::plain(format!("Rated {stars}/5.")),
            None => Note::said(action, note_for(action, plan.subcategory.name, rng)),
        };
        let (note, readings) = Readings::of(&said);
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
        // The visit a booking is for: the story's next step, which may be still to come.
        let visit = story.times.get(index + 1).copied();
        apply_effects(tx, rng, order_id, action, (at, visit, now, stars), plan, calendar).await?;
        state = next;
    }
    Sql::new("UPDATE work_orders SET state = ?, updated_at = ?, version = ? WHERE id = ?")
        .bind(state.as_str())
        .bind(to_secs(at))
        .bind(taken as i64 + 1)
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
    if !state.is_not_closed() || state == State::Completed {
        let talk = Talk {
            order_id,
            tenant_id: plan.unit.tenant_id,
            contractor_id: story.steps[..taken].contains(&Action::Assign).then_some(plan.contractor.id),
            subcategory: plan.subcategory.name,
            opened: plan.opened,
            finished: at,
        };
        insert_conversation(tx, rng, agency, &talk).await?;
    }
    Ok(taken + 1)
}

/// The priority triage gives the order as the tenant described it.
fn triaged(plan: &OrderPlan<'_>, calendar: &WorkingCalendar) -> Triage {
    triage(TriageInput {
        category_default: plan.subcategory.default_priority,
        severity: plan.severity,
        text: plan.description,
        extra_keywords: &[],
        today: calendar.local_date(plan.opened),
    })
}

/// The order as raised, before any step: its row, with the tenancy's access details.
async fn insert_row(tx: &mut Db, plan: &OrderPlan<'_>, triaged: &Triage, due: SlaDue, raised_by: i64) -> Result<i64> {
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
    .bind(raised_by)
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
    Ok(order_id)
}

/// What each step changes on the order besides its state.
async fn apply_effects(
    tx: &mut Db,
    rng: &mut SmallRng,
    order_id: i64,
    action: Action,
    (at, next_step, now, stars): (DateTime<Utc>, Option<DateTime<Utc>>, DateTime<Utc>, Option<i64>),
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
        Action::Assign => Sql::new(
            "UPDATE work_orders SET contractor_id = ?, offered_at = ?, responded_at = coalesce(responded_at, ?) WHERE id = ?",
        )
        .bind(plan.contractor.id)
        .bind(at_secs)
        .bind(at_secs),
        Action::Accept => Sql::new("UPDATE work_orders SET accepted_at = ? WHERE id = ?").bind(at_secs),
        Action::Start => Sql::new("UPDATE work_orders SET started_at = coalesce(started_at, ?) WHERE id = ?").bind(at_secs),
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
        Action::Reopen | Action::ReportNotDone => {
            Sql::new("UPDATE work_orders SET completed_at = NULL, sent_back = sent_back + 1 WHERE id = ?")
        }
        Action::Rate => Sql::new("UPDATE work_orders SET rating = ? WHERE id = ?").bind(stars.unwrap_or(4)),
        Action::SetPriority
        | Action::Reassign
        | Action::Decline
        | Action::RequestReschedule => return Ok(()),
    };
    query.bind(order_id).execute(tx).await?;
    Ok(())
}
