//! The one export being prepared (the list, or an evidence pack) can be cancelled from
//! its button: the reading loop asks between steps, and nothing is saved.

use std::sync::atomic::{AtomicBool, Ordering};

/// Asks for cancelling the export being prepared; reset as each one starts.
#[derive(Default)]
pub struct ExportCancel(AtomicBool);

impl ExportCancel {
    pub fn start(&self) {
        self.0.store(false, Ordering::SeqCst);
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn asked(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
