//! What typed text may hold, whatever the field: no control characters but tabs and
//! line breaks. No one types them; PostgreSQL cannot store NUL at all (SQLite would, so
//! the engines would differ), and the others hide or garble what a reader sees.

/// The first character `text` may not hold, if any.
pub fn forbidden_character(text: &str) -> Option<char> {
    text.chars().find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// Why `text` is refused, naming the character as a code point a person can report.
pub fn refusal(character: char) -> String {
    format!(
        "Text may not contain control characters (U+{:04X} was found): type or paste it again as plain text",
        u32::from(character)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_and_line_breaks_pass_other_controls_do_not() {
        assert_eq!(forbidden_character("Leak under the sink.\r\n\tSince Monday."), None);
        assert_eq!(forbidden_character("gate\u{0}code"), Some('\u{0}'));
        assert_eq!(forbidden_character("bell\u{7}"), Some('\u{7}'));
        assert_eq!(forbidden_character("escape\u{1b}[31m"), Some('\u{1b}'));
        assert!(refusal('\u{0}').contains("U+0000"));
    }
}
