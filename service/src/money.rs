//! Storage form of money: integer minor units, read back as the domain's `MoneyMinor`.

use crate::error::{Result, ServiceError};
use anyhow::anyhow;
use plumbline_domain::{MoneyMinor, MoneySum};

/// A stored amount. Every amount is written from a `MoneyMinor`, so one outside its
/// range means a corrupt store: an internal error, never a figure shown.
pub(crate) fn stored(minor: i64) -> Result<MoneyMinor> {
    MoneyMinor::try_from(minor).map_err(|err| ServiceError::Internal(anyhow!("stored amount {minor}: {err}")))
}

/// A sum of stored amounts (each at most `MoneyMinor::MAX`, so the SQL `sum()` cannot
/// overflow), as the dashboards show it.
pub(crate) fn stored_sum(minor: i64) -> Result<MoneySum> {
    MoneySum::try_from(minor).map_err(|err| ServiceError::Internal(anyhow!("sum of amounts {minor}: {err}")))
}
