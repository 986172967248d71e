//! The change feed's vocabulary: every committed change (an order's step, a message, an
//! attachment, a notification, a payout) is announced once as a [`Change`], so a
//! connected desktop learns what to re-read without asking every few seconds. A change
//! names what changed, never its content: the desktop reads that through the ordinary
//! commands, which apply the ordinary visibility rules.

use crate::event::EventKind;
use crate::ids::{UserId, WorkOrderId};
use crate::stored::UnknownName;
use serde::{Deserialize, Serialize};

/// One committed change, as a reader of the feed receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Grows with every change, in commit order: a reader resumes "after" the last id it
    /// saw and gets every later change exactly once.
    pub id: i64,
    pub subject: ChangeSubject,
    pub kind: ChangeKind,
}

/// What a change is about: the thing a screen showing it should re-read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChangeSubject {
    /// A work order: its state, history, attachments, payout or thread.
    Order { id: WorkOrderId },
    /// A tenant's direct thread with the agency.
    DirectThread { tenant: UserId },
    /// A user's own notifications (the bell): only that user hears of it.
    User { id: UserId },
}

/// What kind of change: which part of the subject to re-read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ChangeKind {
    /// A request was submitted: a new order.
    Submitted,
    /// A lifecycle step on the order.
    Step,
    /// Files were attached to the order.
    Attachments,
    /// Staff recorded the contractor's payout (for who may see payments only).
    Payout,
    /// A message on the order's thread.
    Message,
    /// An internal note on the order's thread (for the agency only).
    InternalNote,
    /// A message on a tenant's direct thread.
    DirectMessage,
    /// A notification for the subject's user.
    Notification,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 8] = [
        ChangeKind::Submitted,
        ChangeKind::Step,
        ChangeKind::Attachments,
        ChangeKind::Payout,
        ChangeKind::Message,
        ChangeKind::InternalNote,
        ChangeKind::DirectMessage,
        ChangeKind::Notification,
    ];

    /// The name it is stored under (`changes.kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Submitted => "Submitted",
            ChangeKind::Step => "Step",
            ChangeKind::Attachments => "Attachments",
            ChangeKind::Payout => "Payout",
            ChangeKind::Message => "Message",
            ChangeKind::InternalNote => "InternalNote",
            ChangeKind::DirectMessage => "DirectMessage",
            ChangeKind::Notification => "Notification",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// The change an order's history event announces.
    pub fn of_event(kind: EventKind) -> Self {
        match kind {
            EventKind::Submission => ChangeKind::Submitted,
            EventKind::Step(_) | EventKind::Escalation => ChangeKind::Step,
            EventKind::Attachments => ChangeKind::Attachments,
            EventKind::Payout => ChangeKind::Payout,
        }
    }
}

impl TryFrom<String> for ChangeKind {
    type Error = UnknownName;
    fn try_from(name: String) -> Result<Self, UnknownName> {
        Self::parse(&name).ok_or(UnknownName { kind: "change kind", name })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::Action;

    #[test]
    fn every_kind_reads_back_as_itself() {
        for kind in ChangeKind::ALL {
            assert_eq!(ChangeKind::try_from(kind.as_str().to_owned()), Ok(kind));
        }
    }

    #[test]
    fn each_event_announces_its_kind_of_change() {
        assert_eq!(ChangeKind::of_event(EventKind::Submission), ChangeKind::Submitted);
        assert_eq!(ChangeKind::of_event(EventKind::Step(Action::Close)), ChangeKind::Step);
        assert_eq!(ChangeKind::of_event(EventKind::Attachments), ChangeKind::Attachments);
        assert_eq!(ChangeKind::of_event(EventKind::Payout), ChangeKind::Payout);
    }

    #[test]
    fn a_change_travels_as_json_and_back() {
        let change = Change { id: 7, subject: ChangeSubject::Order { id: WorkOrderId(3) }, kind: ChangeKind::Step };
        let json = serde_json::to_string(&change).expect("serialises");
        assert_eq!(json, r#"{"id":7,"subject":{"Order":{"id":3}},"kind":"Step"}"#);
        assert_eq!(serde_json::from_str::<Change>(&json).expect("reads back"), change);
    }
}
