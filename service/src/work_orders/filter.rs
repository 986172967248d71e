//! A `WorkOrderFilter` as SQL conditions on `work_orders w`, shared by the list, its
//! count and the dashboard, so a dashboard number always equals the list it opens.

use super::access::push_visible_to;
use crate::db::{Sql, contains_pattern, state_list};
use crate::error::{Result, ServiceError};
use crate::store::Store;
use crate::time::to_secs;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{ContractorFilter, Field, FilterOptions, Named, TimeRange, WorkOrderFilter};
use plumbline_domain::ids::{CategoryId, PropertyId};
use plumbline_domain::sla::{AT_RISK_SHARE_PERCENT, SlaStatus};
use plumbline_domain::{Actor, PaymentStatus, Role, State, UserId};

pub const MAX_PROPERTY_TEXT_CHARS: usize = 100;

/// The same conditions serve two queries that want different indexes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Rows in list order: best read from an index already in that order.
    Page,
    /// How many match: best counted from the (state, priority) covering index.
    Count,
}

/// Refuses a filter that cannot mean anything, naming the field, or that asks about
/// what `actor` may not see.
pub fn validate(filter: &WorkOrderFilter, actor: Actor) -> Result<()> {
    let about_payments = !filter.payment.is_empty() || filter.paid.is_some();
    if about_payments && !actor.role.may_see_payments() {
        return Err(ServiceError::NotAllowed("payments are between the agency and its contractors".into()));
    }
    if let Some(text) = &filter.text {
        crate::search::check_length(text)?;
    }
    if filter.property.as_deref().is_some_and(|text| text.chars().count() > MAX_PROPERTY_TEXT_CHARS) {
        return Err(ServiceError::validation(
            Field::Property,
            format!("search for a property with at most {MAX_PROPERTY_TEXT_CHARS} characters"),
        ));
    }
    let ranges = [
        (Field::Opened, filter.opened),
        (Field::Appointment, filter.appointment),
        (Field::Completed, filter.completed),
        (Field::Paid, filter.paid),
    ];
    for (field, range) in ranges {
        if range.is_some_and(|r| r.from >= r.until) {
            return Err(ServiceError::validation(field, "the start of the date range must be before its end"));
        }
    }
    Ok(())
}

/// Appends ` WHERE …` restricting `w` to the orders `actor` may see that match `filter`.
pub fn push_conditions(query: &mut Sql, actor: Actor, now: DateTime<Utc>, filter: &WorkOrderFilter, purpose: Purpose) {
    query.push(" WHERE ");
    push_visible_to(query, actor);
    push_states(query, filter, purpose);
    if let Some(priority) = filter.priority {
        query.push(" AND w.priority_rank = ").push_bind(priority.rank());
    }
    if let Some(category) = filter.category {
        query.push(" AND w.category_id = ").push_bind(category.0);
    }
    if let Some(text) = filter.property.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = contains_pattern(text);
        query.push(" AND w.property_id IN (SELECT id FROM properties WHERE street ILIKE ").push_bind(pattern.clone());
        query.push(" ESCAPE '\\' OR postcode ILIKE ").push_bind(pattern).push(" ESCAPE '\\')");
    }
    if let Some(text) = &filter.text {
        crate::search::push_order_text(query, actor, text);
    }
    if let Some(property) = filter.property_id {
        query.push(" AND w.property_id = ").push_bind(property.0);
    }
    if let Some(landlord) = filter.landlord {
        query.push(" AND w.property_id IN (SELECT id FROM properties WHERE landlord_id = ").push_bind(landlord.0);
        query.push(")");
    }
    match filter.contractor {
        // Counting the unassigned among a few open states: the (state, priority) index
        // narrows far more than "no contractor", which every cancelled and rejected order
        // shares; `+ 0` keeps SQLite off the contractor index (27 ms to 2 ms).
        Some(ContractorFilter::Unassigned) if purpose == Purpose::Count && only_open_states(filter) => {
            query.push(" AND (w.contractor_id + 0) IS NULL")
        }
        Some(ContractorFilter::Unassigned) => query.push(" AND w.contractor_id IS NULL"),
        Some(ContractorFilter::Assigned(contractor)) => query.push(" AND w.contractor_id = ").push_bind(contractor.0),
        None => query,
    };
    if let Some(status) = filter.sla {
        query.push(" AND ");
        push_sla_condition(query, status, now);
    }
    push_range(query, "w.opened_at", filter.opened);
    push_range(query, "w.appointment_start", filter.appointment);
    push_range(query, "w.completed_at", filter.completed);
    push_payment(query, &filter.payment);
    if let Some(TimeRange { from, until }) = filter.paid {
        query.push(" AND EXISTS (SELECT 1 FROM payouts po WHERE po.work_order_id = w.id AND po.paid_at >= ");
        query.push_bind(to_secs(from)).push(" AND po.paid_at < ").push_bind(to_secs(until)).push(")");
    }
}

fn only_open_states(filter: &WorkOrderFilter) -> bool {
    !filter.states.is_empty() && filter.states.iter().all(|state| state.is_not_closed())
}

fn push_payment(query: &mut Sql, statuses: &[PaymentStatus]) {
    if statuses.is_empty() {
        return;
    }
    let conditions: Vec<String> = statuses.iter().map(|status| payment_condition(*status)).collect();
    query.push(format!(" AND ({})", conditions.join(" OR ")));
}

/// `PaymentStatus::of(…) == status` in SQL. `domain::payment` is the definition; the
/// service tests hold the two together.
fn payment_condition(status: PaymentStatus) -> String {
    let invoiced_unpaid_in = |state: State| {
        // The domain's fixed name (letters only), never user input.
        format!(
            "(w.state = '{}' AND w.invoice_minor IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM payouts po WHERE po.work_order_id = w.id))",
            state.as_str()
        )
    };
    match status {
        PaymentStatus::Paid => "EXISTS (SELECT 1 FROM payouts po WHERE po.work_order_id = w.id)".to_owned(),
        PaymentStatus::PendingReview => invoiced_unpaid_in(State::Completed),
        PaymentStatus::AwaitingPayout => invoiced_unpaid_in(State::Closed),
    }
}

fn push_states(query: &mut Sql, filter: &WorkOrderFilter, purpose: Purpose) {
    if filter.states.is_empty() {
        return;
    }
    // With several states, merging per-state index ranges costs a sort of every match;
    // an expression (`|| ''`) rather than the bare column keeps SQLite on an index
    // already in list order (the open-orders one below). (SQLite's usual `+w.state` is
    // not valid PostgreSQL for text.)
    // A day's appointments are far fewer than any set of states (the closed ones alone
    // are most of the store): with an appointment range, that index leads (100 ms to
    // under 1 ms for the dashboard's "Scheduled today" on the 100k store).
    let unindexed = (purpose == Purpose::Page && filter.states.len() > 1) || filter.appointment.is_some();
    query.push(if unindexed { " AND (w.state || '') IN (" } else { " AND w.state IN (" });
    query.push_state_list(filter.states.iter().copied()).push(")");
    // Repeats the partial index's condition so SQLite may use it (migration 0003).
    if filter.states.iter().all(|s| s.is_not_closed()) {
        query
            .push(" AND w.state NOT IN (")
            .push_state_list(State::ALL.into_iter().filter(|s| !s.is_not_closed()))
            .push(")");
    }
}

fn push_range(query: &mut Sql, column: &str, range: Option<TimeRange>) {
    if let Some(TimeRange { from, until }) = range {
        query.push(format!(" AND {column} >= ")).push_bind(to_secs(from));
        query.push(format!(" AND {column} < ")).push_bind(to_secs(until));
    }
}

/// Appends `sla::order_status(…) == status` in SQL: both clocks, each met, breached, at
/// risk or running. `domain::sla` is the definition; the service tests hold the two together.
pub(crate) fn push_sla_condition(query: &mut Sql, status: SlaStatus, now: DateTime<Utc>) {
    // `now` is the server's clock, an integer: safe to inline, and it keeps the SQL legible.
    let now = to_secs(now);
    let respond = Clock { stopped: "w.responded_at", due: "w.respond_by", now };
    let resolve = Clock { stopped: "coalesce(w.completed_at, w.closed_at)", due: "w.resolve_by", now };
    let breached = format!("({} OR {})", respond.breached(), resolve.breached());
    let at_risk = format!("({} OR {})", respond.at_risk(), resolve.at_risk());
    let met = format!("({} AND {})", respond.met(), resolve.met());
    // What the clocks must say, for an order whose SLA applies (not abandoned).
    let clocks = match status {
        SlaStatus::NotApplicable => None,
        SlaStatus::Breached => Some(breached),
        SlaStatus::AtRisk => Some(format!("NOT {breached} AND {at_risk}")),
        SlaStatus::Met => Some(format!("NOT {breached} AND NOT {at_risk} AND {met}")),
        SlaStatus::OnTrack => Some(format!("NOT {breached} AND NOT {at_risk} AND NOT {met}")),
    };
    query.push(if clocks.is_some() { "(w.state NOT IN (" } else { "(w.state IN (" });
    query.push_state_list(State::ALL.into_iter().filter(|s| s.was_abandoned())).push(")");
    if let Some(clocks) = clocks {
        query.push(format!(" AND {clocks}"));
    }
    query.push(")");
}

/// The order's SLA badge as a rank to sort by: 0 breached, 1 at risk, 2 on track,
/// 3 met, 4 no SLA (abandoned); the same conditions as [`push_sla_condition`].
pub(crate) fn sla_rank(now: DateTime<Utc>) -> String {
    let now = to_secs(now);
    let respond = Clock { stopped: "w.responded_at", due: "w.respond_by", now };
    let resolve = Clock { stopped: "coalesce(w.completed_at, w.closed_at)", due: "w.resolve_by", now };
    let abandoned = state_list(State::ALL.into_iter().filter(|s| s.was_abandoned()));
    format!(
        "CASE WHEN w.state IN ({}) THEN 4 WHEN ({} OR {}) THEN 0 WHEN ({} OR {}) THEN 1 WHEN ({} AND {}) THEN 3 ELSE 2 END",
        abandoned,
        respond.breached(),
        resolve.breached(),
        respond.at_risk(),
        resolve.at_risk(),
        respond.met(),
        resolve.met()
    )
}

/// One SLA clock (`sla::clock_status`) as SQL over its columns.
struct Clock {
    stopped: &'static str,
    due: &'static str,
    now: i64,
}

impl Clock {
    fn met(&self) -> String {
        format!("({stopped} IS NOT NULL AND {stopped} <= {due})", stopped = self.stopped, due = self.due)
    }

    fn breached(&self) -> String {
        let (stopped, due, now) = (self.stopped, self.due, self.now);
        format!("(({stopped} IS NOT NULL AND {stopped} > {due}) OR ({stopped} IS NULL AND {now} >= {due}))")
    }

    fn at_risk(&self) -> String {
        let (stopped, due, now) = (self.stopped, self.due, self.now);
        // The clock's length, at least one second (scalar `max(a, b)` is SQLite's own).
        let span = format!("(CASE WHEN {due} - w.opened_at > 1 THEN {due} - w.opened_at ELSE 1 END)");
        format!(
            "({stopped} IS NULL AND {now} < {due} \
             AND ({now} - w.opened_at) * 100 >= {span} * {AT_RISK_SHARE_PERCENT})"
        )
    }
}

/// What the list's filter menus offer `actor`: categories for everyone; the agency's
/// landlords and contractors for agency staff only (their names are the agency's
/// business); a landlord's own properties for that landlord.
pub async fn filter_options(store: &Store, actor: Actor) -> Result<FilterOptions> {
    let categories: Vec<(i64, String)> =
        Sql::new("SELECT id, name FROM categories WHERE parent_id IS NULL ORDER BY name").fetch_all(store).await?;
    let mut options = FilterOptions { categories: named(categories, CategoryId), ..FilterOptions::default() };
    match actor.role {
        Role::Staff | Role::Admin => {
            let landlords: Vec<(i64, String)> = Sql::new("SELECT id, name FROM users WHERE role = ? ORDER BY name")
                .bind(Role::Landlord.as_str())
                .fetch_all(store)
                .await?;
            let contractors: Vec<(i64, String)> =
                Sql::new("SELECT user_id, company FROM contractors ORDER BY company").fetch_all(store).await?;
            options.landlords = named(landlords, UserId);
            options.contractors = named(contractors, UserId);
        }
        Role::Landlord => {
            let properties: Vec<(i64, String)> =
                Sql::new("SELECT id, street FROM properties WHERE landlord_id = ? ORDER BY street")
                    .bind(actor.user_id.0)
                    .fetch_all(store)
                    .await?;
            options.properties = named(properties, PropertyId);
        }
        Role::Contractor | Role::Tenant => {}
    }
    Ok(options)
}

fn named<T>(rows: Vec<(i64, String)>, id: fn(i64) -> T) -> Vec<Named<T>> {
    rows.into_iter().map(|(raw, name)| Named { id: id(raw), name }).collect()
}
