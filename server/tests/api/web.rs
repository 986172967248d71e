//! The web portal (#21): the page and its files from the web root, the security headers
//! on every answer, browser sessions as cookies guarded by the page's token, and the
//! agency's choice of who may use the portal.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use plumbline_domain::Role;
use plumbline_service::accounts::DEMO_PASSWORD;
use plumbline_service::db::Sql;
use plumbline_test_support::{Answer, TestServer, WebSession, answer, demo_store, web_session_of};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tempfile::TempDir;

/// The page's inline script, as trunk writes one, to the byte.
const INLINE_SCRIPT: &str =
    "\nimport init from '/app-1a2b.js';\nawait init({ module_or_path: '/app-1a2b_bg.wasm' });\n";

/// A web root like `src-ui/dist`: an index.html with one inline module script, and an asset.
fn web_root() -> TempDir {
    let dir = tempfile::tempdir().expect("web root");
    let index = format!(
        "<!doctype html>\n<html><head><title>Plumbline</title>\n\
         <link rel=\"stylesheet\" href=\"/styles-9f8e.css\"/>\n\
         <script type=\"module\">{INLINE_SCRIPT}</script>\n</head><body></body></html>\n"
    );
    std::fs::write(dir.path().join("index.html"), index).expect("index.html");
    std::fs::write(dir.path().join("styles-9f8e.css"), "body { margin: 0 }\n").expect("an asset");
    std::fs::write(dir.path().join(WASM), wasm_like()).expect("the wasm");
    dir
}

/// The UI's wasm, as trunk names it.
const WASM: &str = "plumbline-ui-1a2b_bg.wasm";

/// 64 KB that compress as code does: repeated, not random.
fn wasm_like() -> Vec<u8> {
    b"\0asm\x01\0\0\0"
        .iter()
        .chain(b"(func $render (param i32) (result i32))".iter().cycle().take(64 << 10))
        .copied()
        .collect()
}

async fn server_with_web() -> (TestServer, TempDir) {
    let root = web_root();
    (TestServer::start_with_web(demo_store().await, root.path()).await, root)
}

/// `'sha256-…'` of the inline script, computed here rather than by the server.
fn expected_script_source() -> String {
    format!("'sha256-{}'", BASE64.encode(Sha256::digest(INLINE_SCRIPT.as_bytes())))
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response.headers().get(name).map(|value| value.to_str().expect("text")).unwrap_or("")
}

fn assert_security_headers(response: &reqwest::Response, what: &str) {
    let csp = header(response, "content-security-policy");
    assert!(csp.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{what}: {csp}");
    assert!(csp.contains(&expected_script_source()), "{what}: the inline script's hash in {csp}");
    for part in ["style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
        assert!(csp.contains(part), "{what}: {part} in {csp}");
    }
    assert_eq!(header(response, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(response, "referrer-policy"), "no-referrer", "{what}");
    assert_eq!(header(response, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(response, "strict-transport-security"), "max-age=31536000", "{what}");
}

async fn get(server: &TestServer, path: &str) -> reqwest::Response {
    server.client.get(format!("{}{path}", server.base)).send().await.expect("the server answers")
}

/// A GET as the page's browser makes it: the cookie and no token.
async fn get_with_cookie(server: &TestServer, path: &str, session: &WebSession) -> reqwest::Response {
    let request = server.client.get(format!("{}{path}", server.base)).header("cookie", &session.cookie);
    request.send().await.expect("the server answers")
}

async fn user_id(server: &TestServer, role: Role) -> i64 {
    let email = server.demo_email(role).await;
    let (id,): (i64,) =
        Sql::new("SELECT id FROM users WHERE email = ?").bind(email).fetch_one(server.store()).await.expect("the user");
    id
}

async fn an_order_of(server: &TestServer, tenant: i64) -> i64 {
    let (id,): (Option<i64>,) = Sql::new("SELECT min(id) FROM work_orders WHERE tenant_id = ?")
        .bind(tenant)
        .fetch_one(server.store())
        .await
        .expect("an order");
    id.expect("the tenant has an order")
}

fn message_on(order: i64) -> Value {
    json!({ "request": { "id": order, "body": "The tap drips again", "internal": false } })
}

/// Opens the portal to landlords and staff too (or closes it), as the admin on a desktop.
async fn set_web_portal(server: &TestServer, portal: Value) {
    let admin = server.sign_in_as(Role::Admin).await;
    let mut rules = server.call("agency_rules", Some(&admin), json!({})).await.body;
    rules["web_portal"] = portal;
    let saved = server.call("update_agency_rules", Some(&admin), json!({ "rules": rules })).await;
    assert_eq!(saved.status, 200, "{saved:?}");
}

#[tokio::test]
async fn the_page_its_files_and_the_api_all_carry_the_security_headers() {
    let (server, _root) = server_with_web().await;
    let page = get(&server, "/").await;
    assert_eq!(page.status(), 200);
    assert!(header(&page, "content-type").starts_with("text/html"));
    assert_security_headers(&page, "the page");
    assert!(page.text().await.expect("html").contains(INLINE_SCRIPT), "index.html as it is");

    let asset = get(&server, "/styles-9f8e.css").await;
    assert_eq!((asset.status().as_u16(), header(&asset, "content-type")), (200, "text/css"));
    assert_security_headers(&asset, "an asset");
    assert_eq!(asset.text().await.expect("css"), "body { margin: 0 }\n");

    let api = server.web_post("session", None, false, json!({})).await;
    assert_eq!(api.status(), 200);
    assert_security_headers(&api, "an API answer");
    let refused = server.web_post("staff_dashboard", None, false, json!({})).await;
    assert_eq!(refused.status(), 401);
    assert_security_headers(&refused, "an API refusal");

    // The page's own routes are the page; an unknown API path is no page.
    let route = get(&server, "/requests/12").await;
    assert_eq!(route.status(), 200);
    assert!(route.text().await.expect("html").contains(INLINE_SCRIPT));
    assert_eq!(get(&server, "/api/v1/no_such_thing/here").await.status(), 404);
}

/// A phone downloads the page's files once per build, and compressed: the page itself is
/// asked for again each time (it names the build's files), the files are kept for good
/// (named by their content's hash), and the wasm comes gzipped to a browser that takes it.
#[tokio::test]
async fn the_files_come_gzipped_and_are_kept_while_the_page_is_asked_for_again() {
    let (server, _root) = server_with_web().await;
    assert_eq!(header(&get(&server, "/").await, "cache-control"), "no-cache");
    let request = server.client.get(format!("{}/{WASM}", server.base)).header("accept-encoding", "gzip");
    let wasm = request.send().await.expect("the server answers");
    assert_eq!(wasm.status(), 200);
    assert_eq!(header(&wasm, "content-type"), "application/wasm");
    assert_eq!(header(&wasm, "content-encoding"), "gzip");
    assert_eq!(header(&wasm, "cache-control"), "public, max-age=31536000, immutable");
    assert_security_headers(&wasm, "the gzipped wasm");
    let sent = wasm.bytes().await.expect("the body");
    assert!(sent.len() < wasm_like().len() / 10, "gzipped: {} bytes", sent.len());
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&sent[..]), &mut unzipped).expect("gzip");
    assert_eq!(unzipped, wasm_like(), "the very file");

    let plain = get(&server, &format!("/{WASM}")).await;
    assert_eq!(header(&plain, "content-encoding"), "", "none to a client that did not ask");
    assert_eq!(plain.bytes().await.expect("the body").len(), wasm_like().len());
}

#[tokio::test]
async fn without_a_web_root_the_home_page_says_the_portal_is_not_installed() {
    let server = TestServer::demo().await;
    let home = get(&server, "/").await;
    assert_eq!(home.status(), 200);
    assert!(header(&home, "content-type").starts_with("text/plain"));
    assert_eq!(header(&home, "x-frame-options"), "DENY");
    assert!(
        header(&home, "content-security-policy")
            .starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval';")
    );
    assert!(home.text().await.expect("text").contains("web portal is not installed"));
}

#[tokio::test]
async fn a_web_sign_in_sets_a_secure_http_only_strict_cookie_and_answers_signed_in() {
    let (server, _root) = server_with_web().await;
    let email = server.demo_email(Role::Tenant).await;
    let response = server.web_sign_in_response(&email, DEMO_PASSWORD, false).await;
    assert_eq!(response.status(), 200);
    let set_cookie = header(&response, "set-cookie").to_owned();
    let session = web_session_of(&response);
    assert!(set_cookie.starts_with("plumbline_session="), "{set_cookie}");
    for flag in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(set_cookie.split("; ").any(|part| part == flag), "{flag} in {set_cookie}");
    }
    assert!(!set_cookie.contains("Max-Age"), "a visit's cookie ends with the browser: {set_cookie}");
    let secret = session.cookie.trim_start_matches("plumbline_session=");
    assert_eq!(secret.len(), 64);
    let token = plumbline_server::csrf_token(&plumbline_service::accounts::SessionToken::from_secret(secret.into()));
    assert_eq!(session.csrf, token, "the page's token is the session's");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["user"]["email"], json!(email), "the SignedIn answer: {body}");
    assert!(body.get("token").is_none() && body.get("expires_at").is_none(), "no secret in the body: {body}");

    let remembered = server.web_sign_in_response(&email, DEMO_PASSWORD, true).await;
    assert!(header(&remembered, "set-cookie").contains("; Max-Age=2592000"), "thirty days when remembered");

    let status = server.web_post("session", Some(&session), false, json!({})).await;
    assert_eq!(header(&status, "x-csrf-token"), session.csrf);
    let status: Value = status.json().await.expect("JSON");
    assert_eq!(status["SignedIn"]["user"]["email"], json!(email), "{status}");
}

#[tokio::test]
async fn without_a_cookie_a_command_is_refused_and_the_page_is_offered_the_webs_demo_accounts_only() {
    let (server, _root) = server_with_web().await;
    let refused = answer(server.web_post("tenant_dashboard", None, false, json!({})).await).await;
    assert_eq!((refused.status, refused.code()), (401, "not_signed_in"), "{refused:?}");
    let signed_out = answer(server.web_post("session", None, false, json!({})).await).await;
    let roles: Vec<&str> = signed_out.body["SignedOut"]["demo_accounts"]
        .as_array()
        .expect("demo accounts")
        .iter()
        .map(|account| account["role"].as_str().expect("a role"))
        .collect();
    assert!(!roles.is_empty() && roles.iter().all(|role| ["Tenant", "Contractor"].contains(role)), "{roles:?}");
    let desktop = server.call("session", None, json!({})).await;
    assert!(desktop.body["SignedOut"]["demo_accounts"].as_array().expect("all").len() > roles.len());
}

#[tokio::test]
async fn a_post_with_the_cookie_but_without_the_pages_token_is_refused_and_stores_nothing() {
    let (server, _root) = server_with_web().await;
    let session = server.web_sign_in_as(Role::Tenant).await;
    let order = an_order_of(&server, user_id(&server, Role::Tenant).await).await;
    let before = server.count("messages").await;
    let without = answer(server.web_post("post_message", Some(&session), false, message_on(order)).await).await;
    assert_eq!((without.status, without.code()), (403, "not_allowed"), "{without:?}");
    assert!(without.message().contains("security token: reload the page"), "{without:?}");
    let forged = WebSession { csrf: "0".repeat(64), ..session.clone() };
    let wrong = answer(server.web_post("post_message", Some(&forged), true, message_on(order)).await).await;
    assert_eq!((wrong.status, wrong.code()), (403, "not_allowed"), "{wrong:?}");
    let sign_out = answer(server.web_post("sign_out", Some(&session), false, json!({})).await).await;
    assert_eq!(sign_out.status, 403, "signing out needs the token too");
    assert_eq!(server.count("messages").await, before, "nothing was stored");

    let posted = server.web_call("post_message", &session, message_on(order)).await;
    assert_eq!(posted.status, 200, "the same message with the token: {posted:?}");
    assert_eq!(server.count("messages").await, before + 1);
}

#[tokio::test]
async fn gets_accept_the_cookie_without_the_token() {
    let (server, _root) = server_with_web().await;
    let session = server.web_sign_in_as(Role::Tenant).await;
    let changes = get_with_cookie(&server, "/api/v1/changes", &session).await;
    assert_eq!(changes.status(), 200);
    assert!(header(&changes, "content-type").starts_with("text/event-stream"));
    let no_cookie = get(&server, "/api/v1/changes").await;
    assert_eq!(no_cookie.status(), 401);
}

#[tokio::test]
async fn a_tenants_cookie_sees_only_their_orders_and_no_staff_command() {
    let (server, _root) = server_with_web().await;
    let session = server.web_sign_in_as(Role::Tenant).await;
    let tenant = user_id(&server, Role::Tenant).await;
    let page = server.web_call("list_work_orders", &session, json!({ "request": { "limit": 50 } })).await;
    assert_eq!(page.status, 200, "{page:?}");
    let (theirs,): (i64,) = Sql::new("SELECT count(*) FROM work_orders WHERE tenant_id = ?")
        .bind(tenant)
        .fetch_one(server.store())
        .await
        .expect("count");
    assert_eq!(page.body["total"], json!(theirs), "exactly the tenant's orders");

    let (someone_elses,): (i64,) = Sql::new("SELECT min(id) FROM work_orders WHERE tenant_id <> ?")
        .bind(tenant)
        .fetch_one(server.store())
        .await
        .expect("another tenant's order");
    let hidden = server.web_call("get_work_order", &session, json!({ "id": someone_elses })).await;
    assert_eq!((hidden.status, hidden.code()), (404, "not_found"), "{hidden:?}");

    for staff_only in ["triage_queue", "staff_dashboard"] {
        let refused = server.web_call(staff_only, &session, json!({})).await;
        assert_eq!((refused.status, refused.code()), (403, "not_allowed"), "{staff_only}: {refused:?}");
    }
    let set_up = answer(server.web_post("set_up_agency", Some(&session), true, json!({})).await).await;
    assert_eq!((set_up.status, set_up.code()), (403, "not_allowed"), "{set_up:?}");
}

#[tokio::test]
async fn signing_out_clears_the_cookie_and_the_old_cookie_is_refused() {
    let (server, _root) = server_with_web().await;
    let session = server.web_sign_in_as(Role::Contractor).await;
    let signed_out = server.web_post("sign_out", Some(&session), true, json!({})).await;
    assert_eq!(signed_out.status(), 200);
    let cleared = header(&signed_out, "set-cookie");
    assert!(cleared.starts_with("plumbline_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
    let after = server.web_call("contractor_dashboard", &session, json!({})).await;
    assert_eq!((after.status, after.code()), (401, "not_signed_in"), "{after:?}");
    let status = answer(server.web_post("session", Some(&session), false, json!({})).await).await;
    assert!(status.body.get("SignedOut").is_some(), "{status:?}");
}

#[tokio::test]
async fn staff_keep_to_the_desktop_until_the_admin_opens_the_portal_to_them() {
    let (server, _root) = server_with_web().await;
    let email = server.demo_email(Role::Staff).await;
    let sessions = server.count("sessions").await;
    let refused = answer(server.web_sign_in_response(&email, DEMO_PASSWORD, false).await).await;
    assert_eq!((refused.status, refused.code()), (403, "not_allowed"), "{refused:?}");
    assert!(refused.message().contains("not opened the web portal to staff: use the Plumbline desktop app"));
    assert_eq!(server.count("sessions").await, sessions, "no session was opened");
    let wrong_password = answer(server.web_sign_in_response(&email, "not the password", false).await).await;
    assert!(!wrong_password.message().contains("web portal"), "the password is checked first: {wrong_password:?}");

    let everyone = json!({ "staff": true, "landlords": true, "contractors": true, "tenants": true });
    set_web_portal(&server, everyone).await;
    let staff = server.web_sign_in_as(Role::Staff).await;
    assert_eq!(server.web_call("staff_dashboard", &staff, json!({})).await.status, 200);
}

#[tokio::test]
async fn a_role_taken_off_the_web_loses_its_web_sessions_but_not_its_desktops() {
    let (server, _root) = server_with_web().await;
    set_web_portal(&server, json!({ "staff": false, "landlords": true, "contractors": true, "tenants": true })).await;
    let web = server.web_sign_in_as(Role::Landlord).await;
    let desktop = server.sign_in_as(Role::Landlord).await;
    assert_eq!(server.web_call("landlord_dashboard", &web, json!({})).await.status, 200);

    set_web_portal(&server, json!({ "staff": false, "landlords": false, "contractors": true, "tenants": true })).await;
    let refused = server.web_call("landlord_dashboard", &web, json!({})).await;
    assert_eq!((refused.status, refused.code()), (401, "not_signed_in"), "{refused:?}");
    assert_eq!(get_with_cookie(&server, "/api/v1/changes", &web).await.status(), 401);
    assert_eq!(server.call("landlord_dashboard", Some(&desktop), json!({})).await.status, 200, "the desktop goes on");
}

#[tokio::test]
async fn a_bearer_request_never_reads_the_cookie() {
    let (server, _root) = server_with_web().await;
    let browser = server.web_sign_in_as(Role::Tenant).await;
    let desktop = server.sign_in_as(Role::Contractor).await;
    // The contractor's token acts, without the page's token; the tenant's cookie is ignored.
    let request = |token: &str| {
        server
            .client
            .post(format!("{}/api/v1/contractor_dashboard", server.base))
            .header("content-type", "application/json")
            .header("cookie", &browser.cookie)
            .bearer_auth(token)
            .body("{}")
    };
    let acted = answer(request(&desktop).send().await.expect("answers")).await;
    assert_eq!(acted.status, 200, "{acted:?}");
    // A token that is not live is refused, not passed over for the live cookie.
    let dead = answer(request(&"ab".repeat(32)).send().await.expect("answers")).await;
    assert_eq!((dead.status, dead.code()), (401, "not_signed_in"), "{dead:?}");
}

/// The answers above are the ordinary command answers: the same body a desktop gets.
#[tokio::test]
async fn a_browser_gets_the_same_answer_as_a_desktop() {
    let (server, _root) = server_with_web().await;
    let browser = server.web_sign_in_as(Role::Tenant).await;
    let desktop = server.sign_in_as(Role::Tenant).await;
    let from_browser: Answer = server.web_call("tenant_dashboard", &browser, json!({})).await;
    let from_desktop = server.call("tenant_dashboard", Some(&desktop), json!({})).await;
    assert_eq!(from_browser, from_desktop);
}
