//! "About Plumbline": which build this is and which store it works on, as a support call
//! or a bug report needs them (the agency server's version too, when connected).

use crate::components::status::{error_banner, loading};
use crate::keyboard::use_keydown;
use crate::live::use_load;
use plumbline_domain::api::About;
use plumbline_domain::commands;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AboutSheetProps {
    pub on_close: Callback<()>,
}

#[function_component]
pub fn AboutSheet(props: &AboutSheetProps) -> Html {
    let about = use_load((), |()| commands::About {}, |_| false);
    let on_close = props.on_close.clone();
    use_keydown(Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            on_close.emit(());
        }
    }));
    let close = props.on_close.reform(|_: MouseEvent| ());
    let body = match &*about.loaded {
        None => loading(),
        Some(Err(error)) => error_banner(error),
        Some(Ok(about)) => facts(about),
    };
    html! {
        <div class="overlay" onclick={close.clone()}>
            <div class="sheet about" data-testid="about" role="dialog" aria-label="About Plumbline"
                 onclick={|e: MouseEvent| e.stop_propagation()}>
                <header class="sheet-head">
                    <h2>{ "About Plumbline" }</h2>
                    <button class="link" onclick={close}>{ "Close (Esc)" }</button>
                </header>
                <p class="about-line">{ "Property maintenance, from a tenant's request to the contractor's paid invoice." }</p>
                { body }
            </div>
        </div>
    }
}

fn facts(about: &About) -> Html {
    let store = match &about.server {
        Some(server) => format!("The agency server at {}", server.address),
        None => "This computer".to_owned(),
    };
    html! {
        <dl class="about-facts">
            <dt>{ "Version" }</dt><dd data-testid="about-version">{ &about.version }</dd>
            <dt>{ "Agency data" }</dt><dd data-testid="about-store">{ store }</dd>
            if let Some(server) = &about.server {
                <dt>{ "Server version" }</dt><dd data-testid="about-server-version">{ &server.version }</dd>
            }
            <dt>{ "Data format" }</dt><dd data-testid="about-schema">{ format!("change {}", about.schema_version) }</dd>
        </dl>
    }
}
