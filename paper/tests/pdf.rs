//! The summary and the evidence pack, read back with poppler (`pdfinfo`, `pdftotext`,
//! `pdfimages`) as a reader's PDF viewer would read them.

use chrono::{DateTime, Duration, Utc};
use plumbline_domain::api::{
    AccessInstructions, Attachment, Message, Payment, TimelineEntry, WorkOrderDetail, WorkOrderRow,
};
use plumbline_domain::role::Party;
use plumbline_domain::sla::SlaStatus;
use plumbline_domain::{
    Action, AttachmentId, AttachmentKind, MediaType, MessageId, MoneyMinor, PaymentStatus, Priority, Reference, Role,
    Severity, State, WorkOrderId,
};
use plumbline_paper::{OrderFile, Picture, evidence_pack, summary};
use std::path::{Path, PathBuf};
use std::process::Command;

const PHOTO: &[u8] = include_bytes!("fixtures/ceiling.jpg");
const STAMP: &[u8] = include_bytes!("fixtures/invoice-stamp.png");

fn at(hours: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T09:30:00Z").unwrap().with_timezone(&Utc) + Duration::hours(hours)
}

fn money(text: &str) -> MoneyMinor {
    MoneyMinor::parse(text).unwrap()
}

fn detail() -> WorkOrderDetail {
    let id = WorkOrderId(4217);
    WorkOrderDetail {
        row: WorkOrderRow {
            id,
            reference: Reference::of(id),
            property: "116 Harbour Walk".into(),
            unit: "Flat 2".into(),
            category: "Plumbing".into(),
            subcategory: "Leak".into(),
            priority: Priority::Urgent,
            state: State::Closed,
            opened_at: at(0),
            sla: SlaStatus::Met,
            contractor: Some("Brightwater Plumbing".into()),
            cost: Some(money("184.50")),
        },
        viewer: Party::Agency,
        version: 9,
        description: "Water is dripping through the kitchen ceiling from the bathroom above. It gets worse when \
                      the shower runs; the ceiling paint is bubbling."
            .into(),
        severity: Severity::Urgent,
        triage_reason: "Tenant said urgent".into(),
        tenant: Some("Amara Okafor".into()),
        tenant_phone: Some("07700 900123".into()),
        landlord: "Harbour Lettings Ltd".into(),
        address: "116 Harbour Walk, Bristol BS1 4QA".into(),
        access: AccessInstructions {
            gate_code: Some("4821".into()),
            lockbox_code: None,
            pets: "A friendly cat".into(),
            best_contact: "Text first".into(),
            preferred_times: "Weekday mornings".into(),
        },
        respond_by: at(24),
        resolve_by: at(48),
        responded_at: Some(at(2)),
        resolved_at: Some(at(30)),
        estimate_minor: Some(money("220.00")),
        approved_minor: Some(money("220.00")),
        appointment: Some((at(26), at(29))),
        timeline: Vec::new(),
        earlier_history: None,
        allowed_actions: Vec::new(),
        payment: Some(Payment {
            status: PaymentStatus::Paid,
            amount_minor: money("184.50"),
            paid_on: Some(at(72).date_naive()),
            reference: Some("BACS-0042".into()),
            may_record_payout: false,
        }),
        invoice_ceiling: None,
        repeat: None,
        planned: None,
    }
}

/// `count` history entries, each with a note naming its number.
fn history(count: usize) -> Vec<TimelineEntry> {
    let steps = [Action::Assign, Action::Accept, Action::Schedule, Action::Start, Action::Complete];
    (0..count)
        .map(|index| TimelineEntry {
            at: at(index as i64),
            what: format!("{:?}", steps[index % steps.len()]),
            actor: "Sam Staff".into(),
            actor_role: Some(Role::Staff),
            action: Some(steps[index % steps.len()]),
            from: None,
            to: None,
            note: format!("history note {index}"),
        })
        .collect()
}

fn message(id: i64, body: &str, internal: bool) -> Message {
    Message {
        id: MessageId(id),
        author: "Sam Staff".into(),
        author_role: Role::Staff,
        sent_at: at(id),
        body: body.into(),
        internal,
        own: true,
        retracted_at: None,
        retractable_until: None,
    }
}

fn attachment(id: i64, kind: AttachmentKind, name: &str, media_type: MediaType) -> Attachment {
    Attachment {
        id: AttachmentId(id),
        kind,
        file_name: name.into(),
        media_type,
        size_bytes: 1000,
        uploaded_by: "Amara Okafor".into(),
        uploaded_at: at(1),
    }
}

fn local(at: DateTime<Utc>) -> String {
    at.format("%a %-d %b %Y, %H:%M").to_string()
}

/// A file of `detail` with this history and these messages and attachments.
fn file<'a>(
    detail: &'a WorkOrderDetail,
    history: &'a [TimelineEntry],
    messages: &'a [Message],
    attachments: &'a [Attachment],
) -> OrderFile<'a> {
    let pictures = attachments.iter().map(|a| {
        let bytes = match a.media_type {
            MediaType::Jpeg => PHOTO,
            MediaType::Png => STAMP,
            _ => b"%PDF-1.4".as_slice(),
        };
        (a, Picture::read(a.media_type, bytes))
    });
    OrderFile {
        detail,
        history,
        messages,
        internal_notes_included: messages.iter().any(|m| m.internal),
        attachments: pictures.collect(),
        agency: "Harbourside Property Management",
        currency: "GBP",
        printed_for: "Sam Staff",
        printed_at: at(100),
        local: &local,
    }
}

/// Writes `pdf` to a file in a new temporary directory and returns both.
fn saved(pdf: &[u8], name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, pdf).unwrap();
    (dir, path)
}

fn poppler(tool: &str, args: &[&str], path: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(path)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|err| panic!("{tool} (poppler-utils, from scripts/install-deps.sh) did not run: {err}"));
    assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn pages(path: &Path) -> usize {
    let info = poppler("pdfinfo", &[], path);
    let line = info.lines().find(|line| line.starts_with("Pages:")).expect("pdfinfo names the page count");
    line.trim_start_matches("Pages:").trim().parse().unwrap()
}

/// Text as pdftotext reads it, with its line breaks and runs of spaces made single spaces.
fn text(path: &Path) -> String {
    poppler("pdftotext", &["-layout"], path).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_summary_is_one_page_with_the_jobs_facts_and_its_latest_history() {
    let detail = detail();
    let history = history(200);
    let (_dir, path) = saved(&summary(&file(&detail, &history, &[], &[])), "summary.pdf");
    if let Ok(keep) = std::env::var("PLUMBLINE_KEEP_PDF") {
        std::fs::copy(&path, keep).unwrap();
    }
    assert_eq!(pages(&path), 1, "a long history still fits one page");
    let text = text(&path);
    for expected in [
        "PL-004217 · Plumbing: Leak",
        "116 Harbour Walk, Bristol BS1 4QA · Flat 2",
        "Closed · Urgent priority · SLA: Met",
        "Amara Okafor, 07700 900123",
        "Harbour Lettings Ltd",
        "Brightwater Plumbing",
        "Water is dripping through the kitchen ceiling",
        "£184.50",
        "Paid: £184.50",
        "reference BACS-0042",
        "history note 199",
        "earlier entries are in the order's evidence pack",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "the summary lacks {expected:?}:\n{text}");
    }
    assert!(!text.contains("history note 0 "), "the oldest entry cannot fit on the page");
}

#[test]
fn the_evidence_pack_has_every_entry_message_and_photo_over_as_many_pages_as_it_needs() {
    let detail = detail();
    let history = history(120);
    let messages = [
        message(1, "The plumber can come on Tuesday morning.", false),
        message(2, "Landlord prefers Brightwater.", true),
    ];
    let attachments = [
        attachment(1, AttachmentKind::Before, "ceiling.jpg", MediaType::Jpeg),
        attachment(2, AttachmentKind::Invoice, "stamp.png", MediaType::Png),
        attachment(3, AttachmentKind::Quote, "quote.pdf", MediaType::Pdf),
    ];
    let (_dir, path) = saved(&evidence_pack(&file(&detail, &history, &messages, &attachments)), "pack.pdf");
    if let Ok(keep) = std::env::var("PLUMBLINE_KEEP_PDF") {
        std::fs::copy(&path, keep).unwrap();
    }
    let count = pages(&path);
    assert!(count > 3, "120 entries and two photos take more than three pages, not {count}");
    let text = text(&path);
    for index in 0..120 {
        assert!(text.contains(&format!("history note {index} ")), "entry {index} is missing");
    }
    for expected in [
        "Evidence pack",
        "It includes the agency's internal notes.",
        "The plumber can come on Tuesday morning.",
        "Internal note",
        "Landlord prefers Brightwater.",
        "Gate code 4821",
        "Before · ceiling.jpg",
        "Quote · quote.pdf",
        "Not shown here: kept with the order in the app.",
        "Estimate £220.00",
        &format!("Page {count} of {count}"),
    ] {
        assert!(text.contains(expected), "the pack lacks {expected:?}");
    }
    // The photo goes in as the JPEG it is; the PNG as its pixels with its transparency.
    let images = poppler("pdfimages", &["-list"], &path);
    let rows: Vec<Vec<&str>> = images.lines().skip(2).map(|line| line.split_whitespace().collect()).collect();
    let kinds: Vec<(&str, &str, &str, &str)> = rows.iter().map(|r| (r[2], r[3], r[4], r[8])).collect();
    assert_eq!(
        kinds,
        [("image", "320", "240", "jpeg"), ("image", "120", "80", "image"), ("smask", "120", "80", "image")],
        "{images}"
    );
}

#[test]
fn without_internal_notes_the_pack_says_so_and_what_is_not_latin_shows_as_a_question_mark() {
    let mut detail = detail();
    detail.description = "Leak in the kitchen – tenant says “urgent” 漏水".into();
    let messages = [message(1, "On my way, about €20 parking.", false)];
    let (_dir, path) = saved(&evidence_pack(&file(&detail, &history(3), &messages, &[])), "pack.pdf");
    let text = text(&path);
    assert!(text.contains("The agency's internal notes are not included."));
    assert!(text.contains("Leak in the kitchen – tenant says “urgent” ??"), "{text}");
    assert!(text.contains("about €20 parking"));
    assert!(text.contains("Nothing is attached to this order."));
}

#[test]
fn a_cancelled_order_claims_no_service_level_met_or_missed() {
    let mut detail = detail();
    detail.row.state = State::Cancelled;
    detail.row.sla = SlaStatus::NotApplicable;
    let (_dir, path) = saved(&summary(&file(&detail, &history(2), &[], &[])), "summary.pdf");
    let text = text(&path);
    assert!(text.contains("Service levels Not applicable: the order was cancelled"), "{text}");
    assert!(!text.contains("SLA:") && !text.contains("(in time)"), "{text}");
}
