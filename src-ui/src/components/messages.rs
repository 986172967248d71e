//! Message threads: the order page's Messages card and a tenant's direct thread with the
//! agency. Opening a thread marks it read (the backend does, on listing); what was new
//! shows as a badge on the heading. Internal notes reach only the agency's screens.

use crate::components::form::FormErrors;
use crate::components::status::{ErrorBanner, Loading};
use crate::live::{read, use_changes};
use crate::{format, ipc};
use plumbline_domain::api::{
    Change, ChangeKind, ChangeSubject, CommandError, Field, Message, MessageThread, PostDirectMessage, PostMessage,
};
use plumbline_domain::commands;
use plumbline_domain::message::MAX_MESSAGE_CHARS;
use plumbline_domain::{Role, UserId, WorkOrderId};
use web_sys::{HtmlInputElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

/// Which thread a view shows and posts to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ThreadTarget {
    Order(WorkOrderId),
    /// A tenant's thread with the agency; `None`: the signed-in tenant's own.
    Direct(Option<UserId>),
}

impl ThreadTarget {
    /// A message on this thread, by anyone, from any desktop.
    fn concerns(self, change: &Change) -> bool {
        match (self, &change.subject) {
            (ThreadTarget::Order(id), ChangeSubject::Order { id: changed }) => {
                *changed == id && matches!(change.kind, ChangeKind::Message | ChangeKind::InternalNote)
            }
            (ThreadTarget::Direct(tenant), ChangeSubject::DirectThread { tenant: changed }) => {
                tenant.is_none_or(|tenant| tenant == *changed)
            }
            _ => false,
        }
    }

    async fn load(self) -> Result<MessageThread, CommandError> {
        match self {
            ThreadTarget::Order(id) => ipc::call(commands::ListMessages { id }).await,
            ThreadTarget::Direct(tenant) => ipc::call(commands::DirectMessages { tenant }).await,
        }
    }

    async fn post(self, body: String, internal: bool) -> Result<Message, CommandError> {
        match self {
            ThreadTarget::Order(id) => {
                ipc::call(commands::PostMessage { request: PostMessage { id, body, internal } }).await
            }
            ThreadTarget::Direct(tenant) => {
                ipc::call(commands::PostDirectMessage { request: PostDirectMessage { tenant, body } }).await
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct MessagesCardProps {
    pub id: WorkOrderId,
}

/// The order's thread among its parties.
#[function_component]
pub fn MessagesCard(props: &MessagesCardProps) -> Html {
    html! {
        <div class="card messages" data-testid="messages">
            <ThreadView target={ThreadTarget::Order(props.id)} title="Messages" />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ThreadViewProps {
    pub target: ThreadTarget,
    pub title: AttrValue,
    /// After a message is sent (a list of threads refreshes its order).
    #[prop_or_default]
    pub on_sent: Callback<()>,
}

/// A thread's heading (with the new-messages badge), its messages and the composer.
#[function_component]
pub fn ThreadView(props: &ThreadViewProps) -> Html {
    let thread = use_state(|| None::<Result<MessageThread, CommandError>>);
    let latest = use_mut_ref(|| 0_u64);
    let target = props.target;
    let changes = use_changes(move |change| target.concerns(change));
    {
        let (thread, latest) = (thread.clone(), latest.clone());
        use_effect_with(props.target, move |target| {
            thread.set(None);
            read(target.load(), thread, latest);
        });
    }
    {
        // Read again in place: the composer below keeps what is half written.
        let (thread, latest) = (thread.clone(), latest.clone());
        use_effect_with(changes, move |changes| {
            if *changes > 0 {
                read(target.load(), thread, latest);
            }
        });
    }
    let on_sent = {
        let (thread, on_sent) = (thread.clone(), props.on_sent.clone());
        Callback::from(move |message: Message| {
            if let Some(Ok(current)) = &*thread {
                let mut next = current.clone();
                next.messages.push(message);
                thread.set(Some(Ok(next)));
            }
            on_sent.emit(());
        })
    };
    let unread = match &*thread {
        Some(Ok(opened)) => opened.unread,
        Some(Err(_)) | None => 0,
    };
    html! {
        <>
            <h2 class="thread-head">
                { &props.title }
                if unread > 0 {
                    <span class="unread-badge" data-testid="unread" title="New since you last opened this">
                        { format!("{unread} new") }
                    </span>
                }
            </h2>
            { match &*thread {
                None => html! { <Loading /> },
                Some(Err(err)) => html! { <ErrorBanner error={err.clone()} /> },
                Some(Ok(opened)) => html! {
                    <>
                        { message_list(&opened.messages) }
                        <Composer target={props.target} may_write_internal={opened.may_write_internal} {on_sent} />
                    </>
                },
            } }
        </>
    }
}

fn message_list(messages: &[Message]) -> Html {
    if messages.is_empty() {
        return html! { <p class="secondary">{ "No messages yet." }</p> };
    }
    html! {
        <ol class="thread" data-testid="thread">
            { for messages.iter().map(message_item) }
        </ol>
    }
}

fn message_item(message: &Message) -> Html {
    let class = classes!("message", message.internal.then_some("internal"), message.own.then_some("own"));
    html! {
        <li {class} key={message.id.0} data-testid="message" data-internal={message.internal.to_string()}>
            <div class="message-meta">
                <strong>{ &message.author }</strong>
                <span class="secondary">{ format!(" · {} · {}", role_label(message.author_role), format::local_date_time(message.sent_at)) }</span>
                if message.internal {
                    <span class="internal-label">{ "Internal note · agency only" }</span>
                }
            </div>
            <p class="message-body">{ &message.body }</p>
        </li>
    }
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Staff | Role::Admin => "Agency",
        Role::Landlord => "Landlord",
        Role::Contractor => "Contractor",
        Role::Tenant => "Tenant",
    }
}

#[derive(Properties, PartialEq)]
struct ComposerProps {
    target: ThreadTarget,
    may_write_internal: bool,
    on_sent: Callback<Message>,
}

/// The textarea and Send (Ctrl/Cmd+Enter sends); for the agency on an order, the
/// internal-note box.
#[function_component]
fn Composer(props: &ComposerProps) -> Html {
    let body = use_state(String::new);
    let internal = use_state(|| false);
    let busy = use_state(|| false);
    let errors = use_state(FormErrors::default);
    let send = {
        let (body, internal, busy, errors) = (body.clone(), internal.clone(), busy.clone(), errors.clone());
        let (target, on_sent) = (props.target, props.on_sent.clone());
        Callback::from(move |()| {
            if *busy {
                return;
            }
            let (body, internal, busy, errors, on_sent) =
                (body.clone(), internal.clone(), busy.clone(), errors.clone(), on_sent.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match target.post((*body).clone(), *internal).await {
                    Ok(message) => {
                        body.set(String::new());
                        internal.set(false);
                        errors.set(FormErrors::default());
                        on_sent.emit(message);
                    }
                    Err(err) => errors.set(FormErrors::from(err)),
                }
                busy.set(false);
            });
        })
    };
    let oninput = {
        let body = body.clone();
        Callback::from(move |e: InputEvent| body.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let onkeydown = {
        let send = send.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                send.emit(());
            }
        })
    };
    let on_internal = {
        let internal = internal.clone();
        Callback::from(move |e: Event| internal.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let onclick = send.reform(|_: MouseEvent| ());
    let left = MAX_MESSAGE_CHARS as i64 - body.trim().chars().count() as i64;
    let body_error = errors.for_field(Field::Body);
    html! {
        <div class={classes!("composer", internal.then_some("internal"))}>
            <textarea rows="3" aria-label="Message" placeholder="Write a message… (Ctrl+Enter sends)"
                      value={(*body).clone()} {oninput} {onkeydown} data-field="body"
                      aria-invalid={body_error.is_some().then_some("true")}></textarea>
            if let Some(message) = body_error {
                <p class="field-error" role="alert">{ message }</p>
            }
            if let Some(err) = &errors.general {
                <ErrorBanner error={err.clone()} />
            }
            <div class="composer-bar">
                if props.may_write_internal {
                    <label class="check">
                        <input type="checkbox" checked={*internal} onchange={on_internal} data-field="internal" />
                        { "Internal note (agency only)" }
                    </label>
                }
                <span class={classes!("secondary", "count", (left < 0).then_some("over"))}>{ left }</span>
                <button type="button" class="primary-button" disabled={*busy} {onclick} data-testid="send-message">
                    { if *busy { "Sending…" } else { "Send" } }
                </button>
            </div>
        </div>
    }
}
