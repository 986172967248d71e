//! What a search looks for, read the same way by the store's query, the excerpts it
//! shows and the highlighting on screen: the typed text as words (letters and digits,
//! lower-cased), each matching the start of a word in what is searched.

/// Longest search text accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;

/// At most this many words are looked for; more narrows nothing a person would notice.
pub const MAX_SEARCH_WORDS: usize = 8;

/// The words of `text`, in order, lower-cased, without repeats: what a search looks for.
/// Punctuation separates words ("PL-000123" is "pl" and "000123"), as in the index.
pub fn words(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = word.to_lowercase();
        if !found.contains(&word) && found.len() < MAX_SEARCH_WORDS {
            found.push(word);
        }
    }
    found
}

/// A piece of shown text, and whether it is a match to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<'a> {
    pub text: &'a str,
    pub matched: bool,
}

/// `text` cut where a word of it starts with one of `words` (lower-case): those starts
/// are the matches a result highlights.
pub fn highlight<'a>(text: &'a str, words: &[String]) -> Vec<Piece<'a>> {
    let mut pieces = Vec::new();
    let mut plain_from = 0;
    for (start, word) in word_spans(text) {
        let Some(length) = longest_match(word, words) else { continue };
        if start > plain_from {
            pieces.push(Piece { text: &text[plain_from..start], matched: false });
        }
        pieces.push(Piece { text: &text[start..start + length], matched: true });
        plain_from = start + length;
    }
    if plain_from < text.len() {
        pieces.push(Piece { text: &text[plain_from..], matched: false });
    }
    pieces
}

/// Up to `around` characters either side of the first match in `text`, cut at word
/// boundaries with "…" where cut; `None` if nothing in it matches.
pub fn excerpt(text: &str, words: &[String], around: usize) -> Option<String> {
    let (start, _) = word_spans(text).find(|(_, word)| longest_match(word, words).is_some())?;
    let before: Vec<(usize, char)> = text[..start].char_indices().collect();
    let from = match before.len().checked_sub(around) {
        None | Some(0) => 0,
        Some(cut) => word_start_after(text, before[cut].0),
    };
    let until = match text[start..].char_indices().nth(around * 2) {
        None => text.len(),
        Some((offset, _)) => word_end_before(text, start + offset),
    };
    let mut shown = text[from..until].trim().to_owned();
    if from > 0 {
        shown.insert(0, '…');
    }
    if until < text.len() {
        shown.push('…');
    }
    Some(shown)
}

/// Each word of `text` with its byte offset.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, &text[s..]));
    }
    spans.into_iter()
}

/// The byte length of `word`'s longest start that is one of `words`.
fn longest_match(word: &str, words: &[String]) -> Option<usize> {
    let lower = word.to_lowercase();
    // Lower-casing can change a word's length (rarely): highlight it all then.
    let same_length = lower.len() == word.len();
    words
        .iter()
        .filter(|w| !w.is_empty() && lower.starts_with(w.as_str()))
        .map(|w| if same_length { w.len() } else { word.len() })
        .max()
}

fn word_start_after(text: &str, at: usize) -> usize {
    text[at..].find(char::is_whitespace).map_or(at, |space| at + space + 1)
}

fn word_end_before(text: &str, at: usize) -> usize {
    text[..at].rfind(char::is_whitespace).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, words: &[&str]) -> String {
        let words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        highlight(text, &words)
            .into_iter()
            .map(|p| if p.matched { format!("[{}]", p.text) } else { p.text.to_owned() })
            .collect()
    }

    #[test]
    fn words_are_lower_case_letters_and_digits_without_repeats() {
        assert_eq!(words("  Boiler, boiler! PL-000123 Okafor "), ["boiler", "pl", "000123", "okafor"]);
        assert_eq!(words("Ünïcode straße"), ["ünïcode", "straße"]);
        assert!(words(" -- ").is_empty());
        assert_eq!(words("a b c d e f g h i j").len(), MAX_SEARCH_WORDS);
    }

    #[test]
    fn the_start_of_each_matching_word_is_highlighted() {
        assert_eq!(
            marked("Leak under the boiler at 14 Quay St", &["boil", "quay"]),
            "Leak under the [boil]er at 14 [Quay] St"
        );
        assert_eq!(marked("Mrs Okafor", &["ok", "okaf"]), "Mrs [Okaf]or");
        // Only a word's start: "oil" is inside "boiler", not a word of its own.
        assert_eq!(marked("boiler", &["oil"]), "boiler");
        assert_eq!(marked("", &["a"]), "");
    }

    #[test]
    fn an_excerpt_shows_the_first_match_with_words_around_it() {
        let words = vec!["boiler".to_owned()];
        let text = "The tenant called again this morning to say that the boiler in the kitchen cupboard is making a banging noise every time the heating comes on";
        let shown = excerpt(text, &words, 30).expect("matched");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains("the boiler in the kitchen"), "{shown}");
        assert_eq!(excerpt("Short boiler note", &words, 30).as_deref(), Some("Short boiler note"));
        assert_eq!(excerpt("Nothing here", &words, 30), None);
    }
}
