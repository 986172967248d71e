//! What the exports are made from (the list and a report as CSV, an order's summary and
//! evidence pack as PDF), gathered once for both places that make them: the desktop,
//! which saves them where its user chooses, and the agency server, which answers them as
//! a browser's download. Everything is read through the same commands as the screens
//! ([`Reader`]: the desktop's shell, on its own store or the agency server; the server,
//! as the signed-in user on its store), so a file shows exactly what its reader may see
//! on screen. The long reads tell their progress and can be stopped between steps.

use crate::api::{self, Handle};
use crate::error::{Result, ServiceError};
use crate::{Store, agency};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, TimeZone, Utc};
use plumbline_domain::api::{
    Attachment, CurrentUser, ListSort, ListWorkOrders, Message, ReportKind, TimelineEntry, WorkOrderDetail,
    WorkOrderFilter, WorkOrderRow,
};
use plumbline_domain::numbers::thousands;
use plumbline_domain::zone::Zone;
use plumbline_domain::{Actor, MediaType, Role, WorkOrderId, commands};
use plumbline_paper::{OrderFile, Picture};
use std::fmt::Display;

/// Runs the screens' commands for an export, as its reader.
pub trait Reader: Sync {
    type Error: Send;
    fn run<C: Handle + Sync>(
        &self,
        command: C,
    ) -> impl Future<Output = std::result::Result<C::Answer, Self::Error>> + Send;
}

/// The signed-in user on this store at one instant: how the agency server reads.
pub struct AsUser<'a> {
    pub store: &'a Store,
    pub actor: Actor,
    pub now: DateTime<Utc>,
}

impl Reader for AsUser<'_> {
    type Error = ServiceError;

    async fn run<C: Handle + Sync>(&self, command: C) -> Result<C::Answer> {
        api::execute(command, self.store, self.actor, self.now).await
    }
}

/// Whether the export is to stop (asked between steps); and what it has got to.
pub type Cancelled<'a> = &'a (dyn Fn() -> bool + Sync);
pub type Progress<'a> = &'a (dyn Fn(String) + Sync);

/// Every row of the list its filter matches, in its sort, `page_size` at a time, telling
/// `progress` after each page; `None` if cancelled.
pub async fn every_row<R: Reader>(
    reader: &R,
    filter: WorkOrderFilter,
    sort: ListSort,
    page_size: u32,
    cancelled: Cancelled<'_>,
    progress: Progress<'_>,
) -> std::result::Result<Option<Vec<WorkOrderRow>>, R::Error> {
    let mut request = ListWorkOrders { filter, sort, after: None, limit: page_size };
    let mut rows = Vec::new();
    let mut total = None;
    loop {
        if cancelled() {
            return Ok(None);
        }
        let page = reader.run(commands::ListWorkOrders { request: request.clone() }).await?;
        // Only the first page counts them.
        total = total.or(page.total);
        rows.extend(page.rows);
        progress(read_so_far(rows.len(), total));
        match page.next {
            Some(next) => request.after = Some(next),
            None => return Ok((!cancelled()).then_some(rows)),
        }
    }
}

/// "Read 1,500 of 100,000 orders"
fn read_so_far(read: usize, total: Option<u64>) -> String {
    let read = thousands(i64::try_from(read).unwrap_or(i64::MAX));
    match total {
        Some(total) => format!("Read {read} of {} orders", thousands(i64::try_from(total).unwrap_or(i64::MAX))),
        None => format!("Read {read} orders"),
    }
}

/// An order with its whole history, and for the evidence pack its messages and
/// attachments.
pub struct Gathered {
    pub detail: WorkOrderDetail,
    pub history: Vec<TimelineEntry>,
    pub messages: Vec<Message>,
    pub internal_notes_included: bool,
    pub attachments: Vec<(Attachment, Option<Picture>)>,
}

impl Gathered {
    /// The order as `user`'s paper, printed at `printed_at`, its times written by `local`.
    pub fn order_file<'a>(
        &'a self,
        user: &'a CurrentUser,
        printed_at: DateTime<Utc>,
        local: &'a dyn Fn(DateTime<Utc>) -> String,
    ) -> OrderFile<'a> {
        OrderFile {
            detail: &self.detail,
            history: &self.history,
            messages: &self.messages,
            internal_notes_included: self.internal_notes_included,
            attachments: self.attachments.iter().map(|(attachment, picture)| (attachment, picture.clone())).collect(),
            agency: &user.agency,
            currency: &user.currency,
            printed_for: &user.name,
            printed_at,
            local,
        }
    }
}

/// The order with every page of its history, oldest first.
pub async fn with_history<R: Reader>(reader: &R, detail: WorkOrderDetail) -> std::result::Result<Gathered, R::Error> {
    let mut history = detail.timeline.clone();
    let mut before = detail.earlier_history;
    while let Some(cursor) = before {
        let page = reader.run(commands::WorkOrderHistory { id: detail.row.id, before: cursor }).await?;
        history.splice(0..0, page.entries);
        before = page.earlier;
    }
    Ok(Gathered { detail, history, messages: Vec::new(), internal_notes_included: false, attachments: Vec::new() })
}

/// Adds the thread (the agency's internal notes only if asked for and the reader is
/// the agency) and the attachments with their pictures, telling `progress` each step;
/// `None` if cancelled.
pub async fn with_messages_and_attachments<R: Reader>(
    reader: &R,
    mut gathered: Gathered,
    internal_notes: bool,
    cancelled: Cancelled<'_>,
    progress: Progress<'_>,
) -> std::result::Result<Option<Gathered>, R::Error> {
    let id = gathered.detail.row.id;
    progress("Reading the messages".to_owned());
    let (messages, agency) = thread(reader, id).await?;
    gathered.internal_notes_included = internal_notes && agency;
    gathered.messages = messages.into_iter().filter(|m| gathered.internal_notes_included || !m.internal).collect();
    let attachments = reader.run(commands::ListAttachments { id }).await?;
    let total = attachments.len();
    for (index, attachment) in attachments.into_iter().enumerate() {
        if cancelled() {
            return Ok(None);
        }
        progress(format!("Adding attachment {} of {total}", index + 1));
        let picture = picture(reader, &attachment).await;
        gathered.attachments.push((attachment, picture));
    }
    Ok((!cancelled()).then_some(gathered))
}

/// Every message of the order's thread, oldest first, and whether the reader is the
/// agency (who may read internal notes).
async fn thread<R: Reader>(reader: &R, id: WorkOrderId) -> std::result::Result<(Vec<Message>, bool), R::Error> {
    let mut page = reader.run(commands::ListMessages { id, before: None }).await?;
    let agency = page.may_write_internal;
    let mut messages = std::mem::take(&mut page.messages);
    while let Some(before) = page.earlier {
        page = reader.run(commands::ListMessages { id, before: Some(before) }).await?;
        messages.splice(0..0, std::mem::take(&mut page.messages));
    }
    Ok((messages, agency))
}

/// The attachment's picture, if it is a photo a PDF can show.
async fn picture<R: Reader>(reader: &R, attachment: &Attachment) -> Option<Picture> {
    if !matches!(attachment.media_type, MediaType::Jpeg | MediaType::Png) {
        return None;
    }
    // Too large to preview is too large to embed: the pack lists it instead.
    let data_url = reader.run(commands::AttachmentData { id: attachment.id }).await.ok()?;
    let encoded = data_url.split_once(";base64,").map_or("", |(_, encoded)| encoded);
    STANDARD.decode(encoded).ok().and_then(|bytes| Picture::read(attachment.media_type, &bytes))
}

/// Refuses an order's paper to a tenant: their page leaves out the agency's triage and
/// clocks, so tenants ask the agency for a copy instead.
pub fn may_take_paper(role: Role) -> Result<()> {
    match role {
        Role::Tenant => Err(ServiceError::NotAllowed("Ask the agency for a copy of this order's paperwork".to_owned())),
        Role::Admin | Role::Staff | Role::Landlord | Role::Contractor => Ok(()),
    }
}

/// The agency's time zone: how a file made on the agency server writes its times (a
/// server has no zone of its own that its readers share).
pub async fn agency_zone(store: &Store) -> Result<Zone> {
    Ok(agency::settings(store).await?.calendar.time_zone)
}

/// "Mon 23 Nov 2026, 09:30" in `zone`: a time on paper.
pub fn paper_time<Z: TimeZone>(at: DateTime<Utc>, zone: &Z) -> String
where
    Z::Offset: Display,
{
    at.with_timezone(zone).format("%a %-d %b %Y, %H:%M").to_string()
}

/// "2026-11-23 09:30" in `zone`: a time in a CSV cell.
pub fn csv_time<Z: TimeZone>(at: DateTime<Utc>, zone: &Z) -> String
where
    Z::Offset: Display,
{
    at.with_timezone(zone).format("%Y-%m-%d %H:%M").to_string()
}

/// "2026-11-23": the day in a suggested file name.
fn day<Z: TimeZone>(now: DateTime<Utc>, zone: &Z) -> String
where
    Z::Offset: Display,
{
    now.with_timezone(zone).format("%Y-%m-%d").to_string()
}

/// "Work orders 2026-11-23.csv"
pub fn list_file_name<Z: TimeZone>(now: DateTime<Utc>, zone: &Z) -> String
where
    Z::Offset: Display,
{
    format!("Work orders {}.csv", day(now, zone))
}

/// "Spend by property 2026-11-23.csv"
pub fn report_file_name<Z: TimeZone>(kind: ReportKind, now: DateTime<Utc>, zone: &Z) -> String
where
    Z::Offset: Display,
{
    format!("{} {}.csv", kind.title(), day(now, zone))
}

/// "PL-000123 summary.pdf"
pub fn summary_file_name(reference: &impl Display) -> String {
    format!("{reference} summary.pdf")
}

/// "PL-000123 evidence pack.pdf"
pub fn evidence_pack_file_name(reference: &impl Display) -> String {
    format!("{reference} evidence pack.pdf")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_names_are_written_in_the_zone_given() {
        let at = Utc.with_ymd_and_hms(2026, 12, 5, 23, 30, 0).single().expect("a time");
        let london: Zone = "Europe/London".parse().expect("a zone");
        let sydney: Zone = "Australia/Sydney".parse().expect("a zone");
        assert_eq!(paper_time(at, &london), "Sat 5 Dec 2026, 23:30");
        assert_eq!(csv_time(at, &sydney), "2026-12-06 10:30");
        assert_eq!(list_file_name(at, &london), "Work orders 2026-12-05.csv");
        assert_eq!(list_file_name(at, &sydney), "Work orders 2026-12-06.csv");
        assert_eq!(summary_file_name(&"PL-000123"), "PL-000123 summary.pdf");
        assert_eq!(read_so_far(1500, Some(100_000)), "Read 1,500 of 100,000 orders");
    }

    #[test]
    fn only_a_tenant_is_refused_paper() {
        assert!(may_take_paper(Role::Tenant).is_err());
        for role in [Role::Admin, Role::Staff, Role::Landlord, Role::Contractor] {
            assert!(may_take_paper(role).is_ok());
        }
    }
}
