//! Landlord cost-approval thresholds (SPEC "Cost approvals").

use crate::money::MoneyMinor;
use crate::priority::Priority;
use serde::{Deserialize, Serialize};

/// Per-landlord limits; amounts in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalThresholds {
    /// From this amount the landlord is told about the work.
    pub notify_from: MoneyMinor,
    /// Above this amount the landlord must approve it first.
    pub approval_above: MoneyMinor,
}

impl Default for ApprovalThresholds {
    fn default() -> Self {
        Self {
            notify_from: MoneyMinor::from_major(200).unwrap_or_default(),
            approval_above: MoneyMinor::from_major(500).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApprovalRoute {
    /// Under the notify threshold: staff approve.
    StaffApprove,
    /// Staff approve and the landlord is told.
    StaffApproveNotifyLandlord,
    /// The order waits in AwaitingApproval for the landlord.
    LandlordMustApprove,
    /// An emergency over the approval threshold: staff may approve, the landlord is told.
    EmergencyStaffApproveNotifyLandlord,
}

impl ApprovalRoute {
    pub fn needs_landlord_approval(self) -> bool {
        match self {
            ApprovalRoute::LandlordMustApprove => true,
            ApprovalRoute::StaffApprove
            | ApprovalRoute::StaffApproveNotifyLandlord
            | ApprovalRoute::EmergencyStaffApproveNotifyLandlord => false,
        }
    }

    pub fn notifies_landlord(self) -> bool {
        match self {
            ApprovalRoute::StaffApprove => false,
            ApprovalRoute::StaffApproveNotifyLandlord
            | ApprovalRoute::LandlordMustApprove
            | ApprovalRoute::EmergencyStaffApproveNotifyLandlord => true,
        }
    }
}

impl ApprovalThresholds {
    pub fn route(&self, estimate: MoneyMinor, priority: Priority) -> ApprovalRoute {
        if estimate > self.approval_above {
            match priority {
                Priority::Emergency => ApprovalRoute::EmergencyStaffApproveNotifyLandlord,
                Priority::Urgent | Priority::Routine | Priority::Low => ApprovalRoute::LandlordMustApprove,
            }
        } else if estimate >= self.notify_from {
            ApprovalRoute::StaffApproveNotifyLandlord
        } else {
            ApprovalRoute::StaffApprove
        }
    }
}

/// How far an invoice may go: the agreed cost (the approved cost, or the estimate when
/// none was approved separately) plus the agency's tolerance without anyone's say, up to
/// the agency's largest amount per order with staff approving the overrun, and never
/// past that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceCeiling {
    /// What was agreed, if anything was (no estimate: only the order limit holds).
    pub agreed: Option<MoneyMinor>,
    /// How far past `agreed` an invoice may go, in percent (0 to 100).
    pub tolerance_percent: i64,
    /// The agency's largest amount per order.
    pub order_limit: MoneyMinor,
}

/// What an invoice is against its [`InvoiceCeiling`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceCheck {
    Within,
    /// Past the tolerance: only staff, approving the overrun, may record it.
    Overrun,
    /// Past the agency's largest amount per order: nobody may record it.
    AboveOrderLimit,
}

impl InvoiceCeiling {
    /// The most an invoice may be without staff approving an overrun.
    pub fn without_approval(&self) -> MoneyMinor {
        let Some(agreed) = self.agreed else { return self.order_limit };
        // At most 1e11 × 100: no overflow; rounded down, to the penny.
        let agreed = agreed.minor_units();
        let most = agreed + agreed * self.tolerance_percent.clamp(0, 100) / 100;
        MoneyMinor::try_from(most).map_or(self.order_limit, |most| most.min(self.order_limit))
    }

    pub fn check(&self, invoice: MoneyMinor) -> InvoiceCheck {
        if invoice > self.order_limit {
            InvoiceCheck::AboveOrderLimit
        } else if invoice > self.without_approval() {
            InvoiceCheck::Overrun
        } else {
            InvoiceCheck::Within
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pounds(p: i64) -> MoneyMinor {
        MoneyMinor::from_major(p).unwrap()
    }

    #[test]
    fn the_default_thresholds_follow_the_spec() {
        let t = ApprovalThresholds::default();
        assert_eq!(t.route(pounds(199), Priority::Routine), ApprovalRoute::StaffApprove);
        assert_eq!(t.route(pounds(200), Priority::Routine), ApprovalRoute::StaffApproveNotifyLandlord);
        assert_eq!(t.route(pounds(500), Priority::Routine), ApprovalRoute::StaffApproveNotifyLandlord);
        assert_eq!(t.route(pounds(501), Priority::Routine), ApprovalRoute::LandlordMustApprove);
    }

    fn ceiling(agreed: Option<i64>, tolerance_percent: i64) -> InvoiceCeiling {
        InvoiceCeiling { agreed: agreed.map(pounds), tolerance_percent, order_limit: pounds(1_000_000) }
    }

    #[test]
    fn an_invoice_may_pass_the_agreed_cost_by_the_tolerance_and_no_more() {
        let ten = ceiling(Some(500), 10);
        assert_eq!(ten.without_approval(), pounds(550));
        assert_eq!(ten.check(pounds(550)), InvoiceCheck::Within);
        assert_eq!(ten.check(MoneyMinor::try_from(55_001).unwrap()), InvoiceCheck::Overrun);
        assert_eq!(ten.check(pounds(1_000_000)), InvoiceCheck::Overrun, "staff may still approve it");
        assert_eq!(ten.check(MoneyMinor::try_from(100_000_001).unwrap()), InvoiceCheck::AboveOrderLimit);
        assert_eq!(ceiling(Some(500), 0).check(MoneyMinor::try_from(50_001).unwrap()), InvoiceCheck::Overrun);
        // 10% of £0.15 is a penny and a half: rounded down.
        let pennies = InvoiceCeiling { agreed: MoneyMinor::try_from(15).ok(), ..ten };
        assert_eq!(pennies.without_approval().minor_units(), 16);
    }

    #[test]
    fn without_an_estimate_only_the_order_limit_holds_and_nothing_passes_it() {
        assert_eq!(ceiling(None, 10).without_approval(), pounds(1_000_000));
        assert_eq!(ceiling(None, 10).check(pounds(1_000_000)), InvoiceCheck::Within);
        let near_limit = ceiling(Some(990_000), 100);
        assert_eq!(near_limit.without_approval(), pounds(1_000_000), "the tolerance never lifts the limit");
        let huge =
            InvoiceCeiling { agreed: Some(MoneyMinor::MAX), tolerance_percent: 100, order_limit: MoneyMinor::MAX };
        assert_eq!(huge.without_approval(), MoneyMinor::MAX, "no overflow at the ceiling");
    }

    #[test]
    fn an_emergency_over_the_threshold_does_not_wait_for_the_landlord() {
        let route = ApprovalThresholds::default().route(pounds(900), Priority::Emergency);
        assert_eq!(route, ApprovalRoute::EmergencyStaffApproveNotifyLandlord);
        assert!(!route.needs_landlord_approval());
        assert!(route.notifies_landlord());
    }
}
