//! A contractors file: one row per contractor, with their trades (the agency's
//! categories), rates, insurance and licence expiry, preferred flag and notes.

use super::book::Book;
use super::cells;
use super::sheet::Row;
use super::{Column, Header, Problems, RowOutcome, column};
use crate::contractors::set_trades;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::users::insert_without_password;
use chrono::{DateTime, NaiveDate, Utc};
use plumbline_domain::account::normalise_email;
use plumbline_domain::api::ImportCounts;
use plumbline_domain::{MoneyMinor, Role};

pub const COLUMNS: &[Column] = &[
    column("company", &["company_name", "business", "contractor"]),
    column("contact_name", &["contact", "name"]),
    column("email", &["e_mail", "email_address"]),
    column("phone", &["telephone", "mobile"]),
    column("trades", &["trade", "categories", "services"]),
    column("hourly_rate", &["rate", "hourly"]),
    column("callout_fee", &["call_out_fee", "callout", "call_out"]),
    column("insurance_expires", &["insurance_expiry", "insurance_expires_on", "insurance"]),
    column(
        "licence_expires",
        &["licence_expiry", "license_expiry", "license_expires", "licence_expires_on", "licence"],
    ),
    column("preferred", &[]),
    column("notes", &[]),
];

pub const REQUIRED: &[&str] = &["company", "email", "trades"];

struct Parsed {
    company: String,
    contact: String,
    email: String,
    phone: Option<String>,
    trades: Vec<i64>,
    hourly_rate: MoneyMinor,
    callout_fee: MoneyMinor,
    insurance: Option<NaiveDate>,
    licence: Option<NaiveDate>,
    preferred: bool,
    notes: String,
}

fn trades(problems: &mut Problems, book: &Book, value: &str) -> Vec<i64> {
    let names = cells::list(value);
    if names.is_empty() {
        problems.add("trades", value, "name at least one trade");
    }
    let mut ids = Vec::new();
    for name in names {
        match book.trade(name) {
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => {
                problems.add("trades", value, format!("'{name}' is not a trade here: {}", book.trade_names.join(", ")))
            }
        }
    }
    ids
}

fn parse(problems: &mut Problems, book: &Book, header: &Header, row: &Row) -> Parsed {
    let get = |column: &str| header.get(row, column);
    let company = problems.required("company", get("company"), 120);
    let date = |problems: &mut Problems, column: &str| {
        problems.check(column, get(column), cells::optional_date(get(column))).flatten()
    };
    Parsed {
        company,
        contact: problems.text("contact_name", get("contact_name"), 120),
        email: problems
            .check("email", get("email"), normalise_email(get("email")).map_err(str::to_owned))
            .unwrap_or_default(),
        phone: Some(problems.text("phone", get("phone"), 30)).filter(|p| !p.is_empty()),
        trades: trades(problems, book, get("trades")),
        hourly_rate: problems
            .check("hourly_rate", get("hourly_rate"), cells::money(get("hourly_rate")))
            .unwrap_or_default(),
        callout_fee: problems
            .check("callout_fee", get("callout_fee"), cells::money(get("callout_fee")))
            .unwrap_or_default(),
        insurance: date(problems, "insurance_expires"),
        licence: date(problems, "licence_expires"),
        preferred: problems.check("preferred", get("preferred"), cells::yes_no(get("preferred"))).unwrap_or_default(),
        notes: problems.text("notes", get("notes"), 1000),
    }
}

/// Checks and stores one row; a contractor already on record (by e-mail) is left as is.
pub async fn import_row(
    db: &mut Db,
    book: &mut Book,
    header: &Header,
    row: &Row,
    now: DateTime<Utc>,
) -> Result<RowOutcome> {
    let mut problems = Problems::new(row.line);
    let parsed = parse(&mut problems, book, header, row);
    if problems.is_empty() {
        match book.user(&parsed.email) {
            Some((_, Role::Contractor)) => return Ok(Ok(ImportCounts::default())),
            Some((_, role)) => problems.add("email", &parsed.email, format!("belongs to {}", role.with_article())),
            None if parsed.contact.is_empty() => {
                problems.add("contact_name", "", "a new contractor needs a contact name")
            }
            None => {}
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems.list));
    }
    let id =
        insert_without_password(db, now, Role::Contractor, &parsed.email, &parsed.contact, parsed.phone.as_deref())
            .await?;
    Sql::new(
        "INSERT INTO contractors (user_id, company, hourly_rate_minor, callout_fee_minor, insurance_expires_on,
                                  licence_expires_on, preferred, notes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.0)
    .bind(&parsed.company)
    .bind(parsed.hourly_rate.minor_units())
    .bind(parsed.callout_fee.minor_units())
    .bind(parsed.insurance.map(|d| d.to_string()))
    .bind(parsed.licence.map(|d| d.to_string()))
    .bind(parsed.preferred)
    .bind(&parsed.notes)
    .execute(&mut *db)
    .await?;
    set_trades(db, id, &parsed.trades).await?;
    book.add_user(&parsed.email, id.0, Role::Contractor);
    Ok(Ok(ImportCounts { contractors: 1, ..ImportCounts::default() }))
}
