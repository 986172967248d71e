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

    #[test]
    fn an_emergency_over_the_threshold_does_not_wait_for_the_landlord() {
        let route = ApprovalThresholds::default().route(pounds(900), Priority::Emergency);
        assert_eq!(route, ApprovalRoute::EmergencyStaffApproveNotifyLandlord);
        assert!(!route.needs_landlord_approval());
        assert!(route.notifies_landlord());
    }
}
