//! A bound on every response body a client reads: a server that announces or streams more
//! than [`ClientSettings::max_body_bytes`](crate::ClientSettings::max_body_bytes) gets an
//! error, not the process's memory.

use std::error::Error as StdError;

use http_body_util::{BodyExt, LengthLimitError, Limited};
use reqwest::ResponseBuilderExt;

/// What a generated client carries besides its base URL and `reqwest::Client` (progenitor's
/// inner type): the limits its requests are held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest response body read, in bytes.
    pub max_body_bytes: u64,
}

impl Default for Limits {
    /// Bodies of at most [`DEFAULT_MAX_BODY_BYTES`](crate::DEFAULT_MAX_BODY_BYTES).
    fn default() -> Self {
        Self { max_body_bytes: crate::DEFAULT_MAX_BODY_BYTES }
    }
}

/// A response body longer than [`Limits::max_body_bytes`]: the source of the `reqwest::Error`
/// a generated client returns when reading it (find it with [`BodyTooLarge::find`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the response body (HTTP {status}) is larger than the limit of {limit} bytes{}",
    announced.map(|n| format!(": the server announced {n} bytes")).unwrap_or_default()
)]
pub struct BodyTooLarge {
    /// The response's HTTP status.
    pub status: u16,
    /// The limit it broke.
    pub limit: u64,
    /// The length its `Content-Length` announced, when that alone broke the limit.
    pub announced: Option<u64>,
}

impl BodyTooLarge {
    /// The `BodyTooLarge` somewhere in `error`'s chain of sources, if there is one.
    pub fn find(error: &(dyn StdError + 'static)) -> Option<Self> {
        let mut next = Some(error);
        while let Some(e) = next {
            if let Some(found) = e.downcast_ref::<Self>() {
                return Some(*found);
            }
            next = e.source();
        }
        None
    }
}

/// `response` with a body that fails once it passes `limits`; at once, without reading,
/// when its `Content-Length` already does.
///
/// A body whose `Content-Length` is within the limit is left as it is: hyper reads no byte
/// past the announced length, so only a streamed body (or an announced excess) needs the
/// wrapper, and the common answer pays nothing for it.
pub(crate) fn bounded(response: reqwest::Response, limits: Limits) -> reqwest::Response {
    let status = response.status().as_u16();
    let limit = limits.max_body_bytes;
    if response.content_length().is_some_and(|n| n <= limit) {
        return response;
    }
    let announced = response.content_length().filter(|n| *n > limit);
    // An announced excess allows no byte at all: the first chunk fails.
    let allowed = if announced.is_some() { 0 } else { usize::try_from(limit).unwrap_or(usize::MAX) };
    let url = response.url().clone();
    let mut response = http::Response::<reqwest::Body>::from(response);
    // The URL travels beside the response, not in it: carry it over, or errors would name
    // reqwest's placeholder URL instead.
    if let Ok(mut carrier) = http::Response::builder().url(url).body(()) {
        response.extensions_mut().extend(std::mem::take(carrier.extensions_mut()));
    }
    response
        .map(|body| {
            reqwest::Body::wrap(Limited::new(body, allowed).map_err(move |e| {
                if e.is::<LengthLimitError>() {
                    Box::new(BodyTooLarge { status, limit, announced }) as Box<dyn StdError + Send + Sync>
                } else {
                    e
                }
            }))
        })
        .into()
}
