//! How a command's answer travels to the page: postcard's compact bytes, not JSON.
//!
//! The page reads an answer straight from bytes in its wasm. As JSON it was parsed into
//! JavaScript objects first and then read field by field across the wasm boundary, and
//! reading JSON took generic code for every answer's type, a third of the UI's wasm
//! (#17). Postcard reads a struct as its fields in order, so the bytes name nothing:
//! the reader must be the writer's version. The shell embeds its page, and the agency
//! server serves the web portal's own build; between a desktop and an agency server the
//! media type names the version ([`MEDIA_TYPE`]), and a server of another version
//! answers JSON, which the desktop refuses to pass on as bytes.
//!
//! Arguments and refusals (`api::CommandError`) stay JSON: the server checks what it is
//! sent, and a refusal must be readable whatever answered it (a proxy, an old server).
//! JSON also stays what the agency server answers unless asked ([`MEDIA_TYPE`]).

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The media type a request accepts, and its answer comes as, for postcard answers: of
/// this version's shapes only.
pub const MEDIA_TYPE: &str = concat!("application/x-postcard; plumbline=", env!("CARGO_PKG_VERSION"));

/// An answer as the bytes a page reads.
pub fn encode<T: Serialize>(answer: &T) -> Result<Vec<u8>, postcard::Error> {
    postcard::to_allocvec(answer)
}

/// An answer read from its bytes.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, postcard::Error> {
    postcard::from_bytes(bytes)
}
