//! The input a validation error is about, so the UI can show the message beside it.

use serde::{Deserialize, Serialize};

/// An input field named by a [`super::CommandError`]: on the wire its snake_case name
/// (`"files"`, `"paid_on"`), as before it was an enum.
///
/// No catch-all variant: the desktop, its UI and the agency server ship as one release,
/// so a name one of them does not know is a bug to surface (like an unknown
/// [`super::ErrorCode`]), not a value to carry along.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    // Accounts: set-up, sign-in, password change, the admin's new user.
    Agency,
    Name,
    Email,
    Phone,
    Company,
    Password,
    /// The current password, when changing it.
    Current,
    /// The new password, when changing it.
    New,
    /// The new password typed again (checked by the UI only).
    Confirm,
    /// The agency server's address (checked by the client).
    Address,
    // A new request and its access instructions.
    Tenancy,
    Subcategory,
    /// How serious the tenant says it is (chosen in the UI before sending).
    Severity,
    Description,
    GateCode,
    LockboxCode,
    Pets,
    BestContact,
    PreferredTimes,
    // Steps on an order.
    Contractor,
    Start,
    End,
    Stars,
    Reason,
    Note,
    Notes,
    Report,
    Comment,
    /// An amount typed on a step: an estimate or an invoice.
    Amount,
    // Lists, their filters and the tenancy search.
    Limit,
    After,
    Query,
    Property,
    Opened,
    Appointment,
    Completed,
    Paid,
    // Messages.
    Tenant,
    Body,
    // Payouts.
    PaidOn,
    Reference,
    // Attachments: the attachment asked for, and the files chosen.
    Id,
    Files,
    // The agency's records: properties, units, tenancies, contractors, landlords.
    Street,
    City,
    Postcode,
    Landlord,
    Unit,
    StartedOn,
    EndedOn,
    Trades,
    HourlyRate,
    CalloutFee,
    InsuranceExpiresOn,
    LicenceExpiresOn,
    NotifyFrom,
    ApprovalAbove,
    TimeZone,
    // The agency's settings.
    WorkingDays,
    DayStart,
    DayEnd,
    AutoCloseDays,
    Sla,
    BankHolidays,
    EscalationContact,
    EscalationEmail,
    Currency,
    Troubleshooting,
    EmergencyKeywords,
    /// The largest amount one order may carry.
    MaxOrderAmount,
    /// How far an invoice may exceed the approved cost, in percent.
    InvoiceOverrun,
    /// Minutes idle before a session is signed out.
    IdleSignOut,
    // Import: the file chosen.
    File,
    // Backup and restore: the archive chosen, and how many daily backups to keep.
    Archive,
    Keep,
    // Reports: the period asked for.
    Period,
    // Planned maintenance: a schedule's name, how often, from when or on which dates,
    // and how far ahead its orders are raised.
    Title,
    Every,
    FirstDue,
    Dates,
    LeadDays,
    // Compliance certificates: which kind, issued and running out when.
    Kind,
    IssuedOn,
    ExpiresOn,
    // Quotes: the line items a contractor prices, and the quote a decision is about.
    Lines,
    Quote,
    // E-mail: the agency's SMTP server and its password (kept in the OS keyring).
    SmtpHost,
    SmtpPort,
    SmtpUser,
    SmtpSender,
    SmtpPassword,
}

impl Field {
    pub const ALL: [Field; 91] = [
        Field::Agency,
        Field::Name,
        Field::Email,
        Field::Phone,
        Field::Company,
        Field::Password,
        Field::Current,
        Field::New,
        Field::Confirm,
        Field::Address,
        Field::Tenancy,
        Field::Subcategory,
        Field::Severity,
        Field::Description,
        Field::GateCode,
        Field::LockboxCode,
        Field::Pets,
        Field::BestContact,
        Field::PreferredTimes,
        Field::Contractor,
        Field::Start,
        Field::End,
        Field::Stars,
        Field::Reason,
        Field::Note,
        Field::Notes,
        Field::Report,
        Field::Comment,
        Field::Amount,
        Field::Limit,
        Field::After,
        Field::Query,
        Field::Property,
        Field::Opened,
        Field::Appointment,
        Field::Completed,
        Field::Paid,
        Field::Tenant,
        Field::Body,
        Field::PaidOn,
        Field::Reference,
        Field::Id,
        Field::Files,
        Field::Street,
        Field::City,
        Field::Postcode,
        Field::Landlord,
        Field::Unit,
        Field::StartedOn,
        Field::EndedOn,
        Field::Trades,
        Field::HourlyRate,
        Field::CalloutFee,
        Field::InsuranceExpiresOn,
        Field::LicenceExpiresOn,
        Field::NotifyFrom,
        Field::ApprovalAbove,
        Field::TimeZone,
        Field::WorkingDays,
        Field::DayStart,
        Field::DayEnd,
        Field::AutoCloseDays,
        Field::Sla,
        Field::BankHolidays,
        Field::EscalationContact,
        Field::EscalationEmail,
        Field::Currency,
        Field::Troubleshooting,
        Field::EmergencyKeywords,
        Field::MaxOrderAmount,
        Field::InvoiceOverrun,
        Field::IdleSignOut,
        Field::File,
        Field::Archive,
        Field::Keep,
        Field::Period,
        Field::Title,
        Field::Every,
        Field::FirstDue,
        Field::Dates,
        Field::LeadDays,
        Field::Kind,
        Field::IssuedOn,
        Field::ExpiresOn,
        Field::Lines,
        Field::Quote,
        Field::SmtpHost,
        Field::SmtpPort,
        Field::SmtpUser,
        Field::SmtpSender,
        Field::SmtpPassword,
    ];

    /// The name on the wire, also used in messages ("a reason is required") and the
    /// UI's element ids (`gate_code-error`).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Agency => "agency",
            Field::Name => "name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Company => "company",
            Field::Password => "password",
            Field::Current => "current",
            Field::New => "new",
            Field::Confirm => "confirm",
            Field::Address => "address",
            Field::Tenancy => "tenancy",
            Field::Subcategory => "subcategory",
            Field::Severity => "severity",
            Field::Description => "description",
            Field::GateCode => "gate_code",
            Field::LockboxCode => "lockbox_code",
            Field::Pets => "pets",
            Field::BestContact => "best_contact",
            Field::PreferredTimes => "preferred_times",
            Field::Contractor => "contractor",
            Field::Start => "start",
            Field::End => "end",
            Field::Stars => "stars",
            Field::Reason => "reason",
            Field::Note => "note",
            Field::Notes => "notes",
            Field::Report => "report",
            Field::Comment => "comment",
            Field::Amount => "amount",
            Field::Limit => "limit",
            Field::After => "after",
            Field::Query => "query",
            Field::Property => "property",
            Field::Opened => "opened",
            Field::Appointment => "appointment",
            Field::Completed => "completed",
            Field::Paid => "paid",
            Field::Tenant => "tenant",
            Field::Body => "body",
            Field::PaidOn => "paid_on",
            Field::Reference => "reference",
            Field::Id => "id",
            Field::Files => "files",
            Field::Street => "street",
            Field::City => "city",
            Field::Postcode => "postcode",
            Field::Landlord => "landlord",
            Field::Unit => "unit",
            Field::StartedOn => "started_on",
            Field::EndedOn => "ended_on",
            Field::Trades => "trades",
            Field::HourlyRate => "hourly_rate",
            Field::CalloutFee => "callout_fee",
            Field::InsuranceExpiresOn => "insurance_expires_on",
            Field::LicenceExpiresOn => "licence_expires_on",
            Field::NotifyFrom => "notify_from",
            Field::ApprovalAbove => "approval_above",
            Field::TimeZone => "time_zone",
            Field::WorkingDays => "working_days",
            Field::DayStart => "day_start",
            Field::DayEnd => "day_end",
            Field::AutoCloseDays => "auto_close_days",
            Field::Sla => "sla",
            Field::BankHolidays => "bank_holidays",
            Field::EscalationContact => "escalation_contact",
            Field::EscalationEmail => "escalation_email",
            Field::Currency => "currency",
            Field::Troubleshooting => "troubleshooting",
            Field::EmergencyKeywords => "emergency_keywords",
            Field::MaxOrderAmount => "max_order_amount",
            Field::InvoiceOverrun => "invoice_overrun",
            Field::IdleSignOut => "idle_sign_out",
            Field::File => "file",
            Field::Archive => "archive",
            Field::Keep => "keep",
            Field::Period => "period",
            Field::Title => "title",
            Field::Every => "every",
            Field::FirstDue => "first_due",
            Field::Dates => "dates",
            Field::LeadDays => "lead_days",
            Field::Kind => "kind",
            Field::IssuedOn => "issued_on",
            Field::ExpiresOn => "expires_on",
            Field::Lines => "lines",
            Field::Quote => "quote",
            Field::SmtpHost => "smtp_host",
            Field::SmtpPort => "smtp_port",
            Field::SmtpUser => "smtp_user",
            Field::SmtpSender => "smtp_sender",
            Field::SmtpPassword => "smtp_password",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Field;

    #[test]
    fn each_field_crosses_the_wire_as_its_name() {
        for field in Field::ALL {
            assert_eq!(serde_json::to_value(field).expect("serialises"), field.as_str());
            assert_eq!(serde_json::from_value::<Field>(field.as_str().into()).expect("reads back"), field);
        }
    }

    #[test]
    fn all_lists_every_field_once() {
        let mut names: Vec<_> = Field::ALL.iter().map(|field| field.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Field::ALL.len());
    }
}
