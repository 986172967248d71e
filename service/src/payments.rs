//! Paying contractors: staff record a closed job's payout, and every screen derives the
//! payment status from the order and that payout (`domain::payment`).

use crate::agency;
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::history::{self, Event};
use crate::money;
use crate::periods;
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use anyhow::anyhow;
use chrono::{DateTime, Utc};
use plumbline_domain::EventKind;
use plumbline_domain::api::{Field, MAX_PAYOUT_REFERENCE_CHARS, Payment, RecordPayout};
use plumbline_domain::payment::{PayoutRefusal, check_payout};
use plumbline_domain::role::Party;
use plumbline_domain::{Actor, MoneyMinor, PaymentStatus, Reference, State, UserId, WorkOrderId};

/// Records that a closed job's invoice was paid, with its history event, in one
/// transaction. Agency staff only; once per order; never dated in the future.
pub async fn record_payout(store: &Store, actor: Actor, now: DateTime<Utc>, request: &RecordPayout) -> Result<()> {
    if !actor.role.is_agency() {
        return Err(ServiceError::NotAllowed("payouts are recorded by agency staff".into()));
    }
    let reference = payout_reference(&request.reference)?;
    let mut tx = store.write().await?;
    // "Not paid yet" must still hold when the payout is written.
    tx.lock_order(request.id.0).await?;
    let calendar = agency::settings_in(&mut tx).await?.calendar;
    if request.paid_on > calendar.local_date(now) {
        return Err(ServiceError::validation(Field::PaidOn, "a payout cannot be dated in the future"));
    }
    let order = payable(&mut tx, request.id).await?;
    check_payout(order.state, order.invoice_minor.is_some(), order.paid)?;
    let payout = Payout {
        order: request.id,
        contractor: UserId(
            order.contractor_id.ok_or_else(|| anyhow!("closed order {} has no contractor", request.id))?,
        ),
        amount: money::stored(order.invoice_minor.unwrap_or_default())?,
        paid_at: periods::start_of(&calendar, request.paid_on),
        reference: &reference,
        recorded_by: actor.user_id,
        recorded_at: now,
    };
    write(&mut tx, &payout).await?;
    tx.commit().await?;
    Ok(())
}

fn payout_reference(text: &str) -> Result<String> {
    let reference = text.trim();
    if reference.is_empty() {
        return Err(ServiceError::validation(Field::Reference, "a payment reference is required"));
    }
    if reference.chars().count() > MAX_PAYOUT_REFERENCE_CHARS {
        let message = format!("a payment reference has at most {MAX_PAYOUT_REFERENCE_CHARS} characters");
        return Err(ServiceError::validation(Field::Reference, message));
    }
    Ok(reference.to_owned())
}

#[derive(sqlx::FromRow)]
struct Payable {
    #[sqlx(try_from = "String")]
    state: State,
    invoice_minor: Option<i64>,
    contractor_id: Option<i64>,
    paid: bool,
}

async fn payable(db: &mut Db, id: WorkOrderId) -> Result<Payable> {
    Sql::new(
        "SELECT w.state, w.invoice_minor, w.contractor_id,
                EXISTS (SELECT 1 FROM payouts po WHERE po.work_order_id = w.id) AS paid
         FROM work_orders w WHERE w.id = ?",
    )
    .bind(id.0)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| ServiceError::not_found(format!("Work order {}", Reference::of(id))))
}

/// A payout as stored; the demo generator writes its payouts through `write` too.
pub(crate) struct Payout<'a> {
    pub order: WorkOrderId,
    pub contractor: UserId,
    pub amount: MoneyMinor,
    /// The start of the paid day in the agency's time zone (`periods::start_of`).
    pub paid_at: DateTime<Utc>,
    pub reference: &'a str,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
}

/// Writes the payout and its history event ("Payout recorded: BACS-0042 £85.50").
/// The state is already checked; the primary key still refuses a second payout written
/// meanwhile by someone else.
pub(crate) async fn write(db: &mut Db, payout: &Payout<'_>) -> Result<()> {
    let written = Sql::new(
        "INSERT INTO payouts (work_order_id, contractor_id, amount_minor, paid_at, reference, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (work_order_id) DO NOTHING",
    )
    .bind(payout.order.0)
    .bind(payout.contractor.0)
    .bind(payout.amount.minor_units())
    .bind(to_secs(payout.paid_at))
    .bind(payout.reference)
    .bind(payout.recorded_by.0)
    .bind(to_secs(payout.recorded_at))
    .execute(&mut *db)
    .await?;
    if written != 1 {
        return Err(PayoutRefusal::AlreadyPaid.into());
    }
    let note = format!("{} {}", payout.reference, payout.amount);
    let event = Event {
        order: payout.order,
        at: payout.recorded_at,
        actor: Some(payout.recorded_by),
        kind: EventKind::Payout,
        // Paying changes no state; like a rating, the event stays on Closed.
        from: Some(State::Closed),
        to: Some(State::Closed),
        note: &note,
    };
    history::record(db, &event).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct PaymentRecord {
    invoice_minor: Option<i64>,
    paid_minor: Option<i64>,
    paid_at: Option<i64>,
    reference: Option<String>,
}

/// The payment `party` sees on an order in `state`: `None` for those who may not see
/// payments, and while nothing is owed.
pub(crate) async fn payment(store: &Store, id: WorkOrderId, state: State, party: Party) -> Result<Option<Payment>> {
    if !party.may_see_payment() {
        return Ok(None);
    }
    let record: PaymentRecord = Sql::new(
        "SELECT w.invoice_minor, po.amount_minor AS paid_minor, po.paid_at, po.reference
         FROM work_orders w LEFT JOIN payouts po ON po.work_order_id = w.id WHERE w.id = ?",
    )
    .bind(id.0)
    .fetch_one(store)
    .await?;
    let (invoiced, paid) = (record.invoice_minor.is_some(), record.paid_at.is_some());
    let Some(status) = PaymentStatus::of(state, invoiced, paid) else { return Ok(None) };
    let paid_on = match record.paid_at {
        Some(at) => Some(agency::settings(store).await?.calendar.local_date(from_secs(at))),
        None => None,
    };
    Ok(Some(Payment {
        status,
        amount_minor: money::stored(record.paid_minor.or(record.invoice_minor).unwrap_or_default())?,
        paid_on,
        reference: record.reference,
        may_record_payout: party == Party::Agency && check_payout(state, invoiced, paid).is_ok(),
    }))
}
