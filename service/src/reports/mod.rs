//! The reports (#19): the facts of the orders a report counts, read by one query per engine, then
//! computed by `domain::report`. Staff report on the agency; a landlord on their own properties.

mod csv;
mod facts;

pub use csv::report_csv;

use crate::agency;
use crate::error::{Result, ServiceError};
use crate::periods::start_of;
use crate::store::Store;
use chrono::{DateTime, Days, Utc};
use plumbline_domain::api::{Field, Report, ReportKind, ReportRequest, TimeRange};
use plumbline_domain::report::{self, Context};
use plumbline_domain::{Actor, Role};

/// `request`'s report as `actor` may see it.
pub async fn report(store: &Store, actor: Actor, now: DateTime<Utc>, request: &ReportRequest) -> Result<Report> {
    if !matches!(actor.role, Role::Staff | Role::Admin | Role::Landlord) {
        return Err(ServiceError::NotAllowed("reports are for the agency and its landlords".into()));
    }
    let filter = &request.filter;
    report::check_filter(filter).map_err(|message| ServiceError::validation(Field::Period, message))?;
    let settings = agency::settings(store).await?;
    let calendar = &settings.calendar;
    let after_to =
        filter.to.checked_add_days(Days::new(1)).ok_or_else(|| anyhow::anyhow!("no day after {}", filter.to))?;
    let raised = TimeRange { from: start_of(calendar, filter.from), until: start_of(calendar, after_to) };
    let orders = facts::orders(store, actor, filter, raised, request.kind == ReportKind::Contractors).await?;
    let names = facts::names(&mut store.read().await?, actor, request.kind == ReportKind::Repeats).await?;
    let context = Context { filter, calendar, names: &names, now, currency: &settings.currency };
    Ok(report::compute(request.kind, &orders, &context))
}
