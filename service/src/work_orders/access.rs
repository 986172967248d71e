//! Who sees which orders, as SQL: every read goes through `push_visible_to`, so a
//! landlord, contractor or tenant can never read another's orders by asking directly.

use plumbline_domain::{Actor, Role};
use sqlx::{QueryBuilder, Sqlite};

/// Appends a condition (no leading AND) restricting `w` (work_orders) to what `actor` sees.
pub fn push_visible_to(query: &mut QueryBuilder<'_, Sqlite>, actor: Actor) {
    match actor.role {
        Role::Staff | Role::Admin => query.push("1 = 1"),
        Role::Landlord => query
            .push("w.property_id IN (SELECT id FROM properties WHERE landlord_id = ")
            .push_bind(actor.user_id.0)
            .push(")"),
        Role::Contractor => query.push("w.contractor_id = ").push_bind(actor.user_id.0),
        Role::Tenant => query.push("w.tenant_id = ").push_bind(actor.user_id.0),
    };
}
