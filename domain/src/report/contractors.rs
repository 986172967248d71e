//! Contractor performance: for each contractor, of the jobs raised in the period that
//! are now theirs, how fast they accept and get on site, how many they finish, how many
//! they fix the first time, how tenants rate them, and what a job costs.

use super::{Context, OrderFacts, grouped, mean, median, seconds_between, share};
use crate::api::{Cell, Chart, ChartShape, Figure, Measure, Series, Table};
use crate::lifecycle::State;

/// Contractors charted (the busiest); the table lists them all.
const CHARTED: usize = 12;

struct Performance {
    jobs: usize,
    to_accept: Option<i64>,
    to_attend: Option<i64>,
    completion: Option<i64>,
    first_time_fix: Option<i64>,
    rating: Option<i64>,
    ratings: usize,
    cost_per_job: Option<i64>,
}

fn performance(orders: &[&OrderFacts]) -> Performance {
    let work = |o: &&&OrderFacts| o.work.unwrap_or_default();
    let mut to_accept: Vec<i64> =
        orders.iter().filter_map(|o| seconds_between(work(&o).offered_at, work(&o).accepted_at)).collect();
    let mut to_attend: Vec<i64> =
        orders.iter().filter_map(|o| seconds_between(Some(o.opened_at), work(&o).started_at)).collect();
    let completed: Vec<&&OrderFacts> = orders.iter().filter(|o| o.completed_at.is_some()).collect();
    // Finished one way or the other: completed, or cancelled while theirs.
    let ended = completed.len() + orders.iter().filter(|o| o.state == State::Cancelled).count();
    let fixed_first_time = completed.iter().filter(|o| !o.work.unwrap_or_default().sent_back).count();
    let ratings: Vec<i64> = orders.iter().filter_map(|o| o.rating.map(|stars| stars * 10)).collect();
    let invoices: Vec<i64> = orders.iter().filter_map(|o| o.invoice_minor).collect();
    Performance {
        jobs: orders.len(),
        to_accept: median(&mut to_accept),
        to_attend: median(&mut to_attend),
        completion: share(completed.len(), ended),
        first_time_fix: share(fixed_first_time, completed.len()),
        rating: mean(&ratings),
        ratings: ratings.len(),
        cost_per_job: mean(&invoices),
    }
}

fn cells(name: String, p: &Performance) -> Vec<Cell> {
    vec![
        Cell::Text(name),
        super::count(p.jobs),
        Cell::number(Measure::Duration, p.to_accept),
        Cell::number(Measure::Duration, p.to_attend),
        Cell::number(Measure::Share, p.completion),
        Cell::number(Measure::Share, p.first_time_fix),
        Cell::number(Measure::Rating, p.rating),
        super::count(p.ratings),
        Cell::number(Measure::Money, p.cost_per_job),
    ]
}

pub(super) fn report(orders: &[OrderFacts], context: &Context) -> (Vec<Figure>, Vec<Chart>, Table) {
    let theirs: Vec<&OrderFacts> = orders.iter().filter(|o| o.contractor.is_some()).collect();
    let all = performance(&theirs);
    let mut contractors: Vec<(String, Performance)> = grouped(theirs.iter().copied(), |o| o.contractor)
        .into_iter()
        .filter_map(|(id, group)| Some((context.names.contractor(id?), performance(&group))))
        .collect();
    // Busiest first, then by name.
    contractors.sort_by(|a, b| b.1.jobs.cmp(&a.1.jobs).then_with(|| a.0.cmp(&b.0)));
    let figures = vec![
        Figure { label: "Contractors".into(), value: super::count(contractors.len()) },
        Figure { label: "Median time to accept".into(), value: Cell::number(Measure::Duration, all.to_accept) },
        Figure { label: "First-time fix".into(), value: Cell::number(Measure::Share, all.first_time_fix) },
        Figure { label: "Tenant rating".into(), value: Cell::number(Measure::Rating, all.rating) },
    ];
    let charted = &contractors[..contractors.len().min(CHARTED)];
    let charts = vec![Chart {
        title: "Completion and first-time fix, busiest contractors".into(),
        shape: ChartShape::Bars,
        measure: Measure::Share,
        labels: charted.iter().map(|(name, _)| name.clone()).collect(),
        series: vec![
            Series { name: "Completion".into(), values: charted.iter().map(|(_, p)| p.completion).collect() },
            Series { name: "First-time fix".into(), values: charted.iter().map(|(_, p)| p.first_time_fix).collect() },
        ],
    }];
    let columns = [
        "Contractor",
        "Jobs",
        "Median to accept",
        "Median request to on site",
        "Completion",
        "First-time fix",
        "Rating",
        "Ratings",
        "Cost per job",
    ];
    let rows = contractors.into_iter().map(|(name, p)| cells(name, &p)).collect();
    (figures, charts, Table { columns: columns.map(String::from).to_vec(), rows, note: None })
}
