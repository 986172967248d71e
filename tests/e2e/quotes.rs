//! Quotes from every desk involved: staff ask two contractors to price a tenant's
//! request; each prices it from their own dashboard; staff compare them side by side and
//! send the dearer one (above the landlord's limit) to the landlord, who approves it from
//! their desk; staff assign its contractor in one step, and the other contractor is told.
//! On this computer and through an agency server.

use crate::agency_server::{connect, email_of};
use crate::harness::{App, Launch};
use anyhow::{Context, Result};
use chrono::Utc;
use plumbline_domain::api::SubmitRequest;
use plumbline_domain::ids::TenancyId;
use plumbline_domain::{Actor, Reference, Severity, UserId};
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::Sql;
use plumbline_service::{Store, contractors, users, work_orders};
use plumbline_test_support::TestServer;

/// A tenant's new request at a property of a landlord with the default limits.
async fn new_request(store: &Store) -> Result<(Reference, UserId)> {
    let (tenancy, tenant, landlord, subcategory): (i64, i64, i64, i64) = Sql::new(
        "SELECT t.id, t.tenant_id, p.landlord_id, (SELECT min(id) FROM categories WHERE name = 'Leak')
         FROM tenancies t JOIN units n ON n.id = t.unit_id JOIN properties p ON p.id = n.property_id
         WHERE t.ended_on IS NULL ORDER BY t.id LIMIT 1",
    )
    .fetch_one(store)
    .await?;
    let request = SubmitRequest {
        tenancy: TenancyId(tenancy),
        subcategory: plumbline_domain::ids::CategoryId(subcategory),
        severity: Severity::Routine,
        description: "The pipe under the kitchen sink drips all day".into(),
        access: None,
    };
    let tenant = users::actor(store, UserId(tenant)).await?;
    let submitted = work_orders::submit(store, tenant, Utc::now(), &request).await?;
    Ok((submitted.reference, UserId(landlord)))
}

/// The two best-suggested contractors that may be assigned, as the form lists them.
async fn two_contractors(store: &Store, staff: Actor, reference: Reference) -> Result<[(UserId, String); 2]> {
    let suggested = contractors::suggest(store, staff, Utc::now(), reference.id()).await?;
    let mut free = suggested.into_iter().filter(|c| c.blocked.is_none()).map(|c| (c.id, c.company));
    Ok([free.next().context("a contractor")?, free.next().context("another contractor")?])
}

async fn sign_in_as(app: &App, store: &Store, user: UserId) -> Result<()> {
    if app.find_all("#sign-out").await?.len() == 1 {
        app.wait_for("#sign-out").await?.click().await?;
    }
    app.sign_in(&email_of(store, user).await?, DEMO_PASSWORD, false).await?;
    app.wait_for("[data-nav='Dashboard']").await?;
    Ok(())
}

async fn open_order(app: &App, reference: Reference) -> Result<()> {
    app.go_to("Work orders").await?;
    app.row(reference).await?.click().await?;
    app.wait_for(&format!("[data-testid=detail][data-reference='{reference}']")).await?;
    Ok(())
}

/// The contractor prices their request on their dashboard, line by line.
async fn price(
    app: &App,
    reference: Reference,
    lines: &[(&str, &str)],
    total: &str,
    screen: Option<&str>,
) -> Result<()> {
    let request = format!("#quote-requests [data-reference='{reference}']");
    app.wait_for(&format!("{request} .price-form")).await?;
    for (index, (item, amount)) in lines.iter().enumerate() {
        if index > 0 {
            app.wait_for(&format!("{request} .add-line")).await?.click().await?;
        }
        let row = format!("{request} tbody tr:nth-child({})", index + 1);
        app.set_value(&format!("{row} .line-description"), item).await?;
        app.set_value(&format!("{row} .line-amount"), amount).await?;
    }
    app.wait_for_text(&format!("{request} [data-testid=running-total]"), |t| t == format!("Total {total}")).await?;
    if let Some(screen) = screen {
        app.save_screen(screen).await?;
    }
    app.wait_for(&format!("{request} .send-quote")).await?.click().await?;
    app.wait_for_text(&format!("{request} [data-testid=quote-status]"), |t| t == "Quoted").await?;
    Ok(())
}

async fn quotes_and_approval(app: &App, store: &Store, screens: &str) -> Result<()> {
    let staff = users::first_staff(store).await?;
    let (reference, landlord) = new_request(store).await?;
    let [(cheaper, cheaper_company), (dearer, dearer_company)] = two_contractors(store, staff, reference).await?;

    // Staff ask both, saying what to price.
    sign_in_as(app, store, staff.user_id).await?;
    open_order(app, reference).await?;
    app.wait_for("#ask-for-quotes").await?.click().await?;
    app.wait_for("#send-quote-requests").await?.click().await?;
    app.wait_for_text("#contractor-error", |t| t.starts_with("Choose at least one contractor")).await?;
    for company in [&cheaper_company, &dearer_company] {
        app.wait_for(&format!(".contractor-checks [data-contractor='{company}'] input")).await?.click().await?;
    }
    app.set_value("#quote-note", "Replace the trap and the pipe run, not a patch").await?;
    app.wait_for("#send-quote-requests").await?.click().await?;
    app.wait_for_text("#quotes .quote-compare", |t| t.matches("Waiting for the quote").count() == 2).await?;

    // Each prices it from their own desk: £380.00 and £720.00 (the limit is £500.00).
    sign_in_as(app, store, cheaper).await?;
    let asked = app.wait_for_text("#quote-requests", |t| t.contains(&reference.to_string())).await?;
    assert!(asked.contains("drips all day") && asked.contains("not a patch"), "the job and the ask: {asked}");
    let form = format!("quote-form{screens}");
    let lines = [("New trap and waste", "140"), ("Labour, 4 hours", "240")];
    price(app, reference, &lines, "£380.00", Some(&form)).await?;
    app.save_screen(&format!("quote-priced{screens}")).await?;
    sign_in_as(app, store, dearer).await?;
    price(app, reference, &[("Replace the pipe run in copper", "720.00")], "£720.00", None).await?;

    // Staff compare them side by side; the dearer one is above the landlord's limit.
    sign_in_as(app, store, staff.user_id).await?;
    open_order(app, reference).await?;
    let dearer_column = format!("#quotes [data-quote='{dearer_company}']");
    app.wait_for_text(&format!("{dearer_column} [data-testid=quote-total]"), |t| t == "£720.00").await?;
    let cheaper_column = format!("#quotes [data-quote='{cheaper_company}']");
    let cheap = app.wait_for_text(&cheaper_column, |t| t.contains("£380.00")).await?;
    assert!(cheap.contains("Lowest") && cheap.contains("Approve"), "{cheap}");
    app.save_screen(&format!("quotes-compared{screens}")).await?;
    let send = format!("{dearer_column} .approve-quote");
    app.wait_for_text(&send, |t| t == "Send to landlord").await?;
    app.wait_for(&send).await?.click().await?;
    app.wait_for_text(&format!("{dearer_column} [data-testid=quote-status]"), |t| t == "With the landlord").await?;

    // The landlord approves it from their desk.
    sign_in_as(app, store, landlord).await?;
    open_order(app, reference).await?;
    let deciding = app.wait_for_text("[data-testid=decision-contractor]", |t| t.contains(&dearer_company)).await?;
    assert!(deciding.contains("compared with the others"), "{deciding}");
    app.wait_for_text(&format!("{dearer_column} .approve-quote"), |t| t == "Approve this quote").await?;
    app.save_screen(&format!("quotes-landlord{screens}")).await?;
    app.wait_for(&format!("{dearer_column} .approve-quote")).await?.click().await?;
    app.wait_for_text(&format!("{dearer_column} [data-testid=quote-status]"), |t| t == "Approved").await?;
    app.wait_for_text(&format!("{cheaper_column} [data-testid=quote-status]"), |t| t == "Not chosen").await?;

    // Staff assign the approved contractor in one step.
    sign_in_as(app, store, staff.user_id).await?;
    open_order(app, reference).await?;
    let assign = format!("{dearer_column} .assign-quoted");
    app.wait_for_text(&assign, |t| t == format!("Assign {dearer_company}")).await?;
    app.wait_for(&assign).await?.click().await?;
    app.wait_for_text("[data-testid=detail] .badges", |t| t.contains("Assigned")).await?;
    let contractor: (Option<i64>,) =
        Sql::new("SELECT contractor_id FROM work_orders WHERE id = ?").bind(reference.id().0).fetch_one(store).await?;
    assert_eq!(contractor.0, Some(dearer.0));

    // The other contractor is told, on their bell and their request.
    sign_in_as(app, store, cheaper).await?;
    let request = format!("#quote-requests [data-reference='{reference}']");
    let told = app.wait_for_text(&request, |t| t.contains("Not chosen")).await?;
    assert!(told.contains("another quote"), "{told}");
    app.wait_for("[data-testid=bell]").await?.click().await?;
    app.wait_for_text(".bell-panel", |t| t.contains(&format!("Quote not chosen · {reference}"))).await?;
    Ok(())
}

#[tokio::test]
async fn on_this_computer_two_contractors_quote_and_the_landlord_approves_the_dearer() -> Result<()> {
    let app = App::launch("quotes").await?;
    quotes_and_approval(&app, &app.store().await?, "").await?;
    app.finish().await
}

#[tokio::test]
async fn on_an_agency_server_two_contractors_quote_and_the_landlord_approves_the_dearer() -> Result<()> {
    let served = TestServer::demo().await;
    let app = App::start("quotes-server", Launch { real_store: true, ..Launch::default() }).await?;
    connect(&app, &served).await?;
    quotes_and_approval(&app, served.store(), "-server").await?;
    app.finish().await
}
