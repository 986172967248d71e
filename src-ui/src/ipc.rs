//! The only place that talks to the backend. Each call is typed by `plumbline_domain::api`
//! and fails as a `CommandError`, never a bare string.

use plumbline_domain::api::{
    ActOnWorkOrder, Attachment, CategoryOption, ChangePassword, CommandError, ContractorChoice, ContractorDashboard,
    DirectThread, ErrorCode, FilterOptions, LandlordDashboard, ListUsers, ListWorkOrders, Message, MessageThread,
    NewUser, Notifications, PostDirectMessage, PostMessage, RecordPayout, SearchTenancies, SessionStatus, SetUpAgency,
    SignIn, SignedIn, StaffDashboard, SubmitRequest, Submitted, TemporaryPassword, TenancyChoice, TenantDashboard,
    TriageQueue, UserList, UserSummary, WorkOrderDetail, WorkOrderPage, commands,
};
use plumbline_domain::{Action, Command, AttachmentId, AttachmentKind, UserId, WorkOrderId};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(command: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

fn ipc_error(message: impl Into<String>) -> CommandError {
    CommandError { code: ErrorCode::Ipc, message: message.into(), field: None }
}

async fn call<A: Serialize, R: DeserializeOwned>(command: &str, args: &A) -> Result<R, CommandError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = args.serialize(&serializer).map_err(|e| ipc_error(format!("could not send {command}: {e}")))?;
    match tauri_invoke(command, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value)
            .map_err(|e| ipc_error(format!("could not read the answer to {command}: {e}"))),
        Err(error) => Err(serde_wasm_bindgen::from_value(error.clone())
            .unwrap_or_else(|_| ipc_error(error.as_string().unwrap_or_else(|| format!("{command} failed"))))),
    }
}

#[derive(Serialize)]
struct NoArgs {}

#[derive(Serialize)]
struct RequestArg<'a, T> {
    request: &'a T,
}

#[derive(Serialize)]
struct IdArg {
    id: WorkOrderId,
}

pub async fn list_work_orders(request: &ListWorkOrders) -> Result<WorkOrderPage, CommandError> {
    call(commands::ListWorkOrders::NAME, &RequestArg { request }).await
}

pub async fn get_work_order(id: WorkOrderId) -> Result<WorkOrderDetail, CommandError> {
    call(commands::GetWorkOrder::NAME, &IdArg { id }).await
}

pub async fn act_on_work_order(request: &ActOnWorkOrder) -> Result<WorkOrderDetail, CommandError> {
    call(commands::ActOnWorkOrder::NAME, &RequestArg { request }).await
}

pub async fn suggest_contractors(id: WorkOrderId) -> Result<Vec<ContractorChoice>, CommandError> {
    call(commands::SuggestContractors::NAME, &IdArg { id }).await
}

pub async fn staff_dashboard() -> Result<StaffDashboard, CommandError> {
    call(commands::StaffDashboard::NAME, &NoArgs {}).await
}

pub async fn triage_queue() -> Result<TriageQueue, CommandError> {
    call(commands::TriageQueue::NAME, &NoArgs {}).await
}

pub async fn filter_options() -> Result<FilterOptions, CommandError> {
    call(commands::FilterOptions::NAME, &NoArgs {}).await
}

#[derive(Serialize)]
struct ExplainArgs {
    id: WorkOrderId,
    action: Action,
}

/// Why the signed-in user may not take `action` on the order now (`Ok` if they may).
pub async fn explain_action(id: WorkOrderId, action: Action) -> Result<(), CommandError> {
    call(commands::ExplainAction::NAME, &ExplainArgs { id, action }).await
}

pub async fn search_tenancies(request: &SearchTenancies) -> Result<Vec<TenancyChoice>, CommandError> {
    call(commands::SearchTenancies::NAME, &RequestArg { request }).await
}

pub async fn intake_options() -> Result<Vec<CategoryOption>, CommandError> {
    call(commands::IntakeOptions::NAME, &NoArgs {}).await
}

pub async fn submit_request(request: &SubmitRequest) -> Result<Submitted, CommandError> {
    call(commands::SubmitRequest::NAME, &RequestArg { request }).await
}

pub async fn session() -> Result<SessionStatus, CommandError> {
    call(commands::Session::NAME, &NoArgs {}).await
}

pub async fn sign_in(request: &SignIn) -> Result<SignedIn, CommandError> {
    call(commands::SignIn::NAME, &RequestArg { request }).await
}

pub async fn sign_out() -> Result<(), CommandError> {
    call(commands::SignOut::NAME, &NoArgs {}).await
}

pub async fn change_password(request: &ChangePassword) -> Result<SignedIn, CommandError> {
    call(commands::ChangePassword::NAME, &RequestArg { request }).await
}

pub async fn set_up_agency(request: &SetUpAgency) -> Result<SignedIn, CommandError> {
    call(commands::SetUpAgency::NAME, &RequestArg { request }).await
}

pub async fn list_users(request: &ListUsers) -> Result<UserList, CommandError> {
    call(commands::ListUsers::NAME, &RequestArg { request }).await
}

#[derive(Serialize)]
struct NewUserArg<'a> {
    user: &'a NewUser,
}

pub async fn create_user(user: &NewUser) -> Result<TemporaryPassword, CommandError> {
    call(commands::CreateUser::NAME, &NewUserArg { user }).await
}

#[derive(Serialize)]
struct UserArg {
    user: UserId,
}

pub async fn reset_password(user: UserId) -> Result<TemporaryPassword, CommandError> {
    call(commands::ResetPassword::NAME, &UserArg { user }).await
}

pub async fn unlock_user(user: UserId) -> Result<UserSummary, CommandError> {
    call(commands::UnlockUser::NAME, &UserArg { user }).await
}

/// Records a closed job's payout; answers with the order as it now stands.
pub async fn record_payout(request: &RecordPayout) -> Result<WorkOrderDetail, CommandError> {
    call(commands::RecordPayout::NAME, &RequestArg { request }).await
}

#[derive(Serialize)]
struct AttachArgs {
    id: WorkOrderId,
    kind: AttachmentKind,
}

#[derive(Serialize)]
struct AttachmentArg {
    id: AttachmentId,
}

/// Opens the native file dialog; what was chosen is attached (none if cancelled).
pub async fn pick_and_attach(id: WorkOrderId, kind: AttachmentKind) -> Result<Vec<Attachment>, CommandError> {
    call(commands::PickAndAttach::NAME, &AttachArgs { id, kind }).await
}

pub async fn list_attachments(id: WorkOrderId) -> Result<Vec<Attachment>, CommandError> {
    call(commands::ListAttachments::NAME, &IdArg { id }).await
}

/// An image attachment as a `data:` URL.
pub async fn attachment_data(id: AttachmentId) -> Result<String, CommandError> {
    call(commands::AttachmentData::NAME, &AttachmentArg { id }).await
}

pub async fn open_attachment(id: AttachmentId) -> Result<(), CommandError> {
    call(commands::OpenAttachment::NAME, &AttachmentArg { id }).await
}

pub async fn landlord_dashboard() -> Result<LandlordDashboard, CommandError> {
    call(commands::LandlordDashboard::NAME, &NoArgs {}).await
}

pub async fn contractor_dashboard() -> Result<ContractorDashboard, CommandError> {
    call(commands::ContractorDashboard::NAME, &NoArgs {}).await
}

pub async fn tenant_dashboard() -> Result<TenantDashboard, CommandError> {
    call(commands::TenantDashboard::NAME, &NoArgs {}).await
}

pub async fn notifications() -> Result<Notifications, CommandError> {
    call(commands::Notifications::NAME, &NoArgs {}).await
}

#[derive(Serialize)]
struct NotificationArg {
    id: i64,
}

pub async fn read_notification(id: i64) -> Result<(), CommandError> {
    call(commands::ReadNotification::NAME, &NotificationArg { id }).await
}

pub async fn read_all_notifications() -> Result<(), CommandError> {
    call(commands::ReadAllNotifications::NAME, &NoArgs {}).await
}

#[derive(Serialize)]
struct OnArg {
    on: bool,
}

pub async fn set_desktop_notifications(on: bool) -> Result<(), CommandError> {
    call(commands::SetDesktopNotifications::NAME, &OnArg { on }).await
}

/// The order's thread; opening it marks it read.
pub async fn list_messages(id: WorkOrderId) -> Result<MessageThread, CommandError> {
    call(commands::ListMessages::NAME, &IdArg { id }).await
}

pub async fn post_message(request: &PostMessage) -> Result<Message, CommandError> {
    call(commands::PostMessage::NAME, &RequestArg { request }).await
}

pub async fn direct_threads() -> Result<Vec<DirectThread>, CommandError> {
    call(commands::DirectThreads::NAME, &NoArgs {}).await
}

#[derive(Serialize)]
struct TenantArg {
    tenant: Option<UserId>,
}

/// A tenant's direct thread (`None`: the signed-in tenant's own); opening it marks it read.
pub async fn direct_messages(tenant: Option<UserId>) -> Result<MessageThread, CommandError> {
    call(commands::DirectMessages::NAME, &TenantArg { tenant }).await
}

pub async fn post_direct_message(request: &PostDirectMessage) -> Result<Message, CommandError> {
    call(commands::PostDirectMessage::NAME, &RequestArg { request }).await
}
