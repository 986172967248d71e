//! The evidence pack: one PDF with everything about one order that its reader may see:
//! the request and its triage, people and access, the clocks, appointments and money,
//! every history entry with who and when, the messages, and the photos embedded.

use crate::OrderFile;
use crate::font;
use crate::sheet::{Sheet, Style, WIDTH, fitted};
use crate::summary::{key_facts, masthead};
use plumbline_domain::Action;
use plumbline_domain::api::TimelineEntry;

/// How much of a page one photo may take.
const PHOTO_WIDTH: f32 = WIDTH;
const PHOTO_HEIGHT: f32 = 330.0;
/// Where an entry's text starts, after its time.
const TIME_COLUMN: f32 = 118.0;

/// The evidence pack as a PDF.
pub fn evidence_pack(file: &OrderFile<'_>) -> Vec<u8> {
    let mut sheet = Sheet::new(false);
    sheet.line(0.0, &font::encode("Evidence pack"), Style::LABEL);
    masthead(&mut sheet, file);
    sheet.paragraph(&preface(file), Style::SMALL);
    sheet.heading("The job");
    for (label, value) in key_facts(file) {
        sheet.field(label, &value);
    }
    request(&mut sheet, file);
    access(&mut sheet, file);
    appointments_and_money(&mut sheet, file);
    history(&mut sheet, file);
    messages(&mut sheet, file);
    attachments(&mut sheet, file);
    let title = format!("{} evidence pack", file.detail.row.reference);
    sheet.finish(&title, &file.footer("Evidence pack"))
}

fn preface(file: &OrderFile<'_>) -> String {
    let notes = if file.internal_notes_included {
        "It includes the agency's internal notes."
    } else {
        "The agency's internal notes are not included."
    };
    format!(
        "Everything recorded about this order that {} may see, as it stood on {}. Times are local. {notes}",
        file.printed_for,
        file.time(file.printed_at)
    )
}

fn request(sheet: &mut Sheet, file: &OrderFile<'_>) {
    let detail = file.detail;
    sheet.heading("The request");
    sheet.field("Tenant's severity", detail.severity.as_str());
    sheet.field("Triage", &format!("{} priority: {}", detail.row.priority.as_str(), detail.triage_reason));
    sheet.field("Description", &detail.description);
    if let Some(repeat) = &detail.repeat {
        let earlier: Vec<String> = repeat
            .earlier
            .iter()
            .map(|order| format!("{} {} ({})", order.subcategory, file.time(order.opened_at), order.state.label()))
            .collect();
        sheet.field("Repeat fault", &format!("{}: {}", repeat.headline, earlier.join("; ")));
    }
}

fn access(sheet: &mut Sheet, file: &OrderFile<'_>) {
    let access = &file.detail.access;
    let mut rows: Vec<(&str, &str)> = vec![
        ("Best contact", &access.best_contact),
        ("Preferred times", &access.preferred_times),
        ("Pets", &access.pets),
    ];
    if let Some(code) = &access.gate_code {
        rows.push(("Gate code", code));
    }
    if let Some(code) = &access.lockbox_code {
        rows.push(("Lockbox code", code));
    }
    rows.retain(|(_, value)| !value.trim().is_empty());
    if rows.is_empty() {
        return;
    }
    sheet.heading("Access");
    for (label, value) in rows {
        sheet.field(label, value);
    }
}

/// Every booking, estimate, approval, invoice and payout in the history, in order.
fn appointments_and_money(sheet: &mut Sheet, file: &OrderFile<'_>) {
    let money_and_visits = [
        Action::RequestApproval,
        Action::Approve,
        Action::DeclineEstimate,
        Action::Schedule,
        Action::RequestReschedule,
        Action::Start,
        Action::Complete,
    ];
    let entries: Vec<&TimelineEntry> = file
        .history
        .iter()
        .filter(|entry| entry.action.is_some_and(|action| money_and_visits.contains(&action)) || is_payout(entry))
        .collect();
    if entries.is_empty() {
        return;
    }
    sheet.heading("Appointments, estimates, approvals, invoice and payout");
    for entry in entries {
        history_entry(sheet, file, entry);
    }
}

/// A payout is recorded in the history without a lifecycle step.
fn is_payout(entry: &TimelineEntry) -> bool {
    entry.action.is_none() && entry.what.to_lowercase().contains("payout")
}

fn history(sheet: &mut Sheet, file: &OrderFile<'_>) {
    sheet.heading(&format!("History ({} entries)", file.history.len()));
    for entry in file.history {
        history_entry(sheet, file, entry);
    }
}

/// "Mon 23 Nov 2026, 09:30   Assigned · Sam Staff (Agency staff) · New to Assigned" and
/// its note beneath.
fn history_entry(sheet: &mut Sheet, file: &OrderFile<'_>, entry: &TimelineEntry) {
    let role = entry.actor_role.map(|role| format!(" ({})", role.label())).unwrap_or_default();
    let change = match (entry.from, entry.to) {
        (Some(from), Some(to)) if from != to => format!(" \u{b7} {} to {}", from.label(), to.label()),
        _ => String::new(),
    };
    let heading = format!("{} \u{b7} {}{role}{change}", entry.what, entry.actor);
    dated(sheet, file, entry.at, &heading, &entry.note);
}

/// A time in the left column, a bold line beside it and a note wrapped beneath.
fn dated(sheet: &mut Sheet, file: &OrderFile<'_>, at: chrono::DateTime<chrono::Utc>, heading: &str, note: &str) {
    let note_lines = font::wrap(note, Style::BODY.face, Style::BODY.size, WIDTH - TIME_COLUMN);
    let height = Style::BODY.size * 1.32 * (1 + note_lines.len().min(3)) as f32;
    sheet.make_room(height);
    let time = font::encode(&file.time(at));
    // The time sits on the heading's line: drawn first, then the line moves back up.
    let before = sheet.room();
    sheet.line(0.0, &time, Style::SMALL);
    sheet.skip(sheet.room() - before);
    sheet.text(TIME_COLUMN, WIDTH - TIME_COLUMN, heading, Style::STRONG, 3);
    for line in &note_lines {
        sheet.line(TIME_COLUMN, line, Style::BODY);
    }
    sheet.gap(3.0);
}

fn messages(sheet: &mut Sheet, file: &OrderFile<'_>) {
    sheet.heading(&format!("Messages ({})", file.messages.len()));
    if file.messages.is_empty() {
        sheet.paragraph("No messages on this order.", Style::SMALL);
    }
    for message in file.messages {
        let tag = if message.internal { " \u{b7} Internal note" } else { "" };
        let heading = format!("{} ({}){tag}", message.author, message.author_role.label());
        let body = match message.retracted_at {
            Some(at) if message.body.is_empty() => format!("Retracted {}.", file.time(at)),
            Some(at) => format!("{} [retracted {}]", message.body, file.time(at)),
            None => message.body.clone(),
        };
        dated(sheet, file, message.sent_at, &heading, &body);
    }
}

fn attachments(sheet: &mut Sheet, file: &OrderFile<'_>) {
    // The heading stays with the first photo rather than alone at a page's foot.
    let first = file.attachments.first().and_then(|(_, picture)| picture.as_ref());
    let first_height = first.map_or(0.0, |picture| fitted(picture, PHOTO_WIDTH, PHOTO_HEIGHT).1 + 30.0);
    sheet.heading_with(&format!("Photos and documents ({})", file.attachments.len()), first_height);
    if file.attachments.is_empty() {
        sheet.paragraph("Nothing is attached to this order.", Style::SMALL);
    }
    for (attachment, picture) in &file.attachments {
        let caption = format!(
            "{} \u{b7} {} \u{b7} {} \u{b7} added by {} on {}",
            attachment.kind.label(),
            attachment.file_name,
            attachment.media_type.label(),
            attachment.uploaded_by,
            file.time(attachment.uploaded_at)
        );
        match picture {
            Some(picture) => {
                let (_, drawn) = fitted(picture, PHOTO_WIDTH, PHOTO_HEIGHT);
                sheet.make_room(drawn + 30.0);
                sheet.text(0.0, WIDTH, &caption, Style::SMALL, 2);
                sheet.gap(2.0);
                if let Some(height) = sheet.picture(0.0, picture.clone(), PHOTO_WIDTH, PHOTO_HEIGHT) {
                    sheet.skip(height);
                }
                sheet.gap(10.0);
            }
            None => {
                sheet.text(0.0, WIDTH, &caption, Style::SMALL, 2);
                sheet.paragraph("Not shown here: kept with the order in the app.", Style::BODY);
                sheet.gap(6.0);
            }
        }
    }
}
