//! Where the agency is, chosen before signing in: *This computer* (its own store) or an
//! *Agency server* at an address. On first contact with a server the person compares its
//! certificate's fingerprint with the one the server printed; only once they say it
//! matches is it pinned and used. Everything after sign-in is the same either way.

use crate::components::form::TextField;
use crate::components::status::error_banner;
use crate::ipc;
use plumbline_domain::api::{CommandError, Connection, ServerCertificate, SessionStatus};
use plumbline_domain::commands;
use yew::prelude::*;

/// The choice (`on_changed`: what to show now that the agency has changed); none in a
/// browser, which always works on the agency server that served the page.
pub fn connection_choice(on_changed: Callback<SessionStatus>) -> Html {
    if ipc::in_browser() {
        return Html::default();
    }
    html! { <DesktopConnectionChoice {on_changed} /> }
}

#[derive(Properties, PartialEq)]
struct DesktopConnectionChoiceProps {
    on_changed: Callback<SessionStatus>,
}

#[function_component]
fn DesktopConnectionChoice(props: &DesktopConnectionChoiceProps) -> Html {
    let current = use_state(|| None::<Connection>);
    let choosing_server = use_state(|| false);
    let address = use_state(String::new);
    let certificate = use_state(|| None::<ServerCertificate>);
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    {
        let current = current.clone();
        use_effect_with((), move |_| ipc::call_then(commands::Connection {}, move |answer| current.set(answer.ok())));
    }
    let on_server = matches!(*current, Some(Connection::Server { .. }));
    let choose_this_computer = {
        let (busy, error, on_changed) = (busy.clone(), error.clone(), props.on_changed.clone());
        let choosing_server = choosing_server.clone();
        Callback::from(move |_: MouseEvent| {
            choosing_server.set(false);
            if !on_server {
                return;
            }
            let (busy, error, on_changed) = (busy.clone(), error.clone(), on_changed.clone());
            busy.set(true);
            ipc::call_then(commands::UseThisComputer {}, move |answer| {
                match answer {
                    Ok(status) => on_changed.emit(status),
                    Err(refused) => error.set(Some(refused)),
                }
                busy.set(false);
            });
        })
    };
    let choose_server = {
        let choosing_server = choosing_server.clone();
        Callback::from(move |_: MouseEvent| choosing_server.set(true))
    };
    let check = {
        let (address, certificate, error, busy) = (address.clone(), certificate.clone(), error.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (address, certificate, error, busy) =
                ((*address).clone(), certificate.clone(), error.clone(), busy.clone());
            busy.set(true);
            error.set(None);
            ipc::call_then(commands::CheckServer { address }, move |answer| {
                match answer {
                    Ok(shown) => certificate.set(Some(shown)),
                    Err(refused) => error.set(Some(refused)),
                }
                busy.set(false);
            });
        })
    };
    let accept = {
        let (certificate, error, busy, on_changed) =
            (certificate.clone(), error.clone(), busy.clone(), props.on_changed.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(shown) = (*certificate).clone() else { return };
            let (certificate, error, busy, on_changed) =
                (certificate.clone(), error.clone(), busy.clone(), on_changed.clone());
            busy.set(true);
            let command = commands::UseServer { address: shown.address, fingerprint: shown.fingerprint };
            ipc::call_then(command, move |answer| {
                match answer {
                    Ok(status) => on_changed.emit(status),
                    Err(refused) => {
                        certificate.set(None);
                        error.set(Some(refused));
                    }
                }
                busy.set(false);
            });
        })
    };
    let cancel = {
        let certificate = certificate.clone();
        Callback::from(move |_: MouseEvent| certificate.set(None))
    };
    let on_address = {
        let address = address.clone();
        Callback::from(move |value: String| address.set(value))
    };
    let server_chosen = on_server || *choosing_server;
    html! {
        <section class="welcome-card connection-choice" aria-label="Where your agency is">
            <h2>{ "Where is your agency?" }</h2>
            <div class="segmented" role="group">
                <button id="use-this-computer" type="button" aria-pressed={(!server_chosen).to_string()}
                        onclick={choose_this_computer} disabled={*busy}>{ "This computer" }</button>
                <button id="use-agency-server" type="button" aria-pressed={server_chosen.to_string()}
                        onclick={choose_server} disabled={*busy}>{ "Agency server" }</button>
            </div>
            if let Some(error) = &*error {
                { error_banner(error) }
            }
            if let Some(Connection::Server { address, .. }) = &*current {
                <p class="muted" id="connected-server">{ "Using the agency server at " }<strong>{ address }</strong>{ "." }</p>
            } else if !server_chosen {
                <p class="muted">{ "The agency's data is kept on this computer." }</p>
            }
            if server_chosen {
                { server_form(&address, &certificate, &on_address, check, accept, cancel, *busy) }
            }
        </section>
    }
}

/// The address to connect to, then the fingerprint to check.
fn server_form(
    address: &str,
    certificate: &Option<ServerCertificate>,
    on_address: &Callback<String>,
    check: Callback<SubmitEvent>,
    accept: Callback<MouseEvent>,
    cancel: Callback<MouseEvent>,
    busy: bool,
) -> Html {
    match certificate {
        None => html! {
            <form onsubmit={check} novalidate=true>
                <TextField id="server-address" label="Agency server's address" value={address.to_owned()}
                           on_input={on_address.clone()} hint="As its administrator gave it, such as office-pc:8443" />
                <button id="check-server" class="primary-button wide" type="submit" disabled={busy}>
                    { if busy { "Connecting…" } else { "Connect" } }
                </button>
            </form>
        },
        Some(shown) => html! {
            <div class="fingerprint-check">
                <p>{ "Compare this fingerprint with the one the server printed when it started (ask its administrator). Go on only if they are the same." }</p>
                <p class="muted">{ &shown.address }</p>
                <code id="server-fingerprint">{ &shown.fingerprint }</code>
                <button id="trust-server" class="primary-button wide" type="button" onclick={accept} disabled={busy}>
                    { "They match: use this server" }
                </button>
                <button class="link-button" type="button" onclick={cancel}>{ "Cancel" }</button>
            </div>
        },
    }
}
