//! Spend: what the jobs raised in the period were invoiced and what has been paid out,
//! by property, landlord, category and month raised.

use super::{Context, OrderFacts, grouped, mean, per_month, section};
use crate::api::{Cell, Chart, ChartShape, Figure, Measure, Series, Table};

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
    let by_category = grouped(invoiced.iter().copied(), |o| names.category(o.category));
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
    let mut rows = section("Property", grouped(invoiced.iter().copied(), |o| names.property(o.property)), cells);
    rows.extend(section("Landlord", grouped(invoiced.iter().copied(), |o| names.landlord(o.landlord)), cells));
    rows.extend(section("Category", by_category, cells));
    rows.extend(section("Month", context.month_labels().into_iter().zip(per_month(&invoiced, context)), cells));
    let columns = ["By", "Group", "Jobs invoiced", "Invoiced", "Paid", "Average per job"];
    (figures, charts, Table { columns: columns.map(String::from).to_vec(), rows, note: None })
}
