//! Steps one person may not repeat without limit (`domain::limits`): counted from the
//! order's own history, so every desktop and the agency server see the same count.

use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::time::to_secs;
use chrono::{DateTime, Utc};
use plumbline_domain::limits::StepLimit;
use plumbline_domain::{Action, Actor, EventKind, WorkOrderId};

/// Refuses `action` if `actor` has already taken it on `order` as often as its limit
/// allows (within its window before `now`). Runs inside the step's transaction, after
/// the order's version is checked, so two racing repeats cannot both pass: the second
/// meets a changed version.
pub(super) async fn check_step(
    db: &mut Db,
    order: WorkOrderId,
    actor: Actor,
    action: Action,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(limit) = StepLimit::of(action) else { return Ok(()) };
    let mut query = Sql::new("SELECT count(*) FROM work_order_events WHERE work_order_id = ");
    query.push_bind(order.0).push(" AND actor_id = ").push_bind(actor.user_id.0);
    query.push(" AND action = ").push_bind(EventKind::Step(action).as_str());
    if let Some(window) = limit.window_secs {
        query.push(" AND at > ").push_bind(to_secs(now) - window);
    }
    let (done,): (i64,) = query.fetch_one(db).await?;
    if limit.allows_another(done) {
        return Ok(());
    }
    Err(ServiceError::NotAllowed(limit.refusal.to_owned()))
}

/// Leaves out of `allowed` the steps `actor` has used up on `order`, so a screen never
/// offers a step the service would refuse for having been taken already.
pub(super) async fn drop_used_up(
    db: &mut Db,
    order: WorkOrderId,
    actor: Actor,
    now: DateTime<Utc>,
    allowed: &mut Vec<Action>,
) -> Result<()> {
    let mut kept = Vec::with_capacity(allowed.len());
    for action in allowed.drain(..) {
        match check_step(db, order, actor, action, now).await {
            Ok(()) => kept.push(action),
            Err(ServiceError::NotAllowed(_)) => {}
            Err(other) => return Err(other),
        }
    }
    *allowed = kept;
    Ok(())
}
