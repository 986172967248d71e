//! Who is acting, and what they are to a given work order.

use crate::ids::UserId;
use serde::{Deserialize, Serialize};

/// A user's role in the agency; fixed per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Staff,
    Admin,
    Landlord,
    Contractor,
    Tenant,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Staff, Role::Admin, Role::Landlord, Role::Contractor, Role::Tenant];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Admin => "admin",
            Role::Landlord => "landlord",
            Role::Contractor => "contractor",
            Role::Tenant => "tenant",
        }
    }

    /// "Admin", "Tenant": the role as a heading or label.
    pub fn label(self) -> &'static str {
        match self {
            Role::Staff => "Staff",
            Role::Admin => "Admin",
            Role::Landlord => "Landlord",
            Role::Contractor => "Contractor",
            Role::Tenant => "Tenant",
        }
    }

    /// "an admin", "a tenant": the role in a sentence.
    pub fn with_article(self) -> &'static str {
        match self {
            Role::Staff => "a staff member",
            Role::Admin => "an admin",
            Role::Landlord => "a landlord",
            Role::Contractor => "a contractor",
            Role::Tenant => "a tenant",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// Agency staff and admins see and may act on every order of the agency.
    pub fn is_agency(self) -> bool {
        match self {
            Role::Staff | Role::Admin => true,
            Role::Landlord | Role::Contractor | Role::Tenant => false,
        }
    }

    /// What work cost (the contractor's invoice) is for the agency, the landlord who pays
    /// it and the contractor who charged it; never the tenant's business.
    pub fn may_see_costs(self) -> bool {
        match self {
            Role::Staff | Role::Admin | Role::Landlord | Role::Contractor => true,
            Role::Tenant => false,
        }
    }

    /// Payments are between the agency and its contractors: each contractor sees their own.
    pub fn may_see_payments(self) -> bool {
        match self {
            Role::Staff | Role::Admin | Role::Contractor => true,
            Role::Landlord | Role::Tenant => false,
        }
    }
}

/// The signed-in user on whose behalf a use case runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
}

/// What the acting user is to one particular order; the lifecycle decides on this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Party {
    /// Agency staff or admin.
    Agency,
    /// The landlord who owns the order's property.
    OwningLandlord,
    /// The contractor the order is currently assigned to.
    AssignedContractor,
    /// The tenant who raised the request.
    RequestingTenant,
    /// Scheduled jobs such as auto-close.
    System,
    /// Anyone else: sees nothing of the order and may do nothing to it.
    Unrelated,
}

/// The facts about an order that decide who its parties are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderParties {
    pub landlord: UserId,
    pub tenant: Option<UserId>,
    pub contractor: Option<UserId>,
}

impl OrderParties {
    pub fn party_of(&self, actor: Actor) -> Party {
        let is = |user: Option<UserId>| user == Some(actor.user_id);
        match actor.role {
            Role::Staff | Role::Admin => Party::Agency,
            Role::Landlord if is(Some(self.landlord)) => Party::OwningLandlord,
            Role::Contractor if is(self.contractor) => Party::AssignedContractor,
            Role::Tenant if is(self.tenant) => Party::RequestingTenant,
            Role::Landlord | Role::Contractor | Role::Tenant => Party::Unrelated,
        }
    }
}

// What each party may see of an order (codes, money, words): `crate::visibility`.
