//! The one-page summary of a work order: what it is, where, who, the clocks, the money,
//! and as much of the latest history as fits.

use crate::OrderFile;
use crate::font;
use crate::sheet::{Sheet, Style, WIDTH};
use chrono::{DateTime, Utc};
use plumbline_domain::sla::SlaStatus;

/// Lines of the description the summary keeps (the pack has all of it).
const DESCRIPTION_LINES: usize = 8;

/// The summary as a one-page PDF.
pub fn summary(file: &OrderFile<'_>) -> Vec<u8> {
    let mut sheet = Sheet::new(true);
    masthead(&mut sheet, file);
    sheet.heading("The job");
    for (label, value) in key_facts(file) {
        sheet.field(label, &value);
    }
    sheet.heading("What the tenant reported");
    sheet.text(0.0, WIDTH, &file.detail.description, Style::BODY, DESCRIPTION_LINES);
    recent_history(&mut sheet, file);
    let title = format!("{} summary", file.detail.row.reference);
    sheet.finish(&title, &file.footer("Summary"))
}

/// The reference and what it is about, where, and how it stands.
pub(crate) fn masthead(sheet: &mut Sheet, file: &OrderFile<'_>) {
    sheet.text(0.0, WIDTH, &file.title(), Style::TITLE, 2);
    sheet.text(0.0, WIDTH, &file.place(), Style::STRONG, 2);
    sheet.line(0.0, &font::encode(&status_line(file)), Style::BODY);
    sheet.gap(4.0);
}

/// "In progress · Urgent priority · SLA: At risk"
fn status_line(file: &OrderFile<'_>) -> String {
    let row = &file.detail.row;
    let status = format!("{} \u{b7} {} priority", row.state.label(), row.priority.as_str());
    if row.sla == SlaStatus::NotApplicable { status } else { format!("{status} \u{b7} SLA: {}", row.sla.label()) }
}

/// The facts a reader looks for first, in the order they look.
pub(crate) fn key_facts(file: &OrderFile<'_>) -> Vec<(&'static str, String)> {
    let detail = file.detail;
    let row = &detail.row;
    let mut facts = vec![("Raised", file.time(row.opened_at))];
    if let Some(tenant) = &detail.tenant {
        let phone = detail.tenant_phone.as_deref().map(|phone| format!(", {phone}")).unwrap_or_default();
        facts.push(("Tenant", format!("{tenant}{phone}")));
    }
    facts.push(("Landlord", detail.landlord.clone()));
    facts.push(("Contractor", row.contractor.clone().unwrap_or_else(|| "Not yet assigned".to_owned())));
    facts.push(("Priority", format!("{} ({})", row.priority.as_str(), detail.triage_reason)));
    if row.state.was_abandoned() {
        // Nothing was delivered, so no target was met or missed.
        facts.push(("Service levels", format!("Not applicable: the order was {}", row.state.label().to_lowercase())));
    } else {
        facts.push(("First response", clock(file, detail.respond_by, detail.responded_at, "responded")));
        facts.push(("Fix", clock(file, detail.resolve_by, detail.resolved_at, "done")));
    }
    if let Some((start, end)) = detail.appointment {
        facts.push(("Appointment", format!("{} to {}", file.time(start), file.time(end))));
    }
    facts.extend(money_facts(file));
    facts
}

/// "due Mon 23 Nov, 13:30; responded Mon 23 Nov, 10:02 (in time)"
fn clock(file: &OrderFile<'_>, due: DateTime<Utc>, stopped: Option<DateTime<Utc>>, verb: &str) -> String {
    let due_text = format!("due {}", file.time(due));
    match stopped {
        Some(at) if at <= due => format!("{due_text}; {verb} {} (in time)", file.time(at)),
        Some(at) => format!("{due_text}; {verb} {} (late)", file.time(at)),
        None => due_text,
    }
}

/// Estimate, approval, invoice and payout, as far as the reader may see them.
pub(crate) fn money_facts(file: &OrderFile<'_>) -> Vec<(&'static str, String)> {
    let detail = file.detail;
    let mut facts = Vec::new();
    if let Some(estimate) = detail.estimate_minor {
        facts.push(("Estimate", file.money(estimate)));
    }
    if let Some(approved) = detail.approved_minor {
        facts.push(("Approved", file.money(approved)));
    }
    if let Some(invoice) = detail.row.cost {
        facts.push(("Invoice", file.money(invoice)));
    }
    if let Some(payment) = &detail.payment {
        let mut text = format!("{}: {}", payment.status.label(), file.money(payment.amount_minor));
        if let Some(paid_on) = payment.paid_on {
            text.push_str(&format!(", paid {}", paid_on.format("%-d %b %Y")));
        }
        if let Some(reference) = &payment.reference {
            text.push_str(&format!(", reference {reference}"));
        }
        facts.push(("Payout", text));
    }
    facts
}

/// The newest history entries that fit, newest first, and how many were left off.
fn recent_history(sheet: &mut Sheet, file: &OrderFile<'_>) {
    if !sheet.heading("Latest history") {
        return;
    }
    let one_line = Style::BODY.size * 1.32;
    // Room for the last line saying what was left off.
    let mut shown = 0;
    for entry in file.history.iter().rev() {
        if sheet.room() < 2.0 * one_line {
            break;
        }
        let note = if entry.note.is_empty() { String::new() } else { format!(": {}", entry.note) };
        let text = format!("{}  {} \u{b7} {}{note}", file.time(entry.at), entry.what, entry.actor);
        sheet.line(0.0, &font::one_line(&text, Style::BODY.face, Style::BODY.size, WIDTH), Style::BODY);
        shown += 1;
    }
    let left = file.history.len() - shown;
    if left > 0 {
        let text = format!("{left} earlier entries are in the order's evidence pack.");
        sheet.line(0.0, &font::encode(&text), Style::SMALL);
    }
}
