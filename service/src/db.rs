//! The one place that knows there are two engines.
//!
//! Every query in the service is written once, as an [`Sql`]: standard SQL that both
//! SQLite and PostgreSQL run, with `?` placeholders and values bound in order. Only here
//! is it turned into each engine's dialect ([`Sql::text_for`]) and run on the engine the
//! store was opened on (a `match` per engine in [`Sql::fetch_all`] and friends).
//!
//! Writing a query once means keeping to what both engines share (see ARCHITECTURE.md,
//! "Two engines"): times are unix seconds and money minor units (plain integers), flags
//! are `BOOLEAN` compared with `TRUE`/`FALSE`, e-mail look-ups go through `lower(email)`,
//! integer expressions that PostgreSQL would type as `int4` or `numeric` (literals in a
//! `CASE`, `sum`) are `CAST(… AS BIGINT)`, and `coalesce` / `string_agg` / `ON CONFLICT`
//! / `RETURNING` are used rather than either engine's own spelling.

use crate::changes::{self, NewChange};
use crate::error::Result;
use plumbline_domain::State;
use sqlx::pool::PoolConnection;
#[cfg(feature = "postgres")]
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Database, FromRow, Sqlite, SqlitePool, Transaction};
#[cfg(feature = "postgres")]
use sqlx::{PgPool, Postgres};
use std::borrow::Cow;
use std::ops::{Deref, DerefMut};
use tokio::sync::broadcast;

/// Which database engine a store runs on. Only the agency server (and the tests) are
/// built with PostgreSQL's driver (the service's `postgres` feature): a desktop opens its
/// own SQLite file and reaches an agency's database through the server, so its binary
/// carries no driver it never uses, nor a second copy of every query's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// One file on this computer: the default for one desk, the demo and offline use.
    Sqlite,
    /// A shared database server: the agency's store behind the agency server.
    Postgres,
}

/// A connection pool on either engine.
#[derive(Debug, Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    #[cfg(feature = "postgres")]
    Postgres(PgPool),
}

impl Pool {
    pub fn engine(&self) -> Engine {
        match self {
            Self::Sqlite(_) => Engine::Sqlite,
            #[cfg(feature = "postgres")]
            Self::Postgres(_) => Engine::Postgres,
        }
    }

    /// A connection for reads, or for writes that need no transaction.
    pub async fn acquire(&self) -> Result<Db> {
        Ok(Db::new(match self {
            Self::Sqlite(pool) => Conn::Sqlite(Held::Conn(pool.acquire().await?)),
            #[cfg(feature = "postgres")]
            Self::Postgres(pool) => Conn::Postgres(Held::Conn(pool.acquire().await?)),
        }))
    }

    /// A write transaction that cannot fail half-way because another writer committed
    /// in between. SQLite: `BEGIN IMMEDIATE` takes the write lock first (waiting up to the
    /// busy timeout), so a read-then-write never meets a stale snapshot. PostgreSQL: READ
    /// COMMITTED, where every guarded `UPDATE … WHERE version = ?` re-reads the row it
    /// waited for; a use case that reads then writes rows it must hold first locks them
    /// with [`Db::lock_order`].
    pub async fn begin_write(&self) -> Result<Db> {
        Ok(Db::new(match self {
            Self::Sqlite(pool) => Conn::Sqlite(Held::Tx(pool.begin_with("BEGIN IMMEDIATE").await?)),
            #[cfg(feature = "postgres")]
            Self::Postgres(pool) => Conn::Postgres(Held::Tx(pool.begin().await?)),
        }))
    }
}

/// A connection taken from the pool, possibly inside a transaction: what use cases pass
/// to the queries and helpers they share. It also carries the changes the transaction
/// announces to the change feed, written when it commits (see [`Db::commit`]).
#[derive(Debug)]
pub struct Db {
    conn: Conn,
    /// The feed's changes this transaction made, in the order it made them.
    announced: Vec<NewChange>,
    /// Wake the feed's subscribers at commit even without a change (a session ended).
    wake_at_commit: bool,
    /// The store's wake, sent once this transaction has committed (set by `Store::write`).
    wake: Option<broadcast::Sender<()>>,
}

/// The connection itself, on its engine.
#[derive(Debug)]
pub enum Conn {
    Sqlite(Held<Sqlite>),
    #[cfg(feature = "postgres")]
    Postgres(Held<Postgres>),
}

/// A pooled connection, or one inside a transaction (rolled back if dropped uncommitted).
#[derive(Debug)]
pub enum Held<DB: Database> {
    Conn(PoolConnection<DB>),
    Tx(Transaction<'static, DB>),
}

impl<DB: Database> Deref for Held<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &Self::Target {
        match self {
            Self::Conn(conn) => conn,
            Self::Tx(tx) => tx,
        }
    }
}

impl<DB: Database> DerefMut for Held<DB> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            Self::Conn(conn) => conn,
            Self::Tx(tx) => tx,
        }
    }
}

/// The advisory-lock key the change feed's writers take in turn (PostgreSQL): any constant
/// no other part of Plumbline uses ("PLMBFEED" in ASCII).
pub const FEED_LOCK: i64 = 0x504C_4D42_4645_4544;

/// The advisory-lock key first-run set-up takes (PostgreSQL): "PLMBSETU" in ASCII.
const SET_UP_LOCK: i64 = 0x504C_4D42_5345_5455;

/// The channel PostgreSQL's `NOTIFY` announces committed changes on.
pub const FEED_CHANNEL: &str = "plumbline_changes";

impl Db {
    fn new(conn: Conn) -> Self {
        Self { conn, announced: Vec::new(), wake_at_commit: false, wake: None }
    }

    pub fn engine(&self) -> Engine {
        match self.conn {
            Conn::Sqlite(_) => Engine::Sqlite,
            #[cfg(feature = "postgres")]
            Conn::Postgres(_) => Engine::Postgres,
        }
    }

    /// Sends `wake` once this transaction has committed with something to announce.
    pub(crate) fn wake_after_commit(&mut self, wake: broadcast::Sender<()>) {
        self.wake = Some(wake);
    }

    /// Announces `change` to the feed when (and only if) this transaction commits.
    pub(crate) fn announce(&mut self, change: NewChange) {
        self.announced.push(change);
    }

    /// Takes back every change announced so far in this transaction: the generated
    /// agencies' past, written through the real paths (payouts), is not news.
    pub(crate) fn withdraw_announcements(&mut self) {
        self.announced.clear();
    }

    /// Wakes the feed's subscribers at commit though no change is announced: a session
    /// ended, so its open streams must stop.
    pub(crate) fn wake_subscribers_at_commit(&mut self) {
        self.wake_at_commit = true;
    }

    /// Commits the transaction begun by [`Pool::begin_write`]; a plain connection has
    /// nothing to commit. The changes it announced are written last, just before the
    /// commit, so the feed's lock (PostgreSQL) is held for as short a time as possible.
    pub async fn commit(mut self) -> Result<()> {
        let announced = std::mem::take(&mut self.announced);
        let wake = !announced.is_empty() || self.wake_at_commit;
        if !announced.is_empty() {
            self.lock_feed().await?;
            changes::write(&mut self, &announced).await?;
        }
        if wake && self.engine() == Engine::Postgres {
            // Delivered to every listening process when (and only if) the commit succeeds.
            Sql::new("SELECT pg_notify(?, '')").bind(FEED_CHANNEL).execute(&mut self).await?;
        }
        match self.conn {
            Conn::Sqlite(Held::Tx(tx)) => tx.commit().await?,
            #[cfg(feature = "postgres")]
            Conn::Postgres(Held::Tx(tx)) => tx.commit().await?,
            Conn::Sqlite(Held::Conn(_)) => {}
            #[cfg(feature = "postgres")]
            Conn::Postgres(Held::Conn(_)) => {}
        }
        if let (true, Some(sender)) = (wake, &self.wake) {
            // No subscriber is not an error.
            let _ = sender.send(());
        }
        Ok(())
    }

    /// Takes the feed's turn until commit, so change ids become visible in the order they
    /// were drawn: a transaction draws its ids only once every earlier holder has committed
    /// (and made its rows visible: PostgreSQL releases locks after that), so a reader that
    /// has seen id N can never later meet a smaller id. SQLite already has one writer at a
    /// time (`BEGIN IMMEDIATE`).
    async fn lock_feed(&mut self) -> Result<()> {
        if self.engine() == Engine::Postgres {
            Sql::new("SELECT pg_advisory_xact_lock(?)").bind(FEED_LOCK).execute(&mut *self).await?;
        }
        Ok(())
    }

    /// Takes first-run set-up's turn until commit: two set-ups at once on an empty
    /// PostgreSQL database would each count no users and each create an admin (there is
    /// no row yet to lock). SQLite already has one writer at a time.
    pub async fn lock_set_up(&mut self) -> Result<()> {
        if self.engine() == Engine::Postgres {
            Sql::new("SELECT pg_advisory_xact_lock(?)").bind(SET_UP_LOCK).execute(&mut *self).await?;
        }
        Ok(())
    }

    /// Holds the order's row until commit, for a use case that reads something about the
    /// order and then writes on the strength of it (attachment totals, payouts). SQLite
    /// already holds the whole store's write lock (`BEGIN IMMEDIATE`).
    pub async fn lock_order(&mut self, order: i64) -> Result<()> {
        if self.engine() == Engine::Postgres {
            Sql::new("SELECT id FROM work_orders WHERE id = ? FOR UPDATE").bind(order).execute(&mut *self).await?;
        }
        Ok(())
    }
}

/// Where a query runs: straight on the store's pool, or on a connection or transaction.
pub enum On<'a> {
    Pool(&'a Pool),
    Db(&'a mut Db),
}

impl<'a> From<&'a Pool> for On<'a> {
    fn from(pool: &'a Pool) -> Self {
        Self::Pool(pool)
    }
}

impl<'a> From<&'a crate::Store> for On<'a> {
    fn from(store: &'a crate::Store) -> Self {
        Self::Pool(store.pool())
    }
}

impl<'a> From<&'a mut Db> for On<'a> {
    fn from(db: &'a mut Db) -> Self {
        Self::Db(db)
    }
}

/// A value bound to a `?` placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Bytes(Option<Vec<u8>>),
}

/// What a placeholder is bound to: one value, or one on SQLite and another on
/// PostgreSQL (a full-text query in each one's syntax).
#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Both(Value),
    PerEngine { sqlite: Value, postgres: Value },
}

impl Arg {
    fn on(&self, engine: Engine) -> Value {
        match (self, engine) {
            (Arg::Both(value), _) | (Arg::PerEngine { sqlite: value, .. }, Engine::Sqlite) => value.clone(),
            (Arg::PerEngine { postgres: value, .. }, Engine::Postgres) => value.clone(),
        }
    }
}

macro_rules! value_from {
    ($variant:ident: $($from:ty => $convert:expr),* $(,)?) => {$(
        impl From<$from> for Value {
            fn from(value: $from) -> Self {
                #[allow(clippy::redundant_closure_call)]
                Self::$variant(($convert)(value))
            }
        }
    )*};
}

value_from!(Int:
    i64 => Some,
    Option<i64> => |v| v,
    i32 => |v: i32| Some(i64::from(v)),
    Option<i32> => |v: Option<i32>| v.map(i64::from),
    u32 => |v: u32| Some(i64::from(v)),
    u8 => |v: u8| Some(i64::from(v)),
);
value_from!(Text:
    String => Some,
    Option<String> => |v| v,
    &str => |v: &str| Some(v.to_owned()),
    &String => |v: &String| Some(v.clone()),
    Option<&str> => |v: Option<&str>| v.map(str::to_owned),
);
value_from!(Bool: bool => Some, Option<bool> => |v| v);
value_from!(Bytes: Vec<u8> => Some, &[u8] => |v: &[u8]| Some(v.to_vec()));

/// A row type both engines can decode: a tuple, or a `#[derive(sqlx::FromRow)]` struct
/// whose fields both engines know.
#[cfg(feature = "postgres")]
pub trait Record: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
#[cfg(feature = "postgres")]
impl<T> Record for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// A row type SQLite can decode (a build without PostgreSQL's driver).
#[cfg(not(feature = "postgres"))]
pub trait Record: for<'r> FromRow<'r, SqliteRow> + Send + Unpin {}
#[cfg(not(feature = "postgres"))]
impl<T> Record for T where T: for<'r> FromRow<'r, SqliteRow> + Send + Unpin {}

/// A statement written once for both engines, with `?` placeholders bound in order.
/// Built whole (`Sql::new("… ? …").bind(x)`) or piece by piece (`push`, `push_bind`)
/// like sqlx's `QueryBuilder`. Text pushed must never be user input: bind that.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    text: String,
    args: Vec<Arg>,
    /// PostgreSQL's text, once a piece differs between the engines (`push_per_engine`):
    /// until then both run `text`.
    postgres_text: Option<String>,
    /// Planned anew for each run's values instead of kept prepared (`planned_each_run`):
    /// PostgreSQL's; SQLite plans each statement as it is prepared.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    planned_each_run: bool,
}

/// Shorthand for [`Sql::new`].
pub fn query(text: impl Into<String>) -> Sql {
    Sql::new(text)
}

/// The states as SQL literals (`'New', 'Assigned'`), for an `IN (…)` inside a larger
/// expression (`Sql::push_state_list` appends the same to a query).
pub fn state_list(states: impl IntoIterator<Item = State>) -> String {
    // The domain's fixed names (letters only), never user input.
    states.into_iter().map(|state| format!("'{}'", state.as_str())).collect::<Vec<_>>().join(", ")
}

impl Sql {
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into(), args: Vec::new(), postgres_text: None, planned_each_run: false }
    }

    /// Plans the statement on PostgreSQL for each run's own values, not kept prepared on
    /// the connection. After five runs PostgreSQL may keep one generic plan for a
    /// prepared statement, guessing at what its values select: for a query whose best
    /// plan turns on them (a year of every order, or one landlord's few) that guess can
    /// cost ten times what the milliseconds of planning do. (SQLite's plans do not turn
    /// on bound values.)
    #[must_use]
    pub fn planned_each_run(mut self) -> Self {
        self.planned_each_run = true;
        self
    }

    /// Binds the next `?` already in the text.
    #[must_use]
    pub fn bind(mut self, value: impl Into<Value>) -> Self {
        self.args.push(Arg::Both(value.into()));
        self
    }

    pub fn push(&mut self, text: impl std::fmt::Display) -> &mut Self {
        use std::fmt::Write;
        // Writing to a String cannot fail.
        let _ = write!(self.text, "{text}");
        if let Some(postgres) = &mut self.postgres_text {
            let _ = write!(postgres, "{text}");
        }
        self
    }

    /// Appends a piece each engine writes its own way (full-text search), with the same
    /// placeholders in both: the one exception to "written once".
    pub fn push_per_engine(&mut self, sqlite: &str, postgres: &str) -> &mut Self {
        let mut postgres_text = self.postgres_text.take().unwrap_or_else(|| self.text.clone());
        postgres_text.push_str(postgres);
        self.text.push_str(sqlite);
        self.postgres_text = Some(postgres_text);
        self
    }

    /// Appends a placeholder and binds it.
    pub fn push_bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.push("?");
        self.args.push(Arg::Both(value.into()));
        self
    }

    /// Appends a placeholder bound to one value on SQLite and another on PostgreSQL.
    pub fn push_bind_per_engine(&mut self, sqlite: impl Into<Value>, postgres: impl Into<Value>) -> &mut Self {
        self.push("?");
        self.args.push(Arg::PerEngine { sqlite: sqlite.into(), postgres: postgres.into() });
        self
    }

    /// Appends another statement's text and bound values (a filter shared by a count
    /// and its page).
    pub fn append(&mut self, other: &Sql) -> &mut Self {
        match &other.postgres_text {
            Some(postgres) => self.push_per_engine(&other.text, postgres),
            None => self.push(&other.text),
        };
        self.args.extend(other.args.iter().cloned());
        self
    }

    /// Appends `values` as a comma-separated list of placeholders (for `IN (…)`).
    pub fn push_bind_list<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Self {
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_bind(value);
        }
        self
    }

    /// Appends the states as a list of literals (`'New', 'Assigned'`), for `state IN (…)`
    /// built from the domain's own definitions. Literals, not placeholders: a partial
    /// index (`work_orders_open`) is used only when the planner can see the list.
    pub fn push_state_list(&mut self, states: impl IntoIterator<Item = State>) -> &mut Self {
        self.push(state_list(states))
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The statement in `engine`'s dialect. PostgreSQL numbers its placeholders (`$1`);
    /// SQLite has no `ILIKE` (its `LIKE` already ignores ASCII case).
    pub fn text_for(&self, engine: Engine) -> Cow<'_, str> {
        match engine {
            Engine::Sqlite if self.text.contains("ILIKE") => Cow::Owned(self.text.replace("ILIKE", "LIKE")),
            Engine::Sqlite => Cow::Borrowed(&self.text),
            Engine::Postgres => Cow::Owned(number_placeholders(self.postgres_text.as_ref().unwrap_or(&self.text))),
        }
    }

    /// Runs a statement that returns no rows; the number of rows it changed.
    pub async fn execute<'a>(&self, on: impl Into<On<'a>>) -> Result<u64> {
        let on = on.into();
        let text = self.text_for(engine_of(&on));
        Ok(match on {
            On::Pool(Pool::Sqlite(pool)) => self.sqlite(&text).execute(pool).await?.rows_affected(),
            #[cfg(feature = "postgres")]
            On::Pool(Pool::Postgres(pool)) => self.postgres(&text).execute(pool).await?.rows_affected(),
            On::Db(Db { conn: Conn::Sqlite(conn), .. }) => {
                self.sqlite(&text).execute(&mut **conn).await?.rows_affected()
            }
            #[cfg(feature = "postgres")]
            On::Db(Db { conn: Conn::Postgres(conn), .. }) => {
                self.postgres(&text).execute(&mut **conn).await?.rows_affected()
            }
        })
    }

    pub async fn fetch_all<'a, T: Record>(&self, on: impl Into<On<'a>>) -> Result<Vec<T>> {
        let on = on.into();
        let text = self.text_for(engine_of(&on));
        Ok(match on {
            On::Pool(Pool::Sqlite(pool)) => self.sqlite_as(&text).fetch_all(pool).await?,
            #[cfg(feature = "postgres")]
            On::Pool(Pool::Postgres(pool)) => self.postgres_as(&text).fetch_all(pool).await?,
            On::Db(Db { conn: Conn::Sqlite(conn), .. }) => self.sqlite_as(&text).fetch_all(&mut **conn).await?,
            #[cfg(feature = "postgres")]
            On::Db(Db { conn: Conn::Postgres(conn), .. }) => self.postgres_as(&text).fetch_all(&mut **conn).await?,
        })
    }

    pub async fn fetch_optional<'a, T: Record>(&self, on: impl Into<On<'a>>) -> Result<Option<T>> {
        let on = on.into();
        let text = self.text_for(engine_of(&on));
        Ok(match on {
            On::Pool(Pool::Sqlite(pool)) => self.sqlite_as(&text).fetch_optional(pool).await?,
            #[cfg(feature = "postgres")]
            On::Pool(Pool::Postgres(pool)) => self.postgres_as(&text).fetch_optional(pool).await?,
            On::Db(Db { conn: Conn::Sqlite(conn), .. }) => self.sqlite_as(&text).fetch_optional(&mut **conn).await?,
            #[cfg(feature = "postgres")]
            On::Db(Db { conn: Conn::Postgres(conn), .. }) => {
                self.postgres_as(&text).fetch_optional(&mut **conn).await?
            }
        })
    }

    /// The one row the statement returns; none is an internal error (use
    /// `fetch_optional` where a missing row is the user's "not found").
    pub async fn fetch_one<'a, T: Record>(&self, on: impl Into<On<'a>>) -> Result<T> {
        let on = on.into();
        let text = self.text_for(engine_of(&on));
        Ok(match on {
            On::Pool(Pool::Sqlite(pool)) => self.sqlite_as(&text).fetch_one(pool).await?,
            #[cfg(feature = "postgres")]
            On::Pool(Pool::Postgres(pool)) => self.postgres_as(&text).fetch_one(pool).await?,
            On::Db(Db { conn: Conn::Sqlite(conn), .. }) => self.sqlite_as(&text).fetch_one(&mut **conn).await?,
            #[cfg(feature = "postgres")]
            On::Db(Db { conn: Conn::Postgres(conn), .. }) => self.postgres_as(&text).fetch_one(&mut **conn).await?,
        })
    }

    fn sqlite<'q>(&'q self, text: &'q str) -> sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
        self.args.iter().fold(sqlx::query(text), |query, value| match value.on(Engine::Sqlite) {
            Value::Int(v) => query.bind(v),
            Value::Text(v) => query.bind(v),
            Value::Bool(v) => query.bind(v),
            Value::Bytes(v) => query.bind(v),
        })
    }

    #[cfg(feature = "postgres")]
    fn postgres<'q>(&'q self, text: &'q str) -> sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments> {
        self.args.iter().fold(sqlx::query(text).persistent(!self.planned_each_run), |query, value| {
            match value.on(Engine::Postgres) {
                Value::Int(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
                Value::Bool(v) => query.bind(v),
                Value::Bytes(v) => query.bind(v),
            }
        })
    }

    fn sqlite_as<'q, T: Record>(
        &'q self,
        text: &'q str,
    ) -> sqlx::query::QueryAs<'q, Sqlite, T, sqlx::sqlite::SqliteArguments<'q>> {
        self.args.iter().fold(sqlx::query_as(text), |query, value| match value.on(Engine::Sqlite) {
            Value::Int(v) => query.bind(v),
            Value::Text(v) => query.bind(v),
            Value::Bool(v) => query.bind(v),
            Value::Bytes(v) => query.bind(v),
        })
    }

    #[cfg(feature = "postgres")]
    fn postgres_as<'q, T: Record>(
        &'q self,
        text: &'q str,
    ) -> sqlx::query::QueryAs<'q, Postgres, T, sqlx::postgres::PgArguments> {
        self.args.iter().fold(sqlx::query_as(text).persistent(!self.planned_each_run), |query, value| {
            match value.on(Engine::Postgres) {
                Value::Int(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
                Value::Bool(v) => query.bind(v),
                Value::Bytes(v) => query.bind(v),
            }
        })
    }
}

fn engine_of(on: &On<'_>) -> Engine {
    match on {
        On::Pool(pool) => pool.engine(),
        On::Db(db) => db.engine(),
    }
}

/// `?` → `$1`, `$2`, … outside quoted literals and identifiers.
fn number_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut next = 1;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (Some(open), _) if c == open => {
                quote = None;
                out.push(c);
            }
            (None, '?') => {
                out.push('$');
                out.push_str(&next.to_string());
                next += 1;
            }
            _ => out.push(c),
        }
    }
    out
}

/// `text` with LIKE's wildcards and its escape character escaped, for a pattern written
/// `… LIKE ? ESCAPE '\'`.
pub fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// `%text%` escaped, for "contains" searches.
pub fn contains_pattern(text: &str) -> String {
    format!("%{}%", escape_like(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_placeholders_are_numbered_outside_literals() {
        let sql = Sql::new("SELECT '?', \"a?\" FROM t WHERE a = ? AND b LIKE ? ESCAPE '\\'");
        assert_eq!(sql.text_for(Engine::Postgres), "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b LIKE $2 ESCAPE '\\'");
        assert_eq!(sql.text_for(Engine::Sqlite), sql.text());
    }

    #[test]
    fn states_are_listed_as_literals() {
        let mut sql = Sql::new("SELECT 1 FROM w WHERE state IN (");
        sql.push_state_list([State::New, State::InProgress]).push(")");
        assert_eq!(sql.text(), "SELECT 1 FROM w WHERE state IN ('New', 'InProgress')");
    }

    #[test]
    fn ilike_is_sqlite_like() {
        let sql = Sql::new("SELECT 1 FROM t WHERE name ILIKE ?");
        assert_eq!(sql.text_for(Engine::Sqlite), "SELECT 1 FROM t WHERE name LIKE ?");
        assert_eq!(sql.text_for(Engine::Postgres), "SELECT 1 FROM t WHERE name ILIKE $1");
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(contains_pattern(r"50%_off\"), r"%50\%\_off\\%");
    }
}
