//! The agency's rules as the admin sets them, and the audit trail of their changes.

use crate::ids::UserId;
use crate::money::MoneyMinor;
use crate::priority::Priority;
use crate::role::Role;
use crate::sla::SlaSpan;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyRules {
    pub name: String,
    /// ISO 4217, e.g. "GBP".
    pub currency: String,
    /// IANA, e.g. "Europe/London".
    pub time_zone: String,
    /// "Mon", "Tue"… in week order.
    pub working_days: Vec<String>,
    /// "09:00"
    pub day_start: String,
    pub day_end: String,
    pub bank_holidays: Vec<BankHoliday>,
    /// Respond and resolve targets, one per priority, Emergency first.
    pub sla: Vec<SlaTargetRow>,
    /// A completed order closes itself after this many days without a rating.
    pub auto_close_days: i64,
    pub tenants_may_cancel_after_accept: bool,
    /// Who is called out of hours about an emergency (name and number).
    pub escalation_contact: String,
    /// Where an emergency raised out of hours, or left unanswered, is e-mailed.
    #[serde(default)]
    pub escalation_email: String,
    pub max_file_mb: i64,
    pub max_order_mb: i64,
    /// The largest amount one order may carry (estimate, approval, invoice, payout).
    pub max_order_amount: MoneyMinor,
    /// How far, in percent of the approved cost (or the estimate), an invoice may go
    /// before staff must approve the overrun.
    pub invoice_overrun_percent: i64,
    /// A session idle this many minutes is signed out.
    pub idle_sign_out_minutes: i64,
    /// Who may sign in to the web portal in a browser.
    #[serde(default)]
    pub web_portal: WebPortal,
}

/// Who may use the web portal (the agency server's page in a browser or on a phone),
/// by group of roles; the desktop app is open to everyone whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebPortal {
    /// Admins and staff.
    pub staff: bool,
    pub landlords: bool,
    pub contractors: bool,
    pub tenants: bool,
}

impl Default for WebPortal {
    /// Those who should not have to install anything: tenants and contractors.
    fn default() -> Self {
        Self { staff: false, landlords: false, contractors: true, tenants: true }
    }
}

impl WebPortal {
    pub fn allows(self, role: Role) -> bool {
        match role {
            Role::Admin | Role::Staff => self.staff,
            Role::Landlord => self.landlords,
            Role::Contractor => self.contractors,
            Role::Tenant => self.tenants,
        }
    }

    /// "staff", "tenants": the group `role` is in, as a sentence names it.
    pub fn group_name(role: Role) -> &'static str {
        match role {
            Role::Admin | Role::Staff => "staff",
            Role::Landlord => "landlords",
            Role::Contractor => "contractors",
            Role::Tenant => "tenants",
        }
    }

    /// "tenants, contractors", or "no one": who may, as the settings' history shows it.
    pub fn describe(self) -> String {
        let groups = [
            (self.staff, "staff"),
            (self.landlords, "landlords"),
            (self.contractors, "contractors"),
            (self.tenants, "tenants"),
        ];
        let open: Vec<&str> = groups.into_iter().filter(|(open, _)| *open).map(|(_, name)| name).collect();
        if open.is_empty() { "no one".to_owned() } else { open.join(", ") }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankHoliday {
    pub day: NaiveDate,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaTargetRow {
    pub priority: Priority,
    pub respond: SlaSpan,
    pub resolve: SlaSpan,
}

/// One entry of the settings' audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingChange {
    pub at: DateTime<Utc>,
    pub actor: UserId,
    pub actor_name: String,
    /// What changed, as the settings screen names it: "Working hours", "SLA: Urgent".
    pub setting: String,
    pub before: String,
    pub after: String,
}

/// A category or sub-category as the admin keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRecord {
    pub id: crate::ids::CategoryId,
    pub input: CategoryInput,
    /// Orders filed under it (a category in use is renamed, never removed).
    pub orders: i64,
}

/// What the admin types for a category (`parent: None`) or a sub-category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryInput {
    pub parent: Option<crate::ids::CategoryId>,
    pub name: String,
    pub default_priority: Priority,
    /// Shown to a tenant before they send a request: what to try first.
    pub troubleshooting: String,
    /// Words in a request that make it an emergency ("gas", "flood"), comma-separated.
    pub emergency_keywords: String,
}
