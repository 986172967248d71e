//! How a desktop follows the agency's changes, for the window to say.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "state")]
pub enum LiveConnection {
    /// This computer's own store: each change is seen as it is committed.
    #[default]
    ThisComputer,
    /// Following the agency server's stream of changes.
    Connected,
    /// The stream dropped at `since` and the desktop is trying again (attempt `attempt`):
    /// others' changes since then are not on screen yet.
    Reconnecting { since: DateTime<Utc>, attempt: u32 },
    /// The server has not answered for a while: the desktop keeps trying, less often.
    Offline { since: DateTime<Utc> },
}
