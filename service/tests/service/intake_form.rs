//! What the intake form reads: the tenancy type-ahead and the category options.

use crate::fixtures::cast;
use crate::support::{demo_store, now};
use plumbline_domain::Priority;
use plumbline_domain::api::Field;
use plumbline_domain::ids::TenancyId;
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, categories, tenancies};

/// The tenant's name, the street and the stored gate code of a tenancy.
async fn facts(store: &Store, tenancy: TenancyId) -> (String, String, Option<String>) {
    Sql::new(
        "SELECT u.name, p.street, t.gate_code FROM tenancies t JOIN users u ON u.id = t.tenant_id
         JOIN units n ON n.id = t.unit_id JOIN properties p ON p.id = n.property_id WHERE t.id = ?",
    )
    .bind(tenancy.0)
    .fetch_one(store)
    .await
    .unwrap()
}

async fn end_tenancy(store: &Store, tenancy: TenancyId, on: &str) {
    Sql::new("UPDATE tenancies SET ended_on = ? WHERE id = ?").bind(on).bind(tenancy.0).execute(store).await.unwrap();
}

#[tokio::test]
async fn staff_find_a_tenancy_by_part_of_the_tenants_name_or_by_street() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let (tenant, street, gate_code) = facts(&test.store, cast.tenancy).await;
    let surname = tenant.split_whitespace().last().unwrap().to_lowercase();
    let found = tenancies::search(&test.store, cast.staff, now(), &surname[..4], 50).await.unwrap();
    let hit = found.iter().find(|c| c.id == cast.tenancy).expect("found by part of the surname, in lower case");
    assert_eq!(hit.tenant, tenant);
    assert!(hit.address.starts_with(&street), "{}", hit.address);
    assert_eq!(hit.access.gate_code, gate_code, "staff see the codes");
    assert!(found.iter().all(|c| c.tenant.to_lowercase().contains(&surname[..4])
        || c.address.to_lowercase().contains(&surname[..4])
        || c.unit.to_lowercase().contains(&surname[..4])));

    let by_street = tenancies::search(&test.store, cast.staff, now(), &street.to_uppercase(), 50).await.unwrap();
    assert!(by_street.iter().any(|c| c.id == cast.tenancy));
    // Each word narrows: the name and the street together.
    let both = format!("{} {}", &surname[..4], street.split_whitespace().nth(1).unwrap());
    let narrowed = tenancies::search(&test.store, cast.staff, now(), &both, 50).await.unwrap();
    assert!(narrowed.iter().any(|c| c.id == cast.tenancy));
    assert!(narrowed.len() <= found.len());
}

#[tokio::test]
async fn an_ended_tenancy_is_not_offered() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let (tenant, _, _) = facts(&test.store, cast.tenancy).await;
    let offered = |on: &'static str| {
        let (store, tenant) = (test.store.clone(), tenant.clone());
        async move {
            end_tenancy(&store, cast.tenancy, on).await;
            let found = tenancies::search(&store, cast.staff, now(), &tenant, 50).await.unwrap();
            found.iter().any(|c| c.id == cast.tenancy)
        }
    };
    assert!(!offered("2026-11-22").await, "ended yesterday");
    assert!(offered("2026-11-23").await, "still current on its last day");
    assert!(offered("2027-03-31").await, "ends in the future");
}

#[tokio::test]
async fn an_empty_query_lists_the_first_tenancies_by_tenant_name() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let first = tenancies::search(&test.store, cast.staff, now(), "  ", 8).await.unwrap();
    assert_eq!(first.len(), 8);
    let (smallest,): (String,) = Sql::new("SELECT min(u.name) FROM tenancies t JOIN users u ON u.id = t.tenant_id")
        .fetch_one(&test.store)
        .await
        .unwrap();
    assert_eq!(first[0].tenant, smallest);
    assert!(first.windows(2).all(|w| w[0].tenant <= w[1].tenant));
}

#[tokio::test]
async fn landlords_and_contractors_cannot_search_and_a_tenant_finds_only_their_own() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    for outsider in [cast.landlord, cast.contractor] {
        let err = tenancies::search(&test.store, outsider, now(), "", 8).await.unwrap_err();
        assert!(matches!(err, ServiceError::NotAllowed(_)), "{outsider:?}: {err:?}");
    }
    let own = tenancies::search(&test.store, cast.tenant, now(), "", 50).await.unwrap();
    assert_eq!(own.iter().map(|c| c.id).collect::<Vec<_>>(), vec![cast.tenancy]);
}

#[tokio::test]
async fn an_over_long_query_or_a_bad_limit_is_refused_with_its_field() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    let long = "a".repeat(tenancies::MAX_QUERY_CHARS + 1);
    for (query, limit, field) in
        [(long.as_str(), 8, Field::Query), ("smith", 0, Field::Limit), ("smith", 51, Field::Limit)]
    {
        match tenancies::search(&test.store, cast.staff, now(), query, limit).await {
            Err(ServiceError::Validation { field: got, .. }) => assert_eq!(got, field),
            other => panic!("expected a validation error on {field:?}, got {other:?}"),
        }
    }
    // A typed wildcard is a literal character, so it matches no name.
    assert!(tenancies::search(&test.store, cast.staff, now(), "%", 8).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_options_list_each_categorys_subcategories_with_tips_and_default_priority() {
    let test = demo_store().await;
    let options = categories::intake_options(&test.store).await.unwrap();
    let names: Vec<&str> = options.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(&names[..3], ["Plumbing", "Electrical", "HVAC / Heating"], "the agency's order");
    let plumbing = &options[0];
    let leak = plumbing.subcategories.iter().find(|s| s.name == "Leak").expect("Leak under Plumbing");
    assert_eq!(leak.default_priority, Priority::Urgent);
    assert!(leak.tips.contains("stopcock"), "{}", leak.tips);
    assert!(options.iter().flat_map(|c| &c.subcategories).all(|s| !s.tips.is_empty()));
}
