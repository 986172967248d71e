//! The IPC contract: the commands' argument and answer types, and the error shape.
//! Shared by the Tauri commands, the agency server and the Yew `ipc` module so they
//! cannot drift; each command itself is declared once in [`crate::command`].
//!
//! What a caller sends refuses fields it does not know (`deny_unknown_fields`): a
//! misspelt or stale field is an error, never silently dropped.

use crate::account::AdminAction;
use crate::attachment::{AttachmentKind, MediaType};
use crate::ids::{AttachmentId, CategoryId, MessageId, PropertyId, Reference, UserId, WorkOrderId};
use crate::lifecycle::{Action, State};
use crate::money::{MoneyMinor, MoneySum};
use crate::payment::PaymentStatus;
use crate::priority::{Priority, Severity};
use crate::role::{Party, Role};
use crate::sla::SlaStatus;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Every command: its name, arguments and answer (declared in [`crate::command`]).
pub use crate::command::commands;

mod field;
pub use field::Field;

/// The change feed's events (`GET /api/v1/changes`).
pub use crate::change::{Change, ChangeKind, ChangeSubject};

mod live;
pub use live::LiveConnection;

mod records;
pub use records::*;

mod import;
pub use import::*;

mod search;
pub use search::*;

mod reports;
pub use reports::*;

mod planned;
pub use planned::*;

mod compliance;
pub use compliance::*;

mod quotes;
pub use quotes::*;

mod settings;
pub use settings::*;

mod mail;
pub use mail::*;

mod backup;
pub use backup::{
    BackupCounts, BackupFailure, BackupSchedule, BackupStatus, BackupSummary, DEFAULT_BACKUPS_KEPT, MAX_BACKUPS_KEPT,
    RestorePreview,
};

/// What the UI branches on; the message is for the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No one is signed in (or the session ended): the UI shows the sign-in screen.
    NotSignedIn,
    NotFound,
    NotAllowed,
    InvalidTransition,
    Validation,
    Conflict,
    Internal,
    /// The UI could not reach the backend or read its answer.
    Ipc,
}

/// The error every command returns: `{code, message, field}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    /// For validation errors: the input field at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub agency: String,
    /// The agency's currency (ISO 4217): how amounts are written.
    pub currency: String,
}

/// What the app should show before anything else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionStatus {
    SignedIn(SignedIn),
    /// The sign-in screen; on the demo agency, with one account per role to try.
    SignedOut {
        demo_accounts: Vec<DemoAccount>,
    },
    /// A store with no users yet: create the agency and its first admin.
    SetupNeeded,
}

/// Where this desktop's agency is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Connection {
    /// The store on this computer.
    ThisComputer,
    /// An agency server, trusted by the fingerprint of its certificate.
    Server { address: String, fingerprint: String },
}

/// What the About box shows, for a support call or a bug report: which Plumbline this is
/// and which store it works on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct About {
    /// This desktop's version (`plumbline --version`).
    pub version: String,
    /// The last change the store's schema has (its newest migration): this computer's
    /// store, or the agency server's.
    pub schema_version: i64,
    /// The agency server this desktop works on, when it does.
    pub server: Option<ServerAbout>,
}

/// The agency server as the About box shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerAbout {
    /// `https://host:port`.
    pub address: String,
    /// The server's own version: it may be updated apart from the desktops.
    pub version: String,
}

/// The agency server's answer to `GET /healthz`: whether its database answers, and
/// (when it does) the server's version and its store's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerHealth {
    /// `ok`, or `unavailable` when the database does not answer.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<i64>,
}

/// An agency server's certificate on first contact, before it is trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerCertificate {
    /// The address as it will be used: `https://host:port`.
    pub address: String,
    /// SHA-256 of the certificate, `AB:CD:…`, as the server prints it.
    pub fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub user: CurrentUser,
    /// Signed in with a temporary password from an admin: choose a new one first.
    pub must_change_password: bool,
    /// "Remember me" was asked for but the OS keyring could not keep it: why.
    pub keyring_problem: Option<String>,
    /// The agency's idle time: the window signs out after this long without a key
    /// pressed or the pointer used.
    pub idle_sign_out_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub role: Role,
    pub name: String,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub email: String,
    pub password: String,
    pub remember: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current: String,
    pub new: String,
}

/// First run on an empty store: the agency and its first admin, who is then signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetUpAgency {
    pub agency: String,
    pub name: String,
    pub email: String,
    pub password: String,
}

/// An admin invites someone: they sign in with a temporary password and choose their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub role: Role,
    /// Contractors only: the company the work orders are addressed to.
    pub company: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountStatus {
    Active,
    /// Has a temporary password they have not yet replaced.
    Invited,
    /// On record (added with a property or imported) but never given a password: they
    /// cannot sign in until an admin sends them a temporary one.
    NoPassword,
    Locked {
        minutes: i64,
    },
    /// Cannot sign in until an admin reactivates the account.
    Deactivated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub status: AccountStatus,
}

/// Shown to the admin once, to pass on; only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemporaryPassword {
    pub user: UserSummary,
    pub password: String,
}

/// One entry under the bell: what happened to which order, for this user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationItem {
    pub id: i64,
    pub order: Option<WorkOrderId>,
    pub title: String,
    pub body: String,
    pub at: DateTime<Utc>,
    pub read: bool,
    /// An emergency for an on-duty staff member: shown as a critical desktop notification.
    #[serde(default)]
    pub urgent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    /// The newest first, at most `MAX_LISTED_NOTIFICATIONS`.
    pub items: Vec<NotificationItem>,
    pub unread: u64,
    /// Whether new ones also raise a desktop notification.
    pub desktop: bool,
    /// For staff: whether they are on duty, alerted at once to every emergency.
    #[serde(default)]
    pub on_duty: Option<bool>,
}

pub const MAX_LISTED_NOTIFICATIONS: u32 = 30;

/// A notification raised on the user's screen: the desktop's own, or the browser's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Popup {
    pub title: String,
    pub body: String,
    /// An emergency for someone on duty: it stays until seen to.
    pub urgent: bool,
}

/// More new notifications at once than this become one summary, not a burst of pop-ups.
pub const MAX_POPUPS: usize = 3;

impl Notifications {
    /// What to raise, oldest first, for the items newer than `seen` (those up to it are
    /// in the bell already): each emergency for someone on duty, even with the others
    /// off; the others while the user keeps them on (`desktop`), more than
    /// [`MAX_POPUPS`] at once as one summary of the latest.
    pub fn popups_after(&self, seen: i64) -> Vec<Popup> {
        let mut new: Vec<&NotificationItem> = self.items.iter().filter(|item| item.id > seen).collect();
        new.sort_by_key(|item| item.id);
        let (urgent, ordinary): (Vec<_>, Vec<_>) = new.into_iter().partition(|item| item.urgent);
        let urgent =
            urgent.into_iter().map(|item| Popup { title: item.title.clone(), body: item.body.clone(), urgent: true });
        let ordinary = if self.desktop { ordinary } else { Vec::new() };
        let summarised = ordinary.len() > MAX_POPUPS;
        let shown = if summarised { &ordinary[ordinary.len() - 1..] } else { &ordinary[..] };
        let ordinary = shown.iter().map(|item| Popup {
            title: match summarised {
                true => format!("{} new updates in Plumbline; the latest: {}", ordinary.len(), item.title),
                false => item.title.clone(),
            },
            body: item.body.clone(),
            urgent: false,
        });
        urgent.chain(ordinary).collect()
    }

    /// Where the next [`Notifications::popups_after`] begins once these are seen: the
    /// newest id among them and `seen`.
    pub fn newest_seen(&self, seen: i64) -> i64 {
        self.items.iter().map(|item| item.id).fold(seen, i64::max)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserList {
    /// The first `MAX_LISTED_USERS` matches, agency first, then by role and name.
    pub users: Vec<UserSummary>,
    pub total: u64,
}

pub const MAX_LISTED_USERS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListUsers {
    /// Words that must each appear in the name or e-mail; empty lists everyone.
    pub search: String,
}

/// A page of the admin audit log, newest first: `before` is the `id` of the oldest entry
/// already shown (none for the first page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListAdminActions {
    #[serde(default)]
    pub before: Option<i64>,
}

pub const ADMIN_ACTIONS_PAGE: usize = 50;

/// One entry of the admin audit log: who did what to whom, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminActionEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub admin: String,
    pub action: AdminAction,
    pub user: String,
    pub user_email: String,
    /// E.g. the role a user was invited as.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminActionPage {
    pub entries: Vec<AdminActionEntry>,
    /// Whether older entries exist.
    pub more: bool,
}

/// Which orders a list shows. Every field narrows; the default shows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkOrderFilter {
    /// Empty means every state.
    #[serde(default)]
    pub states: Vec<State>,
    #[serde(default)]
    pub priority: Option<Priority>,
    /// A top-level category.
    #[serde(default)]
    pub category: Option<CategoryId>,
    /// Part of the property's street or postcode, any case.
    #[serde(default)]
    pub property: Option<String>,
    #[serde(default)]
    pub landlord: Option<UserId>,
    #[serde(default)]
    pub contractor: Option<ContractorFilter>,
    /// The SLA badge the list shows (`sla::order_status`).
    #[serde(default)]
    pub sla: Option<SlaStatus>,
    #[serde(default)]
    pub opened: Option<TimeRange>,
    /// Orders with an appointment starting in this range.
    #[serde(default)]
    pub appointment: Option<TimeRange>,
    /// One property, as a landlord picks it from their own.
    #[serde(default)]
    pub property_id: Option<PropertyId>,
    /// Orders marked completed in this range (and not reopened since).
    #[serde(default)]
    pub completed: Option<TimeRange>,
    /// Empty means any payment status, or none.
    #[serde(default)]
    pub payment: Vec<PaymentStatus>,
    /// Orders whose payout is dated in this range.
    #[serde(default)]
    pub paid: Option<TimeRange>,
    /// Words in the order's text (reference, address, people, issue, messages), each as
    /// the start of a word: "boil okaf" finds Mrs Okafor's boiler.
    #[serde(default)]
    pub text: Option<String>,
}

impl WorkOrderFilter {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractorFilter {
    Unassigned,
    Assigned(UserId),
}

/// A half-open range of instants: `from <= t < until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeRange {
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// The list's columns, each sortable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortColumn {
    Reference,
    Property,
    Issue,
    Priority,
    State,
    /// By resolve-due time.
    Sla,
    Contractor,
    Opened,
}

impl SortColumn {
    /// The direction a first click sorts in: what a manager most often wants on top
    /// (the newest, or the most urgent). Ties fall in the same direction: newest first.
    pub fn natural_descending(self) -> bool {
        matches!(self, SortColumn::Opened | SortColumn::Reference | SortColumn::Priority)
    }
}

/// A column of the work-order list: one the store sorts by, or the cost (shown, not
/// sorted), with its heading. The screen and its CSV export take the same ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListColumn {
    Sorted(SortColumn, &'static str),
    Cost(&'static str),
}

/// Each reader's columns. A tenant has no SLA (the agency's clock) and no costs; a
/// contractor sees their invoice instead of their own company on every row; a landlord
/// sees what each job cost them.
pub fn list_columns(viewer: crate::role::Role) -> Vec<ListColumn> {
    use crate::role::Role;
    use ListColumn::{Cost, Sorted};
    let mut columns = vec![
        Sorted(SortColumn::Reference, "Reference"),
        Sorted(SortColumn::Property, "Property"),
        Sorted(SortColumn::Issue, "Issue"),
        Sorted(SortColumn::Priority, "Priority"),
        Sorted(SortColumn::State, "Status"),
    ];
    match viewer {
        Role::Staff | Role::Admin => {
            columns.extend([Sorted(SortColumn::Sla, "SLA"), Sorted(SortColumn::Contractor, "Contractor")]);
        }
        Role::Landlord => {
            columns.extend([
                Sorted(SortColumn::Sla, "SLA"),
                Sorted(SortColumn::Contractor, "Contractor"),
                Cost("Cost"),
            ]);
        }
        Role::Contractor => columns.extend([Sorted(SortColumn::Sla, "SLA"), Cost("Invoice")]),
        Role::Tenant => columns.push(Sorted(SortColumn::Contractor, "Contractor")),
    }
    columns.push(Sorted(SortColumn::Opened, "Age"));
    columns
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListSort {
    pub column: SortColumn,
    pub descending: bool,
}

impl Default for ListSort {
    /// Newest first.
    fn default() -> Self {
        Self { column: SortColumn::Opened, descending: true }
    }
}

/// The sort column's value on a page's last row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Int(i64),
    Text(String),
}

/// Keyset position: the last row of the previous page, in the list's sort order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListCursor {
    pub key: SortKey,
    pub id: WorkOrderId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListWorkOrders {
    #[serde(default)]
    pub filter: WorkOrderFilter,
    #[serde(default)]
    pub sort: ListSort,
    #[serde(default)]
    pub after: Option<ListCursor>,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOrderRow {
    pub id: WorkOrderId,
    pub reference: Reference,
    pub property: String,
    pub unit: String,
    pub category: String,
    pub subcategory: String,
    pub priority: Priority,
    pub state: State,
    pub opened_at: DateTime<Utc>,
    pub sla: SlaStatus,
    pub contractor: Option<String>,
    /// The contractor's invoice, once the work is done; never shown to a tenant.
    pub cost: Option<MoneyMinor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOrderPage {
    pub rows: Vec<WorkOrderRow>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<ListCursor>,
    /// How many orders match the filter in all; counted for the first page only.
    pub total: Option<u64>,
    /// Words of the filter's search text read as others ("okafr" as "okafor"); said
    /// only when something was found.
    #[serde(default)]
    pub corrected: Vec<Correction>,
}

/// The event a long export's progress is told on (the list's pages, an evidence pack's
/// steps) while it is prepared.
pub const EXPORT_PROGRESS_EVENT: &str = "plumbline://export-progress";

/// How far an export has got: "Read 1,500 of 100,000 orders", "Adding attachment 3 of 12".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportProgress {
    pub step: String,
}

/// Gate and lockbox codes are `None` unless the viewer may see them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessInstructions {
    pub gate_code: Option<String>,
    pub lockbox_code: Option<String>,
    pub pets: String,
    pub best_contact: String,
    pub preferred_times: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// What happened, as a person reads it: "Submitted", "Mark completed", "Payout recorded".
    pub what: String,
    pub actor: String,
    pub actor_role: Option<Role>,
    pub action: Option<Action>,
    pub from: Option<State>,
    pub to: Option<State>,
    pub note: String,
}

/// How many history entries an order's page gives: the newest with the order, then each
/// earlier page on asking ("Show earlier history").
pub const TIMELINE_PAGE: usize = 50;

/// A place in an order's history, (time, event id): the entries before it, newest first,
/// are the next page back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineCursor {
    pub at: DateTime<Utc>,
    pub event: i64,
}

/// A page of an order's history before a cursor, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinePage {
    pub entries: Vec<TimelineEntry>,
    /// The cursor for the page before this one; `None`: this page starts the history.
    pub earlier: Option<TimelineCursor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOrderDetail {
    pub row: WorkOrderRow,
    /// What the viewer is to this order: each party's screen speaks to them.
    pub viewer: Party,
    pub version: i64,
    pub description: String,
    pub severity: Severity,
    pub triage_reason: String,
    pub tenant: Option<String>,
    pub tenant_phone: Option<String>,
    pub landlord: String,
    /// The property's full postal address ("116 Harbour Walk, Bristol BS1 4QA").
    pub address: String,
    pub access: AccessInstructions,
    pub respond_by: DateTime<Utc>,
    pub resolve_by: DateTime<Utc>,
    /// When each clock stopped, if it has.
    pub responded_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub estimate_minor: Option<MoneyMinor>,
    /// The cost the landlord (or staff for them) approved, once approved.
    #[serde(default)]
    pub approved_minor: Option<MoneyMinor>,
    pub appointment: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The newest `TIMELINE_PAGE` entries of the history, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Where the entries before `timeline` start (`WorkOrderHistory`); `None`: it is all.
    #[serde(default)]
    pub earlier_history: Option<TimelineCursor>,
    /// What the viewer may do now; the UI shows exactly these.
    pub allowed_actions: Vec<Action>,
    /// The contractor's payment, for staff and that contractor once something is owed.
    #[serde(default)]
    pub payment: Option<Payment>,
    /// How far an invoice may go, for whoever may complete the order now (staff and the
    /// assigned contractor): the completion form says so before it is sent.
    #[serde(default)]
    pub invoice_ceiling: Option<crate::approval::InvoiceCeiling>,
    /// Earlier faults of the same kind at this unit that the viewer may see, if any.
    #[serde(default)]
    pub repeat: Option<RepeatFault>,
    /// Raised by a planned-maintenance schedule, for the occurrence it names.
    #[serde(default)]
    pub planned: Option<PlannedMark>,
}

/// The same kind of fault at the same unit again (`domain::repeat`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatFault {
    /// "3rd plumbing request at this unit in 6 months"
    pub headline: String,
    /// Newest first.
    pub earlier: Vec<EarlierOrder>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierOrder {
    pub id: WorkOrderId,
    pub subcategory: String,
    pub opened_at: DateTime<Utc>,
    pub state: State,
}

/// A step on an order, with what that step needs. `version` is the order's version the
/// user saw: if someone changed it meanwhile, the step is refused as a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActOnWorkOrder {
    pub id: WorkOrderId,
    pub version: i64,
    pub step: Step,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", deny_unknown_fields)]
pub enum Step {
    SetPriority {
        priority: Priority,
        reason: String,
    },
    /// Staff record an estimate; the landlord's thresholds decide whether it needs approval.
    RequestApproval {
        estimate_minor: MoneyMinor,
    },
    Approve {
        note: String,
    },
    /// The landlord's "no" to this estimate, and why: kept on the order for staff.
    DeclineEstimate {
        reason: String,
    },
    Reject {
        reason: String,
    },
    Assign {
        contractor: UserId,
    },
    Reassign {
        contractor: UserId,
        reason: String,
    },
    Decline {
        reason: String,
    },
    Accept,
    Schedule {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    RequestReschedule {
        note: String,
    },
    Start,
    /// The work is done and invoiced. An invoice past the agreed cost's tolerance
    /// (`WorkOrderDetail::invoice_ceiling`) is recorded only by staff approving the
    /// overrun, with why (kept in the history).
    Complete {
        notes: String,
        invoice_minor: MoneyMinor,
        #[serde(default)]
        approve_overrun: Option<String>,
    },
    Reopen {
        reason: String,
    },
    ReportNotDone {
        report: String,
    },
    ConfirmDone,
    Close {
        note: String,
    },
    Cancel {
        reason: String,
    },
    Rate {
        stars: u8,
        comment: String,
    },
}

impl Step {
    /// The lifecycle action this step takes.
    pub fn action(&self) -> Action {
        match self {
            Step::SetPriority { .. } => Action::SetPriority,
            Step::RequestApproval { .. } => Action::RequestApproval,
            Step::Approve { .. } => Action::Approve,
            Step::DeclineEstimate { .. } => Action::DeclineEstimate,
            Step::Reject { .. } => Action::Reject,
            Step::Assign { .. } => Action::Assign,
            Step::Reassign { .. } => Action::Reassign,
            Step::Decline { .. } => Action::Decline,
            Step::Accept => Action::Accept,
            Step::Schedule { .. } => Action::Schedule,
            Step::RequestReschedule { .. } => Action::RequestReschedule,
            Step::Start => Action::Start,
            Step::Complete { .. } => Action::Complete,
            Step::Reopen { .. } => Action::Reopen,
            Step::ReportNotDone { .. } => Action::ReportNotDone,
            Step::ConfirmDone => Action::ConfirmDone,
            Step::Close { .. } => Action::Close,
            Step::Cancel { .. } => Action::Cancel,
            Step::Rate { .. } => Action::Rate,
        }
    }
}

/// The longest request description, in characters (the form counts down to it).
pub const MAX_DESCRIPTION_CHARS: usize = 5000;
/// The longest value of each access-instruction field, in characters.
pub const MAX_ACCESS_CHARS: usize = 200;

/// A new repair request, from the tenant or from staff taking a phone call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    pub tenancy: crate::ids::TenancyId,
    /// A sub-category (e.g. Boiler under HVAC / Heating).
    pub subcategory: CategoryId,
    pub severity: Severity,
    pub description: String,
    /// `None` takes the tenancy's stored instructions.
    #[serde(default)]
    pub access: Option<AccessInstructions>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    pub id: WorkOrderId,
    pub reference: Reference,
    pub priority: Priority,
    pub triage_reason: String,
    /// For an emergency: the agency's after-hours contact, if it has one.
    pub emergency_contact: Option<String>,
    /// When the agency will have responded by (the response clock's due time).
    pub respond_by: DateTime<Utc>,
    /// For an emergency: what to do until help arrives (the category's safety tips).
    pub meanwhile: String,
}

/// Tenancies matching what was typed so far (tenant, street, postcode or unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchTenancies {
    pub query: String,
    pub limit: u32,
}

/// A current tenancy as offered when raising a request for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenancyChoice {
    pub id: crate::ids::TenancyId,
    pub tenant: String,
    /// "12 Quay Street, Bristol BS1 4AB"
    pub address: String,
    pub unit: String,
    /// The tenancy's stored instructions, the starting point of a new request's.
    pub access: AccessInstructions,
}

/// A top-level category and the sub-categories a request is filed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryOption {
    pub id: crate::ids::CategoryId,
    pub name: String,
    pub subcategories: Vec<SubcategoryOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubcategoryOption {
    pub id: crate::ids::CategoryId,
    pub name: String,
    /// What to try before booking a visit; empty when there is nothing to suggest.
    pub tips: String,
    pub default_priority: Priority,
}

/// One line of a Recent Activity feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityItem {
    pub id: WorkOrderId,
    pub reference: Reference,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// Who did what to which order, and its note: "Priya Shah assigned Jones Plumbing
    /// to PL-000316".
    pub summary: String,
}

/// A contractor as offered for a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractorChoice {
    pub id: UserId,
    pub company: String,
    pub preferred: bool,
    pub covers_category: bool,
    pub open_jobs: i64,
    /// Why this contractor cannot be assigned now, if they cannot.
    pub blocked: Option<String>,
}

/// A count on a dashboard and the list filter that shows exactly those orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardCount {
    pub label: String,
    pub count: u64,
    pub filter: WorkOrderFilter,
}

/// An appointment on the staff dashboard's "Today" panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentItem {
    pub id: WorkOrderId,
    pub reference: Reference,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub property: String,
    pub unit: String,
    pub subcategory: String,
    pub contractor: Option<String>,
    pub state: State,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDashboard {
    /// Pending, In progress, New, Awaiting approval, Scheduled today.
    pub workload: Vec<DashboardCount>,
    /// SLA at risk, SLA breached, unassigned emergencies.
    pub alerts: Vec<DashboardCount>,
    /// Open orders by priority, most urgent first.
    pub by_priority: Vec<DashboardCount>,
    /// Every state, in lifecycle order.
    pub by_state: Vec<DashboardCount>,
    pub todays_appointments: Vec<AppointmentItem>,
    pub activity: Vec<ActivityItem>,
}

/// A row of the triage queue: why it has its priority and when a response is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageItem {
    pub row: WorkOrderRow,
    pub severity: Severity,
    pub triage_reason: String,
    pub respond_by: DateTime<Utc>,
    /// The oldest other open order on the same unit for the same kind of fault: likely
    /// the same problem reported twice.
    #[serde(default)]
    pub likely_duplicate_of: Option<WorkOrderId>,
    /// Earlier faults of the same kind at this unit in the repeat window (`domain::repeat`).
    #[serde(default)]
    pub earlier_faults: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageQueue {
    /// Emergencies first, then by response due.
    pub items: Vec<TriageItem>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named<T> {
    pub id: T,
    pub name: String,
}

/// What the list's filter menus offer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterOptions {
    pub categories: Vec<Named<CategoryId>>,
    pub landlords: Vec<Named<UserId>>,
    pub contractors: Vec<Named<UserId>>,
    /// A landlord's own properties; empty for everyone else.
    #[serde(default)]
    pub properties: Vec<Named<PropertyId>>,
}

// Payouts, and the landlord's, contractor's and tenant's dashboards.

/// The longest payout reference (a bank or remittance reference), in characters.
pub const MAX_PAYOUT_REFERENCE_CHARS: usize = 60;

/// Staff record that a closed job's invoice was paid. The amount is the invoice's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordPayout {
    pub id: WorkOrderId,
    /// "BACS-0042": how the payment can be found in the agency's books.
    pub reference: String,
    /// The day it was paid, in the agency's calendar.
    pub paid_on: NaiveDate,
}

/// Where an order's payment to its contractor stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub status: PaymentStatus,
    /// The invoice amount, or once paid the amount paid.
    pub amount_minor: MoneyMinor,
    pub paid_on: Option<NaiveDate>,
    pub reference: Option<String>,
    /// The viewer may record the payout now.
    pub may_record_payout: bool,
}

/// A file chosen on this computer before its order exists (photos on the New request
/// form): the page holds the token and the name, never the file's path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChosenFile {
    pub token: u64,
    pub name: String,
    pub size_bytes: u64,
}

/// A file attached to an order, as its parties see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: AttachmentId,
    pub kind: AttachmentKind,
    /// The name it was given (base name only), for showing; never a path.
    pub file_name: String,
    /// From the content, not the name.
    pub media_type: MediaType,
    pub size_bytes: i64,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

/// A sum of money over the orders a count lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardAmount {
    pub count: DashboardCount,
    pub total_minor: MoneySum,
}

/// One of a landlord's properties and its open orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertySummary {
    pub id: PropertyId,
    pub name: String,
    /// "12 Quay Street, Bristol BS1 4AB"
    pub address: String,
    pub open: DashboardCount,
    /// Invoices of its orders completed this year (agency time zone).
    pub spend_this_year: DashboardAmount,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LandlordDashboard {
    /// Pending on the landlord: estimates waiting for their approval.
    pub awaiting_approval: DashboardCount,
    /// Pending on the agency: open and not yet accepted by a contractor.
    pub awaiting_contractor: DashboardCount,
    pub in_progress: DashboardCount,
    pub properties: Vec<PropertySummary>,
    /// Invoices of orders completed this month (agency time zone).
    pub spend_this_month: DashboardAmount,
    /// The same, from 1 January: year to date.
    pub spend_this_year: DashboardAmount,
    pub activity: Vec<ActivityItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractorDashboard {
    /// Assigned to me and awaiting my acceptance.
    pub new_orders: DashboardCount,
    pub in_progress: DashboardCount,
    /// Payouts dated this month (agency time zone).
    pub earnings_this_month: DashboardAmount,
    /// Invoiced work not paid yet: pending review or awaiting payout.
    pub pending_payments: DashboardAmount,
    pub completed_this_month: DashboardCount,
    /// My scheduled visits not yet started, soonest first.
    pub appointments: Vec<AppointmentItem>,
    pub activity: Vec<ActivityItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantDashboard {
    /// Work the contractor says is finished, waiting for the tenant to say so too: shown
    /// first, since it is the one thing the tenant has to do.
    pub to_confirm: Vec<WorkOrderRow>,
    /// Submitted but work not started yet.
    pub pending: DashboardCount,
    pub in_progress: DashboardCount,
    /// My most recent requests, newest first.
    pub requests: Vec<WorkOrderRow>,
    /// Every request of mine, for "See all".
    pub all_requests: DashboardCount,
    pub activity: Vec<ActivityItem>,
}

/// One message as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    pub author: String,
    pub author_role: Role,
    /// Stored in UTC; the UI shows it in local time.
    pub sent_at: DateTime<Utc>,
    pub body: String,
    /// An agency-only note; only staff and admins are ever sent one.
    pub internal: bool,
    /// Written by the reader.
    pub own: bool,
    /// When its author retracted it: everyone but the agency is then sent an empty body
    /// (and shows "Message retracted by …"); the agency still reads the original.
    #[serde(default)]
    pub retracted_at: Option<DateTime<Utc>>,
    /// Until when the reader may retract it: only their own, not yet retracted, within
    /// `message::RETRACT_WINDOW_MINUTES` of sending.
    #[serde(default)]
    pub retractable_until: Option<DateTime<Utc>>,
}

/// How many messages one read of a thread gives: the newest, then each earlier page on
/// asking ("Show earlier messages").
pub const THREAD_PAGE: usize = 50;

/// A page of a thread: its messages, oldest first; the first page (no `before`) is the
/// newest `THREAD_PAGE` and opening it marks the thread read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageThread {
    pub messages: Vec<Message>,
    /// Pass as `before` to read the page before this one; `None`: this page starts the thread.
    #[serde(default)]
    pub earlier: Option<MessageId>,
    /// How many were unread for the reader before this opening (the "new" badge).
    pub unread: i64,
    /// The reader may post internal notes here (the agency, on an order's thread).
    pub may_write_internal: bool,
}

/// A message on an order's thread; `internal` only from staff and admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostMessage {
    pub id: WorkOrderId,
    pub body: String,
    pub internal: bool,
}

/// A message on a tenant's direct thread with the agency: a tenant posts to their own
/// (`tenant` empty or themselves), staff name the tenant they reply to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostDirectMessage {
    pub tenant: Option<UserId>,
    pub body: String,
}

/// A tenant's direct thread in the agency's list, most recent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectThread {
    pub tenant: UserId,
    pub tenant_name: String,
    pub last_sent_at: DateTime<Utc>,
    /// The start of the latest message, for the list.
    pub last_body: String,
    pub unread: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_answers_cross_the_wire_as_integers_of_minor_units() {
        let count = DashboardCount { label: "Spend".into(), count: 2, filter: WorkOrderFilter::default() };
        let amount = DashboardAmount { count, total_minor: MoneySum::try_from(12_500).expect("a sum") };
        let mut json = serde_json::to_value(&amount).expect("serialises");
        assert_eq!(json["total_minor"], 12_500);
        assert_eq!(serde_json::from_value::<DashboardAmount>(json.clone()).expect("reads back"), amount);
        json["total_minor"] = (-1).into();
        assert!(serde_json::from_value::<DashboardAmount>(json).is_err(), "a negative sum is not an amount");
    }

    fn notifications(ids: &[(i64, bool)], desktop: bool) -> Notifications {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let item = |&(id, urgent): &(i64, bool)| NotificationItem {
            id,
            order: None,
            title: format!("n{id}"),
            body: format!("b{id}"),
            at,
            read: false,
            urgent,
        };
        // The newest first, as the bell lists them.
        Notifications { items: ids.iter().rev().map(item).collect(), unread: 0, desktop, on_duty: None }
    }

    fn titles(popups: &[Popup]) -> Vec<(&str, bool)> {
        popups.iter().map(|popup| (popup.title.as_str(), popup.urgent)).collect()
    }

    #[test]
    fn only_new_notifications_pop_up_oldest_first_and_a_burst_as_one_summary() {
        let few = notifications(&[(1, false), (2, false), (3, false)], true);
        assert_eq!(titles(&few.popups_after(1)), [("n2", false), ("n3", false)]);
        assert!(few.popups_after(3).is_empty(), "what the bell held already");
        assert_eq!((few.newest_seen(1), few.newest_seen(7)), (3, 7));
        let burst = notifications(&[(1, false), (2, false), (3, false), (4, false)], true);
        assert_eq!(titles(&burst.popups_after(0)), [("4 new updates in Plumbline; the latest: n4", false)]);
        assert_eq!(burst.popups_after(0)[0].body, "b4");
    }

    #[test]
    fn an_emergency_pops_up_on_its_own_even_with_the_others_off() {
        let mixed = notifications(&[(1, false), (2, true), (3, false)], false);
        assert_eq!(titles(&mixed.popups_after(0)), [("n2", true)]);
        let on = notifications(&[(1, false), (2, true), (3, false)], true);
        assert_eq!(titles(&on.popups_after(0)), [("n2", true), ("n1", false), ("n3", false)]);
    }
}
