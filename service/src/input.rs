//! Checks on what people type into the agency's records: trimmed text of a bounded
//! length, required or not, each refusal naming its field.

use crate::error::{Result, ServiceError};
use plumbline_domain::api::Field;

/// Names, streets, companies: long enough for any real one.
pub const MAX_LINE_CHARS: usize = 120;
/// Notes and instructions.
pub const MAX_TEXT_CHARS: usize = 1000;

/// `text` trimmed; refused when empty or longer than `max` characters.
pub fn required(field: Field, label: &str, text: &str, max: usize) -> Result<String> {
    let text = optional(field, label, text, max)?;
    if text.is_empty() {
        return Err(ServiceError::validation(field, format!("enter the {label}")));
    }
    Ok(text)
}

/// `text` trimmed (may be empty); refused when longer than `max` characters.
pub fn optional(field: Field, label: &str, text: &str, max: usize) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(ServiceError::validation(field, format!("the {label} is longer than {max} characters")));
    }
    Ok(text.to_owned())
}

/// `None` for blank text.
pub fn optional_some(field: Field, label: &str, text: Option<&str>, max: usize) -> Result<Option<String>> {
    let text = optional(field, label, text.unwrap_or_default(), max)?;
    Ok((!text.is_empty()).then_some(text))
}
