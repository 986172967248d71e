//! The change feed from the agency server: `GET /api/v1/changes`, server-sent events
//! each carrying one `Change` the signed-in user may see. The stream ends (`None`, or an
//! `Ipc` error) when the connection drops, the session ends or the server stops; the
//! caller then reconnects with the last id it saw and gets what it missed, exactly once.
//!
//! SSE is read by a short parser of its own: only `id:` and `data:` lines and the blank
//! line that ends an event matter here (the server sends nothing else but comments).

use crate::{Client, internal, read_refusal};
use plumbline_domain::api::{Change, CommandError, ErrorCode};
use reqwest::header::ACCEPT;

/// An open change stream. Read it with [`ChangeStream::next`] (an async method, not a
/// `futures::Stream`: the caller needs no stream combinators, just a loop).
#[derive(Debug)]
pub struct ChangeStream {
    /// The change id the server continues after: where to resume once the connection
    /// drops, even if no change has arrived yet.
    starts_after: Option<i64>,
    response: reqwest::Response,
    events: EventParser,
    base: String,
    ended: bool,
}

impl Client {
    /// Opens the change stream, resuming after change `after` (sent as `Last-Event-ID`),
    /// or, with `None`, from now on. Refused as any command is (`not_signed_in`…).
    pub async fn changes(&self, after: Option<i64>) -> Result<ChangeStream, CommandError> {
        let mut request =
            self.stream_http.get(format!("{}/api/v1/changes", self.base)).header(ACCEPT, "text/event-stream");
        if let Some(after) = after {
            request = request.header("Last-Event-ID", after.to_string());
        }
        let response = self.send(request).await?;
        let status = response.status();
        if !status.is_success() {
            let body = response.bytes().await.map_err(|err| self.transport_error(&err))?;
            return Err(read_refusal(status, &body));
        }
        let starts_after = response
            .headers()
            .get(STARTS_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.parse().ok());
        Ok(ChangeStream {
            starts_after,
            response,
            events: EventParser::default(),
            base: self.base.clone(),
            ended: false,
        })
    }
}

/// The response header naming where the stream starts (the server's `changes::STARTS_AFTER`).
const STARTS_AFTER: &str = "x-plumbline-starts-after";

impl ChangeStream {
    /// The change id this stream continues after, as the server said.
    pub fn starts_after(&self) -> Option<i64> {
        self.starts_after
    }

    /// The next change; `None` once the stream has ended (reconnect with the last id).
    /// A connection lost mid-stream is one `Ipc` error, then `None`.
    pub async fn next(&mut self) -> Option<Result<Change, CommandError>> {
        while !self.ended {
            if let Some(data) = self.events.next_data() {
                return Some(serde_json::from_str(&data).map_err(|err| {
                    self.ended = true;
                    internal(format!("The agency server sent a change that could not be read: {err}"))
                }));
            }
            match self.response.chunk().await {
                Ok(Some(bytes)) => self.events.feed(&bytes),
                Ok(None) => self.ended = true,
                Err(err) => {
                    self.ended = true;
                    tracing::info!("the change stream from {} was cut: {err:#}", self.base);
                    return Some(Err(CommandError {
                        code: ErrorCode::Ipc,
                        message: format!("The connection to the agency server at {} was lost.", self.base),
                        field: None,
                    }));
                }
            }
        }
        None
    }
}

/// Server-sent events as they arrive, chunk by chunk (an event, or a character, may be
/// cut anywhere).
#[derive(Debug, Default)]
struct EventParser {
    unread: Vec<u8>,
    /// The `data:` lines of the event being read, joined by newlines.
    data: Option<String>,
}

impl EventParser {
    fn feed(&mut self, bytes: &[u8]) {
        self.unread.extend_from_slice(bytes);
    }

    /// The data of the next whole event, if one has arrived. (Its `id:` is the change's
    /// own id, which the data carries too.)
    fn next_data(&mut self) -> Option<String> {
        while let Some(end) = self.unread.iter().position(|byte| *byte == b'\n') {
            let line: Vec<u8> = self.unread.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                // A blank line ends the event; one without data (only comments) is none.
                if let Some(data) = self.data.take() {
                    return Some(data);
                }
                continue;
            }
            if let ("data", value) = field(line) {
                match &mut self.data {
                    Some(data) => {
                        data.push('\n');
                        data.push_str(value);
                    }
                    None => self.data = Some(value.to_owned()),
                }
            }
        }
        None
    }
}

/// `name: value` (one space after the colon is not part of the value); a comment
/// (`: keep-alive`) has an empty name.
fn field(line: &str) -> (&str, &str) {
    let (name, value) = line.split_once(':').unwrap_or((line, ""));
    (name, value.strip_prefix(' ').unwrap_or(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_data(parser: &mut EventParser) -> Vec<String> {
        std::iter::from_fn(|| parser.next_data()).collect()
    }

    #[test]
    fn events_are_read_whole_however_the_chunks_cut_them() {
        let stream =
            "id: 1\ndata: {\"a\":1}\n\n: keep-alive\n\nid:2\r\ndata:{\"b\":\"é\"}\r\n\r\ndata: one\ndata: two\n\n";
        let expected = ["{\"a\":1}", "{\"b\":\"é\"}", "one\ntwo"];
        for size in [1, 2, 3, 7, stream.len()] {
            let mut parser = EventParser::default();
            let mut read = Vec::new();
            for chunk in stream.as_bytes().chunks(size) {
                parser.feed(chunk);
                read.extend(all_data(&mut parser));
            }
            assert_eq!(read, expected, "chunks of {size}");
        }
    }

    #[test]
    fn an_event_not_yet_ended_by_a_blank_line_waits() {
        let mut parser = EventParser::default();
        parser.feed(b"id: 3\ndata: {}\n");
        assert_eq!(parser.next_data(), None);
        parser.feed(b"\n");
        assert_eq!(parser.next_data().as_deref(), Some("{}"));
    }
}
