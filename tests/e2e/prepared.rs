//! Orders at the stage a test needs, brought there through the real use cases. The demo
//! agency's own orders stand wherever their stories had reached when it was generated,
//! which depends on the day; a test that needs two approvals waiting makes them.

use anyhow::{Context, Result, bail};
use chrono::Utc;
use plumbline_domain::api::{ActOnWorkOrder, Step, SubmitRequest};
use plumbline_domain::approval::ApprovalThresholds;
use plumbline_domain::ids::{CategoryId, TenancyId};
use plumbline_domain::{Actor, MoneyMinor, Role, Severity, UserId, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{Store, users, work_orders};

/// A routine request ("Radiators") raised now by the tenant of `tenancy`.
async fn new_request(store: &Store, tenancy: i64, tenant: i64, description: &str) -> Result<WorkOrderId> {
    let (subcategory,): (i64,) =
        Sql::new("SELECT id FROM categories WHERE name = 'Radiators'").fetch_one(store).await?;
    let request = SubmitRequest {
        tenancy: TenancyId(tenancy),
        subcategory: CategoryId(subcategory),
        severity: Severity::Routine,
        description: description.into(),
        access: None,
    };
    let tenant = Actor { user_id: UserId(tenant), role: Role::Tenant };
    Ok(work_orders::submit(store, tenant, Utc::now(), &request).await?.id)
}

/// Staff take `step` on the order as it stands now.
async fn staff_step(store: &Store, id: WorkOrderId, step: Step) -> Result<()> {
    let staff = users::first_staff(store).await?;
    let (version,): (i64,) =
        Sql::new("SELECT version FROM work_orders WHERE id = ?").bind(id.0).fetch_one(store).await?;
    work_orders::act(store, staff, Utc::now(), &ActOnWorkOrder { id, version, step }).await?;
    Ok(())
}

/// A landlord with two requests waiting for their approval: two new requests from one of
/// their tenancies, each estimated by staff above the landlord's limit.
pub(crate) async fn landlord_with_two_approvals(store: &Store) -> Result<(UserId, WorkOrderId, WorkOrderId)> {
    let (landlord, tenancy, tenant, limit): (i64, i64, i64, Option<i64>) = Sql::new(
        "SELECT p.landlord_id, t.id, t.tenant_id, th.approval_above_minor
         FROM tenancies t JOIN units u ON u.id = t.unit_id JOIN properties p ON p.id = u.property_id
         LEFT JOIN landlord_thresholds th ON th.landlord_id = p.landlord_id
         WHERE t.ended_on IS NULL ORDER BY p.landlord_id, t.id LIMIT 1",
    )
    .fetch_one(store)
    .await
    .context("the demo agency has a current tenancy")?;
    let above = limit.unwrap_or(ApprovalThresholds::default().approval_above.minor_units()) + 5_000;
    let estimate = MoneyMinor::try_from(above).map_err(anyhow::Error::msg)?;
    let mut orders = Vec::new();
    for description in ["The bedroom radiator is cold at the top", "The hall radiator will not warm up"] {
        let id = new_request(store, tenancy, tenant, description).await?;
        staff_step(store, id, Step::RequestApproval { estimate_minor: estimate }).await?;
        orders.push(id);
    }
    Ok((UserId(landlord), orders[0], orders[1]))
}

/// A current tenancy whose instructions hold a gate or lockbox code, and its tenant.
async fn tenancy_with_codes(store: &Store) -> Result<(i64, i64)> {
    Sql::new(
        "SELECT id, tenant_id FROM tenancies
         WHERE ended_on IS NULL AND (gate_code IS NOT NULL OR lockbox_code IS NOT NULL) ORDER BY id LIMIT 1",
    )
    .fetch_one(store)
    .await
    .context("the demo agency has a tenancy with codes")
}

/// A tenant whose tenancy holds a code, and a request of theirs that staff estimated
/// (within the landlord's limit, so it stays new).
pub(crate) async fn tenant_with_codes_and_an_estimate(store: &Store) -> Result<(UserId, WorkOrderId)> {
    let (tenancy, tenant) = tenancy_with_codes(store).await?;
    let id = new_request(store, tenancy, tenant, "The kitchen radiator is lukewarm").await?;
    let estimate = MoneyMinor::try_from(2_000).map_err(anyhow::Error::msg)?;
    staff_step(store, id, Step::RequestApproval { estimate_minor: estimate }).await?;
    Ok((UserId(tenant), id))
}

/// An order offered to (assigned to, not yet accepted by) a contractor, from a tenancy
/// whose instructions hold a gate or lockbox code.
pub(crate) async fn offered_with_codes(store: &Store) -> Result<(WorkOrderId, UserId)> {
    let (tenancy, tenant) = tenancy_with_codes(store).await?;
    let id = new_request(store, tenancy, tenant, "The living room radiator is cold").await?;
    let contractors: Vec<(i64,)> =
        Sql::new("SELECT user_id FROM contractors ORDER BY user_id").fetch_all(store).await?;
    // The first contractor whose insurance and licence let them take work.
    for (contractor,) in contractors {
        if staff_step(store, id, Step::Assign { contractor: UserId(contractor) }).await.is_ok() {
            return Ok((id, UserId(contractor)));
        }
    }
    bail!("no demo contractor may be assigned work")
}
