//! The one SELECT behind list rows and details, and its mapping to the IPC row.

use crate::db::Sql;
use crate::time::from_secs;
use chrono::{DateTime, Utc};
use plumbline_domain::api::WorkOrderRow;
use plumbline_domain::sla::{self, SlaDue};
use plumbline_domain::{MoneyMinor, Priority, Reference, Role, State, WorkOrderId};

/// Columns of `WorkOrderRecord`; select them `FROM` [`ROW_FROM`].
pub const ROW_COLUMNS: &str = "\
SELECT w.id, p.street AS property, u.label AS unit, c.name AS category, s.name AS subcategory,
       w.priority, w.state, w.opened_at, w.respond_by, w.resolve_by, w.responded_at,
       coalesce(w.completed_at, w.closed_at) AS resolved_at, k.company AS contractor, w.invoice_minor";

/// `work_orders w` joined to the names a row shows.
pub const ROW_FROM: &str = "
FROM work_orders w
JOIN properties p ON p.id = w.property_id
JOIN units u ON u.id = w.unit_id
JOIN categories c ON c.id = w.category_id
JOIN categories s ON s.id = w.subcategory_id
LEFT JOIN contractors k ON k.user_id = w.contractor_id";

/// As [`ROW_FROM`], with the properties read first: SQLite keeps the left table of a
/// `CROSS JOIN` as the outer loop (PostgreSQL plans it as any join). The query must add
/// `w.property_id = p.id` to its conditions.
const ROW_FROM_PROPERTIES_FIRST: &str = "
FROM properties p
CROSS JOIN work_orders w
JOIN units u ON u.id = w.unit_id
JOIN categories c ON c.id = w.category_id
JOIN categories s ON s.id = w.subcategory_id
LEFT JOIN contractors k ON k.user_id = w.contractor_id";

/// As [`select_rows`], from [`ROW_FROM_PROPERTIES_FIRST`].
pub fn select_rows_properties_first(extra_columns: &str) -> Sql {
    let mut query = Sql::new(ROW_COLUMNS);
    query.push(extra_columns).push(ROW_FROM_PROPERTIES_FIRST);
    query
}

/// Starts a query for rows: `ROW_COLUMNS`, then any `extra_columns`, then `ROW_FROM`.
pub fn select_rows(extra_columns: &str) -> Sql {
    let mut query = Sql::new(ROW_COLUMNS);
    query.push(extra_columns).push(ROW_FROM);
    query
}

#[derive(Debug, sqlx::FromRow)]
pub struct WorkOrderRecord {
    id: i64,
    property: String,
    unit: String,
    category: String,
    subcategory: String,
    #[sqlx(try_from = "String")]
    priority: Priority,
    #[sqlx(try_from = "String")]
    state: State,
    opened_at: i64,
    respond_by: i64,
    resolve_by: i64,
    responded_at: Option<i64>,
    resolved_at: Option<i64>,
    contractor: Option<String>,
    invoice_minor: Option<i64>,
}

impl WorkOrderRecord {
    pub fn id(&self) -> WorkOrderId {
        WorkOrderId(self.id)
    }

    pub fn into_row(self, now: DateTime<Utc>) -> WorkOrderRow {
        let opened_at = from_secs(self.opened_at);
        let due = SlaDue { respond_by: from_secs(self.respond_by), resolve_by: from_secs(self.resolve_by) };
        let (responded, resolved) = (self.responded_at.map(from_secs), self.resolved_at.map(from_secs));
        let sla = sla::order_status(self.state, opened_at, due, responded, resolved, now);
        WorkOrderRow {
            id: WorkOrderId(self.id),
            reference: Reference::of(WorkOrderId(self.id)),
            property: self.property,
            unit: self.unit,
            category: self.category,
            subcategory: self.subcategory,
            priority: self.priority,
            state: self.state,
            opened_at,
            sla,
            contractor: self.contractor,
            cost: self.invoice_minor.and_then(|minor| MoneyMinor::try_from(minor).ok()),
        }
    }

    /// The row as `viewer` may see it: a tenant is not shown what the work cost.
    pub fn into_row_for(self, now: DateTime<Utc>, viewer: Role) -> WorkOrderRow {
        let mut row = self.into_row(now);
        if !viewer.may_see_costs() {
            row.cost = None;
        }
        row
    }
}
