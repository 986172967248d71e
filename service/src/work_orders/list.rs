//! The work-order list: filtered, sorted by any column, keyset-paged on (sort key, id)
//! so page N costs the same as page 1 at any store size.

use super::filter::{self, Purpose, push_conditions};
use super::row::{WorkOrderRecord, select_rows, select_rows_properties_first};
use crate::db::Sql;
use crate::error::{Result, ServiceError};
use crate::money;
use crate::search;
use crate::store::Store;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{
    Field, ListCursor, ListSort, ListWorkOrders, SortColumn, SortKey, WorkOrderFilter, WorkOrderPage,
};
use plumbline_domain::{Actor, MoneySum, Priority, State};

pub const MAX_PAGE_SIZE: u32 = 500;

pub async fn list(store: &Store, actor: Actor, now: DateTime<Utc>, request: &ListWorkOrders) -> Result<WorkOrderPage> {
    if request.limit == 0 || request.limit > MAX_PAGE_SIZE {
        return Err(ServiceError::validation(Field::Limit, format!("a page holds 1 to {MAX_PAGE_SIZE} orders")));
    }
    filter::validate(&request.filter, actor)?;
    let read = search::read_filter_words(store, &request.filter).await?;
    let filter = read.filter;
    let order = SortOrder::of(request.sort, now);
    let properties_first = walks_properties(actor, request);
    let mut query = match properties_first {
        true => select_rows_properties_first(&order.select_key()),
        false => select_rows(&order.select_key()),
    };
    push_conditions(&mut query, actor, now, &filter, Purpose::Page);
    if properties_first {
        query.push(" AND w.property_id = p.id");
    }
    if let Some(after) = &request.after {
        order.push_after(&mut query, after)?;
    }
    order.push_order_by(&mut query);
    // One extra row tells whether another page follows.
    query.push(" LIMIT ").push_bind(i64::from(request.limit) + 1);
    let mut records: Vec<PageRecord> = query.fetch_all(store).await?;
    let has_more = records.len() > request.limit as usize;
    records.truncate(request.limit as usize);
    let next = records.last().filter(|_| has_more).map(PageRecord::cursor);
    let rows: Vec<_> = records.into_iter().map(|r| r.row.into_row_for(now, actor.role)).collect();
    // The total only changes what the first page says; later pages skip the count.
    let total = match request.after {
        None => Some(count_read(store, actor, now, &filter).await?),
        Some(_) => None,
    };
    // Said only with orders shown: a word read from text the reader may not see then
    // finds nothing, and is never revealed.
    let corrected = if rows.is_empty() { Vec::new() } else { read.corrected };
    Ok(WorkOrderPage { rows, next, total, corrected })
}

/// Whether to read the page by walking the properties in street order
/// (`properties_by_street`) and each one's orders: for the agency's whole list sorted by
/// property that reads a page's worth of rows where joining first would sort every
/// order. A filtered list has fewer matches, spread thin over the properties: sorting
/// those is quicker than walking every property for them.
fn walks_properties(actor: Actor, request: &ListWorkOrders) -> bool {
    request.sort.column == SortColumn::Property && request.filter.is_empty() && actor.role.is_agency()
}

/// How many orders `actor` may see match `filter`.
pub async fn count(store: &Store, actor: Actor, now: DateTime<Utc>, filter: &WorkOrderFilter) -> Result<u64> {
    filter::validate(filter, actor)?;
    count_read(store, actor, now, &search::read_filter_words(store, filter).await?.filter).await
}

/// How many orders `actor` may see match `filter`, its search words already read.
async fn count_read(store: &Store, actor: Actor, now: DateTime<Utc>, filter: &WorkOrderFilter) -> Result<u64> {
    let mut query = Sql::new("SELECT count(*) FROM work_orders w");
    push_conditions(&mut query, actor, now, filter, Purpose::Count);
    let (total,): (i64,) = query.fetch_one(store).await?;
    Ok(u64::try_from(total).unwrap_or_default())
}

/// What a dashboard amount adds up over the orders a filter lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    /// The contractor's invoice: what the work cost.
    Invoice,
    /// What the agency paid the contractor.
    Payout,
}

/// How many orders `actor` may see match `filter`, and their `amount` added up (orders
/// without one add nothing).
pub async fn total(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    filter: &WorkOrderFilter,
    amount: Amount,
) -> Result<(u64, MoneySum)> {
    filter::validate(filter, actor)?;
    let summed = match amount {
        Amount::Invoice if actor.role.may_see_costs() => "w.invoice_minor",
        // Counting would tell a tenant what the work on their orders cost.
        Amount::Invoice => return Err(ServiceError::NotAllowed("what work cost is not a tenant's business".into())),
        Amount::Payout if actor.role.may_see_payments() => {
            "(SELECT po.amount_minor FROM payouts po WHERE po.work_order_id = w.id)"
        }
        Amount::Payout => {
            return Err(ServiceError::NotAllowed("payments are between the agency and its contractors".into()));
        }
    };
    let filter = search::read_filter_words(store, filter).await?.filter;
    let mut query = Sql::new(format!("SELECT count(*), CAST(coalesce(sum({summed}), 0) AS BIGINT) FROM work_orders w"));
    push_conditions(&mut query, actor, now, &filter, Purpose::Count);
    let (count, sum): (i64, i64) = query.fetch_one(store).await?;
    Ok((u64::try_from(count).unwrap_or_default(), money::stored_sum(sum)?))
}

#[derive(sqlx::FromRow)]
struct PageRecord {
    #[sqlx(flatten)]
    row: WorkOrderRecord,
    // Exactly one is set, by the sort column's kind.
    sort_int: Option<i64>,
    sort_text: Option<String>,
}

impl PageRecord {
    fn cursor(&self) -> ListCursor {
        let key = match (&self.sort_int, &self.sort_text) {
            (Some(number), _) => SortKey::Int(*number),
            (None, text) => SortKey::Text(text.clone().unwrap_or_default()),
        };
        ListCursor { key, id: self.row.id() }
    }
}

/// A sort column as the SQL expression the keyset compares, ties broken by id.
struct SortOrder {
    expression: String,
    textual: bool,
    descending: bool,
}

impl SortOrder {
    fn of(sort: ListSort, now: DateTime<Utc>) -> Self {
        let (expression, textual) = match sort.column {
            SortColumn::Reference => ("w.id".to_owned(), false),
            SortColumn::Property => ("p.street".to_owned(), true),
            SortColumn::Issue => ("c.name || ' / ' || s.name".to_owned(), true),
            SortColumn::Priority => (urgency(), false),
            SortColumn::State => (lifecycle_position(), false),
            // Breached first, then at risk, on track, met; each by its resolve-due time.
            // One integer, so the keyset still compares a single key: the status's rank
            // above any due time in seconds.
            SortColumn::Sla => (format!("({}) * 10000000000 + w.resolve_by", filter::sla_rank(now)), false),
            SortColumn::Contractor => ("coalesce(k.company, '')".to_owned(), true),
            SortColumn::Opened => ("w.opened_at".to_owned(), false),
        };
        Self { expression, textual, descending: sort.descending }
    }

    fn select_key(&self) -> String {
        match self.textual {
            true => format!(", CAST(NULL AS BIGINT) AS sort_int, {} AS sort_text", self.expression),
            false => format!(", {} AS sort_int, CAST(NULL AS TEXT) AS sort_text", self.expression),
        }
    }

    fn push_after(&self, query: &mut Sql, after: &ListCursor) -> Result<()> {
        let comparison = if self.descending { "<" } else { ">" };
        query.push(format!(" AND ({}, w.id) {comparison} (", self.expression));
        match (&after.key, self.textual) {
            (SortKey::Int(number), false) => query.push_bind(*number),
            (SortKey::Text(text), true) => query.push_bind(text.clone()),
            _ => {
                return Err(ServiceError::validation(Field::After, "this page position belongs to another sort order"));
            }
        };
        query.push(", ").push_bind(after.id.0).push(")");
        Ok(())
    }

    fn push_order_by(&self, query: &mut Sql) {
        let direction = if self.descending { "DESC" } else { "ASC" };
        query.push(format!(" ORDER BY {} {direction}, w.id {direction}", self.expression));
    }
}

/// `Priority::urgency` in SQL, written exactly as the index `work_orders_by_urgency_id` is.
fn urgency() -> String {
    format!("({} - w.priority_rank)", Priority::Low.rank())
}

/// A state's place in the lifecycle, so sorting by state follows the work, not the alphabet.
/// (A `CASE` of integer literals is `int4` on PostgreSQL; the sort key decodes as i64.)
fn lifecycle_position() -> String {
    let cases: String = State::ALL
        .iter()
        .enumerate()
        .map(|(position, state)| format!(" WHEN '{}' THEN {position}", state.as_str()))
        .collect();
    format!("CAST(CASE w.state{cases} END AS BIGINT)")
}
