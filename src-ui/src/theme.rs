//! Light, dark, or whatever the system is set to: chosen in the sidebar, kept on this
//! computer (the webview's local storage), and applied as `data-theme` on the page's
//! root, which the stylesheet reads beside `prefers-color-scheme`. And the one thing of
//! the page's look that depends on the webview: its font (`mark_webkitgtk`).

const KEY: &str = "plumbline-theme";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    pub fn parse(text: &str) -> Self {
        Self::ALL.into_iter().find(|theme| theme.as_str() == text).unwrap_or(Theme::System)
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|window| window.local_storage().ok().flatten())
}

/// The theme chosen on this computer (System until one is).
pub fn saved() -> Theme {
    storage().and_then(|s| s.get_item(KEY).ok().flatten()).map_or(Theme::System, |text| Theme::parse(&text))
}

/// Shows the page in `theme` and remembers it for the next start.
pub fn choose(theme: Theme) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(KEY, theme.as_str());
    }
    apply(theme);
}

pub fn apply(theme: Theme) {
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) else { return };
    let _ = match theme {
        Theme::System => root.remove_attribute("data-theme"),
        Theme::Light | Theme::Dark => root.set_attribute("data-theme", theme.as_str()),
    };
}

/// Marks the page's root `data-webkitgtk` in WebKitGTK (the Linux desktop's webview),
/// where the stylesheet names the UI font `sans-serif` rather than `system-ui`. WebKitGTK
/// looks `system-ui` up in fontconfig as a family, finds none by that name, and ends at
/// the default sans-serif anyway (DejaVu Sans on Debian 12, the same glyphs), after a
/// search that cost 20 ms of the first screen's style (#17). WebView2 and WKWebView
/// resolve `system-ui` to Segoe UI and San Francisco at once, so they keep it.
pub fn mark_webkitgtk() {
    let Some(window) = web_sys::window() else { return };
    if !is_webkitgtk(&window.navigator().user_agent().unwrap_or_default()) {
        return;
    }
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-webkitgtk", "");
    }
}

/// WebKit on Linux, not Chromium (whose agent names AppleWebKit too) nor Android's.
fn is_webkitgtk(agent: &str) -> bool {
    agent.contains("Linux") && agent.contains("AppleWebKit") && !agent.contains("Chrome") && !agent.contains("Android")
}

#[cfg(test)]
mod tests {
    use super::is_webkitgtk;

    #[test]
    fn only_webkit_on_linux_is_webkitgtk() {
        let webkitgtk = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)";
        let epiphany =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15";
        let chrome_on_linux =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        let firefox_on_linux = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
        let mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)";
        let windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert!(is_webkitgtk(webkitgtk));
        assert!(is_webkitgtk(epiphany));
        for other in [chrome_on_linux, firefox_on_linux, android, mac, windows] {
            assert!(!is_webkitgtk(other), "{other}");
        }
    }
}
