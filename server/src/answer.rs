//! A command's answer written as its request asked (`Accept`): the compact bytes the web
//! portal's page reads (`plumbline_domain::wire::MEDIA_TYPE`), or JSON for the desktop's
//! client and anyone else. Refusals are JSON either way (`error`).

use crate::error::ApiError;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use plumbline_domain::wire;
use plumbline_service::api::AnswerFormat;
use serde::Serialize;

/// `answer`, to be written as `format`.
pub struct Answer<T>(pub AnswerFormat, pub T);

/// The format the request asks its answer in: the page's bytes only when it names them.
pub fn asked(headers: &HeaderMap) -> AnswerFormat {
    let accept = headers.get(header::ACCEPT).and_then(|value| value.to_str().ok()).unwrap_or_default();
    match accept.split(',').any(|media_type| media_type.trim() == wire::MEDIA_TYPE) {
        true => AnswerFormat::Bytes,
        false => AnswerFormat::Json,
    }
}

impl<T: Serialize> IntoResponse for Answer<T> {
    fn into_response(self) -> Response {
        let Answer(format, answer) = self;
        match format.write(&answer) {
            Ok(written) => written_as(format, written),
            Err(err) => ApiError::from(err).into_response(),
        }
    }
}

/// An answer already written as `format` (the service's dispatch writes its own).
pub fn written_as(format: AnswerFormat, written: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, format.media_type())], written).into_response()
}
