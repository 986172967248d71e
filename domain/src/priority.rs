//! Priority (the agency's) and severity (the tenant's own judgement).

use serde::{Deserialize, Serialize};

/// How fast the agency must act; ordered most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Priority {
    Emergency,
    Urgent,
    Routine,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::Emergency, Priority::Urgent, Priority::Routine, Priority::Low];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Emergency => "Emergency",
            Priority::Urgent => "Urgent",
            Priority::Routine => "Routine",
            Priority::Low => "Low",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str().eq_ignore_ascii_case(text))
    }

    /// Sort key, 0 = most urgent; stored so lists can sort by it with an index.
    pub fn rank(self) -> i64 {
        match self {
            Priority::Emergency => 0,
            Priority::Urgent => 1,
            Priority::Routine => 2,
            Priority::Low => 3,
        }
    }

    /// The reverse of `rank`, 0 = least urgent: the list sorts by it descending, so the
    /// most urgent come first and, within a priority, the newest (as the list's default).
    pub fn urgency(self) -> i64 {
        Priority::Low.rank() - self.rank()
    }

    pub fn most_urgent(self, other: Self) -> Self {
        self.min(other)
    }
}

/// The tenant's own reading of the problem, chosen with these definitions on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Severity {
    Emergency,
    Urgent,
    Routine,
    Low,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::Emergency, Severity::Urgent, Severity::Routine, Severity::Low];

    pub fn definition(self) -> &'static str {
        match self {
            Severity::Emergency => "Safety risk, threat to habitability, or active water damage",
            Severity::Urgent => "Major inconvenience that may get worse",
            Severity::Routine => "A standard repair",
            Severity::Low => "Cosmetic or minor",
        }
    }

    pub fn as_priority(self) -> Priority {
        match self {
            Severity::Emergency => Priority::Emergency,
            Severity::Urgent => Priority::Urgent,
            Severity::Routine => Priority::Routine,
            Severity::Low => Priority::Low,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.as_priority().as_str()
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(text))
    }
}
