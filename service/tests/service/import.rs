//! CSV import from the files agencies really have: encodings, separators, quoted
//! newlines, blank and duplicated rows, day-first dates, bad rows named and left out.

use crate::support::{empty_store, now};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use plumbline_domain::api::{Field, ImportFile, ImportKind, ImportReport, SetUpAgency};
use plumbline_domain::{Actor, Role};
use plumbline_service::db::Sql;
use plumbline_service::{ServiceError, Store, accounts, import};
use plumbline_test_support::agency_book::{contractors_csv, properties_csv, units_of};
use std::sync::Mutex;

/// A new agency (categories installed, no records) and its admin.
pub async fn new_agency(store: &Store) -> Actor {
    let request = SetUpAgency {
        agency: "Riverside Lettings".into(),
        name: "Dana Reid".into(),
        email: "dana@riverside.example".into(),
        password: "riverside lettings 2026".into(),
    };
    accounts::set_up_agency(store, now(), &request).await.unwrap().actor
}

pub fn file(name: &str, bytes: &[u8]) -> ImportFile {
    ImportFile { file_name: name.into(), content_base64: STANDARD.encode(bytes) }
}

async fn count(store: &Store, table: &str) -> i64 {
    Sql::new(format!("SELECT count(*) FROM {table}")).fetch_one::<(i64,)>(store).await.unwrap().0
}

async fn counts(store: &Store) -> Vec<i64> {
    let mut all = Vec::new();
    for table in ["users", "properties", "units", "tenancies", "contractors", "contractor_categories"] {
        all.push(count(store, table).await);
    }
    all
}

fn rejected_lines(report: &ImportReport) -> Vec<(u64, String)> {
    let mut lines: Vec<(u64, String)> = report.rejected.iter().map(|p| (p.row, p.column.clone())).collect();
    lines.dedup();
    lines
}

#[tokio::test]
async fn a_messy_windows_properties_file_imports_its_good_rows_and_names_each_bad_one() {
    let test = empty_store().await;
    let admin = new_agency(&test.store).await;
    let book = properties_csv(50);
    let csv = file("Book export.csv", &book.bytes);

    let preview = import::preview(&test.store, admin, now(), &csv).await.unwrap();
    assert!(!preview.applied);
    assert_eq!(count(&test.store, "properties").await, 0, "a preview stores nothing");

    let progress = Mutex::new(Vec::new());
    let report = import::run(&test.store, admin, now(), &csv, &|p| progress.lock().unwrap().push(p)).await.unwrap();
    assert!(report.applied);
    assert_eq!(
        (report.kind, report.encoding.as_str(), report.separator),
        (ImportKind::Properties, "Windows-1252", ';')
    );
    let expected: Vec<(u64, String)> =
        book.bad_rows.iter().map(|(line, column)| (*line, (*column).to_owned())).collect();
    assert_eq!(rejected_lines(&report), expected, "each bad row named by its line and column");
    assert_eq!(report.duplicates, 1, "the pasted-twice row is taken once");
    assert_eq!(report.created.tenancies as usize, book.good_rows);
    assert_eq!((report.created.properties, report.created.landlords), (48, 10), "2 properties had only bad rows");
    assert_eq!(report.created.units as usize, (0..50).filter(|p| p % 25 != 24).map(units_of).sum::<usize>());
    assert_eq!(preview.created, report.created, "the preview said exactly what the import did");
    assert_eq!(preview.rejected, report.rejected);
    let last = *progress.lock().unwrap().last().unwrap();
    assert_eq!((last.done, last.total), (report.rows, report.rows));

    // What Excel wrote came through: accents, the curly apostrophe, the quoted newline.
    let (landlord,): (String,) =
        Sql::new("SELECT name FROM users WHERE email = 'landlord0@example.test'").fetch_one(&test.store).await.unwrap();
    assert_eq!(landlord, "Zoë Landlord 0");
    let (street, pets, started): (String, String, String) = Sql::new(
        "SELECT p.street, t.pets, t.started_on FROM tenancies t JOIN units u ON u.id = t.unit_id
         JOIN properties p ON p.id = u.property_id JOIN users x ON x.id = t.tenant_id WHERE x.email = 'tenant3.0@example.test'",
    )
    .fetch_one(&test.store)
    .await
    .unwrap();
    assert_eq!(
        (street.as_str(), pets.as_str(), started.as_str()),
        ("4 Cotham Hill", "Friendly dog;\nkeep the gate shut", "2023-01-04")
    );
    let (curly,): (i64,) = Sql::new("SELECT count(*) FROM properties WHERE street = '6 St Mark’s Road'")
        .fetch_one(&test.store)
        .await
        .unwrap();
    assert_eq!(curly, 1, "Windows-1252's curly apostrophe");
}

#[tokio::test]
async fn importing_the_same_files_again_changes_nothing() {
    let test = empty_store().await;
    let admin = new_agency(&test.store).await;
    let properties = file("book.csv", &properties_csv(20).bytes);
    let contractors = file("contractors.csv", &contractors_csv(10).bytes);
    import::run(&test.store, admin, now(), &properties, &|_| {}).await.unwrap();
    import::run(&test.store, admin, now(), &contractors, &|_| {}).await.unwrap();
    let before = counts(&test.store).await;

    let again = import::run(&test.store, admin, now(), &properties, &|_| {}).await.unwrap();
    assert_eq!(again.created.total(), 0, "{:?}", again.created);
    assert_eq!(again.unchanged as usize, properties_csv(20).good_rows);
    let again = import::run(&test.store, admin, now(), &contractors, &|_| {}).await.unwrap();
    assert_eq!((again.created.total(), again.unchanged), (0, 8));
    assert_eq!(counts(&test.store).await, before);
}

#[tokio::test]
async fn a_contractors_file_with_a_bom_brings_trades_rates_and_dates_and_rejects_unknown_trades() {
    let test = empty_store().await;
    let admin = new_agency(&test.store).await;
    let book = contractors_csv(10);
    let report = import::run(&test.store, admin, now(), &file("contractors.csv", &book.bytes), &|_| {}).await.unwrap();
    assert_eq!((report.kind, report.encoding.as_str()), (ImportKind::Contractors, "UTF-8 with BOM"));
    assert_eq!(report.created.contractors, 8);
    let expected: Vec<(u64, String)> =
        book.bad_rows.iter().map(|(line, column)| (*line, (*column).to_owned())).collect();
    assert_eq!(rejected_lines(&report), expected);
    let roofing = report.rejected.iter().find(|p| p.column == "trades").unwrap();
    assert!(roofing.reason.starts_with("'Roofing' is not a trade here: Plumbing, Electrical"), "{}", roofing.reason);

    // "Plumbing; Heating" is two trades; "Heating" is the agency's "HVAC / Heating".
    let (company, rate, fee, insurance, preferred, trades): (String, i64, i64, Option<String>, bool, String) = Sql::new(
        "SELECT k.company, k.hourly_rate_minor, k.callout_fee_minor, k.insurance_expires_on, k.preferred,
                (SELECT string_agg(c.name, '+' ORDER BY c.id) FROM contractor_categories cc JOIN categories c ON c.id = cc.category_id
                 WHERE cc.contractor_id = k.user_id)
         FROM contractors k JOIN users u ON u.id = k.user_id WHERE u.email = 'office@contractor9.example.test'",
    )
    .fetch_one(&test.store)
    .await
    .unwrap();
    assert_eq!(
        (company.as_str(), rate, fee, insurance.as_deref(), preferred, trades.as_str()),
        ("Ace Repairs 9, Ltd", 3950, 100_900, Some("2027-10-10"), true, "Plumbing+HVAC / Heating")
    );
    let report_csv = import::report_csv(&report).unwrap();
    assert!(report_csv.starts_with("row,column,value,reason\n"), "{report_csv}");
    assert_eq!(report_csv.lines().count(), 1 + report.rejected.len());
}

#[tokio::test]
async fn a_file_that_is_not_a_known_kind_or_not_an_admins_is_refused_and_stores_nothing() {
    let test = empty_store().await;
    let admin = new_agency(&test.store).await;
    let before = counts(&test.store).await;
    let unknown = import::preview(&test.store, admin, now(), &file("x.csv", b"Name,Colour\nA,Blue\n")).await;
    assert!(
        matches!(&unknown, Err(ServiceError::Validation { field: Field::File, message }) if message.starts_with("the first row must name the columns")),
        "{unknown:?}"
    );
    let partial = import::preview(&test.store, admin, now(), &file("x.csv", b"Street,City\n1 High St,Bath\n")).await;
    assert!(
        matches!(&partial, Err(ServiceError::Validation { message, .. }) if message.contains("has no landlord_email, postcode column")),
        "{partial:?}"
    );
    let garbled = import::run(
        &test.store,
        admin,
        now(),
        &ImportFile { file_name: "x".into(), content_base64: "%%".into() },
        &|_| {},
    )
    .await;
    assert!(matches!(garbled, Err(ServiceError::Validation { field: Field::File, .. })), "{garbled:?}");
    let staff = Actor { role: Role::Staff, ..admin };
    let refused = import::run(&test.store, staff, now(), &file("book.csv", &properties_csv(5).bytes), &|_| {}).await;
    assert!(matches!(refused, Err(ServiceError::NotAllowed(_))), "{refused:?}");
    assert_eq!(counts(&test.store).await, before);
}

#[tokio::test]
async fn a_row_that_names_someone_in_another_role_or_anothers_property_is_rejected_whole() {
    let test = empty_store().await;
    let admin = new_agency(&test.store).await;
    let csv = "landlord_name,landlord_email,street,city,postcode,unit,tenant_name,tenant_email,tenancy_start\n\
               Ann Owner,ann@example.test,1 High St,Bath,ba1 1aa,,Ted Tenant,ted@example.test,2025-01-01\n\
               Bob Owner,bob@example.test,1 High St,Bath,BA1 1AA,Flat 2,,,\n\
               Dana,dana@riverside.example,2 High St,Bath,BA1 1AB,,,,\n\
               Ann Owner,ann@example.test,3 High St,Bath,BA1 1AC,,Ann,ann@example.test,2025-01-01\n";
    let report = import::run(&test.store, admin, now(), &file("x.csv", csv.as_bytes()), &|_| {}).await.unwrap();
    let reasons: Vec<(u64, &str, &str)> =
        report.rejected.iter().map(|p| (p.row, p.column.as_str(), p.reason.as_str())).collect();
    assert_eq!(
        reasons,
        [
            (3, "street", "This property is on record for another landlord"),
            (4, "landlord_email", "Belongs to an admin, not a landlord"),
            (5, "tenant_email", "The same address as the landlord's"),
            (5, "tenant_email", "Belongs to a landlord, not a tenant"),
        ]
    );
    assert_eq!((report.created.landlords, report.created.properties, report.created.tenancies), (1, 1, 1));
    assert_eq!(count(&test.store, "users").await, 3, "admin, Ann and Ted: Bob's row stored nothing");
}
