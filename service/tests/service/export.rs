//! The list as CSV (#19): read back by a CSV parser, the file has the screen's columns
//! for each reader and the list's rows in its order, money as plain decimals.

use crate::fixtures::{all_rows, cast};
use crate::support::demo_store;
use plumbline_domain::api::{ListColumn, ListSort, ListWorkOrders, SortColumn, WorkOrderFilter, list_columns};
use plumbline_domain::{Actor, Role, State, UserId};
use plumbline_service::Store;
use plumbline_service::db::Sql;
use plumbline_service::work_orders::export::{heading, rows_csv};

fn request(filter: WorkOrderFilter) -> ListWorkOrders {
    ListWorkOrders {
        filter,
        sort: ListSort { column: SortColumn::Reference, descending: false },
        after: None,
        limit: 100,
    }
}

/// The file's header and rows, as a CSV parser reads them.
fn read_back(csv: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    (header, rows)
}

async fn exported(store: &Store, actor: Actor, filter: WorkOrderFilter) {
    let rows = all_rows(store, actor, request(filter)).await;
    assert!(!rows.is_empty(), "{actor:?} has orders to export");
    let csv = rows_csv(&rows, actor.role, |at| at.format("%Y-%m-%d %H:%M").to_string()).unwrap();
    let (header, cells) = read_back(&csv);
    let columns = list_columns(actor.role);
    let expected: Vec<&str> = columns.iter().map(|column| heading(*column)).collect();
    assert_eq!(header, expected, "the screen's columns, the age as when opened");
    assert_eq!(cells.len(), rows.len(), "every row, none twice");
    for (row, line) in rows.iter().zip(&cells) {
        for (column, value) in columns.iter().zip(line) {
            let want = match column {
                ListColumn::Sorted(SortColumn::Reference, _) => row.reference.to_string(),
                ListColumn::Sorted(SortColumn::State, _) => row.state.label().to_owned(),
                ListColumn::Sorted(SortColumn::Property, _) => format!("{}, {}", row.property, row.unit),
                ListColumn::Sorted(SortColumn::Opened, _) => row.opened_at.format("%Y-%m-%d %H:%M").to_string(),
                ListColumn::Cost(_) => {
                    row.cost.map(|c| format!("{:.2}", c.minor_units() as f64 / 100.0)).unwrap_or_default()
                }
                ListColumn::Sorted(..) => continue,
            };
            assert_eq!(value, &want, "{column:?} of {}", row.reference);
        }
    }
}

#[tokio::test]
async fn the_list_reads_back_from_csv_with_the_screens_columns_for_each_reader() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    exported(store, cast.staff, WorkOrderFilter::default()).await;
    let closed = WorkOrderFilter { states: vec![State::Closed], ..WorkOrderFilter::default() };
    exported(store, cast.staff, closed.clone()).await;
    exported(store, cast.landlord, WorkOrderFilter::default()).await;
    // A contractor with invoiced jobs: their invoice column.
    let (busiest,): (i64,) = Sql::new(
        "SELECT contractor_id FROM work_orders WHERE invoice_minor IS NOT NULL
         GROUP BY contractor_id ORDER BY count(*) DESC, contractor_id LIMIT 1",
    )
    .fetch_one(store)
    .await
    .unwrap();
    exported(store, Actor { user_id: UserId(busiest), role: Role::Contractor }, WorkOrderFilter::default()).await;
}
