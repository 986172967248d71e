//! Row-for-row copies between the two engines, so one archive format serves both: an
//! agency server's PostgreSQL store is copied into the archive's SQLite store file, and
//! an archive's SQLite store is copied onto an agency server's new PostgreSQL database.
//!
//! Both sides are migrated to the same schema first (the migrations are twins, held
//! equal by the schema test), so only rows move. Tables go parents first, rows in key
//! order, so PostgreSQL's foreign keys hold at every insert.

use crate::error::Result;
use anyhow::{Context, anyhow};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Database, Encode, PgConnection, QueryBuilder, Row, SqliteConnection, Type};
use std::collections::{BTreeMap, BTreeSet};

/// Rows per page read and INSERT written: under either engine's limit on bound values
/// per statement (SQLite's 32,766; the widest table, work_orders, has 41 columns).
const ROWS_PER_INSERT: usize = 500;

/// sqlx's own bookkeeping: each side keeps its own record of the migrations it ran.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// A table to copy and its columns, in the order both sides declare them.
#[derive(Debug)]
pub(super) struct Table {
    name: String,
    columns: Vec<Column>,
}

#[derive(Debug)]
struct Column {
    name: String,
    kind: Kind,
}

/// The column types the schema uses (BIGINT, TEXT, BOOLEAN, BYTEA/BLOB).
#[derive(Debug, Clone, Copy)]
enum Kind {
    Int,
    Text,
    Bool,
    Bytes,
}

/// One cell on its way from one engine to the other.
#[derive(Debug)]
enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Bytes(Option<Vec<u8>>),
}

/// Every table of the schema but the search index (each engine's own, rebuilt by its
/// triggers as the rows arrive), parents before children: names and foreign keys read
/// from the SQLite side, column types from PostgreSQL's catalogue (SQLite stores a
/// boolean as an integer, so only PostgreSQL can say which columns are flags).
pub(super) async fn tables(sqlite: &mut SqliteConnection, pg: &mut PgConnection) -> Result<Vec<Table>> {
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name NOT LIKE 'search\\_%' ESCAPE '\\' AND name <> ?",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(&mut *sqlite)
    .await?;
    let mut parents = BTreeMap::new();
    for (name,) in &names {
        let referenced: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)")
            .bind(name)
            .fetch_all(&mut *sqlite)
            .await?;
        let referenced: BTreeSet<String> = referenced.into_iter().map(|(table,)| table).filter(|t| t != name).collect();
        parents.insert(name.clone(), referenced);
    }
    let mut tables = Vec::with_capacity(names.len());
    for name in parents_first(parents)? {
        let columns = columns_of(&name, sqlite, pg).await?;
        tables.push(Table { name, columns });
    }
    Ok(tables)
}

/// Orders tables so each comes after every table it references.
fn parents_first(mut parents: BTreeMap<String, BTreeSet<String>>) -> Result<Vec<String>> {
    let mut ordered = Vec::with_capacity(parents.len());
    while !parents.is_empty() {
        let ready: Vec<String> =
            parents.iter().filter(|(_, needs)| needs.is_empty()).map(|(name, _)| name.clone()).collect();
        if ready.is_empty() {
            return Err(anyhow!("the tables' foreign keys form a cycle: {:?}", parents.keys()).into());
        }
        for name in &ready {
            parents.remove(name);
        }
        for needs in parents.values_mut() {
            needs.retain(|table| !ready.contains(table));
        }
        ordered.extend(ready);
    }
    Ok(ordered)
}

async fn columns_of(table: &str, sqlite: &mut SqliteConnection, pg: &mut PgConnection) -> Result<Vec<Column>> {
    let declared: Vec<(String,)> = sqlx::query_as("SELECT name FROM pragma_table_info(?) ORDER BY cid")
        .bind(table)
        .fetch_all(&mut *sqlite)
        .await?;
    let types: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1",
    )
    .bind(table)
    .fetch_all(&mut *pg)
    .await?;
    let types: BTreeMap<String, String> = types.into_iter().collect();
    declared
        .into_iter()
        .map(|(name,)| {
            let data_type =
                types.get(&name).ok_or_else(|| anyhow!("{table}.{name} is not in the PostgreSQL schema"))?;
            let kind = match data_type.as_str() {
                "bigint" | "integer" | "smallint" => Kind::Int,
                "text" | "character varying" => Kind::Text,
                "boolean" => Kind::Bool,
                "bytea" => Kind::Bytes,
                other => return Err(anyhow!("{table}.{name} has type {other}, which the archive cannot carry").into()),
            };
            Ok(Column { name, kind })
        })
        .collect()
}

/// Copies `$table`'s rows page by page from `$from` (read with `$read`) into `$to`
/// (engine `$db`). A macro rather than a generic function: the two connections are of
/// different engines, and sqlx's executor bounds over both would say less than this.
macro_rules! copy_table {
    ($table:expr, $from:expr, $read:ident, $to:expr, $db:ty) => {
        for page in 0.. {
            let rows = sqlx::query(&$table.select_page(page)).fetch_all(&mut *$from).await?;
            let rows: Vec<Vec<Cell>> = rows.iter().map(|row| $table.$read(row)).collect::<Result<_>>()?;
            if rows.is_empty() {
                break;
            }
            $table.insert::<$db>(&rows).build().execute(&mut *$to).await?;
        }
    };
}

/// Replaces every row of the SQLite copy with PostgreSQL's (inside the caller's
/// transactions: a consistent read on one side, one write on the other).
pub(super) async fn postgres_to_sqlite(
    tables: &[Table],
    pg: &mut PgConnection,
    sqlite: &mut SqliteConnection,
) -> Result<()> {
    for table in tables.iter().rev() {
        sqlx::query(&table.delete_all()).execute(&mut *sqlite).await?;
    }
    for table in tables {
        copy_table!(table, pg, read_pg, sqlite, sqlx::Sqlite);
    }
    Ok(())
}

/// Replaces every row of the PostgreSQL store with the SQLite copy's, then moves each
/// identity column's counter past the highest id copied, so new rows get fresh ids.
pub(super) async fn sqlite_to_postgres(
    tables: &[Table],
    sqlite: &mut SqliteConnection,
    pg: &mut PgConnection,
) -> Result<()> {
    for table in tables.iter().rev() {
        sqlx::query(&table.delete_all()).execute(&mut *pg).await?;
    }
    for table in tables {
        copy_table!(table, sqlite, read_sqlite, pg, sqlx::Postgres);
        table.move_identity_past_copied_ids(pg).await?;
    }
    Ok(())
}

impl Table {
    /// One page of rows in key order (the first column is the key, or its first part),
    /// so a row that names another of its table (a sub-category's parent) comes after
    /// it; ordered by every column, so pages never overlap. Both sides read inside one
    /// transaction, so the pages are of one snapshot.
    fn select_page(&self, page: usize) -> String {
        let order: Vec<String> = (1..=self.columns.len()).map(|n| n.to_string()).collect();
        format!(
            "SELECT {} FROM {} ORDER BY {} LIMIT {ROWS_PER_INSERT} OFFSET {}",
            self.column_list(),
            quoted(&self.name),
            order.join(", "),
            page * ROWS_PER_INSERT
        )
    }

    /// One multi-row INSERT of `rows`, on either engine.
    fn insert<'a, DB: Database>(&self, rows: &'a [Vec<Cell>]) -> QueryBuilder<'a, DB>
    where
        Option<i64>: Encode<'a, DB> + Type<DB>,
        Option<String>: Encode<'a, DB> + Type<DB>,
        Option<bool>: Encode<'a, DB> + Type<DB>,
        Option<Vec<u8>>: Encode<'a, DB> + Type<DB>,
    {
        let mut insert = QueryBuilder::new(self.insert_into());
        insert.push_values(rows, |mut values, row| {
            for cell in row {
                match cell {
                    Cell::Int(v) => values.push_bind(*v),
                    Cell::Text(v) => values.push_bind(v.clone()),
                    Cell::Bool(v) => values.push_bind(*v),
                    Cell::Bytes(v) => values.push_bind(v.clone()),
                };
            }
        });
        insert
    }

    fn insert_into(&self) -> String {
        format!("INSERT INTO {} ({}) ", quoted(&self.name), self.column_list())
    }

    /// Children first (the callers go in reverse order), so foreign keys hold throughout.
    fn delete_all(&self) -> String {
        format!("DELETE FROM {}", quoted(&self.name))
    }

    fn column_list(&self) -> String {
        self.columns.iter().map(|c| quoted(&c.name)).collect::<Vec<_>>().join(", ")
    }

    fn read_pg(&self, row: &PgRow) -> Result<Vec<Cell>> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, column)| self.cell(column, || read_cell(row, i, column.kind)))
            .collect()
    }

    fn read_sqlite(&self, row: &SqliteRow) -> Result<Vec<Cell>> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, column)| self.cell(column, || read_cell(row, i, column.kind)))
            .collect()
    }

    fn cell(&self, column: &Column, read: impl FnOnce() -> sqlx::Result<Cell>) -> Result<Cell> {
        Ok(read().with_context(|| format!("reading {}.{}", self.name, column.name))?)
    }

    async fn move_identity_past_copied_ids(&self, pg: &mut PgConnection) -> Result<()> {
        if !self.columns.iter().any(|c| c.name == "id") {
            return Ok(());
        }
        let (sequence,): (Option<String>,) =
            sqlx::query_as("SELECT pg_get_serial_sequence($1, 'id')").bind(&self.name).fetch_one(&mut *pg).await?;
        if sequence.is_some() {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{0}', 'id'), coalesce(max(id), 0) + 1, false) FROM {0}",
                self.name
            ))
            .execute(&mut *pg)
            .await?;
        }
        Ok(())
    }
}

/// An identifier as both engines read it, whatever word it is. Names come from the
/// schema itself, never from input.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn read_cell<'r, R: Row>(row: &'r R, index: usize, kind: Kind) -> sqlx::Result<Cell>
where
    usize: sqlx::ColumnIndex<R>,
    Option<i64>: sqlx::Decode<'r, R::Database> + Type<R::Database>,
    Option<String>: sqlx::Decode<'r, R::Database> + Type<R::Database>,
    Option<bool>: sqlx::Decode<'r, R::Database> + Type<R::Database>,
    Option<Vec<u8>>: sqlx::Decode<'r, R::Database> + Type<R::Database>,
{
    Ok(match kind {
        Kind::Int => Cell::Int(row.try_get(index)?),
        Kind::Text => Cell::Text(row.try_get(index)?),
        Kind::Bool => Cell::Bool(row.try_get(index)?),
        Kind::Bytes => Cell::Bytes(row.try_get(index)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_come_after_every_table_they_reference() {
        let parents = BTreeMap::from([
            ("work_orders".to_owned(), BTreeSet::from(["units".to_owned(), "users".to_owned()])),
            ("units".to_owned(), BTreeSet::from(["properties".to_owned()])),
            ("properties".to_owned(), BTreeSet::from(["users".to_owned()])),
            ("users".to_owned(), BTreeSet::new()),
        ]);
        assert_eq!(parents_first(parents).unwrap(), ["users", "properties", "units", "work_orders"]);
        let cycle = BTreeMap::from([
            ("a".to_owned(), BTreeSet::from(["b".to_owned()])),
            ("b".to_owned(), BTreeSet::from(["a".to_owned()])),
        ]);
        assert!(parents_first(cycle).is_err());
    }
}
