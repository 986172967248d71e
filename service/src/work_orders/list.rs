//! The work-order list: filtered, newest first, keyset-paged so page N costs the same
//! as page 1 at any store size.

use super::access::push_visible_to;
use super::row::{SELECT_ROW, WorkOrderRecord};
use crate::error::{Result, ServiceError};
use crate::store::Store;
use crate::time::to_secs;
use chrono::{DateTime, Utc};
use plumbline_domain::Actor;
use plumbline_domain::api::{ListCursor, ListWorkOrders, WorkOrderFilter, WorkOrderPage};
use sqlx::{QueryBuilder, Sqlite};

pub const MAX_PAGE_SIZE: u32 = 500;

pub async fn list(store: &Store, actor: Actor, now: DateTime<Utc>, request: &ListWorkOrders) -> Result<WorkOrderPage> {
    if request.limit == 0 || request.limit > MAX_PAGE_SIZE {
        return Err(ServiceError::validation("limit", format!("a page holds 1 to {MAX_PAGE_SIZE} orders")));
    }
    let mut query = QueryBuilder::<Sqlite>::new(SELECT_ROW);
    push_conditions(&mut query, actor, &request.filter, Purpose::Page);
    if let Some(after) = &request.after {
        query.push(" AND (w.opened_at, w.id) < (").push_bind(to_secs(after.opened_at)).push(", ");
        query.push_bind(after.id.0).push(")");
    }
    // One extra row tells whether another page follows.
    query.push(" ORDER BY w.opened_at DESC, w.id DESC LIMIT ").push_bind(i64::from(request.limit) + 1);
    let mut records: Vec<WorkOrderRecord> = query.build_query_as().fetch_all(store.pool()).await?;
    let has_more = records.len() > request.limit as usize;
    records.truncate(request.limit as usize);
    let rows = records.into_iter().map(|r| r.into_row(now)).collect::<anyhow::Result<Vec<_>>>()?;
    let next = rows.last().filter(|_| has_more).map(|last| ListCursor { opened_at: last.opened_at, id: last.id });
    Ok(WorkOrderPage { total: count(store, actor, &request.filter).await?, rows, next })
}

async fn count(store: &Store, actor: Actor, filter: &WorkOrderFilter) -> Result<u64> {
    let mut query = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM work_orders w");
    push_conditions(&mut query, actor, filter, Purpose::Count);
    let (total,): (i64,) = query.build_query_as().fetch_one(store.pool()).await?;
    Ok(u64::try_from(total).unwrap_or_default())
}

/// The same conditions serve two queries that want different indexes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Rows in list order: best read from an index already in that order.
    Page,
    /// How many match: best counted from the (state, priority) covering index.
    Count,
}

fn push_conditions(query: &mut QueryBuilder<'_, Sqlite>, actor: Actor, filter: &WorkOrderFilter, purpose: Purpose) {
    query.push(" WHERE ");
    push_visible_to(query, actor);
    if !filter.states.is_empty() {
        // With several states, merging per-state index ranges costs a sort of every match;
        // `+` keeps SQLite on an index already in list order (the open-orders one below).
        let unindexed = purpose == Purpose::Page && filter.states.len() > 1;
        query.push(if unindexed { " AND +w.state IN (" } else { " AND w.state IN (" });
        let mut states = query.separated(", ");
        for state in &filter.states {
            states.push_bind(state.as_str());
        }
        query.push(")");
        // Repeats the partial index's condition so SQLite may use it (migration 0003).
        if filter.states.iter().all(|s| !s.is_terminal()) {
            query.push(" AND w.state NOT IN ('Closed', 'Rejected', 'Cancelled')");
        }
    }
    if let Some(priority) = filter.priority {
        query.push(" AND w.priority_rank = ").push_bind(priority.rank());
    }
}
