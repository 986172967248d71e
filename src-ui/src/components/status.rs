//! Loading, empty and error states, so no screen is ever just blank.

use plumbline_domain::api::CommandError;
use yew::prelude::*;

#[function_component]
pub fn Loading() -> Html {
    html! { <div class="loading" role="status"><span class="spinner"></span>{ "Loading…" }</div> }
}

#[derive(Properties, PartialEq)]
pub struct ErrorBannerProps {
    pub error: CommandError,
}

#[function_component]
pub fn ErrorBanner(props: &ErrorBannerProps) -> Html {
    html! { <div class="error-banner" role="alert" data-code={format!("{:?}", props.error.code)}>{ &props.error.message }</div> }
}

#[derive(Properties, PartialEq)]
pub struct EmptyProps {
    pub title: AttrValue,
    pub hint: AttrValue,
}

#[function_component]
pub fn Empty(props: &EmptyProps) -> Html {
    html! { <div class="empty"><strong>{ &props.title }</strong><p>{ &props.hint }</p></div> }
}
