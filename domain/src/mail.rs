//! E-mail notifications' rules: what kind of news an event is to each reader (which
//! decides whether it reaches them by e-mail, as they chose), how the agency's SMTP
//! settings must look, and how long a failed message waits before its next attempt.

use crate::api::{EmailPreferences, Field, MailSecurity, MailSettings};
use crate::event::EventKind;
use crate::lifecycle::{Action, State};
use crate::role::Party;

/// What an event is to the person told of it. Each user chooses which reach them by
/// e-mail (`EmailPreferences`); every one still reaches the bell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmailTopic {
    /// Something waits on the reader: a new request to triage, an approval to give, a job
    /// offered, work to review, a reschedule or a fault reported back.
    ActionNeeded,
    /// How a job the reader is party to moves on (accepted, scheduled, started, closed…).
    Progress,
    /// Money owed to or paid to the reader.
    Payments,
}

/// The kind of news `kind` (leaving the order in `to`) is to `party`. A closed job is
/// payment news to its contractor ("Payment pending").
pub fn topic_of(kind: EventKind, to: Option<State>, party: Party) -> EmailTopic {
    let agency = party == Party::Agency;
    match kind {
        // An unanswered emergency waits on every staff member.
        EventKind::Submission | EventKind::Escalation if agency => EmailTopic::ActionNeeded,
        EventKind::Submission | EventKind::Attachments | EventKind::Escalation => EmailTopic::Progress,
        EventKind::Payout => EmailTopic::Payments,
        EventKind::Step(action) => step_topic(action, to, party),
    }
}

fn step_topic(action: Action, to: Option<State>, party: Party) -> EmailTopic {
    let needs_me = match action {
        Action::RequestApproval => to == Some(State::AwaitingApproval) && party == Party::OwningLandlord,
        Action::Assign | Action::Reassign => party == Party::AssignedContractor,
        Action::Decline | Action::RequestReschedule | Action::Complete => party == Party::Agency,
        Action::Reopen | Action::ReportNotDone => matches!(party, Party::Agency | Party::AssignedContractor),
        Action::Close | Action::AutoClose if party == Party::AssignedContractor => return EmailTopic::Payments,
        Action::SetPriority
        | Action::Approve
        | Action::DeclineEstimate
        | Action::Reject
        | Action::Accept
        | Action::Schedule
        | Action::Start
        | Action::ConfirmDone
        | Action::Close
        | Action::AutoClose
        | Action::Cancel
        | Action::Rate => false,
    };
    if needs_me { EmailTopic::ActionNeeded } else { EmailTopic::Progress }
}

impl EmailPreferences {
    /// The default for every user: only what waits on them. Everything else is in the
    /// bell; a mailbox filled with every step soon gets a filter that hides the mail
    /// that matters too.
    pub const DEFAULT: EmailPreferences = EmailPreferences { action_needed: true, progress: false, payments: false };

    pub fn wants(&self, topic: EmailTopic) -> bool {
        match topic {
            EmailTopic::ActionNeeded => self.action_needed,
            EmailTopic::Progress => self.progress,
            EmailTopic::Payments => self.payments,
        }
    }
}

/// Longest host name (RFC 1035) and longest address or user name accepted.
pub const MAX_HOST_CHARS: usize = 253;
pub const MAX_ADDRESS_CHARS: usize = 254;

/// Every problem with `settings`, each with its field (the screen shows them all, the
/// service refuses the first). Empty `host` means e-mail is off, and then nothing else
/// is required.
pub fn problems(settings: &MailSettings) -> Vec<(Field, String)> {
    let mut found = Vec::new();
    let host = settings.host.trim();
    if host.is_empty() {
        return found;
    }
    if host.chars().count() > MAX_HOST_CHARS
        || !host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    {
        found.push((Field::SmtpHost, "give the mail server's name (e.g. smtp.example.com) or its IP address".into()));
    }
    if settings.port == 0 {
        found.push((Field::SmtpPort, "the port is a number from 1 to 65535 (usually 587, 465 or 25)".into()));
    }
    if settings.user.trim().chars().count() > MAX_ADDRESS_CHARS {
        found.push((Field::SmtpUser, format!("the user name is at most {MAX_ADDRESS_CHARS} characters")));
    }
    if !looks_like_address(settings.sender.trim()) {
        found.push((Field::SmtpSender, "give the address mail is sent from, e.g. repairs@youragency.co.uk".into()));
    }
    found
}

/// One `@` with something either side, no spaces: what the SMTP server itself is left to judge.
pub fn looks_like_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && text.chars().count() <= MAX_ADDRESS_CHARS
        && !text.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
}

impl MailSecurity {
    pub const ALL: [MailSecurity; 3] = [MailSecurity::StartTls, MailSecurity::Tls, MailSecurity::None];

    pub fn as_str(self) -> &'static str {
        match self {
            MailSecurity::StartTls => "StartTls",
            MailSecurity::Tls => "Tls",
            MailSecurity::None => "None",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|security| security.as_str() == text)
    }

    /// How the Settings page names it.
    pub fn label(self) -> &'static str {
        match self {
            MailSecurity::StartTls => "STARTTLS (port 587)",
            MailSecurity::Tls => "TLS from the start (port 465)",
            MailSecurity::None => "None: only for a relay on this computer or network",
        }
    }
}

/// The first retry waits a minute, each next one twice as long, at most an hour: a
/// mail server down for a day is tried every hour, and nothing is ever dropped.
pub fn retry_after_seconds(attempts: u32) -> i64 {
    const FIRST: i64 = 60;
    const MOST: i64 = 60 * 60;
    let doublings = attempts.saturating_sub(1).min(16);
    (FIRST << doublings).min(MOST)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> MailSettings {
        MailSettings {
            host: "smtp.example.com".into(),
            port: 587,
            user: "repairs".into(),
            sender: "repairs@agency.example".into(),
            security: MailSecurity::StartTls,
        }
    }

    #[test]
    fn good_settings_have_no_problems_and_an_empty_host_turns_mail_off() {
        assert!(problems(&settings()).is_empty());
        let off = MailSettings { host: String::new(), sender: String::new(), port: 0, ..settings() };
        assert!(problems(&off).is_empty());
    }

    #[test]
    fn each_bad_setting_is_named_by_its_field() {
        let bad = MailSettings { host: "smtp example".into(), port: 0, sender: "nobody".into(), ..settings() };
        let fields: Vec<Field> = problems(&bad).into_iter().map(|(field, _)| field).collect();
        assert_eq!(fields, [Field::SmtpHost, Field::SmtpPort, Field::SmtpSender]);
    }

    #[test]
    fn retries_back_off_from_a_minute_to_an_hour() {
        let waits: Vec<i64> = (1..=8).map(retry_after_seconds).collect();
        assert_eq!(waits, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(retry_after_seconds(u32::MAX), 3600);
    }

    #[test]
    fn what_waits_on_the_reader_is_action_needed() {
        let approval = EventKind::Step(Action::RequestApproval);
        assert_eq!(topic_of(approval, Some(State::AwaitingApproval), Party::OwningLandlord), EmailTopic::ActionNeeded);
        assert_eq!(topic_of(approval, Some(State::New), Party::OwningLandlord), EmailTopic::Progress);
        assert_eq!(topic_of(EventKind::Submission, None, Party::Agency), EmailTopic::ActionNeeded);
        assert_eq!(topic_of(EventKind::Submission, None, Party::RequestingTenant), EmailTopic::Progress);
        let assign = EventKind::Step(Action::Assign);
        assert_eq!(topic_of(assign, None, Party::AssignedContractor), EmailTopic::ActionNeeded);
        assert_eq!(topic_of(assign, None, Party::RequestingTenant), EmailTopic::Progress);
        let close = EventKind::Step(Action::Close);
        assert_eq!(topic_of(close, None, Party::AssignedContractor), EmailTopic::Payments);
        assert_eq!(topic_of(EventKind::Payout, None, Party::AssignedContractor), EmailTopic::Payments);
    }

    #[test]
    fn by_default_only_what_needs_the_reader_is_mailed() {
        let wanted: Vec<bool> = [EmailTopic::ActionNeeded, EmailTopic::Progress, EmailTopic::Payments]
            .into_iter()
            .map(|topic| EmailPreferences::DEFAULT.wants(topic))
            .collect();
        assert_eq!(wanted, [true, false, false]);
    }

    #[test]
    fn addresses_need_an_at_and_a_domain() {
        assert!(looks_like_address("a@b.co"));
        for bad in ["", "a@", "@b.co", "a b@c.co", "a@b", "a@@b.co", "<a@b.co>"] {
            assert!(!looks_like_address(bad), "{bad}");
        }
    }
}
