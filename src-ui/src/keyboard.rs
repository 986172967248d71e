//! Keyboard support: a document-wide key listener hook, the test for "the user is
//! typing", and the one table of shortcuts that tooltips and the `?` sheet both read.

use crate::navigation;
use plumbline_domain::lifecycle::{Policy, allowed_actions};
use plumbline_domain::role::Party;
use plumbline_domain::{Action, Role, State};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlElement, KeyboardEvent};
use yew::prelude::*;

/// Calls `handler` for every keydown in the document while the component is mounted.
#[hook]
pub fn use_keydown(handler: Callback<KeyboardEvent>) {
    use_effect_with(handler, |handler| {
        let handler = handler.clone();
        let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| handler.emit(e));
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(document) = &document {
            let _ = document.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(document) = &document {
                let _ = document.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            drop(listener);
        }
    });
}

/// Keys typed into a field belong to the field, not to shortcuts.
pub fn is_typing(e: &KeyboardEvent) -> bool {
    let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return false };
    matches!(target.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || target.dyn_ref::<HtmlElement>().is_some_and(|el| el.is_content_editable())
}

/// A plain key (no Ctrl / Cmd / Alt), as shortcuts use them.
pub fn plain_key(e: &KeyboardEvent) -> Option<String> {
    (!e.ctrl_key() && !e.meta_key() && !e.alt_key() && !is_typing(e)).then(|| e.key())
}

/// The modifier of the platform's own shortcuts: Cmd on macOS, Ctrl on Windows and
/// Linux. Shortcuts answer to it alone and every label names it, so a Mac user reads
/// "⌘K" and a Windows user "Ctrl K".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    Ctrl,
    Cmd,
}

impl Modifier {
    /// This computer's, from the webview's user agent (WKWebView on macOS says
    /// "Macintosh"; WebView2 and WebKitGTK never do), read once per page load.
    pub fn here() -> Self {
        static HERE: std::sync::OnceLock<Modifier> = std::sync::OnceLock::new();
        *HERE.get_or_init(|| {
            let agent = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
            Self::for_user_agent(&agent)
        })
    }

    pub fn for_user_agent(agent: &str) -> Self {
        if agent.contains("Macintosh") || agent.contains("Mac OS X") { Self::Cmd } else { Self::Ctrl }
    }

    pub fn is_held(self, e: &KeyboardEvent) -> bool {
        match self {
            Self::Ctrl => e.ctrl_key() && !e.meta_key(),
            Self::Cmd => e.meta_key() && !e.ctrl_key(),
        }
    }

    /// `key` with this modifier as a key cap reads it: "Ctrl K", "⌘K".
    pub fn with(self, key: &str) -> String {
        match self {
            Self::Ctrl => format!("Ctrl {key}"),
            Self::Cmd => format!("⌘{key}"),
        }
    }

    /// `key` with this modifier as a sentence writes it: "Ctrl+Enter", "⌘Enter".
    pub fn in_text(self, key: &str) -> String {
        match self {
            Self::Ctrl => format!("Ctrl+{key}"),
            Self::Cmd => format!("⌘{key}"),
        }
    }
}

/// Ctrl+K on Windows and Linux, Cmd+K on macOS.
pub fn is_palette_key(e: &KeyboardEvent) -> bool {
    Modifier::here().is_held(e) && e.key().eq_ignore_ascii_case("k")
}

/// Ctrl+Enter on Windows and Linux, Cmd+Enter on macOS: confirms a form, sends a message.
pub fn is_confirm_key(e: &KeyboardEvent) -> bool {
    Modifier::here().is_held(e) && e.key() == "Enter"
}

/// The frequent steps on an order, one letter each; the rest are in the palette.
pub fn action_key(action: Action) -> Option<char> {
    match action {
        Action::SetPriority => Some('p'),
        Action::Assign => Some('a'),
        Action::Reassign => Some('r'),
        Action::Accept => Some('y'),
        Action::Schedule => Some('s'),
        Action::Start => Some('t'),
        Action::Complete => Some('d'),
        Action::Close => Some('c'),
        Action::Cancel => Some('x'),
        Action::RequestApproval => Some('q'),
        Action::Approve => Some('v'),
        Action::Reject
        | Action::Decline
        | Action::DeclineEstimate
        | Action::RequestReschedule
        | Action::Reopen
        | Action::ReportNotDone
        | Action::ConfirmDone
        | Action::AutoClose
        | Action::Rate => None,
    }
}

/// The action a plain key stands for, among those allowed now.
pub fn action_for_key(key: &str, allowed: &[Action]) -> Option<Action> {
    allowed.iter().copied().find(|a| action_key(*a).is_some_and(|k| key == k.to_string()))
}

/// One section of the `?` sheet.
pub struct ShortcutGroup {
    pub title: &'static str,
    pub keys: Vec<(String, String)>,
}

/// The shortcuts `role` has (all of them until the role is known).
pub fn shortcut_groups(role: Option<Role>) -> Vec<ShortcutGroup> {
    let pairs = |list: &[(&str, &str)]| list.iter().map(|(k, d)| (k.to_string(), d.to_string())).collect::<Vec<_>>();
    // A role is shown only the steps it can take on some order (a tenant never assigns).
    let takes = |action: Action| role.is_none_or(|role| may_ever(action, usual_party(role)));
    let order_actions = Action::ALL
        .into_iter()
        .filter(|a| takes(*a))
        .filter_map(|a| action_key(a).map(|k| (k.to_uppercase().to_string(), a.label().to_owned())))
        .collect();
    let screens = role
        .map(navigation::entries)
        .unwrap_or_default()
        .into_iter()
        .map(|screen| (format!("G then {}", screen.key.to_ascii_uppercase()), screen.description.to_owned()));
    let modifier = Modifier::here();
    let mut anywhere = vec![(modifier.with("K"), "Command palette: open an order, run an action".to_owned())];
    anywhere.extend(screens);
    anywhere.extend(pairs(&[("?", "This sheet"), ("Esc", "Close a dialog or form")]));
    let mut lists = pairs(&[
        ("J / ↓", "Next order"),
        ("K / ↑", "Previous order"),
        ("Enter", "Open the selected order"),
        ("] / [", "Next / previous page"),
    ]);
    if role.is_none_or(Role::is_agency) {
        lists.extend(pairs(&[
            ("E", "Triage: mark the selected order an emergency"),
            ("P", "Triage: set the selected order's priority"),
            ("A", "Triage: assign the selected order"),
        ]));
    }
    vec![
        ShortcutGroup { title: "Anywhere", keys: anywhere },
        ShortcutGroup { title: "Lists", keys: lists },
        ShortcutGroup { title: "An open order", keys: order_actions },
        ShortcutGroup {
            title: "In a form",
            keys: vec![(modifier.with("Enter"), "Confirm".to_owned()), ("Esc".to_owned(), "Not now".to_owned())],
        },
    ]
}

/// What a user of `role` is to the orders they open.
fn usual_party(role: Role) -> Party {
    match role {
        Role::Staff | Role::Admin => Party::Agency,
        Role::Landlord => Party::OwningLandlord,
        Role::Contractor => Party::AssignedContractor,
        Role::Tenant => Party::RequestingTenant,
    }
}

fn may_ever(action: Action, party: Party) -> bool {
    // Under the most permissive policy: a shortcut exists if the action ever can.
    let policy = Policy { tenants_may_cancel_after_accept: true, staff_may_approve: true };
    State::ALL.into_iter().any(|state| allowed_actions(&policy, state, party).contains(&action))
}

/// Moves a list's selection for j/k/↑/↓ (within `count` rows); the list keeps it in
/// view. Returns false for any other key, which the page may then handle itself.
pub fn move_selection(e: &KeyboardEvent, key: &str, selected: &UseStateHandle<usize>, count: usize) -> bool {
    let index = match key {
        "j" | "ArrowDown" => (**selected + 1).min(count.saturating_sub(1)),
        "k" | "ArrowUp" => selected.saturating_sub(1),
        _ => return false,
    };
    e.prevent_default();
    selected.set(index);
    true
}

/// Moves keyboard focus to the first field inside `selector`, so a form opened from the
/// keyboard can be filled in at once.
pub fn focus_first_field(selector: &str) {
    let field = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("{selector} select, {selector} input, {selector} textarea, {selector} button"))
                .ok()
                .flatten()
        })
        .and_then(|el| el.dyn_into::<HtmlElement>().ok());
    if let Some(field) = field {
        let _ = field.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::Modifier;

    #[test]
    fn a_mac_uses_cmd_and_every_other_desktop_ctrl() {
        let mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)";
        let windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        let linux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)";
        assert_eq!(Modifier::for_user_agent(mac), Modifier::Cmd);
        assert_eq!(Modifier::for_user_agent(windows), Modifier::Ctrl);
        assert_eq!(Modifier::for_user_agent(linux), Modifier::Ctrl);
        assert_eq!(Modifier::Cmd.with("K"), "⌘K");
        assert_eq!(Modifier::Ctrl.with("Enter"), "Ctrl Enter");
        assert_eq!(Modifier::Ctrl.in_text("C"), "Ctrl+C");
        assert_eq!(Modifier::Cmd.in_text("Enter"), "⌘Enter");
    }
}
