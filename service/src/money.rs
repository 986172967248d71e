//! Storage form of money: integer minor units, read back as the domain's `MoneyMinor`.

use crate::error::{Result, ServiceError};
use anyhow::anyhow;
use plumbline_domain::MoneyMinor;

/// A stored amount or sum. Every amount is written from a `MoneyMinor`, so a negative
/// one means a corrupt store: an internal error, never a figure shown.
pub(crate) fn stored(minor: i64) -> Result<MoneyMinor> {
    MoneyMinor::try_from(minor).map_err(|err| ServiceError::Internal(anyhow!("stored amount {minor}: {err}")))
}
