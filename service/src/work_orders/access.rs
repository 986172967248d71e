//! Who sees which orders, as SQL: every read goes through `push_visible_to`, so a
//! landlord, contractor or tenant can never read another's orders by asking directly.

use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use plumbline_domain::role::{OrderParties, Party};
use plumbline_domain::{Actor, Reference, Role, UserId, WorkOrderId};

/// Whether `role` sees every order: `push_visible_to` then restricts nothing, and a
/// query may leave the orders out where it needs nothing else of them.
pub fn sees_every_order(role: Role) -> bool {
    matches!(role, Role::Staff | Role::Admin)
}

/// Appends a condition (no leading AND) restricting `w` (work_orders) to what `actor` sees.
pub fn push_visible_to(query: &mut Sql, actor: Actor) {
    match actor.role {
        Role::Staff | Role::Admin => query.push("TRUE"),
        Role::Landlord => query
            .push("w.property_id IN (SELECT id FROM properties WHERE landlord_id = ")
            .push_bind(actor.user_id.0)
            .push(")"),
        Role::Contractor => query.push("w.contractor_id = ").push_bind(actor.user_id.0),
        Role::Tenant => query.push("w.tenant_id = ").push_bind(actor.user_id.0),
    };
}

/// What `actor` is to the order, if it is one of its parties; an order they may not
/// see is not found, as on every read.
pub async fn party_to_order(db: &mut Db, actor: Actor, order: WorkOrderId) -> Result<Party> {
    let not_found = || ServiceError::not_found(format!("Work order {}", Reference::of(order)));
    let mut query = Sql::new(
        "SELECT p.landlord_id, w.tenant_id, w.contractor_id
         FROM work_orders w JOIN properties p ON p.id = w.property_id WHERE w.id = ",
    );
    query.push_bind(order.0).push(" AND ");
    push_visible_to(&mut query, actor);
    let (landlord, tenant, contractor): (i64, Option<i64>, Option<i64>) =
        query.fetch_optional(db).await?.ok_or_else(not_found)?;
    let parties =
        OrderParties { landlord: UserId(landlord), tenant: tenant.map(UserId), contractor: contractor.map(UserId) };
    match parties.party_of(actor) {
        party @ (Party::Agency | Party::OwningLandlord | Party::AssignedContractor | Party::RequestingTenant) => {
            Ok(party)
        }
        Party::System | Party::Unrelated => Err(not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_roles_that_see_every_order_are_those_left_unrestricted() {
        for role in [Role::Staff, Role::Admin, Role::Landlord, Role::Contractor, Role::Tenant] {
            let mut query = Sql::new("");
            push_visible_to(&mut query, Actor { user_id: UserId(7), role });
            assert_eq!(sees_every_order(role), query.text() == "TRUE", "{role:?}");
        }
    }
}
