//! Quotes on screen: the order page's comparison (staff ask contractors, then staff or
//! the landlord approve one, and staff assign its contractor in one step), and the
//! contractor's requests on their dashboard, each priced line by line or declined.

use crate::components::status::{error_banner, loading};
use crate::live::use_load;
use crate::{format, ipc};
use plumbline_domain::api::{
    ActOnWorkOrder, AskForQuotes, CommandError, ContractorChoice, Field, OrderQuotes, Quote, QuoteRequest,
    QuoteSubmission, Step, WorkOrderDetail,
};
use plumbline_domain::quote::{QuoteLine, QuoteStatus, total};
use plumbline_domain::role::Party;
use plumbline_domain::{Action, ChangeKind, ChangeSubject, MoneyMinor, Priority, State, commands};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// A notification for the viewer (a contractor answered, a quote was decided) or a step
/// on this order may change its quotes.
fn concerns_quotes(order: plumbline_domain::WorkOrderId) -> impl Fn(&plumbline_domain::Change) -> bool {
    move |change| {
        change.kind == ChangeKind::Notification || matches!(change.subject, ChangeSubject::Order { id } if id == order)
    }
}

fn status_pill(status: QuoteStatus) -> Html {
    let class = match status {
        QuoteStatus::Approved => "ok",
        QuoteStatus::Proposed => "warn",
        QuoteStatus::Submitted | QuoteStatus::Requested => "info",
        QuoteStatus::NotChosen | QuoteStatus::Declined => "off",
    };
    html! { <span class={classes!("pill", class)} data-testid="quote-status">{ status.label() }</span> }
}

fn lines_table(quote: &Quote) -> Html {
    html! {
        <table class="quote-lines">
            <tbody>
                { for quote.lines.iter().map(|line| html! {
                    <tr><td>{ &line.description }</td><td class="amount">{ format::money(line.amount_minor) }</td></tr>
                }) }
            </tbody>
            <tfoot>
                <tr><th>{ "Total" }</th><th class="amount" data-testid="quote-total">{ format::money(quote.total_minor) }</th></tr>
            </tfoot>
        </table>
    }
}

#[derive(Properties, PartialEq)]
pub struct QuotesCardProps {
    pub order: WorkOrderDetail,
    pub on_changed: Callback<WorkOrderDetail>,
}

/// The order's quotes side by side, for staff and the order's landlord.
#[function_component]
pub fn QuotesCard(props: &QuotesCardProps) -> Html {
    let id = props.order.row.id;
    let load = use_load(id, |id| commands::OrderQuotes { id: *id }, concerns_quotes(id));
    let asking = use_state(|| false);
    let error = use_state(|| None::<CommandError>);
    let Some(Ok(quotes)) = &*load.loaded else {
        return match &*load.loaded {
            Some(Err(error)) => html! { <div class="card">{ error_banner(error) }</div> },
            _ => Html::default(),
        };
    };
    let staff = props.order.viewer == Party::Agency;
    // No time to compare prices in an emergency: the card waits until someone asks.
    let emergency = props.order.row.priority == Priority::Emergency;
    if quotes.quotes.is_empty() && (!quotes.may_ask || emergency) {
        return Html::default();
    }
    let on_asked = {
        let (asking, loaded) = (asking.clone(), load.loaded.clone());
        Callback::from(move |answer: OrderQuotes| {
            asking.set(false);
            loaded.set(Some(Ok(answer)));
        })
    };
    let toggle = {
        let asking = asking.clone();
        Callback::from(move |_: MouseEvent| asking.set(!*asking))
    };
    let lowest = quotes.quotes.iter().filter(|q| q.status.may_be_approved()).map(|q| q.total_minor).min();
    html! {
        <div class="card quotes" id="quotes">
            <div class="card-head">
                <h2>{ "Quotes" }</h2>
                if quotes.may_ask {
                    <button class="small-button" id="ask-for-quotes" onclick={toggle}>{ "Ask for quotes" }</button>
                }
            </div>
            if *asking { <AskForm order={id} asked={quotes.quotes.clone()} {on_asked} /> }
            if quotes.quotes.is_empty() {
                <p class="muted">{ "For a larger job, ask two or three contractors to price it, compare their quotes here, and approve one before it is assigned." }</p>
            } else {
                <p class="muted small">{ limit_line(quotes, staff) }</p>
                <div class="quote-compare">
                    { for quotes.quotes.iter().map(|quote| quote_column(quote, quotes, &props.order, lowest, &load.loaded, &error, &props.on_changed)) }
                </div>
            }
            if let Some(error) = &*error { { error_banner(error) } }
        </div>
    }
}

fn limit_line(quotes: &OrderQuotes, staff: bool) -> String {
    let limit = format::money(quotes.approval_above);
    if staff {
        format!(
            "Staff approve a quote up to the landlord's {limit} limit; above it, send it to the landlord to decide."
        )
    } else {
        format!("Quotes above {limit} are yours to approve. Approve the one you want the agency to go ahead with.")
    }
}

fn quote_column(
    quote: &Quote,
    quotes: &OrderQuotes,
    order: &WorkOrderDetail,
    lowest: Option<MoneyMinor>,
    loaded: &UseStateHandle<Option<Result<OrderQuotes, CommandError>>>,
    error: &UseStateHandle<Option<CommandError>>,
    on_changed: &Callback<WorkOrderDetail>,
) -> Html {
    let priced = quote.status.may_be_approved() || quote.status == QuoteStatus::Approved;
    let is_lowest = priced && quotes.quotes.len() > 1 && Some(quote.total_minor) == lowest;
    html! {
        <div class={classes!("quote-column", (quote.status == QuoteStatus::Approved).then_some("approved"))}
             data-quote={quote.company.clone()}>
            <div class="quote-head">
                <h3>{ &quote.company }</h3>
                { status_pill(quote.status) }
            </div>
            if priced {
                { lines_table(quote) }
                if is_lowest { <p class="small"><span class="pill ok">{ "Lowest" }</span></p> }
                if quote.needs_landlord { <p class="muted small">{ "Above the landlord's limit" }</p> }
            } else if quote.status == QuoteStatus::Requested {
                <p class="muted small">{ format!("Asked {}; no price yet", format::local_date(quote.requested_at)) }</p>
            }
            if !quote.note.is_empty() {
                <p class="quote-note">{ &quote.note }</p>
            }
            { approve_button(quote, quotes, order.viewer, loaded, error) }
            { assign_button(quote, order, error, on_changed) }
        </div>
    }
}

fn approve_button(
    quote: &Quote,
    quotes: &OrderQuotes,
    viewer: Party,
    loaded: &UseStateHandle<Option<Result<OrderQuotes, CommandError>>>,
    error: &UseStateHandle<Option<CommandError>>,
) -> Html {
    if !quotes.may_approve || !quote.status.may_be_approved() {
        return Html::default();
    }
    let label = match (viewer, quote.needs_landlord) {
        (Party::Agency, true) => "Send to landlord",
        (Party::Agency, false) => "Approve",
        _ => "Approve this quote",
    };
    let onclick = {
        let (id, loaded, error) = (quote.id, loaded.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (loaded, error) = (loaded.clone(), error.clone());
            ipc::call_then(commands::ApproveQuote { id }, move |answer| match answer {
                Ok(answer) => {
                    error.set(None);
                    loaded.set(Some(Ok(answer)));
                }
                Err(refusal) => error.set(Some(refusal)),
            });
        })
    };
    html! { <button class="primary-button approve-quote" {onclick}>{ label }</button> }
}

/// The approved quote's contractor, assigned in one step.
fn assign_button(
    quote: &Quote,
    order: &WorkOrderDetail,
    error: &UseStateHandle<Option<CommandError>>,
    on_changed: &Callback<WorkOrderDetail>,
) -> Html {
    let ready = quote.status == QuoteStatus::Approved
        && order.row.state == State::New
        && order.allowed_actions.contains(&Action::Assign);
    if !ready {
        return Html::default();
    }
    let onclick = {
        let (error, on_changed) = (error.clone(), on_changed.clone());
        let request = ActOnWorkOrder {
            id: order.row.id,
            version: order.version,
            step: Step::Assign { contractor: quote.contractor },
        };
        Callback::from(move |_: MouseEvent| {
            let (error, on_changed, request) = (error.clone(), on_changed.clone(), request.clone());
            ipc::call_then(commands::ActOnWorkOrder { request }, move |answer| match answer {
                Ok(updated) => on_changed.emit(updated),
                Err(refusal) => error.set(Some(refusal)),
            });
        })
    };
    html! { <button class="primary-button assign-quoted" {onclick}>{ format!("Assign {}", quote.company) }</button> }
}

#[derive(Properties, PartialEq)]
struct AskFormProps {
    order: plumbline_domain::WorkOrderId,
    /// Those already asked, left out of the choice.
    asked: Vec<Quote>,
    on_asked: Callback<OrderQuotes>,
}

/// Staff tick the contractors to ask (the assignment suggestions, best first) and say
/// what they want priced.
#[function_component]
fn AskForm(props: &AskFormProps) -> Html {
    let choices = use_state(|| None::<Vec<ContractorChoice>>);
    let chosen = use_state(Vec::new);
    let note = use_state(String::new);
    let error = use_state(|| None::<CommandError>);
    {
        let (choices, error, id) = (choices.clone(), error.clone(), props.order);
        use_effect_with(id, move |id| {
            let id = *id;
            ipc::call_then(commands::SuggestContractors { id }, move |answer| match answer {
                Ok(list) => choices.set(Some(list)),
                Err(refusal) => error.set(Some(refusal)),
            });
        });
    }
    let onsubmit = {
        let (chosen, note, error, on_asked, order) =
            (chosen.clone(), note.clone(), error.clone(), props.on_asked.clone(), props.order);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let request = AskForQuotes { order, contractors: (*chosen).clone(), note: (*note).clone() };
            let (error, on_asked) = (error.clone(), on_asked.clone());
            ipc::call_then(commands::AskForQuotes { request }, move |answer| match answer {
                Ok(answer) => on_asked.emit(answer),
                Err(refusal) => error.set(Some(refusal)),
            });
        })
    };
    let on_note = {
        let note = note.clone();
        Callback::from(move |e: InputEvent| note.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let field_error =
        error.as_ref().filter(|e| e.field == Some(Field::Contractor)).map(|e| format::sentence(&e.message));
    let general = error.as_ref().filter(|e| e.field != Some(Field::Contractor)).cloned();
    let Some(list) = &*choices else { return loading() };
    let asked: Vec<_> = props.asked.iter().map(|quote| quote.contractor).collect();
    html! {
        <form class="inline-form ask-quotes" {onsubmit} novalidate=true>
            <fieldset class="contractor-checks">
                <legend>{ "Ask these contractors" }</legend>
                { for list.iter().filter(|c| !asked.contains(&c.id)).take(8).map(|choice| contractor_check(choice, &chosen)) }
            </fieldset>
            if let Some(message) = field_error { <p class="field-error" id="contractor-error">{ message }</p> }
            <label class="field">{ "What to price" }
                <textarea id="quote-note" rows="2" value={(*note).clone()} oninput={on_note}
                          placeholder="\"Replace the cylinder, not repair it\"" />
            </label>
            if let Some(error) = general { { error_banner(&error) } }
            <button id="send-quote-requests" class="primary-button" type="submit">{ "Send requests" }</button>
        </form>
    }
}

fn contractor_check(choice: &ContractorChoice, chosen: &UseStateHandle<Vec<plumbline_domain::UserId>>) -> Html {
    let id = choice.id;
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let mut now = (*chosen).clone();
            now.retain(|other| *other != id);
            if e.target_unchecked_into::<HtmlInputElement>().checked() {
                now.push(id);
            }
            chosen.set(now);
        })
    };
    let mut facts = vec![format!("{} open jobs", choice.open_jobs)];
    if choice.preferred {
        facts.insert(0, "preferred".to_owned());
    }
    if !choice.covers_category {
        facts.push("not their usual trade".to_owned());
    }
    if let Some(why) = &choice.blocked {
        facts = vec![why.clone()];
    }
    html! {
        <label class={classes!("check-label", choice.blocked.is_some().then_some("muted"))} data-contractor={choice.company.clone()}>
            <input type="checkbox" checked={chosen.contains(&id)} disabled={choice.blocked.is_some()} {onchange} />
            { format!(" {} ", choice.company) }
            <span class="muted small">{ format!("· {}", facts.join(" · ")) }</span>
        </label>
    }
}

/// How many decided requests stay on the dashboard below the open ones.
const DECIDED_SHOWN: usize = 3;

/// The contractor's quote requests, open ones first: each priced line by line, or declined.
#[function_component]
pub fn QuoteRequests() -> Html {
    let load = use_load((), |_| commands::QuoteRequests {}, |change| change.kind == ChangeKind::Notification);
    let Some(Ok(requests)) = &*load.loaded else {
        return match &*load.loaded {
            Some(Err(error)) => error_banner(error),
            _ => Html::default(),
        };
    };
    if requests.is_empty() {
        return Html::default();
    }
    // Every open request, and the few latest decided ones for the record.
    let open = requests.iter().filter(|request| request.quote.status.is_open()).count();
    let shown = requests.iter().take(open + DECIDED_SHOWN);
    html! {
        <section class="card quote-requests" id="quote-requests">
            <h2>{ "Quote requests" }</h2>
            { for shown.map(|request| quote_request_item(request, load.reload.reform(|_| ()))) }
        </section>
    }
}

/// One request: the work as the contractor sees it, then their price form or answer.
fn quote_request_item(request: &QuoteRequest, on_answered: Callback<QuoteRequest>) -> Html {
    let quote = &request.quote;
    let answering = quote.status == QuoteStatus::Requested;
    html! {
        <article class="quote-request" data-reference={plumbline_domain::Reference::of(request.order).to_string()}>
            <div class="quote-head">
                <h3>{ format!("{} · {}", plumbline_domain::Reference::of(request.order), request.work) }</h3>
                { status_pill(quote.status) }
            </div>
            <p class="subtitle">{ format!("{} · {} priority", request.place, request.priority.as_str()) }</p>
            <blockquote class="description">{ &request.description }</blockquote>
            if !request.asked.is_empty() {
                <p><strong>{ "The agency asks: " }</strong>{ &request.asked }</p>
            }
            if answering {
                <PriceForm quote={quote.id} {on_answered} />
            } else if quote.status == QuoteStatus::Declined {
                <p class="muted">{ format!("You declined: {}", quote.note) }</p>
            } else {
                { lines_table(quote) }
                <p class="muted small">{ answered_line(quote.status) }</p>
            }
        </article>
    }
}

fn answered_line(status: QuoteStatus) -> &'static str {
    match status {
        QuoteStatus::Submitted | QuoteStatus::Proposed => "Sent. The agency will tell you whether it goes ahead.",
        QuoteStatus::Approved => "Approved. The job comes to you once the agency assigns it.",
        QuoteStatus::NotChosen => "The agency went ahead with another quote this time.",
        QuoteStatus::Requested | QuoteStatus::Declined => "",
    }
}

/// One line as typed: the amount is text until the quote is sent.
#[derive(Clone, PartialEq, Default)]
struct LineDraft {
    description: String,
    amount: String,
}

fn parsed(lines: &[LineDraft]) -> Result<Vec<QuoteLine>, String> {
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let amount = MoneyMinor::parse(&line.amount)
                .map_err(|_| format!("Line {}: enter an amount like 120 or 95.50", index + 1))?;
            Ok(QuoteLine { description: line.description.trim().to_owned(), amount_minor: amount })
        })
        .collect()
}

#[derive(Properties, PartialEq)]
struct PriceFormProps {
    quote: plumbline_domain::ids::QuoteId,
    on_answered: Callback<QuoteRequest>,
}

#[function_component]
fn PriceForm(props: &PriceFormProps) -> Html {
    let lines = use_state(|| vec![LineDraft::default()]);
    let note = use_state(String::new);
    let reason = use_state(String::new);
    let declining = use_state(|| false);
    let error = use_state(|| None::<String>);
    let quote = props.quote;
    let send = {
        let (lines, note, error, on_answered) = (lines.clone(), note.clone(), error.clone(), props.on_answered.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let priced = match parsed(&lines) {
                Ok(priced) => priced,
                Err(message) => return error.set(Some(message)),
            };
            let submission = QuoteSubmission { quote, lines: priced, note: (*note).clone() };
            let (error, on_answered) = (error.clone(), on_answered.clone());
            ipc::call_then(commands::SubmitQuote { quote: submission }, move |answer| match answer {
                Ok(answer) => on_answered.emit(answer),
                Err(refusal) => error.set(Some(format::sentence(&refusal.message))),
            });
        })
    };
    let decline = {
        let (reason, error, on_answered) = (reason.clone(), error.clone(), props.on_answered.clone());
        Callback::from(move |_: MouseEvent| {
            let (reason, error, on_answered) = ((*reason).clone(), error.clone(), on_answered.clone());
            ipc::call_then(commands::DeclineToQuote { id: quote, reason }, move |answer| match answer {
                Ok(answer) => on_answered.emit(answer),
                Err(refusal) => error.set(Some(format::sentence(&refusal.message))),
            });
        })
    };
    let running_total = parsed(&lines).ok().and_then(|priced| total(&priced));
    let add_line = {
        let lines = lines.clone();
        Callback::from(move |_: MouseEvent| {
            let mut more = (*lines).clone();
            more.push(LineDraft::default());
            lines.set(more);
        })
    };
    let on_note = {
        let note = note.clone();
        Callback::from(move |e: InputEvent| note.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |e: InputEvent| reason.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let toggle_decline = {
        let declining = declining.clone();
        Callback::from(move |_: MouseEvent| declining.set(!*declining))
    };
    html! {
        <form class="inline-form price-form" onsubmit={send} novalidate=true>
            <table class="quote-lines editing">
                <thead><tr><th>{ "Item" }</th><th class="amount">{ "Amount" }</th><th></th></tr></thead>
                <tbody>
                    { for lines.iter().enumerate().map(|(index, line)| line_row(index, line, &lines)) }
                </tbody>
                <tfoot>
                    <tr>
                        <th><button type="button" class="small-button add-line" onclick={add_line}>{ "Add line" }</button></th>
                        <th class="amount" data-testid="running-total">
                            { running_total.map(|sum| format!("Total {}", format::money(sum))).unwrap_or_default() }
                        </th>
                        <th></th>
                    </tr>
                </tfoot>
            </table>
            <label class="field">{ "Terms or notes (optional)" }
                <textarea class="quote-terms" rows="2" value={(*note).clone()} oninput={on_note}
                          placeholder="\"Two days' work; parts on a week's order\"" />
            </label>
            if let Some(message) = &*error { <p class="field-error" id="lines-error">{ message }</p> }
            <div class="form-buttons">
                <button class="primary-button send-quote" type="submit">{ "Send quote" }</button>
                <button type="button" class="small-button" onclick={toggle_decline}>{ "Decline to quote" }</button>
            </div>
            if *declining {
                <div class="decline-quote">
                    <label class="field">{ "Why not" }
                        <input class="decline-reason" value={(*reason).clone()} oninput={on_reason}
                               placeholder="\"Fully booked this month\"" />
                    </label>
                    <button type="button" class="small-button danger confirm-decline" onclick={decline}>{ "Decline" }</button>
                </div>
            }
        </form>
    }
}

fn line_row(index: usize, line: &LineDraft, lines: &UseStateHandle<Vec<LineDraft>>) -> Html {
    let edit = |apply: fn(&mut LineDraft, String)| {
        let lines = lines.clone();
        Callback::from(move |e: InputEvent| {
            let mut edited = (*lines).clone();
            if let Some(line) = edited.get_mut(index) {
                apply(line, e.target_unchecked_into::<HtmlInputElement>().value());
            }
            lines.set(edited);
        })
    };
    let remove = {
        let lines = lines.clone();
        Callback::from(move |_: MouseEvent| {
            let mut fewer = (*lines).clone();
            if fewer.len() > 1 {
                fewer.remove(index);
            }
            lines.set(fewer);
        })
    };
    html! {
        <tr>
            <td><input class="line-description" aria-label={format!("Item {}", index + 1)} value={line.description.clone()}
                       oninput={edit(|line, text| line.description = text)} placeholder="\"Replacement valve\"" /></td>
            <td class="amount"><input class="line-amount" inputmode="decimal" aria-label={format!("Amount {}", index + 1)}
                       value={line.amount.clone()} oninput={edit(|line, text| line.amount = text)} placeholder="0.00" /></td>
            <td>if lines.len() > 1 {
                <button type="button" class="link remove-line" title="Remove this line" onclick={remove}>{ "✕" }</button>
            }</td>
        </tr>
    }
}
