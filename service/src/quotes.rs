//! Quotes (`domain::quote`): staff ask contractors to price an order; each contractor
//! prices it from their desk (line items, a total) or declines; staff compare them and
//! approve one as the order's cost. Approving goes through the order's own approval step,
//! so the landlord's limits hold as for any estimate: above them the quote is sent to the
//! landlord, who approves it or another. Once one is approved the others are told.
//!
//! A contractor asked to quote is not a party to the order: they read the work, the
//! place and the tenant's words on their request, never the order itself.

use crate::agency;
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::input;
use crate::landlords;
use crate::money;
use crate::notifications;
use crate::properties::require_agency;
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use crate::work_orders::{Outcome, act_in, assignable};
use chrono::{DateTime, Utc};
use plumbline_domain::api::{
    ActOnWorkOrder, AskForQuotes, Field, OrderQuotes, Quote, QuoteRequest, QuoteSubmission, Step,
};
use plumbline_domain::approval::ApprovalThresholds;
use plumbline_domain::ids::QuoteId;
use plumbline_domain::quote::{MAX_ASKED, QuoteLine, QuoteStatus, line_problems, total};
use plumbline_domain::{Action, Actor, MoneyMinor, Priority, Reference, Role, State, UserId, WorkOrderId};

/// Longest note staff add to a request, or a contractor to a quote.
const MAX_NOTE_CHARS: usize = 1000;
/// Most requests a contractor's list shows (open ones always come first).
const MAX_LISTED: i64 = 50;

/// What the rules need of the order a quote is for.
#[derive(sqlx::FromRow)]
struct OrderFacts {
    #[sqlx(try_from = "String")]
    state: State,
    version: i64,
    #[sqlx(try_from = "String")]
    priority: Priority,
    landlord_id: i64,
    notify_from_minor: Option<i64>,
    approval_above_minor: Option<i64>,
}

impl OrderFacts {
    fn thresholds(&self) -> ApprovalThresholds {
        landlords::limits_or_defaults(self.notify_from_minor, self.approval_above_minor)
    }

    /// Staff ask for quotes before the order goes to a contractor.
    fn may_ask(&self, actor: Actor) -> bool {
        actor.role.is_agency() && self.state == State::New
    }

    /// Staff approve while the order is new; the landlord once it waits for them.
    fn may_approve(&self, actor: Actor) -> bool {
        match actor.role {
            Role::Staff | Role::Admin => self.state == State::New,
            Role::Landlord => self.state == State::AwaitingApproval && self.landlord_id == actor.user_id.0,
            Role::Contractor | Role::Tenant => false,
        }
    }
}

/// The order's facts, for staff or its landlord; anyone else is refused.
async fn order_facts(db: &mut Db, actor: Actor, order: WorkOrderId) -> Result<OrderFacts> {
    let facts: Option<OrderFacts> = Sql::new(
        "SELECT w.state, w.version, w.priority, p.landlord_id, t.notify_from_minor, t.approval_above_minor
         FROM work_orders w JOIN properties p ON p.id = w.property_id
         LEFT JOIN landlord_thresholds t ON t.landlord_id = p.landlord_id
         WHERE w.id = ?",
    )
    .bind(order.0)
    .fetch_optional(&mut *db)
    .await?;
    let not_found = || ServiceError::not_found(format!("Work order {}", Reference::of(order)));
    let facts = facts.ok_or_else(not_found)?;
    match actor.role {
        Role::Staff | Role::Admin => Ok(facts),
        Role::Landlord if facts.landlord_id == actor.user_id.0 => Ok(facts),
        Role::Landlord => Err(not_found()),
        Role::Contractor | Role::Tenant => {
            Err(ServiceError::NotAllowed("only the agency and the order's landlord compare its quotes".into()))
        }
    }
}

#[derive(sqlx::FromRow)]
struct QuoteRow {
    id: i64,
    work_order_id: i64,
    contractor_id: i64,
    company: String,
    #[sqlx(try_from = "String")]
    status: QuoteStatus,
    total_minor: i64,
    note: String,
    requested_at: i64,
    answered_at: Option<i64>,
}

const QUOTE_COLUMNS: &str = "q.id, q.work_order_id, q.contractor_id, k.company, q.status, q.total_minor, q.note,
     q.requested_at, q.answered_at";

fn quote_query(condition: &str) -> Sql {
    Sql::new(format!(
        "SELECT {QUOTE_COLUMNS} FROM quotes q JOIN contractors k ON k.user_id = q.contractor_id WHERE {condition}"
    ))
}

impl QuoteRow {
    fn into_quote(self, lines: Vec<QuoteLine>, thresholds: ApprovalThresholds, priority: Priority) -> Result<Quote> {
        let total_minor = money::stored(self.total_minor)?;
        let priced = self.status.may_be_approved() || self.status == QuoteStatus::Approved;
        Ok(Quote {
            id: QuoteId(self.id),
            contractor: UserId(self.contractor_id),
            company: self.company,
            status: self.status,
            lines,
            total_minor,
            note: self.note,
            requested_at: from_secs(self.requested_at),
            answered_at: self.answered_at.map(from_secs),
            needs_landlord: priced && thresholds.route(total_minor, priority).needs_landlord_approval(),
        })
    }
}

async fn lines_of(db: &mut Db, quote: i64) -> Result<Vec<QuoteLine>> {
    let rows: Vec<(String, i64)> =
        Sql::new("SELECT description, amount_minor FROM quote_lines WHERE quote_id = ? ORDER BY line_no")
            .bind(quote)
            .fetch_all(db)
            .await?;
    rows.into_iter()
        .map(|(description, minor)| Ok(QuoteLine { description, amount_minor: money::stored(minor)? }))
        .collect()
}

/// The order's quotes, oldest request first, with what `actor` may do with them.
async fn compare(db: &mut Db, actor: Actor, order: WorkOrderId) -> Result<OrderQuotes> {
    let facts = order_facts(db, actor, order).await?;
    let mut sql = quote_query("q.work_order_id = ");
    sql.push_bind(order.0).push(" ORDER BY q.requested_at, q.id");
    let rows: Vec<QuoteRow> = sql.fetch_all(&mut *db).await?;
    let mut quotes = Vec::with_capacity(rows.len());
    for row in rows {
        let lines = lines_of(db, row.id).await?;
        quotes.push(row.into_quote(lines, facts.thresholds(), facts.priority)?);
    }
    Ok(OrderQuotes {
        order,
        version: facts.version,
        quotes,
        approval_above: facts.thresholds().approval_above,
        may_ask: facts.may_ask(actor),
        may_approve: facts.may_approve(actor),
    })
}

/// The order's quotes side by side (staff, and the order's landlord).
pub async fn for_order(store: &Store, actor: Actor, order: WorkOrderId) -> Result<OrderQuotes> {
    compare(&mut store.read().await?, actor, order).await
}

/// Asks each contractor named to price the order; each is told.
pub async fn ask(store: &Store, actor: Actor, now: DateTime<Utc>, request: &AskForQuotes) -> Result<OrderQuotes> {
    require_agency(actor)?;
    let asked = input::optional(Field::Note, "note", &request.note, MAX_NOTE_CHARS)?;
    let mut contractors = request.contractors.clone();
    contractors.sort_unstable_by_key(|id| id.0);
    contractors.dedup();
    if contractors.is_empty() {
        return Err(ServiceError::validation(Field::Contractor, "choose at least one contractor to ask"));
    }
    if contractors.len() > MAX_ASKED {
        return Err(ServiceError::validation(
            Field::Contractor,
            format!("ask at most {MAX_ASKED} contractors at once"),
        ));
    }
    let mut tx = store.write().await?;
    let facts = order_facts(&mut tx, actor, request.order).await?;
    if !facts.may_ask(actor) {
        let why = format!("quotes are asked for while an order is New; this one is {}", facts.state.label());
        return Err(ServiceError::validation(Field::Contractor, why));
    }
    for contractor in contractors {
        let company = assignable(&mut tx, contractor, now).await?;
        refuse_asked_twice(&mut tx, request.order, contractor, &company).await?;
        Sql::new(
            "INSERT INTO quotes (work_order_id, contractor_id, status, asked, requested_by, requested_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(request.order.0)
        .bind(contractor.0)
        .bind(QuoteStatus::Requested.as_str())
        .bind(&asked)
        .bind(actor.user_id.0)
        .bind(to_secs(now))
        .execute(&mut tx)
        .await?;
        notifications::tell_quoting_contractor(&mut tx, contractor, request.order, "Quote requested", &asked, now)
            .await?;
    }
    let quotes = compare(&mut tx, actor, request.order).await?;
    tx.commit().await?;
    Ok(quotes)
}

async fn refuse_asked_twice(db: &mut Db, order: WorkOrderId, contractor: UserId, company: &str) -> Result<()> {
    let asked: Option<(i64,)> =
        Sql::new("SELECT requested_at FROM quotes WHERE work_order_id = ? AND contractor_id = ?")
            .bind(order.0)
            .bind(contractor.0)
            .fetch_optional(&mut *db)
            .await?;
    let Some((at,)) = asked else { return Ok(()) };
    let day = agency::settings_in(db).await?.calendar.local(from_secs(at)).format("%-d %b");
    Err(ServiceError::validation(Field::Contractor, format!("{company} was already asked for a quote on {day}")))
}

/// Approves a priced quote as the order's cost. Staff within the landlord's limit (or
/// on an emergency) approve it outright; above it, it goes to the landlord. The landlord,
/// while the order waits for them, approves it or any other priced quote.
pub async fn approve(store: &Store, actor: Actor, now: DateTime<Utc>, id: QuoteId) -> Result<OrderQuotes> {
    let mut tx = store.write().await?;
    let quote = quote_row(&mut tx, id).await?;
    let order = WorkOrderId(quote.work_order_id);
    let facts = order_facts(&mut tx, actor, order).await?;
    if !quote.status.may_be_approved() {
        let why =
            format!("{}'s quote is {}, so it cannot be approved", quote.company, quote.status.label().to_lowercase());
        return Err(ServiceError::validation(Field::Quote, why));
    }
    if !facts.may_approve(actor) {
        return Err(ServiceError::validation(Field::Quote, not_now(&facts, actor)));
    }
    propose(&mut tx, order, id).await?;
    let because = format!("Quote from {}", quote.company);
    if actor.role == Role::Landlord {
        // The landlord's choice becomes the estimate they approve.
        Sql::new("UPDATE work_orders SET estimate_minor = ? WHERE id = ?")
            .bind(quote.total_minor)
            .bind(order.0)
            .execute(&mut tx)
            .await?;
        let approve = Step::Approve { note: because };
        act_in(&mut tx, actor, now, &ActOnWorkOrder { id: order, version: facts.version, step: approve }, None).await?;
    } else {
        let estimate = money::stored(quote.total_minor)?;
        let step = Step::RequestApproval { estimate_minor: estimate };
        let request = ActOnWorkOrder { id: order, version: facts.version, step };
        let Outcome { state, .. } = act_in(&mut tx, actor, now, &request, Some(&because)).await?;
        if state == State::New {
            settle(&mut tx, order, now).await?;
        }
    }
    let quotes = compare(&mut tx, actor, order).await?;
    tx.commit().await?;
    Ok(quotes)
}

/// Why `actor` may not approve a quote of this order now.
fn not_now(facts: &OrderFacts, actor: Actor) -> String {
    match (actor.role.is_agency(), facts.state) {
        (true, State::AwaitingApproval) => "the landlord is deciding on the quote sent to them".to_owned(),
        (false, State::New) => "the agency has not sent this order's quotes to you yet".to_owned(),
        (_, state) => format!("this order is {}, past choosing a quote", state.label()),
    }
}

async fn quote_row(db: &mut Db, id: QuoteId) -> Result<QuoteRow> {
    let mut sql = quote_query("q.id = ");
    sql.push_bind(id.0);
    sql.fetch_optional(db).await?.ok_or_else(|| ServiceError::not_found("The quote"))
}

/// Makes `quote` the one the order's approval is about (any other goes back to Submitted).
async fn propose(db: &mut Db, order: WorkOrderId, quote: QuoteId) -> Result<()> {
    Sql::new(
        "UPDATE quotes SET status = CASE WHEN id = ? THEN ? ELSE ? END WHERE work_order_id = ? AND status IN (?, ?)",
    )
    .bind(quote.0)
    .bind(QuoteStatus::Proposed.as_str())
    .bind(QuoteStatus::Submitted.as_str())
    .bind(order.0)
    .bind(QuoteStatus::Submitted.as_str())
    .bind(QuoteStatus::Proposed.as_str())
    .execute(db)
    .await?;
    Ok(())
}

/// What a step on the order means for its quotes: approving makes the proposed quote the
/// approved one; the landlord declining sends it back to be compared; an order rejected
/// or cancelled needs none of its open quotes. Called inside the step's transaction.
pub(crate) async fn follow_step(db: &mut Db, order: WorkOrderId, action: Action, now: DateTime<Utc>) -> Result<()> {
    match action {
        Action::Approve => settle(db, order, now).await,
        Action::DeclineEstimate => {
            Sql::new("UPDATE quotes SET status = ? WHERE work_order_id = ? AND status = ?")
                .bind(QuoteStatus::Submitted.as_str())
                .bind(order.0)
                .bind(QuoteStatus::Proposed.as_str())
                .execute(db)
                .await?;
            Ok(())
        }
        Action::Reject | Action::Cancel => {
            close_open(db, order, "The order was closed, so the quote is no longer needed.", now).await
        }
        Action::SetPriority
        | Action::RequestApproval
        | Action::Assign
        | Action::Reassign
        | Action::Decline
        | Action::Accept
        | Action::Schedule
        | Action::RequestReschedule
        | Action::Start
        | Action::Complete
        | Action::Reopen
        | Action::ReportNotDone
        | Action::ConfirmDone
        | Action::Close
        | Action::AutoClose
        | Action::Rate => Ok(()),
    }
}

/// The proposed quote is approved; every other open one is not chosen, and its
/// contractor told.
async fn settle(db: &mut Db, order: WorkOrderId, now: DateTime<Utc>) -> Result<()> {
    let approved = Sql::new("UPDATE quotes SET status = ?, decided_at = ? WHERE work_order_id = ? AND status = ?")
        .bind(QuoteStatus::Approved.as_str())
        .bind(to_secs(now))
        .bind(order.0)
        .bind(QuoteStatus::Proposed.as_str())
        .execute(&mut *db)
        .await?;
    if approved == 0 {
        // An estimate approved with no quote behind it: the quotes stay as they are.
        return Ok(());
    }
    close_open(db, order, "Thank you for quoting: the agency went ahead with another quote.", now).await
}

/// Every open quote of the order is not chosen; each contractor is told why.
async fn close_open(db: &mut Db, order: WorkOrderId, why: &str, now: DateTime<Utc>) -> Result<()> {
    let open: Vec<(i64,)> =
        Sql::new("SELECT contractor_id FROM quotes WHERE work_order_id = ? AND status IN (?, ?, ?)")
            .bind(order.0)
            .bind(QuoteStatus::Requested.as_str())
            .bind(QuoteStatus::Submitted.as_str())
            .bind(QuoteStatus::Proposed.as_str())
            .fetch_all(&mut *db)
            .await?;
    Sql::new("UPDATE quotes SET status = ?, decided_at = ? WHERE work_order_id = ? AND status IN (?, ?, ?)")
        .bind(QuoteStatus::NotChosen.as_str())
        .bind(to_secs(now))
        .bind(order.0)
        .bind(QuoteStatus::Requested.as_str())
        .bind(QuoteStatus::Submitted.as_str())
        .bind(QuoteStatus::Proposed.as_str())
        .execute(&mut *db)
        .await?;
    for (contractor,) in open {
        notifications::tell_quoting_contractor(db, UserId(contractor), order, "Quote not chosen", why, now).await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    #[sqlx(flatten)]
    quote: QuoteRow,
    work: String,
    place: String,
    #[sqlx(try_from = "String")]
    priority: Priority,
    description: String,
    asked: String,
}

fn request_query(condition: &str) -> Sql {
    Sql::new(format!(
        "SELECT {QUOTE_COLUMNS}, c.name || ' – ' || s.name AS work, p.street || ', ' || p.city || ' ' || p.postcode || ' · ' || n.label AS place,
                w.priority, w.description, q.asked
         FROM quotes q JOIN contractors k ON k.user_id = q.contractor_id
              JOIN work_orders w ON w.id = q.work_order_id JOIN properties p ON p.id = w.property_id
              JOIN units n ON n.id = w.unit_id
              JOIN categories c ON c.id = w.category_id JOIN categories s ON s.id = w.subcategory_id
         WHERE {condition}"
    ))
}

async fn into_requests(db: &mut Db, rows: Vec<RequestRow>) -> Result<Vec<QuoteRequest>> {
    let mut requests = Vec::with_capacity(rows.len());
    for row in rows {
        let lines = lines_of(db, row.quote.id).await?;
        let order = WorkOrderId(row.quote.work_order_id);
        // A contractor is not told the landlord's limits: whether it needs them is not theirs.
        let quote = row.quote.into_quote(lines, ApprovalThresholds::default(), row.priority)?;
        let quote = Quote { needs_landlord: false, ..quote };
        requests.push(QuoteRequest {
            quote,
            order,
            work: row.work,
            place: row.place,
            priority: row.priority,
            description: row.description,
            asked: row.asked,
        });
    }
    Ok(requests)
}

fn require_contractor(actor: Actor) -> Result<()> {
    match actor.role {
        Role::Contractor => Ok(()),
        Role::Staff | Role::Admin | Role::Landlord | Role::Tenant => {
            Err(ServiceError::NotAllowed("only contractors answer quote requests".into()))
        }
    }
}

/// The quotes the contractor was asked for: open ones first, then the newest.
pub async fn requests(store: &Store, actor: Actor) -> Result<Vec<QuoteRequest>> {
    require_contractor(actor)?;
    let mut sql = request_query("q.contractor_id = ");
    sql.push_bind(actor.user_id.0)
        .push(" ORDER BY CASE WHEN q.status IN (")
        .push_bind_list(QuoteStatus::ALL.into_iter().filter(|status| status.is_open()).map(QuoteStatus::as_str))
        .push(") THEN 0 ELSE 1 END, q.requested_at DESC, q.id DESC LIMIT ")
        .push_bind(MAX_LISTED);
    let mut db = store.read().await?;
    let rows: Vec<RequestRow> = sql.fetch_all(&mut db).await?;
    into_requests(&mut db, rows).await
}

async fn own_request(db: &mut Db, actor: Actor, id: QuoteId) -> Result<QuoteRequest> {
    let mut sql = request_query("q.id = ");
    sql.push_bind(id.0).push(" AND q.contractor_id = ").push_bind(actor.user_id.0);
    let rows: Vec<RequestRow> = sql.fetch_all(&mut *db).await?;
    into_requests(db, rows).await?.pop().ok_or_else(|| ServiceError::not_found("The quote request"))
}

/// A request the contractor may still answer: not yet decided, for an order still new.
async fn answerable(db: &mut Db, actor: Actor, id: QuoteId) -> Result<QuoteRequest> {
    let request = own_request(db, actor, id).await?;
    let (state,): (String,) =
        Sql::new("SELECT state FROM work_orders WHERE id = ?").bind(request.order.0).fetch_one(&mut *db).await?;
    let status = request.quote.status;
    let why = match status {
        QuoteStatus::Requested | QuoteStatus::Submitted if state == State::New.as_str() => return Ok(request),
        QuoteStatus::Requested | QuoteStatus::Submitted => "the order has moved on, so the quote is no longer needed",
        QuoteStatus::Proposed => "the landlord is deciding on this quote, so it can no longer change",
        QuoteStatus::Approved | QuoteStatus::NotChosen | QuoteStatus::Declined => "this quote has already been decided",
    };
    Err(ServiceError::validation(Field::Quote, why))
}

/// The contractor's price: line items, totalled here. Sending again before it is decided
/// replaces the price; staff are told either way.
pub async fn submit(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    submission: &QuoteSubmission,
) -> Result<QuoteRequest> {
    require_contractor(actor)?;
    let problems = line_problems(&submission.lines);
    if !problems.is_empty() {
        return Err(ServiceError::validation(Field::Lines, problems.join("; ")));
    }
    let note = input::optional(Field::Note, "note", &submission.note, MAX_NOTE_CHARS)?;
    let total = total(&submission.lines).unwrap_or(MoneyMinor::MAX);
    let mut tx = store.write().await?;
    let request = answerable(&mut tx, actor, submission.quote).await?;
    let settings = agency::settings_in(&mut tx).await?;
    if total > settings.max_order_amount {
        let limit = settings.max_order_amount.in_currency(&settings.currency);
        let why = format!("a quote may total at most {limit}, the agency's largest amount per order");
        return Err(ServiceError::validation(Field::Lines, why));
    }
    Sql::new("DELETE FROM quote_lines WHERE quote_id = ?").bind(submission.quote.0).execute(&mut tx).await?;
    for (line_no, line) in (1_i64..).zip(&submission.lines) {
        Sql::new("INSERT INTO quote_lines (quote_id, line_no, description, amount_minor) VALUES (?, ?, ?, ?)")
            .bind(submission.quote.0)
            .bind(line_no)
            .bind(line.description.trim())
            .bind(line.amount_minor.minor_units())
            .execute(&mut tx)
            .await?;
    }
    answer(&mut tx, submission.quote, QuoteStatus::Submitted, total, &note, now).await?;
    let said = format!("{} quoted {}", request.quote.company, total.in_currency(&settings.currency));
    notifications::tell_agency_of_quote(&mut tx, request.order, "Quote received", &said, now).await?;
    let answered = own_request(&mut tx, actor, submission.quote).await?;
    tx.commit().await?;
    Ok(answered)
}

/// The contractor will not price this job, and says why; staff are told.
pub async fn decline(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    id: QuoteId,
    reason: &str,
) -> Result<QuoteRequest> {
    require_contractor(actor)?;
    let reason = input::required(Field::Reason, "reason", reason, MAX_NOTE_CHARS)?;
    let mut tx = store.write().await?;
    let request = answerable(&mut tx, actor, id).await?;
    Sql::new("DELETE FROM quote_lines WHERE quote_id = ?").bind(id.0).execute(&mut tx).await?;
    answer(&mut tx, id, QuoteStatus::Declined, MoneyMinor::ZERO, &reason, now).await?;
    let said = format!("{} declined to quote: {reason}", request.quote.company);
    notifications::tell_agency_of_quote(&mut tx, request.order, "Quote declined", &said, now).await?;
    let answered = own_request(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(answered)
}

async fn answer(
    db: &mut Db,
    id: QuoteId,
    status: QuoteStatus,
    total: MoneyMinor,
    note: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    Sql::new("UPDATE quotes SET status = ?, total_minor = ?, note = ?, answered_at = ? WHERE id = ?")
        .bind(status.as_str())
        .bind(total.minor_units())
        .bind(note)
        .bind(to_secs(now))
        .bind(id.0)
        .execute(db)
        .await?;
    Ok(())
}

/// The demo agency's quotes: on the newest routine order, the demo contractor's request
/// still to price beside another's price; on the next, two prices to compare, one above
/// the landlord's limit. So each desk has quotes to look at from the start.
pub(crate) async fn seed_demo(tx: &mut Db, now: DateTime<Utc>) -> Result<()> {
    let orders: Vec<(i64,)> = Sql::new(
        "SELECT id FROM work_orders WHERE state = ? AND priority IN (?, ?) AND schedule_id IS NULL
         ORDER BY opened_at DESC, id DESC LIMIT 2",
    )
    .bind(State::New.as_str())
    .bind(Priority::Routine.as_str())
    .bind(Priority::Urgent.as_str())
    .fetch_all(&mut *tx)
    .await?;
    let contractors: Vec<(i64,)> = Sql::new(
        "SELECT k.user_id FROM contractors k JOIN users u ON u.id = k.user_id
         WHERE u.deactivated_at IS NULL AND k.insurance_expires_on >= ? ORDER BY k.user_id LIMIT 3",
    )
    .bind(now.date_naive().to_string())
    .fetch_all(&mut *tx)
    .await?;
    let (staff,): (i64,) = Sql::new("SELECT min(id) FROM users WHERE role = 'staff'").fetch_one(&mut *tx).await?;
    let ([(first,), (second,)], [(a,), (b,), (c,)]) = (orders.as_slice(), contractors.as_slice()) else {
        return Ok(());
    };
    let asked = now - chrono::Duration::hours(20);
    let demo = [
        (*first, *a, "Please price a full replacement, parts and labour", &[][..]),
        (
            *first,
            *b,
            "Please price a full replacement, parts and labour",
            &[("Replacement unit", 18_500), ("Labour, 3 hours", 13_500)][..],
        ),
        (*second, *b, "", &[("Parts", 9_000), ("Labour, 4 hours", 18_000)][..]),
        (*second, *c, "", &[("Replace the whole run", 52_000), ("Making good", 12_000)][..]),
    ];
    for (order, contractor, note, lines) in demo {
        let priced = !lines.is_empty();
        let total: i64 = lines.iter().map(|(_, amount)| amount).sum();
        let status = if priced { QuoteStatus::Submitted } else { QuoteStatus::Requested };
        let (id,): (i64,) = Sql::new(
            "INSERT INTO quotes (work_order_id, contractor_id, status, asked, total_minor, requested_by, requested_at,
                                 answered_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(order)
        .bind(contractor)
        .bind(status.as_str())
        .bind(note)
        .bind(total)
        .bind(staff)
        .bind(to_secs(asked))
        .bind(priced.then(|| to_secs(asked + chrono::Duration::hours(5))))
        .fetch_one(&mut *tx)
        .await?;
        for (line_no, (description, amount)) in (1_i64..).zip(lines) {
            Sql::new("INSERT INTO quote_lines (quote_id, line_no, description, amount_minor) VALUES (?, ?, ?, ?)")
                .bind(id)
                .bind(line_no)
                .bind(*description)
                .bind(*amount)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}
