//! Finding anything from one box: the command palette's search (`commands::Search`).

use crate::ids::{PropertyId, UserId, WorkOrderId};
use crate::lifecycle::State;
use crate::role::Role;
use serde::{Deserialize, Serialize};

/// What has been typed so far, and how many of each kind of result to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    pub text: String,
    /// At most this many orders, properties and people each.
    pub limit: u32,
}

/// What a search found, grouped, newest orders first; only what the searcher may see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub orders: Vec<OrderHit>,
    /// The agency's properties; a landlord's own.
    pub properties: Vec<PropertyHit>,
    /// The agency's landlords, contractors and tenants (staff only).
    pub people: Vec<PersonHit>,
    /// The words looked for, to highlight: each typed word, or the word it was read as.
    pub words: Vec<String>,
    /// Typed words not found anywhere, each with the indexed word it was read as:
    /// ("okafr", "okafor"). Only said when something was found.
    pub corrected: Vec<Correction>,
}

impl SearchResults {
    pub fn is_empty(&self) -> bool {
        self.orders.is_empty() && self.properties.is_empty() && self.people.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub typed: String,
    pub read_as: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderHit {
    pub id: WorkOrderId,
    /// "Plumbing / Leak"
    pub issue: String,
    /// "14 Quay Street, Flat 2"
    pub place: String,
    /// The tenant's name, when the order has a tenant.
    pub tenant: Option<String>,
    pub state: State,
    /// Where the words were found in its description or messages, when not in the above.
    pub excerpt: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyHit {
    pub id: PropertyId,
    /// "14 Quay Street, Bristol BS1 4AB"
    pub address: String,
    pub landlord: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonHit {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    /// A contractor's company, else the e-mail address.
    pub details: String,
}
