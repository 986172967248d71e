//! Spend: what the jobs raised in the period were invoiced and what has been paid out,
//! by property and landlord (those that spent most first), category and month raised.

use super::{Context, OrderFacts, grouped_by_name, mean, per_month, section};
use crate::api::{Cell, Chart, ChartShape, Figure, MAX_PATTERN_ROWS, Measure, Series, Table};
use std::collections::BTreeMap;

struct Spent {
    jobs: usize,
    invoiced: i64,
    paid: i64,
    average: Option<i64>,
}

fn spent(orders: &[&OrderFacts]) -> Spent {
    let invoices: Vec<i64> = orders.iter().filter_map(|o| o.invoice_minor).collect();
    Spent {
        jobs: invoices.len(),
        invoiced: invoices.iter().sum(),
        paid: orders.iter().filter_map(|o| o.paid_minor).sum(),
        average: mean(&invoices),
    }
}

fn cells(orders: &Vec<&OrderFacts>) -> Vec<Cell> {
    let spent = spent(orders);
    vec![
        super::count(spent.jobs),
        Cell::Number(Measure::Money, spent.invoiced),
        Cell::Number(Measure::Money, spent.paid),
        Cell::number(Measure::Money, spent.average),
    ]
}

pub(super) fn report(orders: &[OrderFacts], context: &Context) -> (Vec<Figure>, Vec<Chart>, Table) {
    let names = context.names;
    let invoiced: Vec<&OrderFacts> = orders.iter().filter(|o| o.invoice_minor.is_some()).collect();
    let all = spent(&invoiced);
    let figures = vec![
        Figure { label: "Jobs invoiced".into(), value: super::count(all.jobs) },
        Figure { label: "Invoiced".into(), value: Cell::Number(Measure::Money, all.invoiced) },
        Figure { label: "Paid".into(), value: Cell::Number(Measure::Money, all.paid) },
        Figure { label: "Average per job".into(), value: Cell::number(Measure::Money, all.average) },
    ];
    let months: Vec<Spent> = per_month(&invoiced, context).iter().map(|month| spent(month)).collect();
    let by_category = grouped_by_name(invoiced.iter().copied(), |o| o.category, |id| names.category(id));
    let charts = vec![
        Chart {
            title: "Invoiced and paid, by month raised".into(),
            shape: ChartShape::Bars,
            measure: Measure::Money,
            labels: context.month_labels(),
            series: vec![
                Series { name: "Invoiced".into(), values: months.iter().map(|m| Some(m.invoiced)).collect() },
                Series { name: "Paid".into(), values: months.iter().map(|m| Some(m.paid)).collect() },
            ],
        },
        Chart {
            title: "Invoiced by category".into(),
            shape: ChartShape::Bars,
            measure: Measure::Money,
            labels: by_category.keys().cloned().collect(),
            series: vec![Series {
                name: "Invoiced".into(),
                values: by_category.values().map(|group| Some(spent(group).invoiced)).collect(),
            }],
        },
    ];
    let mut left_out = Vec::new();
    let by_property = largest(
        "Property",
        grouped_by_name(invoiced.iter().copied(), |o| o.property, |id| names.property(id)),
        &mut left_out,
    );
    let by_landlord = largest(
        "Landlord",
        grouped_by_name(invoiced.iter().copied(), |o| o.landlord, |id| names.landlord(id)),
        &mut left_out,
    );
    let mut rows = section("Property", by_property, cells);
    rows.extend(section("Landlord", by_landlord, cells));
    rows.extend(section("Category", by_category, cells));
    rows.extend(section("Month", context.month_labels().into_iter().zip(per_month(&invoiced, context)), cells));
    let columns = ["By", "Group", "Jobs invoiced", "Invoiced", "Paid", "Average per job"];
    let note = (!left_out.is_empty()).then(|| format!("{}.", left_out.join("; ")));
    (figures, charts, Table { columns: columns.map(String::from).to_vec(), rows, note })
}

/// The groups that spent most, largest first, at most `MAX_PATTERN_ROWS` (a large
/// agency's thousands of properties are read in the CSV, not on screen); what was left
/// out is said in `left_out`.
fn largest<'a>(
    section: &str,
    groups: BTreeMap<String, Vec<&'a OrderFacts>>,
    left_out: &mut Vec<String>,
) -> Vec<(String, Vec<&'a OrderFacts>)> {
    let mut groups: Vec<(String, Vec<&OrderFacts>)> = groups.into_iter().collect();
    groups.sort_by_cached_key(|(name, group)| (std::cmp::Reverse(spent(group).invoiced), name.clone()));
    if groups.len() > MAX_PATTERN_ROWS {
        left_out.push(format!("{section}: the {MAX_PATTERN_ROWS} largest of {}", groups.len()));
        groups.truncate(MAX_PATTERN_ROWS);
    }
    groups
}
