//! One attempt of a generated client's request: a `tracing` span per attempt (provider,
//! attempt, status; never headers or tokens), around the client's own span that names the
//! operation (`modelhost_http::execute`), and failures reduced for retrying.
//! `exchange!` (in `retry`) builds every attempt from these.

use progenitor_client::ResponseValue;
use tracing::Span;

use crate::Provider;
use crate::failure::Failure;

/// The span of one attempt. Its status is recorded by [`record`].
pub(crate) fn attempt(provider: Provider, attempt: u32) -> Span {
    tracing::info_span!("modelhost.request", %provider, attempt, status = tracing::field::Empty)
}

/// Records an attempt's status in its `span`, and an event saying how it went.
#[inline]
pub(crate) fn record<T>(span: &Span, result: &Result<ResponseValue<T>, Failure>) {
    if !span.is_disabled() {
        let status = match result {
            Ok(response) => Some(response.status().as_u16()),
            Err(failure) => failure.status,
        };
        record_status(span, status, result.is_ok());
    }
}

/// Out of line: only a subscriber that wants the span gets here.
#[cold]
#[inline(never)]
fn record_status(span: &Span, status: Option<u16>, ok: bool) {
    if let Some(status) = status {
        span.record("status", status);
    }
    span.in_scope(|| tracing::debug!(ok, "response"));
}
