//! Storage form of instants: UTC unix seconds.

use chrono::{DateTime, Utc};

pub fn to_secs(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

/// Out-of-range values (only possible from a hand-edited file) read as the epoch.
pub fn from_secs(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}
