//! Quotes (`crate::quote`): staff ask, contractors price, staff or the landlord approve.

use crate::ids::{QuoteId, UserId, WorkOrderId};
use crate::money::MoneyMinor;
use crate::priority::Priority;
use crate::quote::{QuoteLine, QuoteStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Staff ask these contractors to price the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AskForQuotes {
    pub order: WorkOrderId,
    pub contractors: Vec<UserId>,
    /// What staff want priced, for the contractors ("replace, not repair").
    pub note: String,
}

/// A contractor's price for a quote they were asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteSubmission {
    pub quote: QuoteId,
    pub lines: Vec<QuoteLine>,
    pub note: String,
}

/// One contractor's quote, as staff and the landlord compare it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub id: QuoteId,
    pub contractor: UserId,
    pub company: String,
    pub status: QuoteStatus,
    pub lines: Vec<QuoteLine>,
    /// Zero until priced.
    pub total_minor: MoneyMinor,
    /// The contractor's words: the price's terms, or why they declined.
    pub note: String,
    pub requested_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Above the landlord's approval limit: only the landlord approves it (staff send it
    /// to them), unless the order is an emergency.
    pub needs_landlord: bool,
}

/// An order's quotes side by side, with what the viewer may do with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderQuotes {
    pub order: WorkOrderId,
    /// The order's version, for a step taken from the comparison (assigning).
    pub version: i64,
    /// Oldest request first.
    pub quotes: Vec<Quote>,
    /// The landlord's approval limit for this order.
    pub approval_above: MoneyMinor,
    /// Staff may ask (more) contractors now: the order is not yet with a contractor.
    pub may_ask: bool,
    /// The viewer may approve a priced quote now (staff, or the landlord while it waits
    /// for them).
    pub may_approve: bool,
}

/// A quote a contractor was asked for, with what they need to price the job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRequest {
    pub quote: Quote,
    pub order: WorkOrderId,
    /// "Plumbing – Leaking tap"
    pub work: String,
    /// The property's address and the unit.
    pub place: String,
    pub priority: Priority,
    /// The tenant's words.
    pub description: String,
    /// What staff want priced.
    pub asked: String,
}
