//! The domain's enums as stored: each is kept by its `as_str` name, and read back with
//! `TryFrom<String>`, which refuses a name it does not know instead of guessing.
//! (The service decodes rows with `#[sqlx(try_from = "String")]`, so a corrupt or newer
//! store fails loudly at the row, never as a silently different value.)

use crate::account::AdminAction;
use crate::attachment::AttachmentKind;
use crate::lifecycle::{Action, State};
use crate::priority::{Priority, Severity};
use crate::quote::QuoteStatus;
use crate::role::Role;

/// A stored name that is none of the enum's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{name}' is not a known {kind}")]
pub struct UnknownName {
    pub kind: &'static str,
    pub name: String,
}

macro_rules! stored_by_name {
    ($($ty:ty => $kind:literal),* $(,)?) => {$(
        impl TryFrom<String> for $ty {
            type Error = UnknownName;
            fn try_from(name: String) -> Result<Self, UnknownName> {
                Self::parse(&name).ok_or(UnknownName { kind: $kind, name })
            }
        }
    )*};
}

stored_by_name!(
    State => "state",
    Action => "action",
    Priority => "priority",
    Severity => "severity",
    Role => "role",
    AttachmentKind => "attachment kind",
    AdminAction => "admin action",
    QuoteStatus => "quote status",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_as_itself() {
        for state in State::ALL {
            assert_eq!(State::try_from(state.as_str().to_owned()), Ok(state));
        }
    }

    #[test]
    fn an_unknown_name_is_refused_not_guessed() {
        assert_eq!(Role::try_from("owner".to_owned()), Err(UnknownName { kind: "role", name: "owner".into() }));
    }
}
