//! Files chosen in the native dialog before they are attached (photos on the New
//! request form, a certificate's file). The page is given a token and the file's name, never its
//! path, and hands the tokens back to attach them once the order is submitted.

use plumbline_domain::api::{ChosenFile, CommandError, ErrorCode, Field};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

#[derive(Debug, Default)]
pub struct ChosenFiles {
    next: AtomicU64,
    held: Mutex<HashMap<u64, PathBuf>>,
}

impl ChosenFiles {
    /// Holds the chosen paths; each gets a token for the page.
    pub fn hold(&self, paths: Vec<PathBuf>) -> Vec<ChosenFile> {
        // Sizes are read from the disk before the lock is taken, not while holding it.
        let chosen: Vec<(PathBuf, ChosenFile)> = paths
            .into_iter()
            .map(|path| {
                let token = self.next.fetch_add(1, Ordering::Relaxed) + 1;
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let size_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                (path, ChosenFile { token, name, size_bytes })
            })
            .collect();
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        chosen
            .into_iter()
            .map(|(path, file)| {
                held.insert(file.token, path);
                file
            })
            .collect()
    }

    /// The paths behind the tokens, no longer held; a token this computer never gave
    /// (or already attached) is refused, and then none is taken.
    pub fn take(&self, tokens: &[u64]) -> Result<Vec<PathBuf>, CommandError> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(unknown) = tokens.iter().find(|token| !held.contains_key(token)) {
            return Err(not_chosen(*unknown));
        }
        Ok(tokens.iter().filter_map(|token| held.remove(token)).collect())
    }

    /// The path behind one token (a certificate's file), no longer held.
    pub fn take_one(&self, token: u64) -> Result<PathBuf, CommandError> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.remove(&token).ok_or_else(|| not_chosen(token))
    }
}

fn not_chosen(token: u64) -> CommandError {
    CommandError {
        code: ErrorCode::Validation,
        message: format!("File {token} was not chosen on this computer; choose it again"),
        field: Some(Field::Files),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_gives_back_its_path_once_and_an_unknown_one_takes_nothing() {
        let chosen = ChosenFiles::default();
        let given = chosen.hold(vec![PathBuf::from("/photos/leak.jpg"), PathBuf::from("/photos/ceiling.jpg")]);
        assert_eq!(given.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["leak.jpg", "ceiling.jpg"]);
        let refused = chosen.take(&[given[0].token, 999]);
        assert!(refused.is_err_and(|err| err.field == Some(Field::Files)));
        assert_eq!(chosen.take(&[given[0].token]).unwrap(), [PathBuf::from("/photos/leak.jpg")]);
        assert!(chosen.take(&[given[0].token]).is_err(), "a path is handed back once");
        assert_eq!(chosen.take_one(given[1].token).unwrap(), PathBuf::from("/photos/ceiling.jpg"));
        assert!(chosen.take_one(given[1].token).is_err(), "and one alone too");
    }
}
