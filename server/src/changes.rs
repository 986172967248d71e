//! `GET /api/v1/changes`: the change feed as server-sent events, one event per change
//! the signed-in user may see (`id:` the change's id, `data:` the `Change` as JSON).
//!
//! A desktop resumes where it stopped with `Last-Event-ID` (or `?after=<id>`); without
//! either it starts from now. The stream waits on the store's wake (`Store::subscribe`:
//! LISTEN/NOTIFY, so a change made through another server process arrives too), and on
//! each wake re-checks the session — a signed-out, expired or deactivated user's stream
//! ends, and a browser's whose role the agency took off the web — and reads `changes::since` from its cursor in pages. An idle stream holds no
//! database connection, only a wake receiver; it ends when the server shuts down.

use crate::app::App;
use crate::auth::{self, Caller};
use crate::error::ApiError;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::StreamExt;
use plumbline_domain::{Actor, Change};
use plumbline_service::changes;
use serde::Deserialize;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// Changes read from the store at once; more are read straight after.
const PAGE: i64 = 200;

/// A comment line this often keeps proxies from closing an idle stream, and lets the
/// desktop notice a connection that died silently.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[derive(Debug, Deserialize)]
pub struct ResumeAt {
    after: Option<i64>,
}

/// Opens the stream for the request's session.
pub async fn stream(
    State(app): State<App>,
    headers: HeaderMap,
    Query(resume): Query<ResumeAt>,
) -> Result<impl IntoResponse, ApiError> {
    let actor = auth::actor(&app, &headers).await?;
    let caller = auth::caller(&headers)?.ok_or_else(|| ApiError::not_signed_in("Sign in first"))?;
    // Subscribed before the starting point is read: a change committed in between wakes.
    let wakes = app.store().subscribe();
    let cursor = match last_event_id(&headers)?.or(resume.after) {
        Some(after) => after,
        None => changes::latest(app.store()).await?,
    };
    let follower =
        Follower { stopped: app.stopped(), app, caller, actor, cursor, wakes, unsent: VecDeque::new(), read_now: true };
    let events = futures_util::stream::unfold(follower, |mut follower| async move {
        let change = follower.next().await?;
        Some((Event::default().id(change.id.to_string()).json_data(&change), follower))
    });
    // First an event of its id alone: a browser's EventSource then resumes from here
    // after a dropped connection even before its first change (it cannot read
    // `STARTS_AFTER`); with no data, it is no event to the page or to a desktop.
    let starting_point =
        futures_util::stream::once(async move { Ok::<_, axum::Error>(Event::default().id(cursor.to_string())) });
    let events = starting_point.chain(events);
    // Where the stream starts, so a client that has seen no change yet still resumes from
    // here after a dropped connection, missing nothing made meanwhile.
    let starts_after = [(STARTS_AFTER, HeaderValue::from(cursor))];
    Ok((starts_after, Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))))
}

/// The response header naming the change id the stream continues after.
pub const STARTS_AFTER: &str = "x-plumbline-starts-after";

/// The id in `Last-Event-ID`, which an SSE client sends when it reconnects.
fn last_event_id(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(value) = headers.get("last-event-id") else { return Ok(None) };
    let id = value.to_str().ok().and_then(|text| text.trim().parse::<i64>().ok());
    id.map(Some).ok_or_else(|| ApiError::bad_request("Last-Event-ID is not a change id"))
}

/// One desktop's place in the feed.
struct Follower {
    app: App,
    caller: Caller,
    actor: Actor,
    /// The last change sent (or the starting point).
    cursor: i64,
    wakes: broadcast::Receiver<()>,
    stopped: watch::Receiver<bool>,
    /// Read, not yet sent.
    unsent: VecDeque<Change>,
    /// Read before waiting: at the start, and while pages come back full.
    read_now: bool,
}

impl Follower {
    /// The next change to send; `None` ends the stream (session over, shutdown, or the
    /// store failing: the desktop reconnects from its last id).
    async fn next(&mut self) -> Option<Change> {
        loop {
            if let Some(change) = self.unsent.pop_front() {
                return Some(change);
            }
            if !self.read_now {
                self.wait_for_wake().await?;
            }
            if !self.session_is_live().await {
                return None;
            }
            self.read_page().await?;
        }
    }

    async fn wait_for_wake(&mut self) -> Option<()> {
        tokio::select! {
            woken = self.wakes.recv() => match woken {
                // A receiver that fell behind missed only wakes, never changes.
                Ok(()) | Err(broadcast::error::RecvError::Lagged(_)) => Some(()),
                Err(broadcast::error::RecvError::Closed) => None,
            },
            _ = self.stopped.wait_for(|stopped| *stopped) => None,
        }
    }

    /// The same session, still live, still this user with this role.
    async fn session_is_live(&self) -> bool {
        match auth::live_caller(&self.app, &self.caller).await {
            Ok(session) => session.actor == self.actor && !session.must_change_password,
            Err(err) => {
                tracing::debug!("the change stream ends: {err:?}");
                false
            }
        }
    }

    async fn read_page(&mut self) -> Option<()> {
        let page = match changes::since(self.app.store(), self.actor, self.cursor, PAGE).await {
            Ok(page) => page,
            Err(err) => {
                tracing::warn!("the change stream could not read the feed: {err}");
                return None;
            }
        };
        self.read_now = i64::try_from(page.len()).is_ok_and(|read| read == PAGE);
        if let Some(last) = page.last() {
            self.cursor = last.id;
        }
        self.unsent.extend(page);
        Some(())
    }
}
