//! A failed exchange reduced to what classification needs: status, the provider's words,
//! the server's requested delay, and a bounded excerpt of the body.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use progenitor_client::Error as ClientError;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::error::EXCERPT_BYTES;

/// What went wrong in one exchange, before it is classified.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The HTTP status, if a response arrived.
    pub status: Option<u16>,
    /// The provider's explanation (`detail` of a problem document, `error` of Baseten's body).
    pub detail: Option<String>,
    /// The delay the server asked for (`Retry-After`, else Baseten's `retry_after` field).
    pub retry_after: Option<Duration>,
    /// The start of the body, or a description of what failed.
    pub excerpt: String,
    /// The transport error, if no response arrived.
    pub transport: Option<reqwest::Error>,
    /// Whether the request may have reached the server (so a DELETE may have taken effect).
    pub may_have_reached_server: bool,
}

impl Failure {
    /// [`Failure::from_client`], boxed and out of line: reading an error body is the rare
    /// path, and its future is large.
    #[cold]
    #[inline(never)]
    pub fn read<E: serde::Serialize + Send + 'static>(
        error: ClientError<E>,
    ) -> Pin<Box<dyn Future<Output = Self> + Send>> {
        Box::pin(Self::from_client(error))
    }

    /// Reduces a generated client's error, reading at most [`EXCERPT_BYTES`] of an
    /// undocumented body.
    pub async fn from_client<E: serde::Serialize>(error: ClientError<E>) -> Self {
        match error {
            ClientError::ErrorResponse(response) => {
                let status = response.status().as_u16();
                let retry_after = retry_after_header(response.headers());
                let body = serde_json::to_value(response.into_inner()).unwrap_or_default();
                Self::response(status, retry_after, body.to_string().as_bytes())
            }
            ClientError::UnexpectedResponse(response) => {
                let status = response.status().as_u16();
                let retry_after = retry_after_header(response.headers());
                let body = read_bounded(response).await;
                Self::response(status, retry_after, &body)
            }
            ClientError::InvalidResponsePayload(body, e) => Self {
                excerpt: format!("the body does not decode ({e}): {}", excerpt(&body)),
                ..Self::response(200, None, &body)
            },
            ClientError::CommunicationError(e)
            | ClientError::ResponseBodyError(e)
            | ClientError::InvalidUpgrade(e) => Self::transport(e),
            ClientError::InvalidRequest(message) | ClientError::Custom(message) => Self {
                status: None,
                detail: None,
                retry_after: None,
                excerpt: message,
                transport: None,
                may_have_reached_server: false,
            },
        }
    }

    fn transport(e: reqwest::Error) -> Self {
        // A refused connection never reached the server; a timeout or a dropped connection may have.
        let may_have_reached_server = !e.is_connect();
        Self {
            status: None,
            detail: None,
            retry_after: None,
            excerpt: e.to_string(),
            transport: Some(e),
            may_have_reached_server,
        }
    }

    pub(crate) fn response(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Self {
        let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        let field =
            |name: &str| json.as_ref().and_then(|j| j.get(name)).and_then(|v| v.as_str()).map(str::to_owned);
        let detail = field("detail").or_else(|| field("error"));
        let body_delay = json
            .as_ref()
            .and_then(|j| j.get("retry_after"))
            .and_then(serde_json::Value::as_f64)
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        Self {
            status: Some(status),
            detail,
            retry_after: retry_after.or(body_delay),
            excerpt: excerpt(body),
            transport: None,
            may_have_reached_server: true,
        }
    }
}

/// `Retry-After` as delay-seconds or an HTTP date.
pub(crate) fn retry_after_header(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

async fn read_bounded(mut response: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() >= EXCERPT_BYTES {
            break;
        }
    }
    body
}

fn excerpt(body: &[u8]) -> String {
    let cut = &body[..body.len().min(EXCERPT_BYTES)];
    let text = String::from_utf8_lossy(cut);
    if body.len() > EXCERPT_BYTES { format!("{text}…") } else { text.into_owned() }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after_header(&headers), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        let delay = retry_after_header(&headers).unwrap();
        assert!(delay > Duration::from_secs(100) && delay <= Duration::from_secs(120), "{delay:?}");
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after_header(&headers), None);
    }

    #[test]
    fn bodies_give_detail_delay_and_a_bounded_excerpt() {
        let f = Failure::response(
            429,
            None,
            br#"{"error": "Rate limit exceeded. Please try again later.", "retry_after": 37}"#,
        );
        assert_eq!(f.detail.as_deref(), Some("Rate limit exceeded. Please try again later."));
        assert_eq!(f.retry_after, Some(Duration::from_secs(37)));
        let f = Failure::response(500, None, &vec![b'x'; 4096]);
        assert_eq!(f.excerpt.chars().count(), EXCERPT_BYTES + 1);
    }
}
