//! A properties file: one row per unit or tenancy, naming the landlord, the property, the
//! unit ("Whole house" if blank) and, if let, the tenant and the tenancy's dates and
//! access instructions.

use super::book::Book;
use super::cells;
use super::sheet::Row;
use super::{Column, Header, Problems, RowOutcome, column};
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::properties::insert_tenancy;
use crate::users::insert_without_password;
use chrono::{DateTime, NaiveDate, Utc};
use plumbline_domain::account::normalise_email;
use plumbline_domain::api::{AccessInstructions, ImportCounts};
use plumbline_domain::ids::UnitId;
use plumbline_domain::{Role, UserId};

pub const COLUMNS: &[Column] = &[
    column("landlord_name", &["landlord"]),
    column("landlord_email", &["landlord_e_mail", "landlord_email_address"]),
    column("landlord_phone", &["landlord_telephone", "landlord_mobile"]),
    column("property_name", &["property"]),
    column("street", &["address", "address_line_1", "street_address", "address_1"]),
    column("city", &["town", "town_city", "town_or_city"]),
    column("postcode", &["post_code", "postal_code", "zip"]),
    column("unit", &["flat", "unit_label", "unit_name"]),
    column("tenant_name", &["tenant"]),
    column("tenant_email", &["tenant_e_mail", "tenant_email_address"]),
    column("tenant_phone", &["tenant_telephone", "tenant_mobile"]),
    column("tenancy_start", &["start_date", "tenancy_start_date", "move_in", "move_in_date", "started_on"]),
    column("tenancy_end", &["end_date", "tenancy_end_date", "move_out", "move_out_date", "ended_on"]),
    column("gate_code", &[]),
    column("lockbox_code", &["lockbox", "key_safe", "key_safe_code"]),
    column("pets", &[]),
    column("best_contact", &[]),
    column("preferred_times", &["access_times"]),
];

pub const REQUIRED: &[&str] = &["landlord_email", "street", "city", "postcode"];

/// The label of a unit that is the whole property (as the demo agency writes it).
pub const WHOLE_PROPERTY: &str = "Whole house";

struct Person {
    email: String,
    name: String,
    phone: Option<String>,
}

struct Tenancy {
    tenant: Person,
    started_on: NaiveDate,
    ended_on: Option<NaiveDate>,
    access: AccessInstructions,
}

/// The row's values, each checked on its own.
struct Parsed {
    landlord: Person,
    property_name: String,
    street: String,
    city: String,
    postcode: String,
    unit: String,
    tenancy: Option<Tenancy>,
}

fn email(problems: &mut Problems, column: &str, value: &str) -> String {
    problems.check(column, value, normalise_email(value).map_err(str::to_owned)).unwrap_or_default()
}

fn person(problems: &mut Problems, header: &Header, row: &Row, who: &str) -> Person {
    let column = |suffix: &str| format!("{who}_{suffix}");
    Person {
        email: email(problems, &column("email"), header.get(row, &column("email"))),
        name: problems.text(&column("name"), header.get(row, &column("name")), 120),
        phone: Some(problems.text(&column("phone"), header.get(row, &column("phone")), 30)).filter(|p| !p.is_empty()),
    }
}

/// Postcodes in capitals with single spaces, so `bs1  4ab` is `BS1 4AB`.
fn postcode(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase()
}

fn parse(problems: &mut Problems, header: &Header, row: &Row) -> Parsed {
    let get = |column: &str| header.get(row, column);
    let street = problems.required("street", get("street"), 120);
    let unit = problems.text("unit", get("unit"), 60);
    let tenancy =
        (!get("tenant_email").is_empty() || !get("tenant_name").is_empty()).then(|| tenancy(problems, header, row));
    Parsed {
        landlord: person(problems, header, row, "landlord"),
        property_name: problems.text("property_name", get("property_name"), 120),
        city: problems.required("city", get("city"), 120),
        postcode: postcode(&problems.required("postcode", get("postcode"), 12)),
        street,
        unit: if unit.is_empty() { WHOLE_PROPERTY.to_owned() } else { unit },
        tenancy,
    }
}

fn tenancy(problems: &mut Problems, header: &Header, row: &Row) -> Tenancy {
    let get = |column: &str| header.get(row, column);
    let started = get("tenancy_start");
    let started_on = if started.is_empty() {
        problems.add("tenancy_start", started, "a tenant needs the day their tenancy started");
        None
    } else {
        problems.check("tenancy_start", started, cells::date(started))
    };
    let ended_on =
        problems.check("tenancy_end", get("tenancy_end"), cells::optional_date(get("tenancy_end"))).flatten();
    if let (Some(start), Some(end)) = (started_on, ended_on)
        && end < start
    {
        problems.add("tenancy_end", get("tenancy_end"), "ends before the tenancy starts");
    }
    let gate_code = problems.text("gate_code", get("gate_code"), 40);
    let lockbox_code = problems.text("lockbox_code", get("lockbox_code"), 40);
    Tenancy {
        tenant: person(problems, header, row, "tenant"),
        started_on: started_on.unwrap_or_default(),
        ended_on,
        access: AccessInstructions {
            gate_code: Some(gate_code).filter(|c| !c.is_empty()),
            lockbox_code: Some(lockbox_code).filter(|c| !c.is_empty()),
            pets: problems.text("pets", get("pets"), 1000),
            best_contact: problems.text("best_contact", get("best_contact"), 120),
            preferred_times: problems.text("preferred_times", get("preferred_times"), 120),
        },
    }
}

/// A person on record with this e-mail in `role`, or a new one (who needs a name).
fn match_person(problems: &mut Problems, book: &Book, who: &str, person: &Person, role: Role) -> Option<i64> {
    match book.user(&person.email) {
        Some((id, found)) if found == role => Some(id),
        Some((_, found)) => {
            let reason = format!("belongs to {}, not {}", found.with_article(), role.with_article());
            problems.add(&format!("{who}_email"), &person.email, reason);
            None
        }
        None => {
            if person.name.is_empty() {
                problems.add(&format!("{who}_name"), "", format!("a new {who} needs a name"));
            }
            None
        }
    }
}

/// Checks and stores one row.
pub async fn import_row(
    db: &mut Db,
    book: &mut Book,
    header: &Header,
    row: &Row,
    now: DateTime<Utc>,
) -> Result<RowOutcome> {
    let mut problems = Problems::new(row.line);
    let parsed = parse(&mut problems, header, row);
    if !problems.is_empty() {
        return Ok(Err(problems.list));
    }
    let landlord = match_person(&mut problems, book, "landlord", &parsed.landlord, Role::Landlord);
    let property = book.property(&parsed.street, &parsed.postcode);
    if let Some((_, owner)) = property
        && Some(owner) != landlord
    {
        problems.add("street", &parsed.street, "this property is on record for another landlord");
    }
    let tenant = match &parsed.tenancy {
        Some(tenancy) => {
            if tenancy.tenant.email == parsed.landlord.email {
                problems.add("tenant_email", &tenancy.tenant.email, "the same address as the landlord's");
            }
            match_person(&mut problems, book, "tenant", &tenancy.tenant, Role::Tenant)
        }
        None => None,
    };
    if !problems.is_empty() {
        return Ok(Err(problems.list));
    }
    store_row(db, book, &parsed, landlord, property.map(|(id, _)| id), tenant, now).await.map(Ok)
}

/// Adds whatever of the row is not yet on record.
async fn store_row(
    db: &mut Db,
    book: &mut Book,
    row: &Parsed,
    landlord: Option<i64>,
    property: Option<i64>,
    tenant: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ImportCounts> {
    let mut created = ImportCounts::default();
    let landlord = match landlord {
        Some(id) => id,
        None => {
            created.landlords += 1;
            new_person(db, book, now, Role::Landlord, &row.landlord).await?
        }
    };
    let property = match property {
        Some(id) => id,
        None => {
            created.properties += 1;
            let name = if row.property_name.is_empty() { &row.street } else { &row.property_name };
            let (id,): (i64,) = Sql::new(
                "INSERT INTO properties (landlord_id, name, street, city, postcode) VALUES (?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(landlord)
            .bind(name)
            .bind(&row.street)
            .bind(&row.city)
            .bind(&row.postcode)
            .fetch_one(&mut *db)
            .await?;
            book.add_property(&row.street, &row.postcode, id, landlord);
            id
        }
    };
    let unit = match book.unit(property, &row.unit) {
        Some(id) => id,
        None => {
            created.units += 1;
            let (id,): (i64,) = Sql::new("INSERT INTO units (property_id, label) VALUES (?, ?) RETURNING id")
                .bind(property)
                .bind(&row.unit)
                .fetch_one(&mut *db)
                .await?;
            book.add_unit(property, &row.unit, id);
            id
        }
    };
    if let Some(tenancy) = &row.tenancy {
        let tenant = match tenant {
            Some(id) => id,
            None => {
                created.tenants += 1;
                new_person(db, book, now, Role::Tenant, &tenancy.tenant).await?
            }
        };
        let started_on = tenancy.started_on.to_string();
        if book.add_tenancy(unit, tenant, &started_on) {
            created.tenancies += 1;
            insert_tenancy(db, UnitId(unit), UserId(tenant), tenancy.started_on, tenancy.ended_on, &tenancy.access)
                .await?;
        }
    }
    Ok(created)
}

async fn new_person(db: &mut Db, book: &mut Book, now: DateTime<Utc>, role: Role, person: &Person) -> Result<i64> {
    let id = insert_without_password(db, now, role, &person.email, &person.name, person.phone.as_deref()).await?;
    book.add_user(&person.email, id.0, role);
    Ok(id.0)
}
