//! Quotes: staff ask two contractors, each prices the job from their own desk, and one
//! quote becomes the order's approved cost — by staff within the landlord's limit, by
//! the landlord above it — while the other contractor is told. Bad input stores nothing.

use crate::fixtures::{Cast, act, cast, pence, submit_routine, table_counts};
use crate::support::{demo_store, now};
use plumbline_domain::api::{AskForQuotes, Field, NotificationItem, OrderQuotes, QuoteSubmission, Step};
use plumbline_domain::ids::QuoteId;
use plumbline_domain::quote::{QuoteLine, QuoteStatus};
use plumbline_domain::{Actor, MoneyMinor, State, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, notifications, quotes};

fn line(description: &str, amount: MoneyMinor) -> QuoteLine {
    QuoteLine { description: description.to_owned(), amount_minor: amount }
}

async fn ask_both(store: &Store, cast: &Cast, order: WorkOrderId) -> OrderQuotes {
    let request = AskForQuotes {
        order,
        contractors: vec![cast.contractor.user_id, cast.other_contractor.user_id],
        note: "Price a full replacement, not a repair".into(),
    };
    quotes::ask(store, cast.staff, now(), &request).await.expect("ask")
}

/// The quote `contractor` was asked for on `order`.
async fn request_of(store: &Store, contractor: Actor, order: WorkOrderId) -> QuoteId {
    let requests = quotes::requests(store, contractor).await.expect("requests");
    requests.iter().find(|request| request.order == order).expect("asked").quote.id
}

async fn price(store: &Store, contractor: Actor, order: WorkOrderId, lines: Vec<QuoteLine>) -> QuoteId {
    let quote = request_of(store, contractor, order).await;
    let submission = QuoteSubmission { quote, lines, note: "Two days' work".into() };
    quotes::submit(store, contractor, now(), &submission).await.expect("submit");
    quote
}

fn titled(items: &[NotificationItem], text: &str) -> usize {
    items.iter().filter(|item| item.title.contains(text)).count()
}

async fn bell(store: &Store, actor: Actor) -> Vec<NotificationItem> {
    notifications::list(store, actor).await.expect("notifications").items
}

async fn order_money(store: &Store, order: WorkOrderId) -> (String, Option<i64>, Option<i64>) {
    Sql::new("SELECT state, estimate_minor, approved_minor FROM work_orders WHERE id = ?")
        .bind(order.0)
        .fetch_one(store)
        .await
        .unwrap()
}

fn status_of(compared: &OrderQuotes, quote: QuoteId) -> QuoteStatus {
    compared.quotes.iter().find(|q| q.id == quote).expect("compared").status
}

fn refused_on(result: Result<impl std::fmt::Debug, ServiceError>, field: Field, words: &str) {
    match result {
        Err(ServiceError::Validation { field: got, message }) => {
            assert_eq!(got, field, "{message}");
            assert!(message.contains(words), "{message:?} should say {words:?}");
        }
        other => panic!("expected a refusal on {field:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn two_contractors_quote_and_the_landlord_approves_the_higher_one_above_their_limit() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let order = submit_routine(&test.store, &cast).await;
    let asked = ask_both(&test.store, &cast, order).await;
    assert_eq!(asked.quotes.len(), 2);
    assert!(asked.quotes.iter().all(|quote| quote.status == QuoteStatus::Requested));
    for contractor in [cast.contractor, cast.other_contractor] {
        assert_eq!(titled(&bell(&test.store, contractor).await, "Quote requested · PL-"), 1);
        let requests = quotes::requests(&test.store, contractor).await.unwrap();
        let request = requests.iter().find(|r| r.order == order).expect("their request");
        assert_eq!(request.description, "Shower drains slowly", "they read the tenant's words");
        assert_eq!(request.asked, "Price a full replacement, not a repair");
    }

    // One prices under the landlord's limit, the other above it.
    let limit = asked.approval_above.minor_units();
    let (low_total, high_total) = (limit - 10_000, limit + 12_000);
    let low = price(
        &test.store,
        cast.contractor,
        order,
        vec![line("Parts", pence(low_total - 6_000)), line("Labour", pence(6_000))],
    )
    .await;
    let high =
        price(&test.store, cast.other_contractor, order, vec![line("Replace the stack", pence(high_total))]).await;
    assert_eq!(titled(&bell(&test.store, cast.staff).await, "Quote received · PL-"), 2);
    let compared = quotes::for_order(&test.store, cast.staff, order).await.unwrap();
    let total_of = |quote| compared.quotes.iter().find(|q| q.id == quote).unwrap().total_minor.minor_units();
    assert_eq!((total_of(low), total_of(high)), (low_total, high_total), "each totals its lines");
    let needs_landlord = |quote| compared.quotes.iter().find(|q| q.id == quote).unwrap().needs_landlord;
    assert!(!needs_landlord(low) && needs_landlord(high));

    // The landlord decides only once staff send it; staff then wait for them.
    refused_on(quotes::approve(&test.store, cast.landlord, now(), high).await, Field::Quote, "not sent");
    let sent = quotes::approve(&test.store, cast.staff, now(), high).await.unwrap();
    assert_eq!(status_of(&sent, high), QuoteStatus::Proposed);
    assert_eq!(order_money(&test.store, order).await, ("AwaitingApproval".into(), Some(high_total), None));
    refused_on(quotes::approve(&test.store, cast.staff, now(), low).await, Field::Quote, "landlord is deciding");

    let landlords_view = quotes::for_order(&test.store, cast.landlord, order).await.unwrap();
    assert!(landlords_view.may_approve && landlords_view.quotes.len() == 2, "the landlord compares both");
    let approved = quotes::approve(&test.store, cast.landlord, now(), high).await.unwrap();
    assert_eq!(status_of(&approved, high), QuoteStatus::Approved);
    assert_eq!(status_of(&approved, low), QuoteStatus::NotChosen);
    assert_eq!(order_money(&test.store, order).await, ("New".into(), Some(high_total), Some(high_total)));
    assert_eq!(titled(&bell(&test.store, cast.contractor).await, "Quote not chosen · PL-"), 1, "the other is told");
    assert_eq!(titled(&bell(&test.store, cast.other_contractor).await, "Quote not chosen"), 0);

    // The approved contractor is assigned in one step; the other can no longer change theirs.
    let assign = Step::Assign { contractor: cast.other_contractor.user_id };
    assert_eq!(act(&test.store, cast.staff, order, assign).await.unwrap().state, State::Assigned);
    let again = QuoteSubmission { quote: low, lines: vec![line("Cheaper now", pence(100))], note: String::new() };
    refused_on(quotes::submit(&test.store, cast.contractor, now(), &again).await, Field::Quote, "already been decided");
}

#[tokio::test]
async fn staff_approve_a_quote_within_the_limit_and_the_unanswered_request_is_closed() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let order = submit_routine(&test.store, &cast).await;
    let asked = ask_both(&test.store, &cast, order).await;
    let total = asked.approval_above.minor_units() - 5_000;
    let quote = price(&test.store, cast.contractor, order, vec![line("Clear the drain", pence(total))]).await;

    let approved = quotes::approve(&test.store, cast.staff, now(), quote).await.unwrap();
    assert_eq!(status_of(&approved, quote), QuoteStatus::Approved);
    assert!(approved.quotes.iter().all(|q| q.id == quote || q.status == QuoteStatus::NotChosen));
    assert_eq!(order_money(&test.store, order).await, ("New".into(), Some(total), Some(total)));
    let (note,): (String,) = Sql::new("SELECT note FROM work_order_events WHERE work_order_id = ? ORDER BY id DESC")
        .bind(order.0)
        .fetch_one(&test.store)
        .await
        .unwrap();
    assert!(note.contains("approved by staff") && note.contains(". Quote from "), "{note}");
    assert_eq!(
        titled(&bell(&test.store, cast.other_contractor).await, "Quote not chosen"),
        1,
        "never priced, still told"
    );
}

#[tokio::test]
async fn a_cancelled_order_closes_its_open_quotes_and_a_declined_one_stays_declined() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let order = submit_routine(&test.store, &cast).await;
    ask_both(&test.store, &cast, order).await;
    let declined = request_of(&test.store, cast.contractor, order).await;
    refused_on(quotes::decline(&test.store, cast.contractor, now(), declined, " ").await, Field::Reason, "reason");
    let answered =
        quotes::decline(&test.store, cast.contractor, now(), declined, "No drainage team free").await.unwrap();
    assert_eq!(answered.quote.status, QuoteStatus::Declined);
    assert_eq!(titled(&bell(&test.store, cast.staff).await, "Quote declined · PL-"), 1);

    act(&test.store, cast.staff, order, Step::Cancel { reason: "Tenant fixed it".into() }).await.unwrap();
    let compared = quotes::for_order(&test.store, cast.staff, order).await.unwrap();
    assert_eq!(status_of(&compared, declined), QuoteStatus::Declined);
    assert!(compared.quotes.iter().any(|q| q.status == QuoteStatus::NotChosen), "the open request is closed");
    assert!(!compared.may_ask && !compared.may_approve);
}

#[tokio::test]
async fn bad_quotes_are_refused_by_field_and_store_nothing_and_only_the_parties_see_them() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let order = submit_routine(&test.store, &cast).await;
    let ask = |contractors| AskForQuotes { order, contractors, note: String::new() };
    let before = table_counts(&test.store).await;
    refused_on(quotes::ask(&test.store, cast.staff, now(), &ask(vec![])).await, Field::Contractor, "at least one");
    assert!(matches!(
        quotes::ask(&test.store, cast.landlord, now(), &ask(vec![cast.contractor.user_id])).await,
        Err(ServiceError::NotAllowed(_))
    ));
    assert_eq!(table_counts(&test.store).await, before);

    ask_both(&test.store, &cast, order).await;
    let twice = ask(vec![cast.contractor.user_id]);
    refused_on(quotes::ask(&test.store, cast.staff, now(), &twice).await, Field::Contractor, "already asked");
    let quote = request_of(&test.store, cast.contractor, order).await;
    let before = table_counts(&test.store).await;
    let submit = |lines| QuoteSubmission { quote, lines, note: String::new() };
    for (lines, words) in [
        (vec![], "at least one line"),
        (vec![line("Parts", MoneyMinor::ZERO)], "line 1 needs an amount"),
        (vec![line(" ", pence(100))], "line 1 needs a description"),
        (vec![line("Gold taps", pence(900_000_000))], "at most"),
    ] {
        refused_on(quotes::submit(&test.store, cast.contractor, now(), &submit(lines)).await, Field::Lines, words);
    }
    let priced = submit(vec![line("Parts", pence(100))]);
    let theirs = quotes::submit(&test.store, cast.other_contractor, now(), &priced).await;
    assert!(matches!(theirs, Err(ServiceError::NotFound { .. })), "not another contractor's quote");
    assert_eq!(table_counts(&test.store).await, before, "nothing stored");

    assert!(matches!(quotes::for_order(&test.store, cast.tenant, order).await, Err(ServiceError::NotAllowed(_))));
    assert!(matches!(quotes::for_order(&test.store, cast.contractor, order).await, Err(ServiceError::NotAllowed(_))));
    assert!(matches!(
        quotes::for_order(&test.store, cast.other_landlord, order).await,
        Err(ServiceError::NotFound { .. })
    ));
    assert!(matches!(quotes::requests(&test.store, cast.landlord).await, Err(ServiceError::NotAllowed(_))));
}

#[tokio::test]
async fn the_demo_agency_has_quotes_for_each_desk_to_see() {
    let test = demo_store().await;
    let accounts = plumbline_service::accounts::demo_accounts(&test.store).await.unwrap();
    let contractor = accounts.iter().find(|a| a.role == plumbline_domain::Role::Contractor).expect("a demo contractor");
    let (id,): (i64,) =
        Sql::new("SELECT id FROM users WHERE email = ?").bind(&contractor.email).fetch_one(&test.store).await.unwrap();
    let actor = Actor { user_id: plumbline_domain::UserId(id), role: plumbline_domain::Role::Contractor };
    let requests = quotes::requests(&test.store, actor).await.unwrap();
    assert!(requests.iter().any(|r| r.quote.status == QuoteStatus::Requested), "one to price: {requests:?}");

    let staff = cast(&test.store).await.staff;
    let (order,): (i64,) = Sql::new("SELECT max(work_order_id) FROM quotes WHERE status = 'Submitted'")
        .fetch_one(&test.store)
        .await
        .unwrap();
    let compared = quotes::for_order(&test.store, staff, WorkOrderId(order)).await.unwrap();
    assert!(compared.may_approve && !compared.quotes.is_empty());
    let (orders,): (i64,) =
        Sql::new("SELECT count(DISTINCT work_order_id) FROM quotes").fetch_one(&test.store).await.unwrap();
    assert_eq!(orders, 2);
    let needs_landlord: Vec<bool> = {
        let (second,): (i64,) = Sql::new("SELECT min(work_order_id) FROM quotes").fetch_one(&test.store).await.unwrap();
        let compared = quotes::for_order(&test.store, staff, WorkOrderId(second)).await.unwrap();
        compared.quotes.iter().map(|q| q.needs_landlord).collect()
    };
    assert!(needs_landlord.contains(&true) && needs_landlord.contains(&false), "{needs_landlord:?}");
}
