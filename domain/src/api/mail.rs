//! E-mail notifications: the agency's SMTP server and each user's choice of what
//! reaches them by e-mail (rules in `crate::mail`).

use serde::{Deserialize, Serialize};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MailSecurity {
    /// Plain connection upgraded with STARTTLS (usually port 587); refused if the server
    /// does not offer it.
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
    /// No encryption: only sensible for a relay on this computer or the office network.
    None,
}

/// The agency's SMTP server. The password is not here: it is kept in the OS keyring of
/// the machine that sends (`SetSmtpPassword`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// Empty: e-mail is off and nothing is queued.
    pub host: String,
    pub port: u16,
    /// The SMTP user name; empty for a relay that needs none.
    pub user: String,
    /// The address mail is sent from.
    pub sender: String,
    pub security: MailSecurity,
}

/// Which events reach a user by e-mail (`crate::mail::EmailTopic`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailPreferences {
    /// Something waits on them: an approval, a job offered, work to review.
    pub action_needed: bool,
    /// A job they are party to moves on.
    pub progress: bool,
    /// Money owed or paid to them.
    pub payments: bool,
}

/// The answer to "Send test e-mail": where it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestEmailSent {
    pub to: String,
}
