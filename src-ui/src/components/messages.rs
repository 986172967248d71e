//! Message threads: the order page's Messages card and a tenant's direct thread with the
//! agency. Opening a thread marks it read (the backend does, on listing); what was new
//! shows as a badge on the heading. Internal notes reach only the agency's screens.

use crate::components::form::FormErrors;
use crate::components::status::{error_banner, loading};
use crate::keyboard::{self, Modifier};
use crate::live::{read, use_changes};
use crate::{format, ipc};
use plumbline_domain::api::{
    Change, ChangeKind, ChangeSubject, CommandError, Field, Message, MessageThread, PostDirectMessage, PostMessage,
};
use plumbline_domain::commands;
use plumbline_domain::message::{MAX_MESSAGE_CHARS, RETRACT_WINDOW_MINUTES};
use plumbline_domain::{MessageId, Role, UserId, WorkOrderId};
use std::cell::RefCell;
use std::collections::HashMap;
use web_sys::{HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

thread_local! {
    /// The agency's send mode per order thread (`true`: internal note), kept while the app
    /// runs: a mode chosen once stays chosen on that thread, through sends and visits to
    /// other screens, instead of falling back after each message.
    static INTERNAL_MODE: RefCell<HashMap<WorkOrderId, bool>> = RefCell::new(HashMap::new());
}

/// Whether the composer on `target` writes internal notes (only an order's thread can).
fn internal_mode(target: ThreadTarget) -> bool {
    match target {
        ThreadTarget::Order(id) => INTERNAL_MODE.with(|modes| modes.borrow().get(&id).copied().unwrap_or(false)),
        ThreadTarget::Direct(_) => false,
    }
}

fn set_internal_mode(target: ThreadTarget, internal: bool) {
    if let ThreadTarget::Order(id) = target {
        INTERNAL_MODE.with(|modes| modes.borrow_mut().insert(id, internal));
    }
}

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

    async fn page(self, before: Option<MessageId>) -> Result<MessageThread, CommandError> {
        match self {
            ThreadTarget::Order(id) => ipc::call(commands::ListMessages { id, before }).await,
            ThreadTarget::Direct(tenant) => ipc::call(commands::DirectMessages { tenant, before }).await,
        }
    }

    /// The newest `pages` pages as one thread: each read again whole (not merged with
    /// what was shown), so a message that moved off the newest page meanwhile is never
    /// skipped between two pages.
    async fn load(self, pages: usize) -> Result<MessageThread, CommandError> {
        let mut thread = self.page(None).await?;
        for _ in 1..pages {
            let Some(before) = thread.earlier else { break };
            let earlier = self.page(Some(before)).await?;
            thread.messages.splice(0..0, earlier.messages);
            thread.earlier = earlier.earlier;
        }
        Ok(thread)
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

/// The order's thread among its parties.
pub fn messages_card(id: WorkOrderId) -> Html {
    html! {
        <div class="card messages" data-testid="messages">
            <ThreadView target={ThreadTarget::Order(id)} title="Messages" />
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
    // How many pages are shown: the newest, and one more per "Show earlier messages".
    let pages = use_state(|| 1_usize);
    let changes = use_changes(move |change| target.concerns(change));
    {
        let (thread, latest, pages) = (thread.clone(), latest.clone(), pages.clone());
        use_effect_with(props.target, move |target| {
            thread.set(None);
            pages.set(1);
            read(target.load(1), thread, latest);
        });
    }
    {
        // Read again in place: the composer below keeps what is half written.
        let (thread, latest) = (thread.clone(), latest.clone());
        use_effect_with((changes, *pages), move |(changes, pages)| {
            if *changes > 0 || *pages > 1 {
                read(target.load(*pages), thread, latest);
            }
        });
    }
    let show_earlier = {
        let pages = pages.clone();
        Callback::from(move |_: MouseEvent| pages.set(*pages + 1))
    };
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
    let retract_error = use_state(|| None::<CommandError>);
    let on_retract = {
        let (thread, retract_error) = (thread.clone(), retract_error.clone());
        Callback::from(move |id: MessageId| {
            let (thread, retract_error) = (thread.clone(), retract_error.clone());
            ipc::call_then(commands::RetractMessage { id }, move |answer| match answer {
                Ok(retracted) => {
                    if let Some(Ok(current)) = &*thread {
                        let mut next = current.clone();
                        next.messages.iter_mut().filter(|m| m.id == retracted.id).for_each(|m| *m = retracted.clone());
                        thread.set(Some(Ok(next)));
                    }
                    retract_error.set(None);
                }
                Err(err) => retract_error.set(Some(err)),
            });
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
                None => loading(),
                Some(Err(err)) => error_banner(err),
                Some(Ok(opened)) => html! {
                    <>
                        if let Some(err) = &*retract_error {
                            { error_banner(err) }
                        }
                        if opened.earlier.is_some() {
                            <button type="button" class="link-button show-earlier" data-testid="earlier-messages"
                                    onclick={show_earlier}>
                                { "Show earlier messages" }
                            </button>
                        }
                        { message_list(&opened.messages, &on_retract) }
                        <Composer target={props.target} may_write_internal={opened.may_write_internal} {on_sent} />
                    </>
                },
            } }
        </>
    }
}

fn message_list(messages: &[Message], on_retract: &Callback<MessageId>) -> Html {
    if messages.is_empty() {
        return html! { <p class="secondary">{ "No messages yet." }</p> };
    }
    html! {
        <ol class="thread" data-testid="thread">
            { for messages.iter().map(|message| message_item(message, on_retract)) }
        </ol>
    }
}

fn message_item(message: &Message, on_retract: &Callback<MessageId>) -> Html {
    let retracted = message.retracted_at.is_some();
    let class = classes!(
        "message",
        message.internal.then_some("internal"),
        message.own.then_some("own"),
        retracted.then_some("retracted")
    );
    let id = message.id;
    html! {
        <li {class} key={message.id.0} data-testid="message" data-internal={message.internal.to_string()}
            data-retracted={retracted.to_string()}>
            <div class="message-meta">
                <strong>{ &message.author }</strong>
                <span class="secondary">{ format!(" · {} · {}", role_label(message.author_role), format::local_date_time(message.sent_at)) }</span>
                if message.internal {
                    <span class="internal-label">{ "Internal note · agency only" }</span>
                }
                if message.retractable_until.is_some() {
                    <button type="button" class="link-button retract" data-testid="retract"
                            title={format!("You can take this back for {RETRACT_WINDOW_MINUTES} minutes after sending")}
                            onclick={on_retract.reform(move |_: MouseEvent| id)}>
                        { "Retract" }
                    </button>
                }
            </div>
            { message_body(message) }
        </li>
    }
}

/// The text, or for a retracted message what is left of it: others read only that it
/// was retracted (the backend sends them no body); the agency keeps the original.
fn message_body(message: &Message) -> Html {
    let Some(at) = message.retracted_at else {
        return html! { <p class="message-body">{ &message.body }</p> };
    };
    let said = format!("Message retracted by {}", message.author);
    if message.body.is_empty() {
        return html! { <p class="message-body retracted-note">{ said }</p> };
    }
    html! {
        <>
            <p class="message-body retracted-note">
                { format!("{said} at {} · the original is kept for the agency:", format::local_date_time(at)) }
            </p>
            <p class="message-body retracted-original">{ &message.body }</p>
        </>
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

/// The textarea and Send (Ctrl/Cmd+Enter sends). On an order, the agency first sees
/// which of two modes it writes in — a message to everyone on the order, or an internal
/// note — each labelled, the note mode styled apart, and the mode kept per thread.
#[function_component]
fn Composer(props: &ComposerProps) -> Html {
    let body = use_state(String::new);
    let busy = use_state(|| false);
    let errors = use_state(FormErrors::default);
    let redraw = use_force_update();
    let target = props.target;
    let internal = props.may_write_internal && internal_mode(target);
    let send = {
        let (body, busy, errors) = (body.clone(), busy.clone(), errors.clone());
        let on_sent = props.on_sent.clone();
        Callback::from(move |()| {
            if *busy {
                return;
            }
            let (body, busy, errors, on_sent) = (body.clone(), busy.clone(), errors.clone(), on_sent.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match target.post((*body).clone(), internal).await {
                    Ok(message) => {
                        // The mode stays as chosen: only the text is cleared.
                        body.set(String::new());
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
            if keyboard::is_confirm_key(&e) {
                e.prevent_default();
                send.emit(());
            }
        })
    };
    let choose = |mode: bool| {
        let redraw = redraw.clone();
        Callback::from(move |_: MouseEvent| {
            set_internal_mode(target, mode);
            redraw.force_update();
        })
    };
    let onclick = send.reform(|_: MouseEvent| ());
    let left = MAX_MESSAGE_CHARS as i64 - body.trim().chars().count() as i64;
    let body_error = errors.for_field(Field::Body);
    let confirm = Modifier::here().in_text("Enter");
    let (placeholder, send_label) = if internal {
        (format!("Internal note — only the agency will see this… ({confirm} saves)"), "Save internal note")
    } else if props.may_write_internal {
        (format!("Message everyone on this order… ({confirm} sends)"), "Send to everyone")
    } else {
        (format!("Write a message… ({confirm} sends)"), "Send")
    };
    html! {
        <div class={classes!("composer", internal.then_some("internal"))} data-mode={if internal { "internal" } else { "everyone" }}>
            if props.may_write_internal {
                <div class="send-mode" role="radiogroup" aria-label="Who reads what you write">
                    <button type="button" role="radio" aria-checked={(!internal).to_string()}
                            class={classes!("mode", (!internal).then_some("selected"))}
                            onclick={choose(false)} data-testid="mode-everyone">
                        { "Message everyone on this order" }
                    </button>
                    <button type="button" role="radio" aria-checked={internal.to_string()}
                            class={classes!("mode", "internal", internal.then_some("selected"))}
                            onclick={choose(true)} data-testid="mode-internal">
                        { "Internal note — agency only" }
                    </button>
                </div>
            }
            <textarea rows="3" aria-label={send_label} placeholder={placeholder}
                      value={(*body).clone()} {oninput} {onkeydown} data-field="body"
                      aria-invalid={body_error.is_some().then_some("true")}></textarea>
            if let Some(message) = body_error {
                <p class="field-error" role="alert">{ message }</p>
            }
            if let Some(err) = &errors.general {
                { error_banner(err) }
            }
            <div class="composer-bar">
                if internal {
                    <span class="internal-label">{ "Only staff and admins will see this" }</span>
                }
                <span class={classes!("secondary", "count", (left < 0).then_some("over"))}>{ left }</span>
                <button type="button" class="primary-button" disabled={*busy} {onclick} data-testid="send-message">
                    { if *busy { "Sending…" } else { send_label } }
                </button>
            </div>
        </div>
    }
}
