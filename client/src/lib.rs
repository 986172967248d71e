//! The desktop's client for the agency server: each command as `POST /api/v1/<name>` with
//! its arguments as the JSON body, over HTTPS to the one certificate the user accepted
//! (`pin`), the bearer token in `Authorization`, and every failure — the server's refusal,
//! a server that cannot be reached, a changed certificate — as the same `CommandError`
//! the in-process store gives, so the UI cannot tell the two apart. `changes` follows the
//! server's change feed.

mod changes;
mod files;
mod pin;

pub use changes::ChangeStream;
pub use pin::{fingerprint, same_fingerprint};

use pin::PinnedVerifier;
use plumbline_domain::api::{CommandError, ErrorCode, Field, ServerHealth, SignedIn};
use plumbline_domain::{Command, commands, wire};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

/// The media type of commands' arguments, and of the answers the shell itself reads.
const JSON: &str = "application/json";

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Long enough for a sign-in's password hash on a busy server.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The change stream has no overall limit, but the server sends a keep-alive every 15 s:
/// this long without a byte means the connection died silently.
const STREAM_SILENCE: Duration = Duration::from_secs(45);
/// How long an import may take: tens of thousands of rows, over the network.
const IMPORT_TIMEOUT: Duration = Duration::from_secs(600);

/// What `sign_in` and `set_up_agency` answer on the server: the command's answer and the
/// bearer token for every later request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Granted {
    #[serde(flatten)]
    pub signed_in: SignedIn,
    pub token: String,
}

/// A connection to one agency server, trusting one certificate.
#[derive(Debug)]
pub struct Client {
    http: reqwest::Client,
    /// For the change stream: the same pinned TLS, without the overall request timeout.
    stream_http: reqwest::Client,
    base: String,
    pinned: Option<String>,
    seen: Arc<Mutex<Option<String>>>,
    token: RwLock<Option<String>>,
}

/// The server's address as `https://host[:port]`: a bare `host:port` is taken as HTTPS;
/// plain HTTP is refused, since passwords and tokens cross it.
pub fn normalise_address(address: &str) -> Result<String, CommandError> {
    let address = address.trim().trim_end_matches('/');
    let rest = match address.split_once("://") {
        Some(("https", rest)) => rest,
        Some(_) => return Err(invalid_address("The agency server's address must start with https://")),
        None => address,
    };
    let valid = !rest.is_empty() && !rest.contains(['/', ' ', '?', '#', '@']);
    match valid {
        true => Ok(format!("https://{rest}")),
        false => Err(invalid_address("Enter the agency server's address, such as office-pc:8443")),
    }
}

fn invalid_address(message: &str) -> CommandError {
    CommandError { code: ErrorCode::Validation, message: message.to_owned(), field: Some(Field::Address) }
}

/// First contact: connects to `address` without trusting it yet and answers the
/// fingerprint of the certificate it presents, for the user to compare with the one
/// the server printed. Nothing is sent but a health check.
pub async fn first_contact(address: &str) -> Result<String, CommandError> {
    let client = Client::build(address, None)?;
    let url = format!("{}/healthz", client.base);
    // Any answer (even "the database is unavailable") has shown the certificate.
    let sent = client.http.get(url).send().await;
    match (client.seen_fingerprint(), sent) {
        (Some(seen), _) => Ok(seen),
        (None, Err(err)) => Err(client.transport_error(&err)),
        (None, Ok(_)) => Err(client.unreachable("it did not present a certificate")),
    }
}

impl Client {
    /// A client for `address` that trusts only the certificate with `fingerprint`.
    pub fn new(address: &str, fingerprint: &str) -> Result<Self, CommandError> {
        Self::build(address, Some(fingerprint.to_owned()))
    }

    fn build(address: &str, pinned: Option<String>) -> Result<Self, CommandError> {
        let base = normalise_address(address)?;
        let seen = Arc::new(Mutex::new(None));
        let http = http_client(&pinned, &seen, |builder| builder.timeout(REQUEST_TIMEOUT))?;
        let stream_http = http_client(&pinned, &seen, |builder| builder.read_timeout(STREAM_SILENCE))?;
        Ok(Self { http, stream_http, base, pinned, seen, token: RwLock::new(None) })
    }

    /// `https://host:port`, as the user's address was normalised.
    pub fn address(&self) -> &str {
        &self.base
    }

    /// The bearer token sent from now on (`None` after signing out).
    pub fn set_token(&self, token: Option<String>) {
        *self.token.write().unwrap_or_else(PoisonError::into_inner) = token;
    }

    pub fn token(&self) -> Option<String> {
        self.token.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Runs `command` on the server as the signed-in user.
    pub async fn call<C: Command>(&self, command: &C) -> Result<C::Answer, CommandError> {
        self.call_for(command).await
    }

    /// The server's health check: its version and its store's schema while its database
    /// answers (a 503 says `unavailable` in the same shape).
    pub async fn health(&self) -> Result<ServerHealth, CommandError> {
        let response = self.send(self.http.get(format!("{}/healthz", self.base))).await?;
        let body = response.bytes().await.map_err(|err| self.transport_error(&err))?;
        read_answer(&body)
    }

    /// Runs `command`, reading its answer as `A` (the session commands answer more on the
    /// server than in process: the token).
    pub async fn call_for<C: Command, A: DeserializeOwned>(&self, command: &C) -> Result<A, CommandError> {
        let args =
            serde_json::to_vec(command).map_err(|err| internal(format!("{} could not be sent: {err}", C::NAME)))?;
        let response = self.post_command(C::NAME, args, JSON).await?;
        let body = response.bytes().await.map_err(|err| self.transport_error(&err))?;
        read_answer(&body)
    }

    /// Runs the command called `name` with its JSON arguments, and answers the bytes the
    /// server wrote for a page (`plumbline_domain::wire`), unread: the desktop hands them
    /// to its page as they are.
    pub async fn call_for_page(&self, name: &str, args: &serde_json::Value) -> Result<Vec<u8>, CommandError> {
        let response = self.post_command(name, args.to_string().into_bytes(), wire::MEDIA_TYPE).await?;
        answered_for_page(response.headers().get(reqwest::header::CONTENT_TYPE))?;
        let answer = response.bytes().await.map_err(|err| self.transport_error(&err))?;
        Ok(answer.to_vec())
    }

    /// Posts a command's JSON arguments, asking for its answer as `accept`; the response
    /// if the server ran it, its refusal if not. Not generic, so its code is there once,
    /// not once per command.
    async fn post_command(&self, name: &str, args: Vec<u8>, accept: &str) -> Result<reqwest::Response, CommandError> {
        let mut request = self
            .http
            .post(format!("{}/api/v1/{name}", self.base))
            .header(reqwest::header::CONTENT_TYPE, JSON)
            .header(reqwest::header::ACCEPT, accept)
            .body(args);
        if matches!(name, commands::PreviewImport::NAME | commands::RunImport::NAME) {
            // An agency's whole book takes longer than a click's command.
            request = request.timeout(IMPORT_TIMEOUT);
        }
        let response = self.send(request).await?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = response.bytes().await.map_err(|err| self.transport_error(&err))?;
        Err(read_refusal(status, &body))
    }

    /// Sends `request` as the signed-in user.
    async fn send(&self, mut request: reqwest::RequestBuilder) -> Result<reqwest::Response, CommandError> {
        if let Some(token) = self.token() {
            request = request.bearer_auth(token);
        }
        request.send().await.map_err(|err| self.transport_error(&err))
    }

    fn seen_fingerprint(&self) -> Option<String> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// A request that got no answer: a changed certificate, or no server to answer.
    fn transport_error(&self, err: &reqwest::Error) -> CommandError {
        if let (Some(pinned), Some(seen)) = (&self.pinned, self.seen_fingerprint())
            && !same_fingerprint(pinned, &seen)
        {
            return certificate_changed(&self.base, pinned, &seen);
        }
        tracing::warn!("the agency server at {} did not answer: {err:#}", self.base);
        match err.is_connect() {
            true => self.unreachable("nothing answers at that address"),
            // The request may have arrived before the answer was lost: "nothing was
            // saved" could be untrue.
            false => CommandError {
                code: ErrorCode::Ipc,
                message: format!(
                    "The agency server at {} did not answer. Your change may or may not have been saved: look \
                     again before repeating it.",
                    self.base
                ),
                field: None,
            },
        }
    }

    fn unreachable(&self, cause: &str) -> CommandError {
        CommandError {
            code: ErrorCode::Ipc,
            message: format!(
                "Cannot reach the agency server at {} ({cause}). Nothing was saved: try again once the connection is back.",
                self.base
            ),
            field: None,
        }
    }
}

/// An HTTPS client trusting only the `pinned` certificate (noting the one it is shown in
/// `seen`), with the connect timeout and what `timeouts` adds.
fn http_client(
    pinned: &Option<String>,
    seen: &Arc<Mutex<Option<String>>>,
    timeouts: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
) -> Result<reqwest::Client, CommandError> {
    let tls = pin::tls_config(PinnedVerifier::new(pinned.clone(), Arc::clone(seen)))
        .map_err(|err| internal(format!("Could not set up TLS: {err}")))?;
    timeouts(reqwest::Client::builder().use_preconfigured_tls(tls).connect_timeout(CONNECT_TIMEOUT))
        .build()
        .map_err(|err| internal(format!("Could not set up the connection: {err}")))
}

fn certificate_changed(base: &str, pinned: &str, seen: &str) -> CommandError {
    CommandError {
        code: ErrorCode::Ipc,
        message: format!(
            "The agency server at {base} presented a different certificate from the one you accepted, so nothing was \
             sent to it. Accepted: {pinned}. Presented now: {seen}. If its administrator replaced the certificate, \
             check the new fingerprint with them and connect again; otherwise someone may be intercepting the connection."
        ),
        field: None,
    }
}

pub(crate) fn read_answer<A: DeserializeOwned>(body: &[u8]) -> Result<A, CommandError> {
    // `()` answers arrive as `null`; an empty body reads as that too.
    let body = if body.is_empty() { b"null".as_slice() } else { body };
    serde_json::from_slice(body).map_err(|err| internal(format!("The agency server's answer could not be read: {err}")))
}

/// Whether a server answered a page's command in the bytes of this version's shapes: a
/// server of another version answers JSON (`wire::MEDIA_TYPE`), which the page would
/// misread as bytes, so it is refused here with what to do.
fn answered_for_page(content_type: Option<&reqwest::header::HeaderValue>) -> Result<(), CommandError> {
    match content_type.and_then(|value| value.to_str().ok()) {
        Some(wire::MEDIA_TYPE) => Ok(()),
        _ => Err(internal(format!(
            "The agency server runs another version of Plumbline than this desktop's {}: install the server's \
             version here (About Plumbline shows both).",
            env!("CARGO_PKG_VERSION")
        ))),
    }
}

/// The server's `{code, message, field}`; anything else (a proxy's error page) as what it says.
pub(crate) fn read_refusal(status: reqwest::StatusCode, body: &[u8]) -> CommandError {
    serde_json::from_slice(body)
        .unwrap_or_else(|_| internal(format!("The agency server answered {status} without saying why")))
}

pub(crate) fn internal(message: String) -> CommandError {
    CommandError { code: ErrorCode::Internal, message, field: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_https_without_a_path() {
        assert_eq!(normalise_address(" office-pc:8443/ ").as_deref(), Ok("https://office-pc:8443"));
        assert_eq!(normalise_address("https://10.0.0.2:8443").as_deref(), Ok("https://10.0.0.2:8443"));
        for wrong in ["", "http://office-pc:8443", "office-pc:8443/api", "user@office-pc"] {
            let refused = normalise_address(wrong).expect_err(wrong);
            assert_eq!(refused.field, Some(Field::Address), "{wrong}");
        }
    }

    #[test]
    fn only_bytes_of_this_versions_shapes_go_to_the_page() {
        let answered = |content_type: &str| answered_for_page(Some(&content_type.parse().expect("a header value")));
        assert_eq!(answered(wire::MEDIA_TYPE), Ok(()));
        for other in ["application/json", "application/x-postcard; plumbline=0.0.1", "application/x-postcard"] {
            let refused = answered(other).expect_err(other);
            assert!(refused.message.contains("another version of Plumbline"), "{other}: {}", refused.message);
        }
        assert!(answered_for_page(None).is_err(), "no content type");
    }

    #[test]
    fn a_refusal_is_the_servers_error_or_says_what_came_back() {
        let body = br#"{"code":"not_allowed","message":"Only staff may do that"}"#;
        let refused = read_refusal(reqwest::StatusCode::FORBIDDEN, body);
        assert_eq!((refused.code, refused.message.as_str()), (ErrorCode::NotAllowed, "Only staff may do that"));
        let odd = read_refusal(reqwest::StatusCode::BAD_GATEWAY, b"<html>");
        assert_eq!(odd.code, ErrorCode::Internal);
        assert!(odd.message.contains("502"), "{}", odd.message);
    }
}
