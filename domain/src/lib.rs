//! Plumbline's maintenance rules, free of IO so that the backend, the tests and the
//! wasm frontend all share one definition of them.

pub mod account;
pub mod agency_rules;
pub mod api;
pub mod approval;
pub mod attachment;
pub mod change;
pub mod command;
pub mod compliance;
pub mod contractor;
pub mod dates;
pub mod event;
pub mod ids;
pub mod lifecycle;
pub mod limits;
pub mod mail;
pub mod map;
pub mod message;
pub mod money;
pub mod notify;
pub mod numbers;
pub mod payment;
pub mod planned;
pub mod priority;
pub mod quote;
pub mod repeat;
pub mod report;
pub mod role;
pub mod search;
pub mod sla;
pub mod stored;
pub mod text;
pub mod triage;
pub mod visibility;
pub mod wire;
pub mod zone;

pub use attachment::{AttachmentKind, MediaType};
pub use change::{Change, ChangeKind, ChangeSubject};
pub use command::{Command, EachCommand, commands};
pub use event::EventKind;
pub use ids::{AttachmentId, MessageId, Reference, UserId, WorkOrderId};
pub use lifecycle::{Action, State};
pub use money::{MoneyMinor, MoneySum};
pub use payment::PaymentStatus;
pub use priority::{Priority, Severity};
pub use role::{Actor, Role};
