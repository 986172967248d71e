//! Compliance certificates (`crate::compliance`): what staff record per property, and
//! what staff and landlords see of them.

use crate::attachment::MediaType;
use crate::contractor::DocumentStatus;
use crate::ids::{CertificateId, PropertyId, WorkOrderId};
use chrono::{DateTime, NaiveDate, Utc};
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
    /// The certificate itself (a PDF or a photo of it), once attached.
    pub file: Option<CertificateFile>,
}

/// A certificate's file as its viewers see it: what it is called and is, never where it
/// is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateFile {
    /// The name it was chosen under (base name only), for showing.
    pub name: String,
    /// From the content, not the name.
    pub media_type: MediaType,
    pub size_bytes: i64,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}
