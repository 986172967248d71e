//! The two engines' migrations must give the same schema: the service writes each query
//! once for both, so a column, index or key that one engine lacks is a bug that only
//! shows on that engine. This compares what each database reports about itself after
//! migrating: tables, columns (name, type class, nullability, default, order), primary
//! keys, unique constraints, indexes (name, uniqueness, keys, partial or not) and foreign
//! keys. CHECK constraints are not compared (each engine rewrites their text its own way).

use crate::support::{postgres_store, postgres_url, sqlite_store};
use plumbline_service::Store;
use plumbline_service::db::Sql;
use std::collections::{BTreeMap, BTreeSet};

/// Each table's facts as readable lines, e.g. `users: column email text NOT NULL`.
type Schema = BTreeSet<String>;

#[tokio::test]
async fn sqlite_and_postgres_migrations_give_the_same_schema() {
    let Some(url) = postgres_url() else {
        eprintln!(
            "skipped: set {} (scripts/with-postgres.sh does) to compare the schemas",
            crate::support::POSTGRES_URL_VAR
        );
        return;
    };
    let sqlite = sqlite_schema(&sqlite_store().await.store).await;
    let postgres = postgres_schema(&postgres_store(&url).await.store).await;
    assert!(sqlite.iter().any(|line| line.starts_with("work_orders: index")), "the schema was read: {sqlite:#?}");

    let only_sqlite: Vec<_> = sqlite.difference(&postgres).map(|line| format!("- {line}")).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).map(|line| format!("+ {line}")).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the schemas differ (- only in migrations/sqlite, + only in migrations/postgres):\n{}\n{}",
        only_sqlite.join("\n"),
        only_postgres.join("\n"),
    );
}

/// Indexes only PostgreSQL's planner is given, each with why: a query runs the same on
/// both engines without them, only slower on PostgreSQL.
const POSTGRES_ONLY_INDEXES: &[&str] = &[
    // A report reads its facts from this alone (migrations/postgres/0027); SQLite reads
    // them faster from its table than through such an index (#19).
    "work_orders_report_facts",
];

#[tokio::test]
async fn each_postgres_only_index_is_there() {
    let Some(url) = postgres_url() else { return };
    let test = postgres_store(&url).await;
    for index in POSTGRES_ONLY_INDEXES {
        let found: Option<(i64,)> = Sql::new("SELECT 1::bigint FROM pg_indexes WHERE indexname = ?")
            .bind(*index)
            .fetch_optional(&test.store)
            .await
            .unwrap();
        assert!(found.is_some(), "{index} is listed as PostgreSQL's own but is not there");
    }
}

/// SQLite's declared type, by its affinity rules; PostgreSQL's BOOLEAN flags are 0/1
/// integers here.
fn type_class(declared: &str) -> &'static str {
    let declared = declared.to_ascii_lowercase();
    if declared.contains("int") || declared == "boolean" {
        "integer"
    } else if ["char", "clob", "text"].iter().any(|t| declared.contains(t)) {
        "text"
    } else if declared.is_empty() || declared.contains("blob") || declared == "bytea" {
        "blob"
    } else if ["real", "floa", "doub"].iter().any(|t| declared.contains(t)) {
        "real"
    } else {
        "numeric"
    }
}

/// A default as both engines would agree on it: PostgreSQL's `'GBP'::text` is SQLite's
/// `'GBP'`, and a flag's TRUE/FALSE is SQLite's 1/0.
fn normal_default(default: Option<&str>) -> String {
    let Some(default) = default else { return "no default".to_owned() };
    let default = match default.rfind("::") {
        Some(cast) if !default[cast..].contains('\'') => &default[..cast],
        _ => default,
    };
    match default.to_ascii_lowercase().as_str() {
        "true" => "default 1".to_owned(),
        "false" => "default 0".to_owned(),
        _ => format!("default {default}"),
    }
}

/// One column's line. A primary-key column cannot be NULL on either engine (SQLite's
/// `INTEGER PRIMARY KEY` is the rowid), though SQLite does not say NOT NULL for it.
fn column_line(table: &str, name: &str, declared: &str, not_null: bool, default: Option<&str>) -> String {
    let null = if not_null { "NOT NULL" } else { "NULL" };
    format!("{table}: column {name} {} {null} {}", type_class(declared), normal_default(default))
}

/// An index's key: a column or an expression, lower-case without spaces, and DESC.
fn key(term: &str, descending: bool) -> String {
    let term: String = term.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    if descending { format!("{term} DESC") } else { term }
}

fn index_line(table: &str, name: &str, unique: bool, keys: &[String], partial: bool) -> String {
    let unique = if unique { "UNIQUE " } else { "" };
    let partial = if partial { " WHERE …" } else { "" };
    format!("{table}: index {name} {unique}({}){partial}", keys.join(", "))
}

// ---- SQLite: its pragma table functions.

async fn sqlite_schema(store: &Store) -> Schema {
    let tables: Vec<(String,)> = Sql::new(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' AND name NOT LIKE 'search\\_%' ESCAPE '\\' ORDER BY name",
    )
    .fetch_all(store)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for (table,) in tables {
        schema.insert(format!("{table}: table"));
        sqlite_columns(store, &table, &mut schema).await;
        sqlite_indexes(store, &table, &mut schema).await;
        sqlite_foreign_keys(store, &table, &mut schema).await;
    }
    schema
}

async fn sqlite_columns(store: &Store, table: &str, schema: &mut Schema) {
    let columns: Vec<(String, String, i64, Option<String>, i64)> =
        Sql::new("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid")
            .bind(table)
            .fetch_all(store)
            .await
            .unwrap();
    let mut primary_key: Vec<(i64, &str)> = Vec::new();
    for (name, declared, not_null, default, pk) in &columns {
        schema.insert(column_line(table, name, declared, *not_null == 1 || *pk > 0, default.as_deref()));
        if *pk > 0 {
            primary_key.push((*pk, name));
        }
    }
    let order: Vec<&str> = columns.iter().map(|(name, ..)| name.as_str()).collect();
    schema.insert(format!("{table}: columns in order {}", order.join(", ")));
    primary_key.sort();
    if !primary_key.is_empty() {
        let keys: Vec<&str> = primary_key.into_iter().map(|(_, name)| name).collect();
        schema.insert(format!("{table}: primary key ({})", keys.join(", ")));
    }
}

async fn sqlite_indexes(store: &Store, table: &str, schema: &mut Schema) {
    let indexes: Vec<(String, i64, String, i64)> =
        Sql::new("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)")
            .bind(table)
            .fetch_all(store)
            .await
            .unwrap();
    for (index, unique, origin, partial) in indexes {
        // A primary key's index is the primary key line (from the columns).
        if origin == "pk" {
            continue;
        }
        let keys = sqlite_index_keys(store, &index).await;
        if origin == "u" {
            // Named by SQLite (sqlite_autoindex_…), by PostgreSQL (…_key): compared by columns.
            schema.insert(format!("{table}: unique ({})", keys.join(", ")));
        } else {
            schema.insert(index_line(table, &index, unique == 1, &keys, partial == 1));
        }
    }
}

/// The index's keys in order; an expression's text comes from its CREATE INDEX, since
/// the pragma names only columns.
async fn sqlite_index_keys(store: &Store, index: &str) -> Vec<String> {
    let keys: Vec<(i64, Option<String>, i64)> =
        Sql::new("SELECT cid, name, \"desc\" FROM pragma_index_xinfo(?) WHERE \"key\" = 1 ORDER BY seqno")
            .bind(index)
            .fetch_all(store)
            .await
            .unwrap();
    let (sql,): (Option<String>,) = Sql::new("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
        .bind(index)
        .fetch_one(store)
        .await
        .unwrap();
    let written = sql.as_deref().map(written_keys).unwrap_or_default();
    keys.into_iter()
        .enumerate()
        .map(|(i, (cid, name, desc))| {
            let term = match name {
                Some(name) => name,
                None => written.get(i).cloned().unwrap_or_else(|| format!("<expression {cid}>")),
            };
            key(&term, desc == 1)
        })
        .collect()
}

/// The terms of `CREATE INDEX … ON t (a, lower(b) DESC) WHERE …`, without ASC/DESC.
fn written_keys(sql: &str) -> Vec<String> {
    let Some(open) = sql.find('(') else { return Vec::new() };
    let mut terms = vec![String::new()];
    let mut depth = 0;
    for c in sql[open + 1..].chars() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                terms.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(term) = terms.last_mut() {
            term.push(c);
        }
    }
    terms
        .into_iter()
        .map(|term| {
            let term = term.trim();
            let upper = term.to_ascii_uppercase();
            let bare = if upper.ends_with(" DESC") || upper.ends_with(" ASC") {
                term.rsplit_once(' ').map_or(term, |(bare, _)| bare)
            } else {
                term
            };
            bare.trim().to_owned()
        })
        .collect()
}

async fn sqlite_foreign_keys(store: &Store, table: &str, schema: &mut Schema) {
    let references: Vec<(i64, String, String, Option<String>)> =
        Sql::new("SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq")
            .bind(table)
            .fetch_all(store)
            .await
            .unwrap();
    let mut keys: BTreeMap<i64, (String, Vec<String>, Vec<String>)> = BTreeMap::new();
    for (id, target, from, to) in references {
        let entry = keys.entry(id).or_insert_with(|| (target, Vec::new(), Vec::new()));
        entry.1.push(from);
        // Written `REFERENCES t` alone means t's primary key; every one here names it.
        entry.2.push(to.unwrap_or_else(|| "<primary key>".to_owned()));
    }
    for (target, from, to) in keys.into_values() {
        schema.insert(foreign_key_line(table, &from, &target, &to));
    }
}

fn foreign_key_line(table: &str, from: &[String], target: &str, to: &[String]) -> String {
    format!("{table}: foreign key ({}) -> {target} ({})", from.join(", "), to.join(", "))
}

// ---- PostgreSQL: information_schema and pg_catalog, in the store's own schema.

async fn postgres_schema(store: &Store) -> Schema {
    let tables: Vec<(String,)> = Sql::new(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations' AND table_name NOT LIKE 'search\\_%' ORDER BY 1",
    )
    .fetch_all(store)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for (table,) in tables {
        schema.insert(format!("{table}: table"));
        postgres_columns(store, &table, &mut schema).await;
        postgres_indexes(store, &table, &mut schema).await;
        postgres_foreign_keys(store, &table, &mut schema).await;
    }
    schema
}

async fn postgres_columns(store: &Store, table: &str, schema: &mut Schema) {
    let columns: Vec<(String, String, bool, Option<String>)> = Sql::new(
        "SELECT column_name::text, data_type::text, is_nullable = 'NO', column_default::text \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(store)
    .await
    .unwrap();
    for (name, declared, not_null, default) in &columns {
        schema.insert(column_line(table, name, declared, *not_null, default.as_deref()));
    }
    let order: Vec<&str> = columns.iter().map(|(name, ..)| name.as_str()).collect();
    schema.insert(format!("{table}: columns in order {}", order.join(", ")));
}

async fn postgres_indexes(store: &Store, table: &str, schema: &mut Schema) {
    // One row per key of each index, in order.
    let keys: Vec<(String, bool, bool, bool, bool, String, bool)> = Sql::new(
        "SELECT i.relname::text, x.indisprimary, \
                EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype = 'u'), \
                x.indisunique, x.indpred IS NOT NULL, \
                pg_get_indexdef(x.indexrelid, k.n, true), (x.indoption[k.n - 1] & 1) = 1 \
         FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace s ON s.oid = t.relnamespace \
         CROSS JOIN LATERAL generate_series(1, x.indnkeyatts::int) AS k(n) \
         WHERE s.nspname = current_schema() AND t.relname = ? \
         ORDER BY i.relname, k.n",
    )
    .bind(table)
    .fetch_all(store)
    .await
    .unwrap();
    let mut indexes: BTreeMap<String, (bool, bool, bool, bool, Vec<String>)> = BTreeMap::new();
    for (index, primary, constraint, unique, partial, term, descending) in keys {
        let entry = indexes.entry(index).or_insert((primary, constraint, unique, partial, Vec::new()));
        entry.4.push(key(&term, descending));
    }
    for (index, (primary, constraint, unique, partial, keys)) in indexes {
        if POSTGRES_ONLY_INDEXES.contains(&index.as_str()) {
            continue;
        }
        let line = if primary {
            format!("{table}: primary key ({})", keys.join(", "))
        } else if constraint {
            format!("{table}: unique ({})", keys.join(", "))
        } else {
            index_line(table, &index, unique, &keys, partial)
        };
        schema.insert(line);
    }
}

async fn postgres_foreign_keys(store: &Store, table: &str, schema: &mut Schema) {
    let references: Vec<(String, String, String, String)> = Sql::new(
        "SELECT c.conname::text, f.relname::text, a.attname::text, fa.attname::text \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_namespace s ON s.oid = t.relnamespace \
         JOIN pg_class f ON f.oid = c.confrelid \
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(col, fcol, n) \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col \
         JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fcol \
         WHERE c.contype = 'f' AND s.nspname = current_schema() AND t.relname = ? \
         ORDER BY c.conname, k.n",
    )
    .bind(table)
    .fetch_all(store)
    .await
    .unwrap();
    let mut keys: BTreeMap<String, (String, Vec<String>, Vec<String>)> = BTreeMap::new();
    for (constraint, target, from, to) in references {
        let entry = keys.entry(constraint).or_insert_with(|| (target, Vec::new(), Vec::new()));
        entry.1.push(from);
        entry.2.push(to);
    }
    for (target, from, to) in keys.into_values() {
        schema.insert(foreign_key_line(table, &from, &target, &to));
    }
}

#[test]
fn index_keys_are_read_from_create_index() {
    assert_eq!(
        written_keys("CREATE UNIQUE INDEX u ON users (lower(email), a DESC, b) WHERE a IS NOT NULL"),
        ["lower(email)", "a", "b"]
    );
    assert_eq!(normal_default(Some("'GBP'::text")), "default 'GBP'");
    assert_eq!(normal_default(Some("'a::b'")), "default 'a::b'");
    assert_eq!(normal_default(Some("true")), normal_default(Some("1")));
}

/// The About box and the server's health check report the schema a store has: after
/// opening, that is this build's newest migration, on either engine.
#[tokio::test]
async fn a_store_reports_the_schema_version_it_was_migrated_to() {
    let newest = plumbline_service::Store::schema_version();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite")).unwrap();
    let numbers = files.map(|file| file.unwrap().file_name().to_string_lossy()[..4].parse::<i64>().unwrap());
    assert_eq!(Some(newest), numbers.max(), "the newest migration file's number");
    assert_eq!(sqlite_store().await.store.applied_schema_version().await.unwrap(), newest);
    if let Some(url) = postgres_url() {
        assert_eq!(postgres_store(&url).await.store.applied_schema_version().await.unwrap(), newest);
    }
}
