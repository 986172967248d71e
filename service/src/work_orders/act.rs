//! Taking a step on an order: check the graph and the actor's role, validate the step's
//! input, then change the order and write its history event in one transaction.
//! A refused step changes nothing.

use super::access::push_visible_to;
use super::amounts;
use super::limits;
use super::policy::policy_for;
use crate::agency;
use crate::contractors;
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::history::{self, Event, Readings};
use crate::landlords;
use crate::notifications;
use crate::quotes;
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use chrono::{DateTime, Utc};
use plumbline_domain::EventKind;
use plumbline_domain::api::{ActOnWorkOrder, Field, Step};
use plumbline_domain::approval::{ApprovalRoute, ApprovalThresholds};
use plumbline_domain::lifecycle::transition_under;
use plumbline_domain::role::{OrderParties, Party};
use plumbline_domain::sla;
use plumbline_domain::visibility::{Fact, Note};
use plumbline_domain::{Action, Actor, MoneyMinor, Priority, Reference, State, UserId, WorkOrderId};

/// Longest reason, note or report a step accepts.
pub const MAX_NOTE_CHARS: usize = 2000;

#[derive(sqlx::FromRow)]
struct OrderFacts {
    #[sqlx(try_from = "String")]
    state: State,
    version: i64,
    #[sqlx(try_from = "String")]
    priority: Priority,
    opened_at: i64,
    landlord_id: i64,
    tenant_id: Option<i64>,
    contractor_id: Option<i64>,
    estimate_minor: Option<i64>,
    approved_minor: Option<i64>,
    appointment_start: Option<i64>,
    notify_from_minor: Option<i64>,
    approval_above_minor: Option<i64>,
}

/// The order's state after the step, and its new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub state: State,
    pub version: i64,
}

pub async fn act(store: &Store, actor: Actor, now: DateTime<Utc>, request: &ActOnWorkOrder) -> Result<Outcome> {
    let mut tx = store.write().await?;
    let outcome = act_in(&mut tx, actor, now, request, None).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// [`act`] inside the caller's transaction (approving a quote is a step and more).
/// `because`, when given, ends the history's note ("Quote from Acme Plumbing").
pub(crate) async fn act_in(
    tx: &mut Db,
    actor: Actor,
    now: DateTime<Utc>,
    request: &ActOnWorkOrder,
    because: Option<&str>,
) -> Result<Outcome> {
    let facts = load_facts(tx, actor, request.id).await?;
    let state = facts.state;
    let party = facts.parties().party_of(actor);
    if facts.version != request.version {
        return Err(ServiceError::Conflict);
    }
    let policy = policy_for(tx, request.id).await?;
    let mut next = transition_under(&policy, state, request.step.action(), party)?;
    limits::check_step(tx, request.id, actor, request.step.action(), now).await?;
    let mut change = plan_change(tx, &facts, party, now, &request.step).await?;
    if change.stay_in_state {
        next = state;
    }

    let mut update = Sql::new("UPDATE work_orders SET state = ");
    update.push_bind(next.as_str()).push(", version = version + 1, updated_at = ").push_bind(to_secs(now));
    for assignment in &change.columns {
        match *assignment {
            Assignment::Value(column, value) => update.push(format!(", {column} = ")).push_bind(value),
            Assignment::IfUnset(column, value) => {
                update.push(format!(", {column} = coalesce({column}, ")).push_bind(value).push(")")
            }
            Assignment::Copy(column, from) => update.push(format!(", {column} = {from}")),
            Assignment::Text(column, ref value) => update.push(format!(", {column} = ")).push_bind(value.clone()),
            Assignment::Increment(column) => update.push(format!(", {column} = {column} + 1")),
        };
    }
    update.push(" WHERE id = ").push_bind(request.id.0).push(" AND version = ").push_bind(request.version);
    if update.execute(&mut *tx).await? != 1 {
        return Err(ServiceError::Conflict);
    }
    if let Some(because) = because {
        change.note = change.note.then(format!(". {because}"));
    }
    let (note, readings) = Readings::of(&change.note);
    let event = Event {
        order: request.id,
        at: now,
        actor: Some(actor.user_id),
        kind: EventKind::Step(request.step.action()),
        from: Some(state),
        to: Some(next),
        note: &note,
    };
    let event_id = history::record_read_as(tx, &event, &readings).await?;
    if let (Step::Reassign { .. }, Some(previous)) = (&request.step, facts.contractor_id) {
        notifications::tell_removed_contractor(tx, event_id, request.id, UserId(previous), now).await?;
    }
    quotes::follow_step(tx, request.id, request.step.action(), now).await?;
    Ok(Outcome { state: next, version: request.version + 1 })
}

/// Why `actor` may not take `action` on the order now, in the core's words; `Ok` if they may.
/// Lets the UI answer "why can't I close this?" without re-implementing the graph.
pub async fn explain(store: &Store, actor: Actor, now: DateTime<Utc>, id: WorkOrderId, action: Action) -> Result<()> {
    let mut db = store.read().await?;
    let facts = load_facts(&mut db, actor, id).await?;
    let policy = policy_for(&mut db, id).await?;
    transition_under(&policy, facts.state, action, facts.parties().party_of(actor))?;
    limits::check_step(&mut db, id, actor, action, now).await
}

impl OrderFacts {
    fn parties(&self) -> OrderParties {
        OrderParties {
            landlord: UserId(self.landlord_id),
            tenant: self.tenant_id.map(UserId),
            contractor: self.contractor_id.map(UserId),
        }
    }
}

async fn load_facts(db: &mut Db, actor: Actor, id: WorkOrderId) -> Result<OrderFacts> {
    let mut query = Sql::new(
        "SELECT w.state, w.version, w.priority, w.opened_at, p.landlord_id, w.tenant_id, w.contractor_id,
                w.estimate_minor, w.approved_minor, w.appointment_start, t.notify_from_minor, t.approval_above_minor
         FROM work_orders w
         JOIN properties p ON p.id = w.property_id
         LEFT JOIN landlord_thresholds t ON t.landlord_id = p.landlord_id
         WHERE w.id = ",
    );
    query.push_bind(id.0).push(" AND ");
    push_visible_to(&mut query, actor);
    query.fetch_optional(db).await?.ok_or_else(|| ServiceError::not_found(format!("Work order {}", Reference::of(id))))
}

/// One column a step writes. Column names are fixed in this file, never user input.
enum Assignment {
    Value(&'static str, Option<i64>),
    /// Written only the first time (the response clock stops once).
    IfUnset(&'static str, i64),
    /// Takes another column's value (the approved cost is the estimate).
    Copy(&'static str, &'static str),
    Text(&'static str, String),
    /// One more (the times the work was sent back).
    Increment(&'static str),
}

/// What a step writes besides state and version.
#[derive(Default)]
struct Change {
    columns: Vec<Assignment>,
    /// Who reads which part is `domain::visibility`'s to say (amounts, staff's reasons).
    note: Note,
    /// A step the graph allows that, given its input, leaves the state as it is
    /// (an estimate under the landlord's threshold needs no approval).
    stay_in_state: bool,
}

impl Change {
    fn noted(note: impl Into<Note>) -> Self {
        Self { note: note.into(), ..Self::default() }
    }

    fn set(mut self, column: &'static str, value: Option<i64>) -> Self {
        self.columns.push(Assignment::Value(column, value));
        self
    }

    /// The work goes back to the contractor: not completed after all, and counted.
    fn sent_back(mut self) -> Self {
        self.columns.push(Assignment::Increment("sent_back"));
        self.set("completed_at", None)
    }

    /// Sets `column` to `now` the first time only.
    fn first(mut self, column: &'static str, now: DateTime<Utc>) -> Self {
        self.columns.push(Assignment::IfUnset(column, to_secs(now)));
        self
    }

    /// The first response stops the response clock; later ones leave it.
    fn responded(self, now: DateTime<Utc>) -> Self {
        self.first("responded_at", now)
    }
}

async fn plan_change(tx: &mut Db, facts: &OrderFacts, party: Party, now: DateTime<Utc>, step: &Step) -> Result<Change> {
    let now_secs = Some(to_secs(now));
    // What the person taking the step wrote; the domain decides who reads it.
    let said = |text: String| Note::said(step.action(), text);
    Ok(match step {
        Step::SetPriority { priority, reason } => {
            let reason = required(Field::Reason, reason)?;
            let due = priority_due(tx, facts, *priority).await?;
            let note = Note::plain(format!("Priority set to {}", priority.as_str()))
                .then_for(Fact::Words(Action::SetPriority), format!(": {reason}"));
            let mut change = Change::noted(note)
                .set("priority_rank", Some(priority.rank()))
                .set("respond_by", Some(to_secs(due.respond_by)))
                .set("resolve_by", Some(to_secs(due.resolve_by)));
            change.columns.push(Assignment::Text("priority", priority.as_str().to_owned()));
            change
                .columns
                .push(Assignment::Text("triage_reason", format!("set to {} by staff: {reason}", priority.as_str())));
            change
        }
        Step::RequestApproval { estimate_minor } => request_approval(tx, facts, *estimate_minor, now).await?,
        Step::Approve { note } => {
            let on_behalf = if party == Party::Agency { " (staff, on the landlord's behalf)" } else { "" };
            let approved = Note::plain("Approved").then_for(Fact::ApprovalTerms, on_behalf).then(". ");
            let mut change =
                Change::noted(approved.then_for(Fact::Words(Action::Approve), optional(Field::Note, note)?));
            change.columns.push(Assignment::Copy("approved_minor", "estimate_minor"));
            change
        }
        Step::DeclineEstimate { reason } => decline_estimate(tx, facts, party, reason).await?,
        Step::Reject { reason } => {
            Change::noted(said(required(Field::Reason, reason)?)).set("closed_at", now_secs).responded(now)
        }
        Step::Assign { contractor } => {
            let company = assignable(tx, *contractor, now).await?;
            Change::noted(format!("Assigned to {company}"))
                .set("contractor_id", Some(contractor.0))
                .set("offered_at", now_secs)
                .responded(now)
        }
        Step::Reassign { contractor, reason } => {
            let reason = required(Field::Reason, reason)?;
            if Some(contractor.0) == facts.contractor_id {
                return Err(ServiceError::validation(Field::Contractor, "the order is already with this contractor"));
            }
            let company = assignable(tx, *contractor, now).await?;
            let note = Note::plain(format!("Reassigned to {company}"))
                .then_for(Fact::Words(Action::Reassign), format!(": {reason}"));
            Change::noted(note).set("contractor_id", Some(contractor.0)).set("offered_at", now_secs)
        }
        Step::Decline { reason } => Change::noted(said(required(Field::Reason, reason)?)).set("contractor_id", None),
        Step::Accept => Change::default().set("accepted_at", now_secs),
        // Work starts once, however often it stops and starts again.
        Step::Start => Change::noted(before_appointment(tx, facts, now, "Started").await?.unwrap_or_default())
            .first("started_at", now),
        Step::Schedule { start, end } => schedule(tx, *start, *end, now).await?,
        Step::RequestReschedule { note } => Change::noted(said(required(Field::Note, note)?)),
        Step::Complete { notes, invoice_minor, approve_overrun } => {
            let invoice = *invoice_minor;
            let notes = required(Field::Notes, notes)?;
            let (ceiling, currency) = amounts::ceiling(tx, facts.estimate_minor, facts.approved_minor).await?;
            let overrun = amounts::check_invoice(&ceiling, &currency, invoice, party, approve_overrun.as_deref())?;
            let mut note =
                said(notes).then_for(Fact::Invoice, format!(" (invoice {})", invoice.in_currency(&currency)));
            if let Some(overrun) = overrun {
                note = note.then_for(Fact::Invoice, format!(". {overrun}"));
            }
            if let Some(early) = before_appointment(tx, facts, now, "Completed").await? {
                note = note.then(format!(". {early}"));
            }
            Change::noted(note).set("invoice_minor", Some(invoice.minor_units())).set("completed_at", now_secs)
        }
        Step::Reopen { reason } => Change::noted(said(required(Field::Reason, reason)?)).sent_back(),
        Step::ReportNotDone { report } => Change::noted(said(required(Field::Report, report)?)).sent_back(),
        Step::ConfirmDone => Change::noted("Tenant confirmed the work is done").set("closed_at", now_secs),
        Step::Close { note } => Change::noted(said(optional(Field::Note, note)?)).set("closed_at", now_secs),
        Step::Cancel { reason } => Change::noted(said(required(Field::Reason, reason)?)).set("closed_at", now_secs),
        Step::Rate { stars, comment } => {
            if !(1..=5).contains(stars) {
                return Err(ServiceError::validation(Field::Stars, "a rating is 1 to 5 stars"));
            }
            let comment = optional(Field::Comment, comment)?;
            let mut change = Change::noted(
                Note::plain(format!("Rated {stars}/5. ")).then_for(Fact::Words(Action::Rate), comment.clone()),
            )
            .set("rating", Some(i64::from(*stars)));
            change.columns.push(Assignment::Text("rating_comment", comment));
            change
        }
    })
}

/// The estimate is recorded; the landlord's limits decide whether it waits for them or
/// staff approve it now.
async fn request_approval(tx: &mut Db, facts: &OrderFacts, estimate: MoneyMinor, now: DateTime<Utc>) -> Result<Change> {
    amounts::check_estimate(tx, estimate).await?;
    let currency = agency::settings_in(tx).await?.currency;
    let limits = thresholds(facts);
    let route = limits.route(estimate, facts.priority);
    let mut change = Change::noted(approval_note(route, estimate, &limits, &currency));
    if !route.needs_landlord_approval() {
        change.stay_in_state = true;
        change = change.set("approved_minor", Some(estimate.minor_units()));
    }
    Ok(change.set("estimate_minor", Some(estimate.minor_units())).responded(now))
}

/// The landlord's "no" to the estimate on record, kept in the history with their reason.
async fn decline_estimate(tx: &mut Db, facts: &OrderFacts, party: Party, reason: &str) -> Result<Change> {
    let reason = required(Field::Reason, reason)?;
    let currency = agency::settings_in(tx).await?.currency;
    let estimate = facts.estimate_minor.and_then(|minor| MoneyMinor::try_from(minor).ok());
    let amount = estimate.map(|estimate| format!(" of {}", estimate.in_currency(&currency))).unwrap_or_default();
    let by = if party == Party::Agency { "The landlord (by staff)" } else { "The landlord" };
    let note = Note::plain(format!("{by} declined the estimate"))
        .then_for(Fact::Estimate, amount)
        .then_for(Fact::Words(Action::DeclineEstimate), format!(": {reason}"));
    Ok(Change::noted(note).set("estimate_minor", None).set("approved_minor", None))
}

/// An appointment window, written in the agency's time.
async fn schedule(tx: &mut Db, start: DateTime<Utc>, end: DateTime<Utc>, now: DateTime<Utc>) -> Result<Change> {
    if end <= start {
        return Err(ServiceError::validation(Field::End, "the appointment must end after it starts"));
    }
    if end <= now {
        return Err(ServiceError::validation(Field::Start, "the appointment window is already over"));
    }
    let calendar = agency::settings_in(tx).await?.calendar;
    let (from, to) = (calendar.local(start), calendar.local(end));
    Ok(Change::noted(format!("Appointment {} – {}", from.format("%a %-d %b %H:%M"), to.format("%H:%M")))
        .set("appointment_start", Some(to_secs(start)))
        .set("appointment_end", Some(to_secs(end))))
}

/// "Started before the appointment booked for Tue 24 Nov 10:00": said in the history
/// (and to the tenant and staff it notifies) when work begins or ends ahead of the time
/// the tenant was told; `None` when it is not early.
async fn before_appointment(tx: &mut Db, facts: &OrderFacts, now: DateTime<Utc>, what: &str) -> Result<Option<String>> {
    let Some(start) = facts.appointment_start.map(from_secs) else { return Ok(None) };
    if now >= start {
        return Ok(None);
    }
    let booked = agency::settings_in(tx).await?.calendar.local(start);
    Ok(Some(format!("{what} before the appointment booked for {}", booked.format("%a %-d %b %H:%M"))))
}

/// What the history (and the landlord's notification) says of an estimate: sent for
/// approval, or approved by staff and why they could. The amount is the budget's readers'
/// (`Fact::Estimate`); why staff could approve, the landlord's and the agency's.
fn approval_note(route: ApprovalRoute, estimate: MoneyMinor, limits: &ApprovalThresholds, currency: &str) -> Note {
    let (estimate, above) = (estimate.in_currency(currency), limits.approval_above.in_currency(currency));
    let amount = format!(" {estimate}");
    match route {
        ApprovalRoute::LandlordMustApprove => {
            Note::plain("Estimate").then_for(Fact::Estimate, amount).then(" sent to the landlord for approval")
        }
        ApprovalRoute::EmergencyStaffApproveNotifyLandlord => Note::plain("Emergency: estimate")
            .then_for(Fact::Estimate, amount)
            .then(" approved by staff so the work can start now")
            .then_for(
                Fact::ApprovalTerms,
                format!(" (above the landlord's {above} approval limit; the landlord is told)"),
            ),
        ApprovalRoute::StaffApproveNotifyLandlord | ApprovalRoute::StaffApprove => Note::plain("Estimate")
            .then_for(Fact::Estimate, amount)
            .then(" approved by staff")
            .then_for(Fact::ApprovalTerms, format!(" (within the landlord's {above} approval limit)")),
    }
}

fn thresholds(facts: &OrderFacts) -> ApprovalThresholds {
    landlords::limits_or_defaults(facts.notify_from_minor, facts.approval_above_minor)
}

/// New SLA due times when staff change the priority: the clocks restart from opening.
async fn priority_due(tx: &mut Db, facts: &OrderFacts, priority: Priority) -> Result<sla::SlaDue> {
    let settings = agency::settings_in(tx).await?;
    Ok(sla::due_times(from_secs(facts.opened_at), priority, &settings.sla, &settings.calendar))
}

/// A contractor may be assigned only with an active account, current insurance and no
/// expired licence; staff see why not.
pub(crate) async fn assignable(tx: &mut Db, contractor: UserId, now: DateTime<Utc>) -> Result<String> {
    let found: Option<(String, Option<String>, Option<String>, bool)> = Sql::new(
        "SELECT k.company, k.insurance_expires_on, k.licence_expires_on, u.deactivated_at IS NOT NULL
         FROM contractors k JOIN users u ON u.id = k.user_id WHERE k.user_id = ?",
    )
    .bind(contractor.0)
    .fetch_optional(&mut *tx)
    .await?;
    let (company, insurance, licence, deactivated) =
        found.ok_or_else(|| ServiceError::validation(Field::Contractor, "no such contractor"))?;
    if deactivated {
        return Err(ServiceError::validation(Field::Contractor, format!("{company}'s account has been deactivated")));
    }
    let today = agency::settings_in(tx).await?.calendar.local_date(now);
    match contractors::blocked(&company, insurance.as_deref(), licence.as_deref(), today) {
        Some(reason) => {
            Err(ServiceError::validation(Field::Contractor, format!("{reason}, so they cannot be assigned")))
        }
        None => Ok(company),
    }
}

fn required(field: Field, text: &str) -> Result<String> {
    let text = optional(field, text)?;
    if text.is_empty() {
        return Err(ServiceError::validation(field, missing(field)));
    }
    Ok(text)
}

/// What to write, in the words the form's label uses ("Work done", "Reason").
fn missing(field: Field) -> String {
    let said = [
        (Field::Notes, "say what work was done"),
        (Field::Report, "say what is still wrong"),
        (Field::Reason, "give a reason"),
    ];
    said.iter()
        .find(|(known, _)| *known == field)
        .map_or_else(|| format!("a {} is required", field.as_str()), |(_, message)| (*message).to_owned())
}

fn optional(field: Field, text: &str) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > MAX_NOTE_CHARS {
        let message = format!("the {} is longer than {MAX_NOTE_CHARS} characters", field.as_str());
        return Err(ServiceError::validation(field, message));
    }
    Ok(text.to_owned())
}
