//! Generated conversations on finished orders: the tenant, the contractor and the agency
//! talking about the job, and the agency's internal notes, so search, the threads and an
//! order's whole story have words in them. Read by everyone on the order: the past is
//! not news (open orders are left quiet, for the tests and the demo's own first words).

use super::people::Agency;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::time::to_secs;
use chrono::{DateTime, Utc};
use rand::Rng;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;

/// One finished order, as its conversation needs it.
pub(super) struct Talk<'a> {
    pub order_id: i64,
    pub tenant_id: i64,
    /// The contractor, if the order got as far as one.
    pub contractor_id: Option<i64>,
    pub subcategory: &'a str,
    pub opened: DateTime<Utc>,
    pub finished: DateTime<Utc>,
}

const TENANT: &[&str] = &[
    "Is there any update on this? It is getting worse.",
    "Thanks for sorting this so quickly.",
    "I work from home on Tuesdays and Thursdays if that helps with access.",
    "The {} problem started again last night, same as before.",
    "Please ask them to ring before coming, the buzzer is broken.",
];
const CONTRACTOR: &[&str] = &[
    "On my way, about 20 minutes away.",
    "Need to order a part for the {}; back on Thursday to fit it.",
    "Left a card, nobody was in. Please ask the tenant to call me.",
    "Done. Photos of the {} before and after are attached to the job.",
];
const AGENCY: &[&str] = &[
    "We have passed this to our contractor, who will call you to book a visit.",
    "Thanks, the contractor confirms the work is finished.",
    "Sorry for the wait: the part is on order and the visit is booked.",
];
const INTERNAL: &[&str] = &[
    "Landlord asked to be told before anything over £300.",
    "Second report from this unit this year: worth checking for a pattern.",
    "Invoice checked against the quote, no surprises.",
    "Tenant was upset on the phone about the delay; smoothed over.",
];

/// Writes a few messages on the order (none on about a third), read by all its parties.
pub(super) async fn insert_conversation(
    tx: &mut Db,
    rng: &mut SmallRng,
    agency: &Agency,
    talk: &Talk<'_>,
) -> Result<usize> {
    let staff = agency.staff.choose(rng).copied().unwrap_or(talk.tenant_id);
    let mut said: Vec<(i64, String, bool)> = Vec::new();
    let mut pick = |rng: &mut SmallRng, share: f64, author: i64, lines: &[&str], internal: bool| {
        if rng.gen_bool(share)
            && let Some(line) = lines.choose(rng)
        {
            said.push((author, line.replace("{}", &talk.subcategory.to_lowercase()), internal));
        }
    };
    pick(rng, 0.45, talk.tenant_id, TENANT, false);
    pick(rng, 0.35, staff, AGENCY, false);
    if let Some(contractor) = talk.contractor_id {
        pick(rng, 0.4, contractor, CONTRACTOR, false);
    }
    pick(rng, 0.25, staff, INTERNAL, true);
    let span = (talk.finished - talk.opened).num_seconds().max(1);
    let count = said.len() as i64;
    let mut last_id = None;
    for (n, (author, body, internal)) in (0..).zip(&said) {
        let at = talk.opened + chrono::Duration::seconds(span * (n + 1) / (count + 1));
        let (id,): (i64,) = Sql::new(
            "INSERT INTO messages (work_order_id, author_id, body, internal, sent_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(talk.order_id)
        .bind(*author)
        .bind(body.as_str())
        .bind(*internal)
        .bind(to_secs(at))
        .fetch_one(&mut *tx)
        .await?;
        last_id = Some(id);
    }
    if let Some(last) = last_id {
        mark_read(tx, agency, talk, last).await?;
    }
    Ok(said.len())
}

/// Everyone on the order, and the agency's staff, have read the thread to its end.
async fn mark_read(tx: &mut Db, agency: &Agency, talk: &Talk<'_>, last: i64) -> Result<()> {
    let readers = agency.staff.iter().copied().chain([talk.tenant_id]).chain(talk.contractor_id);
    for reader in readers {
        Sql::new("INSERT INTO message_reads (user_id, work_order_id, last_read_id, read_at) VALUES (?, ?, ?, ?)")
            .bind(reader)
            .bind(talk.order_id)
            .bind(last)
            .bind(to_secs(talk.finished))
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}
