//! The sidebar's line icons (24×24, drawn in the text colour), which stand in for the
//! labels when a narrow window collapses the sidebar.

use crate::app::Route;
use yew::prelude::*;

/// One icon's strokes, as SVG markup inside a 24×24 box.
fn strokes(route: &Route) -> &'static str {
    match route {
        Route::Dashboard => {
            r#"<rect x="3" y="3" width="7" height="9" rx="1"/><rect x="14" y="3" width="7" height="5" rx="1"/><rect x="14" y="12" width="7" height="9" rx="1"/><rect x="3" y="16" width="7" height="5" rx="1"/>"#
        }
        Route::NewRequest => r#"<circle cx="12" cy="12" r="9"/><path d="M12 8v8M8 12h8"/>"#,
        Route::Triage => r#"<path d="M3 4h18l-7 8.5V18l-4 2v-7.5z"/>"#,
        Route::WorkOrders | Route::WorkOrder(_) => r#"<path d="M9 6h12M9 12h12M9 18h12M4 6h.01M4 12h.01M4 18h.01"/>"#,
        Route::Messages => r#"<path d="M21 15a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/>"#,
        Route::Properties | Route::Property(_) => {
            r#"<path d="M3 11l9-8 9 8"/><path d="M5 9.5V21h14V9.5"/><path d="M10 21v-6h4v6"/>"#
        }
        Route::Compliance => {
            r#"<path d="M12 3l8 3v6c0 4.5-3.4 8.2-8 9-4.6-.8-8-4.5-8-9V6z"/><path d="M8.5 12l2.5 2.5 4.5-5"/>"#
        }
        Route::Planned => {
            r#"<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/><path d="M9 15.5l2 2 4-4"/>"#
        }
        Route::Contractors => {
            r#"<path d="M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.6 2.6-2.4-.6-.6-2.4z"/>"#
        }
        Route::Landlords => r#"<circle cx="7.5" cy="15.5" r="4.5"/><path d="M10.7 12.3L21 2M16 7l3 3M18.5 4.5l2 2"/>"#,
        Route::Reports => r#"<path d="M4 20V10M10 20V4M16 20v-7M21 20H3"/>"#,
        Route::Users => r#"<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4 3.6-7 8-7s8 3 8 7"/>"#,
        Route::Import => r#"<path d="M12 3v12M7 10l5 5 5-5"/><path d="M4 16v4h16v-4"/>"#,
        Route::Settings => {
            r#"<path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1"/><circle cx="15" cy="6" r="2"/><circle cx="9" cy="12" r="2"/><circle cx="17" cy="18" r="2"/>"#
        }
        Route::Backup => r#"<rect x="3" y="4" width="18" height="5" rx="1"/><path d="M5 9v11h14V9M10 13h4"/>"#,
        Route::Account => r#"<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>"#,
    }
}

/// The icon for a screen.
pub fn nav_icon(route: &Route) -> Html {
    svg(strokes(route))
}

/// Notifications.
pub fn bell_icon() -> Html {
    svg(r#"<path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/><path d="M10.3 21a1.9 1.9 0 0 0 3.4 0"/>"#)
}

/// Signing out.
pub fn sign_out_icon() -> Html {
    svg(r#"<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9"/>"#)
}

fn svg(inner: &'static str) -> Html {
    let markup = format!(
        r#"<svg class="icon" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">{inner}</svg>"#
    );
    Html::from_html_unchecked(AttrValue::from(markup))
}
