//! The list's CSV is read through the shell from this computer's demo store: every page
//! in the screen's order, its progress told page by page, and a cancel that stops the
//! read between pages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::export_cancel::ExportCancel;
use crate::order_file_tests::{open_demo, sign_in_as};
use plumbline_domain::api::{ListSort, ListWorkOrders, SortColumn, WorkOrderFilter};
use plumbline_domain::commands;
use plumbline_service::exports::every_row;
use plumbline_service::users;
use plumbline_service::work_orders::MAX_PAGE_SIZE;
use std::sync::Mutex;

const PAGE: u32 = 40;

#[tokio::test]
async fn every_page_is_read_in_the_lists_order_and_each_is_told() {
    let (_dir, state, store) = open_demo().await;
    let staff = users::first_staff(&store).await.unwrap();
    sign_in_as(&state, &store, staff.user_id.0).await;
    let sort = ListSort { column: SortColumn::Property, descending: false };
    let request = ListWorkOrders { filter: WorkOrderFilter::default(), sort, after: None, limit: MAX_PAGE_SIZE };
    let screen = state.run(commands::ListWorkOrders { request }).await.unwrap();
    assert!(screen.next.is_none() && screen.rows.len() > 3 * PAGE as usize, "the demo fits one large page");
    let total = screen.rows.len();

    let told = Mutex::new(Vec::new());
    let progress = |step: String| told.lock().unwrap().push(step);
    let cancel = ExportCancel::default();
    let rows = every_row(&state, WorkOrderFilter::default(), sort, PAGE, &|| cancel.asked(), &progress)
        .await
        .unwrap()
        .expect("not cancelled");
    let ids = |rows: &[plumbline_domain::api::WorkOrderRow]| rows.iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(&rows), ids(&screen.rows), "every order once, in the screen's order");
    let told = told.into_inner().unwrap();
    assert_eq!(told.len(), total.div_ceil(PAGE as usize), "one step per page");
    assert_eq!(told[0], format!("Read {PAGE} of {total} orders"));
    assert_eq!(told.last().unwrap(), &format!("Read {total} of {total} orders"));
}

#[tokio::test]
async fn a_cancel_stops_the_read_at_the_next_page_and_gives_nothing_to_save() {
    let (_dir, state, store) = open_demo().await;
    let staff = users::first_staff(&store).await.unwrap();
    sign_in_as(&state, &store, staff.user_id.0).await;
    let cancel = ExportCancel::default();
    cancel.start();
    let pages = Mutex::new(0);
    let progress = |_: String| {
        let mut pages = pages.lock().unwrap();
        *pages += 1;
        if *pages == 2 {
            cancel.cancel();
        }
    };
    let read =
        every_row(&state, WorkOrderFilter::default(), ListSort::default(), PAGE, &|| cancel.asked(), &progress).await;
    assert!(read.unwrap().is_none(), "cancelled: nothing to save");
    assert_eq!(*pages.lock().unwrap(), 2, "no page is read after the cancel");

    cancel.start();
    let read =
        every_row(&state, WorkOrderFilter::default(), ListSort::default(), PAGE, &|| cancel.asked(), &|_| {}).await;
    assert!(read.unwrap().is_some(), "the next export starts afresh");
}
