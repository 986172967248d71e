//! Every command of the desktop's API, declared once: its name, its arguments and its
//! answer. The Tauri handlers, the agency server's routes, the desktop's client and the
//! UI's `ipc::call` all take these declarations, so none of them can disagree on a name
//! or a shape.
//!
//! A command's struct holds exactly the named arguments the webview sends (`{"id": 5}`,
//! `{"request": {…}}`, `{}`): the JSON Tauri receives is the JSON the server receives.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A command: its arguments are the implementing struct, its answer `Answer`.
pub trait Command: Serialize + DeserializeOwned + Send + 'static {
    /// The name it is registered and sent under (snake_case, as the Tauri handler is named).
    const NAME: &'static str;
    type Answer: Serialize + DeserializeOwned + Send + 'static;
}

/// Generic work done once for each command's type (`commands::for_each`): what must reach
/// every command, such as the bench's API floor calling each one through the UI's `ipc`.
pub trait EachCommand {
    fn command<C: Command>(&mut self);
}

/// Declares each command's struct (its fields are the command's named arguments; unknown
/// ones are refused), its `impl Command`, `ALL`, the names of every one, and `for_each`.
macro_rules! declare_commands {
    ($(
        $(#[$doc:meta])*
        $name:ident => $Type:ident { $($field:ident: $field_type:ty),* $(,)? } -> $answer:ty;
    )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
            #[serde(deny_unknown_fields)]
            pub struct $Type {
                $(pub $field: $field_type,)*
            }

            impl $crate::command::Command for $Type {
                const NAME: &'static str = stringify!($name);
                type Answer = $answer;
            }
        )*

        /// The name of every command, as the shell registers them.
        pub const ALL: &[&str] = &[$(stringify!($name)),*];

        /// Does `each`'s work for every command's type, in the order of `ALL`.
        pub fn for_each(each: &mut impl $crate::command::EachCommand) {
            $(each.command::<$Type>();)*
        }
    };
}

/// The commands, each named as its snake_case name in CamelCase.
pub mod commands {
    use crate::api;
    use crate::attachment::AttachmentKind;
    use crate::ids::{
        AttachmentId, CategoryId, CertificateId, MessageId, PropertyId, QuoteId, ScheduleId, UserId, WorkOrderId,
    };
    use crate::lifecycle::Action;
    use crate::role::Role;

    declare_commands! {
        // The session: what to show first, signing in and out, first-run set-up.
        session => Session {} -> api::SessionStatus;
        sign_in => SignIn { request: api::SignIn } -> api::SignedIn;
        sign_out => SignOut {} -> ();
        change_password => ChangePassword { request: api::ChangePassword } -> api::SignedIn;
        set_up_agency => SetUpAgency { request: api::SetUpAgency } -> api::SignedIn;

        // Where the agency is: this computer's own store or an agency server.
        /// Which of the two this desktop uses now.
        connection => Connection {} -> api::Connection;
        /// First contact with a server: the fingerprint of its certificate, for the user
        /// to compare with the one the server printed. Nothing is trusted yet.
        check_server => CheckServer { address: String } -> api::ServerCertificate;
        /// Pins the accepted certificate and uses that server from now on.
        use_server => UseServer { address: String, fingerprint: String } -> api::SessionStatus;
        /// Uses this computer's own store from now on.
        use_this_computer => UseThisComputer {} -> api::SessionStatus;
        /// The About box: this desktop's version, the store's schema, the server's version.
        about => About {} -> api::About;

        // The bell.
        notifications => Notifications {} -> api::Notifications;
        /// Marks one of the signed-in user's notifications read.
        read_notification => ReadNotification { id: i64 } -> ();
        read_all_notifications => ReadAllNotifications {} -> ();
        set_desktop_notifications => SetDesktopNotifications { on: bool } -> ();
        /// Staff on duty are alerted at once, as critical, to every emergency.
        set_on_duty => SetOnDuty { on: bool } -> ();

        // The admin's user management.
        list_users => ListUsers { request: api::ListUsers } -> api::UserList;
        create_user => CreateUser { user: api::NewUser } -> api::TemporaryPassword;
        reset_password => ResetPassword { user: UserId } -> api::TemporaryPassword;
        unlock_user => UnlockUser { user: UserId } -> api::UserSummary;
        /// Deactivating ends every session of the user at once; reactivating lets them
        /// sign in again with the password they had.
        set_user_active => SetUserActive { user: UserId, active: bool } -> api::UserSummary;
        /// The admin audit log, newest first.
        list_admin_actions => ListAdminActions { request: api::ListAdminActions } -> api::AdminActionPage;

        // Work orders.
        list_work_orders => ListWorkOrders { request: api::ListWorkOrders } -> api::WorkOrderPage;
        get_work_order => GetWorkOrder { id: WorkOrderId } -> api::WorkOrderDetail;
        /// The order's history before `before` (the detail holds the newest page).
        work_order_history => WorkOrderHistory { id: WorkOrderId, before: api::TimelineCursor } -> api::TimelinePage;
        /// Takes a step; answers with the order as it now stands.
        act_on_work_order => ActOnWorkOrder { request: api::ActOnWorkOrder } -> api::WorkOrderDetail;
        submit_request => SubmitRequest { request: api::SubmitRequest } -> api::Submitted;
        suggest_contractors => SuggestContractors { id: WorkOrderId } -> Vec<api::ContractorChoice>;
        /// `Ok` if the signed-in user may take `action` now, else the core's reason why not.
        explain_action => ExplainAction { id: WorkOrderId, action: Action } -> ();

        // Quotes: staff ask contractors, who price from their desk; staff or the landlord approve.
        /// An order's quotes side by side (staff, and the order's landlord).
        order_quotes => OrderQuotes { id: WorkOrderId } -> api::OrderQuotes;
        ask_for_quotes => AskForQuotes { request: api::AskForQuotes } -> api::OrderQuotes;
        /// Approves a priced quote as the order's cost, or, above the landlord's limit,
        /// sends it to the landlord; the other contractors are told.
        approve_quote => ApproveQuote { id: QuoteId } -> api::OrderQuotes;
        /// The quotes the signed-in contractor was asked for, open ones first.
        quote_requests => QuoteRequests {} -> Vec<api::QuoteRequest>;
        submit_quote => SubmitQuote { quote: api::QuoteSubmission } -> api::QuoteRequest;
        decline_to_quote => DeclineToQuote { id: QuoteId, reason: String } -> api::QuoteRequest;

        // The staff desk.
        staff_dashboard => StaffDashboard {} -> api::StaffDashboard;
        triage_queue => TriageQueue {} -> api::TriageQueue;
        filter_options => FilterOptions {} -> api::FilterOptions;

        // Intake.
        search_tenancies => SearchTenancies { request: api::SearchTenancies } -> Vec<api::TenancyChoice>;
        // Finding anything from the palette.
        search => Search { request: api::Search } -> api::SearchResults;
        // How the agency performs (staff; a landlord's own).
        run_report => RunReport { request: api::ReportRequest } -> api::Report;
        intake_options => IntakeOptions {} -> Vec<api::CategoryOption>;

        // Payments and the other roles' dashboards.
        /// Records a closed job's payout; answers with the order as it now stands.
        record_payout => RecordPayout { request: api::RecordPayout } -> api::WorkOrderDetail;
        landlord_dashboard => LandlordDashboard {} -> api::LandlordDashboard;
        contractor_dashboard => ContractorDashboard {} -> api::ContractorDashboard;
        tenant_dashboard => TenantDashboard {} -> api::TenantDashboard;

        // The agency's records, kept by staff.
        list_properties => ListProperties { search: api::PropertySearch } -> api::PropertyList;
        get_property => GetProperty { id: PropertyId } -> api::PropertyDetail;
        /// Adds a property (no `id`) or changes one.
        save_property => SaveProperty { id: Option<PropertyId>, property: api::PropertyInput } -> api::PropertyDetail;
        /// Archiving hides a property from the lists and intake; it keeps its orders.
        set_property_archived => SetPropertyArchived { id: PropertyId, archived: bool } -> api::PropertyDetail;
        add_unit => AddUnit { property: PropertyId, label: String } -> api::PropertyDetail;
        add_tenancy => AddTenancy { tenancy: api::NewTenancy } -> api::PropertyDetail;
        /// Changes a tenancy's dates (ending it) or its access instructions.
        update_tenancy => UpdateTenancy { tenancy: api::TenancyUpdate } -> api::PropertyDetail;
        /// Active landlords or tenants, to name on a property or a tenancy.
        list_people => ListPeople { role: Role } -> Vec<api::PersonOption>;
        list_contractors => ListContractors {} -> Vec<api::ContractorProfile>;
        update_contractor => UpdateContractor { id: UserId, details: api::ContractorDetails } -> api::ContractorProfile;
        list_landlords => ListLandlords {} -> Vec<api::LandlordRecord>;
        set_landlord_rules => SetLandlordRules { id: UserId, rules: api::LandlordRules } -> api::LandlordRecord;
        // Planned maintenance, kept by staff.
        /// One property's schedules, or the agency's, soonest due first.
        list_schedules => ListSchedules { request: api::ListSchedules } -> Vec<api::ScheduleSummary>;
        get_schedule => GetSchedule { id: ScheduleId } -> api::ScheduleDetail;
        add_schedule => AddSchedule { schedule: api::ScheduleInput } -> api::ScheduleDetail;
        /// A paused schedule raises nothing; resuming skips what fell while it was paused.
        set_schedule_paused => SetSchedulePaused { id: ScheduleId, paused: bool } -> api::ScheduleDetail;
        // Compliance certificates: staff record them; landlords see their properties'.
        /// A property's certificates (its history too), or every current one the user may
        /// see, soonest to run out first.
        list_certificates => ListCertificates { request: api::ListCertificates } -> Vec<api::Certificate>;
        record_certificate => RecordCertificate { certificate: api::CertificateInput } -> api::Certificate;
        /// Opens the native file dialog for a certificate's file (a PDF or a photo of
        /// it), held on this computer until `AttachCertificateFile`.
        choose_certificate_file => ChooseCertificateFile {} -> Option<api::ChosenFile>;
        /// Keeps the held file as the certificate's (staff), replacing any before it.
        attach_certificate_file => AttachCertificateFile { id: CertificateId, token: u64 } -> api::Certificate;
        /// Opens the certificate's file in the app this computer's OS uses for it.
        open_certificate_file => OpenCertificateFile { id: CertificateId } -> ();
        /// What a new agency has still to set up (the first-run checklist).
        setup_checklist => SetupChecklist {} -> api::SetupChecklist;

        // The agency's settings (an admin changes them; each change is recorded).
        agency_rules => AgencyRules {} -> api::AgencyRules;
        update_agency_rules => UpdateAgencyRules { rules: api::AgencyRules } -> api::AgencyRules;
        settings_history => SettingsHistory {} -> Vec<api::SettingChange>;
        /// Every category and sub-category, categories first, in the agency's order.
        list_categories => ListCategories {} -> Vec<api::CategoryRecord>;
        /// Adds a category (no `id`) or changes one; answers with them all.
        save_category => SaveCategory { id: Option<CategoryId>, category: api::CategoryInput } -> Vec<api::CategoryRecord>;

        // E-mail notifications: the agency's SMTP server (an admin sets it), each user's
        // choice of what reaches them by e-mail.
        mail_settings => MailSettings {} -> api::MailSettings;
        update_mail_settings => UpdateMailSettings { settings: api::MailSettings } -> api::MailSettings;
        /// Keeps the SMTP password in the OS keyring of the machine that sends (this
        /// computer on its own store, else the agency server's); never in the database.
        set_smtp_password => SetSmtpPassword { password: String } -> ();
        /// Sends a message to the signed-in staff member's own address now, through the
        /// saved settings: the SMTP server's own error if it fails.
        send_test_email => SendTestEmail {} -> api::TestEmailSent;
        email_preferences => EmailPreferences {} -> api::EmailPreferences;
        set_email_preferences => SetEmailPreferences { preferences: api::EmailPreferences } -> api::EmailPreferences;

        // Import from CSV (an admin).
        /// Opens the native file dialog on this computer and reads the chosen file.
        pick_import_file => PickImportFile {} -> Option<api::ImportFile>;
        /// What importing the file would add and reject; nothing is stored.
        preview_import => PreviewImport { file: api::ImportFile } -> api::ImportReport;
        run_import => RunImport { file: api::ImportFile } -> api::ImportReport;
        /// Saves the rejected rows as CSV where the user chooses (native save dialog):
        /// the path written, or none if they cancelled.
        save_import_report => SaveImportReport { report: api::ImportReport } -> Option<String>;
        /// The list, with its filter and sort, to a CSV file the user chooses (this
        /// computer's). Its progress is told as `api::EXPORT_PROGRESS_EVENT`s.
        export_work_orders => ExportWorkOrders { filter: api::WorkOrderFilter, sort: api::ListSort } -> Option<String>;
        /// A report's table to a CSV file the user chooses (this computer's).
        export_report => ExportReport { request: api::ReportRequest } -> Option<String>;
        /// An order's one-page summary to a PDF the user chooses (this computer's).
        export_work_order_pdf => ExportWorkOrderPdf { id: WorkOrderId } -> Option<String>;
        /// Everything about an order the user may see, photos embedded, to a PDF they
        /// choose; staff may include the internal notes. Its progress is told as
        /// `api::EXPORT_PROGRESS_EVENT`s.
        export_evidence_pack => ExportEvidencePack { id: WorkOrderId, internal_notes: bool } -> Option<String>;
        /// Stops the list or the evidence pack being prepared; nothing is saved.
        cancel_export => CancelExport {} -> ();

        // Attachments.
        /// Opens the native file dialog on this computer and attaches what was chosen.
        pick_and_attach => PickAndAttach { id: WorkOrderId, kind: AttachmentKind } -> Vec<api::Attachment>;
        list_attachments => ListAttachments { id: WorkOrderId } -> Vec<api::Attachment>;
        /// An image as a `data:` URL: the webview is given the bytes, never a path.
        attachment_data => AttachmentData { id: AttachmentId } -> String;
        /// Opens the file in the app this computer's OS uses for it.
        open_attachment => OpenAttachment { id: AttachmentId } -> ();
        /// Opens the native file dialog for photos of a request not yet sent; each is
        /// held on this computer until `AttachChosen` (or forgotten with the form).
        choose_photos => ChoosePhotos {} -> Vec<api::ChosenFile>;
        /// Attaches files held by `ChoosePhotos` to the order (as "before" photos).
        attach_chosen => AttachChosen { id: WorkOrderId, tokens: Vec<u64> } -> Vec<api::Attachment>;
        /// Opens the order's address on a map in this computer's browser.
        open_map => OpenMap { id: WorkOrderId } -> ();

        // Messages.
        /// An order's thread, its newest page (opening it marks it read), or the page
        /// before the message `before`.
        list_messages => ListMessages { id: WorkOrderId, before: Option<MessageId> } -> api::MessageThread;
        post_message => PostMessage { request: api::PostMessage } -> api::Message;
        /// Retracts the signed-in user's own message within `message::RETRACT_WINDOW_MINUTES`
        /// of sending; kept (the agency still reads it), shown to others as retracted.
        retract_message => RetractMessage { id: MessageId } -> api::Message;
        direct_threads => DirectThreads {} -> Vec<api::DirectThread>;
        /// A tenant's direct thread (paged as `ListMessages`); a tenant leaves `tenant` empty
        /// for their own.
        direct_messages => DirectMessages { tenant: Option<UserId>, before: Option<MessageId> } -> api::MessageThread;
        post_direct_message => PostDirectMessage { request: api::PostDirectMessage } -> api::Message;

        // Backup and restore.
        /// The admin's Backup page: the daily schedule and the last backup.
        backup_status => BackupStatus {} -> api::BackupStatus;
        /// Opens the native save dialog and writes one archive there; `None` if cancelled.
        back_up_now => BackUpNow {} -> Option<api::BackupSummary>;
        /// Opens the native folder dialog and takes a backup there every day, keeping the
        /// newest `keep`; cancelling leaves the schedule as it was.
        schedule_backups => ScheduleBackups { keep: u32 } -> api::BackupStatus;
        /// Changes how many daily backups are kept (the oldest beyond it are removed).
        set_backups_kept => SetBackupsKept { keep: u32 } -> api::BackupStatus;
        stop_scheduled_backups => StopScheduledBackups {} -> api::BackupStatus;
        /// Opens the native file dialog, checks the chosen backup and unpacks it beside the
        /// store; nothing is switched until `confirm_restore`. `None` if cancelled.
        choose_restore => ChooseRestore {} -> Option<api::RestorePreview>;
        /// The file name of the backup Plumbline was opened with (double-clicked in the
        /// file manager), while it waits to be looked at; `None` otherwise.
        opened_backup => OpenedBackup {} -> Option<String>;
        /// As `choose_restore`, for the backup Plumbline was opened with instead of one
        /// chosen in the dialog; `None` if there is none (any longer).
        restore_opened_backup => RestoreOpenedBackup {} -> Option<api::RestorePreview>;
        /// Switches this computer to the unpacked backup, keeping the old store aside;
        /// everyone signs in again.
        confirm_restore => ConfirmRestore {} -> api::SessionStatus;
        /// Removes the unpacked backup; nothing changes.
        cancel_restore => CancelRestore {} -> ();
    }
}

#[cfg(test)]
mod tests {
    use super::Command;
    use super::commands::{self, ALL};
    use std::collections::BTreeSet;

    #[test]
    fn every_command_has_its_own_name() {
        let unique: BTreeSet<_> = ALL.iter().collect();
        assert_eq!(unique.len(), ALL.len(), "a name is declared twice in {ALL:?}");
        assert_eq!(ALL.len(), 110);
    }

    #[test]
    fn for_each_reaches_every_command_in_the_order_of_all() {
        struct Names(Vec<&'static str>);
        impl super::EachCommand for Names {
            fn command<C: Command>(&mut self) {
                self.0.push(C::NAME);
            }
        }
        let mut names = Names(Vec::new());
        commands::for_each(&mut names);
        assert_eq!(names.0, ALL);
    }

    #[test]
    fn a_command_is_named_as_registered() {
        assert_eq!(commands::GetWorkOrder::NAME, "get_work_order");
        assert_eq!(commands::SetUpAgency::NAME, "set_up_agency");
    }

    #[test]
    fn arguments_are_the_json_the_webview_sends() {
        let id = crate::WorkOrderId(5);
        assert_eq!(serde_json::to_string(&commands::GetWorkOrder { id }).unwrap(), r#"{"id":5}"#);
        assert_eq!(serde_json::to_string(&commands::StaffDashboard {}).unwrap(), "{}");
        let direct = commands::DirectMessages { tenant: None, before: None };
        assert_eq!(serde_json::to_string(&direct).unwrap(), r#"{"tenant":null,"before":null}"#);
        // A cursor left out is the newest page.
        assert_eq!(serde_json::from_str::<commands::ListMessages>(r#"{"id":5}"#).unwrap().before, None);
    }

    #[test]
    fn unknown_or_missing_arguments_are_refused() {
        assert!(serde_json::from_str::<commands::StaffDashboard>(r#"{"id":5}"#).is_err());
        assert!(serde_json::from_str::<commands::GetWorkOrder>("{}").is_err());
        assert!(serde_json::from_str::<commands::GetWorkOrder>(r#"{"id":5,"extra":1}"#).is_err());
        assert!(serde_json::from_str::<commands::StaffDashboard>("{}").is_ok());
    }

    #[test]
    fn a_request_refuses_unknown_fields_and_negative_money_inside_too() {
        use crate::api::{PostMessage, Step};
        let step = |json: &str| serde_json::from_str::<Step>(json);
        assert!(step(r#"{"action":"RequestApproval","estimate_minor":100}"#).is_ok());
        assert!(step(r#"{"action":"Accept"}"#).is_ok());
        assert!(step(r#"{"action":"RequestApproval","estimate_minor":-1}"#).is_err());
        assert!(step(r#"{"action":"RequestApproval","estimate_minor":100,"note":"x"}"#).is_err());
        assert!(serde_json::from_str::<PostMessage>(r#"{"id":1,"body":"Hi","internal":false,"to":2}"#).is_err());
    }
}
