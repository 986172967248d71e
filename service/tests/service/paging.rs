//! Long threads and histories come a page at a time (issue #16): the newest page first,
//! then each earlier one by its cursor, every message or entry exactly once and in order.

use crate::fixtures::{act, cast, order_in};
use crate::support::{demo_store, now};
use chrono::Duration;
use plumbline_domain::api::{PostMessage, Step, THREAD_PAGE, TIMELINE_PAGE, TimelineEntry};
use plumbline_domain::{Priority, State};
use plumbline_service::{ServiceError, messages, work_orders};

#[tokio::test]
async fn a_long_thread_is_read_newest_page_first_then_earlier_pages_on_asking() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::InProgress).await;
    let total = 2 * THREAD_PAGE + 20;
    let start = now() - Duration::minutes(i64::try_from(total).unwrap());
    for n in 0..total {
        // A minute apart: within the per-minute limit.
        let at = start + Duration::minutes(i64::try_from(n).unwrap());
        let request = PostMessage { id, body: format!("Message {n}"), internal: false };
        messages::post(store, cast.tenant, at, &request).await.unwrap();
    }

    let newest = messages::list(store, cast.landlord, now(), id, None).await.unwrap();
    assert_eq!(newest.messages.len(), THREAD_PAGE);
    assert_eq!(newest.messages.last().unwrap().body, format!("Message {}", total - 1));
    assert_eq!(newest.unread, i64::try_from(total).unwrap(), "unread counts the whole thread");
    let mut read: Vec<String> = newest.messages.iter().map(|m| m.body.clone()).collect();
    let mut cursor = newest.earlier;
    let mut pages = 1;
    while let Some(before) = cursor {
        let page = messages::list(store, cast.landlord, now(), id, Some(before)).await.unwrap();
        assert!(page.messages.iter().all(|m| m.id < before), "only messages before the cursor");
        assert_eq!(page.unread, 0, "an earlier page is not an opening");
        read.splice(0..0, page.messages.iter().map(|m| m.body.clone()));
        cursor = page.earlier;
        pages += 1;
    }
    assert_eq!(pages, 3);
    assert_eq!(read, (0..total).map(|n| format!("Message {n}")).collect::<Vec<_>>(), "each once, in order");

    // Reading only an earlier page marks nothing read.
    let first_page = messages::list(store, cast.contractor, now(), id, newest.earlier).await.unwrap();
    assert_eq!(first_page.messages.len(), THREAD_PAGE);
    assert_eq!(
        messages::list(store, cast.contractor, now(), id, None).await.unwrap().unread,
        i64::try_from(total).unwrap()
    );
    let stranger = messages::list(store, cast.other_tenant, now(), id, newest.earlier).await;
    assert!(matches!(stranger, Err(ServiceError::NotFound { .. })), "{stranger:?}");
}

#[tokio::test]
async fn a_long_history_comes_with_the_order_newest_page_first_then_earlier_pages() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let id = order_in(store, &cast, State::New).await;
    let steps = TIMELINE_PAGE + 10;
    for n in 0..steps {
        // All at one instant: the cursor tells events of the same second apart.
        let priority = if n % 2 == 0 { Priority::Urgent } else { Priority::Routine };
        act(store, cast.staff, id, Step::SetPriority { priority, reason: format!("Reason {n}") }).await.unwrap();
    }
    let detail = work_orders::detail(store, cast.staff, now(), id).await.unwrap();
    assert_eq!(detail.timeline.len(), TIMELINE_PAGE);
    let last_note = |entries: &[TimelineEntry]| entries.last().map(|e| e.note.clone()).unwrap_or_default();
    assert!(last_note(&detail.timeline).ends_with(&format!("Reason {}", steps - 1)), "the newest last");
    let before = detail.earlier_history.expect("an earlier page");

    let page = work_orders::history(store, cast.staff, id, before).await.unwrap();
    assert_eq!(page.earlier, None, "this page starts the history");
    assert_eq!(page.entries.len(), steps + 1 - TIMELINE_PAGE, "the submission and the first steps");
    assert_eq!(page.entries[0].what, "Submitted");
    let whole: Vec<&TimelineEntry> = page.entries.iter().chain(&detail.timeline).collect();
    let reasons: Vec<String> = (0..steps).map(|n| format!("Reason {n}")).collect();
    assert!(whole[1..].iter().zip(&reasons).all(|(entry, reason)| entry.note.ends_with(reason.as_str())), "in order");

    let stranger = work_orders::history(store, cast.other_tenant, id, before).await;
    assert!(matches!(stranger, Err(ServiceError::NotFound { .. })), "{stranger:?}");
}
