//! The admin audit log, under the users list: who did what to whom, and when, newest
//! first, with earlier entries a click away.

use crate::components::status::{empty, error_banner, loading};
use crate::format;
use crate::ipc;
use plumbline_domain::api::{AdminActionEntry, AdminActionPage, CommandError, ListAdminActions};
use plumbline_domain::commands;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AuditLogProps {
    /// Moves after each action on the users screen, so its entry shows at once.
    pub revision: u32,
}

#[function_component]
pub fn AuditLog(props: &AuditLogProps) -> Html {
    let entries = use_state(|| None::<Result<Vec<AdminActionEntry>, CommandError>>);
    let more = use_state(|| false);
    {
        let (entries, more) = (entries.clone(), more.clone());
        use_effect_with(props.revision, move |_| {
            ipc::call_then(commands::ListAdminActions { request: ListAdminActions::default() }, move |page| {
                show(page, Vec::new(), &entries, &more)
            });
        });
    }
    let earlier = {
        let (entries, more) = (entries.clone(), more.clone());
        Callback::from(move |_: MouseEvent| {
            let shown = match &*entries {
                Some(Ok(shown)) => shown.clone(),
                None | Some(Err(_)) => return,
            };
            let before = shown.last().map(|entry| entry.id);
            let (entries, more) = (entries.clone(), more.clone());
            ipc::call_then(commands::ListAdminActions { request: ListAdminActions { before } }, move |page| {
                show(page, shown, &entries, &more)
            });
        })
    };
    html! {
        <section class="card audit-log" aria-labelledby="audit-log-title">
            <h2 id="audit-log-title">{ "Audit log" }</h2>
            <p class="muted">{ "Every invitation, password reset, unlock, deactivation and reactivation, by whom and when." }</p>
            { match &*entries {
                None => loading(),
                Some(Err(error)) => error_banner(error),
                Some(Ok(shown)) if shown.is_empty() => empty("Nothing yet", "Actions on users' accounts are recorded here."),
                Some(Ok(shown)) => html! {
                    <table class="audit" data-testid="audit-log">
                        <thead><tr><th>{ "When" }</th><th>{ "What happened" }</th></tr></thead>
                        <tbody>{ for shown.iter().map(entry_row) }</tbody>
                    </table>
                },
            } }
            if *more {
                <button type="button" class="action" id="audit-earlier" onclick={earlier}>{ "Show earlier entries" }</button>
            }
        </section>
    }
}

/// Shows `page` after the entries already `shown` (none for a fresh first page).
fn show(
    page: Result<AdminActionPage, CommandError>,
    mut shown: Vec<AdminActionEntry>,
    entries: &UseStateHandle<Option<Result<Vec<AdminActionEntry>, CommandError>>>,
    more: &UseStateHandle<bool>,
) {
    match page {
        Ok(page) => {
            shown.extend(page.entries);
            more.set(page.more);
            entries.set(Some(Ok(shown)));
        }
        Err(error) => entries.set(Some(Err(error))),
    }
}

fn entry_row(entry: &AdminActionEntry) -> Html {
    let detail = (!entry.detail.is_empty()).then(|| format!(" {}", entry.detail));
    html! {
        <tr data-action={entry.action.as_str()}>
            <td class="when">{ format::local_date_time(entry.at) }</td>
            <td>
                <strong>{ &entry.admin }</strong>{ format!(" {} ", entry.action.verb()) }
                <strong>{ &entry.user }</strong>
                <span class="muted">{ format!(" ({})", entry.user_email) }</span>
                { detail.unwrap_or_default() }
            </td>
        </tr>
    }
}
