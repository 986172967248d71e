//! One pass over the orders for every dashboard number that depends only on an order's
//! state and priority: the orders `actor` may see, grouped by those two, counted from the
//! (state, priority) index alone without reading a row. Each number is then the sum of the
//! groups its filter matches, so it still equals the count of the list it opens; a filter
//! on anything else (an SLA badge, the contractor) is counted by the store as before.

use super::super::access::push_visible_to;
use crate::db::Sql;
use crate::error::Result;
use crate::store::Store;
use plumbline_domain::api::WorkOrderFilter;
use plumbline_domain::{Actor, Priority, State};

/// The orders of one (state, priority) group.
#[derive(Debug, Clone, Copy)]
struct Group {
    state: State,
    priority: Priority,
    orders: u64,
}

#[derive(Debug)]
pub struct Tally {
    groups: Vec<Group>,
}

impl Tally {
    /// Groups the orders `actor` may see.
    pub async fn of(store: &Store, actor: Actor) -> Result<Self> {
        let mut query = Sql::new("SELECT w.state, CAST(w.priority_rank AS BIGINT), count(*) FROM work_orders w WHERE ");
        push_visible_to(&mut query, actor);
        query.push(" GROUP BY w.state, w.priority_rank");
        let rows: Vec<(String, i64, i64)> = query.fetch_all(store).await?;
        let groups = rows.into_iter().filter_map(group).collect();
        Ok(Self { groups })
    }

    /// How many orders `filter` lists, if it filters on nothing but a state and a
    /// priority; `None` for a filter the store must count.
    pub fn count(&self, filter: &WorkOrderFilter) -> Option<u64> {
        let (states, priority) = states_and_priority(filter)?;
        let matches = |group: &&Group| {
            (states.is_empty() || states.contains(&group.state)) && priority.is_none_or(|p| p == group.priority)
        };
        Some(self.groups.iter().filter(matches).map(|group| group.orders).sum())
    }
}

/// A stored row as a group; a row no Plumbline writes (an unknown state) is left out,
/// as the list's own state filter would leave it out.
fn group((state, priority_rank, orders): (String, i64, i64)) -> Option<Group> {
    Some(Group {
        state: State::parse(&state)?,
        priority: Priority::ALL.into_iter().find(|priority| priority.rank() == priority_rank)?,
        orders: u64::try_from(orders).ok()?,
    })
}

/// The filter's states and priority, if it filters on nothing else.
fn states_and_priority(filter: &WorkOrderFilter) -> Option<(&[State], Option<Priority>)> {
    // Every field named, so a new one has to be decided on here.
    let WorkOrderFilter {
        states,
        priority,
        category,
        property,
        landlord,
        contractor,
        sla,
        opened,
        appointment,
        property_id,
        completed,
        payment,
        paid,
        text,
    } = filter;
    let beyond_the_groups = category.is_some()
        || property.is_some()
        || landlord.is_some()
        || contractor.is_some()
        || sla.is_some()
        || opened.is_some()
        || appointment.is_some()
        || property_id.is_some()
        || completed.is_some()
        || !payment.is_empty()
        || paid.is_some()
        || text.is_some();
    (!beyond_the_groups).then_some((states.as_slice(), *priority))
}
