//! SLA targets: of the clocks that have run out or stopped, the share met, for the
//! response and the resolution, by priority and month raised. A clock still running
//! within its target is not yet met or missed, so it is not counted; abandoned orders
//! (rejected, cancelled) had nothing to deliver.

use super::{Context, OrderFacts, grouped, per_month, share, standard_sections};
use crate::api::{Cell, Chart, ChartShape, Figure, Measure, Series, Table};
use crate::sla::{SlaStatus, clock_status};

/// Met and due counts of one clock over a group.
#[derive(Default)]
struct Clock {
    met: usize,
    due: usize,
}

impl Clock {
    fn count(&mut self, status: SlaStatus) {
        match status {
            SlaStatus::Met => (self.met, self.due) = (self.met + 1, self.due + 1),
            SlaStatus::Breached => self.due += 1,
            SlaStatus::OnTrack | SlaStatus::AtRisk | SlaStatus::NotApplicable => {}
        }
    }

    fn share(&self) -> Option<i64> {
        share(self.met, self.due)
    }
}

fn clocks(orders: &[&OrderFacts], context: &Context) -> (Clock, Clock) {
    let (mut respond, mut resolve) = (Clock::default(), Clock::default());
    for order in orders.iter().filter(|o| !o.state.was_abandoned()) {
        respond.count(clock_status(order.opened_at, order.respond_by, order.responded_at, context.now));
        resolve.count(clock_status(order.opened_at, order.resolve_by, order.completed_at, context.now));
    }
    (respond, resolve)
}

pub(super) fn report(orders: &[OrderFacts], context: &Context) -> (Vec<Figure>, Vec<Chart>, Table) {
    let orders: Vec<&OrderFacts> = orders.iter().collect();
    let (respond, resolve) = clocks(&orders, context);
    let figures = vec![
        Figure { label: "Responses due".into(), value: super::count(respond.due) },
        Figure { label: "Response target met".into(), value: Cell::number(Measure::Share, respond.share()) },
        Figure { label: "Resolutions due".into(), value: super::count(resolve.due) },
        Figure { label: "Resolution target met".into(), value: Cell::number(Measure::Share, resolve.share()) },
    ];
    let months: Vec<(Clock, Clock)> = per_month(&orders, context).iter().map(|m| clocks(m, context)).collect();
    let by_priority = grouped(orders.iter().copied(), |o| o.priority);
    let priorities: Vec<(Clock, Clock)> = by_priority.values().map(|group| clocks(group, context)).collect();
    let both = |name: &str, pick: &dyn Fn(&(Clock, Clock)) -> &Clock, of: &[(Clock, Clock)]| Series {
        name: name.into(),
        values: of.iter().map(|clocks| pick(clocks).share()).collect(),
    };
    let charts = vec![
        Chart {
            title: "Targets met, by month raised".into(),
            shape: ChartShape::Lines,
            measure: Measure::Share,
            labels: context.month_labels(),
            series: vec![both("Response", &|c| &c.0, &months), both("Resolution", &|c| &c.1, &months)],
        },
        Chart {
            title: "Targets met, by priority".into(),
            shape: ChartShape::Bars,
            measure: Measure::Share,
            labels: by_priority.keys().map(|p| p.as_str().to_owned()).collect(),
            series: vec![both("Response", &|c| &c.0, &priorities), both("Resolution", &|c| &c.1, &priorities)],
        },
    ];
    let cells = |group: &Vec<&OrderFacts>| {
        let (respond, resolve) = clocks(group, context);
        vec![
            super::count(respond.due),
            super::count(respond.met),
            Cell::number(Measure::Share, respond.share()),
            super::count(resolve.due),
            super::count(resolve.met),
            Cell::number(Measure::Share, resolve.share()),
        ]
    };
    let columns = [
        "By",
        "Group",
        "Responses due",
        "Responded in time",
        "Response met",
        "Resolutions due",
        "Resolved in time",
        "Resolution met",
    ];
    let table = Table {
        columns: columns.map(String::from).to_vec(),
        rows: standard_sections(&orders, context, cells),
        note: None,
    };
    (figures, charts, table)
}
