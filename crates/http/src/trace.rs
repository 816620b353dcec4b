//! A span for every request a generated client sends, named after its operation as the
//! client's generator knows it (progenitor's `OperationInfo`), never typed by hand.

use tracing::Instrument;
use tracing::field::Empty;

use crate::body_limit::{Limits, bounded};

/// Sends `request` with `client` inside a `modelhost.http` span (operation, method, status;
/// never the URL's query, headers or body, so no credential can reach a log), and bounds the
/// response's body by `limits`.
///
/// The generated clients call it from their `ClientHooks::exec`, so users of a client alone
/// get the same spans and limits as the facade, which nests the spans in its per-attempt span.
pub async fn execute(
    client: &reqwest::Client,
    request: reqwest::Request,
    operation: &'static str,
    limits: Limits,
) -> reqwest::Result<reqwest::Response> {
    let span = tracing::info_span!("modelhost.http", operation, method = %request.method(), status = Empty);
    if span.is_disabled() {
        // No subscriber wants it: skip entering and leaving it on every poll.
        return client.execute(request).await.map(|response| bounded(response, limits));
    }
    let result = client.execute(request).instrument(span.clone()).await;
    if let Ok(response) = &result {
        span.record("status", response.status().as_u16());
    }
    result.map(|response| bounded(response, limits))
}

/// Implements progenitor's `ClientHooks` for a generated client (generated with [`Limits`]
/// as its inner type) so that every request goes through [`execute`]:
/// `modelhost_http::trace_operations!(Client);` in the client's crate, which must depend on
/// `progenitor-client` and `reqwest`.
#[macro_export]
macro_rules! trace_operations {
    ($client:ty) => {
        /// Every request goes through [`modelhost_http::execute`]: a span named after the
        /// operation progenitor generated it for, and a bounded body.
        impl progenitor_client::ClientHooks<$crate::Limits> for $client {
            async fn exec(
                &self,
                request: reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                use progenitor_client::ClientInfo;
                $crate::execute(self.client(), request, info.operation_id, *self.inner()).await
            }
        }
    };
}
