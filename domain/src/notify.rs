//! Who is told about what: each event on an order concerns some of its parties (the
//! seeds' per-role notification lists). The person who caused it is never told.

use crate::lifecycle::Action;

/// One of an order's parties, as a recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Every staff member and admin of the agency.
    Agency,
    Landlord,
    /// The contractor the order is assigned to after the event.
    Contractor,
    Tenant,
}

use Audience::{Agency, Contractor, Landlord, Tenant};

/// Who hears of a new request.
pub const ON_SUBMISSION: &[Audience] = &[Agency, Tenant];
/// Who hears of a recorded payout ("payment processed").
pub const ON_PAYOUT: &[Audience] = &[Contractor];
/// Who hears of new photos or files.
pub const ON_ATTACHMENTS: &[Audience] = &[Agency, Contractor];

/// Who hears of each step.
pub fn audience_of_step(action: Action) -> &'static [Audience] {
    match action {
        Action::SetPriority => &[Contractor],
        Action::RequestApproval => &[Landlord],
        Action::Approve => &[Agency, Landlord],
        Action::Reject => &[Agency, Landlord, Tenant],
        Action::Assign | Action::Reassign => &[Contractor, Tenant],
        Action::Decline => &[Agency],
        Action::Accept => &[Agency, Tenant],
        Action::Schedule => &[Tenant, Contractor, Agency],
        Action::RequestReschedule => &[Agency, Contractor],
        Action::Start => &[Tenant, Landlord],
        Action::Complete => &[Agency, Tenant, Landlord],
        Action::Reopen | Action::ReportNotDone => &[Agency, Contractor],
        Action::ConfirmDone => &[Agency, Contractor],
        Action::Close | Action::AutoClose => &[Tenant, Landlord, Contractor],
        Action::Cancel => &[Agency, Tenant, Landlord, Contractor],
        Action::Rate => &[Agency, Contractor],
    }
}

/// The desktop notification's headline for an event, by what it means to the reader.
pub fn headline(action: Option<Action>) -> &'static str {
    match action {
        None => "Update",
        Some(Action::RequestApproval) => "Approval needed",
        Some(Action::Approve) => "Work approved",
        Some(Action::Reject) => "Work rejected",
        Some(Action::Assign | Action::Reassign) => "Contractor assigned",
        Some(Action::Decline) => "Job declined",
        Some(Action::Accept) => "Job accepted",
        Some(Action::Schedule) => "Appointment scheduled",
        Some(Action::RequestReschedule) => "Reschedule requested",
        Some(Action::Start) => "Work started",
        Some(Action::Complete) => "Work completed, awaiting review",
        Some(Action::Reopen | Action::ReportNotDone) => "Work not finished",
        Some(Action::ConfirmDone) => "Tenant confirmed the work",
        Some(Action::Close | Action::AutoClose) => "Order closed",
        Some(Action::Cancel) => "Order cancelled",
        Some(Action::Rate) => "Job rated",
        Some(Action::SetPriority) => "Priority changed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landlords_hear_of_approvals_they_must_give_and_contractors_of_jobs_offered() {
        assert_eq!(audience_of_step(Action::RequestApproval), &[Landlord]);
        assert!(audience_of_step(Action::Assign).contains(&Contractor));
        assert!(audience_of_step(Action::Complete).contains(&Agency), "staff review completed work");
        assert!(ON_PAYOUT.contains(&Contractor));
    }

    #[test]
    fn every_step_tells_someone() {
        for action in Action::ALL {
            assert!(!audience_of_step(action).is_empty(), "{action:?}");
            assert_ne!(headline(Some(action)), "Update");
        }
    }
}
