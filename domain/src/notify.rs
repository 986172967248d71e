//! Who is told about what: each event on an order concerns some of its parties (the
//! seeds' per-role notification lists). The person who caused it is never told.

use crate::event::EventKind;
use crate::lifecycle::{Action, State};

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
/// Who hears that an emergency is still unanswered.
pub const ON_ESCALATION: &[Audience] = &[Agency];

/// Who hears of each step.
pub fn audience_of_step(action: Action) -> &'static [Audience] {
    match action {
        Action::SetPriority => &[Contractor],
        Action::RequestApproval => &[Landlord],
        Action::Approve | Action::DeclineEstimate => &[Agency, Landlord],
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

/// Who hears of an event.
pub fn audience_of(kind: EventKind) -> &'static [Audience] {
    match kind {
        EventKind::Submission => ON_SUBMISSION,
        EventKind::Step(action) => audience_of_step(action),
        EventKind::Payout => ON_PAYOUT,
        EventKind::Attachments => ON_ATTACHMENTS,
        EventKind::Escalation => ON_ESCALATION,
    }
}

/// The desktop notification's headline for an event, by what it means to the reader;
/// `to` is the state the event left the order in.
pub fn headline(kind: EventKind, to: Option<State>) -> &'static str {
    match kind {
        EventKind::Submission => "New request",
        EventKind::Payout => "Payment processed",
        EventKind::Attachments => "New photos or files",
        EventKind::Escalation => "Emergency still unanswered",
        EventKind::Step(action) => step_headline(action, to),
    }
}

fn step_headline(action: Action, to: Option<State>) -> &'static str {
    match action {
        // An estimate within the landlord's limits (or an emergency's) is approved by
        // staff at once: the landlord is told it was, not asked.
        Action::RequestApproval if to == Some(State::AwaitingApproval) => "Approval needed",
        Action::RequestApproval => "Estimate approved by the agency",
        Action::Approve => "Work approved",
        Action::DeclineEstimate => "Estimate declined",
        Action::Reject => "Work rejected",
        Action::Assign | Action::Reassign => "Contractor assigned",
        Action::Decline => "Job declined",
        Action::Accept => "Job accepted",
        Action::Schedule => "Appointment scheduled",
        Action::RequestReschedule => "Reschedule requested",
        Action::Start => "Work started",
        Action::Complete => "Work completed, awaiting review",
        Action::Reopen | Action::ReportNotDone => "Work not finished",
        Action::ConfirmDone => "Tenant confirmed the work",
        Action::Close | Action::AutoClose => "Order closed",
        Action::Cancel => "Order cancelled",
        Action::Rate => "Job rated",
        Action::SetPriority => "Priority changed",
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
    fn submissions_payouts_and_attachments_have_their_own_titles() {
        let titles =
            [EventKind::Submission, EventKind::Payout, EventKind::Attachments].map(|kind| headline(kind, None));
        assert_eq!(titles, ["New request", "Payment processed", "New photos or files"]);
        assert_eq!(audience_of(EventKind::Payout), ON_PAYOUT);
    }

    #[test]
    fn a_landlord_is_asked_only_when_their_approval_is_needed() {
        let request = EventKind::Step(Action::RequestApproval);
        assert_eq!(headline(request, Some(State::AwaitingApproval)), "Approval needed");
        assert_eq!(headline(request, Some(State::New)), "Estimate approved by the agency");
    }

    #[test]
    fn every_step_tells_someone() {
        for action in Action::ALL {
            assert!(!audience_of_step(action).is_empty(), "{action:?}");
            assert!(!headline(EventKind::Step(action), None).is_empty());
        }
    }
}
