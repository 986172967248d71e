//! The rules the lifecycle consults for one order: the agency's (may tenants cancel
//! after a contractor accepted?) and its landlord's (may staff approve for them?).

use crate::db::{Db, Sql};
use crate::error::Result;
use plumbline_domain::WorkOrderId;
use plumbline_domain::lifecycle::Policy;

pub(crate) async fn policy_for(db: &mut Db, order: WorkOrderId) -> Result<Policy> {
    let found: Option<(bool, bool)> = Sql::new(
        "SELECT a.tenants_may_cancel_after_accept, coalesce(t.staff_may_approve, TRUE)
         FROM work_orders w JOIN properties p ON p.id = w.property_id
              LEFT JOIN landlord_thresholds t ON t.landlord_id = p.landlord_id
              CROSS JOIN agency a
         WHERE w.id = ? AND a.id = 1",
    )
    .bind(order.0)
    .fetch_optional(db)
    .await?;
    Ok(found.map_or_else(Policy::default, |(tenants_may_cancel_after_accept, staff_may_approve)| Policy {
        tenants_may_cancel_after_accept,
        staff_may_approve,
    }))
}
