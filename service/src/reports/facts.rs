//! The facts a report is computed from: one row per order raised in the period that the
//! reader may see and the filter lets through, and what the ids in them are called.

use crate::db::{Db, Engine, Record, Sql};
use crate::error::Result;
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use crate::work_orders::access::push_visible_to;
use anyhow::{Context, anyhow};
use plumbline_domain::api::{ReportFilter, TimeRange};
use plumbline_domain::ids::{CategoryId, PropertyId, UnitId};
use plumbline_domain::report::{ContractorWork, Names, OrderFacts};
use plumbline_domain::{Actor, Priority, Role, State, UserId, WorkOrderId};

/// One order's facts, field by field in `FACTS`'s order: SQLite's as an array in the
/// JSON of them all, its two strings borrowed (`&str`: owning them would cost 140,000
/// allocations); PostgreSQL's as a row (`String`; see `selected`).
#[derive(serde::Deserialize, sqlx::FromRow)]
struct FactsRow<Text> {
    id: i64,
    opened_at: i64,
    state: Text,
    priority: Text,
    category_id: i64,
    subcategory_id: i64,
    property_id: i64,
    unit_id: i64,
    landlord_id: i64,
    contractor_id: Option<i64>,
    respond_by: i64,
    resolve_by: i64,
    responded_at: Option<i64>,
    completed_at: Option<i64>,
    invoice_minor: Option<i64>,
    paid_minor: Option<i64>,
    rating: Option<i64>,
    offered_at: Option<i64>,
    accepted_at: Option<i64>,
    started_at: Option<i64>,
    sent_back: i64,
    /// Only whether there is one matters (`OrderFacts::planned`). Read as the id, not as
    /// `IS NOT NULL`: that is a number in SQLite's JSON but a boolean in PostgreSQL's rows.
    schedule_id: Option<i64>,
}

/// `FactsRow`'s columns, in its order.
const FACTS: &str = "w.id, w.opened_at, w.state, w.priority, w.category_id, w.subcategory_id, w.property_id,
    w.unit_id, p.landlord_id, w.contractor_id, w.respond_by, w.resolve_by, w.responded_at, w.completed_at,
    w.invoice_minor, pay.amount_minor, w.rating, w.offered_at, w.accepted_at, w.started_at, w.sent_back, w.schedule_id";

/// The orders the report counts; with `with_work`, each with its contractor's work.
///
/// SQLite reads a query's rows on one core: there a year of the agency's orders (70,000
/// on the 100,000-order store) took 130 of a report's 200 ms to read, then 60 to decode.
/// So it reads the two halves of the period at once, each on its own connection, and
/// decodes the half that comes first while the other is read. (Each order is in one
/// half: when it was raised never changes.) PostgreSQL reads in one query.
pub(super) async fn orders(
    store: &Store,
    actor: Actor,
    filter: &ReportFilter,
    raised: TimeRange,
    with_work: bool,
) -> Result<Vec<OrderFacts>> {
    match store.engine() {
        Engine::Sqlite => {
            let read = |range| async move {
                let mut db = store.read().await?;
                sqlite_orders(&mut db, actor, filter, range, with_work).await
            };
            let (earlier, later) = halves(raised);
            let (mut orders, later) = tokio::try_join!(read(earlier), read(later))?;
            orders.extend(later);
            Ok(orders)
        }
        Engine::Postgres => {
            let rows: Vec<FactsRow<String>> =
                facts_query(Engine::Postgres, actor, filter, raised).fetch_all(&mut store.read().await?).await?;
            rows.into_iter().map(|row| facts(row, with_work)).collect()
        }
    }
}

/// `range` split at its middle instant.
fn halves(range: TimeRange) -> (TimeRange, TimeRange) {
    let middle = range.from + (range.until - range.from) / 2;
    (TimeRange { from: range.from, until: middle }, TimeRange { from: middle, until: range.until })
}

async fn sqlite_orders(
    db: &mut Db,
    actor: Actor,
    filter: &ReportFilter,
    raised: TimeRange,
    with_work: bool,
) -> Result<Vec<OrderFacts>> {
    let json = fetch_json(db, facts_query(Engine::Sqlite, actor, filter, raised)).await?;
    let rows: Vec<FactsRow<&str>> = serde_json::from_str(&json).context("a report's facts did not read back")?;
    rows.into_iter().map(|row| facts(row, with_work)).collect()
}

/// The facts of the orders raised in `raised` that `actor` may see and `filter` lets through.
fn facts_query(engine: Engine, actor: Actor, filter: &ReportFilter, raised: TimeRange) -> Sql {
    // Named as `FactsRow`'s fields where rows are fetched (an alias is not a value in JSON).
    let columns = match engine {
        Engine::Sqlite => FACTS.to_owned(),
        Engine::Postgres => FACTS.replace("pay.amount_minor", "pay.amount_minor AS paid_minor"),
    };
    let mut query = Sql::new(format!(
        "SELECT {}
         FROM work_orders w
         JOIN properties p ON p.id = w.property_id
         LEFT JOIN payouts pay ON pay.work_order_id = w.id
         WHERE ",
        selected(engine, &columns)
    ))
    // A year of every order is best read from `work_orders_report_facts` alone, one
    // landlord's few through their properties: only the values tell which.
    .planned_each_run();
    push_counted(&mut query, actor, filter, raised);
    query
}

/// What to select for every row of `columns`. SQLite aggregates them into one JSON
/// array of arrays: fetching 70,000 rows one by one cost sqlx three times what the
/// query did (a 12-month report on the 100,000-order store, #19), and one string is
/// read at the query's own speed. PostgreSQL answers rows: its `json_build_array`
/// took 430 of a report's 500 ms.
fn selected(engine: Engine, columns: &str) -> String {
    match engine {
        Engine::Sqlite => format!("json_group_array(json_array({columns}))"),
        Engine::Postgres => columns.to_owned(),
    }
}

async fn fetch_json(db: &mut Db, query: Sql) -> Result<String> {
    let (json,): (String,) = query.fetch_one(&mut *db).await?;
    Ok(json)
}

/// `columns` of every row `from` holds (narrowed by `narrow`), as `T`s: the names a
/// report shows.
async fn fetch_names<T: serde::de::DeserializeOwned + Record>(
    db: &mut Db,
    columns: &str,
    from: &str,
    narrow: impl FnOnce(&mut Sql),
) -> Result<Vec<T>> {
    let mut query = Sql::new(format!("SELECT {} FROM {from}", selected(db.engine(), columns)));
    narrow(&mut query);
    match db.engine() {
        Engine::Sqlite => {
            let json = fetch_json(db, query).await?;
            Ok(serde_json::from_str(&json).with_context(|| format!("the names in {from} did not read back"))?)
        }
        Engine::Postgres => query.fetch_all(&mut *db).await,
    }
}

/// The conditions (no leading AND) on `w` and `p` that pick the orders a report counts.
fn push_counted(query: &mut Sql, actor: Actor, filter: &ReportFilter, raised: TimeRange) {
    query.push("w.opened_at >= ").push_bind(to_secs(raised.from));
    query.push(" AND w.opened_at < ").push_bind(to_secs(raised.until)).push(" AND ");
    push_visible_to(query, actor);
    if let Some(landlord) = filter.landlord {
        query.push(" AND p.landlord_id = ").push_bind(landlord.0);
    }
    if let Some(property) = filter.property {
        query.push(" AND w.property_id = ").push_bind(property.0);
    }
    if let Some(category) = filter.category {
        query.push(" AND w.category_id = ").push_bind(category.0);
    }
    if let Some(priority) = filter.priority {
        query.push(" AND w.priority_rank = ").push_bind(priority.rank());
    }
}

fn facts<Text: AsRef<str>>(row: FactsRow<Text>, with_work: bool) -> Result<OrderFacts> {
    let work = ContractorWork {
        offered_at: row.offered_at.map(from_secs),
        accepted_at: row.accepted_at.map(from_secs),
        started_at: row.started_at.map(from_secs),
        sent_back: row.sent_back > 0,
    };
    Ok(OrderFacts {
        id: WorkOrderId(row.id),
        opened_at: from_secs(row.opened_at),
        state: State::parse(row.state.as_ref())
            .ok_or_else(|| anyhow!("a report read an unknown state {}", row.state.as_ref()))?,
        priority: Priority::parse(row.priority.as_ref())
            .ok_or_else(|| anyhow!("a report read an unknown priority {}", row.priority.as_ref()))?,
        category: CategoryId(row.category_id),
        subcategory: CategoryId(row.subcategory_id),
        property: PropertyId(row.property_id),
        unit: UnitId(row.unit_id),
        landlord: UserId(row.landlord_id),
        contractor: row.contractor_id.map(UserId),
        respond_by: from_secs(row.respond_by),
        resolve_by: from_secs(row.resolve_by),
        responded_at: row.responded_at.map(from_secs),
        completed_at: row.completed_at.map(from_secs),
        invoice_minor: row.invoice_minor,
        paid_minor: row.paid_minor,
        rating: row.rating,
        planned: row.schedule_id.is_some(),
        // Kept on the order by each step (migration 0026); only a contractor's orders have work.
        work: (with_work && row.contractor_id.is_some()).then_some(work),
    })
}

/// What categories, properties, landlords and contractors are called; units too with
/// `with_units` (the repeat-fault report names them). A landlord reads only their own
/// properties and name.
pub(super) async fn names(db: &mut Db, actor: Actor, with_units: bool) -> Result<Names> {
    let landlord = (actor.role == Role::Landlord).then_some(actor.user_id.0);
    let own = |column: &'static str| {
        move |query: &mut Sql| {
            if let Some(landlord) = landlord {
                query.push(format!(" WHERE {column} = ")).push_bind(landlord);
            }
        }
    };
    let categories: Vec<(i64, String)> = fetch_names(db, "id, name", "categories", |_| {}).await?;
    let properties: Vec<(i64, String)> = fetch_names(db, "id, street", "properties", own("landlord_id")).await?;
    let landlords: Vec<(i64, String)> = fetch_names(db, "id, name", "users WHERE role = 'landlord'", |query| {
        if let Some(landlord) = landlord {
            query.push(" AND id = ").push_bind(landlord);
        }
    })
    .await?;
    let contractors: Vec<(i64, String)> = fetch_names(db, "user_id, company", "contractors", |_| {}).await?;
    let units: Vec<(i64, i64, String)> = if with_units {
        let from = "units u JOIN properties p ON p.id = u.property_id";
        fetch_names(db, "u.id, u.property_id, u.label", from, own("p.landlord_id")).await?
    } else {
        Vec::new()
    };
    Ok(Names {
        categories: categories.into_iter().map(|(id, name)| (CategoryId(id), name)).collect(),
        properties: properties.into_iter().map(|(id, street)| (PropertyId(id), street)).collect(),
        units: units.into_iter().map(|(id, property, label)| (UnitId(id), (PropertyId(property), label))).collect(),
        landlords: landlords.into_iter().map(|(id, name)| (UserId(id), name)).collect(),
        contractors: contractors.into_iter().map(|(id, name)| (UserId(id), name)).collect(),
    })
}
