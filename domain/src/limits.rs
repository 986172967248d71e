//! How often one user may repeat something that tells other people: a step or a message
//! each reaches every staff member (and more), so repeating it without limit is a way to
//! flood the agency. Counted from the store's own rows (events, messages), never from a
//! desktop's memory, so the limits hold across desktops and the agency server.

use crate::lifecycle::Action;

/// A tenant rates a finished job once: the rating is what they thought of the work, and a
/// second one would only notify everyone again.
pub const RATINGS_PER_ORDER: i64 = 1;

/// Reschedule requests one person may make on one order in a day. Two covers "that
/// slot no longer suits" and "nor does the new one"; beyond that a phone call is better
/// than another round of notifications to every staff member and the contractor.
pub const RESCHEDULE_REQUESTS_PER_DAY: i64 = 2;

/// Messages one person may post in a minute, over all threads. Far above anyone typing
/// (a short reply takes several seconds to write), far below a script or a stuck key
/// flooding a thread and everyone's unread counts.
pub const MESSAGES_PER_MINUTE: i64 = 10;

/// A limit on repeating a step: at most `times` within `window_secs` (`None`: ever).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepLimit {
    pub times: i64,
    pub window_secs: Option<i64>,
    /// What is said when the limit is reached.
    pub refusal: &'static str,
}

/// The one day a reschedule count looks back over.
pub const DAY_SECS: i64 = 24 * 60 * 60;

impl StepLimit {
    /// The limit on one person repeating `action` on one order, if it has one.
    pub fn of(action: Action) -> Option<Self> {
        match action {
            Action::Rate => {
                Some(Self { times: RATINGS_PER_ORDER, window_secs: None, refusal: "you have already rated this job" })
            }
            Action::RequestReschedule => Some(Self {
                times: RESCHEDULE_REQUESTS_PER_DAY,
                window_secs: Some(DAY_SECS),
                refusal: "you have already asked to reschedule this visit as often as one can in a day; \
                          please call the agency to change it",
            }),
            // The other steps move the order on, so the lifecycle itself stops a repeat.
            Action::SetPriority
            | Action::RequestApproval
            | Action::Approve
            | Action::DeclineEstimate
            | Action::Reject
            | Action::Assign
            | Action::Reassign
            | Action::Decline
            | Action::Accept
            | Action::Schedule
            | Action::Start
            | Action::Complete
            | Action::Reopen
            | Action::ReportNotDone
            | Action::ConfirmDone
            | Action::Close
            | Action::Cancel
            | Action::AutoClose => None,
        }
    }

    /// Whether one more is allowed, with `done` already counted within the window.
    pub fn allows_another(self, done: i64) -> bool {
        done < self.times
    }
}

/// Whether one more message is allowed, with `sent` posted by the same person in the
/// last minute.
pub fn allows_another_message(sent: i64) -> bool {
    sent < MESSAGES_PER_MINUTE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_rated_once() {
        let limit = StepLimit::of(Action::Rate).expect("rating is limited");
        assert!(limit.allows_another(0));
        assert!(!limit.allows_another(1));
        assert_eq!(limit.window_secs, None, "once ever, not once a day");
    }

    #[test]
    fn reschedule_requests_are_limited_per_day() {
        let limit = StepLimit::of(Action::RequestReschedule).expect("rescheduling is limited");
        assert!(limit.allows_another(RESCHEDULE_REQUESTS_PER_DAY - 1));
        assert!(!limit.allows_another(RESCHEDULE_REQUESTS_PER_DAY));
        assert_eq!(limit.window_secs, Some(86_400));
    }

    #[test]
    fn steps_that_move_the_order_on_have_no_limit_of_their_own() {
        assert_eq!(StepLimit::of(Action::Close), None);
        assert_eq!(StepLimit::of(Action::Schedule), None);
    }

    #[test]
    fn messages_are_limited_per_minute() {
        assert!(allows_another_message(MESSAGES_PER_MINUTE - 1));
        assert!(!allows_another_message(MESSAGES_PER_MINUTE));
    }
}
