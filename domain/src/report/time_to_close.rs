//! Time to complete: from the request to the contractor's completion, mean and median
//! by category, priority and month raised, and the share within the resolution target.

use super::{Context, OrderFacts, grouped_by_name, mean, median, per_month, seconds_between, share, standard_sections};
use crate::api::{Cell, Chart, ChartShape, Figure, Measure, Series, Table};

/// What a group of completed orders took.
struct Took {
    completed: usize,
    mean: Option<i64>,
    median: Option<i64>,
    within_target: Option<i64>,
}

fn took(orders: &[&OrderFacts]) -> Took {
    let completed: Vec<&&OrderFacts> = orders.iter().filter(|o| o.completed_at.is_some()).collect();
    let mut seconds: Vec<i64> =
        completed.iter().filter_map(|o| seconds_between(Some(o.opened_at), o.completed_at)).collect();
    let within = completed.iter().filter(|o| o.completed_at.is_some_and(|at| at <= o.resolve_by)).count();
    Took {
        completed: completed.len(),
        mean: mean(&seconds),
        median: median(&mut seconds),
        within_target: share(within, completed.len()),
    }
}

fn cells(orders: &Vec<&OrderFacts>) -> Vec<Cell> {
    let took = took(orders);
    vec![
        super::count(took.completed),
        Cell::number(Measure::Duration, took.mean),
        Cell::number(Measure::Duration, took.median),
        Cell::number(Measure::Share, took.within_target),
    ]
}

pub(super) fn report(orders: &[OrderFacts], context: &Context) -> (Vec<Figure>, Vec<Chart>, Table) {
    let orders: Vec<&OrderFacts> = orders.iter().collect();
    let all = took(&orders);
    let figures = vec![
        Figure { label: "Completed".into(), value: super::count(all.completed) },
        Figure { label: "Mean".into(), value: Cell::number(Measure::Duration, all.mean) },
        Figure { label: "Median".into(), value: Cell::number(Measure::Duration, all.median) },
        Figure { label: "Within resolution target".into(), value: Cell::number(Measure::Share, all.within_target) },
    ];
    let months: Vec<Took> = per_month(&orders, context).iter().map(|month| took(month)).collect();
    let by_category = grouped_by_name(orders.iter().copied(), |o| o.category, |id| context.names.category(id));
    let charts = vec![
        Chart {
            title: "Request to completion, by month raised".into(),
            shape: ChartShape::Lines,
            measure: Measure::Duration,
            labels: context.month_labels(),
            series: vec![
                Series { name: "Mean".into(), values: months.iter().map(|m| m.mean).collect() },
                Series { name: "Median".into(), values: months.iter().map(|m| m.median).collect() },
            ],
        },
        Chart {
            title: "Median by category".into(),
            shape: ChartShape::Bars,
            measure: Measure::Duration,
            labels: by_category.keys().cloned().collect(),
            series: vec![Series {
                name: "Median".into(),
                values: by_category.values().map(|group| took(group).median).collect(),
            }],
        },
    ];
    let table = Table {
        columns: ["By", "Group", "Completed", "Mean", "Median", "Within target"].map(String::from).to_vec(),
        rows: standard_sections(&orders, context, cells),
        note: None,
    };
    (figures, charts, table)
}
