//! Contractors as staff pick them for a job: ranked suggestions with the reason a
//! contractor cannot be assigned.

use crate::db::Sql;
use crate::error::{Result, ServiceError};
use crate::store::Store;
use chrono::{DateTime, Utc};
use plumbline_domain::api::ContractorChoice;
use plumbline_domain::{Actor, State, UserId, WorkOrderId};

#[derive(sqlx::FromRow)]
struct ChoiceRecord {
    user_id: i64,
    company: String,
    preferred: bool,
    insurance_expires_on: Option<String>,
    covers_category: bool,
    open_jobs: i64,
}

/// Every contractor, best first for this order: category match, preferred, insured,
/// fewest open jobs. Staff only.
pub async fn suggest(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    order: WorkOrderId,
) -> Result<Vec<ContractorChoice>> {
    if !actor.role.is_agency() {
        return Err(ServiceError::NotAllowed("only agency staff assign contractors".into()));
    }
    let mut query = Sql::new(
        "SELECT k.user_id, k.company, k.preferred, k.insurance_expires_on,
                EXISTS (SELECT 1 FROM contractor_categories cc JOIN work_orders w ON w.category_id = cc.category_id
                        WHERE cc.contractor_id = k.user_id AND w.id = ?) AS covers_category,
                (SELECT count(*) FROM work_orders o WHERE o.contractor_id = k.user_id AND o.state IN (",
    )
    .bind(order.0);
    query.push_state_list(State::ALL.into_iter().filter(|s| s.is_with_contractor()));
    // A deactivated contractor is not offered for new work.
    query.push(")) AS open_jobs FROM contractors k JOIN users u ON u.id = k.user_id WHERE u.deactivated_at IS NULL");
    let records: Vec<ChoiceRecord> = query.fetch_all(store).await?;
    let today = now.date_naive().to_string();
    let mut choices: Vec<ContractorChoice> = records
        .into_iter()
        .map(|r| {
            let blocked = match &r.insurance_expires_on {
                Some(expires) if *expires >= today => None,
                Some(expires) => Some(format!("Insurance expired {expires}")),
                None => Some("No insurance on record".to_owned()),
            };
            ContractorChoice {
                id: UserId(r.user_id),
                company: r.company,
                preferred: r.preferred,
                covers_category: r.covers_category,
                open_jobs: r.open_jobs,
                blocked,
            }
        })
        .collect();
    choices.sort_by_key(|c| (c.blocked.is_some(), !c.covers_category, !c.preferred, c.open_jobs));
    Ok(choices)
}
