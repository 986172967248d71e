//! Quotes: staff ask contractors, who price from their desk; staff or the landlord approve.

use crate::state::AppState;
use plumbline_domain::api::{AskForQuotes, CommandError, OrderQuotes, QuoteRequest, QuoteSubmission};
use plumbline_domain::ids::QuoteId;
use plumbline_domain::{WorkOrderId, commands};
use tauri::State;

#[tauri::command]
pub async fn order_quotes(state: State<'_, AppState>, id: WorkOrderId) -> Result<OrderQuotes, CommandError> {
    state.run(commands::OrderQuotes { id }).await
}

#[tauri::command]
pub async fn ask_for_quotes(state: State<'_, AppState>, request: AskForQuotes) -> Result<OrderQuotes, CommandError> {
    state.run(commands::AskForQuotes { request }).await
}

#[tauri::command]
pub async fn approve_quote(state: State<'_, AppState>, id: QuoteId) -> Result<OrderQuotes, CommandError> {
    state.run(commands::ApproveQuote { id }).await
}

#[tauri::command]
pub async fn quote_requests(state: State<'_, AppState>) -> Result<Vec<QuoteRequest>, CommandError> {
    state.run(commands::QuoteRequests {}).await
}

#[tauri::command]
pub async fn submit_quote(state: State<'_, AppState>, quote: QuoteSubmission) -> Result<QuoteRequest, CommandError> {
    state.run(commands::SubmitQuote { quote }).await
}

#[tauri::command]
pub async fn decline_to_quote(
    state: State<'_, AppState>,
    id: QuoteId,
    reason: String,
) -> Result<QuoteRequest, CommandError> {
    state.run(commands::DeclineToQuote { id, reason }).await
}
