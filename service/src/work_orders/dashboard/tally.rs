//! One pass over the orders for every dashboard number that depends only on an order's
//! state, priority, SLA badge and whether it has a contractor: the orders `actor` may
//! see, grouped by those four, counted once. Each number is then the sum of the groups
//! its filter matches, so it still equals the count of the list it opens; a filter on
//! anything else is counted by the store as before.

use super::super::access::push_visible_to;
use super::super::filter::sla_rank;
use crate::db::Sql;
use crate::error::Result;
use crate::store::Store;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{ContractorFilter, WorkOrderFilter};
use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{Actor, Priority, State};

/// The orders of one (state, priority, SLA badge, assigned) group.
#[derive(Debug, Clone, Copy)]
struct Group {
    state: State,
    priority: Priority,
    sla: SlaStatus,
    unassigned: bool,
    orders: u64,
}

#[derive(Debug)]
pub struct Tally {
    groups: Vec<Group>,
}

impl Tally {
    /// Groups the orders `actor` may see, with their SLA badges as of `now`.
    pub async fn of(store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self> {
        let mut query = Sql::new(format!(
            "SELECT w.state, CAST(w.priority_rank AS BIGINT), CAST({} AS BIGINT), \
             CAST(CASE WHEN w.contractor_id IS NULL THEN 1 ELSE 0 END AS BIGINT), count(*) FROM work_orders w WHERE ",
            sla_rank(now)
        ));
        push_visible_to(&mut query, actor);
        query.push(" GROUP BY 1, 2, 3, 4");
        let rows: Vec<(String, i64, i64, i64, i64)> = query.fetch_all(store).await?;
        let groups = rows.into_iter().filter_map(group).collect();
        Ok(Self { groups })
    }

    /// How many orders `filter` lists, if it filters on nothing but what the groups
    /// hold; `None` for a filter the store must count.
    pub fn count(&self, filter: &WorkOrderFilter) -> Option<u64> {
        let matches = Matcher::of(filter)?;
        Some(self.groups.iter().filter(|group| matches.group(group)).map(|group| group.orders).sum())
    }
}

/// A stored row as a group; a row no Plumbline writes (an unknown state) is left out,
/// as the list's own state filter would leave it out.
fn group((state, priority_rank, sla, unassigned, orders): (String, i64, i64, i64, i64)) -> Option<Group> {
    Some(Group {
        state: State::parse(&state)?,
        priority: Priority::ALL.into_iter().find(|priority| priority.rank() == priority_rank)?,
        sla: sla_status_of_rank(sla)?,
        unassigned: unassigned == 1,
        orders: u64::try_from(orders).ok()?,
    })
}

/// The inverse of `filter::sla_rank`.
fn sla_status_of_rank(rank: i64) -> Option<SlaStatus> {
    match rank {
        0 => Some(SlaStatus::Breached),
        1 => Some(SlaStatus::AtRisk),
        2 => Some(SlaStatus::OnTrack),
        3 => Some(SlaStatus::Met),
        4 => Some(SlaStatus::NotApplicable),
        _ => None,
    }
}

/// The part of a filter the groups can answer.
struct Matcher<'a> {
    states: &'a [State],
    priority: Option<Priority>,
    sla: Option<SlaStatus>,
    unassigned: Option<bool>,
}

impl<'a> Matcher<'a> {
    fn of(filter: &'a WorkOrderFilter) -> Option<Self> {
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
        } = filter;
        let beyond_the_groups = category.is_some()
            || property.is_some()
            || landlord.is_some()
            || opened.is_some()
            || appointment.is_some()
            || property_id.is_some()
            || completed.is_some()
            || !payment.is_empty()
            || paid.is_some();
        let unassigned = match contractor {
            None => None,
            Some(ContractorFilter::Unassigned) => Some(true),
            Some(ContractorFilter::Assigned(_)) => return None,
        };
        (!beyond_the_groups).then_some(Self { states, priority: *priority, sla: *sla, unassigned })
    }

    fn group(&self, group: &Group) -> bool {
        (self.states.is_empty() || self.states.contains(&group.state))
            && self.priority.is_none_or(|priority| priority == group.priority)
            && self.sla.is_none_or(|sla| sla == group.sla)
            && self.unassigned.is_none_or(|unassigned| unassigned == group.unassigned)
    }
}
