//! A report's table as CSV: the screen's columns and rows, numbers plain and the unit in
//! each heading, for a spreadsheet.

use crate::csv_text::csv_text;
use crate::error::Result;
use plumbline_domain::api::Report;
use plumbline_domain::report::csv_heading;

pub fn report_csv(report: &Report) -> Result<String> {
    let table = &report.table;
    let headings = (0..table.columns.len()).map(|index| csv_heading(table, index, &report.currency)).collect();
    let rows = table.rows.iter().map(|row| row.iter().map(|cell| cell.csv()).collect());
    csv_text("the report", std::iter::once(headings).chain(rows))
}
