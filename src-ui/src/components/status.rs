//! Loading, empty and error states, so no screen is ever just blank. Plain functions,
//! not components: they hold no state, and each component costs its own copy of Yew's
//! generic code in the wasm (#17).

use plumbline_domain::api::CommandError;
use yew::prelude::*;

pub fn loading() -> Html {
    html! { <div class="loading" role="status"><span class="spinner"></span>{ "Loading…" }</div> }
}

pub fn error_banner(error: &CommandError) -> Html {
    html! { <div class="error-banner" role="alert" data-code={format!("{:?}", error.code)}>{ &error.message }</div> }
}

pub fn empty(title: &'static str, hint: &'static str) -> Html {
    html! { <div class="empty"><strong>{ title }</strong><p>{ hint }</p></div> }
}
