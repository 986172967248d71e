//! What the list's CSV is made from: every order its filter matches, in its sort, read a
//! page at a time through the same command as the screen (from this computer's store or
//! the agency server alike). At agency scale that is hundreds of pages, so the read
//! tells its progress and can be cancelled between pages.

use crate::export_cancel::ExportCancel;
use crate::state::AppState;
use plumbline_domain::api::{CommandError, ListSort, ListWorkOrders, WorkOrderFilter, WorkOrderRow};
use plumbline_domain::commands;
use plumbline_domain::numbers::thousands;

/// Every row, `page_size` at a time, telling `progress` after each page; `None` if
/// cancelled.
pub async fn every_row(
    state: &AppState,
    filter: WorkOrderFilter,
    sort: ListSort,
    page_size: u32,
    cancel: &ExportCancel,
    progress: &(dyn Fn(String) + Sync),
) -> Result<Option<Vec<WorkOrderRow>>, CommandError> {
    let mut request = ListWorkOrders { filter, sort, after: None, limit: page_size };
    let mut rows = Vec::new();
    let mut total = None;
    loop {
        if cancel.asked() {
            return Ok(None);
        }
        let page = state.run(commands::ListWorkOrders { request: request.clone() }).await?;
        // Only the first page counts them.
        total = total.or(page.total);
        rows.extend(page.rows);
        progress(read_so_far(rows.len(), total));
        match page.next {
            Some(next) => request.after = Some(next),
            None => return Ok((!cancel.asked()).then_some(rows)),
        }
    }
}

/// "Read 1,500 of 100,000 orders"
fn read_so_far(read: usize, total: Option<u64>) -> String {
    let read = thousands(i64::try_from(read).unwrap_or(i64::MAX));
    match total {
        Some(total) => format!("Read {read} of {} orders", thousands(i64::try_from(total).unwrap_or(i64::MAX))),
        None => format!("Read {read} orders"),
    }
}
