//! First run on an empty store: name the agency and create its first admin account (in
//! a browser, only the word that this is done from the desktop app).

use crate::components::form::{FormErrors, TextField, setter};
use crate::components::status::error_banner;
use crate::ipc;
use crate::pages::backup::RestoreChoice;
use crate::pages::connection::connection_choice;
use plumbline_domain::account::MIN_PASSWORD_CHARS;
use plumbline_domain::api::{Field, SessionStatus, SetUpAgency, SignedIn};
use plumbline_domain::commands;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SetUpProps {
    pub on_signed_in: Callback<SignedIn>,
    /// The person chose another agency (an agency server, or this computer).
    pub on_connection_changed: Callback<SessionStatus>,
}

#[derive(Clone, Default, PartialEq)]
struct Draft {
    agency: String,
    name: String,
    email: String,
    password: String,
    confirm: String,
}

/// What the form can say before sending, all at once: the password's own rule first (a
/// short password is short, whatever the second box says), then whether the two match.
fn form_checks(draft: &Draft) -> FormErrors {
    let mut found = FormErrors::default();
    if let Err(why) = plumbline_domain::account::check_new_password(&draft.password, &draft.email) {
        found = found.and(Field::Password, why);
    } else if draft.password != draft.confirm {
        found = found.and(Field::Confirm, "The two passwords are different");
    }
    found
}

#[function_component]
pub fn SetUpPage(props: &SetUpProps) -> Html {
    let draft = use_state(Draft::default);
    let errors = use_state(FormErrors::default);
    let sending = use_state(|| false);
    let onsubmit = {
        let (draft, errors, sending, on_signed_in) =
            (draft.clone(), errors.clone(), sending.clone(), props.on_signed_in.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let found = form_checks(&draft);
            if !found.is_empty() {
                errors.set(found);
                return;
            }
            let request = SetUpAgency {
                agency: draft.agency.clone(),
                name: draft.name.clone(),
                email: draft.email.clone(),
                password: draft.password.clone(),
            };
            let (errors, sending, on_signed_in) = (errors.clone(), sending.clone(), on_signed_in.clone());
            sending.set(true);
            ipc::call_then(commands::SetUpAgency { request }, move |answer| match answer {
                Ok(signed_in) => on_signed_in.emit(signed_in),
                Err(error) => {
                    errors.set(FormErrors::from(error));
                    sending.set(false);
                }
            });
        })
    };
    let field = |apply| setter(&draft, apply);
    html! {
        <div class="welcome">
            <form class="welcome-card" {onsubmit} novalidate=true>
                <div class="brand welcome-brand"><span class="logo" aria-hidden="true"></span>{ "Plumbline" }</div>
                <h1>{ "Set up your agency" }</h1>
                <p class="muted">{ "This is a new Plumbline store. Name your agency and create the first admin account; you can invite staff, landlords, contractors and tenants next." }</p>
                if let Some(error) = &errors.general {
                    { error_banner(error) }
                }
                <TextField id="agency" label="Agency name" value={draft.agency.clone()} on_input={field(|d, v| d.agency = v)}
                           autofocus=true error={errors.for_field(Field::Agency)} />
                <TextField id="name" label="Your name" value={draft.name.clone()} on_input={field(|d, v| d.name = v)}
                           autocomplete="name" error={errors.for_field(Field::Name)} />
                <TextField id="email" label="Your e-mail" kind="email" value={draft.email.clone()}
                           on_input={field(|d, v| d.email = v)} autocomplete="username" error={errors.for_field(Field::Email)} />
                <TextField id="password" label="Password" kind="password" value={draft.password.clone()}
                           on_input={field(|d, v| d.password = v)} autocomplete="new-password"
                           hint={format!("At least {MIN_PASSWORD_CHARS} characters; a phrase is easiest to remember.")}
                           error={errors.for_field(Field::Password)} />
                <TextField id="confirm" label="Password again" kind="password" value={draft.confirm.clone()}
                           on_input={field(|d, v| d.confirm = v)} autocomplete="new-password"
                           error={errors.for_field(Field::Confirm)} />
                <button id="create-agency" class="primary-button wide" type="submit" disabled={*sending}>
                    { if *sending { "Creating…" } else { "Create agency" } }
                </button>
            </form>
            <div class="welcome-side">
                { connection_choice(props.on_connection_changed.clone()) }
                <RestoreChoice on_restored={props.on_connection_changed.clone()} />
            </div>
        </div>
    }
}

/// In a browser, on an agency server with no agency yet: the agency is set up from the
/// desktop app (connected to this server), never over the web.
pub fn set_up_from_desktop() -> Html {
    html! {
        <div class="welcome">
            <div class="welcome-card" data-testid="setup-needed">
                <div class="brand welcome-brand"><span class="logo" aria-hidden="true"></span>{ "Plumbline" }</div>
                <h1>{ "This agency is not set up yet" }</h1>
                <p>{ "The agency and its first admin are created in the Plumbline desktop app, connected to this agency server. Once that is done, sign in here with the account your agency gives you." }</p>
            </div>
        </div>
    }
}
