//! The Account page's "E-mail me about" card: which kinds of news reach the signed-in
//! user by e-mail (`domain::mail::EmailTopic`); every one still reaches the bell. Each
//! box is saved as it is ticked.

use crate::components::status::{error_banner, loading};
use crate::ipc;
use crate::live::use_load;
use plumbline_domain::api::{CommandError, EmailPreferences};
use plumbline_domain::commands;
use yew::prelude::*;

type Toggle = fn(&mut EmailPreferences);

const CHOICES: [(&str, &str, Toggle); 3] = [
    ("email-action-needed", "Something waits on me (an approval, a job offered, work to review)", |p| {
        p.action_needed = !p.action_needed
    }),
    ("email-progress", "How my jobs move on (accepted, scheduled, started, closed…)", |p| p.progress = !p.progress),
    ("email-payments", "Payments (pending and processed)", |p| p.payments = !p.payments),
];

fn is_on(preferences: &EmailPreferences, id: &str) -> bool {
    match id {
        "email-action-needed" => preferences.action_needed,
        "email-progress" => preferences.progress,
        _ => preferences.payments,
    }
}

#[function_component]
pub fn EmailChoices() -> Html {
    let loaded = use_load((), |_| commands::EmailPreferences {}, |_| false);
    let failed = use_state(|| None::<CommandError>);
    let body = match &*loaded.loaded {
        None => loading(),
        Some(Err(error)) => error_banner(error),
        Some(Ok(preferences)) => {
            let boxes = CHOICES.iter().map(|(id, label, toggle)| {
                let (current, store, failed, toggle) = (*preferences, loaded.loaded.clone(), failed.clone(), *toggle);
                let onchange = Callback::from(move |_: Event| {
                    let mut next = current;
                    toggle(&mut next);
                    let (store, failed) = (store.clone(), failed.clone());
                    ipc::call_then(commands::SetEmailPreferences { preferences: next }, move |answer| match answer {
                        Ok(saved) => {
                            store.set(Some(Ok(saved)));
                            failed.set(None);
                        }
                        Err(error) => failed.set(Some(error)),
                    });
                });
                html! {
                    <label class="check-label">
                        <input type="checkbox" id={*id} checked={is_on(preferences, id)} {onchange} />{ *label }
                    </label>
                }
            });
            html! { <>{ for boxes }</> }
        }
    };
    html! {
        <div class="page">
            <div class="card" data-testid="email-choices">
                <h2>{ "E-mail me about" }</h2>
                <p class="muted">{ "Everything also appears under the bell. By default only what waits on you is e-mailed." }</p>
                if let Some(error) = &*failed { { error_banner(error) } }
                { body }
            </div>
        </div>
    }
}
