//! Sending one request of a generated client: a `tracing` span per attempt (provider,
//! operation, attempt, status; never headers or tokens), and failures reduced for retrying.

use std::future::Future;

use progenitor_client::{Error as ClientError, ResponseValue};
use tracing::Instrument;

use crate::Provider;
use crate::failure::Failure;

/// Awaits one attempt of `operation` inside its span.
pub(crate) async fn send<T, E: serde::Serialize>(
    provider: Provider,
    operation: &'static str,
    attempt: u32,
    request: impl Future<Output = Result<ResponseValue<T>, ClientError<E>>>,
) -> Result<ResponseValue<T>, Failure> {
    let span = tracing::info_span!("modelhost.request", %provider, operation, attempt, status = tracing::field::Empty);
    async {
        let result = match request.await {
            Ok(response) => Ok(response),
            Err(error) => Err(Failure::from_client(error).await),
        };
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
