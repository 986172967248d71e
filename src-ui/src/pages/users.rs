//! The admin's users screen: find anyone, invite a user of any role, reset a password,
//! unlock, deactivate or reactivate an account, and read the audit log of it all. A
//! temporary password is shown once, here, to pass on.

use crate::components::form::{FormErrors, TextField, setter};
use crate::components::status::{empty, error_banner, loading};
use crate::keyboard::Modifier;
use crate::pages::audit_log::AuditLog;
use crate::{clipboard, ipc};
use plumbline_domain::Role;
use plumbline_domain::api::{
    AccountStatus, CommandError, Field, ListUsers, NewUser, TemporaryPassword, UserList, UserSummary,
};
use plumbline_domain::commands;
use std::future::Future;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[function_component]
pub fn UsersPage() -> Html {
    let search = use_state(String::new);
    let list = use_state(|| None::<Result<UserList, CommandError>>);
    // Bumped after every change, so the list is read again.
    let revision = use_state(|| 0_u32);
    let inviting = use_state(|| false);
    let issued = use_state(|| None::<TemporaryPassword>);
    let failure = use_state(|| None::<CommandError>);
    {
        let list = list.clone();
        use_effect_with(((*search).clone(), *revision), move |(search, _)| {
            let request = ListUsers { search: search.clone() };
            ipc::call_then(commands::ListUsers { request }, move |answer| list.set(Some(answer)));
        });
    }
    let changed = {
        let (revision, issued, inviting) = (revision.clone(), issued.clone(), inviting.clone());
        Callback::from(move |password: Option<TemporaryPassword>| {
            if password.is_some() {
                issued.set(password);
                inviting.set(false);
            }
            revision.set(*revision + 1);
        })
    };
    let on_search = {
        let search = search.clone();
        Callback::from(move |value: String| search.set(value))
    };
    let toggle_invite = {
        let inviting = inviting.clone();
        Callback::from(move |_| inviting.set(!*inviting))
    };
    html! {
        <section class="page">
            <header class="page-head">
                <div>
                    <h1>{ "Users" }</h1>
                    <p class="muted">{ "Everyone who can sign in to this agency's Plumbline." }</p>
                </div>
                <button id="invite-user" class="primary-button" onclick={toggle_invite}>
                    { if *inviting { "Close" } else { "Invite user" } }
                </button>
            </header>
            if let Some(password) = &*issued {
                { issued_card(password) }
            }
            if let Some(error) = &*failure {
                { error_banner(error) }
            }
            if *inviting {
                <InviteForm on_created={changed.reform(Some)} />
            }
            <div class="card users-card">
                <TextField id="user-search" label="Find a user" value={(*search).clone()} on_input={on_search}
                           hint="Any part of a name or e-mail address" />
                { match &*list {
                    None => loading(),
                    Some(Err(error)) => error_banner(error),
                    Some(Ok(list)) if list.users.is_empty() => empty("No one matches", "Check the spelling, or search for part of the e-mail address."),
                    Some(Ok(list)) => users_table(list, &changed, &failure),
                } }
            </div>
            <AuditLog revision={*revision} />
        </section>
    }
}

fn issued_card(password: &TemporaryPassword) -> Html {
    html! {
        <div class="card issued" role="status" id="temporary-password">
            <h2>{ format!("Temporary password for {}", password.user.name) }</h2>
            <p class="secret-row">
                <code class="secret" data-testid="temporary-password">{ &password.password }</code>
                <CopyButton text={password.password.clone()} />
            </p>
            <p class="muted">{ format!(
                "Give it to {} ({}) in person or by phone. They sign in with it once and then choose their own. It is not shown again.",
                password.user.name, password.user.email
            ) }</p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CopyButtonProps {
    text: String,
}

/// "Copy", then "Copied" (or, where the webview will not, how to copy by hand).
#[function_component]
fn CopyButton(props: &CopyButtonProps) -> Html {
    let copied = use_state(|| None::<bool>);
    let onclick = {
        let (copied, text) = (copied.clone(), props.text.clone());
        Callback::from(move |_: MouseEvent| {
            let (copied, text) = (copied.clone(), text.clone());
            wasm_bindgen_futures::spawn_local(async move { copied.set(Some(clipboard::copy(&text).await)) });
        })
    };
    let label = match *copied {
        None => "Copy".to_owned(),
        Some(true) => "Copied ✓".to_owned(),
        Some(false) => format!("Select it and press {}", Modifier::here().in_text("C")),
    };
    html! { <button type="button" class="action" data-testid="copy-password" {onclick}>{ label }</button> }
}

fn users_table(
    list: &UserList,
    changed: &Callback<Option<TemporaryPassword>>,
    failure: &UseStateHandle<Option<CommandError>>,
) -> Html {
    html! {
        <>
            <table class="users">
                <thead><tr><th>{ "Name" }</th><th>{ "E-mail" }</th><th>{ "Role" }</th><th>{ "Status" }</th><th></th></tr></thead>
                <tbody>
                    { for list.users.iter().map(|user| user_row(user, changed, failure)) }
                </tbody>
            </table>
            if list.total > list.users.len() as u64 {
                <p class="muted table-foot">{ format!("Showing {} of {} users: search to narrow.", list.users.len(), list.total) }</p>
            }
        </>
    }
}

/// A row button's click: runs `call`, then reads the list again (showing a temporary
/// password if one came back), or shows the refusal.
fn on_click<Call, Answer>(
    changed: &Callback<Option<TemporaryPassword>>,
    failure: &UseStateHandle<Option<CommandError>>,
    call: Call,
) -> Callback<MouseEvent>
where
    Call: Fn() -> Answer + 'static,
    Answer: Future<Output = Result<Option<TemporaryPassword>, CommandError>> + 'static,
{
    let (changed, failure) = (changed.clone(), failure.clone());
    Callback::from(move |_| {
        let (changed, failure, answer) = (changed.clone(), failure.clone(), call());
        wasm_bindgen_futures::spawn_local(async move {
            match answer.await {
                Ok(password) => {
                    failure.set(None);
                    changed.emit(password);
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    })
}

fn user_row(
    user: &UserSummary,
    changed: &Callback<Option<TemporaryPassword>>,
    failure: &UseStateHandle<Option<CommandError>>,
) -> Html {
    html! {
        <UserRow user={user.clone()} changed={changed.clone()} failure={failure.clone()} />
    }
}

#[derive(Properties, PartialEq)]
struct UserRowProps {
    user: UserSummary,
    changed: Callback<Option<TemporaryPassword>>,
    failure: UseStateHandle<Option<CommandError>>,
}

#[function_component]
fn UserRow(props: &UserRowProps) -> Html {
    let UserRowProps { user, changed, failure } = props;
    let id = user.id;
    // Deactivating ends the user's sessions at once: it takes a second click to confirm.
    let confirming = use_state(|| false);
    let reset =
        on_click(
            changed,
            failure,
            move || async move { ipc::call(commands::ResetPassword { user: id }).await.map(Some) },
        );
    let unlock =
        on_click(
            changed,
            failure,
            move || async move { ipc::call(commands::UnlockUser { user: id }).await.map(|_| None) },
        );
    let set_active = |active: bool| {
        on_click(changed, failure, move || async move {
            ipc::call(commands::SetUserActive { user: id, active }).await.map(|_| None)
        })
    };
    let ask = {
        let confirming = confirming.clone();
        Callback::from(move |_| confirming.set(!*confirming))
    };
    let deactivated = user.status == AccountStatus::Deactivated;
    let (status, class) = match user.status {
        AccountStatus::Active => ("Active".to_owned(), "ok"),
        AccountStatus::Invited => ("Invited".to_owned(), "info"),
        AccountStatus::NoPassword => ("No password yet".to_owned(), "off"),
        AccountStatus::Locked { minutes } => (format!("Locked · {minutes} min"), "bad"),
        AccountStatus::Deactivated => ("Deactivated".to_owned(), "off"),
    };
    html! {
        <tr data-user={user.email.clone()} class={classes!(deactivated.then_some("deactivated"))}>
            <td class="primary">{ &user.name }</td>
            <td>{ &user.email }</td>
            <td class="role">{ user.role.label() }</td>
            <td><span class={classes!("pill", class)}>{ status }</span></td>
            <td class="row-actions">
                if *confirming && !deactivated {
                    <span class="confirm-note">{ "Signs them out everywhere." }</span>
                    <button class="small-button danger" data-testid="confirm-deactivate" onclick={set_active(false)}>
                        { "Deactivate" }
                    </button>
                    <button class="small-button" onclick={ask}>{ "Keep" }</button>
                } else if deactivated {
                    <button class="small-button" data-testid="reactivate" onclick={set_active(true)}>{ "Reactivate" }</button>
                } else {
                    if matches!(user.status, AccountStatus::Locked { .. }) {
                        <button class="small-button" onclick={unlock}>{ "Unlock" }</button>
                    }
                    <button class="small-button" data-testid="reset-password" onclick={reset}>
                        { if user.status == AccountStatus::NoPassword { "Send a password" } else { "Reset password" } }
                    </button>
                    <button class="small-button" data-testid="deactivate" onclick={ask}>{ "Deactivate…" }</button>
                }
            </td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct InviteProps {
    on_created: Callback<TemporaryPassword>,
}

#[function_component]
fn InviteForm(props: &InviteProps) -> Html {
    let draft = use_state(|| NewUser {
        name: String::new(),
        email: String::new(),
        phone: String::new(),
        role: Role::Staff,
        company: String::new(),
    });
    let errors = use_state(FormErrors::default);
    let onsubmit = {
        let (draft, errors, on_created) = (draft.clone(), errors.clone(), props.on_created.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (user, errors, on_created) = ((*draft).clone(), errors.clone(), on_created.clone());
            ipc::call_then(commands::CreateUser { user }, move |answer| match answer {
                Ok(password) => on_created.emit(password),
                Err(error) => errors.set(FormErrors::from(error)),
            });
        })
    };
    let field = |apply| setter(&draft, apply);
    let on_role = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(role) = Role::parse(&value) {
                draft.set(NewUser { role, ..(*draft).clone() });
            }
        })
    };
    html! {
        <form class="card invite" {onsubmit} novalidate=true>
            <h2>{ "Invite a user" }</h2>
            if let Some(error) = &errors.general {
                { error_banner(error) }
            }
            <div class="field-row">
                <TextField id="invite-name" label="Name" value={draft.name.clone()} on_input={field(|d, v| d.name = v)}
                           autofocus=true error={errors.for_field(Field::Name)} />
                <TextField id="invite-email" label="E-mail" kind="email" value={draft.email.clone()}
                           on_input={field(|d, v| d.email = v)} error={errors.for_field(Field::Email)} />
            </div>
            <div class="field-row">
                <label class="field">{ "Role" }
                    <select id="invite-role" onchange={on_role}>
                        { for Role::ALL.into_iter().map(|role| html! {
                            <option value={role.as_str()} selected={draft.role == role}>{ role.label() }</option>
                        }) }
                    </select>
                </label>
                <TextField id="invite-phone" label="Phone (optional)" kind="tel" value={draft.phone.clone()}
                           on_input={field(|d, v| d.phone = v)} error={errors.for_field(Field::Phone)} />
            </div>
            if draft.role == Role::Contractor {
                <TextField id="invite-company" label="Company" value={draft.company.clone()}
                           on_input={field(|d, v| d.company = v)} error={errors.for_field(Field::Company)} />
            }
            <button id="create-user" class="primary-button" type="submit">{ "Create account" }</button>
        </form>
    }
}
