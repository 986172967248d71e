//! Changing one's own password; required first after signing in with a temporary one.

use crate::components::form::{FormErrors, TextField, setter};
use crate::components::status::error_banner;
use crate::ipc;
use plumbline_domain::account::MIN_PASSWORD_CHARS;
use plumbline_domain::api::{ChangePassword, Field, SignedIn};
use plumbline_domain::commands;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChangePasswordProps {
    /// Signed in with a temporary password: nothing else is open until it is replaced.
    pub required: bool,
    pub on_changed: Callback<SignedIn>,
    pub on_sign_out: Callback<()>,
}

#[derive(Clone, Default, PartialEq)]
struct Draft {
    current: String,
    new: String,
    confirm: String,
}

/// Every problem the form can see before sending, shown at once beside its field.
fn form_checks(draft: &Draft) -> FormErrors {
    let mut found = FormErrors::default();
    if draft.current.is_empty() {
        found = found.and(Field::Current, "Enter your current password");
    }
    // The e-mail rule is the backend's to check: this form does not hold the address.
    if let Err(why) = plumbline_domain::account::check_new_password(&draft.new, "") {
        found = found.and(Field::New, why);
    } else if draft.new != draft.confirm {
        found = found.and(Field::Confirm, "The two new passwords are different");
    }
    found
}

#[function_component]
pub fn ChangePasswordPage(props: &ChangePasswordProps) -> Html {
    let draft = use_state(Draft::default);
    let errors = use_state(FormErrors::default);
    let done = use_state(|| false);
    let onsubmit = {
        let (draft, errors, done, on_changed) = (draft.clone(), errors.clone(), done.clone(), props.on_changed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let found = form_checks(&draft);
            if !found.is_empty() {
                errors.set(found);
                return;
            }
            let request = ChangePassword { current: draft.current.clone(), new: draft.new.clone() };
            let (draft, errors, done, on_changed) = (draft.clone(), errors.clone(), done.clone(), on_changed.clone());
            ipc::call_then(commands::ChangePassword { request }, move |answer| match answer {
                Ok(signed_in) => {
                    draft.set(Draft::default());
                    errors.set(FormErrors::default());
                    done.set(true);
                    on_changed.emit(signed_in);
                }
                Err(error) => errors.set(FormErrors::from(error)),
            });
        })
    };
    let field = |apply| setter(&draft, apply);
    let (title, intro) = match props.required {
        true => (
            "Choose your password",
            "You signed in with a temporary password from your agency. Choose your own to go on.",
        ),
        false => ("Change password", "Other computers where you asked to be remembered stay signed in."),
    };
    let sign_out = props.on_sign_out.reform(|_: MouseEvent| ());
    html! {
        <div class={classes!(if props.required { "welcome" } else { "page" })}>
            <form class={classes!("welcome-card", (!props.required).then_some("inline"))} {onsubmit} novalidate=true>
                <h1>{ title }</h1>
                <p class="muted">{ intro }</p>
                if *done {
                    <p class="notice" role="status">{ "Your password has been changed." }</p>
                }
                if let Some(error) = &errors.general {
                    { error_banner(error) }
                }
                <TextField id="current-password" label={if props.required { "Temporary password" } else { "Current password" }}
                           kind="password" value={draft.current.clone()} on_input={field(|d, v| d.current = v)}
                           autocomplete="current-password" autofocus=true error={errors.for_field(Field::Current)} />
                <TextField id="new-password" label="New password" kind="password" value={draft.new.clone()}
                           on_input={field(|d, v| d.new = v)} autocomplete="new-password"
                           hint={format!("At least {MIN_PASSWORD_CHARS} characters; a phrase is easiest to remember.")}
                           error={errors.for_field(Field::New)} />
                <TextField id="confirm-password" label="New password again" kind="password" value={draft.confirm.clone()}
                           on_input={field(|d, v| d.confirm = v)} autocomplete="new-password"
                           error={errors.for_field(Field::Confirm)} />
                <button id="change-password" class="primary-button wide" type="submit">{ "Save password" }</button>
                if props.required {
                    <button type="button" class="link-button" onclick={sign_out}>{ "Sign out" }</button>
                }
            </form>
        </div>
    }
}
