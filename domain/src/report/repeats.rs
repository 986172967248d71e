//! Repeat faults, three ways: the same kind of fault again at one unit within N months;
//! the same kind across several units of one property (a building's fault, not a
//! flat's); and the same contractor back at one unit for the same problem (a fix that
//! did not hold). Rejected and cancelled requests were not faults and do not count.

use super::{Context, OrderFacts, share};
use crate::api::{Cell, Chart, ChartShape, Figure, MAX_PATTERN_ROWS, Measure, Series, Table};
use crate::ids::Reference;
use crate::repeat::counts;
use chrono::Months;
use std::collections::{BTreeMap, BTreeSet};

/// References listed per row, newest first.
const REFERENCES_LISTED: usize = 6;

/// One row of one pattern, before it is written as cells.
struct Pattern<'a> {
    pattern: &'static str,
    place: String,
    issue: String,
    contractor: Option<String>,
    orders: Vec<&'a OrderFacts>,
    repeats: usize,
    units: usize,
}

/// `orders` sorted by `key`, oldest first within a key, so each key's orders are one run
/// of the slice (`runs`): at agency scale most of 70,000 groups hold one order, and a
/// map of them cost more than the rest of the report.
fn sorted_by<'a, K: Ord>(
    orders: impl IntoIterator<Item = &'a OrderFacts>,
    key: impl Fn(&OrderFacts) -> K,
) -> Vec<&'a OrderFacts> {
    let mut sorted: Vec<&OrderFacts> = orders.into_iter().collect();
    sorted.sort_unstable_by(|a, b| key(a).cmp(&key(b)).then((a.opened_at, a.id).cmp(&(b.opened_at, b.id))));
    sorted
}

/// Each key's run of `sorted_by`'s slice.
fn runs<'s, 'a, K: PartialEq>(
    sorted: &'s [&'a OrderFacts],
    key: impl Fn(&OrderFacts) -> K + Copy,
) -> impl Iterator<Item = (K, &'s [&'a OrderFacts])> {
    sorted.chunk_by(move |a, b| key(a) == key(b)).map(move |run| (key(run[0]), run))
}

/// How many of `orders` (one unit's, one kind, oldest first) came within `months` of
/// the one before.
fn repeats(orders: &[&OrderFacts], months: u32) -> usize {
    orders
        .windows(2)
        .filter(|pair| {
            pair[0].opened_at.checked_add_months(Months::new(months)).is_some_and(|until| pair[1].opened_at <= until)
        })
        .count()
}

pub(super) fn report(orders: &[OrderFacts], context: &Context) -> (Vec<Figure>, Vec<Chart>, Table) {
    let names = context.names;
    let months = context.filter.repeat_months;
    let faults: Vec<&OrderFacts> = orders.iter().filter(|o| counts(o.state)).collect();

    let mut same_unit = Vec::new();
    let mut repeats_by_category: BTreeMap<String, i64> = BTreeMap::new();
    let unit_and_category = |o: &OrderFacts| (o.unit, o.category);
    let sorted = sorted_by(faults.iter().copied(), unit_and_category);
    for ((unit, category), group) in runs(&sorted, unit_and_category) {
        let repeated = repeats(group, months);
        if repeated > 0 {
            *repeats_by_category.entry(names.category(category)).or_default() += repeated as i64;
            same_unit.push(Pattern {
                pattern: "Same unit",
                place: names.unit(unit),
                issue: names.category(category),
                contractor: None,
                orders: group.to_vec(),
                repeats: repeated,
                units: 1,
            });
        }
    }
    let property_and_category = |o: &OrderFacts| (o.property, o.category);
    let sorted = sorted_by(faults.iter().copied(), property_and_category);
    let across_property: Vec<Pattern> = runs(&sorted, property_and_category)
        .filter_map(|((property, category), group)| {
            let units = group.iter().map(|o| o.unit).collect::<BTreeSet<_>>().len();
            (units > 1).then(|| Pattern {
                pattern: "Across a property",
                place: names.property(property),
                issue: names.category(category),
                contractor: None,
                orders: group.to_vec(),
                repeats: 0,
                units,
            })
        })
        .collect();
    let mut contractor_back = Vec::new();
    let back_at_unit = |o: &OrderFacts| (o.unit, o.subcategory, o.contractor);
    let sorted = sorted_by(faults.iter().copied().filter(|o| o.contractor.is_some()), back_at_unit);
    for ((unit, subcategory, contractor), group) in runs(&sorted, back_at_unit) {
        let repeated = repeats(group, months);
        if let (true, Some(contractor), Some(first)) = (repeated > 0, contractor, group.first()) {
            contractor_back.push(Pattern {
                pattern: "Same contractor back",
                place: names.unit(unit),
                issue: format!("{} / {}", names.category(first.category), names.category(subcategory)),
                contractor: Some(names.contractor(contractor)),
                orders: group.to_vec(),
                repeats: repeated,
                units: 1,
            });
        }
    }

    let repeat_orders: usize = same_unit.iter().map(|p| p.repeats).sum();
    let returns: usize = contractor_back.iter().map(|p| p.repeats).sum();
    let figures = vec![
        Figure { label: "Repeat requests".into(), value: super::count(repeat_orders) },
        Figure {
            label: "Share of requests".into(),
            value: Cell::number(Measure::Share, share(repeat_orders, faults.len())),
        },
        Figure { label: "Units with a repeat".into(), value: super::count(same_unit.len()) },
        Figure { label: "Contractor returns".into(), value: super::count(returns) },
    ];
    let charts = vec![Chart {
        title: format!("Repeat requests by category, within {months} months"),
        shape: ChartShape::Bars,
        measure: Measure::Count,
        labels: repeats_by_category.keys().cloned().collect(),
        series: vec![Series {
            name: "Repeats".into(),
            values: repeats_by_category.values().map(|n| Some(*n)).collect(),
        }],
    }];
    (figures, charts, table(context, [same_unit, across_property, contractor_back]))
}

/// Each pattern's rows, largest first, at most `MAX_PATTERN_ROWS` each.
fn table(context: &Context, patterns: [Vec<Pattern>; 3]) -> Table {
    let mut rows = Vec::new();
    let mut left_out = Vec::new();
    for mut pattern in patterns {
        pattern.sort_by(|a, b| {
            (b.repeats, b.units, b.orders.len())
                .cmp(&(a.repeats, a.units, a.orders.len()))
                .then_with(|| a.place.cmp(&b.place))
        });
        if let Some(first) = pattern.first().filter(|_| pattern.len() > MAX_PATTERN_ROWS) {
            left_out.push(format!("{}: the {MAX_PATTERN_ROWS} largest of {}", first.pattern, pattern.len()));
        }
        rows.extend(pattern.iter().take(MAX_PATTERN_ROWS).map(|p| cells(context, p)));
    }
    let columns =
        ["Pattern", "Where", "Issue", "Contractor", "Requests", "Repeats", "Units", "Last raised", "References"];
    let note = (!left_out.is_empty()).then(|| format!("{}.", left_out.join("; ")));
    Table { columns: columns.map(String::from).to_vec(), rows, note }
}

fn cells(context: &Context, p: &Pattern) -> Vec<Cell> {
    let mut newest: Vec<&&OrderFacts> = p.orders.iter().collect();
    newest.sort_by_key(|o| std::cmp::Reverse((o.opened_at, o.id)));
    let last = newest.first().map(|o| context.calendar.local_date(o.opened_at).format("%-d %b %Y").to_string());
    let references: Vec<String> =
        newest.iter().take(REFERENCES_LISTED).map(|o| Reference::of(o.id).to_string()).collect();
    vec![
        Cell::text(p.pattern),
        Cell::text(p.place.clone()),
        Cell::text(p.issue.clone()),
        p.contractor.clone().map_or(Cell::Blank, Cell::Text),
        super::count(p.orders.len()),
        if p.repeats > 0 { super::count(p.repeats) } else { Cell::Blank },
        super::count(p.units),
        last.map_or(Cell::Blank, Cell::Text),
        Cell::Text(references.join(" ")),
    ]
}
