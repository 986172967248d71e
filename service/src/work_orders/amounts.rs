//! How far an amount on an order may go (issue #16): never past the agency's largest
//! amount per order, and an invoice past the agreed cost's tolerance only with staff
//! approving the overrun. The rule is `domain::approval::InvoiceCeiling`; this reads the
//! agency's settings and words the refusals, naming the limit in money.

use crate::agency;
use crate::db::Db;
use crate::error::{Result, ServiceError};
use crate::money;
use plumbline_domain::MoneyMinor;
use plumbline_domain::api::Field;
use plumbline_domain::approval::{InvoiceCeiling, InvoiceCheck};
use plumbline_domain::role::Party;

/// The order's invoice ceiling under the agency's settings now, and its currency. What
/// was agreed is the approved cost, or the estimate when none was approved separately.
pub(crate) async fn ceiling(
    db: &mut Db,
    estimate_minor: Option<i64>,
    approved_minor: Option<i64>,
) -> Result<(InvoiceCeiling, String)> {
    let settings = agency::settings_in(db).await?;
    let agreed = approved_minor.or(estimate_minor).map(money::stored).transpose()?;
    let ceiling = InvoiceCeiling {
        agreed,
        tolerance_percent: settings.invoice_overrun_percent,
        order_limit: settings.max_order_amount,
    };
    Ok((ceiling, settings.currency))
}

/// Refuses an estimate past the agency's largest amount per order.
pub(crate) async fn check_estimate(db: &mut Db, estimate: MoneyMinor) -> Result<()> {
    let settings = agency::settings_in(db).await?;
    if estimate > settings.max_order_amount {
        let limit = settings.max_order_amount.in_currency(&settings.currency);
        let message = format!("an estimate may be at most {limit}, the agency's largest amount per order");
        return Err(ServiceError::validation(Field::Amount, message));
    }
    Ok(())
}

/// Whether `party` may record `invoice` against `ceiling`; `Ok(Some(note))` when staff
/// approved an overrun, the note saying so for the history.
pub(crate) fn check_invoice(
    ceiling: &InvoiceCeiling,
    currency: &str,
    invoice: MoneyMinor,
    party: Party,
    approve_overrun: Option<&str>,
) -> Result<Option<String>> {
    let reason = approve_overrun.map(str::trim).filter(|reason| !reason.is_empty());
    match ceiling.check(invoice) {
        InvoiceCheck::Within => return Ok(None),
        InvoiceCheck::AboveOrderLimit => {
            let limit = ceiling.order_limit.in_currency(currency);
            let message = format!("an invoice may be at most {limit}, the agency's largest amount per order");
            return Err(ServiceError::validation(Field::Amount, message));
        }
        InvoiceCheck::Overrun => {}
    }
    let most = ceiling.without_approval().in_currency(currency);
    let over = match ceiling.agreed {
        Some(agreed) => {
            format!("more than {}% over the agreed {}", ceiling.tolerance_percent, agreed.in_currency(currency))
        }
        None => "more than was agreed".to_owned(),
    };
    let invoice = invoice.in_currency(currency);
    match (party, reason) {
        (Party::Agency, Some(reason)) => Ok(Some(format!("Overrun approved by staff ({invoice}, {over}): {reason}"))),
        (Party::Agency, None) => Err(ServiceError::validation(
            Field::Reason,
            format!(
                "this invoice ({invoice}) is {over}, at most {most} without approval: to record it, approve the overrun and say why"
            ),
        )),
        (Party::AssignedContractor, Some(_)) => {
            Err(ServiceError::NotAllowed("only the agency can approve an invoice over the agreed cost".into()))
        }
        (
            Party::AssignedContractor
            | Party::OwningLandlord
            | Party::RequestingTenant
            | Party::System
            | Party::Unrelated,
            _,
        ) => Err(ServiceError::validation(
            Field::Amount,
            format!(
                "this invoice ({invoice}) is {over}: invoice at most {most}, or send the agency a revised estimate (message them on this order) so they can approve the overrun and record the completion"
            ),
        )),
    }
}
