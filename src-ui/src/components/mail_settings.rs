//! The Settings page's E-mail card: the agency's SMTP server (an admin saves it), the
//! password (kept in the OS keyring of the machine that sends, never in the database),
//! and "Send test e-mail", which sends to the signed-in staff member at once and shows
//! the mail server's own error when it fails.

use crate::components::form::{FormErrors, TextField};
use crate::components::status::{error_banner, loading};
use crate::format;
use crate::ipc;
use crate::live::use_load;
use plumbline_domain::api::{CommandError, Field, MailSecurity, MailSettings};
use plumbline_domain::{commands, mail};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[function_component]
pub fn MailSettingsCard() -> Html {
    let settings = use_load((), |_| commands::MailSettings {}, |_| false);
    html! {
        <div class="card" data-testid="mail-settings">
            <h2>{ "E-mail" }</h2>
            <p class="muted">{ "Notifications are e-mailed to the people who chose them on their Account page. Leave the mail server empty to send no e-mail." }</p>
            { match &*settings.loaded {
                None => loading(),
                Some(Err(error)) => error_banner(error),
                Some(Ok(saved)) => html! { <MailForm start={saved.clone()} /> },
            } }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MailFormProps {
    start: MailSettings,
}

#[derive(Clone, PartialEq)]
struct Draft {
    settings: MailSettings,
    port: String,
    password: String,
}

/// What the form can see before sending: the domain's own checks and a port that is a number.
fn form_checks(draft: &Draft) -> (FormErrors, Option<MailSettings>) {
    let mut found = FormErrors::default();
    let port = draft.port.trim().parse::<u16>().ok().filter(|port| *port > 0);
    if port.is_none() && !draft.settings.host.trim().is_empty() {
        found = found.and(Field::SmtpPort, "the port is a number from 1 to 65535 (usually 587, 465 or 25)");
    }
    let settings = MailSettings { port: port.unwrap_or(draft.settings.port), ..draft.settings.clone() };
    for (field, message) in mail::problems(&settings) {
        if field != Field::SmtpPort || found.for_field(Field::SmtpPort).is_none() {
            found = found.and(field, message);
        }
    }
    (found.clone(), found.is_empty().then_some(settings))
}

/// Whether the last save or test worked, in words.
#[derive(Clone, PartialEq)]
enum Outcome {
    Saved,
    TestSent(String),
    TestFailed(CommandError),
}

#[function_component]
fn MailForm(props: &MailFormProps) -> Html {
    let start = props.start.clone();
    let draft = use_state(move || Draft { port: start.port.to_string(), settings: start, password: String::new() });
    let errors = use_state(FormErrors::default);
    let outcome = use_state(|| None::<Outcome>);
    let busy = use_state(|| false);
    let onsubmit = {
        let (draft, errors, outcome) = (draft.clone(), errors.clone(), outcome.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (found, checked) = form_checks(&draft);
            let Some(settings) = checked else {
                errors.set(found);
                return;
            };
            let (draft, errors, outcome) = (draft.clone(), errors.clone(), outcome.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let password = draft.password.clone();
                let saved = match ipc::call(commands::UpdateMailSettings { settings }).await {
                    Ok(saved) if password.is_empty() => Ok(saved),
                    Ok(saved) => ipc::call(commands::SetSmtpPassword { password }).await.map(|()| saved),
                    Err(error) => Err(error),
                };
                match saved {
                    Ok(saved) => {
                        draft.set(Draft { port: saved.port.to_string(), settings: saved, password: String::new() });
                        errors.set(FormErrors::default());
                        outcome.set(Some(Outcome::Saved));
                    }
                    Err(error) => {
                        errors.set(FormErrors::from(error));
                        outcome.set(None);
                    }
                }
            });
        })
    };
    let send_test = {
        let (outcome, busy) = (outcome.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            let (outcome, busy) = (outcome.clone(), busy.clone());
            busy.set(true);
            outcome.set(None);
            ipc::call_then(commands::SendTestEmail {}, move |answer| {
                outcome.set(Some(match answer {
                    Ok(sent) => Outcome::TestSent(sent.to),
                    Err(error) => Outcome::TestFailed(error),
                }));
                busy.set(false);
            });
        })
    };
    let text = |apply: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(&mut next, value);
            draft.set(next);
        })
    };
    let on_security = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut next = (*draft).clone();
            next.settings.security = MailSecurity::parse(&value).unwrap_or(next.settings.security);
            draft.set(next);
        })
    };
    let d = &draft.settings;
    html! {
        <form onsubmit={onsubmit} novalidate=true>
            if let Some(error) = &errors.general { { error_banner(error) } }
            <div class="field-row">
                <TextField id="smtp-host" label="Mail server (SMTP)" value={d.host.clone()} on_input={text(|d, v| d.settings.host = v)}
                           hint="e.g. smtp.office365.com; empty: no e-mail" error={errors.for_field(Field::SmtpHost)} />
                <TextField id="smtp-port" label="Port" kind="number" value={draft.port.clone()} on_input={text(|d, v| d.port = v)}
                           error={errors.for_field(Field::SmtpPort)} />
            </div>
            <label class="field">{ "Security" }
                <select id="smtp-security" onchange={on_security}>
                    { for MailSecurity::ALL.into_iter().map(|s| html! {
                        <option value={s.as_str()} selected={s == d.security}>{ s.label() }</option>
                    }) }
                </select>
            </label>
            <div class="field-row">
                <TextField id="smtp-user" label="User name" value={d.user.clone()} on_input={text(|d, v| d.settings.user = v)}
                           hint="Empty for a relay that needs no sign-in" error={errors.for_field(Field::SmtpUser)} />
                <TextField id="smtp-password" label="Password" kind="password" value={draft.password.clone()}
                           on_input={text(|d, v| d.password = v)} autocomplete="new-password"
                           hint="Kept in the system keyring of the computer that sends mail, never in the database. Leave empty to keep the one already saved."
                           error={errors.for_field(Field::SmtpPassword)} />
            </div>
            <TextField id="smtp-sender" label="Send from" value={d.sender.clone()} on_input={text(|d, v| d.settings.sender = v)}
                       hint="The address people see mail from, e.g. repairs@youragency.co.uk" error={errors.for_field(Field::SmtpSender)} />
            <div class="form-buttons">
                <button id="save-mail-settings" class="primary-button" type="submit">{ "Save e-mail settings" }</button>
                <button id="send-test-email" type="button" class="action" onclick={send_test} disabled={*busy}>
                    { if *busy { "Sending…" } else { "Send test e-mail" } }
                </button>
            </div>
            { match &*outcome {
                None => html! {},
                Some(Outcome::Saved) => html! { <p class="notice" role="status" data-testid="mail-outcome">{ "E-mail settings saved." }</p> },
                Some(Outcome::TestSent(to)) => html! {
                    <p class="notice" role="status" data-testid="mail-outcome">{ format!("Test e-mail sent to {to}.") }</p>
                },
                Some(Outcome::TestFailed(error)) => html! {
                    <p class="error-text" role="alert" data-testid="mail-outcome">{ format::sentence(&error.message) }</p>
                },
            } }
        </form>
    }
}
