//! Repeat faults, three ways: the same kind of fault again at one unit within N months;
//! the same kind across several units of one property (a building's fault, not a
//! flat's); and the same contractor back at one unit for the same problem (a fix that
//! did not hold). Rejected and cancelled requests were not faults and do not count, nor
//! are planned-maintenance visits: a schedule's visit is neither a repeat nor the fault a
//! later request repeats (as on the order page and in triage: the service's
//! `work_orders::repeats`). The share of requests is of the faults alone.

use super::{Context, Names, OrderFacts, share};
use crate::UserId;
use crate::api::{Cell, Chart, ChartShape, Figure, MAX_PATTERN_ROWS, Measure, Series, Table};
use crate::dates;
use crate::ids::{CategoryId, PropertyId, Reference, UnitId};
use crate::repeat::counts;
use chrono::Months;
use std::collections::{BTreeMap, BTreeSet};

/// References listed per row, newest first.
const REFERENCES_LISTED: usize = 6;

/// One row of one pattern, before it is written as cells. It holds ids, not names:
/// at agency scale there are thousands of rows of which a hundred are shown, and only
/// those are named.
struct Pattern<'a> {
    pattern: &'static str,
    place: Place,
    category: CategoryId,
    /// Named with the category where the pattern is one sub-category's.
    subcategory: Option<CategoryId>,
    contractor: Option<UserId>,
    orders: &'a [&'a OrderFacts],
    repeats: usize,
    units: usize,
}

enum Place {
    Unit(UnitId),
    Property(PropertyId),
}

impl Pattern<'_> {
    /// What decides which rows are shown: the most repeats, then units, then requests.
    fn size(&self) -> (usize, usize, usize) {
        (self.repeats, self.units, self.orders.len())
    }

    fn place(&self, names: &Names) -> String {
        match self.place {
            Place::Unit(unit) => names.unit(unit),
            Place::Property(property) => names.property(property),
        }
    }

    fn issue(&self, names: &Names) -> String {
        match self.subcategory {
            Some(subcategory) => format!("{} / {}", names.category(self.category), names.category(subcategory)),
            None => names.category(self.category),
        }
    }
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

/// Whether the order counts as a fault: not a schedule's visit, and not abandoned.
fn is_fault(order: &OrderFacts) -> bool {
    !order.planned && counts(order.state)
}

pub(super) fn report(orders: &[OrderFacts], context: &Context) -> (Vec<Figure>, Vec<Chart>, Table) {
    let names = context.names;
    let months = context.filter.repeat_months;
    let faults: Vec<&OrderFacts> = orders.iter().filter(|o| is_fault(o)).collect();

    let unit_and_category = |o: &OrderFacts| (o.unit, o.category);
    let by_unit = sorted_by(faults.iter().copied(), unit_and_category);
    let same_unit: Vec<Pattern> = runs(&by_unit, unit_and_category)
        .filter_map(|((unit, category), group)| {
            let repeats = repeats(group, months);
            (repeats > 0).then_some(Pattern {
                pattern: "Same unit",
                place: Place::Unit(unit),
                category,
                subcategory: None,
                contractor: None,
                orders: group,
                repeats,
                units: 1,
            })
        })
        .collect();
    let property_and_category = |o: &OrderFacts| (o.property, o.category);
    let by_property = sorted_by(faults.iter().copied(), property_and_category);
    let across_property: Vec<Pattern> = runs(&by_property, property_and_category)
        .filter_map(|((property, category), group)| {
            let units = group.iter().map(|o| o.unit).collect::<BTreeSet<_>>().len();
            (units > 1).then_some(Pattern {
                pattern: "Across a property",
                place: Place::Property(property),
                category,
                subcategory: None,
                contractor: None,
                orders: group,
                repeats: 0,
                units,
            })
        })
        .collect();
    let back_at_unit = |o: &OrderFacts| (o.unit, o.subcategory, o.contractor);
    let by_contractor = sorted_by(faults.iter().copied().filter(|o| o.contractor.is_some()), back_at_unit);
    let contractor_back: Vec<Pattern> = runs(&by_contractor, back_at_unit)
        .filter_map(|((unit, subcategory, contractor), group)| {
            let repeats = repeats(group, months);
            let first = group.first()?;
            (repeats > 0).then_some(Pattern {
                pattern: "Same contractor back",
                place: Place::Unit(unit),
                category: first.category,
                subcategory: Some(subcategory),
                contractor,
                orders: group,
                repeats,
                units: 1,
            })
        })
        .collect();

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
    let charts = vec![by_category_chart(names, months, &same_unit)];
    (figures, charts, table(context, [same_unit, across_property, contractor_back]))
}

/// The repeats at one unit, summed by category and named once per category.
fn by_category_chart(names: &Names, months: u32, same_unit: &[Pattern]) -> Chart {
    let mut by_id: BTreeMap<CategoryId, i64> = BTreeMap::new();
    for pattern in same_unit {
        *by_id.entry(pattern.category).or_default() += pattern.repeats as i64;
    }
    let mut by_name: BTreeMap<String, i64> = BTreeMap::new();
    for (category, repeats) in by_id {
        *by_name.entry(names.category(category)).or_default() += repeats;
    }
    Chart {
        title: format!("Repeat requests by category, within {months} months"),
        shape: ChartShape::Bars,
        measure: Measure::Count,
        labels: by_name.keys().cloned().collect(),
        series: vec![Series { name: "Repeats".into(), values: by_name.values().map(|n| Some(*n)).collect() }],
    }
}

/// Each pattern's rows, largest first (then by place and issue), at most
/// `MAX_PATTERN_ROWS` each.
fn table(context: &Context, patterns: [Vec<Pattern>; 3]) -> Table {
    let names = context.names;
    let mut rows = Vec::new();
    let mut left_out = Vec::new();
    for mut pattern in patterns {
        pattern.sort_unstable_by_key(|p| std::cmp::Reverse(p.size()));
        // Only the rows as large as the last one shown can be shown, so only they are named.
        let candidates = match pattern.get(MAX_PATTERN_ROWS.saturating_sub(1)) {
            Some(last) => pattern.partition_point(|p| p.size() >= last.size()),
            None => pattern.len(),
        };
        let mut named: Vec<(String, String, &Pattern)> =
            pattern[..candidates].iter().map(|p| (p.place(names), p.issue(names), p)).collect();
        named.sort_by(|(a_place, a_issue, a), (b_place, b_issue, b)| {
            let tie = |p: &Pattern| (p.contractor, p.orders.first().map(|o| o.id));
            b.size().cmp(&a.size()).then_with(|| (a_place, a_issue, tie(a)).cmp(&(b_place, b_issue, tie(b))))
        });
        if let Some(first) = pattern.first().filter(|_| pattern.len() > MAX_PATTERN_ROWS) {
            left_out.push(format!("{}: the {MAX_PATTERN_ROWS} largest of {}", first.pattern, pattern.len()));
        }
        rows.extend(named.into_iter().take(MAX_PATTERN_ROWS).map(|(place, issue, p)| cells(context, p, place, issue)));
    }
    let columns =
        ["Pattern", "Where", "Issue", "Contractor", "Requests", "Repeats", "Units", "Last raised", "References"];
    let note = (!left_out.is_empty()).then(|| format!("{}.", left_out.join("; ")));
    Table { columns: columns.map(String::from).to_vec(), rows, note }
}

fn cells(context: &Context, p: &Pattern, place: String, issue: String) -> Vec<Cell> {
    let mut newest: Vec<&&OrderFacts> = p.orders.iter().collect();
    newest.sort_by_key(|o| std::cmp::Reverse((o.opened_at, o.id)));
    let last = newest.first().map(|o| dates::day(context.calendar.local_date(o.opened_at)));
    let references: Vec<String> =
        newest.iter().take(REFERENCES_LISTED).map(|o| Reference::of(o.id).to_string()).collect();
    vec![
        Cell::text(p.pattern),
        Cell::Text(place),
        Cell::Text(issue),
        p.contractor.map_or(Cell::Blank, |contractor| Cell::Text(context.names.contractor(contractor))),
        super::count(p.orders.len()),
        if p.repeats > 0 { super::count(p.repeats) } else { Cell::Blank },
        super::count(p.units),
        last.map_or(Cell::Blank, Cell::Text),
        Cell::Text(references.join(" ")),
    ]
}
