//! Orders made through the real use cases, and the people around them.

use crate::support::now;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::api::{
    ActOnWorkOrder, ListSort, ListWorkOrders, Step, SubmitRequest, WorkOrderFilter, WorkOrderRow,
};
use plumbline_domain::ids::{CategoryId, PropertyId, TenancyId, UnitId};
use plumbline_domain::role::Party;
use plumbline_domain::{Action, Actor, MoneyMinor, Role, Severity, State, UserId, WorkOrderId};
use plumbline_service::db::{Engine, Sql};
use plumbline_service::{Store, users, work_orders};
use std::collections::BTreeSet;

pub struct Cast {
    pub staff: Actor,
    pub landlord: Actor,
    pub tenant: Actor,
    pub contractor: Actor,
    pub other_landlord: Actor,
    pub other_tenant: Actor,
    pub other_contractor: Actor,
    pub tenancy: TenancyId,
    /// A tenancy of the other landlord, the other tenant's.
    pub other_tenancy: TenancyId,
}

async fn one(store: &Store, sql: &str) -> i64 {
    Sql::new(sql).fetch_one::<(i64,)>(store).await.expect(sql).0
}

/// The first tenancy's people, the same people of another landlord's first tenancy,
/// and two insured contractors.
pub async fn cast(store: &Store) -> Cast {
    let today = now().date_naive().to_string();
    let insured = format!("SELECT user_id FROM contractors WHERE insurance_expires_on >= '{today}' ORDER BY user_id");
    let tenancies =
        "SELECT t.id FROM tenancies t JOIN units u ON u.id = t.unit_id JOIN properties p ON p.id = u.property_id";
    let landlord_of = |tenancy: i64| {
        format!(
            "SELECT p.landlord_id FROM tenancies t JOIN units u ON u.id = t.unit_id JOIN properties p ON p.id = u.property_id WHERE t.id = {tenancy}"
        )
    };
    let tenant_of = |tenancy: i64| format!("SELECT tenant_id FROM tenancies WHERE id = {tenancy}");
    let tenancy = one(store, "SELECT min(id) FROM tenancies").await;
    let landlord = one(store, &landlord_of(tenancy)).await;
    let other_tenancy =
        one(store, &format!("{tenancies} WHERE p.landlord_id <> {landlord} ORDER BY t.id LIMIT 1")).await;
    let actor = |id: i64, role| Actor { user_id: UserId(id), role };
    Cast {
        staff: users::first_staff(store).await.expect("staff"),
        landlord: actor(landlord, Role::Landlord),
        tenant: actor(one(store, &tenant_of(tenancy)).await, Role::Tenant),
        contractor: actor(one(store, &format!("{insured} LIMIT 1")).await, Role::Contractor),
        other_landlord: actor(one(store, &landlord_of(other_tenancy)).await, Role::Landlord),
        other_tenant: actor(one(store, &tenant_of(other_tenancy)).await, Role::Tenant),
        other_contractor: actor(one(store, &format!("{insured} LIMIT 1 OFFSET 1")).await, Role::Contractor),
        tenancy: TenancyId(tenancy),
        other_tenancy: TenancyId(other_tenancy),
    }
}

impl Cast {
    /// The same cast seen from the other side: orders made with it are the other
    /// landlord's, raised by the other tenant and done by the other contractor.
    pub fn others(&self) -> Cast {
        Cast {
            staff: self.staff,
            landlord: self.other_landlord,
            tenant: self.other_tenant,
            contractor: self.other_contractor,
            other_landlord: self.landlord,
            other_tenant: self.tenant,
            other_contractor: self.contractor,
            tenancy: self.other_tenancy,
            other_tenancy: self.tenancy,
        }
    }

    pub fn actor_for(&self, party: Party) -> Option<Actor> {
        match party {
            Party::Agency => Some(self.staff),
            Party::OwningLandlord => Some(self.landlord),
            Party::AssignedContractor => Some(self.contractor),
            Party::RequestingTenant => Some(self.tenant),
            Party::Unrelated => Some(self.other_landlord),
            Party::System => None,
        }
    }
}

pub async fn subcategory(store: &Store, name: &str) -> CategoryId {
    CategoryId(one(store, &format!("SELECT id FROM categories WHERE name = '{name}' AND parent_id IS NOT NULL")).await)
}

/// The tenancy's unit and property.
pub async fn home_of(store: &Store, tenancy: TenancyId) -> (UnitId, PropertyId) {
    let (unit, property): (i64, i64) =
        Sql::new("SELECT u.id, u.property_id FROM tenancies t JOIN units u ON u.id = t.unit_id WHERE t.id = ?")
            .bind(tenancy.0)
            .fetch_one(store)
            .await
            .expect("the tenancy's unit");
    (UnitId(unit), PropertyId(property))
}

/// A routine request ("Blocked drain") raised by the cast's tenant.
pub async fn submit_routine(store: &Store, cast: &Cast) -> WorkOrderId {
    submit_routine_at(store, cast, now()).await
}

async fn submit_routine_at(store: &Store, cast: &Cast, at: DateTime<Utc>) -> WorkOrderId {
    let request = SubmitRequest {
        tenancy: cast.tenancy,
        subcategory: subcategory(store, "Blocked drain").await,
        severity: Severity::Routine,
        description: "Shower drains slowly".into(),
        access: None,
    };
    work_orders::submit(store, cast.tenant, at, &request).await.expect("submit").id
}

/// An amount of money, in minor units.
pub fn pence(minor: i64) -> MoneyMinor {
    MoneyMinor::try_from(minor).expect("a non-negative amount")
}

/// A valid step of each kind, for the cast.
pub fn sample_step(action: Action, cast: &Cast) -> Option<Step> {
    let text = || "Checked on site".to_owned();
    Some(match action {
        Action::SetPriority => Step::SetPriority { priority: plumbline_domain::Priority::Urgent, reason: text() },
        Action::RequestApproval => Step::RequestApproval { estimate_minor: pence(90_000) },
        Action::Approve => Step::Approve { note: text() },
        Action::DeclineEstimate => Step::DeclineEstimate { reason: text() },
        Action::Reject => Step::Reject { reason: text() },
        Action::Assign => Step::Assign { contractor: cast.contractor.user_id },
        Action::Reassign => Step::Reassign { contractor: cast.other_contractor.user_id, reason: text() },
        Action::Decline => Step::Decline { reason: text() },
        Action::Accept => Step::Accept,
        Action::Schedule => {
            Step::Schedule { start: now() + Duration::days(1), end: now() + Duration::days(1) + Duration::hours(3) }
        }
        Action::RequestReschedule => Step::RequestReschedule { note: text() },
        Action::Start => Step::Start,
        Action::Complete => Step::Complete { notes: text(), invoice_minor: pence(12_500), approve_overrun: None },
        Action::Reopen => Step::Reopen { reason: text() },
        Action::ReportNotDone => Step::ReportNotDone { report: text() },
        Action::ConfirmDone => Step::ConfirmDone,
        Action::Close => Step::Close { note: text() },
        Action::Cancel => Step::Cancel { reason: text() },
        Action::Rate => Step::Rate { stars: 4, comment: text() },
        Action::AutoClose => return None,
    })
}

/// The steps (and who takes them) that bring a new order to `state`.
pub fn path_to(state: State) -> Vec<(Action, Party)> {
    use Action::*;
    use Party::*;
    let delivered = [
        (Assign, Agency),
        (Accept, AssignedContractor),
        (Schedule, AssignedContractor),
        (Start, AssignedContractor),
        (Complete, AssignedContractor),
    ];
    match state {
        State::New => vec![],
        State::AwaitingApproval => vec![(RequestApproval, Agency)],
        State::Assigned => delivered[..1].to_vec(),
        State::Accepted => delivered[..2].to_vec(),
        State::Scheduled => delivered[..3].to_vec(),
        State::InProgress => delivered[..4].to_vec(),
        State::Completed => delivered.to_vec(),
        State::Closed => [&delivered[..], &[(Close, Agency)]].concat(),
        State::Rejected => vec![(Reject, Agency)],
        State::Cancelled => vec![(Cancel, Agency)],
    }
}

pub async fn version_of(store: &Store, id: WorkOrderId) -> i64 {
    one(store, &format!("SELECT version FROM work_orders WHERE id = {}", id.0)).await
}

/// Takes a step as `actor` with the order's current version.
pub async fn act(
    store: &Store,
    actor: Actor,
    id: WorkOrderId,
    step: Step,
) -> Result<work_orders::Outcome, plumbline_service::ServiceError> {
    act_at(store, actor, id, step, now()).await
}

pub async fn act_at(
    store: &Store,
    actor: Actor,
    id: WorkOrderId,
    step: Step,
    at: DateTime<Utc>,
) -> Result<work_orders::Outcome, plumbline_service::ServiceError> {
    let request = ActOnWorkOrder { id, version: version_of(store, id).await, step };
    work_orders::act(store, actor, at, &request).await
}

/// A fresh routine order brought to `state` through the real use cases.
pub async fn order_in(store: &Store, cast: &Cast, state: State) -> WorkOrderId {
    order_in_at(store, cast, state, now()).await
}

/// The same, with every step taken at `at` (so a Completed one was completed at `at`).
pub async fn order_in_at(store: &Store, cast: &Cast, state: State, at: DateTime<Utc>) -> WorkOrderId {
    let id = submit_routine_at(store, cast, at).await;
    for (action, party) in path_to(state) {
        let actor = cast.actor_for(party).expect("path party");
        let step = sample_step(action, cast).expect("path step");
        act_at(store, actor, id, step, at).await.unwrap_or_else(|e| panic!("{action:?} by {party:?}: {e}"));
    }
    id
}

/// Every page of a list, followed to the end.
pub async fn all_rows(store: &Store, actor: Actor, mut request: ListWorkOrders) -> Vec<WorkOrderRow> {
    let mut rows = Vec::new();
    loop {
        let page = work_orders::list(store, actor, now(), &request).await.unwrap();
        rows.extend(page.rows);
        match page.next {
            Some(cursor) => request.after = Some(cursor),
            None => return rows,
        }
    }
}

/// The ids of every order `actor` sees in the list with `filter`.
pub async fn ids_matching(store: &Store, actor: Actor, filter: WorkOrderFilter) -> BTreeSet<i64> {
    let request = ListWorkOrders { filter, sort: ListSort::default(), after: None, limit: 500 };
    all_rows(store, actor, request).await.iter().map(|r| r.id.0).collect()
}

/// Every table's row count and the order's whole row: equal before and after means
/// nothing was written.
pub async fn fingerprint(store: &Store, id: WorkOrderId) -> String {
    let print = table_counts(store).await;
    let (_, columns_sql) = catalogue(store.engine());
    let columns: Vec<(String,)> = Sql::new(columns_sql).fetch_all(store).await.expect("columns");
    // NULL and the text 'NULL' must differ: every value is prefixed, NULL is not.
    let row_sql = columns
        .iter()
        .map(|(c,)| format!("coalesce('=' || CAST(\"{c}\" AS TEXT), 'NULL')"))
        .collect::<Vec<_>>()
        .join(" || '|' || ");
    let (row,): (String,) = Sql::new(format!("SELECT {row_sql} FROM work_orders WHERE id = ?"))
        .bind(id.0)
        .fetch_one(store)
        .await
        .expect("row");
    print + &row
}

/// Every table's row count, as `table=count ` in name order, on either engine.
pub async fn table_counts(store: &Store) -> String {
    let (tables_sql, _) = catalogue(store.engine());
    let tables: Vec<(String,)> = Sql::new(tables_sql).fetch_all(store).await.expect("tables");
    let mut counts = String::new();
    for (table,) in tables {
        counts += &format!("{table}={} ", one(store, &format!("SELECT count(*) FROM \"{table}\"")).await);
    }
    counts
}

/// The engine's catalogue queries: the store's tables (sqlx's own left out) and the
/// columns of `work_orders`, each as one text column.
fn catalogue(engine: Engine) -> (&'static str, &'static str) {
    match engine {
        Engine::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_sqlx%' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE 'search\\_%' ESCAPE '\\' ORDER BY name",
            "SELECT name FROM pragma_table_info('work_orders')",
        ),
        Engine::Postgres => (
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '_sqlx%'
             AND table_name NOT LIKE 'search\\_%' ORDER BY table_name",
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = 'work_orders' ORDER BY ordinal_position",
        ),
    }
}
