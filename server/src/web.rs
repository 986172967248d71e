//! The web portal's page (#21): the same `src-ui` build the desktop embeds, served to
//! browsers from the server's web root (`--web-root`, `src-ui/dist`), and the security
//! headers on every answer, page, asset or API alike.
//!
//! `/` (and any other GET path that is neither an API route nor a file) answers
//! index.html, the single page with its in-memory routing; the asset files are served by
//! name. index.html is read at start and again whenever it changes on disk (a rebuilt UI),
//! and each time the SHA-256 of its inline scripts (the one script that starts the wasm,
//! `src-ui/Trunk.toml`) goes into the Content-Security-Policy, which allows those scripts and
//! no other inline one. Without a web root, `/` says the portal is not installed.

use crate::error::ApiError;
use anyhow::Context;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::SystemTime;
use tower::{Layer, ServiceExt};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The page's own file in the web root.
const INDEX: &str = "index.html";

/// The page's other files are named by their content's hash (trunk), so a browser may
/// keep each for as long as it likes.
const KEEP_FOR_GOOD: &str = "public, max-age=31536000, immutable";

/// The UI's built files, and index.html as last read.
#[derive(Debug)]
pub struct WebRoot {
    dir: PathBuf,
    page: RwLock<Arc<Page>>,
}

#[derive(Debug)]
struct Page {
    html: Bytes,
    /// When index.html was written, as last read: a newer one is read again.
    modified: Option<SystemTime>,
    /// The policy allowing exactly this page's inline scripts.
    csp: HeaderValue,
}

impl WebRoot {
    /// Reads `dir`'s index.html; a web root without one is a mistake to report at start.
    pub fn open(dir: &Path) -> anyhow::Result<Self> {
        let page = read_page(&dir.join(INDEX)).with_context(|| {
            format!("reading the web portal's page in {}: build it with scripts/build-ui.sh", dir.display())
        })?;
        Ok(Self { dir: dir.to_owned(), page: RwLock::new(Arc::new(page)) })
    }

    fn current(&self) -> Arc<Page> {
        self.page.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The policy for every answer: that of index.html as last read.
    fn csp(&self) -> HeaderValue {
        self.current().csp.clone()
    }

    /// index.html, read again first if it changed on disk (a failed read keeps the last).
    async fn page(&self) -> Arc<Page> {
        let current = self.current();
        let path = self.dir.join(INDEX);
        let modified = tokio::fs::metadata(&path).await.and_then(|meta| meta.modified()).ok();
        if modified.is_none() || modified == current.modified {
            return current;
        }
        match tokio::task::spawn_blocking(move || read_page(&path)).await {
            Ok(Ok(page)) => {
                let page = Arc::new(page);
                *self.page.write().unwrap_or_else(PoisonError::into_inner) = page.clone();
                tracing::info!("the web portal's page changed on disk: read it again");
                page
            }
            Ok(Err(err)) => {
                tracing::warn!("reading the web portal's page again: {err:#}");
                current
            }
            Err(err) => {
                tracing::warn!("reading the web portal's page again: {err}");
                current
            }
        }
    }

    /// A GET for the page or one of its files. The files go gzipped to a browser that
    /// takes it (the UI's wasm: 2 MB, a quarter of that gzipped, on a phone's data), and
    /// are kept for good: their names change with each build.
    async fn serve(&self, request: Request) -> Response {
        if matches!(request.uri().path(), "/" | "/index.html") {
            return self.page_response().await;
        }
        let files = ServeDir::new(&self.dir).append_index_html_on_directories(false);
        match CompressionLayer::new().layer(files).oneshot(request).await {
            Ok(response) if response.status() != StatusCode::NOT_FOUND => {
                let mut response = response.map(Body::new);
                response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(KEEP_FOR_GOOD));
                response
            }
            // Any other path is one of the page's own routes: the page shows it.
            Ok(_) => self.page_response().await,
            Err(err) => ApiError::internal(format!("serving a web portal file: {err}")).into_response(),
        }
    }

    async fn page_response(&self) -> Response {
        let page = self.page().await;
        let headers = [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            // Its assets' names change with each build; the page itself must be asked for again.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ];
        (headers, page.html.clone()).into_response()
    }
}

fn read_page(path: &Path) -> anyhow::Result<Page> {
    let modified = std::fs::metadata(path).and_then(|meta| meta.modified()).ok();
    let html = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let hashes: Vec<String> = inline_scripts(&html).into_iter().map(script_hash).collect();
    let csp = HeaderValue::from_str(&content_security_policy(&hashes)).context("the page's security policy")?;
    Ok(Page { html: Bytes::from(html), modified, csp })
}

/// The text of each `<script>` without a `src`, exactly as it stands between its tags.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_name = &rest[start + "<script".len()..];
        let Some(tag_end) = after_name.find('>') else { break };
        let attributes = &after_name[..tag_end];
        let body = &after_name[tag_end + 1..];
        let Some(body_end) = body.find("</script>") else { break };
        if !attributes.contains("src=") {
            scripts.push(&body[..body_end]);
        }
        rest = &body[body_end..];
    }
    scripts
}

/// `'sha256-<base64>'`'s hash: what a Content-Security-Policy names an inline script by.
pub fn script_hash(script: &str) -> String {
    BASE64.encode(Sha256::digest(script.as_bytes()))
}

/// The policy: this server's own files only, the wasm compiled, and just these inline
/// scripts; no plugins, frames or foreign forms.
pub fn content_security_policy(script_hashes: &[String]) -> String {
    let inline: String = script_hashes.iter().map(|hash| format!(" 'sha256-{hash}'")).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{inline}; style-src 'self'; \
         img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// A GET the API routes did not take: the web portal's page or files, or "not found".
pub async fn fallback(web: Option<Arc<WebRoot>>, request: Request) -> Response {
    let path = request.uri().path();
    let readable = request.method() == Method::GET || request.method() == Method::HEAD;
    if path.starts_with("/api/") || !readable {
        return ApiError::not_found("There is nothing here: commands are POST /api/v1/<command>").into_response();
    }
    match web {
        Some(web) => web.serve(request).await,
        None if path == "/" => not_installed(),
        None => {
            ApiError::not_found("There is nothing here: the web portal is not installed on this server").into_response()
        }
    }
}

fn not_installed() -> Response {
    let text = "Plumbline agency server\n\nThe web portal is not installed on this server: \
                use the Plumbline desktop app, or ask your agency.\n";
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))], text).into_response()
}

/// Adds the security headers to every answer `router` gives.
pub fn with_security_headers(router: Router, web: Option<Arc<WebRoot>>) -> Router {
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"),
    ];
    let router = fixed.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value)))
    });
    let without_page = HeaderValue::from_str(&content_security_policy(&[])).ok();
    let csp = move |_: &Response| web.as_ref().map(|web| web.csp()).or_else(|| without_page.clone());
    router.layer(SetResponseHeaderLayer::overriding(CSP, csp))
}

const CSP: HeaderName = header::CONTENT_SECURITY_POLICY;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_scripts_without_src_are_inline() {
        let html = "<head><script src=\"/a.js\"></script>\n<script type=\"module\">\nimport init from '/x.js';\n</script></head>";
        assert_eq!(inline_scripts(html), vec!["\nimport init from '/x.js';\n"]);
        assert!(inline_scripts("<p>no scripts</p>").is_empty());
    }

    #[test]
    fn a_script_is_named_by_its_base64_sha256() {
        // `printf 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert_eq!(script_hash("alert(1)"), "bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=");
        let policy = content_security_policy(&["abc=".to_owned()]);
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='; style-src 'self';"), "{policy}");
    }
}
