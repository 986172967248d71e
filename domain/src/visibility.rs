//! Who sees what of an order, field by field: access codes, money and the words people
//! write when they take a step. Every place the service lets an order's data out (the
//! order page, its timeline, Recent Activity, notifications, the tenancy type-ahead)
//! asks these rules, so a field is hidden everywhere or nowhere.

use crate::lifecycle::{Action, State};
use crate::role::Party;

/// Where gate and lockbox codes would be shown: on an order in some state, or on a
/// tenancy itself (the intake form's type-ahead), which has no job to be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodesOn {
    Order(State),
    Tenancy,
}

/// One piece of an order some of its parties may not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fact {
    /// The estimate and the cost approved from it: the job's budget.
    Estimate,
    /// What the contractor charged.
    Invoice,
    /// What the agency paid the contractor.
    Payout,
    /// The landlord's approval limit, and that staff approved on their behalf: the
    /// agreement between landlord and agency (a contractor who knew the limit could
    /// quote just under it).
    ApprovalTerms,
    /// What someone wrote when taking this step (a reason, a note, a report).
    Words(Action),
}

impl Party {
    /// Gate and lockbox codes open someone's home: the agency always has them; the
    /// assigned contractor only while the job is theirs to do, from accepting it until
    /// reporting it done (not when merely offered, nor once it is completed, closed or
    /// cancelled); the landlord and the tenant never read them back (SPEC: codes only
    /// for staff and the assigned contractor), on an order or on a tenancy.
    pub fn may_see_access_codes(self, on: CodesOn) -> bool {
        match self {
            Party::Agency => true,
            Party::AssignedContractor => match on {
                CodesOn::Order(state) => state.is_under_way(),
                CodesOn::Tenancy => false,
            },
            Party::OwningLandlord | Party::RequestingTenant | Party::System | Party::Unrelated => false,
        }
    }

    /// Whether this party reads `fact`. Money is never the tenant's business; the
    /// landlord sees what their work costs but not what the agency pays out; the
    /// assigned contractor sees the budget they work to and their own invoice and pay.
    pub fn may_see(self, fact: Fact) -> bool {
        match self {
            Party::Agency => true,
            Party::OwningLandlord => match fact {
                Fact::Estimate | Fact::Invoice | Fact::ApprovalTerms => true,
                Fact::Payout => false,
                Fact::Words(action) => words_for_landlord(action),
            },
            Party::AssignedContractor => match fact {
                Fact::Estimate | Fact::Invoice | Fact::Payout => true,
                Fact::ApprovalTerms => false,
                Fact::Words(action) => words_for_contractor(action),
            },
            Party::RequestingTenant => match fact {
                Fact::Estimate | Fact::Invoice | Fact::Payout | Fact::ApprovalTerms => false,
                Fact::Words(action) => words_for_tenant(action),
            },
            Party::System | Party::Unrelated => false,
        }
    }

    /// What the agency pays a contractor is between those two: staff and the contractor
    /// the order is assigned to.
    pub fn may_see_payment(self) -> bool {
        self.may_see(Fact::Payout)
    }
}

/// Words that are the agency's and the landlord's: approving or declining an estimate
/// (their agreement), and why a contractor was replaced (often about the one replaced).
fn agency_and_landlord_only(action: Action) -> bool {
    matches!(action, Action::RequestApproval | Action::Approve | Action::DeclineEstimate | Action::Reassign)
}

/// The landlord reads every reason but a contractor's for turning a job down, which is
/// between the contractor and the agency.
fn words_for_landlord(action: Action) -> bool {
    action != Action::Decline
}

/// The contractor reads what concerns the work; not the agency's and landlord's terms.
fn words_for_contractor(action: Action) -> bool {
    !agency_and_landlord_only(action)
}

/// The tenant reads what is about their home and their request: why it was rejected or
/// cancelled, what was done, what is still wrong, the visit. Not the agency's and
/// landlord's terms, nor the staff's review of the contractor's work and invoice
/// (reopening, closing), nor a contractor's reason for turning the job down.
fn words_for_tenant(action: Action) -> bool {
    match action {
        Action::SetPriority
        | Action::Reject
        | Action::Assign
        | Action::Accept
        | Action::Schedule
        | Action::RequestReschedule
        | Action::Start
        | Action::Complete
        | Action::ReportNotDone
        | Action::ConfirmDone
        | Action::AutoClose
        | Action::Cancel
        | Action::Rate => true,
        Action::RequestApproval
        | Action::Approve
        | Action::DeclineEstimate
        | Action::Reassign
        | Action::Decline
        | Action::Reopen
        | Action::Close => false,
    }
}

/// A history note as it is written: pieces, each shown to whoever may see its fact
/// (none: every party). Money and restricted words stay separate pieces so each reader
/// gets the same sentence without what is not theirs ("Estimate sent to the landlord for
/// approval" for the tenant, "Estimate £900.00 sent…" for the landlord) — simpler than
/// storing amounts apart and composing every sentence again at each read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Note {
    pieces: Vec<(Option<Fact>, String)>,
}

impl Note {
    /// Text every party of the order reads.
    pub fn plain(text: impl Into<String>) -> Self {
        Self::default().then(text)
    }

    /// What the person taking `action` wrote.
    pub fn said(action: Action, text: impl Into<String>) -> Self {
        Self::default().then_for(Fact::Words(action), text)
    }

    /// Appends text every party reads.
    pub fn then(mut self, text: impl Into<String>) -> Self {
        self.pieces.push((None, text.into()));
        self
    }

    /// Appends text only those who may see `fact` read.
    pub fn then_for(mut self, fact: Fact, text: impl Into<String>) -> Self {
        self.pieces.push((Some(fact), text.into()));
        self
    }

    /// The note as `party` reads it.
    pub fn text_for(&self, party: Party) -> String {
        let shown = self.pieces.iter().filter(|(fact, _)| fact.is_none_or(|fact| party.may_see(fact)));
        shown.map(|(_, text)| text.as_str()).collect::<String>().trim().to_owned()
    }

    /// The whole note: the agency's reading, and what the history stores as the note.
    pub fn full(&self) -> String {
        self.text_for(Party::Agency)
    }
}

impl From<String> for Note {
    fn from(text: String) -> Self {
        Self::plain(text)
    }
}

impl From<&str> for Note {
    fn from(text: &str) -> Self {
        Self::plain(text)
    }
}

/// The parties besides the agency who read an order's history, each of whom may read a
/// note differently.
pub const READERS: [Party; 3] = [Party::OwningLandlord, Party::AssignedContractor, Party::RequestingTenant];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::Role;

    const PARTIES: [Party; 4] =
        [Party::Agency, Party::OwningLandlord, Party::AssignedContractor, Party::RequestingTenant];

    #[test]
    fn the_assigned_contractor_has_the_codes_only_from_accepting_until_done() {
        for state in State::ALL {
            let during = matches!(state, State::Accepted | State::Scheduled | State::InProgress);
            let on = CodesOn::Order(state);
            assert_eq!(Party::AssignedContractor.may_see_access_codes(on), during, "{state:?}");
            assert!(Party::Agency.may_see_access_codes(on));
            for party in [Party::OwningLandlord, Party::RequestingTenant, Party::System, Party::Unrelated] {
                assert!(!party.may_see_access_codes(on), "{party:?} in {state:?}");
            }
        }
        let on_tenancy = PARTIES.map(|party| party.may_see_access_codes(CodesOn::Tenancy));
        assert_eq!(on_tenancy, [true, false, false, false], "a tenancy's codes: the agency's alone");
    }

    #[test]
    fn money_by_party() {
        let table = [
            // (fact, agency, landlord, contractor, tenant)
            (Fact::Estimate, [true, true, true, false]),
            (Fact::Invoice, [true, true, true, false]),
            (Fact::Payout, [true, false, true, false]),
            (Fact::ApprovalTerms, [true, true, false, false]),
        ];
        for (fact, expected) in table {
            assert_eq!(PARTIES.map(|party| party.may_see(fact)), expected, "{fact:?}");
            assert!(!Party::Unrelated.may_see(fact) && !Party::System.may_see(fact));
        }
    }

    #[test]
    fn the_row_level_money_rules_agree_with_the_parties() {
        // A role sees only orders it is a party to, always as the same party.
        let as_party = [
            (Role::Staff, Party::Agency),
            (Role::Admin, Party::Agency),
            (Role::Landlord, Party::OwningLandlord),
            (Role::Contractor, Party::AssignedContractor),
            (Role::Tenant, Party::RequestingTenant),
        ];
        for (role, party) in as_party {
            assert_eq!(role.may_see_costs(), party.may_see(Fact::Invoice), "{role:?}");
            assert_eq!(role.may_see_payments(), party.may_see(Fact::Payout), "{role:?}");
        }
    }

    #[test]
    fn words_by_party() {
        use Action::*;
        let table = [
            // (action, landlord, contractor, tenant); the agency reads every word.
            (SetPriority, [true, true, true]),
            (RequestApproval, [true, false, false]),
            (Approve, [true, false, false]),
            (DeclineEstimate, [true, false, false]),
            (Reject, [true, true, true]),
            (Reassign, [true, false, false]),
            (Decline, [false, true, false]),
            (RequestReschedule, [true, true, true]),
            (Complete, [true, true, true]),
            (Reopen, [true, true, false]),
            (ReportNotDone, [true, true, true]),
            (Close, [true, true, false]),
            (Cancel, [true, true, true]),
            (Rate, [true, true, true]),
        ];
        for (action, expected) in table {
            assert!(Party::Agency.may_see(Fact::Words(action)));
            assert_eq!(READERS.map(|party| party.may_see(Fact::Words(action))), expected, "{action:?}");
        }
    }

    #[test]
    fn each_reader_gets_the_sentence_without_what_is_not_theirs() {
        let note = Note::plain("Estimate")
            .then_for(Fact::Estimate, " £900.00")
            .then(" approved by staff")
            .then_for(Fact::ApprovalTerms, " (within the landlord's £1,000.00 approval limit)");
        assert_eq!(note.full(), "Estimate £900.00 approved by staff (within the landlord's £1,000.00 approval limit)");
        assert_eq!(note.text_for(Party::OwningLandlord), note.full());
        assert_eq!(note.text_for(Party::AssignedContractor), "Estimate £900.00 approved by staff");
        assert_eq!(note.text_for(Party::RequestingTenant), "Estimate approved by staff");
        assert_eq!(note.text_for(Party::Unrelated), "Estimate approved by staff");
        assert_eq!(Note::said(Action::Decline, "Too far").text_for(Party::RequestingTenant), "");
    }
}
