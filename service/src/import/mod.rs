//! CSV import: an agency brings its book in from spreadsheets (SPEC "Data and safety").
//!
//! A file holds one kind of record, told by its header: properties (one row per unit or
//! tenancy, naming its landlord, property, unit, tenant and tenancy) or contractors.
//! Every row is checked whole: a row with any problem is rejected with each problem
//! named (line, column, value, reason) and nothing of it is stored; the valid rows are
//! stored in one transaction. Records are matched by natural keys (e-mail addresses,
//! street and postcode, unit label, tenancy start), so importing a file again adds
//! nothing. A preview runs exactly the same import and rolls it back.

mod book;
mod cells;
mod contractors;
mod properties;
mod sheet;

use crate::csv_text::csv_text;
use crate::error::{Result, ServiceError, capitalise};
use crate::store::Store;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use book::Book;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{Field, ImportCounts, ImportFile, ImportKind, ImportProgress, ImportReport, RowProblem};
use plumbline_domain::{Actor, Role};
use sheet::{Row, Sheet};
use std::collections::HashMap;

/// Larger than any agency's book as CSV (100,000 rows is about 20 MB).
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// How often (in rows) a long import reports its progress.
const PROGRESS_EVERY: usize = 250;

/// A column and the other names spreadsheets give it (as [`sheet::header_key`]s).
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
}

pub const fn column(name: &'static str, aliases: &'static [&'static str]) -> Column {
    Column { name, aliases }
}

/// Where each known column is in this file.
pub struct Header {
    index: HashMap<&'static str, usize>,
}

impl Header {
    fn new(headers: &[String], columns: &[Column]) -> Self {
        let index = columns
            .iter()
            .filter_map(|column| {
                let position = headers.iter().position(|h| h == column.name || column.aliases.contains(&h.as_str()));
                position.map(|at| (column.name, at))
            })
            .collect();
        Self { index }
    }

    fn has(&self, column: &str) -> bool {
        self.index.contains_key(column)
    }

    /// The row's cell in `column`, blank when the file has no such column.
    pub fn get<'r>(&self, row: &'r Row, column: &str) -> &'r str {
        self.index.get(column).and_then(|at| row.cells.get(*at)).map_or("", String::as_str)
    }
}

/// A row's problems, gathered so that all of them are reported at once.
pub struct Problems {
    line: u64,
    pub list: Vec<RowProblem>,
}

impl Problems {
    fn new(line: u64) -> Self {
        Self { line, list: Vec::new() }
    }

    pub fn add(&mut self, column: &str, value: &str, reason: impl Into<String>) {
        let (row, column, value) = (self.line, column.to_owned(), value.to_owned());
        self.list.push(RowProblem { row, column, value, reason: capitalise(&reason.into()) });
    }

    /// The cell as it is, noting when it is longer than `max` characters.
    pub fn text(&mut self, column: &str, value: &str, max: usize) -> String {
        if value.chars().count() > max {
            self.add(column, value, format!("longer than {max} characters"));
        }
        value.to_owned()
    }

    /// As [`Problems::text`], noting a blank cell too.
    pub fn required(&mut self, column: &str, value: &str, max: usize) -> String {
        if value.is_empty() {
            self.add(column, value, "is empty");
        }
        self.text(column, value, max)
    }

    /// `Some(value)` if it is fine, else records why not.
    pub fn check<T>(&mut self, column: &str, value: &str, parsed: Result<T, String>) -> Option<T> {
        parsed.map_err(|reason| self.add(column, value, reason)).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// What a row came to: the records it added (none: all already on record), or why it
/// was rejected.
pub type RowOutcome = std::result::Result<ImportCounts, Vec<RowProblem>>;

/// What the file would add and reject; nothing is stored. Admin only.
pub async fn preview(store: &Store, actor: Actor, now: DateTime<Utc>, file: &ImportFile) -> Result<ImportReport> {
    import(store, actor, now, file, false, &|_| {}).await
}

/// Imports the file's valid rows in one transaction. Admin only.
pub async fn run(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    file: &ImportFile,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<ImportReport> {
    import(store, actor, now, file, true, progress).await
}

async fn import(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    file: &ImportFile,
    apply: bool,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<ImportReport> {
    if actor.role != Role::Admin {
        return Err(ServiceError::NotAllowed("only an agency admin can import records".into()));
    }
    let (encoding, separator, sheet) = read_file(file)?;
    let kind = kind_of(&sheet)?;
    let mut report = ImportReport {
        file_name: file.file_name.clone(),
        kind,
        encoding: encoding.to_owned(),
        separator: char::from(separator),
        applied: false,
        rows: sheet.rows.len() as u64,
        unchanged: 0,
        duplicates: 0,
        created: ImportCounts::default(),
        rejected: Vec::new(),
    };
    let mut tx = store.write().await?;
    let mut book = Book::load(&mut tx).await?;
    let header = Header::new(&sheet.headers, columns(kind));
    let mut first_seen: HashMap<&[String], u64> = HashMap::new();
    let total = sheet.rows.len() as u64;
    for (done, row) in sheet.rows.iter().enumerate() {
        if done % PROGRESS_EVERY == 0 {
            progress(ImportProgress { done: done as u64, total });
        }
        if first_seen.insert(row.cells.as_slice(), row.line).is_some() {
            report.duplicates += 1;
            continue;
        }
        let outcome = match kind {
            ImportKind::Properties => properties::import_row(&mut tx, &mut book, &header, row, now).await?,
            ImportKind::Contractors => contractors::import_row(&mut tx, &mut book, &header, row, now).await?,
        };
        match outcome {
            Ok(created) if created.total() == 0 => report.unchanged += 1,
            Ok(created) => add(&mut report.created, created),
            Err(problems) => report.rejected.extend(problems),
        }
    }
    progress(ImportProgress { done: total, total });
    if apply {
        tx.commit().await?;
        report.applied = true;
    }
    // Not applied: dropping the transaction rolls every write back.
    Ok(report)
}

fn read_file(file: &ImportFile) -> Result<(&'static str, u8, Sheet)> {
    let unreadable = |message: String| ServiceError::validation(Field::File, message);
    let bytes = STANDARD
        .decode(file.content_base64.as_bytes())
        .map_err(|_| unreadable("the file's content did not arrive intact; choose it again".into()))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(unreadable(format!(
            "{} is larger than {} MB; split it into smaller files",
            file.file_name,
            MAX_FILE_BYTES >> 20
        )));
    }
    let decoded = sheet::decode(&bytes);
    let separator = sheet::separator(&decoded.text);
    let sheet =
        sheet::read(&decoded.text, separator).map_err(|err| unreadable(format!("{}: {err}", file.file_name)))?;
    Ok((decoded.encoding, separator, sheet))
}

fn columns(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Properties => properties::COLUMNS,
        ImportKind::Contractors => contractors::COLUMNS,
    }
}

fn required(kind: ImportKind) -> &'static [&'static str] {
    match kind {
        ImportKind::Properties => properties::REQUIRED,
        ImportKind::Contractors => contractors::REQUIRED,
    }
}

/// Which records the header names, or which columns it lacks.
fn kind_of(sheet: &Sheet) -> Result<ImportKind> {
    let mut best = None;
    for kind in [ImportKind::Properties, ImportKind::Contractors] {
        let header = Header::new(&sheet.headers, columns(kind));
        let missing: Vec<&str> = required(kind).iter().copied().filter(|column| !header.has(column)).collect();
        if missing.is_empty() {
            return Ok(kind);
        }
        let found = required(kind).len() - missing.len();
        if best.as_ref().is_none_or(|(_, _, most)| found > *most) {
            best = Some((kind, missing, found));
        }
    }
    let message = match best {
        Some((kind, missing, found)) if found > 0 => {
            format!("this looks like a {} file but has no {} column", kind.label().to_lowercase(), missing.join(", "))
        }
        _ => "the first row must name the columns: a properties file has landlord_email, street, city and postcode; \
              a contractors file has company, email and trades"
            .to_owned(),
    };
    Err(ServiceError::validation(Field::File, message))
}

fn add(total: &mut ImportCounts, row: ImportCounts) {
    total.landlords += row.landlords;
    total.properties += row.properties;
    total.units += row.units;
    total.tenants += row.tenants;
    total.tenancies += row.tenancies;
    total.contractors += row.contractors;
}

/// The report's rejected rows as CSV (row, column, value, reason), for the admin to fix
/// the file from.
pub fn report_csv(report: &ImportReport) -> Result<String> {
    let heading = ["row", "column", "value", "reason"].map(String::from).to_vec();
    let problems =
        report.rejected.iter().map(|p| vec![p.row.to_string(), p.column.clone(), p.value.clone(), p.reason.clone()]);
    csv_text("the report", std::iter::once(heading).chain(problems))
}
