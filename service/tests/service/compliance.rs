//! Compliance certificates on a fixed clock: a gas safety certificate running out sends
//! its 30- and 7-day reminders once each, to staff and the landlord, and raises one
//! renewal order; a newer certificate ends the old one's reminders; landlords see only
//! their own properties'; bad input stores nothing.

use crate::fixtures::{cast, table_counts};
use crate::support::{demo_store, now};
use chrono::{Duration, NaiveDate};
use plumbline_domain::api::{CertificateInput, Field, ListCertificates};
use plumbline_domain::contractor::DocumentStatus;
use plumbline_domain::ids::{PropertyId, TenancyId};
use plumbline_domain::{Priority, State};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, compliance, notifications, work_orders};

async fn property_of(store: &Store, tenancy: TenancyId) -> PropertyId {
    let (property,): (i64,) =
        Sql::new("SELECT u.property_id FROM tenancies t JOIN units u ON u.id = t.unit_id WHERE t.id = ?")
            .bind(tenancy.0)
            .fetch_one(store)
            .await
            .unwrap();
    PropertyId(property)
}

/// The demo's own certificates are set aside, so each test counts only what it records.
async fn without_demo_certificates(store: &Store) {
    Sql::new("DELETE FROM certificates").execute(store).await.unwrap();
}

async fn renewals(store: &Store) -> i64 {
    Sql::new("SELECT count(*) FROM certificates WHERE renewal_order_id IS NOT NULL")
        .fetch_one::<(i64,)>(store)
        .await
        .unwrap()
        .0
}

fn titled(items: &[plumbline_domain::api::NotificationItem], text: &str) -> usize {
    items.iter().filter(|n| n.title.contains(text)).count()
}

#[tokio::test]
async fn a_gas_certificate_is_reminded_of_at_30_and_7_days_once_each_and_renewed_once() {
    let test = demo_store().await;
    without_demo_certificates(&test.store).await;
    let cast = cast(&test.store).await;
    let property = property_of(&test.store, cast.tenancy).await;
    let today = now().date_naive();
    // Issued 11 months and a day ago: runs out in 40 days.
    let issued = today - Duration::days(325);
    let input = CertificateInput { property, kind: "gas safety".into(), issued_on: issued, expires_on: None };
    let certificate = compliance::record(&test.store, cast.staff, now(), &input).await.unwrap();
    assert_eq!(certificate.kind, "Gas safety", "the standard kind's spelling");
    let expires = issued.checked_add_months(chrono::Months::new(12)).unwrap();
    assert_eq!(certificate.expires_on, expires);
    assert_eq!(certificate.status, DocumentStatus::Valid { on: expires });
    let days_left = (expires - today).num_days();

    // Every day from today until it runs out, twice a day.
    let mut reminders = 0;
    for day in 0..=days_left {
        for hours in [0, 7] {
            let at = now() + Duration::days(day) + Duration::hours(hours);
            let done = compliance::remind_and_renew(&test.store, at).await.unwrap();
            reminders += done.reminders;
            if (expires - (today + Duration::days(day))).num_days() == 30 && hours == 0 {
                assert_eq!(done.renewals, 1, "the renewal goes with the first reminder");
            }
        }
    }
    assert_eq!(reminders, 2, "30 days and 7 days ahead, once each");
    assert_eq!(renewals(&test.store).await, 1);

    let title = "Gas safety certificate expires in 30 days · ";
    let staff_bell = notifications::list(&test.store, cast.staff).await.unwrap().items;
    assert_eq!(titled(&staff_bell, title), 1);
    assert_eq!(titled(&staff_bell, "Gas safety certificate expires in 7 days"), 1);
    let landlord_bell = notifications::list(&test.store, cast.landlord).await.unwrap().items;
    assert_eq!(titled(&landlord_bell, title), 1, "the landlord is told too");
    let other_bell = notifications::list(&test.store, cast.other_landlord).await.unwrap().items;
    assert_eq!(titled(&other_bell, "Gas safety certificate"), 0);

    let listed =
        compliance::list(&test.store, cast.staff, now(), &ListCertificates { property: Some(property) }).await.unwrap();
    let renewal = listed.iter().find(|c| c.id == certificate.id).and_then(|c| c.renewal_order).expect("renewal");
    let raised_at = now() + Duration::days(days_left - 30);
    let order = work_orders::detail(&test.store, cast.staff, raised_at, renewal).await.unwrap();
    assert_eq!((order.row.state, order.row.priority), (State::New, Priority::Routine));
    assert_eq!(order.row.subcategory, "Boiler");
    assert!(order.triage_reason.starts_with("Certificate renewal (Gas safety)"), "{}", order.triage_reason);
    assert_eq!(order.planned, None, "a renewal is no schedule's occurrence");
}

#[tokio::test]
async fn a_newer_certificate_replaces_the_old_ones_reminders_and_statuses_show_red_amber_green() {
    let test = demo_store().await;
    without_demo_certificates(&test.store).await;
    let cast = cast(&test.store).await;
    let property = property_of(&test.store, cast.tenancy).await;
    let today = now().date_naive();
    let record = |kind: &str, issued: NaiveDate, expires: Option<NaiveDate>| {
        let input = CertificateInput { property, kind: kind.into(), issued_on: issued, expires_on: expires };
        let store = test.store.clone();
        async move { compliance::record(&store, cast.staff, now(), &input).await.unwrap() }
    };
    let old = record("EICR", today - Duration::days(1800), Some(today + Duration::days(20))).await;
    assert!(matches!(old.status, DocumentStatus::ExpiresSoon { days_left: 20, .. }));
    let new = record("EICR", today, None).await;
    assert_eq!(new.expires_on, today.checked_add_months(chrono::Months::new(60)).unwrap());
    let expired =
        record("Legionella risk assessment", today - Duration::days(800), Some(today - Duration::days(5))).await;
    assert_eq!(expired.status, DocumentStatus::Expired { on: today - Duration::days(5) });

    let done = compliance::remind_and_renew(&test.store, now()).await.unwrap();
    // The old EICR is history: neither reminded of nor renewed. The run-out one, recorded
    // late, is past reminding but is renewed at once.
    assert_eq!((done.reminders, done.renewals), (0, 1));
    assert_eq!(compliance::remind_and_renew(&test.store, now()).await.unwrap(), Default::default(), "once");

    let current = compliance::list(&test.store, cast.staff, now(), &ListCertificates::default()).await.unwrap();
    let ours: Vec<(&str, bool)> =
        current.iter().filter(|c| c.property == property).map(|c| (c.kind.as_str(), c.current)).collect();
    assert_eq!(ours, [("Legionella risk assessment", true), ("EICR", true)], "soonest to run out first");
    assert!(current[0].renewal_order.is_some() && current[1].renewal_order.is_none());
    let history =
        compliance::list(&test.store, cast.staff, now(), &ListCertificates { property: Some(property) }).await.unwrap();
    assert_eq!(history.iter().filter(|c| !c.current).count(), 1, "the old EICR kept as history");

    let landlords = compliance::list(&test.store, cast.landlord, now(), &ListCertificates::default()).await.unwrap();
    assert!(landlords.iter().any(|c| c.property == property), "the landlord sees their own");
    let others = compliance::list(&test.store, cast.other_landlord, now(), &ListCertificates::default()).await.unwrap();
    assert!(others.iter().all(|c| c.property != property), "another landlord sees none of these");
    assert!(matches!(
        compliance::list(&test.store, cast.tenant, now(), &ListCertificates::default()).await,
        Err(ServiceError::NotAllowed(_))
    ));
}

#[tokio::test]
async fn a_bad_certificate_is_refused_by_its_field_and_stores_nothing() {
    let test = demo_store().await;
    without_demo_certificates(&test.store).await;
    let cast = cast(&test.store).await;
    let property = property_of(&test.store, cast.tenancy).await;
    let today = now().date_naive();
    let good = CertificateInput { property, kind: "EPC".into(), issued_on: today, expires_on: None };
    let before = table_counts(&test.store).await;
    let cases = [
        (
            CertificateInput { kind: " ".into(), ..good.clone() },
            Field::Kind,
            "enter the kind of certificate".to_owned(),
        ),
        (
            CertificateInput { kind: "Asbestos survey".into(), ..good.clone() },
            Field::ExpiresOn,
            "enter the day this Asbestos survey runs out".to_owned(),
        ),
        (
            CertificateInput { expires_on: Some(today - Duration::days(1)), ..good.clone() },
            Field::ExpiresOn,
            format!("it cannot run out ({}) before it was issued ({today})", today - Duration::days(1)),
        ),
        (
            CertificateInput { issued_on: today + Duration::days(1), ..good.clone() },
            Field::IssuedOn,
            format!("a certificate is recorded once issued (today is {today})"),
        ),
        (
            CertificateInput { property: PropertyId(999_999), ..good.clone() },
            Field::Property,
            "no such property".to_owned(),
        ),
    ];
    for (input, field, message) in cases {
        match compliance::record(&test.store, cast.staff, now(), &input).await {
            Err(ServiceError::Validation { field: got, message: said }) => assert_eq!((got, said), (field, message)),
            other => panic!("{field:?}: {other:?}"),
        }
    }
    for outsider in [cast.landlord, cast.tenant, cast.contractor] {
        let refused = compliance::record(&test.store, outsider, now(), &good).await;
        assert!(matches!(refused, Err(ServiceError::NotAllowed(_))), "{outsider:?}");
    }
    assert_eq!(table_counts(&test.store).await, before);
}
