//! An order's paperwork from its page: the one-page summary and the evidence pack, saved
//! through the native dialog and read back with poppler, on this computer and from an
//! agency server.

use crate::agency_server::{connect, email_of};
use crate::attachments::save_through_dialog;
use crate::harness::{App, Launch};
use anyhow::{Context, Result, ensure};
use chrono::Utc;
use plumbline_domain::api::PostMessage;
use plumbline_domain::{Actor, AttachmentKind, Reference, Role, UserId, WorkOrderId};
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::Sql;
use plumbline_service::{Store, attachments, messages, users};
use plumbline_test_support::TestServer;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A photo from the paper crate's tests (320×240), and a PNG with transparency.
fn photos() -> Vec<PathBuf> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../paper/tests/fixtures");
    vec![fixtures.join("ceiling.jpg"), fixtures.join("invoice-stamp.png")]
}

/// The newest paid job with messages on it (the fullest paperwork), with the two photos
/// attached by its tenant and an internal note from staff; its reference and the note.
async fn order_with_photos_and_a_note(store: &Store) -> Result<(Reference, &'static str)> {
    let (id, tenant): (i64, i64) = Sql::new(
        "SELECT w.id, w.tenant_id FROM work_orders w
         WHERE EXISTS (SELECT 1 FROM messages m WHERE m.work_order_id = w.id)
           AND EXISTS (SELECT 1 FROM payouts pay WHERE pay.work_order_id = w.id)
         ORDER BY w.id DESC LIMIT 1",
    )
    .fetch_one(store)
    .await?;
    let order = WorkOrderId(id);
    let tenant = Actor { user_id: UserId(tenant), role: Role::Tenant };
    let files = store.files_dir();
    attachments::attach(store, tenant, Utc::now(), &files, order, AttachmentKind::Before, &photos()).await?;
    let note = "Landlord asked us to keep the old boiler's serial plate";
    let staff = users::first_staff(store).await?;
    messages::post(store, staff, Utc::now(), &PostMessage { id: order, body: note.into(), internal: true }).await?;
    Ok((Reference::of(order), note))
}

fn poppler(tool: &str, args: &[&str], path: &Path) -> Result<String> {
    let mut command = Command::new(tool);
    command.args(args).arg(path);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let output = command.output().with_context(|| format!("{tool} (poppler-utils) did not run"))?;
    ensure!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
    Ok(String::from_utf8(output.stdout)?)
}

/// The PDF's text with its runs of spaces and line breaks made single spaces.
fn text(path: &Path) -> Result<String> {
    Ok(poppler("pdftotext", &["-layout"], path)?.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn pages(path: &Path) -> Result<usize> {
    let info = poppler("pdfinfo", &[], path)?;
    let line = info.lines().find(|line| line.starts_with("Pages:")).context("pdfinfo names the page count")?;
    Ok(line.trim_start_matches("Pages:").trim().parse()?)
}

/// The images' (width, height, encoding) as pdfimages lists them, masks left out.
fn images(path: &Path) -> Result<Vec<(String, String, String)>> {
    let list = poppler("pdfimages", &["-list"], path)?;
    let rows = list.lines().skip(2).map(|line| line.split_whitespace().collect::<Vec<_>>());
    let images = rows.filter(|row| row.get(2) == Some(&"image"));
    Ok(images.map(|row| (row[3].to_owned(), row[4].to_owned(), row[8].to_owned())).collect())
}

/// Renders the first page where the screenshots go, to look at.
fn render_first_page(pdf: &Path, name: &str) -> Result<()> {
    let screens = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screens");
    std::fs::create_dir_all(&screens)?;
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-singlefile", "-f", "1"])
        .arg(pdf)
        .arg(screens.join(name))
        .status()?;
    ensure!(status.success(), "pdftoppm could not render {}", pdf.display());
    Ok(())
}

async fn open_order(app: &App, reference: &Reference) -> Result<()> {
    app.go_to("Work orders").await?;
    app.row(reference).await?.click().await?;
    app.wait_for("[data-testid=paperwork]").await?;
    Ok(())
}

#[tokio::test]
async fn on_this_computer_staff_save_the_summary_and_an_evidence_pack_with_photos_and_internal_notes() -> Result<()> {
    let app = App::launch("paperwork").await?;
    let store = app.store().await?;
    let (reference, note) = order_with_photos_and_a_note(&store).await?;
    open_order(&app, &reference).await?;
    app.save_screen("paperwork-card").await?;

    let (_folder, summary) =
        save_through_dialog(&app, "[data-testid=export-summary]", "^Save the order's summary", "summary.pdf").await?;
    assert_eq!(pages(&summary)?, 1);
    let said = text(&summary)?;
    assert!(said.contains(&reference.to_string()) && said.contains("Latest history"), "{said}");
    render_first_page(&summary, "paperwork-summary")?;

    app.wait_for("[data-testid=pack-internal-notes]").await?.click().await?;
    let (_folder, pack) =
        save_through_dialog(&app, "[data-testid=export-pack]", "^Save the evidence pack", "pack.pdf").await?;
    let said = text(&pack)?;
    for expected in
        [reference.to_string().as_str(), "Evidence pack", note, "Internal note", "ceiling.jpg", "invoice-stamp.png"]
    {
        assert!(said.contains(expected), "the pack lacks {expected:?}");
    }
    assert!(said.contains("It includes the agency's internal notes."));
    assert!(said.contains("Payout Paid:"), "staff see the contractor's payout");
    let embedded = images(&pack)?;
    let photo = ("320".to_owned(), "240".to_owned(), "jpeg".to_owned());
    assert!(embedded.contains(&photo), "the photo goes in as the JPEG it is: {embedded:?}");
    assert_eq!(embedded.len(), 2, "{embedded:?}");
    render_first_page(&pack, "paperwork-pack")?;
    app.finish().await
}

#[tokio::test]
async fn on_an_agency_server_a_landlord_saves_an_evidence_pack_without_the_agencys_notes() -> Result<()> {
    let served = TestServer::demo().await;
    let store = served.store();
    let (reference, note) = order_with_photos_and_a_note(store).await?;
    let (landlord,): (i64,) =
        Sql::new("SELECT p.landlord_id FROM work_orders w JOIN properties p ON p.id = w.property_id WHERE w.id = ?")
            .bind(reference.id().0)
            .fetch_one(store)
            .await?;
    let app = App::start("paperwork-server", Launch { real_store: true, ..Launch::default() }).await?;
    connect(&app, &served).await?;
    app.sign_in(&email_of(store, UserId(landlord)).await?, DEMO_PASSWORD, false).await?;
    open_order(&app, &reference).await?;
    assert!(app.find_all("[data-testid=pack-internal-notes]").await?.is_empty(), "only the agency may add its notes");
    let (_folder, pack) =
        save_through_dialog(&app, "[data-testid=export-pack]", "^Save the evidence pack", "pack.pdf").await?;
    let said = text(&pack)?;
    assert!(said.contains(&reference.to_string()) && said.contains("ceiling.jpg"));
    assert!(!said.contains(note), "the agency's internal note reached a landlord");
    assert!(said.contains("The agency's internal notes are not included."));
    assert!(said.contains("Invoice") && !said.contains("Payout"), "a landlord sees the invoice, not the payout");
    assert_eq!(images(&pack)?.len(), 2, "the photos came from the server");
    app.finish().await
}
