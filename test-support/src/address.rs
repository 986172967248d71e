//! A test's store as another process (a child the test starts) opens it.

use plumbline_service::Store;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// A SQLite data directory, or a PostgreSQL database's URL and the attached files'
/// folder. Written as one line (`sqlite <dir>`, `postgres <url> <files dir>`) so a child
/// process can get it in an environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreAddress {
    Sqlite(PathBuf),
    Postgres { url: String, files_dir: PathBuf },
}

impl fmt::Display for StoreAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(dir) => write!(f, "sqlite {}", dir.display()),
            Self::Postgres { url, files_dir } => write!(f, "postgres {url} {}", files_dir.display()),
        }
    }
}

impl FromStr for StoreAddress {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // A URL has no spaces; a path may, so it comes last.
        match text.split_once(' ') {
            Some(("sqlite", dir)) => Ok(Self::Sqlite(dir.into())),
            Some(("postgres", rest)) => match rest.split_once(' ') {
                Some((url, files_dir)) => Ok(Self::Postgres { url: url.to_owned(), files_dir: files_dir.into() }),
                None => Err(format!("no files folder in {text:?}")),
            },
            _ => Err(format!("not a store address: {text:?}")),
        }
    }
}

/// Opens the store at `address` (already migrated by the test that made it).
pub async fn open_address(address: &StoreAddress) -> Store {
    match address {
        StoreAddress::Sqlite(dir) => Store::open(dir).await.expect("store opens"),
        StoreAddress::Postgres { url, files_dir } => Store::connect(url, files_dir).await.expect("store connects"),
    }
}

#[cfg(test)]
mod tests {
    use super::StoreAddress;

    #[test]
    fn a_store_address_reads_back_as_written() {
        for address in [
            StoreAddress::Sqlite("/tmp/a dir".into()),
            StoreAddress::Postgres { url: "postgres://u@h:5/t".into(), files_dir: "/tmp/a dir/files".into() },
        ] {
            assert_eq!(address.to_string().parse::<StoreAddress>(), Ok(address));
        }
    }
}
