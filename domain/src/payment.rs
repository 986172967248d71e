//! Paying contractors (SPEC "Payments"): where a finished job's payment stands, and when
//! staff may record its payout.
//!
//! The status is derived from the order and whether a payout was recorded, never stored,
//! so it cannot drift from the work it pays for.

use crate::lifecycle::State;
use serde::{Deserialize, Serialize};

/// A completed job's payable, from review to payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentStatus {
    /// Completed with an invoice; staff have not signed the work off yet.
    PendingReview,
    /// Closed with an invoice and not yet paid.
    AwaitingPayout,
    Paid,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 3] =
        [PaymentStatus::PendingReview, PaymentStatus::AwaitingPayout, PaymentStatus::Paid];

    /// Owed but not paid yet: what a contractor's "Pending payments" adds up.
    pub const UNPAID: [PaymentStatus; 2] = [PaymentStatus::PendingReview, PaymentStatus::AwaitingPayout];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::PendingReview => "PendingReview",
            PaymentStatus::AwaitingPayout => "AwaitingPayout",
            PaymentStatus::Paid => "Paid",
        }
    }

    /// The words a person reads on a badge.
    pub fn label(self) -> &'static str {
        match self {
            PaymentStatus::PendingReview => "Pending review",
            PaymentStatus::AwaitingPayout => "Awaiting payout",
            PaymentStatus::Paid => "Paid",
        }
    }

    /// The payment status of an order in `state`; `None` while nothing is owed (no
    /// invoice yet, or the job was reopened, cancelled or rejected).
    pub fn of(state: State, invoiced: bool, paid: bool) -> Option<Self> {
        if paid {
            return Some(PaymentStatus::Paid);
        }
        match state {
            State::Completed if invoiced => Some(PaymentStatus::PendingReview),
            State::Closed if invoiced => Some(PaymentStatus::AwaitingPayout),
            State::New
            | State::AwaitingApproval
            | State::Assigned
            | State::Accepted
            | State::Scheduled
            | State::InProgress
            | State::Completed
            | State::Closed
            | State::Rejected
            | State::Cancelled => None,
        }
    }
}

/// Why a payout cannot be recorded on an order; written for the staff member who tried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayoutRefusal {
    #[error("a payout is recorded once the order is closed; this one is {}", .0.label())]
    NotClosed(State),
    #[error("this order has no invoice to pay")]
    NoInvoice,
    #[error("this order's payout has already been recorded")]
    AlreadyPaid,
}

/// Whether an order in `state` may have its payout recorded now: only a closed
/// (reviewed) job with an invoice, and only once.
pub fn check_payout(state: State, invoiced: bool, paid: bool) -> Result<(), PayoutRefusal> {
    if paid {
        return Err(PayoutRefusal::AlreadyPaid);
    }
    if state != State::Closed {
        return Err(PayoutRefusal::NotClosed(state));
    }
    if !invoiced {
        return Err(PayoutRefusal::NoInvoice);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payable_moves_from_review_to_payout_to_paid() {
        assert_eq!(PaymentStatus::of(State::InProgress, false, false), None);
        assert_eq!(PaymentStatus::of(State::Completed, true, false), Some(PaymentStatus::PendingReview));
        assert_eq!(PaymentStatus::of(State::Closed, true, false), Some(PaymentStatus::AwaitingPayout));
        assert_eq!(PaymentStatus::of(State::Closed, true, true), Some(PaymentStatus::Paid));
    }

    #[test]
    fn a_reopened_job_owes_nothing_until_it_is_completed_again() {
        // Reopening keeps the old invoice amount on the order; the state decides.
        assert_eq!(PaymentStatus::of(State::InProgress, true, false), None);
        assert_eq!(PaymentStatus::of(State::Cancelled, true, false), None);
    }

    #[test]
    fn only_a_closed_invoiced_unpaid_order_may_be_paid() {
        assert_eq!(check_payout(State::Closed, true, false), Ok(()));
        assert_eq!(check_payout(State::Completed, true, false), Err(PayoutRefusal::NotClosed(State::Completed)));
        assert_eq!(check_payout(State::Closed, false, false), Err(PayoutRefusal::NoInvoice));
        assert_eq!(check_payout(State::Closed, true, true), Err(PayoutRefusal::AlreadyPaid));
        for state in State::ALL {
            let allowed = check_payout(state, true, false).is_ok();
            assert_eq!(allowed, PaymentStatus::of(state, true, false) == Some(PaymentStatus::AwaitingPayout));
        }
    }

    #[test]
    fn refusals_read_as_sentences() {
        let refusal = PayoutRefusal::NotClosed(State::InProgress);
        assert_eq!(refusal.to_string(), "a payout is recorded once the order is closed; this one is In progress");
    }
}
