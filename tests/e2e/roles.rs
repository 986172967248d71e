//! Each role in the real app: signed in through the sign-in screen, doing that role's
//! main path, and refused by the backend whatever the webview sends.

use crate::attachments::choose_in_native_dialog;
use crate::desk::{take_step, wait_for_state};
use crate::harness::{App, Launch};
use anyhow::{Context, Result};
use plumbline_domain::AttachmentKind;
use plumbline_domain::commands;
use plumbline_domain::{Reference, State, UserId, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{Store, attachments, users};
use serde_json::{Value, json};

/// (order, its version, its landlord) for the first order in `state`, optionally not of `landlord`.
async fn order_in(store: &Store, state: &str, not_of: Option<UserId>) -> Result<(WorkOrderId, i64, UserId)> {
    let (id, version, landlord): (i64, i64, i64) = Sql::new(
        "SELECT w.id, w.version, p.landlord_id FROM work_orders w JOIN properties p ON p.id = w.property_id
         WHERE w.state = ? AND p.landlord_id <> ? ORDER BY w.id LIMIT 1",
    )
    .bind(state)
    .bind(not_of.map_or(0, |user| user.0))
    .fetch_one(store)
    .await?;
    Ok((WorkOrderId(id), version, UserId(landlord)))
}

/// Every column of an order, to show a refused call changed nothing.
async fn snapshot(store: &Store, id: WorkOrderId) -> Result<String> {
    let (row,): (String,) = Sql::new(
        "SELECT json_array(state, version, contractor_id, approved_minor, updated_at,
                (SELECT count(*) FROM work_order_events WHERE work_order_id = w.id))
         FROM work_orders w WHERE id = ?",
    )
    .bind(id.0)
    .fetch_one(store)
    .await?;
    Ok(row)
}

fn error_code(answer: &Value) -> &str {
    answer["err"]["code"].as_str().unwrap_or("(no error)")
}

#[tokio::test]
async fn a_landlord_calling_commands_directly_is_refused_and_nothing_changes() -> Result<()> {
    let app = App::start("landlord-direct-calls", Launch::default()).await?;
    let store = app.store().await?;
    let (own_new, own_version, landlord) = order_in(&store, "New", None).await?;
    let (theirs, their_version, other_landlord) = order_in(&store, "AwaitingApproval", Some(landlord)).await?;
    let before = (snapshot(&store, own_new).await?, snapshot(&store, theirs).await?);
    let users_before: (i64,) = Sql::new("SELECT count(*) FROM users").fetch_one(&store).await?;
    app.sign_in_as(landlord).await?;
    app.wait_for("[data-nav='Work orders']").await?;

    // Another landlord's order: not even its existence is confirmed.
    let read = app.invoke::<commands::GetWorkOrder>(json!({ "id": theirs.0 })).await?;
    assert_eq!(error_code(&read), "not_found", "{read}");
    let approve = json!({ "request": { "id": theirs.0, "version": their_version, "step": { "action": "Approve", "note": "ok" } } });
    let approve = app.invoke::<commands::ActOnWorkOrder>(approve).await?;
    assert_eq!(error_code(&approve), "not_found", "{approve}");
    let listed = json!({ "request": { "filter": { "landlord": other_landlord.0 }, "limit": 100 } });
    let listed = app.invoke::<commands::ListWorkOrders>(listed).await?;
    assert_eq!(listed["ok"]["rows"].as_array().map(Vec::len), Some(0), "{listed}");

    // A contractor's earnings and the agency's screens.
    let screens = [
        app.invoke::<commands::ContractorDashboard>(json!({})).await?,
        app.invoke::<commands::StaffDashboard>(json!({})).await?,
        app.invoke::<commands::TriageQueue>(json!({})).await?,
    ];
    for answer in screens {
        assert_eq!(error_code(&answer), "not_allowed", "{answer}");
    }
    let invite = json!({ "user": { "name": "Mallory", "email": "mallory@example.com", "phone": "", "role": "Admin", "company": "" } });
    assert_eq!(error_code(&app.invoke::<commands::CreateUser>(invite).await?), "not_allowed");

    // A staff-only step on their own order.
    let contractor: (i64,) = Sql::new("SELECT user_id FROM contractors LIMIT 1").fetch_one(&store).await?;
    let assign = json!({ "request": { "id": own_new.0, "version": own_version, "step": { "action": "Assign", "contractor": contractor.0 } } });
    let assign = app.invoke::<commands::ActOnWorkOrder>(assign).await?;
    assert_eq!(error_code(&assign), "not_allowed", "{assign}");

    assert_eq!((snapshot(&store, own_new).await?, snapshot(&store, theirs).await?), before);
    let users_after: (i64,) = Sql::new("SELECT count(*) FROM users").fetch_one(&store).await?;
    assert_eq!(users_after, users_before);
    app.finish().await
}

/// A current tenancy with a gate code, so who sees access codes can be checked:
/// (tenant, landlord, unit label, gate code).
pub(crate) async fn tenancy_with_gate_code(store: &Store) -> Result<(UserId, UserId, String, String)> {
    let (tenant, landlord, unit, gate): (i64, i64, String, String) = Sql::new(
        "SELECT t.tenant_id, p.landlord_id, n.label, t.gate_code FROM tenancies t
         JOIN units n ON n.id = t.unit_id JOIN properties p ON p.id = n.property_id
         WHERE t.ended_on IS NULL AND t.gate_code IS NOT NULL
           AND (SELECT count(*) FROM tenancies o WHERE o.tenant_id = t.tenant_id AND o.ended_on IS NULL) = 1
         ORDER BY t.id LIMIT 1",
    )
    .fetch_one(store)
    .await?;
    Ok((UserId(tenant), UserId(landlord), unit, gate))
}

pub(crate) async fn sign_out(app: &App) -> Result<()> {
    app.wait_for("#sign-out").await?.click().await?;
    app.wait_for("#email").await?;
    Ok(())
}

/// Opens an order from whatever list is on screen.
pub(crate) async fn open_row(app: &App, reference: &Reference) -> Result<()> {
    app.row(&reference).await?.click().await?;
    app.wait_for(&format!("[data-testid=detail][data-reference='{reference}']")).await?;
    Ok(())
}

/// On a tenant's open "New request" form (their home already chosen): a routine dripping
/// tap, submitted; the reference the confirmation shows.
pub(crate) async fn submit_dripping_tap(app: &App, store: &Store) -> Result<Reference> {
    let (subcategory, category): (i64, i64) =
        Sql::new("SELECT id, parent_id FROM categories WHERE name = 'Taps' AND parent_id IS NOT NULL")
            .fetch_one(store)
            .await?;
    app.wait_for(&format!("#category option[value='{category}']")).await?.click().await?;
    app.wait_for(&format!("#subcategory option[value='{subcategory}']")).await?.click().await?;
    app.wait_for("label.severity-routine").await?.click().await?;
    app.wait_for("#description").await?.send_keys("The kitchen tap drips all night").await?;
    app.wait_for("#submit-request").await?.click().await?;
    Ok(Reference::parse(&app.text("#new-reference").await?)?)
}

/// The tenant reports a dripping tap from their dashboard; their home is already chosen.
async fn tenant_reports_a_dripping_tap(app: &App, store: &Store, tenant: UserId, unit: &str) -> Result<Reference> {
    app.sign_in_as(tenant).await?;
    app.wait_for("[data-testid=tenant-tiles]").await?;
    app.save_screen("tenant-dashboard").await?;
    app.wait_for("[data-testid=new-request]").await?.click().await?;
    app.wait_for_text("#home", |t| t.contains(unit)).await?;
    // A photo chosen before sending goes with the request.
    app.wait_for("[data-testid=add-intake-photos]").await?.click().await?;
    let photo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../service/tests/fixtures/leak.jpg");
    let (display, path) = (app.display()?, photo.canonicalize()?.to_string_lossy().into_owned());
    tokio::task::spawn_blocking(move || choose_in_native_dialog(&display, &path)).await??;
    app.wait_for_text("[data-testid=chosen-photo]", |t| t.contains("leak.jpg")).await?;
    let reference = submit_dripping_tap(app, store).await?;
    let id = reference.id();
    wait_for_state(store, id, State::New).await?;
    assert_eq!(app.text("[data-testid=photos-sent]").await?, "1 photo sent with it.");
    let (kind, name): (String, String) =
        Sql::new("SELECT kind, file_name FROM attachments WHERE work_order_id = ?").bind(id.0).fetch_one(store).await?;
    assert_eq!((kind.as_str(), name.as_str()), ("before", "leak.jpg"));
    let (raised_by,): (i64,) =
        Sql::new("SELECT raised_by FROM work_orders WHERE id = ?").bind(id.0).fetch_one(store).await?;
    assert_eq!(raised_by, tenant.0);
    app.wait_for("#open-new-order").await?.click().await?;
    app.wait_for("button[data-action=Cancel]").await.context("a tenant may cancel before a contractor accepts")?;
    sign_out(app).await?;
    Ok(reference)
}

/// The contractor takes it from "New orders" to completed with the invoice.
async fn contractor_does_the_job(
    app: &App,
    store: &Store,
    contractor: UserId,
    reference: &Reference,
    gate_code: &str,
    browser: &RecordingBrowser,
) -> Result<()> {
    app.sign_in_as(contractor).await?;
    app.wait_for("[data-testid=contractor-tiles]").await?;
    app.save_screen("contractor-dashboard").await?;
    do_the_job(app, store, reference, gate_code).await?;
    // The job's address, on a map in their browser.
    let (postcode,): (String,) =
        Sql::new("SELECT p.postcode FROM work_orders w JOIN properties p ON p.id = w.property_id WHERE w.id = ?")
            .bind(reference.id().0)
            .fetch_one(store)
            .await?;
    app.wait_for("[data-testid=map]").await?.click().await?;
    let opened = browser.opened().await?;
    assert!(opened.starts_with("https://www.openstreetmap.org/search?query="), "{opened}");
    assert!(opened.ends_with(&postcode.replace(' ', "%20")), "the whole address, postcode last: {opened}");
    sign_out(app).await?;
    Ok(())
}

/// A browser stand-in on the app's `PATH`: its `xdg-open` writes down the address (or
/// file) it was asked to open, so a test sees where the OS would have taken the user.
pub(crate) struct RecordingBrowser {
    dir: tempfile::TempDir,
}

impl RecordingBrowser {
    pub(crate) fn new() -> Result<Self> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let script = dir.path().join("xdg-open");
        std::fs::write(&script, "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$(dirname \"$0\")/opened\"\n")?;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
        Ok(Self { dir })
    }

    /// `PATH` with the stand-in first.
    pub(crate) fn path(&self) -> String {
        format!("{}:{}", self.dir.path().display(), std::env::var("PATH").unwrap_or_default())
    }

    /// What it was asked to open, once it has been.
    pub(crate) async fn opened(&self) -> Result<String> {
        for _ in 0..50 {
            if let Ok(opened) = std::fs::read_to_string(self.dir.path().join("opened")) {
                return Ok(opened.trim().to_owned());
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        anyhow::bail!("nothing was opened in the browser")
    }
}

/// A signed-in contractor opens the new order from their dashboard and takes it from
/// accepted to completed with the invoice (£640).
pub(crate) async fn do_the_job(app: &App, store: &Store, reference: &Reference, gate_code: &str) -> Result<()> {
    let id = reference.id();
    app.wait_for("[data-count='New orders']").await?.click().await?;
    // Their own invoice on each row, not their own company's name over and over.
    assert_eq!(app.text("th[data-column=Cost]").await?, "Invoice");
    assert!(app.find_all("th[data-column=Contractor]").await?.is_empty());
    open_row(app, reference).await?;
    // Offered, not yet accepted: the access instructions, but not the codes.
    let offered = app.wait_for_text("[data-testid=access]", |t| t.contains("Best contact")).await?;
    assert!(!offered.contains(gate_code), "an offered job shows no codes: {offered}");
    // One click: accepting has nothing to fill in.
    app.wait_for("button[data-action=Accept]").await?.click().await?;
    wait_for_state(store, id, State::Accepted).await?;
    app.wait_for_text("[data-testid=access]", |t| t.contains(gate_code)).await.context("the codes, once accepted")?;
    // Typed the agency's way: day first, 24-hour clock.
    take_step(app, "Schedule", async |app| {
        app.wait_for("input[data-field=from]").await?.send_keys("15/01/2030 09:00").await?;
        Ok(app.wait_for("input[data-field=until]").await?.send_keys("15/01/2030 12:00").await?)
    })
    .await?;
    wait_for_state(store, id, State::Scheduled).await?;
    // The appointment is in 2030: starting now is asked about, then recorded.
    take_step(app, "Start", async |app| {
        app.wait_for_text("[data-testid=before-appointment]", |t| t.contains("The appointment is booked for")).await?;
        Ok(())
    })
    .await?;
    wait_for_state(store, id, State::InProgress).await?;
    assert!(history_note(store, id, "Start").await?.starts_with("Started before the appointment booked for"));
    take_step(app, "Complete", async |app| {
        app.wait_for("textarea[data-field=note]").await?.send_keys("New washer and cartridge").await?;
        Ok(app.wait_for("input[data-field='invoice (£)']").await?.send_keys("640").await?)
    })
    .await?;
    wait_for_state(store, id, State::Completed).await?;
    Ok(())
}

#[tokio::test]
async fn tenant_staff_landlord_and_contractor_each_do_their_part_of_one_repair() -> Result<()> {
    let browser = RecordingBrowser::new()?;
    let path = browser.path();
    let app = App::start("role-journey", Launch { env: &[("PATH", &path)], ..Launch::default() }).await?;
    let store = app.store().await?;
    let (tenant, landlord, unit, gate_code) = tenancy_with_gate_code(&store).await?;

    let reference = tenant_reports_a_dripping_tap(&app, &store, tenant, &unit).await?;
    let id = reference.id();

    // Staff estimate £650: over the landlord's £500 threshold, so it needs their approval.
    app.sign_in_as_staff().await?;
    app.go_to("Work orders").await?;
    open_row(&app, &reference).await?;
    take_step(&app, "RequestApproval", async |app| {
        Ok(app.wait_for("input[data-field='estimate (£)']").await?.send_keys("650").await?)
    })
    .await?;
    wait_for_state(&store, id, State::AwaitingApproval).await?;
    attach_quote(&store, id).await?;
    sign_out(&app).await?;

    // The landlord finds it under "Awaiting my approval", sees no access codes, approves.
    app.sign_in_as(landlord).await?;
    app.wait_for("[data-testid=landlord-tiles]").await?;
    app.save_screen("landlord-dashboard").await?;
    app.wait_for("[data-count='Awaiting my approval']").await?.click().await?;
    app.wait_for("th[data-column=Cost]").await.context("a landlord's list shows what each job cost")?;
    open_row(&app, &reference).await?;
    let decision = app.text("[data-testid=approval-needed]").await?;
    assert!(decision.contains("£650.00"), "the decision shows the amount first: {decision}");
    let contractor = app.text("[data-testid=decision-contractor]").await?;
    assert!(contractor.contains("Chosen by the agency"), "no contractor yet, and it says so: {contractor}");
    app.wait_for_text("[data-testid=decision-quote]", |quote| quote.contains("quote-650.pdf")).await?;
    app.save_screen("landlord-approval").await?;
    let shown = app.text("main").await?;
    assert!(!shown.contains(&gate_code), "a landlord never sees the gate code");
    take_step(&app, "Approve", async |app| {
        Ok(app.wait_for("textarea[data-field=note]").await?.send_keys("Go ahead").await?)
    })
    .await?;
    wait_for_state(&store, id, State::New).await?;
    let badge = app.wait_for("[data-testid=approved-badge]").await.context("approved, not shown as a new request")?;
    assert!(badge.text().await?.contains("Approved"));
    sign_out(&app).await?;

    // Staff assign the best-suited contractor.
    app.sign_in_as_staff().await?;
    app.go_to("Work orders").await?;
    open_row(&app, &reference).await?;
    take_step(&app, "Assign", async |app| {
        let best = "select[data-field=contractor] option:not([value='']):not([disabled])";
        Ok(app.wait_for(best).await?.click().await?)
    })
    .await?;
    wait_for_state(&store, id, State::Assigned).await?;
    let (contractor,): (i64,) =
        Sql::new("SELECT contractor_id FROM work_orders WHERE id = ?").bind(id.0).fetch_one(&store).await?;
    sign_out(&app).await?;

    contractor_does_the_job(&app, &store, UserId(contractor), &reference, &gate_code, &browser).await?;

    // The tenant confirms the work is done and rates it.
    // "Waiting for you" comes first on their dashboard; one click confirms.
    app.sign_in_as(tenant).await?;
    let waiting = format!("[data-testid=to-confirm] li[data-reference='{reference}']");
    app.wait_for(&waiting).await?;
    app.save_screen("tenant-waiting-for-you").await?;
    app.wait_for(&format!("{waiting} [data-testid=confirm-done]")).await?.click().await?;
    wait_for_state(&store, id, State::Closed).await?;
    app.wait_for_gone(&waiting).await?;
    app.wait_for(&format!("[data-testid=requests] button[data-reference='{reference}']")).await?.click().await?;
    app.wait_for(&format!("[data-testid=detail][data-reference='{reference}']")).await?;
    take_step(&app, "Rate", async |app| {
        app.wait_for("select[data-field=stars] option[value='5']").await?.click().await?;
        Ok(app.wait_for("textarea[data-field=note]").await?.send_keys("Quick and tidy").await?)
    })
    .await?;
    let mut rating = (None, None);
    for _ in 0..50 {
        rating = Sql::new("SELECT rating, rating_comment FROM work_orders WHERE id = ?")
            .bind(id.0)
            .fetch_one(&store)
            .await?;
        if rating.0.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(rating, (Some(5_i64), Some("Quick and tidy".to_owned())));
    let (invoice, approved): (Option<i64>, Option<i64>) =
        Sql::new("SELECT invoice_minor, approved_minor FROM work_orders WHERE id = ?")
            .bind(id.0)
            .fetch_one(&store)
            .await?;
    assert_eq!((invoice, approved), (Some(64_000), Some(65_000)), "money in pence");
    app.finish().await
}

/// Waits for a stored history note of `action` on the order, and returns it.
async fn history_note(store: &Store, id: WorkOrderId, action: &str) -> Result<String> {
    for _ in 0..50 {
        let note: Option<(String,)> = Sql::new(
            "SELECT note FROM work_order_events WHERE work_order_id = ? AND action = ? ORDER BY id DESC LIMIT 1",
        )
        .bind(id.0)
        .bind(action)
        .fetch_optional(store)
        .await?;
        if let Some((note,)) = note {
            return Ok(note);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    anyhow::bail!("no {action} on order {id}")
}

#[tokio::test]
async fn a_contractor_declines_a_landlord_declines_an_estimate_and_a_tenant_cancels_each_with_a_reason() -> Result<()> {
    let app = App::start("role-refusals", Launch::default()).await?;
    let store = app.store().await?;
    let (assigned, ..) = order_in(&store, "Assigned", None).await?;
    let (contractor,): (i64,) =
        Sql::new("SELECT contractor_id FROM work_orders WHERE id = ?").bind(assigned.0).fetch_one(&store).await?;
    let (estimate, _, landlord) = order_in(&store, "AwaitingApproval", None).await?;
    let (tenant, cancellable): (i64, i64) = Sql::new(
        "SELECT tenant_id, id FROM work_orders WHERE state = 'New' AND tenant_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(&store)
    .await?;

    app.sign_in_as(UserId(contractor)).await?;
    app.wait_for("[data-count='New orders']").await?.click().await?;
    open_row(&app, &Reference::of(assigned)).await?;
    take_step(&app, "Decline", async |app| {
        Ok(app.wait_for("textarea[data-field=note]").await?.send_keys("No gas engineer free this week").await?)
    })
    .await?;
    wait_for_state(&store, assigned, State::New).await?;
    assert_eq!(history_note(&store, assigned, "Decline").await?, "No gas engineer free this week");
    sign_out(&app).await?;

    app.sign_in_as(landlord).await?;
    app.wait_for("[data-count='Awaiting my approval']").await?.click().await?;
    open_row(&app, &Reference::of(estimate)).await?;
    assert!(app.find_all("button[data-action=Reject]").await?.is_empty(), "a landlord declines estimates, not repairs");
    take_step(&app, "DeclineEstimate", async |app| {
        Ok(app.wait_for("textarea[data-field=note]").await?.send_keys("Too dear: get a second quote").await?)
    })
    .await?;
    // Back with the agency, not refused: the tenant's repair still stands.
    wait_for_state(&store, estimate, State::New).await?;
    assert!(history_note(&store, estimate, "DeclineEstimate").await?.contains("Too dear: get a second quote"));
    sign_out(&app).await?;

    // Staff see why and get a second quote, within the landlord's limit this time.
    app.sign_in_as_staff().await?;
    app.go_to("Work orders").await?;
    open_row(&app, &Reference::of(estimate)).await?;
    app.wait_for_text("[data-testid=estimate-declined]", |notice| notice.contains("Too dear: get a second quote"))
        .await?;
    app.wait_for_text("[data-testid=timeline]", |history| {
        history.contains("The landlord declined the estimate") && history.contains("Too dear: get a second quote")
    })
    .await?;
    app.save_screen("staff-estimate-declined").await?;
    take_step(&app, "RequestApproval", async |app| {
        Ok(app.wait_for("input[data-field^='estimate']").await?.send_keys("180").await?)
    })
    .await?;
    let mut note = String::new();
    for _ in 0..50 {
        note = history_note(&store, estimate, "RequestApproval").await?;
        if note.contains("£180.00") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(note.contains("Estimate £180.00 approved by staff"), "{note}");
    sign_out(&app).await?;

    let cancellable = WorkOrderId(cancellable);
    app.sign_in_as(UserId(tenant)).await?;
    let reference = Reference::of(cancellable);
    app.wait_for(&format!("[data-testid=requests] button[data-reference='{reference}']")).await?.click().await?;
    take_step(&app, "Cancel", async |app| {
        Ok(app.wait_for("textarea[data-field=note]").await?.send_keys("Fixed it myself").await?)
    })
    .await?;
    wait_for_state(&store, cancellable, State::Cancelled).await?;

    // A tenant's own list filters by status only; the desk's filters are not theirs.
    app.go_to("My requests").await?;
    app.wait_for("[data-testid=filter-state]").await?;
    assert!(app.find_all("[data-testid=filter-priority], [data-testid=filter-sla]").await?.is_empty());
    let detail_words = app.text("main").await?;
    assert!(!detail_words.contains("SLA"), "no agency jargon on a tenant's list: {detail_words}");
    app.finish().await
}

/// Staff attach the contractor's written quote, as they would from an e-mail.
async fn attach_quote(store: &Store, id: WorkOrderId) -> Result<()> {
    let folder = tempfile::tempdir()?;
    let quote = folder.path().join("quote-650.pdf");
    std::fs::write(&quote, b"%PDF-1.4\n% a quote for the tap\n%%EOF\n")?;
    let staff = users::first_staff(store).await?;
    attachments::attach(store, staff, chrono::Utc::now(), &store.files_dir(), id, AttachmentKind::Quote, &[quote])
        .await?;
    Ok(())
}
