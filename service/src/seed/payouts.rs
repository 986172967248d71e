//! Payouts for the generated agency's closed jobs: most were paid a day to a fortnight
//! after sign-off; those closed lately still await payout, as at a real agency.

use super::people::Agency;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::payments::{self, Payout};
use crate::periods;
use crate::time::from_secs;
use anyhow::anyhow;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::payment::check_payout;
use plumbline_domain::sla::WorkingCalendar;
use plumbline_domain::{MoneyMinor, State, UserId, WorkOrderId};
use rand::Rng;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;

/// Share of payable jobs whose payout was recorded once its time came.
const PAID_SHARE: f64 = 0.9;

#[derive(sqlx::FromRow)]
struct Finished {
    id: i64,
    #[sqlx(try_from = "String")]
    state: State,
    contractor_id: Option<i64>,
    invoice_minor: Option<i64>,
    closed_at: Option<i64>,
}

/// Records payouts through the same rule and writer staff use. Returns how many.
pub async fn insert_payouts(tx: &mut Db, rng: &mut SmallRng, agency: &Agency, now: DateTime<Utc>) -> Result<usize> {
    let calendar = WorkingCalendar::uk_default();
    let finished: Vec<Finished> = Sql::new(
        "SELECT id, state, contractor_id, invoice_minor, closed_at FROM work_orders
         WHERE closed_at IS NOT NULL ORDER BY id",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut paid = 0;
    for order in finished {
        let (Some(contractor), Some(invoice), Some(closed_at)) =
            (order.contractor_id, order.invoice_minor, order.closed_at)
        else {
            continue;
        };
        if check_payout(order.state, true, false).is_err() {
            continue;
        }
        let recorded_at = from_secs(closed_at) + Duration::hours(rng.gen_range(20..340));
        if recorded_at >= now || !rng.gen_bool(PAID_SHARE) {
            continue;
        }
        let staff = *agency.staff.choose(rng).ok_or_else(|| anyhow!("no staff"))?;
        paid += 1;
        let payout = Payout {
            order: WorkOrderId(order.id),
            contractor: UserId(contractor),
            amount: MoneyMinor::try_from(invoice).map_err(|e| anyhow!("generated invoice: {e}"))?,
            paid_at: periods::start_of(&calendar, calendar.local_date(recorded_at)),
            reference: &format!("BACS-{:05}", 1000 + paid),
            recorded_by: UserId(staff),
            recorded_at,
        };
        payments::write(tx, &payout).await?;
    }
    Ok(paid)
}
