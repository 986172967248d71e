//! The agency's own records, kept by staff: properties with their units and tenancies,
//! contractor profiles, landlords' approval rules.

use super::AccessInstructions;
use crate::approval::ApprovalThresholds;
use crate::contractor::DocumentStatus;
use crate::ids::{CategoryId, PropertyId, TenancyId, UnitId, UserId};
use crate::money::MoneyMinor;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The property list's search: every word must appear in the name, street, city,
/// postcode or landlord's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertySearch {
    pub query: String,
    /// Archived properties too (they are hidden by default).
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyRow {
    pub id: PropertyId,
    pub name: String,
    /// "12 Quay Street, Bristol BS1 4AB"
    pub address: String,
    pub landlord: String,
    pub units: i64,
    pub current_tenancies: i64,
    pub orders_not_closed: i64,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyList {
    pub properties: Vec<PropertyRow>,
    /// How many match in all; the list shows the first [`PropertyList::SHOWN`].
    pub total: i64,
}

impl PropertyList {
    pub const SHOWN: usize = 200;
}

/// What staff type for a property, new or edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertyInput {
    pub name: String,
    pub street: String,
    pub city: String,
    pub postcode: String,
    pub landlord: UserId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyDetail {
    pub id: PropertyId,
    pub input: PropertyInput,
    pub landlord_name: String,
    pub archived_at: Option<DateTime<Utc>>,
    pub orders_not_closed: i64,
    pub units: Vec<UnitDetail>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDetail {
    pub id: UnitId,
    pub label: String,
    /// Newest first.
    pub tenancies: Vec<TenancyDetail>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenancyDetail {
    pub id: TenancyId,
    pub tenant: UserId,
    pub tenant_name: String,
    pub tenant_email: String,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// Started and not ended, in the agency's calendar today: requests may be raised.
    pub current: bool,
    pub access: AccessInstructions,
}

/// A new tenancy of a unit, for a tenant on record or a new one (given an account
/// without a password: an admin sends them one from Users when they should sign in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTenancy {
    pub unit: UnitId,
    pub tenant: TenantInput,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub access: AccessInstructions,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum TenantInput {
    Existing(UserId),
    New { name: String, email: String, phone: String },
}

/// A tenancy's dates and access instructions, changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenancyUpdate {
    pub id: TenancyId,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub access: AccessInstructions,
}

/// Someone a record can name: a landlord for a property, a tenant for a tenancy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonOption {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

/// A contractor's profile as staff keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractorProfile {
    pub id: UserId,
    /// The contact person (the account's name), their email and phone.
    pub contact: String,
    pub email: String,
    pub phone: Option<String>,
    pub active: bool,
    pub open_jobs: i64,
    pub insurance: DocumentStatus,
    pub licence: DocumentStatus,
    /// Why they cannot be assigned today, if they cannot.
    pub blocked: Option<String>,
    pub details: ContractorDetails,
}

/// What staff edit on a contractor's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractorDetails {
    pub company: String,
    /// The top-level categories they take work in.
    pub trades: Vec<CategoryId>,
    pub hourly_rate: MoneyMinor,
    pub callout_fee: MoneyMinor,
    pub insurance_expires_on: Option<NaiveDate>,
    pub licence_expires_on: Option<NaiveDate>,
    pub preferred: bool,
    pub notes: String,
}

/// A landlord's record: their properties and how their costs are approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LandlordRecord {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub properties: Vec<PropertyRow>,
    pub rules: LandlordRules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LandlordRules {
    pub thresholds: ApprovalThresholds,
    /// Above the approval threshold the agency may approve on the landlord's behalf.
    pub staff_may_approve: bool,
}

/// The first-run checklist: what a new agency has done of setting itself up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupChecklist {
    pub properties: i64,
    pub contractors: i64,
    /// Agency accounts besides the first admin.
    pub staff: i64,
    /// Whether an admin has saved the settings (SLA targets, working hours) at least once.
    pub settings_reviewed: bool,
}

impl SetupChecklist {
    pub fn is_complete(&self) -> bool {
        self.properties > 0 && self.contractors > 0 && self.staff > 0 && self.settings_reviewed
    }
}
