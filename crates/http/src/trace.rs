//! A span for every request a generated client sends, named after its operation as the
//! client's generator knows it (progenitor's `OperationInfo`), never typed by hand.

use tracing::Instrument;
use tracing::field::Empty;

/// Sends `request` with `client` inside a `modelhost.http` span (operation, method, status;
/// never the URL's query, headers or body, so no credential can reach a log).
///
/// The generated clients call it from their `ClientHooks::exec`, so users of a client alone
/// get the same spans as the facade, which nests them in its per-attempt span.
pub async fn execute(
    client: &reqwest::Client,
    request: reqwest::Request,
    operation: &'static str,
) -> reqwest::Result<reqwest::Response> {
    let span = tracing::info_span!("modelhost.http", operation, method = %request.method(), status = Empty);
    if span.is_disabled() {
        // No subscriber wants it: skip entering and leaving it on every poll.
        return client.execute(request).await;
    }
    let result = client.execute(request).instrument(span.clone()).await;
    if let Ok(response) = &result {
        span.record("status", response.status().as_u16());
    }
    result
}
