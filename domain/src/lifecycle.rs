//! The work-order state machine of SPEC "Work order lifecycle", as one pure function.
//!
//! Every state and action is matched explicitly: adding a variant must make the compiler
//! ask where it is allowed.

use crate::role::Party;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    /// Submitted and triaged; waiting for staff to approve, reject or assign.
    New,
    /// The estimate needs the landlord's approval before work can be assigned.
    AwaitingApproval,
    Assigned,
    Accepted,
    Scheduled,
    InProgress,
    /// The contractor says it is done; waiting for staff review or tenant confirmation.
    Completed,
    Closed,
    Rejected,
    Cancelled,
}

impl State {
    pub const ALL: [State; 10] = [
        State::New,
        State::AwaitingApproval,
        State::Assigned,
        State::Accepted,
        State::Scheduled,
        State::InProgress,
        State::Completed,
        State::Closed,
        State::Rejected,
        State::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "New",
            State::AwaitingApproval => "AwaitingApproval",
            State::Assigned => "Assigned",
            State::Accepted => "Accepted",
            State::Scheduled => "Scheduled",
            State::InProgress => "InProgress",
            State::Completed => "Completed",
            State::Closed => "Closed",
            State::Rejected => "Rejected",
            State::Cancelled => "Cancelled",
        }
    }

    /// The words a person reads on a badge.
    pub fn label(self) -> &'static str {
        match self {
            State::AwaitingApproval => "Awaiting approval",
            State::InProgress => "In progress",
            State::New
            | State::Assigned
            | State::Accepted
            | State::Scheduled
            | State::Completed
            | State::Closed
            | State::Rejected
            | State::Cancelled => self.as_str(),
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn is_terminal(self) -> bool {
        match self {
            State::Closed | State::Rejected | State::Cancelled => true,
            State::New
            | State::AwaitingApproval
            | State::Assigned
            | State::Accepted
            | State::Scheduled
            | State::InProgress
            | State::Completed => false,
        }
    }

    /// Not closed, rejected or cancelled: still on someone's desk, including completed
    /// work awaiting review (the list's "Not closed").
    pub fn is_not_closed(self) -> bool {
        !self.is_terminal()
    }

    /// Work still to be done on site: waiting to start, or started (not Completed, which
    /// waits only for review). What every screen calls "Open": the dashboards' open work,
    /// the SLA alerts and the list's "Open" status choice.
    pub fn is_unfinished(self) -> bool {
        match self {
            State::New
            | State::AwaitingApproval
            | State::Assigned
            | State::Accepted
            | State::Scheduled
            | State::InProgress => true,
            State::Completed | State::Closed | State::Rejected | State::Cancelled => false,
        }
    }

    /// Rejected or cancelled: no work was owed, so no SLA applies.
    pub fn was_abandoned(self) -> bool {
        match self {
            State::Rejected | State::Cancelled => true,
            State::New
            | State::AwaitingApproval
            | State::Assigned
            | State::Accepted
            | State::Scheduled
            | State::InProgress
            | State::Completed
            | State::Closed => false,
        }
    }

    /// LoftyWorks' "Pending": submitted or assigned, work not yet started.
    pub fn is_pending(self) -> bool {
        match self {
            State::New | State::AwaitingApproval | State::Assigned | State::Accepted | State::Scheduled => true,
            State::InProgress | State::Completed | State::Closed | State::Rejected | State::Cancelled => false,
        }
    }

    /// Accepted by a contractor and not finished yet: what landlords and contractors
    /// call "In progress" (LoftyWorks: "jobs you've accepted and are actively working on").
    pub fn is_under_way(self) -> bool {
        match self {
            State::Accepted | State::Scheduled | State::InProgress => true,
            State::New | State::AwaitingApproval | State::Assigned => false,
            State::Completed | State::Closed | State::Rejected | State::Cancelled => false,
        }
    }

    /// With a contractor and not yet reported done: one of their open jobs, as counted
    /// when staff choose whom to assign (assigned, whether or not accepted yet).
    pub fn is_with_contractor(self) -> bool {
        match self {
            State::Assigned | State::Accepted | State::Scheduled | State::InProgress => true,
            State::New | State::AwaitingApproval => false,
            State::Completed | State::Closed | State::Rejected | State::Cancelled => false,
        }
    }

    /// Its appointment is (or was) kept rather than waiting to be agreed or called off.
    pub fn has_kept_appointment(self) -> bool {
        match self {
            State::Scheduled | State::InProgress | State::Completed | State::Closed => true,
            State::New | State::AwaitingApproval | State::Assigned | State::Accepted => false,
            State::Rejected | State::Cancelled => false,
        }
    }
}

/// Everything anyone can do to an order. Payloads (reasons, estimates, windows) are
/// validated by the use case; the lifecycle only decides whether the step is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Staff override of the derived priority, with a reason.
    SetPriority,
    /// Staff send the estimate to the landlord.
    RequestApproval,
    /// Landlord (or staff acting for them) accepts the estimate.
    Approve,
    /// Landlord (or staff recording their answer) turns the estimate down, with a reason:
    /// the order goes back to the agency for another quote, another contractor, or a
    /// cancellation the tenant is told about. The repair itself is not refused.
    DeclineEstimate,
    /// Staff refuse the request itself (not a repair the agency owes, a duplicate).
    Reject,
    Assign,
    /// Send an already assigned order to another contractor.
    Reassign,
    /// The offered contractor turns the job down; it goes back to staff.
    Decline,
    Accept,
    Schedule,
    /// Tenant or contractor asks for another window; staff or the contractor confirm with Schedule.
    RequestReschedule,
    Start,
    Complete,
    /// Staff review found the work unfinished.
    Reopen,
    /// Tenant says the completed work is not done.
    ReportNotDone,
    ConfirmDone,
    Close,
    /// Closed automatically N days after completion with no complaint.
    AutoClose,
    Cancel,
    Rate,
}

impl Action {
    pub const ALL: [Action; 20] = [
        Action::SetPriority,
        Action::RequestApproval,
        Action::Approve,
        Action::DeclineEstimate,
        Action::Reject,
        Action::Assign,
        Action::Reassign,
        Action::Decline,
        Action::Accept,
        Action::Schedule,
        Action::RequestReschedule,
        Action::Start,
        Action::Complete,
        Action::Reopen,
        Action::ReportNotDone,
        Action::ConfirmDone,
        Action::Close,
        Action::AutoClose,
        Action::Cancel,
        Action::Rate,
    ];

    /// The stable name stored in the history and used as the IPC tag.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::SetPriority => "SetPriority",
            Action::RequestApproval => "RequestApproval",
            Action::Approve => "Approve",
            Action::DeclineEstimate => "DeclineEstimate",
            Action::Reject => "Reject",
            Action::Assign => "Assign",
            Action::Reassign => "Reassign",
            Action::Decline => "Decline",
            Action::Accept => "Accept",
            Action::Schedule => "Schedule",
            Action::RequestReschedule => "RequestReschedule",
            Action::Start => "Start",
            Action::Complete => "Complete",
            Action::Reopen => "Reopen",
            Action::ReportNotDone => "ReportNotDone",
            Action::ConfirmDone => "ConfirmDone",
            Action::Close => "Close",
            Action::AutoClose => "AutoClose",
            Action::Cancel => "Cancel",
            Action::Rate => "Rate",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// The verb a button shows.
    pub fn label(self) -> &'static str {
        match self {
            Action::SetPriority => "Set priority",
            Action::RequestApproval => "Request landlord approval",
            Action::Approve => "Approve",
            Action::DeclineEstimate => "Decline estimate",
            Action::Reject => "Reject request",
            Action::Assign => "Assign contractor",
            Action::Reassign => "Reassign",
            Action::Decline => "Decline",
            Action::Accept => "Accept",
            Action::Schedule => "Set appointment",
            Action::RequestReschedule => "Ask to reschedule",
            Action::Start => "Mark started",
            Action::Complete => "Mark completed",
            Action::Reopen => "Reopen",
            Action::ReportNotDone => "Report not done",
            Action::ConfirmDone => "Confirm done",
            Action::Close => "Close",
            Action::AutoClose => "Auto-close",
            Action::Cancel => "Cancel order",
            Action::Rate => "Rate",
        }
    }

    /// Lower-case verb phrase for messages: "cannot close an order that is New".
    fn verb(self) -> &'static str {
        match self {
            Action::SetPriority => "change the priority of",
            Action::RequestApproval => "request approval for",
            Action::Approve => "approve",
            Action::DeclineEstimate => "decline the estimate of",
            Action::Reject => "reject",
            Action::Assign => "assign",
            Action::Reassign => "reassign",
            Action::Decline => "decline",
            Action::Accept => "accept",
            Action::Schedule => "schedule",
            Action::RequestReschedule => "ask to reschedule",
            Action::Start => "start",
            Action::Complete => "complete",
            Action::Reopen => "reopen",
            Action::ReportNotDone => "report as not done",
            Action::ConfirmDone => "confirm as done",
            Action::Close => "close",
            Action::AutoClose => "auto-close",
            Action::Cancel => "cancel",
            Action::Rate => "rate",
        }
    }

    /// Who may take this action, whatever the state.
    fn parties(self) -> &'static [Party] {
        use Party::*;
        match self {
            Action::SetPriority | Action::RequestApproval | Action::Assign | Action::Reassign => &[Agency],
            Action::Reopen | Action::Close => &[Agency],
            // Staff approve on the landlord's behalf where the agreement allows it, and
            // record a landlord's answer given by phone.
            Action::Approve | Action::DeclineEstimate => &[Agency, OwningLandlord],
            Action::Reject => &[Agency],
            Action::Decline => &[AssignedContractor],
            // Staff record a contractor's acceptance given by phone.
            Action::Accept => &[Agency, AssignedContractor],
            Action::Schedule | Action::Start | Action::Complete => &[Agency, AssignedContractor],
            Action::RequestReschedule => &[RequestingTenant, AssignedContractor],
            Action::ReportNotDone => &[RequestingTenant, Agency],
            Action::ConfirmDone | Action::Rate => &[RequestingTenant],
            Action::AutoClose => &[System],
            Action::Cancel => &[Agency, RequestingTenant],
        }
    }

    /// Where the action leads from `state`, if the graph has that edge.
    fn target(self, state: State) -> Option<State> {
        use State::*;
        match self {
            Action::SetPriority => match state {
                New | AwaitingApproval | Assigned | Accepted | Scheduled | InProgress => Some(state),
                Completed | Closed | Rejected | Cancelled => None,
            },
            Action::RequestApproval => match state {
                New => Some(AwaitingApproval),
                AwaitingApproval | Assigned | Accepted | Scheduled | InProgress | Completed | Closed | Rejected
                | Cancelled => None,
            },
            // Approved work goes back to the queue, ready to assign.
            Action::Approve => match state {
                AwaitingApproval => Some(New),
                New | Assigned | Accepted | Scheduled | InProgress | Completed | Closed | Rejected | Cancelled => None,
            },
            // A declined estimate is the agency's to act on again.
            Action::DeclineEstimate => match state {
                AwaitingApproval => Some(New),
                New | Assigned | Accepted | Scheduled | InProgress | Completed | Closed | Rejected | Cancelled => None,
            },
            Action::Reject => match state {
                New | AwaitingApproval => Some(Rejected),
                Assigned | Accepted | Scheduled | InProgress | Completed | Closed | Rejected | Cancelled => None,
            },
            Action::Assign => match state {
                New => Some(Assigned),
                AwaitingApproval | Assigned | Accepted | Scheduled | InProgress | Completed | Closed | Rejected
                | Cancelled => None,
            },
            Action::Reassign => match state {
                Assigned | Accepted | Scheduled => Some(Assigned),
                New | AwaitingApproval | InProgress | Completed | Closed | Rejected | Cancelled => None,
            },
            Action::Decline => match state {
                Assigned => Some(New),
                New | AwaitingApproval | Accepted | Scheduled | InProgress | Completed | Closed | Rejected
                | Cancelled => None,
            },
            Action::Accept => match state {
                Assigned => Some(Accepted),
                New | AwaitingApproval | Accepted | Scheduled | InProgress | Completed | Closed | Rejected
                | Cancelled => None,
            },
            Action::Schedule => match state {
                Accepted | Scheduled => Some(Scheduled),
                New | AwaitingApproval | Assigned | InProgress | Completed | Closed | Rejected | Cancelled => None,
            },
            Action::RequestReschedule => match state {
                Scheduled => Some(Scheduled),
                New | AwaitingApproval | Assigned | Accepted | InProgress | Completed | Closed | Rejected
                | Cancelled => None,
            },
            Action::Start => match state {
                Scheduled => Some(InProgress),
                New | AwaitingApproval | Assigned | Accepted | InProgress | Completed | Closed | Rejected
                | Cancelled => None,
            },
            Action::Complete => match state {
                InProgress => Some(Completed),
                New | AwaitingApproval | Assigned | Accepted | Scheduled | Completed | Closed | Rejected
                | Cancelled => None,
            },
            Action::Reopen => match state {
                Completed => Some(InProgress),
                New | AwaitingApproval | Assigned | Accepted | Scheduled | InProgress | Closed | Rejected
                | Cancelled => None,
            },
            // A new visit is needed, with the tenant's report attached.
            Action::ReportNotDone => match state {
                Completed => Some(Scheduled),
                New | AwaitingApproval | Assigned | Accepted | Scheduled | InProgress | Closed | Rejected
                | Cancelled => None,
            },
            Action::ConfirmDone | Action::Close | Action::AutoClose => match state {
                Completed => Some(Closed),
                New | AwaitingApproval | Assigned | Accepted | Scheduled | InProgress | Closed | Rejected
                | Cancelled => None,
            },
            Action::Cancel => match state {
                New | AwaitingApproval | Assigned | Accepted | Scheduled | InProgress => Some(Cancelled),
                Completed | Closed | Rejected | Cancelled => None,
            },
            // Rating records feedback; it never changes the state.
            Action::Rate => match state {
                Closed => Some(Closed),
                New | AwaitingApproval | Assigned | Accepted | Scheduled | InProgress | Completed | Rejected
                | Cancelled => None,
            },
        }
    }
}

/// Why a step was refused; the message is written for the person who tried it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("you cannot {} this order", .action.verb())]
    NotYourAction { action: Action, party: Party },
    #[error("cannot {} an order that is {}", .action.verb(), .state.label())]
    NotFromState { action: Action, state: State },
    #[error("a tenant can cancel only before a contractor has accepted the job")]
    TenantCancelTooLate,
    #[error("a tenant can cancel only before the work has started")]
    TenantCancelAfterStart,
    #[error("this landlord approves costs above their threshold themselves; staff may not approve for them")]
    LandlordApprovesThemselves,
}

/// The agency's and the landlord's rules the graph consults (SPEC "Agency settings",
/// "Cost approvals").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// The agency lets tenants cancel after a contractor accepted, until work starts.
    pub tenants_may_cancel_after_accept: bool,
    /// The order's landlord lets staff approve costs on their behalf.
    pub staff_may_approve: bool,
}

impl Default for Policy {
    /// As every agency ran before these were settings.
    fn default() -> Self {
        Self { tenants_may_cancel_after_accept: false, staff_may_approve: true }
    }
}

/// Decides one step of the lifecycle under the default policy.
pub fn transition(state: State, action: Action, party: Party) -> Result<State, TransitionError> {
    transition_under(&Policy::default(), state, action, party)
}

/// Decides one step of the lifecycle: the next state, or why not.
pub fn transition_under(policy: &Policy, state: State, action: Action, party: Party) -> Result<State, TransitionError> {
    if !action.parties().contains(&party) {
        return Err(TransitionError::NotYourAction { action, party });
    }
    let next = action.target(state).ok_or(TransitionError::NotFromState { action, state })?;
    if action == Action::Cancel && party == Party::RequestingTenant {
        tenant_may_still_cancel(policy, state)?;
    }
    if action == Action::Approve && party == Party::Agency && !policy.staff_may_approve {
        return Err(TransitionError::LandlordApprovesThemselves);
    }
    Ok(next)
}

fn tenant_may_still_cancel(policy: &Policy, state: State) -> Result<(), TransitionError> {
    match state {
        State::New | State::AwaitingApproval | State::Assigned => Ok(()),
        State::Accepted | State::Scheduled if policy.tenants_may_cancel_after_accept => Ok(()),
        State::Accepted | State::Scheduled => Err(TransitionError::TenantCancelTooLate),
        State::InProgress | State::Completed | State::Closed | State::Rejected | State::Cancelled => {
            Err(TransitionError::TenantCancelAfterStart)
        }
    }
}

/// The actions `party` may take on an order in `state`: what the UI offers as buttons.
pub fn allowed_actions(policy: &Policy, state: State, party: Party) -> Vec<Action> {
    Action::ALL.into_iter().filter(|action| transition_under(policy, state, *action, party).is_ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_round_trip_and_match_the_serialised_form() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
            assert_eq!(format!("{action:?}"), action.as_str());
        }
        assert_eq!(Action::parse("Submit"), None);
    }

    #[test]
    fn unfinished_work_is_pending_or_in_progress_and_always_open() {
        for state in State::ALL {
            assert_eq!(state.is_unfinished(), state.is_pending() || state == State::InProgress, "{state:?}");
            assert!(!state.is_unfinished() || state.is_not_closed(), "{state:?}");
        }
        assert!(State::Completed.is_not_closed());
        assert!(!State::Completed.is_unfinished());
        assert!(!State::Cancelled.is_not_closed());
    }

    #[test]
    fn a_contractors_open_jobs_are_assigned_or_under_way() {
        for state in State::ALL {
            assert_eq!(state.is_with_contractor(), state == State::Assigned || state.is_under_way(), "{state:?}");
        }
    }

    #[test]
    fn closing_a_new_order_is_refused_with_a_readable_reason() {
        let err = transition(State::New, Action::Close, Party::Agency).unwrap_err();
        assert_eq!(err.to_string(), "cannot close an order that is New");
    }

    #[test]
    fn staff_alone_can_take_an_order_from_new_to_closed() {
        // A phone-driven desk: the contractor accepts, schedules and reports by phone.
        let steps = [Action::Assign, Action::Accept, Action::Schedule, Action::Start, Action::Complete, Action::Close];
        let mut state = State::New;
        for action in steps {
            state = transition(state, action, Party::Agency).unwrap();
        }
        assert_eq!(state, State::Closed);
        assert!(transition(State::Assigned, Action::Decline, Party::Agency).is_err(), "only the contractor declines");
    }

    #[test]
    fn the_happy_path_runs_from_new_to_closed() {
        let steps = [
            (Action::RequestApproval, Party::Agency, State::AwaitingApproval),
            (Action::Approve, Party::OwningLandlord, State::New),
            (Action::Assign, Party::Agency, State::Assigned),
            (Action::Accept, Party::AssignedContractor, State::Accepted),
            (Action::Schedule, Party::AssignedContractor, State::Scheduled),
            (Action::Start, Party::AssignedContractor, State::InProgress),
            (Action::Complete, Party::AssignedContractor, State::Completed),
            (Action::ConfirmDone, Party::RequestingTenant, State::Closed),
        ];
        let mut state = State::New;
        for (action, party, expected) in steps {
            state = transition(state, action, party).unwrap();
            assert_eq!(state, expected, "{action:?}");
        }
    }

    #[test]
    fn a_tenant_cannot_cancel_once_the_contractor_accepted() {
        assert_eq!(transition(State::Assigned, Action::Cancel, Party::RequestingTenant), Ok(State::Cancelled));
        assert_eq!(
            transition(State::Accepted, Action::Cancel, Party::RequestingTenant),
            Err(TransitionError::TenantCancelTooLate)
        );
        assert_eq!(transition(State::InProgress, Action::Cancel, Party::Agency), Ok(State::Cancelled));
    }

    #[test]
    fn an_agency_may_let_tenants_cancel_until_work_starts() {
        let lenient = Policy { tenants_may_cancel_after_accept: true, ..Policy::default() };
        for state in [State::Accepted, State::Scheduled] {
            assert_eq!(
                transition_under(&lenient, state, Action::Cancel, Party::RequestingTenant),
                Ok(State::Cancelled)
            );
        }
        assert_eq!(
            transition_under(&lenient, State::InProgress, Action::Cancel, Party::RequestingTenant),
            Err(TransitionError::TenantCancelAfterStart)
        );
        assert!(allowed_actions(&lenient, State::Scheduled, Party::RequestingTenant).contains(&Action::Cancel));
        assert!(
            !allowed_actions(&Policy::default(), State::Scheduled, Party::RequestingTenant).contains(&Action::Cancel)
        );
    }

    #[test]
    fn staff_are_not_offered_approve_for_a_landlord_who_approves_themselves() {
        let own_approval = Policy { staff_may_approve: false, ..Policy::default() };
        assert_eq!(
            transition_under(&own_approval, State::AwaitingApproval, Action::Approve, Party::Agency),
            Err(TransitionError::LandlordApprovesThemselves)
        );
        assert!(!allowed_actions(&own_approval, State::AwaitingApproval, Party::Agency).contains(&Action::Approve));
        assert_eq!(
            transition_under(&own_approval, State::AwaitingApproval, Action::Approve, Party::OwningLandlord),
            Ok(State::New)
        );
    }

    #[test]
    fn unrelated_users_may_do_nothing() {
        for state in State::ALL {
            assert!(allowed_actions(&Policy::default(), state, Party::Unrelated).is_empty(), "{state:?}");
        }
    }

    #[test]
    fn terminal_states_only_allow_rating() {
        for state in [State::Closed, State::Rejected, State::Cancelled] {
            for party in [Party::Agency, Party::OwningLandlord, Party::AssignedContractor, Party::RequestingTenant] {
                for action in allowed_actions(&Policy::default(), state, party) {
                    assert_eq!(action, Action::Rate);
                    assert_eq!(transition(state, action, party), Ok(state));
                }
            }
        }
    }

    #[test]
    fn a_landlord_is_offered_approve_and_decline_only_while_awaiting_approval() {
        assert_eq!(
            allowed_actions(&Policy::default(), State::AwaitingApproval, Party::OwningLandlord),
            vec![Action::Approve, Action::DeclineEstimate]
        );
        assert!(allowed_actions(&Policy::default(), State::InProgress, Party::OwningLandlord).is_empty());
    }

    #[test]
    fn a_declined_estimate_goes_back_to_the_agency_and_only_the_agency_refuses_a_request() {
        for party in [Party::OwningLandlord, Party::Agency] {
            assert_eq!(transition(State::AwaitingApproval, Action::DeclineEstimate, party), Ok(State::New));
        }
        assert!(allowed_actions(&Policy::default(), State::New, Party::Agency).contains(&Action::RequestApproval));
        assert_eq!(
            transition(State::AwaitingApproval, Action::Reject, Party::OwningLandlord),
            Err(TransitionError::NotYourAction { action: Action::Reject, party: Party::OwningLandlord })
        );
        assert_eq!(transition(State::AwaitingApproval, Action::Reject, Party::Agency), Ok(State::Rejected));
        assert!(transition(State::New, Action::DeclineEstimate, Party::OwningLandlord).is_err());
    }
}
