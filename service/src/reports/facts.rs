//! The facts a report is computed from: one row per order raised in the period that the
//! reader may see and the filter lets through, and what the ids in them are called.

use crate::db::{Db, Sql};
use crate::error::Result;
use crate::time::{from_secs, to_secs};
use crate::work_orders::access::push_visible_to;
use plumbline_domain::api::{ReportFilter, TimeRange};
use plumbline_domain::ids::{CategoryId, PropertyId, UnitId};
use plumbline_domain::report::{ContractorWork, Names, OrderFacts};
use plumbline_domain::{Actor, Priority, Role, State, UserId, WorkOrderId};
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct FactsRow {
    id: i64,
    opened_at: i64,
    #[sqlx(try_from = "String")]
    state: State,
    #[sqlx(try_from = "String")]
    priority: Priority,
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
}

#[derive(sqlx::FromRow)]
struct WorkRow {
    work_order_id: i64,
    offered_at: Option<i64>,
    accepted_at: Option<i64>,
    started_at: Option<i64>,
    sent_back: i64,
}

/// The orders the report counts; with `with_work`, each with its contractor's work.
pub(super) async fn orders(
    db: &mut Db,
    actor: Actor,
    filter: &ReportFilter,
    raised: TimeRange,
    with_work: bool,
) -> Result<Vec<OrderFacts>> {
    let mut query = Sql::new(
        "SELECT w.id, w.opened_at, w.state, w.priority, w.category_id, w.subcategory_id, w.property_id,
                w.unit_id, p.landlord_id, w.contractor_id, w.respond_by, w.resolve_by, w.responded_at,
                w.completed_at, w.invoice_minor, pay.amount_minor AS paid_minor, w.rating
         FROM work_orders w
         JOIN properties p ON p.id = w.property_id
         LEFT JOIN payouts pay ON pay.work_order_id = w.id
         WHERE ",
    );
    push_counted(&mut query, actor, filter, raised);
    let rows: Vec<FactsRow> = query.fetch_all(&mut *db).await?;
    let mut work = if with_work { contractor_work(db, actor, filter, raised).await? } else { HashMap::new() };
    Ok(rows.into_iter().map(|row| facts(row, &mut work)).collect())
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

/// From each counted order's history: when its contractor was offered it, accepted it and
/// first started, and whether it was sent back.
async fn contractor_work(
    db: &mut Db,
    actor: Actor,
    filter: &ReportFilter,
    raised: TimeRange,
) -> Result<HashMap<i64, ContractorWork>> {
    let mut query = Sql::new(
        "SELECT e.work_order_id,
                max(CASE WHEN e.action IN ('Assign', 'Reassign') THEN e.at END) AS offered_at,
                max(CASE WHEN e.action = 'Accept' THEN e.at END) AS accepted_at,
                min(CASE WHEN e.action = 'Start' THEN e.at END) AS started_at,
                CAST(count(CASE WHEN e.action IN ('Reopen', 'ReportNotDone') THEN 1 END) AS BIGINT) AS sent_back
         FROM work_orders w
         JOIN properties p ON p.id = w.property_id
         JOIN work_order_events e ON e.work_order_id = w.id
         WHERE w.contractor_id IS NOT NULL AND ",
    );
    push_counted(&mut query, actor, filter, raised);
    query.push(" GROUP BY e.work_order_id");
    let rows: Vec<WorkRow> = query.fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let work = ContractorWork {
                offered_at: row.offered_at.map(from_secs),
                accepted_at: row.accepted_at.map(from_secs),
                started_at: row.started_at.map(from_secs),
                sent_back: row.sent_back > 0,
            };
            (row.work_order_id, work)
        })
        .collect())
}

fn facts(row: FactsRow, work: &mut HashMap<i64, ContractorWork>) -> OrderFacts {
    OrderFacts {
        id: WorkOrderId(row.id),
        opened_at: from_secs(row.opened_at),
        state: row.state,
        priority: row.priority,
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
        work: work.remove(&row.id),
    }
}

/// What categories, properties, landlords and contractors are called; units too with
/// `with_units` (the repeat-fault report names them). A landlord reads only their own
/// properties and name.
pub(super) async fn names(db: &mut Db, actor: Actor, with_units: bool) -> Result<Names> {
    let own = |query: &mut Sql, column: &str| {
        if actor.role == Role::Landlord {
            query.push(format!(" WHERE {column} = ")).push_bind(actor.user_id.0);
        }
    };
    let categories: Vec<(i64, String)> = Sql::new("SELECT id, name FROM categories").fetch_all(&mut *db).await?;
    let mut query = Sql::new("SELECT id, street FROM properties");
    own(&mut query, "landlord_id");
    let properties: Vec<(i64, String)> = query.fetch_all(&mut *db).await?;
    let mut query = Sql::new("SELECT id, name FROM users WHERE role = 'landlord'");
    if actor.role == Role::Landlord {
        query.push(" AND id = ").push_bind(actor.user_id.0);
    }
    let landlords: Vec<(i64, String)> = query.fetch_all(&mut *db).await?;
    let contractors: Vec<(i64, String)> =
        Sql::new("SELECT user_id, company FROM contractors").fetch_all(&mut *db).await?;
    let units: Vec<(i64, i64, String)> = if with_units {
        let mut query =
            Sql::new("SELECT u.id, u.property_id, u.label FROM units u JOIN properties p ON p.id = u.property_id");
        own(&mut query, "p.landlord_id");
        query.fetch_all(&mut *db).await?
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
