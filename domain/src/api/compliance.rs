//! Compliance certificates (`crate::compliance`): what staff record per property, and
//! what staff and landlords see of them.

use crate::contractor::DocumentStatus;
use crate::ids::{CertificateId, PropertyId, WorkOrderId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A certificate staff record: its kind (a standard one or the agency's own), when it
/// was issued, and when it runs out (`None`: the standard kind's usual term).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateInput {
    pub property: PropertyId,
    pub kind: String,
    pub issued_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
}

/// Which certificates to list: one property's (its history too), or every property's
/// current ones, soonest to run out first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListCertificates {
    pub property: Option<PropertyId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub id: CertificateId,
    pub property: PropertyId,
    pub property_name: String,
    pub kind: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// Red / amber / green today.
    pub status: DocumentStatus,
    /// The property's newest of its kind; an older one is history.
    pub current: bool,
    /// The order raised to renew it, once it was.
    pub renewal_order: Option<WorkOrderId>,
}
