//! Search (#19): every typed word as a word's start, a misspelt one read as the nearest
//! indexed word, what each party may see decided in the query, and the index written in
//! the same transaction as what it indexes.

use crate::fixtures::{Cast, cast, ids_matching, order_in, subcategory};
use crate::support::{demo_store, now};
use plumbline_domain::api::{
    Correction, Field, ListWorkOrders, PostMessage, Search, SearchResults, SubmitRequest, WorkOrderFilter,
};
use plumbline_domain::search::MAX_SEARCH_CHARS;
use plumbline_domain::{Actor, Severity, State, WorkOrderId};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, messages, search, work_orders};

async fn find(store: &Store, actor: Actor, text: &str) -> SearchResults {
    search::search(store, actor, &Search { text: text.into(), limit: 10 }).await.expect(text)
}

fn order_ids(results: &SearchResults) -> Vec<WorkOrderId> {
    results.orders.iter().map(|hit| hit.id).collect()
}

/// A request for the cast's tenancy with `description`.
async fn request(store: &Store, cast: &Cast, description: &str) -> WorkOrderId {
    let request = SubmitRequest {
        tenancy: cast.tenancy,
        subcategory: subcategory(store, "Blocked drain").await,
        severity: Severity::Routine,
        description: description.into(),
        access: None,
    };
    work_orders::submit(store, cast.tenant, now(), &request).await.expect("submit").id
}

async fn text(store: &Store, sql: &str, id: i64) -> String {
    Sql::new(sql).bind(id).fetch_one::<(String,)>(store).await.expect(sql).0
}

/// The tenant's surname and the first word of the street the cast's tenancy is on.
async fn tenant_and_street(store: &Store, cast: &Cast) -> (String, String) {
    let name = text(store, "SELECT name FROM users WHERE id = ?", cast.tenant.user_id.0).await;
    let street = text(
        store,
        "SELECT p.street FROM tenancies t JOIN units u ON u.id = t.unit_id JOIN properties p ON p.id = u.property_id
         WHERE t.id = ?",
        cast.tenancy.0,
    )
    .await;
    let surname = name.split_whitespace().last().expect("a name").to_owned();
    let street_word =
        street.split_whitespace().find(|w| w.chars().all(char::is_alphabetic)).expect("a word").to_owned();
    (surname, street_word)
}

fn start(word: &str, chars: usize) -> String {
    word.chars().take(chars).collect()
}

#[tokio::test]
async fn the_starts_of_words_find_an_order_by_its_tenant_street_and_issue() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = request(store, &cast, "Water pooling under the washing machine").await;
    let (surname, street) = tenant_and_street(store, &cast).await;
    let typed = format!("{} {} wash", start(&surname, 4), start(&street, 3));
    let found = find(store, cast.staff, &typed).await;
    assert_eq!(found.orders.first().map(|hit| hit.id), Some(id), "newest first: {found:#?}");
    let hit = &found.orders[0];
    assert_eq!((hit.state, hit.issue.as_str()), (State::New, "Plumbing / Blocked drain"));
    assert_eq!(hit.excerpt.as_deref(), Some("Water pooling under the washing machine"));
    assert!(found.corrected.is_empty());
    // The reference as people say it, with or without its prefix and zeros.
    for typed in [id.0.to_string(), format!("PL-{:06}", id.0)] {
        assert!(order_ids(&find(store, cast.staff, &typed).await).contains(&id), "{typed}");
    }
    // Every word must match: one more that matches nothing finds nothing.
    assert!(find(store, cast.staff, &format!("{typed} 987654321")).await.orders.is_empty());
}

/// "PL", what every reference starts with, finds what each party may see, newest first,
/// as if nothing were typed; with a number after it, the order with that reference
/// however many newer ones there are.
#[tokio::test]
async fn the_references_letters_find_every_order_newest_first_and_a_number_the_one_meant() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let oldest = request(store, &cast, "Cracked tile by the back door").await;
    let newest = request(store, &cast, "Dripping tap in the utility room").await;
    for party in [cast.staff, cast.landlord, cast.tenant] {
        let everything = ids_matching(store, party, WorkOrderFilter::default()).await;
        let newest_five: Vec<i64> = everything.iter().rev().take(5).copied().collect();
        for typed in ["pl", "PL-", "PL-0"] {
            let found = search::search(store, party, &Search { text: typed.into(), limit: 5 }).await.unwrap();
            let found: Vec<i64> = order_ids(&found).iter().map(|id| id.0).collect();
            assert_eq!(found, newest_five, "{party:?} typing {typed}");
            let filter = WorkOrderFilter { text: Some(typed.into()), ..WorkOrderFilter::default() };
            assert_eq!(ids_matching(store, party, filter).await, everything, "{party:?}'s list for {typed}");
        }
    }
    assert_eq!(order_ids(&find(store, cast.staff, "pl").await)[0], newest);
    let typed = format!("PL-{:06}", oldest.0);
    assert_eq!(order_ids(&find(store, cast.staff, &typed).await), [oldest], "{typed}");
    assert!(find(store, cast.other_landlord, &typed).await.orders.is_empty(), "not another landlord's");
}

#[tokio::test]
async fn a_misspelt_word_is_read_as_the_nearest_indexed_one() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = request(store, &cast, "Condensation behind the wardrobe").await;
    let found = find(store, cast.staff, "condensaton wardobe").await;
    assert_eq!(order_ids(&found).first(), Some(&id), "{found:#?}");
    assert_eq!(
        found.corrected,
        [
            Correction { typed: "condensaton".into(), read_as: "condensation".into() },
            Correction { typed: "wardobe".into(), read_as: "wardrobe".into() },
        ]
    );
    assert_eq!(found.words, ["condensation", "wardrobe"]);
    // Two letters swapped in a name being typed.
    let (surname, _) = tenant_and_street(store, &cast).await;
    let mut letters: Vec<char> = surname.to_lowercase().chars().collect();
    letters.swap(1, 2);
    let slipped: String = letters.into_iter().collect();
    let found = find(store, cast.staff, &format!("{slipped} wardrobe")).await;
    assert_eq!(order_ids(&found).first(), Some(&id), "{slipped}: {found:#?}");
}

#[tokio::test]
async fn internal_notes_are_searched_for_the_agency_only() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::InProgress).await;
    let note = PostMessage { id, body: "Landlord disputes the quinquennial survey".into(), internal: true };
    messages::post(store, cast.staff, now(), &note).await.unwrap();
    let said = PostMessage { id, body: "The plumber brings a periscope camera".into(), internal: false };
    messages::post(store, cast.tenant, now(), &said).await.unwrap();

    let agency = find(store, cast.staff, "quinquennial").await;
    assert_eq!(order_ids(&agency), [id]);
    assert_eq!(agency.orders[0].excerpt.as_deref(), Some("Landlord disputes the quinquennial survey"));
    for party in [cast.landlord, cast.contractor, cast.tenant] {
        let found = find(store, party, "quinquennial").await;
        assert!(found.is_empty(), "{party:?} found an internal note: {found:#?}");
        // Nor is a misspelling read as a word only an internal note holds.
        assert!(find(store, party, "quinquenial").await.corrected.is_empty());
        let found = find(store, party, "periscope").await;
        assert_eq!(order_ids(&found), [id], "{party:?}");
        assert_eq!(found.orders[0].excerpt.as_deref(), Some("The plumber brings a periscope camera"));
    }
}

#[tokio::test]
async fn a_retracted_message_is_found_by_the_agency_alone_from_then_on() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::InProgress).await;
    let said = PostMessage { id, body: "Sorry, wrong flat: the xylophone is next door".into(), internal: false };
    let message = messages::post(store, cast.tenant, now(), &said).await.unwrap();
    assert_eq!(order_ids(&find(store, cast.landlord, "xylophone").await), [id]);
    messages::retract(store, cast.tenant, now(), message.id).await.unwrap();
    assert!(find(store, cast.landlord, "xylophone").await.is_empty());
    assert!(find(store, cast.tenant, "xylophone").await.is_empty());
    assert_eq!(order_ids(&find(store, cast.staff, "xylophone").await), [id]);
}

#[tokio::test]
async fn each_party_finds_only_what_is_theirs() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let others = cast.others();
    let theirs = request(store, &others, "Rattling sash window in the bay").await;
    let (_, their_street) = tenant_and_street(store, &others).await;
    for outsider in [cast.landlord, cast.tenant, cast.contractor] {
        let found = find(store, outsider, "rattling sash").await;
        assert!(found.orders.is_empty(), "{outsider:?}: {found:#?}");
    }
    assert_eq!(order_ids(&find(store, others.landlord, "rattling sash").await), [theirs]);
    assert_eq!(order_ids(&find(store, others.tenant, "rattling sash").await), [theirs]);

    // Properties: the agency's all, a landlord's own; people: the agency's only.
    let landlords_street = find(store, cast.landlord, &their_street).await;
    assert!(landlords_street.properties.is_empty(), "{landlords_street:#?}");
    assert!(!find(store, others.landlord, &their_street).await.properties.is_empty());
    assert!(!find(store, cast.staff, &their_street).await.properties.is_empty());
    let (surname, _) = tenant_and_street(store, &cast).await;
    assert!(find(store, cast.staff, &surname).await.people.iter().any(|p| p.id == cast.tenant.user_id));
    for party in [cast.landlord, cast.tenant, cast.contractor] {
        assert!(find(store, party, &surname).await.people.is_empty(), "{party:?}");
    }
}

#[tokio::test]
async fn the_list_and_its_count_find_by_the_same_words() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = request(store, &cast, "Woodworm in the loft hatch").await;
    let filter = |text: &str| WorkOrderFilter { text: Some(text.into()), ..WorkOrderFilter::default() };
    assert_eq!(ids_matching(store, cast.staff, filter("woodwo hatc")).await, [id.0].into());
    assert_eq!(ids_matching(store, cast.staff, filter("wodworm")).await, [id.0].into(), "misspelt");
    assert_eq!(work_orders::count(store, cast.staff, now(), &filter("woodworm")).await.unwrap(), 1);
    assert!(ids_matching(store, cast.other_landlord, filter("woodworm")).await.is_empty());
    // The page says how a slip was read; a page with nothing on it does not.
    let page = |actor, text: &str| {
        let request = ListWorkOrders { filter: filter(text), sort: Default::default(), after: None, limit: 10 };
        async move { work_orders::list(store, actor, now(), &request).await.unwrap() }
    };
    let read = page(cast.staff, "wodworm").await.corrected;
    assert_eq!(read, [Correction { typed: "wodworm".into(), read_as: "woodworm".into() }]);
    assert!(page(cast.staff, "woodworm").await.corrected.is_empty(), "nothing misspelt, nothing said");
    assert!(page(cast.other_landlord, "wodworm").await.corrected.is_empty(), "not another landlord's word");
    // With another filter: both apply.
    let new_only = WorkOrderFilter { states: vec![State::Closed], ..filter("woodworm") };
    assert!(ids_matching(store, cast.staff, new_only).await.is_empty());
}

#[tokio::test]
async fn a_search_too_long_is_refused_naming_its_field() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let long = "a".repeat(MAX_SEARCH_CHARS + 1);
    let refused = search::search(store, cast.staff, &Search { text: long.clone(), limit: 10 }).await;
    assert!(matches!(refused, Err(ServiceError::Validation { field: Field::Query, .. })), "{refused:?}");
    let filter = WorkOrderFilter { text: Some(long), ..WorkOrderFilter::default() };
    let refused = work_orders::count(store, cast.staff, now(), &filter).await;
    assert!(matches!(refused, Err(ServiceError::Validation { field: Field::Query, .. })), "{refused:?}");
    assert!(find(store, cast.staff, "  -- ").await.is_empty());
}
