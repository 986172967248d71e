//! Launches the real Plumbline binary under Xvfb through tauri-driver + WebKitWebDriver on a
//! fresh data directory, and hands the test a WebDriver client.

use anyhow::{Context, Result, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use plumbline_domain::UserId;
use plumbline_service::{Store, accounts, users};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;
use tempfile::TempDir;

const WAIT: Duration = Duration::from_secs(20);

pub struct App {
    pub client: Client,
    data_dir: TempDir,
    /// Another app's data directory this one shares (a second window on one store).
    shared_dir: Option<PathBuf>,
    driver: Child,
    name: &'static str,
    real_store: bool,
}

/// The binary under test: `PLUMBLINE_APP`, else the debug build in the target dir.
fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("PLUMBLINE_APP") {
        return path.into();
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"));
    target.join("debug").join("plumbline")
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The X display the app runs on: `$DISPLAY`, or one Xvfb started for the whole test binary,
/// on a display number the X server finds free (`scripts/e2e.sh` runs test binaries side
/// by side).
fn display() -> Result<String> {
    static DISPLAY: OnceLock<Result<String, String>> = OnceLock::new();
    DISPLAY
        .get_or_init(|| match std::env::var("DISPLAY") {
            Ok(display) => Ok(display),
            Err(_) => start_xvfb().map_err(|e| format!("{e:#}")),
        })
        .clone()
        .map_err(anyhow::Error::msg)
}

fn start_xvfb() -> Result<String> {
    // Xvfb serves every test in this process and must end with it: the shell kills it
    // when its stdin (held by this process) closes at exit. It writes its display's number
    // once it accepts connections.
    let mut child = Command::new("sh")
        .args(["-c", "Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp 2>/dev/null & x=$!; read _; kill $x"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("starting Xvfb")?;
    let mut ready = BufReader::new(child.stdout.take().context("Xvfb's output")?);
    let mut number = String::new();
    ready.read_line(&mut number).context("waiting for Xvfb")?;
    let number = number.trim().to_owned();
    if number.is_empty() {
        bail!("Xvfb did not start");
    }
    // Both pipes stay open for the life of the process.
    std::mem::forget(ready);
    std::mem::forget(child);
    Ok(format!(":{number}"))
}

/// How to start the app.
#[derive(Debug, Clone, Default)]
pub struct Launch<'a> {
    /// Extra environment, e.g. a desktop theme.
    pub env: &'a [(&'a str, &'a str)],
    /// Start on an empty real store (the set-up screen) instead of the demo agency.
    pub real_store: bool,
    /// Arguments after the app's own, as a file manager passes a double-clicked file.
    pub args: &'a [&'a str],
}

impl App {
    /// Starts the app on a fresh demo agency and signs in as its first staff member.
    pub async fn launch(name: &'static str) -> Result<Self> {
        Self::launch_with(name, &[]).await
    }

    /// As `launch`, with extra environment (e.g. a desktop theme).
    pub async fn launch_with(name: &'static str, env: &[(&str, &str)]) -> Result<Self> {
        let app = Self::start(name, Launch { env, ..Launch::default() }).await?;
        app.sign_in_as_staff().await?;
        Ok(app)
    }

    /// Starts the app on a fresh data directory and waits for its first screen.
    pub async fn start(name: &'static str, launch: Launch<'_>) -> Result<Self> {
        // A fresh start begins a fresh log; a restart adds to its run's.
        let _ = std::fs::remove_file(log_file(name));
        Self::start_in(name, tempfile::tempdir()?, launch).await
    }

    /// Closes the app and starts it again on the same data directory, as a person
    /// quitting and reopening it would.
    pub async fn restart(mut self) -> Result<Self> {
        self.client.clone().close().await?;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let data_dir = std::mem::replace(&mut self.data_dir, tempfile::tempdir()?);
        let (name, real_store) = (self.name, self.real_store);
        drop(self);
        Self::start_in(name, data_dir, Launch { real_store, ..Launch::default() }).await
    }

    /// Starts the app on `data_dir` as it is (e.g. a copy of a large store).
    pub async fn start_in(name: &'static str, data_dir: TempDir, launch: Launch<'_>) -> Result<Self> {
        Self::spawn(name, data_dir, None, launch).await
    }

    /// A second app on `other`'s data directory, as a colleague's second window on the
    /// same store would be (the demo store too, unless `launch` says a real one).
    pub async fn start_beside(other: &App, name: &'static str, launch: Launch<'_>) -> Result<Self> {
        Self::spawn(name, tempfile::tempdir()?, Some(other.data_dir().to_owned()), launch).await
    }

    /// The app as the agency server serves it to a phone: a fresh session (its own
    /// profile, no cookies) of headless Chromium at a 390 × 844 touch screen, on `url`.
    /// Nothing of the desktop runs: `data_dir` is an unused empty directory.
    pub async fn open_in_browser(name: &'static str, url: &str) -> Result<Self> {
        let app = Self::phone(name).await?;
        app.client.goto(url).await?;
        app.wait_for("#email, main").await.context("the web page never showed a screen")?;
        Ok(app)
    }

    /// A fresh headless Chromium session as a phone, on no page yet.
    /// Its profile and temporary files are kept in the session's own directory, removed
    /// with it.
    pub async fn phone(name: &'static str) -> Result<Self> {
        let port = free_port()?;
        let data_dir = tempfile::tempdir()?;
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .env("TMPDIR", data_dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting chromedriver (installed by scripts/install-deps.sh)")?;
        let client = connect_with(port, phone_browser(&data_dir.path().join(DOWNLOADS))).await?;
        Ok(Self { client, data_dir, shared_dir: None, driver, name, real_store: true })
    }

    /// Where a phone's browser saves what it downloads.
    pub fn downloads(&self) -> PathBuf {
        self.data_dir.path().join(DOWNLOADS)
    }

    /// The file named `name` once the browser has finished downloading it.
    pub async fn downloaded(&self, name: &str) -> Result<Vec<u8>> {
        let file = self.downloads().join(name);
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            if let Ok(content) = std::fs::read(&file) {
                return Ok(content);
            }
            if std::time::Instant::now() > deadline {
                let there: Vec<_> = std::fs::read_dir(self.downloads())
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.file_name())
                    .collect();
                bail!("{name} was never downloaded; the downloads hold {there:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn spawn(name: &'static str, own: TempDir, shared: Option<PathBuf>, launch: Launch<'_>) -> Result<Self> {
        let display = display()?;
        let binary = app_binary();
        if !binary.exists() {
            bail!("app binary {} not built (set PLUMBLINE_APP or run scripts/test.sh)", binary.display());
        }
        let (port, native_port) = (free_port()?, free_port()?);
        let data_dir = shared.clone().unwrap_or_else(|| own.path().to_owned());
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DISPLAY", display)
            .env("PLUMBLINE_DATA_DIR", data_dir)
            .env("PLUMBLINE_LOG_FILE", log_file(name))
            .envs(launch.env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting tauri-driver (installed by scripts/install-deps.sh)")?;
        let store: &[&str] = if launch.real_store { &[] } else { &["--demo"] };
        let client = connect(port, &binary, &[store, launch.args].concat()).await?;
        let app = Self { client, data_dir: own, shared_dir: shared, driver, name, real_store: launch.real_store };
        app.wait_for("#email, #agency, [data-testid=workload], main").await.context("the app never showed a screen")?;
        Ok(app)
    }

    /// The X display the app's windows (and its native dialogs) are on.
    pub fn display(&self) -> Result<String> {
        display()
    }

    /// The app's data directory (`PLUMBLINE_DATA_DIR`).
    pub fn data_dir(&self) -> &Path {
        self.shared_dir.as_deref().unwrap_or(self.data_dir.path())
    }

    /// The directory holding the store the app runs on.
    pub fn store_dir(&self) -> PathBuf {
        if self.real_store { self.data_dir().to_path_buf() } else { self.data_dir().join("demo") }
    }

    /// The app's own store, opened beside it as a second process would.
    pub async fn store(&self) -> Result<Store> {
        Ok(Store::open(&self.store_dir()).await?)
    }

    /// Signs in through the sign-in screen, typing as a person would.
    pub async fn sign_in(&self, email: &str, password: &str, remember: bool) -> Result<()> {
        self.wait_for("#email").await?.send_keys(email).await?;
        self.wait_for("#password").await?.send_keys(password).await?;
        if remember {
            self.wait_for("#remember").await?.click().await?;
        }
        self.wait_for("#sign-in").await?.click().await?;
        Ok(())
    }

    /// Signs in as the demo agency's first staff member and waits for the dashboard.
    pub async fn sign_in_as_staff(&self) -> Result<()> {
        let staff = users::first_staff(&self.store().await?).await?;
        self.sign_in_as(staff.user_id).await?;
        self.wait_for("[data-testid=workload]").await.context("the staff dashboard never appeared")?;
        Ok(())
    }

    /// Signs in as a demo user with the demo password (not remembered).
    pub async fn sign_in_as(&self, user: UserId) -> Result<()> {
        let store = self.store().await?;
        let me = users::current(&store, users::actor(&store, user).await?).await?;
        self.sign_in(&me.email, accounts::DEMO_PASSWORD, false).await
    }

    /// Waits for `css`; when it never comes, the screen is saved as
    /// `target/e2e-screens/failed-<name>.png` to show what was there instead.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        let found = self.client.wait().at_most(WAIT).for_element(Locator::Css(css)).await;
        if found.is_err() {
            let _ = self.save_screen(&format!("failed-{}", self.name)).await;
            self.print_log();
        }
        found.with_context(|| format!("waiting for {css}"))
    }

    /// The reference cell of the list's row for `reference`, scrolled to as a person
    /// would: a list builds only the rows near the viewport. Scrolls a screen at a time
    /// to the end, then from the top again, until the row is there or time runs out.
    pub async fn row(&self, reference: impl std::fmt::Display) -> Result<Element> {
        const SCROLL_ON: &str = "const list = document.querySelector('.content');
            const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 1;
            list.scrollTop = atEnd ? 0 : list.scrollTop + list.clientHeight * 0.8;";
        let css = format!("tr.order-row[data-reference='{reference}'] td.ref");
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            if let Ok(cell) = self.client.find(Locator::Css(&css)).await {
                return Ok(cell);
            }
            if std::time::Instant::now() > deadline {
                return self.wait_for(&css).await;
            }
            self.client.execute(SCROLL_ON, vec![]).await?;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks a sidebar entry ("Work orders", "Triage queue", …) and waits for its page.
    pub async fn go_to(&self, entry: &str) -> Result<()> {
        self.wait_for(&format!("[data-nav='{entry}']")).await?.click().await?;
        let page = match entry {
            "Work orders" => "[data-testid=list-count]",
            "Triage queue" => "[data-testid=triage-count]",
            "Dashboard" => "[data-testid=workload]",
            _ => "main",
        };
        self.wait_for(page).await?;
        Ok(())
    }

    /// Types into whatever has keyboard focus, as a person at the keyboard would.
    /// Modifier keys (`Key::Control`) stay down until `Key::Null`.
    pub async fn press(&self, keys: &str) -> Result<()> {
        Ok(self.client.active_element().await?.send_keys(keys).await?)
    }

    /// Sets an input's value as typing would (for inputs WebDriver cannot type into,
    /// such as WebKit's date-time pickers).
    pub async fn set_value(&self, css: &str, value: &str) -> Result<()> {
        let script = "const el = document.querySelector(arguments[0]); el.value = arguments[1];
            el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true }));";
        self.wait_for(css).await?;
        self.client.execute(script, vec![css.into(), value.into()]).await?;
        Ok(())
    }

    /// Waits until nothing matches `css` (a row that leaves a list once acted on).
    pub async fn wait_for_gone(&self, css: &str) -> Result<()> {
        let deadline = std::time::Instant::now() + WAIT;
        while !self.find_all(css).await?.is_empty() {
            if std::time::Instant::now() > deadline {
                bail!("{css} is still there");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    /// Waits until `css`'s text satisfies `check`, returning the last text seen.
    pub async fn wait_for_text(&self, css: &str, check: impl Fn(&str) -> bool) -> Result<String> {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let text = self.text(css).await?;
            if check(&text) {
                return Ok(text);
            }
            if std::time::Instant::now() > deadline {
                bail!("{css} still reads {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The value of a JavaScript expression in the page (computed styles, attributes).
    pub async fn eval(&self, expression: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute(&format!("return {expression};"), vec![]).await?)
    }

    /// What the UI's wasm holds of the page: the JavaScript objects in wasm-bindgen's
    /// table of references, and how many of those are nodes out of the document. A
    /// screen that forgot a listener, a timer or a node shows here; WebKit's own memory
    /// does not (#17).
    pub async fn held_by_page(&self) -> Result<HeldByPage> {
        let held = self.client.execute_async(HELD_BY_PAGE, vec![]).await?;
        let count = |name: &str| held[name].as_u64().with_context(|| format!("what the page holds: {held}"));
        Ok(HeldByPage { references: count("references")?, detached_nodes: count("detached_nodes")? })
    }

    /// The colour the stylesheet gives `variable` in the rule for `selector` (e.g. the
    /// dark palette's `--surface` under `:root[data-theme="dark"]`), as computed styles
    /// write it (`rgb(…)`), so a test expects what the CSS says, not a copied literal.
    pub async fn palette_colour(&self, selector: &str, variable: &str) -> Result<String> {
        let script = "const [selector, variable] = arguments;
            const rule = [...document.styleSheets].flatMap(sheet => [...sheet.cssRules])
              .find(rule => rule.selectorText === selector && rule.style.getPropertyValue(variable));
            if (!rule) return null;
            const probe = document.createElement('div');
            probe.style.color = rule.style.getPropertyValue(variable).trim();
            document.body.appendChild(probe);
            const colour = getComputedStyle(probe).color;
            probe.remove();
            return colour;";
        let colour = self.client.execute(script, vec![selector.into(), variable.into()]).await?;
        colour.as_str().map(str::to_owned).with_context(|| format!("no {variable} under {selector} in the stylesheet"))
    }

    /// Calls the backend's command `C` with `args` exactly as any script in the webview
    /// could: `{"ok": answer}`, the answer's bytes read as the page reads them and shown
    /// as JSON, or `{"err": refusal}`.
    pub async fn invoke<C: plumbline_domain::Command>(&self, args: serde_json::Value) -> Result<serde_json::Value> {
        let script = "const [command, args, done] = arguments;
            window.__TAURI__.core.invoke(command, args).then(
              value => done(value instanceof ArrayBuffer ? { bytes: Array.from(new Uint8Array(value)) } : { ok: value }),
              error => done({ err: error }));";
        let mut answer = self.client.execute_async(script, vec![C::NAME.into(), args]).await?;
        if answer.get("ok").is_some() {
            bail!("{} answered other than in bytes, which no page reads: {answer}", C::NAME);
        }
        let Some(bytes) = answer.get_mut("bytes").map(serde_json::Value::take) else {
            return Ok(answer); // a refusal
        };
        let bytes: Vec<u8> = serde_json::from_value(bytes)?;
        let read: C::Answer =
            plumbline_domain::wire::decode(&bytes).with_context(|| format!("{}'s answer", C::NAME))?;
        Ok(serde_json::json!({ "ok": serde_json::to_value(read)? }))
    }

    /// Saves what the window shows now as `target/e2e-screens/<name>.png` (`name` may
    /// name a folder first: `sweep/…`).
    pub async fn save_screen(&self, name: &str) -> Result<()> {
        let file = workspace_root().join("target").join("e2e-screens").join(format!("{name}.png"));
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Let WebKit paint the last change first: under Xvfb a screenshot can show an older frame.
        let painted = "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 250)));";
        self.client.execute_async(painted, vec![]).await?;
        // WebKitWebDriver takes the screenshot after the page's next paint. The app paints
        // without compositing (lib.rs), where a page that does not change never paints
        // again: a 1-pixel change every 10 ms is that next paint.
        self.client.execute(REPAINT_START, vec![]).await?;
        let png = self.client.screenshot().await;
        self.client.execute(REPAINT_STOP, vec![]).await?;
        std::fs::write(file, png?)?;
        Ok(())
    }

    /// The end of the app's log, on stderr, to read beside a failure.
    fn print_log(&self) {
        const LINES: usize = 80;
        let file = log_file(self.name);
        match std::fs::read_to_string(&file) {
            Ok(log) => {
                let lines: Vec<&str> = log.lines().collect();
                let tail = &lines[lines.len().saturating_sub(LINES)..];
                eprintln!("--- the end of {} ---\n{}\n---", file.display(), tail.join("\n"));
            }
            Err(err) => eprintln!("no app log at {}: {err}", file.display()),
        }
    }

    /// Saves the final screen for a person to look at, then closes the app.
    pub async fn finish(mut self) -> Result<()> {
        self.save_screen(self.name).await?;
        self.client.clone().close().await?;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        Ok(())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // A failed test never reaches `finish`; do not leave the app running.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Where the app named `name` logs (`PLUMBLINE_LOG_FILE`).
fn log_file(name: &str) -> PathBuf {
    let dir = workspace_root().join("target").join("e2e-logs");
    let _ = std::fs::create_dir_all(&dir);
    dir.join(format!("{name}.log"))
}

async fn connect(port: u16, binary: &Path, args: &[&str]) -> Result<Client> {
    let mut capabilities = serde_json::Map::new();
    let options = serde_json::json!({ "application": binary.to_string_lossy(), "args": args });
    capabilities.insert("tauri:options".into(), options);
    capabilities.insert("browserName".into(), "wry".into());
    connect_with(port, capabilities).await
}

/// A phone's downloads, inside its session's directory.
const DOWNLOADS: &str = "downloads";

/// Debian's Chromium as a phone: a 390 × 844 touch screen, trusting the test server's
/// self-signed certificate as a desktop does once its fingerprint is accepted.
fn phone_browser(downloads: &Path) -> serde_json::Map<String, serde_json::Value> {
    let mut args = vec!["--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--lang=en-GB"];
    // Chromium's sandbox refuses to run as root, as CI's containers do.
    if running_as_root() {
        args.push("--no-sandbox");
    }
    let phone = serde_json::json!({
        "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 2.0, "touch": true },
        "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36",
    });
    // Downloads go straight to the session's own folder, as a phone saves them.
    let prefs = serde_json::json!({
        "download.default_directory": downloads.to_string_lossy(),
        "download.prompt_for_download": false,
    });
    let options =
        serde_json::json!({ "binary": "/usr/bin/chromium", "args": args, "mobileEmulation": phone, "prefs": prefs });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), "chrome".into());
    capabilities.insert("acceptInsecureCerts".into(), true.into());
    capabilities.insert("goog:chromeOptions".into(), options);
    capabilities
}

/// `/proc/self` belongs to the process's effective user.
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|me| me.uid() == 0)
}

async fn connect_with(port: u16, capabilities: serde_json::Map<String, serde_json::Value>) -> Result<Client> {
    let url = format!("http://127.0.0.1:{port}");
    let mut last_error = None;
    // tauri-driver takes a moment to listen.
    for _ in 0..50 {
        match ClientBuilder::native().capabilities(capabilities.clone()).connect(&url).await {
            Ok(client) => return Ok(client),
            Err(err) => last_error = Some(err),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("could not start a WebDriver session on {url}: {last_error:?}")
}

/// What `App::held_by_page` counts. The glue's `default()` hands back the running
/// wasm's exports once it has started, so this reads the same instance the UI runs in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeldByPage {
    pub references: u64,
    pub detached_nodes: u64,
}

const HELD_BY_PAGE: &str = "const done = arguments[0];
    (async () => {
      const loader = [...document.scripts].map(s => s.textContent).join('\\n');
      const glue = await import(loader.match(/import\\('([^']+\\.js)'\\)/)[1]);
      const table = (await glue.default()).__wbindgen_externrefs;
      let references = 0, detached_nodes = 0;
      for (let i = 0; i < table.length; i++) {
        const held = table.get(i);
        if (held === undefined || held === null) continue;
        references++;
        if (held instanceof Node && !held.isConnected) detached_nodes++;
      }
      done({ references, detached_nodes });
    })().catch(e => done(String(e)));";

/// An invisible pixel that changes every 10 ms, so that the page keeps painting.
const REPAINT_START: &str = "const pixel = document.createElement('div');
    pixel.id = 'e2e-repaint';
    pixel.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none';
    document.body.appendChild(pixel);
    let on = false;
    window.e2eRepaint = setInterval(() => {
        on = !on;
        pixel.style.background = on ? 'rgba(0,0,0,0.01)' : 'transparent';
    }, 10);";
const REPAINT_STOP: &str = "clearInterval(window.e2eRepaint); document.getElementById('e2e-repaint')?.remove();";
