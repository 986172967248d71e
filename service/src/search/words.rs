//! Reading a misspelt word as the indexed word nearest it: "okafr" finds Okafor,
//! "boilr" the boiler. A word that starts some indexed word is taken as typed (it is
//! a word being typed); only one that starts none is corrected.
//!
//! Candidates come from each engine's list of written words, `search_words` (SQLite:
//! those sharing the typed word's first letter; PostgreSQL: the words of letters nearest
//! by trigrams, pg_trgm's `<->`), and are judged here alike.

use crate::db::{Engine, Sql};
use crate::error::Result;
use crate::store::Store;

/// A typed word and the word looked for in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadWord {
    pub typed: String,
    pub looked_for: String,
}

/// Shorter words are taken as typed: one slip in two letters leaves too little to go on.
const MIN_CORRECTED_CHARS: usize = 3;

/// Nearest words PostgreSQL offers per typed word, before they are judged here.
const POSTGRES_CANDIDATES: i64 = 40;

/// Each typed word, as typed or as the nearest indexed word if it starts none.
pub(crate) async fn read(store: &Store, typed: &[String]) -> Result<Vec<ReadWord>> {
    let mut read = Vec::with_capacity(typed.len());
    for word in typed {
        let looked_for = match correctable(word) && !starts_an_indexed_word(store, word).await? {
            true => nearest(word, &candidates(store, word).await?).unwrap_or_else(|| word.clone()),
            false => word.clone(),
        };
        read.push(ReadWord { typed: word.clone(), looked_for });
    }
    Ok(read)
}

/// Letters only, long enough: numbers (references, house numbers) are never guessed.
fn correctable(word: &str) -> bool {
    word.chars().count() >= MIN_CORRECTED_CHARS && word.chars().all(char::is_alphabetic)
}

async fn starts_an_indexed_word(store: &Store, word: &str) -> Result<bool> {
    // PostgreSQL's pattern operators compare bytes, as its prefix index does (0027);
    // bounds rather than `LIKE`, which a prepared statement's generic plan cannot range.
    let within = match store.engine() {
        Engine::Sqlite => "word >= ? AND word < ?",
        Engine::Postgres => "word ~>=~ ? AND word ~<~ ?",
    };
    let (from, until) = prefix_range(word);
    let query = Sql::new(format!("SELECT EXISTS (SELECT 1 FROM search_words WHERE {within})"));
    let (exists,): (bool,) = query.bind(from).bind(until).fetch_one(store).await?;
    Ok(exists)
}

/// The words starting with `prefix` sort from `prefix` to just before this bound (byte
/// order; U+10FFFF sorts after every other character).
fn prefix_range(prefix: &str) -> (String, String) {
    (prefix.to_owned(), format!("{prefix}\u{10FFFF}"))
}

/// Written words that might be what `word` meant.
async fn candidates(store: &Store, word: &str) -> Result<Vec<String>> {
    let query = match store.engine() {
        Engine::Sqlite => {
            let first: String = word.chars().take(1).collect();
            let (from, until) = prefix_range(&first);
            Sql::new("SELECT word FROM search_words WHERE word >= ? AND word < ?").bind(from).bind(until)
        }
        // The condition is the partial trigram index's own (migration 0027), so it is used.
        Engine::Postgres => {
            Sql::new("SELECT word FROM search_words WHERE word ~ '^[[:alpha:]]+$' ORDER BY word <-> ? LIMIT ?")
                .bind(word)
                .bind(POSTGRES_CANDIDATES)
        }
    };
    let rows: Vec<(String,)> = query.fetch_all(store).await?;
    Ok(rows.into_iter().map(|(candidate,)| candidate).collect())
}

/// The candidate nearest `word`, if any is near enough: one slip (a letter missing,
/// extra, wrong, or two swapped) in a word of up to four letters, two in a longer one.
/// A candidate may also be the completion of a misspelt start ("okfa" → "okafor").
/// Ties go to the alphabet's first, so a slip is always read the same way.
fn nearest(word: &str, candidates: &[String]) -> Option<String> {
    let length = word.chars().count();
    let allowed = if length <= 4 { 1 } else { 2 };
    candidates
        .iter()
        .filter(|candidate| candidate.chars().count() >= MIN_CORRECTED_CHARS && *candidate != word)
        .filter(|candidate| candidate.chars().all(char::is_alphabetic))
        .filter_map(|candidate| {
            let start: String = candidate.chars().take(length).collect();
            let slips = strsim::osa_distance(word, candidate).min(strsim::osa_distance(word, &start));
            (slips <= allowed).then_some((slips, candidate))
        })
        .min()
        .map(|(_, candidate)| candidate.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn a_slip_is_read_as_the_nearest_word() {
        let indexed = words(&["okafor", "oak", "boiler", "boil"]);
        assert_eq!(nearest("okafr", &indexed).as_deref(), Some("okafor"));
        assert_eq!(nearest("bolier", &indexed).as_deref(), Some("boiler"));
        // A misspelt start of a longer word.
        assert_eq!(nearest("okfa", &indexed).as_deref(), Some("okafor"));
        assert_eq!(nearest("zzzz", &indexed), None);
    }

    #[test]
    fn ties_go_to_the_alphabets_first() {
        let indexed = words(&["lean", "leak"]);
        assert_eq!(nearest("leax", &indexed).as_deref(), Some("leak"));
    }

    #[test]
    fn short_words_and_numbers_are_never_guessed() {
        assert!(!correctable("ok"));
        assert!(!correctable("123"));
        assert!(!correctable("b12"));
        assert!(correctable("okafr"));
    }
}
