//! Finding anything from one box (#19): orders, properties and people matching every
//! typed word, each as the start of a word, answered while the user types.
//!
//! The index is each engine's own, kept by triggers in the same transaction as every
//! write (migrations 0025): FTS5 tables on SQLite, `tsvector`s under GIN indexes on
//! PostgreSQL. What a searcher may see is decided inside the query: the order
//! visibility every list uses, and internal notes matched only for the agency.
//! A word found nowhere is read as the nearest indexed word (`words`).

mod words;

use crate::db::Sql;
use crate::error::{Result, ServiceError};
use crate::store::Store;
use crate::work_orders::access::{push_visible_to, sees_every_order};
use plumbline_domain::api::{
    Correction, Field, OrderHit, PersonHit, PropertyHit, Search, SearchResults, WorkOrderFilter,
};
use plumbline_domain::ids::PropertyId;
use plumbline_domain::search::{MAX_SEARCH_CHARS, excerpt, words as words_of};
use plumbline_domain::{Actor, Reference, Role, State, UserId, WorkOrderId};
use std::borrow::Cow;

/// Most results of each kind one search returns.
pub const MAX_RESULTS: u32 = 20;

/// Characters of context either side of the first match in an excerpt.
const EXCERPT_AROUND: usize = 40;

/// Everything `actor` may see that matches `request.text`, grouped.
pub async fn search(store: &Store, actor: Actor, request: &Search) -> Result<SearchResults> {
    if request.limit == 0 || request.limit > MAX_RESULTS {
        return Err(ServiceError::validation(Field::Limit, format!("a search shows 1 to {MAX_RESULTS} of each")));
    }
    check_length(&request.text)?;
    let typed = words_to_find(&request.text);
    if typed.is_empty() {
        return Ok(SearchResults::default());
    }
    let read = words::read(store, &typed).await?;
    let looked_for: Vec<String> = read.iter().map(|w| w.looked_for.clone()).collect();
    let limit = i64::from(request.limit);
    let mut results = SearchResults {
        orders: find_orders(store, actor, &looked_for, limit).await?,
        properties: find_properties(store, actor, &looked_for, limit).await?,
        people: find_people(store, actor, &looked_for, limit).await?,
        words: looked_for,
        corrected: Vec::new(),
    };
    // Said only with something found: a correction drawn from text the searcher may not
    // read (another landlord's orders, an internal note) then finds nothing to show.
    if !results.is_empty() {
        results.corrected = corrections(read);
    }
    Ok(results)
}

/// The words read as others ("okafr" as "okafor").
fn corrections(read: Vec<words::ReadWord>) -> Vec<Correction> {
    read.into_iter()
        .filter(|w| w.typed != w.looked_for)
        .map(|w| Correction { typed: w.typed, read_as: w.looked_for })
        .collect()
}

/// The words a search looks for: one-letter words only when nothing longer was typed
/// (a lone "a" would match most of the store, and narrows little beside other words).
pub(crate) fn words_to_find(text: &str) -> Vec<String> {
    let words = words_of(text);
    let longer: Vec<String> = words.iter().filter(|w| w.chars().count() > 1).cloned().collect();
    if longer.is_empty() { words.into_iter().filter(|w| w.chars().all(char::is_numeric)).collect() } else { longer }
}

pub(crate) fn check_length(text: &str) -> Result<()> {
    if text.chars().count() > MAX_SEARCH_CHARS {
        return Err(ServiceError::validation(
            Field::Query,
            format!("search for at most {MAX_SEARCH_CHARS} characters"),
        ));
    }
    Ok(())
}

/// A list's filter with its search words as the index reads them (a misspelt word as
/// the nearest indexed one), so the list finds what the palette finds; and the words so
/// read, for the list to say.
pub(crate) struct ReadFilter<'a> {
    pub filter: Cow<'a, WorkOrderFilter>,
    pub corrected: Vec<Correction>,
}

pub(crate) async fn read_filter_words<'a>(store: &Store, filter: &'a WorkOrderFilter) -> Result<ReadFilter<'a>> {
    let Some(text) = filter.text.as_deref() else {
        return Ok(ReadFilter { filter: Cow::Borrowed(filter), corrected: Vec::new() });
    };
    let read = words::read(store, &words_to_find(text)).await?;
    let looked_for: Vec<String> = read.iter().map(|w| w.looked_for.clone()).collect();
    let filter = Cow::Owned(WorkOrderFilter { text: Some(looked_for.join(" ")), ..filter.clone() });
    Ok(ReadFilter { filter, corrected: corrections(read) })
}

/// One of the three indexes.
#[derive(Clone, Copy)]
enum Index {
    Orders,
    People,
    Properties,
}

/// Appends ` AND <key> IN (…)`: the rows of `index` holding every word, each as a
/// word's start, in what `actor` may read. Nothing is appended for no words.
fn push_match(query: &mut Sql, key: &str, index: Index, actor: Actor, words: &[String]) {
    if words.is_empty() {
        return;
    }
    let table = index.table();
    query.push(format!(" AND {key} IN ("));
    query.push_per_engine(&format!("SELECT rowid FROM {table} WHERE "), &format!("SELECT s.id FROM {table} s WHERE "));
    push_matching(query, index, actor, words);
    query.push(")");
}

/// Appends the condition that `index`'s row (SQLite: the table itself; PostgreSQL: `s`)
/// holds every word in what `actor` may read.
fn push_matching(query: &mut Sql, index: Index, actor: Actor, words: &[String]) {
    let agency = actor.role.may_see_internal_notes();
    let (vector, public_columns) = match index {
        // Internal notes (and retracted messages) are in `notes`, and the agency's vector.
        Index::Orders if agency => ("agency", None),
        Index::Orders => ("everyone", Some("reference place people issue messages")),
        Index::People | Index::Properties => ("document", None),
    };
    let table = index.table();
    query.push_per_engine(&format!("{table} MATCH "), &format!("s.{vector} @@ to_tsquery('simple', "));
    query.push_bind_per_engine(fts5_query(words, public_columns), tsquery(words));
    query.push_per_engine("", ")");
}

impl Index {
    fn table(self) -> &'static str {
        match self {
            Index::Orders => "search_orders",
            Index::People => "search_people",
            Index::Properties => "search_properties",
        }
    }
}

/// Every word as a quoted prefix (`"boil"* "okaf"*`), within `columns` if given. The
/// words are letters and digits only (`domain::search::words`), so quoting is enough.
fn fts5_query(words: &[String], columns: Option<&str>) -> String {
    let all: Vec<String> = words.iter().map(|word| format!("\"{word}\"*")).collect();
    match columns {
        Some(columns) => format!("{{{columns}}} : ({})", all.join(" ")),
        None => all.join(" "),
    }
}

/// Every word as a prefix, all required: `boil:* & okaf:*`.
fn tsquery(words: &[String]) -> String {
    words.iter().map(|word| format!("{word}:*")).collect::<Vec<_>>().join(" & ")
}

/// Appends the list's full-text condition, if its filter has words to find.
pub(crate) fn push_order_text(query: &mut Sql, actor: Actor, text: &str) {
    push_match(query, "w.id", Index::Orders, actor, &narrowing_orders(&words_to_find(text)));
}

#[derive(sqlx::FromRow)]
struct OrderRecord {
    id: i64,
    issue: String,
    place: String,
    tenant: Option<String>,
    #[sqlx(try_from = "String")]
    state: State,
    description: String,
}

/// The newest matching orders `actor` may see, each with where it matched.
async fn find_orders(store: &Store, actor: Actor, words: &[String], limit: i64) -> Result<Vec<OrderHit>> {
    let narrowing = narrowing_orders(words);
    let mut query = Sql::new(
        "SELECT w.id, c.name || ' / ' || sub.name AS issue, p.street || ', ' || u.label AS place,
                t.name AS tenant, w.state, w.description
         FROM ",
    );
    if narrowing.is_empty() {
        query.push("work_orders w");
    } else {
        query.push("(");
        push_newest_matching(&mut query, actor, &narrowing, limit);
        query.push(") found JOIN work_orders w ON w.id = found.id");
    }
    query.push(
        " JOIN properties p ON p.id = w.property_id
          JOIN units u ON u.id = w.unit_id
          JOIN categories c ON c.id = w.category_id
          JOIN categories sub ON sub.id = w.subcategory_id
          LEFT JOIN users t ON t.id = w.tenant_id
          WHERE ",
    );
    push_visible_to(&mut query, actor);
    query.push(" ORDER BY w.id DESC LIMIT ").push_bind(limit);
    let records: Vec<OrderRecord> = query.fetch_all(store).await?;
    let threads = threads_of(store, &records, actor).await?;
    let hits = records.into_iter().map(|record| {
        let mut thread = threads.iter().filter(|(order, _)| *order == record.id);
        let found = excerpt(&record.description, words, EXCERPT_AROUND)
            .or_else(|| thread.find_map(|(_, body)| excerpt(body, words, EXCERPT_AROUND)));
        OrderHit {
            id: WorkOrderId(record.id),
            issue: record.issue,
            place: record.place,
            tenant: record.tenant,
            state: record.state,
            excerpt: found,
        }
    });
    Ok(hits.collect())
}

/// Appends a query for the `id`s of the newest `limit` orders `actor` may see that hold
/// every word. The index leads, newest first, so a common word's thousands of matches
/// stop at the first few (SQLite: 10 ms to under 1 ms for "ol" on the 100,000-order
/// store); what the actor may see is a set of ids beside it, left out for the agency.
/// Joined to the orders instead, PostgreSQL walked them all down from the newest to meet
/// an old match ("PL-004321": 100 ms). The `+` keeps SQLite from handing FTS5 those ids
/// to look up one by one, then sorting (220 ms).
fn push_newest_matching(query: &mut Sql, actor: Actor, words: &[String], limit: i64) {
    query.push_per_engine("SELECT rowid AS id FROM search_orders WHERE ", "SELECT s.id FROM search_orders s WHERE ");
    push_matching(query, Index::Orders, actor, words);
    if !sees_every_order(actor.role) {
        query.push_per_engine(" AND +rowid IN (", " AND s.id IN (").push("SELECT w.id FROM work_orders w WHERE ");
        push_visible_to(query, actor);
        query.push(")");
    }
    query.push_per_engine(" ORDER BY rowid DESC", " ORDER BY s.id DESC").push(" LIMIT ").push_bind(limit);
}

/// The words that narrow which orders match: all but a start of the letters every
/// reference begins with ("pl"), which every order holds. Leaving it out changes no
/// answer, and keeps PostgreSQL from sorting every order its index holds ("PL-00" took
/// 60 ms on the 100,000-order store).
fn narrowing_orders(words: &[String]) -> Vec<String> {
    words.iter().filter(|word| !Reference::letters_start_with(word)).cloned().collect()
}

/// The messages of the orders found, oldest first, each as `(order, body)`: where a
/// match in a thread is shown from. Internal notes and retracted messages are read for
/// the agency only, as in their threads.
async fn threads_of(store: &Store, records: &[OrderRecord], actor: Actor) -> Result<Vec<(i64, String)>> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = Sql::new("SELECT work_order_id, body FROM messages WHERE work_order_id IN (");
    query.push_bind_list(records.iter().map(|r| r.id)).push(")");
    if !actor.role.may_see_internal_notes() {
        query.push(" AND internal = FALSE AND retracted_at IS NULL");
    }
    query.push(" ORDER BY id");
    query.fetch_all(store).await
}

/// Matching properties: every one for the agency, a landlord's own for a landlord.
async fn find_properties(store: &Store, actor: Actor, words: &[String], limit: i64) -> Result<Vec<PropertyHit>> {
    let mut query = Sql::new(
        "SELECT p.id, p.street || ', ' || p.city || ' ' || p.postcode, l.name
         FROM properties p JOIN users l ON l.id = p.landlord_id WHERE ",
    );
    match actor.role {
        Role::Staff | Role::Admin => query.push("TRUE"),
        Role::Landlord => query.push("p.landlord_id = ").push_bind(actor.user_id.0),
        Role::Contractor | Role::Tenant => return Ok(Vec::new()),
    };
    push_match(&mut query, "p.id", Index::Properties, actor, words);
    query.push(" ORDER BY p.street, p.id LIMIT ").push_bind(limit);
    let rows: Vec<(i64, String, String)> = query.fetch_all(store).await?;
    Ok(rows.into_iter().map(|(id, address, landlord)| PropertyHit { id: PropertyId(id), address, landlord }).collect())
}

#[derive(sqlx::FromRow)]
struct PersonRecord {
    id: i64,
    name: String,
    #[sqlx(try_from = "String")]
    role: Role,
    details: String,
}

/// Matching landlords, contractors and tenants: the agency's to look up, no one else's.
async fn find_people(store: &Store, actor: Actor, words: &[String], limit: i64) -> Result<Vec<PersonHit>> {
    if !actor.role.is_agency() {
        return Ok(Vec::new());
    }
    let mut query = Sql::new(
        "SELECT u.id, u.name, u.role, coalesce(k.company, u.email) AS details
         FROM users u LEFT JOIN contractors k ON k.user_id = u.id WHERE TRUE",
    );
    push_match(&mut query, "u.id", Index::People, actor, words);
    query.push(" ORDER BY u.name, u.id LIMIT ").push_bind(limit);
    let rows: Vec<PersonRecord> = query.fetch_all(store).await?;
    Ok(rows
        .into_iter()
        .map(|r| PersonHit { id: UserId(r.id), name: r.name, role: r.role, details: r.details })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_is_a_prefix_and_all_are_required() {
        let words = vec!["boil".to_owned(), "okaf".to_owned()];
        assert_eq!(fts5_query(&words, None), "\"boil\"* \"okaf\"*");
        assert_eq!(fts5_query(&words, Some("a b")), "{a b} : (\"boil\"* \"okaf\"*)");
        assert_eq!(tsquery(&words), "boil:* & okaf:*");
    }

    #[test]
    fn one_letter_words_count_only_alone_and_only_as_digits() {
        assert_eq!(words_to_find("a leak in 4 b"), ["leak", "in"]);
        assert_eq!(words_to_find("4"), ["4"]);
        assert!(words_to_find("a").is_empty());
    }
}
