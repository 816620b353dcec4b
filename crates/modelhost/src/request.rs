//! Sending one request of a generated client: a `tracing` span per attempt (provider,
//! attempt, status; never headers or tokens), around the client's own span that names the
//! operation (`modelhost_http::execute`), and failures reduced for retrying.

use std::future::Future;

use progenitor_client::{Error as ClientError, ResponseValue};
use tracing::Instrument;

use crate::Provider;
use crate::failure::Failure;

/// One attempt, inside its span.
///
/// The generated client's request future is large (about 1.7 kB); it is boxed here, once,
/// so that the retry loop and the trait's boxed future around it stay small instead of
/// copying it at every layer (measured: the copies were most of the facade's overhead).
pub(crate) fn send<'a, T: 'a, E: serde::Serialize + 'a>(
    provider: Provider,
    attempt: u32,
    request: impl Future<Output = Result<ResponseValue<T>, ClientError<E>>> + 'a,
) -> impl Future<Output = Result<ResponseValue<T>, Failure>> + 'a {
    let request = Box::pin(request);
    async move {
        let span =
            tracing::info_span!("modelhost.request", %provider, attempt, status = tracing::field::Empty);
        if span.is_disabled() {
            // No subscriber wants the span: skip entering and leaving it on every poll.
            return reduce(request.await).await;
        }
        async {
            let result = reduce(request.await).await;
            let status = match &result {
                Ok(response) => Some(response.status().as_u16()),
                Err(failure) => failure.status,
            };
            if let Some(status) = status {
                tracing::Span::current().record("status", status);
            }
            tracing::debug!(ok = result.is_ok(), "response");
            result
        }
        .instrument(span)
        .await
    }
}

async fn reduce<T, E: serde::Serialize>(
    result: Result<ResponseValue<T>, ClientError<E>>,
) -> Result<ResponseValue<T>, Failure> {
    match result {
        Ok(response) => Ok(response),
        // Boxed: reading an error body is the rare path, and its future is large.
        Err(error) => Err(Box::pin(Failure::from_client(error)).await),
    }
}
