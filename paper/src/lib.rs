//! Work orders on paper: a one-page summary to hand to someone, and the evidence pack
//! (everything about one order, photos embedded) for disputes, deposit claims and
//! insurers. Pure: the caller gathers what the reader may see (through the same
//! commands as the screens, so both modes give the same paper) and saves the bytes.
//!
//! Written with `pdf-writer` in Helvetica (no font to embed; `font`), laid out by
//! `sheet` on A4.

mod font;
mod pack;
mod picture;
mod sheet;
mod summary;

use chrono::{DateTime, Utc};
use plumbline_domain::api::{Attachment, Message, TimelineEntry, WorkOrderDetail};
use plumbline_domain::money::MoneyMinor;

pub use pack::evidence_pack;
pub use picture::Picture;
pub use summary::summary;

/// Everything about one order that its reader may see.
pub struct OrderFile<'a> {
    pub detail: &'a WorkOrderDetail,
    /// The whole history, oldest first.
    pub history: &'a [TimelineEntry],
    /// The thread, oldest first, as the pack is to show it (internal notes already left
    /// out unless staff chose to include them).
    pub messages: &'a [Message],
    pub internal_notes_included: bool,
    /// Each attachment, with its picture when it is one a PDF can show.
    pub attachments: Vec<(&'a Attachment, Option<Picture>)>,
    /// The agency's name and currency (ISO 4217).
    pub agency: &'a str,
    pub currency: &'a str,
    /// Who it is printed for and when, as the footer says it.
    pub printed_for: &'a str,
    pub printed_at: DateTime<Utc>,
    /// Writes a time as the reader reads it (their zone): "Mon 23 Nov 2026, 09:30".
    pub local: &'a dyn Fn(DateTime<Utc>) -> String,
}

impl OrderFile<'_> {
    fn money(&self, amount: MoneyMinor) -> String {
        amount.in_currency(self.currency).to_string()
    }

    fn time(&self, at: DateTime<Utc>) -> String {
        (self.local)(at)
    }

    /// "PL-000123 · Plumbing: Leak"
    fn title(&self) -> String {
        let row = &self.detail.row;
        format!("{} \u{b7} {}: {}", row.reference, row.category, row.subcategory)
    }

    /// "116 Harbour Walk, Bristol BS1 4QA · Flat 2"
    fn place(&self) -> String {
        format!("{} \u{b7} {}", self.detail.address, self.detail.row.unit)
    }

    fn footer(&self, document: &str) -> String {
        format!(
            "{} \u{b7} {} \u{b7} {document} \u{b7} printed {}",
            self.agency,
            self.detail.row.reference,
            self.time(self.printed_at)
        )
    }
}
