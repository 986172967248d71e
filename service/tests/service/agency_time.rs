//! Days and times as the agency keeps them, at an instant whose UTC date is not the
//! agency's: a contractor's insurance that ran out on the agency's yesterday is expired
//! (though UTC says it is still its last day), and an appointment's history note gives
//! the agency's clock, not UTC's.

use crate::fixtures::{cast, order_in, version_of};
use crate::support::{demo_store, now};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use plumbline_domain::api::{ActOnWorkOrder, Field, Step};
use plumbline_domain::contractor::DocumentStatus;
use plumbline_domain::{Actor, Role, State, UserId};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, contractors, settings, work_orders};

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Moves the demo agency to Tokyo (UTC+9, no summer time), so 20:00 UTC is 05:00 there
/// the next day.
async fn agency_in_tokyo(store: &Store) {
    let (id,): (i64,) =
        Sql::new("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").fetch_one(store).await.unwrap();
    let admin = Actor { user_id: UserId(id), role: Role::Admin };
    let mut rules = settings::rules(store, admin).await.unwrap();
    rules.time_zone = "Asia/Tokyo".into();
    settings::update(store, admin, now(), &rules).await.unwrap();
}

#[tokio::test]
async fn insurance_that_ran_out_on_the_agencys_yesterday_is_expired_while_utc_still_has_its_day() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    agency_in_tokyo(&test.store).await;
    let order = order_in(&test.store, &cast, State::New).await;
    // Wednesday 25 November, 05:00 in Tokyo; still Tuesday 24th in UTC.
    let at = utc("2026-11-24T20:00:00Z");
    let last_day: NaiveDate = "2026-11-24".parse().unwrap();
    let contractor = cast.contractor.user_id;
    let mut details = contractors::profile(&test.store, cast.staff, now(), contractor).await.unwrap().details;
    details.insurance_expires_on = Some(last_day);
    details.licence_expires_on = Some(last_day + Duration::days(400));
    contractors::update_profile(&test.store, cast.staff, now(), contractor, &details).await.unwrap();

    let profile = contractors::profile(&test.store, cast.staff, at, contractor).await.unwrap();
    assert_eq!(profile.insurance, DocumentStatus::Expired { on: last_day });
    let request =
        ActOnWorkOrder { id: order, version: version_of(&test.store, order).await, step: Step::Assign { contractor } };
    let refused = work_orders::act(&test.store, cast.staff, at, &request).await;
    assert!(
        matches!(&refused, Err(ServiceError::Validation { field: Field::Contractor, message }) if message.contains("insurance expired")),
        "{refused:?}"
    );

    // An hour before Tokyo's midnight it is still the last day there: valid, assignable.
    let on_the_day = utc("2026-11-24T14:00:00Z");
    let profile = contractors::profile(&test.store, cast.staff, on_the_day, contractor).await.unwrap();
    assert_eq!(profile.insurance, DocumentStatus::ExpiresSoon { on: last_day, days_left: 0 });
    work_orders::act(&test.store, cast.staff, on_the_day, &request).await.unwrap();
}

#[tokio::test]
async fn an_appointment_is_noted_in_the_agencys_time() {
    let test = demo_store().await;
    let cast = cast(&test.store).await;
    agency_in_tokyo(&test.store).await;
    let order = order_in(&test.store, &cast, State::Accepted).await;
    // 08:30–11:00 on Thursday 26 November in Tokyo: 23:30 on Wednesday 25th in UTC.
    let (start, end) = (utc("2026-11-25T23:30:00Z"), utc("2026-11-26T02:00:00Z"));
    let request = ActOnWorkOrder {
        id: order,
        version: version_of(&test.store, order).await,
        step: Step::Schedule { start, end },
    };
    work_orders::act(&test.store, cast.contractor, now(), &request).await.unwrap();

    let (note,): (String,) =
        Sql::new("SELECT note FROM work_order_events WHERE work_order_id = ? AND to_state = 'Scheduled' ORDER BY id DESC LIMIT 1")
            .bind(order.0)
            .fetch_one(&test.store)
            .await
            .unwrap();
    assert!(note.contains("Appointment Thu 26 Nov 08:30 – 11:00"), "{note}");
}
