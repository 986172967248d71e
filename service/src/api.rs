//! The one mapping from a command (`plumbline_domain::commands`) to its use case, shared
//! by the desktop shell (in process) and the agency server (over the network): neither
//! says again which use case a command runs, so the two cannot answer differently.
//!
//! Not here: the session commands, since each side keeps its session its own way (the
//! shell in memory and the OS keyring, the server as bearer tokens), and the commands
//! that only make sense on the user's own computer (the native file dialog, opening a
//! file in the OS's app).

use crate::error::{Result, ServiceError, capitalise};
use crate::{
    Store, accounts, attachments, categories, compliance, contractors, emergencies, import, landlords, mail, messages,
    notifications, payments, planned, properties, quotes, reports, search, settings, tenancies, work_orders,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use plumbline_domain::api::{CommandError, ErrorCode, Field};
use plumbline_domain::{Actor, Command, commands, text, wire};

/// A command that runs as a signed-in user on the store.
pub trait Handle: Command {
    /// Runs the command for `actor` at `now`.
    fn handle(
        self,
        store: &Store,
        actor: Actor,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Self::Answer, ServiceError>> + Send;
}

/// Sign-in, sign-out, the session's status, set-up and password change: each side keeps
/// its own session, so each runs these itself.
pub const SESSION: &[&str] = &[
    commands::Session::NAME,
    commands::SignIn::NAME,
    commands::SignOut::NAME,
    commands::ChangePassword::NAME,
    commands::SetUpAgency::NAME,
];

/// Commands of the user's own computer (its file dialog, its apps, which agency it uses):
/// the desktop runs them. The four exports are answered by the agency server too, as the
/// file itself for a browser to download (gathered through `exports` on both sides),
/// never as JSON through `dispatch_as`.
pub const LOCAL_ONLY: &[&str] = &[
    commands::PickAndAttach::NAME,
    commands::OpenAttachment::NAME,
    commands::OpenMap::NAME,
    commands::ChoosePhotos::NAME,
    commands::AttachChosen::NAME,
    commands::ChooseCertificateFile::NAME,
    commands::AttachCertificateFile::NAME,
    commands::OpenCertificateFile::NAME,
    commands::PickImportFile::NAME,
    commands::SaveImportReport::NAME,
    commands::ExportWorkOrders::NAME,
    commands::ExportReport::NAME,
    commands::ExportWorkOrderPdf::NAME,
    commands::ExportEvidencePack::NAME,
    commands::CancelExport::NAME,
    commands::Connection::NAME,
    commands::CheckServer::NAME,
    commands::UseServer::NAME,
    commands::UseThisComputer::NAME,
    // Asks the server's version over `/healthz`.
    commands::About::NAME,
    // Backup and restore: this computer's store, its dialogs and its folders.
    commands::BackupStatus::NAME,
    commands::BackUpNow::NAME,
    commands::ScheduleBackups::NAME,
    commands::SetBackupsKept::NAME,
    commands::StopScheduledBackups::NAME,
    commands::ChooseRestore::NAME,
    commands::OpenedBackup::NAME,
    commands::RestoreOpenedBackup::NAME,
    commands::ConfirmRestore::NAME,
    commands::CancelRestore::NAME,
];

/// Commands that need the SMTP password, which lives in the OS keyring of the machine
/// that sends mail: each side runs them itself with its own keyring (the desktop on its
/// own store, the agency server for its agency), through `mail::send_test` and
/// `mail::password_to_keep`.
pub const MAIL_SECRETS: &[&str] = &[commands::SetSmtpPassword::NAME, commands::SendTestEmail::NAME];

#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    /// No command has this name, or it is not one the server runs (see `LOCAL_ONLY`/`SESSION`).
    #[error("there is no command called {0}")]
    UnknownCommand(String),
    /// The arguments are not this command's (bad JSON shape, unknown or missing fields): the serde message.
    #[error("the request's arguments are not right: {0}")]
    BadArguments(String),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<DispatchError> for CommandError {
    /// What the desktop shows for a command it ran through [`dispatch_as`]; the
    /// agency server says the same with an HTTP status (`server::app`).
    fn from(err: DispatchError) -> Self {
        let message = capitalise(&err.to_string());
        let code = match err {
            DispatchError::Service(err) => return err.into(),
            DispatchError::UnknownCommand(_) => ErrorCode::NotFound,
            DispatchError::BadArguments(_) => ErrorCode::Validation,
        };
        CommandError { code, message, field: None }
    }
}

/// Declares `HANDLED` and `dispatch_as` from one list, so a command cannot be listed in one
/// and dispatched to another's use case.
macro_rules! dispatch_table {
    ($($command:ident),* $(,)?) => {
        /// Every command [`dispatch_as`] runs: all of `commands::ALL` but `SESSION`, `LOCAL_ONLY`
        /// and `MAIL_SECRETS`.
        pub const HANDLED: &[&str] = &[$(<commands::$command as Command>::NAME),*];

        /// The command called `name`, its JSON arguments, its answer written as `format`:
        /// how the agency server and the desktop shell alike run every command in
        /// [`HANDLED`]. The answer goes out as it is written here, never read back.
        pub async fn dispatch_as(
            format: AnswerFormat,
            store: &Store,
            actor: Actor,
            now: DateTime<Utc>,
            name: &str,
            args: serde_json::Value,
        ) -> Result<Vec<u8>, DispatchError> {
            match name {
                $(<commands::$command as Command>::NAME => run::<commands::$command>(format, store, actor, now, args).await,)*
                _ => Err(DispatchError::UnknownCommand(name.to_owned())),
            }
        }
    };
}

/// How an answer is written: JSON for the desktop's client and anyone else, or the
/// compact bytes a page reads (`plumbline_domain::wire`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerFormat {
    Json,
    Bytes,
}

impl AnswerFormat {
    /// `answer` written in this format.
    pub fn write<T: serde::Serialize>(self, answer: &T) -> Result<Vec<u8>> {
        let written = match self {
            AnswerFormat::Json => serde_json::to_vec(answer).map_err(anyhow::Error::from),
            AnswerFormat::Bytes => wire::encode(answer).map_err(anyhow::Error::from),
        };
        written.map_err(ServiceError::Internal)
    }

    /// The media type of an answer in this format.
    pub fn media_type(self) -> &'static str {
        match self {
            AnswerFormat::Json => "application/json",
            AnswerFormat::Bytes => wire::MEDIA_TYPE,
        }
    }
}

/// [`dispatch_as`] with the answer read back as a JSON value, for the tests that look
/// inside answers of any command.
pub async fn dispatch(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    name: &str,
    args: serde_json::Value,
) -> Result<serde_json::Value, DispatchError> {
    let answer = dispatch_as(AnswerFormat::Json, store, actor, now, name, args).await?;
    serde_json::from_slice(&answer).map_err(|err| ServiceError::Internal(err.into()).into())
}

dispatch_table! {
    Notifications, ReadNotification, ReadAllNotifications, SetDesktopNotifications, SetOnDuty,
    ListUsers, CreateUser, ResetPassword, UnlockUser, SetUserActive, ListAdminActions,
    ListWorkOrders, GetWorkOrder, WorkOrderHistory, ActOnWorkOrder, SubmitRequest, SuggestContractors, ExplainAction,
    OrderQuotes, AskForQuotes, ApproveQuote, QuoteRequests, SubmitQuote, DeclineToQuote,
    StaffDashboard, TriageQueue, FilterOptions,
    SearchTenancies, IntakeOptions, Search, RunReport,
    RecordPayout, LandlordDashboard, ContractorDashboard, TenantDashboard,
    ListProperties, GetProperty, SaveProperty, SetPropertyArchived, AddUnit, AddTenancy, UpdateTenancy, ListPeople,
    ListContractors, UpdateContractor, ListLandlords, SetLandlordRules, SetupChecklist,
    ListSchedules, GetSchedule, AddSchedule, SetSchedulePaused, ListCertificates, RecordCertificate,
    AgencyRules, UpdateAgencyRules, SettingsHistory, ListCategories, SaveCategory, PreviewImport, RunImport,
    MailSettings, UpdateMailSettings, EmailPreferences, SetEmailPreferences,
    ListAttachments, AttachmentData,
    ListMessages, PostMessage, RetractMessage, DirectThreads, DirectMessages, PostDirectMessage,
}

/// Reads `C`'s arguments from `args`, runs it, and writes its answer as `format`.
async fn run<C: Handle>(
    format: AnswerFormat,
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    args: serde_json::Value,
) -> Result<Vec<u8>, DispatchError> {
    check_text(&args)?;
    let command: C = serde_json::from_value(args).map_err(|err| DispatchError::BadArguments(err.to_string()))?;
    let answer = command.handle(store, actor, now).await?;
    Ok(format.write(&answer)?)
}

/// Runs `command` typed, in process (the shell's own commands that need a service
/// command's answer first): the same checks as [`dispatch_as`].
pub async fn execute<C: Handle>(command: C, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<C::Answer> {
    let args = serde_json::to_value(&command).map_err(|err| ServiceError::Internal(err.into()))?;
    check_text(&args)?;
    command.handle(store, actor, now).await
}

/// Refuses a command any of whose text holds a control character (`domain::text`), by
/// the field that holds it, before any use case sees it.
fn check_text(args: &serde_json::Value) -> Result<()> {
    match find_forbidden(args, None) {
        None => Ok(()),
        Some((character, key)) => {
            let message = text::refusal(character);
            Err(match Field::ALL.into_iter().find(|field| Some(field.as_str()) == key) {
                Some(field) => ServiceError::validation(field, message),
                None => ServiceError::NotAllowed(message),
            })
        }
    }
}

/// The first forbidden character in `value`'s strings (keys too), and the key it is under.
fn find_forbidden<'a>(value: &'a serde_json::Value, key: Option<&'a str>) -> Option<(char, Option<&'a str>)> {
    match value {
        serde_json::Value::String(text) => text::forbidden_character(text).map(|c| (c, key)),
        serde_json::Value::Array(items) => items.iter().find_map(|item| find_forbidden(item, key)),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(name, field)| {
            text::forbidden_character(name).map(|c| (c, key)).or_else(|| find_forbidden(field, Some(name)))
        }),
        serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_) => None,
    }
}

// The bell.

impl Handle for commands::Notifications {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        notifications::list(store, actor).await
    }
}

impl Handle for commands::ReadNotification {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        notifications::mark_read(store, actor, now, self.id).await
    }
}

impl Handle for commands::ReadAllNotifications {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        notifications::mark_all_read(store, actor, now).await
    }
}

impl Handle for commands::SetDesktopNotifications {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        notifications::set_desktop(store, actor, self.on).await
    }
}

// The admin's user management (the use cases refuse anyone but an admin).

impl Handle for commands::ListUsers {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        accounts::list_users(store, actor, now, &self.request).await
    }
}

impl Handle for commands::CreateUser {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        accounts::create_user(store, actor, now, &self.user).await
    }
}

impl Handle for commands::ResetPassword {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        accounts::reset_password(store, actor, now, self.user).await
    }
}

impl Handle for commands::UnlockUser {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        accounts::unlock_user(store, actor, now, self.user).await
    }
}

impl Handle for commands::SetUserActive {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        accounts::set_user_active(store, actor, now, self.user, self.active).await
    }
}

impl Handle for commands::ListAdminActions {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        accounts::list_admin_actions(store, actor, &self.request).await
    }
}

// Work orders.

impl Handle for commands::ListWorkOrders {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        work_orders::list(store, actor, now, &self.request).await
    }
}

impl Handle for commands::GetWorkOrder {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        work_orders::detail(store, actor, now, self.id).await
    }
}

impl Handle for commands::WorkOrderHistory {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        work_orders::history(store, actor, self.id, self.before).await
    }
}

impl Handle for commands::ActOnWorkOrder {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        work_orders::act(store, actor, now, &self.request).await?;
        // The order as it now stands, so the screen shows the step's result at once.
        work_orders::detail(store, actor, now, self.request.id).await
    }
}

impl Handle for commands::SubmitRequest {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        work_orders::submit(store, actor, now, &self.request).await
    }
}

impl Handle for commands::SuggestContractors {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        contractors::suggest(store, actor, now, self.id).await
    }
}

impl Handle for commands::ExplainAction {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        work_orders::explain(store, actor, now, self.id, self.action).await
    }
}

// The staff desk.

impl Handle for commands::StaffDashboard {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        work_orders::staff_dashboard(store, actor, now).await
    }
}

impl Handle for commands::TriageQueue {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        work_orders::triage_queue(store, actor, now).await
    }
}

impl Handle for commands::FilterOptions {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        work_orders::filter_options(store, actor).await
    }
}

// Intake.

impl Handle for commands::SearchTenancies {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        tenancies::search(store, actor, now, &self.request.query, self.request.limit).await
    }
}

impl Handle for commands::Search {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        search::search(store, actor, &self.request).await
    }
}

impl Handle for commands::RunReport {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        reports::report(store, actor, now, &self.request).await
    }
}

impl Handle for commands::IntakeOptions {
    async fn handle(self, store: &Store, _actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        categories::intake_options(store).await
    }
}

// Payments and the other roles' dashboards.

impl Handle for commands::RecordPayout {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        payments::record_payout(store, actor, now, &self.request).await?;
        // The order as it now stands, so the Payment card shows Paid at once.
        work_orders::detail(store, actor, now, self.request.id).await
    }
}

impl Handle for commands::LandlordDashboard {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        work_orders::landlord_dashboard(store, actor, now).await
    }
}

impl Handle for commands::ContractorDashboard {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        work_orders::contractor_dashboard(store, actor, now).await
    }
}

impl Handle for commands::TenantDashboard {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        work_orders::tenant_dashboard(store, actor, now).await
    }
}

// The agency's records.

impl Handle for commands::ListProperties {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        properties::list(store, actor, now, &self.search).await
    }
}

impl Handle for commands::GetProperty {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        properties::detail(store, actor, now, self.id).await
    }
}

impl Handle for commands::SaveProperty {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        properties::save(store, actor, now, self.id, &self.property).await
    }
}

impl Handle for commands::SetPropertyArchived {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        properties::set_archived(store, actor, now, self.id, self.archived).await
    }
}

impl Handle for commands::AddUnit {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        properties::add_unit(store, actor, now, self.property, &self.label).await
    }
}

impl Handle for commands::ListSchedules {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        planned::list(store, actor, &self.request).await
    }
}

impl Handle for commands::GetSchedule {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        planned::detail(store, actor, self.id).await
    }
}

impl Handle for commands::AddSchedule {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        planned::add(store, actor, now, &self.schedule).await
    }
}

impl Handle for commands::SetSchedulePaused {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        planned::set_paused(store, actor, now, self.id, self.paused).await
    }
}

impl Handle for commands::ListCertificates {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        compliance::list(store, actor, now, &self.request).await
    }
}

impl Handle for commands::RecordCertificate {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        compliance::record(store, actor, now, &self.certificate).await
    }
}

impl Handle for commands::SetOnDuty {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        emergencies::set_on_duty(store, actor, self.on).await
    }
}

impl Handle for commands::OrderQuotes {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        quotes::for_order(store, actor, self.id).await
    }
}

impl Handle for commands::AskForQuotes {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        quotes::ask(store, actor, now, &self.request).await
    }
}

impl Handle for commands::ApproveQuote {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        quotes::approve(store, actor, now, self.id).await
    }
}

impl Handle for commands::QuoteRequests {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        quotes::requests(store, actor).await
    }
}

impl Handle for commands::SubmitQuote {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        quotes::submit(store, actor, now, &self.quote).await
    }
}

impl Handle for commands::DeclineToQuote {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        quotes::decline(store, actor, now, self.id, &self.reason).await
    }
}

impl Handle for commands::AddTenancy {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        properties::add_tenancy(store, actor, now, &self.tenancy).await
    }
}

impl Handle for commands::UpdateTenancy {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        properties::update_tenancy(store, actor, now, &self.tenancy).await
    }
}

impl Handle for commands::ListPeople {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        properties::people(store, actor, self.role).await
    }
}

impl Handle for commands::ListContractors {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        contractors::profiles(store, actor, now).await
    }
}

impl Handle for commands::UpdateContractor {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        contractors::update_profile(store, actor, now, self.id, &self.details).await
    }
}

impl Handle for commands::ListLandlords {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        landlords::list(store, actor, now).await
    }
}

impl Handle for commands::SetLandlordRules {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        landlords::set_rules(store, actor, now, self.id, &self.rules).await
    }
}

impl Handle for commands::SetupChecklist {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        settings::checklist(store, actor).await
    }
}

// The agency's settings.

impl Handle for commands::AgencyRules {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        settings::rules(store, actor).await
    }
}

impl Handle for commands::UpdateAgencyRules {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        settings::update(store, actor, now, &self.rules).await
    }
}

impl Handle for commands::SettingsHistory {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        settings::history(store, actor).await
    }
}

impl Handle for commands::ListCategories {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        settings::categories(store, actor).await
    }
}

impl Handle for commands::SaveCategory {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        settings::save_category(store, actor, now, self.id, &self.category).await
    }
}

// E-mail notifications.

impl Handle for commands::MailSettings {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        mail::settings(store, actor).await
    }
}

impl Handle for commands::UpdateMailSettings {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        mail::update_settings(store, actor, now, &self.settings).await
    }
}

impl Handle for commands::EmailPreferences {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        mail::preferences(store, actor).await
    }
}

impl Handle for commands::SetEmailPreferences {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        mail::set_preferences(store, actor, self.preferences).await
    }
}

// Import.

impl Handle for commands::PreviewImport {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        import::preview(store, actor, now, &self.file).await
    }
}

impl Handle for commands::RunImport {
    /// Over the network there is no progress to show; the desktop's own store reports it
    /// (`import::run` with a callback, from the shell).
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        import::run(store, actor, now, &self.file, &|_| {}).await
    }
}

// Attachments.

impl Handle for commands::ListAttachments {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        attachments::list(store, actor, self.id).await
    }
}

impl Handle for commands::AttachmentData {
    /// A `data:` URL, so the webview is given the bytes and never a path into the store.
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        let image = attachments::image(store, actor, &store.files_dir(), self.id).await?;
        Ok(format!("data:{};base64,{}", image.media_type.mime(), STANDARD.encode(&image.bytes)))
    }
}

// Messages.

impl Handle for commands::ListMessages {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        messages::list(store, actor, now, self.id, self.before).await
    }
}

impl Handle for commands::PostMessage {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        messages::post(store, actor, now, &self.request).await
    }
}

impl Handle for commands::RetractMessage {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        messages::retract(store, actor, now, self.id).await
    }
}

impl Handle for commands::DirectThreads {
    async fn handle(self, store: &Store, actor: Actor, _now: DateTime<Utc>) -> Result<Self::Answer> {
        messages::direct_threads(store, actor).await
    }
}

impl Handle for commands::DirectMessages {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        messages::direct_messages(store, actor, now, self.tenant, self.before).await
    }
}

impl Handle for commands::PostDirectMessage {
    async fn handle(self, store: &Store, actor: Actor, now: DateTime<Utc>) -> Result<Self::Answer> {
        messages::post_direct(store, actor, now, &self.request).await
    }
}
