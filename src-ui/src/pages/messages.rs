//! The Messages screen: a tenant's own thread with the agency ("Message the agency"), or
//! for the agency every tenant's thread, latest first with unread counts, and the one
//! chosen with its reply box.

use crate::components::messages::{ThreadTarget, ThreadView};
use crate::components::status::{empty, error_banner, loading};
use crate::format;
use crate::live::{Load, use_load};
use plumbline_domain::UserId;
use plumbline_domain::api::{ChangeSubject, DirectThread};
use plumbline_domain::commands;
use yew::prelude::*;

/// `agency` (staff or admin): the list of tenants' threads; otherwise the tenant's own
/// thread.
pub fn messages_page(agency: bool) -> Html {
    if agency {
        return html! { <TenantThreads /> };
    }
    html! {
        <section class="page messages-page">
            <h1>{ "Message the agency" }</h1>
            <p class="subtitle">{ "Anything not about a repair request: the agency answers here." }</p>
            <div class="card">
                <ThreadView target={ThreadTarget::Direct(None)} title="Your messages" />
            </div>
        </section>
    }
}

#[function_component]
fn TenantThreads() -> Html {
    // Read again as any tenant writes or anyone at the agency answers, from any desktop.
    let Load { loaded: threads, reload } = use_load(
        (),
        |()| commands::DirectThreads {},
        |change| matches!(change.subject, ChangeSubject::DirectThread { .. }),
    );
    let chosen = use_state(|| None::<UserId>);
    let on_choose = {
        let (threads, chosen) = (threads.clone(), chosen.clone());
        Callback::from(move |tenant: UserId| {
            // Opening the thread marks it read; the list shows that without asking again.
            if let Some(Ok(list)) = &*threads {
                let read =
                    list.iter().cloned().map(|t| if t.tenant == tenant { DirectThread { unread: 0, ..t } } else { t });
                threads.set(Some(Ok(read.collect())));
            }
            chosen.set(Some(tenant));
        })
    };
    let on_sent = reload;
    let title = match (&*threads, *chosen) {
        (Some(Ok(list)), Some(tenant)) => {
            list.iter().find(|t| t.tenant == tenant).map_or("Messages".to_owned(), |t| t.tenant_name.clone())
        }
        _ => "Messages".to_owned(),
    };
    html! {
        <section class="page messages-page">
            <h1>{ "Tenant messages" }</h1>
            <div class="messages-layout">
                <div class="card thread-list" data-testid="direct-threads">
                    { match &*threads {
                        None => loading(),
                        Some(Err(err)) => error_banner(err),
                        Some(Ok(list)) if list.is_empty() => empty("No messages from tenants", "A tenant's message to the agency appears here."),
                        Some(Ok(list)) => html! {
                            <ul>{ for list.iter().map(|t| thread_row(t, *chosen == Some(t.tenant), &on_choose)) }</ul>
                        },
                    } }
                </div>
                <div class="card">
                    if let Some(tenant) = *chosen {
                        <ThreadView target={ThreadTarget::Direct(Some(tenant))} title={title} {on_sent} />
                    } else {
                        <p class="secondary">{ "Choose a tenant's thread to read and reply." }</p>
                    }
                </div>
            </div>
        </section>
    }
}

fn thread_row(thread: &DirectThread, selected: bool, on_choose: &Callback<UserId>) -> Html {
    let tenant = thread.tenant;
    let onclick = on_choose.reform(move |_: MouseEvent| tenant);
    html! {
        <li key={tenant.0}>
            <button type="button" class={classes!("thread-row", selected.then_some("selected"))} {onclick}
                    data-testid="direct-thread" data-tenant={tenant.0.to_string()}>
                <span class="thread-row-head">
                    <strong>{ &thread.tenant_name }</strong>
                    if thread.unread > 0 {
                        <span class="unread-badge">{ thread.unread }</span>
                    }
                </span>
                <span class="secondary">{ format::local_date_time(thread.last_sent_at) }</span>
                <span class="thread-row-body">{ &thread.last_body }</span>
            </button>
        </li>
    }
}
