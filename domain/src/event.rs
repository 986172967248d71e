//! What an order's history records: each event is a lifecycle step or one of the few
//! things that happen to an order without changing its state. Stored by name in
//! `work_order_events.action`; the timeline, Recent Activity and notifications all read
//! it from here.

use crate::lifecycle::Action;
use crate::stored::UnknownName;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The request that opened the order (not a lifecycle step).
    Submission,
    Step(Action),
    /// Staff recorded the contractor's payment (the order's state is unchanged).
    Payout,
    /// A party attached files (the order's state is unchanged).
    Attachments,
    /// An emergency no one responded to within its response target was raised again
    /// with every staff member and the escalation contact (the engine's doing).
    Escalation,
}

const SUBMITTED: &str = "Submit";
const PAYOUT_RECORDED: &str = "RecordPayout";
const FILES_ATTACHED: &str = "Attach";
const ESCALATED: &str = "Escalate";

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Submission => SUBMITTED,
            EventKind::Step(action) => action.as_str(),
            EventKind::Payout => PAYOUT_RECORDED,
            EventKind::Attachments => FILES_ATTACHED,
            EventKind::Escalation => ESCALATED,
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            SUBMITTED => Some(EventKind::Submission),
            PAYOUT_RECORDED => Some(EventKind::Payout),
            FILES_ATTACHED => Some(EventKind::Attachments),
            ESCALATED => Some(EventKind::Escalation),
            step => Action::parse(step).map(EventKind::Step),
        }
    }

    /// What happened, as the timeline and Recent Activity name it.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Submission => "Submitted",
            EventKind::Step(action) => action.label(),
            EventKind::Payout => "Payout recorded",
            EventKind::Attachments => "Attachments",
            EventKind::Escalation => "Escalated",
        }
    }

    /// What someone did to an order, to go between their name and its reference:
    /// "Priya Shah *assigned* PL-000316", "Kofi Jones *started work on* PL-000321".
    pub fn done_to(self) -> &'static str {
        match self {
            EventKind::Submission => "raised",
            EventKind::Payout => "recorded the payout for",
            EventKind::Attachments => "added photos or files to",
            EventKind::Escalation => "escalated",
            EventKind::Step(action) => match action {
                Action::SetPriority => "changed the priority of",
                Action::RequestApproval => "estimated",
                Action::Approve => "approved the estimate for",
                Action::DeclineEstimate => "declined the estimate for",
                Action::Reject => "rejected",
                Action::Assign => "assigned",
                Action::Reassign => "reassigned",
                Action::Decline => "turned down",
                Action::Accept => "accepted",
                Action::Schedule => "booked a visit for",
                Action::RequestReschedule => "asked to reschedule",
                Action::Start => "started work on",
                Action::Complete => "completed",
                Action::Reopen => "reopened",
                Action::ReportNotDone => "reported as not done",
                Action::ConfirmDone => "confirmed the work on",
                Action::Close | Action::AutoClose => "closed",
                Action::Cancel => "cancelled",
                Action::Rate => "rated",
            },
        }
    }

    pub fn action(self) -> Option<Action> {
        match self {
            EventKind::Step(action) => Some(action),
            EventKind::Submission | EventKind::Payout | EventKind::Attachments | EventKind::Escalation => None,
        }
    }
}

impl TryFrom<String> for EventKind {
    type Error = UnknownName;
    fn try_from(name: String) -> Result<Self, UnknownName> {
        Self::parse(&name).ok_or(UnknownName { kind: "event", name })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_as_itself() {
        let kinds = [EventKind::Submission, EventKind::Payout, EventKind::Attachments, EventKind::Escalation]
            .into_iter()
            .chain(Action::ALL.into_iter().map(EventKind::Step));
        for kind in kinds {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
    }
}
