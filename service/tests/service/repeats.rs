//! Repeat faults (#19): the earlier requests of the same kind at the same unit in six
//! months, on the order page (what the viewer may see) and as triage's count.

use crate::fixtures::{Cast, cast, subcategory};
use crate::support::{demo_store, now};
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::api::{ActOnWorkOrder, Step, SubmitRequest};
use plumbline_domain::{Severity, WorkOrderId};
use plumbline_service::{Store, work_orders};

async fn request_at(store: &Store, cast: &Cast, kind: &str, at: DateTime<Utc>) -> WorkOrderId {
    let request = SubmitRequest {
        tenancy: cast.tenancy,
        subcategory: subcategory(store, kind).await,
        severity: Severity::Routine,
        description: format!("{kind} again"),
        access: None,
    };
    work_orders::submit(store, cast.tenant, at, &request).await.expect("submit").id
}

#[tokio::test]
async fn an_order_names_the_earlier_faults_of_its_kind_at_its_unit_in_six_months() {
    let test = demo_store().await;
    let store = &test.store;
    let cast = cast(store).await;
    let too_old = request_at(store, &cast, "Blocked drain", now() - Duration::days(200)).await;
    let first = request_at(store, &cast, "Blocked drain", now() - Duration::days(90)).await;
    let rejected = request_at(store, &cast, "Blocked drain", now() - Duration::days(60)).await;
    let reject =
        ActOnWorkOrder { id: rejected, version: 1, step: Step::Reject { reason: "Tenant's own blockage".into() } };
    work_orders::act(store, cast.staff, now() - Duration::days(60), &reject).await.expect("rejected");
    let other_kind = request_at(store, &cast, "Doors and locks", now() - Duration::days(30)).await;
    let second = request_at(store, &cast, "Blocked drain", now() - Duration::days(10)).await;
    let this = request_at(store, &cast, "Blocked drain", now()).await;

    let detail = work_orders::detail(store, cast.staff, now(), this).await.unwrap();
    let repeat = detail.repeat.expect("a repeat fault");
    let earlier: Vec<WorkOrderId> = repeat.earlier.iter().map(|e| e.id).collect();
    // Newest first; the demo's own earlier plumbing at this unit may follow ours.
    assert_eq!(earlier[..2], [second, first], "{earlier:?}");
    for left_out in [too_old, rejected, other_kind, this] {
        assert!(!earlier.contains(&left_out), "{left_out} is not an earlier fault of this kind");
    }
    let nth = plumbline_domain::repeat::ordinal(earlier.len() + 1);
    assert_eq!(repeat.headline, format!("{nth} plumbing request at this unit in 6 months"));
    // The landlord sees the same; the queue counts the same for the agency.
    let landlords = work_orders::detail(store, cast.landlord, now(), this).await.unwrap().repeat.expect("theirs too");
    assert_eq!(landlords.earlier.len(), earlier.len());
    let queue = work_orders::triage_queue(store, cast.staff, now()).await.unwrap();
    let item = queue.items.iter().find(|item| item.row.id == this).expect("in the queue");
    assert_eq!(item.earlier_faults as usize, earlier.len());
    // The window runs back from each order's own opening, and only what came before
    // counts: the order of 90 days ago lists the one of 200 days ago, not the later ones.
    let older = work_orders::detail(store, cast.staff, now(), first).await.unwrap();
    let listed: Vec<WorkOrderId> = older.repeat.map(|r| r.earlier.iter().map(|e| e.id).collect()).unwrap_or_default();
    assert!(listed.contains(&too_old), "{listed:?}");
    assert!(!listed.iter().any(|id| [second, this].contains(id)), "{listed:?}");
}
