//! The list as a spreadsheet: its rows as CSV with the columns the screen shows the
//! reader (`api::list_columns`), written by the desktop where the user chooses.

use crate::csv_text::csv_text;
use crate::error::Result;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{ListColumn, SortColumn, WorkOrderRow, list_columns};
use plumbline_domain::{MoneyMinor, Role};

/// The heading of the list's "Age" column in a file: a file is read later, so it holds
/// when the order was opened rather than how long ago.
const OPENED: &str = "Opened";

/// `rows` as CSV for `viewer`, a header row first. `local` writes an instant in the
/// reader's own time zone (the desktop's), as the screen shows it.
pub fn rows_csv(rows: &[WorkOrderRow], viewer: Role, local: impl Fn(DateTime<Utc>) -> String) -> Result<String> {
    let columns = list_columns(viewer);
    let headings = columns.iter().map(|column| heading(*column).to_owned()).collect();
    let cells = rows.iter().map(|row| columns.iter().map(|column| cell(row, *column, &local)).collect());
    csv_text("the list", std::iter::once(headings).chain(cells))
}

pub fn heading(column: ListColumn) -> &'static str {
    match column {
        ListColumn::Sorted(SortColumn::Opened, _) => OPENED,
        ListColumn::Sorted(_, heading) | ListColumn::Cost(heading) => heading,
    }
}

fn cell(row: &WorkOrderRow, column: ListColumn, local: &impl Fn(DateTime<Utc>) -> String) -> String {
    let sorted = match column {
        ListColumn::Sorted(sorted, _) => sorted,
        ListColumn::Cost(_) => return row.cost.map(amount).unwrap_or_default(),
    };
    match sorted {
        SortColumn::Reference => row.reference.to_string(),
        SortColumn::Property => format!("{}, {}", row.property, row.unit),
        SortColumn::Issue => format!("{} / {}", row.category, row.subcategory),
        SortColumn::Priority => row.priority.as_str().to_owned(),
        SortColumn::State => row.state.label().to_owned(),
        SortColumn::Sla => row.sla.label().to_owned(),
        SortColumn::Contractor => row.contractor.clone().unwrap_or_default(),
        SortColumn::Opened => local(row.opened_at),
    }
}

/// An amount as a spreadsheet reads it: "1234.50", no currency sign or separators.
fn amount(money: MoneyMinor) -> String {
    let minor = money.minor_units();
    format!("{}.{:02}", minor / 100, minor % 100)
}
