//! The sign-in screen. On the demo agency it also lists one account per role, so a
//! newcomer can see Plumbline as staff, a landlord, a contractor or a tenant; beside it,
//! where the agency is (this computer or an agency server).

use crate::components::form::{FormErrors, TextField};
use crate::components::status::error_banner;
use crate::ipc;
use crate::pages::connection::connection_choice;
use plumbline_domain::api::{DemoAccount, Field, SessionStatus, SignIn, SignedIn};
use plumbline_domain::commands;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SignInProps {
    pub demo_accounts: Vec<DemoAccount>,
    /// Why the last session ended (signed out elsewhere, idle), if it did.
    #[prop_or_default]
    pub notice: Option<String>,
    pub on_signed_in: Callback<SignedIn>,
    /// The person chose another agency (an agency server, or this computer).
    pub on_connection_changed: Callback<SessionStatus>,
}

#[function_component]
pub fn SignInPage(props: &SignInProps) -> Html {
    let email = use_state(String::new);
    let password = use_state(String::new);
    let remember = use_state(|| false);
    let errors = use_state(FormErrors::default);
    let sending = use_state(|| false);

    let onsubmit = {
        let (email, password, remember, errors, sending) =
            (email.clone(), password.clone(), remember.clone(), errors.clone(), sending.clone());
        let on_signed_in = props.on_signed_in.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let request = SignIn { email: (*email).clone(), password: (*password).clone(), remember: *remember };
            let (errors, sending, on_signed_in) = (errors.clone(), sending.clone(), on_signed_in.clone());
            sending.set(true);
            ipc::call_then(commands::SignIn { request }, move |answer| match answer {
                Ok(signed_in) => on_signed_in.emit(signed_in),
                Err(error) => {
                    errors.set(FormErrors::from(error));
                    sending.set(false);
                }
            });
        })
    };
    let setter = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |value: String| state.set(value))
    };
    let on_remember = {
        let remember = remember.clone();
        Callback::from(move |e: Event| remember.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let use_account = {
        let (email, password, errors) = (email.clone(), password.clone(), errors.clone());
        Callback::from(move |account: DemoAccount| {
            email.set(account.email);
            password.set(account.password);
            errors.set(FormErrors::default());
        })
    };
    html! {
        <div class="welcome">
            <form class="welcome-card" {onsubmit} novalidate=true>
                <div class="brand welcome-brand"><span class="logo" aria-hidden="true"></span>{ "Plumbline" }</div>
                <h1>{ "Sign in" }</h1>
                <p class="muted">{ "Repairs, from the tenant's request to the contractor's paid invoice." }</p>
                if let Some(notice) = &props.notice {
                    <p id="session-ended" class="notice-bar warning" role="status">{ notice }</p>
                }
                if let Some(error) = &errors.general {
                    { error_banner(error) }
                }
                <TextField id="email" label="E-mail" kind="email" value={(*email).clone()} on_input={setter(&email)}
                           autocomplete="username" autofocus=true error={errors.for_field(Field::Email)} />
                <TextField id="password" label="Password" kind="password" value={(*password).clone()}
                           on_input={setter(&password)} autocomplete="current-password"
                           error={errors.for_field(Field::Password)} />
                <label class="remember">
                    <input id="remember" type="checkbox" checked={*remember} onchange={on_remember} />
                    { remember_words() }
                </label>
                <button id="sign-in" class="primary-button wide" type="submit" disabled={*sending}>
                    { if *sending { "Signing in…" } else { "Sign in" } }
                </button>
            </form>
            if !props.demo_accounts.is_empty() {
                { demo_accounts(&props.demo_accounts, &use_account) }
            }
            { connection_choice(props.on_connection_changed.clone()) }
        </div>
    }
}

/// What "remember me" keeps, and who else it lets in.
fn remember_words() -> Html {
    if ipc::in_browser() {
        // A lasting cookie, in this browser's profile: whoever uses the profile is you.
        return html! {
            <span>{ "Keep me signed in on this device" }<small>{ "For 30 days in this browser; signing out ends it." }</small>
                <small id="remember-shared">{ "Anyone using this browser will open Plumbline as you." }</small></span>
        };
    }
    // The secret is keyed by this store only, in this OS account's keyring: on a shared
    // account the next person to open Plumbline is signed in as you.
    html! {
        <span>{ "Remember me on this computer" }<small>{ "Kept in your system keyring; signing out forgets it." }</small>
            <small id="remember-shared">{ "Anyone using this computer account will open Plumbline as you." }</small></span>
    }
}

fn demo_accounts(accounts: &[DemoAccount], on_use: &Callback<DemoAccount>) -> Html {
    html! {
        <section class="welcome-card demo-accounts" aria-label="Demo accounts">
            <h2>{ "Demo agency" }</h2>
            <p class="muted">{ "Everyone's password is " }<code>{ &accounts[0].password }</code>{ ". Pick a role to fill the form:" }</p>
            <ul>
                { for accounts.iter().map(|account| {
                    let onclick = { let (on_use, account) = (on_use.clone(), account.clone()); Callback::from(move |_| on_use.emit(account.clone())) };
                    html! {
                        <li>
                            <button type="button" class="demo-account" data-role={account.role.as_str()} {onclick}>
                                <span class="demo-role">{ account.role.as_str() }</span>
                                <span>{ &account.name }</span>
                                <span class="muted">{ &account.email }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
