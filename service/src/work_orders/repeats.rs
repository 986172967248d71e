//! Repeat faults (`domain::repeat`): the earlier requests of the same kind at an order's
//! unit, for the order page (those the viewer may see) and the triage queue (a count).
//! Planned maintenance is no fault: a scheduled visit neither has earlier faults nor is one.

use super::access::push_visible_to;
use crate::db::{Sql, state_list};
use crate::error::Result;
use crate::store::Store;
use crate::time::from_secs;
use plumbline_domain::api::{EarlierOrder, RepeatFault};
use plumbline_domain::repeat::{REPEAT_WINDOW_DAYS, counts, headline};
use plumbline_domain::{Actor, State, WorkOrderId};

const WINDOW_SECONDS: i64 = REPEAT_WINDOW_DAYS * 86_400;

#[derive(sqlx::FromRow)]
struct EarlierRecord {
    id: i64,
    subcategory: String,
    opened_at: i64,
    #[sqlx(try_from = "String")]
    state: State,
}

/// The earlier faults `actor` may see of order `id`'s kind at its unit, if any.
pub(crate) async fn repeat_fault(
    store: &Store,
    actor: Actor,
    id: WorkOrderId,
    category: &str,
) -> Result<Option<RepeatFault>> {
    let mut query = Sql::new(format!(
        "SELECT w.id, s.name AS subcategory, w.opened_at, w.state
         FROM work_orders o
         JOIN work_orders w ON w.unit_id = o.unit_id AND w.category_id = o.category_id
         JOIN categories s ON s.id = w.subcategory_id
         WHERE o.id = ? AND w.id <> o.id AND w.opened_at < o.opened_at AND w.opened_at >= o.opened_at - ?
           AND w.state IN ({}) AND o.schedule_id IS NULL AND w.schedule_id IS NULL AND ",
        counted_states()
    ));
    query = query.bind(id.0).bind(WINDOW_SECONDS);
    push_visible_to(&mut query, actor);
    query.push(" ORDER BY w.opened_at DESC, w.id DESC");
    let records: Vec<EarlierRecord> = query.fetch_all(store).await?;
    if records.is_empty() {
        return Ok(None);
    }
    let earlier: Vec<EarlierOrder> = records
        .into_iter()
        .map(|r| EarlierOrder {
            id: WorkOrderId(r.id),
            subcategory: r.subcategory,
            opened_at: from_secs(r.opened_at),
            state: r.state,
        })
        .collect();
    Ok(Some(RepeatFault { headline: headline(earlier.len(), category), earlier }))
}

/// The count of earlier faults of `w`'s kind at its unit, as a column (the agency's
/// queue: every order counts).
pub(crate) fn earlier_faults_column() -> String {
    format!(
        "(CASE WHEN w.schedule_id IS NOT NULL THEN 0 ELSE \
         (SELECT count(*) FROM work_orders r WHERE r.unit_id = w.unit_id AND r.category_id = w.category_id \
         AND r.id <> w.id AND r.opened_at < w.opened_at AND r.opened_at >= w.opened_at - {WINDOW_SECONDS} \
         AND r.state IN ({}) AND r.schedule_id IS NULL) END) AS earlier_faults",
        counted_states()
    )
}

fn counted_states() -> String {
    state_list(State::ALL.into_iter().filter(|state| counts(*state)))
}
