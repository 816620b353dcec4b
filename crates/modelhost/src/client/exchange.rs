//! The one request path: every request a host sends goes through its [`Exchange`], whose
//! [`send`](Exchange::send) passes the rate gate, runs the attempt in its span, and decides
//! each answer exactly once: success, another attempt after a delay, absent, or an
//! [`Error`]. A failed attempt is first read into a [`Failure`], reduced to what deciding
//! needs (status, the provider's words, the server's requested delay, a bounded excerpt of
//! the body); every value comes from a server, so each is read defensively: numbers
//! saturate instead of overflowing, text is capped at [`EXCERPT_BYTES`]. Then its
//! [`verdict`] goes by the HTTP status first (a body may be JSON, HTML, empty or cut off),
//! and [`into_error`] is the one place a failed exchange becomes an [`Error`]. A delete's
//! ending is settled here too ([`Exchanged::settle_delete`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use modelhost_http::BodyTooLarge;
use modelhost_text::capped;
use progenitor_client::{Error as ClientError, ResponseValue};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use tracing::Span;

use super::observe::Observed;
use super::rate_gate::{Passed, RateGate};
use crate::{
    ConflictReason, DeleteOptions, EXCERPT_BYTES, Error, Event, Observer, Provider, RetryPolicy, State,
    Tombstone,
};

/// Decodes the body of a success status the API does not document (a 200 where a 204 is
/// documented), to see whether it is the documented success after all.
pub(crate) type Decode<T> = fn(&[u8]) -> serde_json::Result<T>;

/// What a request is about, named in its errors (a reference, or a list).
pub(crate) type About = dyn fmt::Display + Sync;

/// The documented body, as JSON: the [`Decode`] of every request with one.
pub(crate) fn json<T: serde::de::DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    serde_json::from_slice(body)
}

/// A host's request path: its provider, retry policy, rate gate and observer.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    provider: Provider,
    policy: RetryPolicy,
    gate: Arc<RateGate>,
    observer: Option<Observed>,
}

/// How an exchange ended.
#[derive(Debug)]
pub(crate) struct Exchanged<T> {
    /// The provider it was with (named in the error an absent resource ends in).
    pub provider: Provider,
    /// The last attempt's ending.
    pub ending: Ending<T>,
    /// Whether an attempt before the last may have reached the server (so a delete it
    /// carried may have taken effect).
    pub earlier_may_have_reached_server: bool,
}

/// The end of an exchange, decided once.
#[derive(Debug)]
pub(crate) enum Ending<T> {
    /// A success status, with the documented body where there was a body.
    Answered(Answer<T>),
    /// 404 or 410: the resource is not there.
    Absent,
    /// Anything else, as the error it means.
    Failed(Error),
}

/// A success: its status, and its documented body (none for an empty undocumented success).
#[derive(Debug)]
pub(crate) struct Answer<T> {
    /// The HTTP status.
    pub status: u16,
    /// The documented body, when there was a body.
    pub body: Option<T>,
}

/// What follows a failed attempt.
enum Step<T> {
    Retry(Duration),
    End(Ending<T>),
}

impl Exchange {
    /// The request path of a new host of `provider`: the default [`RetryPolicy`], its own
    /// rate gate, no observer. The one constructor every host uses.
    pub fn new(provider: Provider) -> Self {
        Self { provider, policy: RetryPolicy::DEFAULT, gate: Arc::default(), observer: None }
    }

    /// Replaces the retry policy.
    pub fn set_retry(&mut self, policy: RetryPolicy) {
        self.policy = policy;
    }

    /// Reports rate limits and cascades' progress to `observer`.
    pub fn set_observer(&mut self, observer: Arc<dyn Observer>) {
        self.observer = Some(Observed(observer));
    }

    /// The observer, if one was set.
    pub fn observer(&self) -> Option<&dyn Observer> {
        self.observer.as_ref().map(|o| &*o.0)
    }

    /// Sends the request `request` builds (again for each attempt) until it succeeds, fails
    /// in a way that is not retryable, or the policy is spent. `about` names the resource in
    /// an error; `decode` reads an undocumented success's body.
    pub async fn send<T, E, Fut>(
        &self,
        about: &About,
        decode: Decode<T>,
        mut request: impl FnMut() -> Fut,
    ) -> Exchanged<T>
    where
        Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
        E: serde::Serialize + Send + 'static,
    {
        let started = Instant::now();
        let mut attempt = 1;
        let mut reached = false;
        loop {
            let pass = self.gate.enter().await;
            let span = attempt_span(self.provider, attempt);
            // No subscriber wants the span: skip entering and leaving it on every poll.
            let result = if span.is_disabled() {
                request().await
            } else {
                tracing::Instrument::instrument(request(), span.clone()).await
            };
            let failure = match result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    pass.finish(Passed::Answered);
                    record(&span, Some(status), true);
                    let answer = Answer { status, body: Some(response.into_inner()) };
                    return Exchanged {
                        provider: self.provider,
                        ending: Ending::Answered(answer),
                        earlier_may_have_reached_server: reached,
                    };
                }
                Err(error) => Failure::read(error).await,
            };
            record(&span, failure.status, false);
            let (passed, step) = self.after(failure, about, decode, attempt, started, &mut reached);
            pass.finish(passed);
            // Told after the gate has let go: the observer may write to a terminal.
            if let (Passed::Throttled(wait), Some(observer)) = (passed, &self.observer) {
                observer.0.observe(&Event::RateLimited { provider: self.provider, wait });
            }
            match step {
                Step::Retry(delay) => {
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Step::End(ending) => {
                    return Exchanged {
                        provider: self.provider,
                        ending,
                        earlier_may_have_reached_server: reached,
                    };
                }
            }
        }
    }

    /// What a failed attempt means, for the gate and for the exchange. Out of line: the rare
    /// path, kept out of every request's own code.
    #[cold]
    #[inline(never)]
    fn after<T>(
        &self,
        mut failure: Failure,
        about: &About,
        decode: Decode<T>,
        attempt: u32,
        started: Instant,
        reached: &mut bool,
    ) -> (Passed, Step<T>) {
        if let (Some(status), Some(body)) = (failure.status, failure.undocumented_success.take()) {
            return (
                Passed::Answered,
                Step::End(self.undocumented_success(status, &body, decode, failure, about)),
            );
        }
        let verdict = verdict(&failure);
        let passed = match verdict {
            Verdict::Retry { throttled: true, hint } => Passed::Throttled(self.policy.hold(hint)),
            _ if failure.status.is_some() => Passed::Answered,
            _ => Passed::Failed,
        };
        let step = match verdict {
            Verdict::Absent => Step::End(Ending::Absent),
            Verdict::Retry { hint, .. } => match self.policy.wait(attempt, hint, started.elapsed()) {
                Some(delay) => {
                    *reached |= failure.may_have_reached_server;
                    tracing::debug!(
                        attempt,
                        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                        status = failure.status,
                        "retrying"
                    );
                    Step::Retry(delay)
                }
                None => Step::End(Ending::Failed(into_error(self.provider, about, failure))),
            },
            Verdict::Fail => Step::End(Ending::Failed(into_error(self.provider, about, failure))),
        };
        (passed, step)
    }

    /// A success status the API does not document: the documented success when its body is
    /// empty or decodes as the documented one, else an unexpected response that says so.
    fn undocumented_success<T>(
        &self,
        status: u16,
        body: &[u8],
        decode: Decode<T>,
        mut failure: Failure,
        about: &About,
    ) -> Ending<T> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ending::Answered(Answer { status, body: None });
        }
        match decode(body) {
            Ok(decoded) => Ending::Answered(Answer { status, body: Some(decoded) }),
            Err(e) => {
                failure.excerpt = format!(
                    "an undocumented HTTP {status} whose body is not the documented one ({e}): {}",
                    failure.excerpt
                );
                Ending::Failed(into_error(self.provider, about, failure))
            }
        }
    }
}

impl<T> Exchanged<T> {
    /// The same exchange with its answer's body made another type (one kind's tombstone
    /// the facade's).
    #[cfg_attr(not(feature = "baseten"), allow(dead_code))]
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Exchanged<U> {
        let ending = match self.ending {
            Ending::Answered(Answer { status, body }) => {
                Ending::Answered(Answer { status, body: body.map(f) })
            }
            Ending::Absent => Ending::Absent,
            Ending::Failed(error) => Ending::Failed(error),
        };
        Exchanged {
            provider: self.provider,
            ending,
            earlier_may_have_reached_server: self.earlier_may_have_reached_server,
        }
    }

    /// The answer, or the error the exchange ended in (absent is [`Error::NotFound`] of
    /// `about`).
    pub fn into_answer(self, about: &About) -> Result<Answer<T>, Error> {
        self.ending.into_answer(self.provider, about)
    }

    /// Where a delete of `about` stands after its exchange: `settle` says what its answer
    /// means (a tombstone that says "not deleted" is an error); absent is success where an
    /// earlier attempt may have deleted it, or where `missing_ok` asks for it. The caller
    /// makes it a [`Deleted`](crate::Deleted) with the target it owns (no copy of the reference).
    pub fn settle_delete(
        self,
        about: &About,
        options: &DeleteOptions,
        settle: impl FnOnce(Answer<T>) -> Result<(State, Option<Tombstone>), Error>,
    ) -> Result<(State, Option<Tombstone>), Error> {
        match self.ending {
            Ending::Absent if self.earlier_may_have_reached_server => Ok((State::ConfirmedByAbsence, None)),
            Ending::Absent if options.missing_ok => Ok((State::Absent, None)),
            ending => settle(ending.into_answer(self.provider, about)?),
        }
    }
}

impl<T> Ending<T> {
    /// The answer, or the error this ending is (absent is [`Error::NotFound`] of `about` on
    /// `provider`).
    fn into_answer(self, provider: Provider, about: &About) -> Result<Answer<T>, Error> {
        match self {
            Self::Answered(answer) => Ok(answer),
            Self::Absent => Err(Error::not_found(provider, about)),
            Self::Failed(error) => Err(error),
        }
    }
}

/// The span of one attempt (provider, attempt, status; never headers or tokens), around the
/// generated client's own span that names the operation (`modelhost_http::execute`).
fn attempt_span(provider: Provider, attempt: u32) -> Span {
    tracing::info_span!("modelhost.request", %provider, attempt, status = tracing::field::Empty)
}

/// Records an attempt's status in its span, and an event saying how it went.
#[inline]
fn record(span: &Span, status: Option<u16>, ok: bool) {
    if !span.is_disabled() {
        record_status(span, status, ok);
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

/// What went wrong in one exchange, before it is classified.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The HTTP status, if a response arrived.
    pub status: Option<u16>,
    /// The provider's explanation (`detail` of a problem document, `error` of Baseten's body),
    /// at most [`EXCERPT_BYTES`].
    pub detail: Option<String>,
    /// The delay the server asked for (`Retry-After`, else Baseten's `retry_after` field);
    /// [`Duration::MAX`] for one too long to represent.
    pub retry_after: Option<Duration>,
    /// The start of the body, or a description of what failed.
    pub excerpt: String,
    /// The transport error, if no response (or no whole body) arrived.
    pub transport: Option<reqwest::Error>,
    /// Whether the request may have reached the server (so a DELETE may have taken effect).
    pub may_have_reached_server: bool,
    /// The whole body of a success status the API does not document (bounded by
    /// [`ClientSettings::max_body_bytes`](crate::ClientSettings::max_body_bytes)), for a
    /// delete to decide whether it says done.
    pub undocumented_success: Option<bytes::Bytes>,
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
    /// undocumented error body (and the whole of an undocumented success body, within the
    /// client's body limit).
    pub async fn from_client<E: serde::Serialize>(error: ClientError<E>) -> Self {
        match error {
            ClientError::ErrorResponse(response) => {
                let status = response.status().as_u16();
                let retry_after = retry_after_header(response.headers());
                // The documented error body, already decoded: read as it is, not printed and
                // parsed again.
                let body = serde_json::to_value(response.into_inner()).unwrap_or_default();
                Self::json(status, retry_after, Some(&body), || capped(&body.to_string(), EXCERPT_BYTES))
            }
            ClientError::UnexpectedResponse(response) if response.status().is_success() => {
                let status = response.status().as_u16();
                let retry_after = retry_after_header(response.headers());
                match response.bytes().await {
                    Ok(body) => Self {
                        undocumented_success: Some(body.clone()),
                        ..Self::response(status, retry_after, &body)
                    },
                    Err(e) => Self::body_error(e),
                }
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
            ClientError::ResponseBodyError(e) => Self::body_error(e),
            ClientError::CommunicationError(e) | ClientError::InvalidUpgrade(e) => Self::transport(e),
            ClientError::InvalidRequest(message) | ClientError::Custom(message) => Self {
                status: None,
                detail: None,
                retry_after: None,
                excerpt: capped(&message, EXCERPT_BYTES),
                transport: None,
                may_have_reached_server: false,
                undocumented_success: None,
            },
        }
    }

    /// A body that could not be read whole: too large for the client's limit (an answer,
    /// by its status), or cut off (no answer that settles anything, but the request did
    /// reach the server).
    fn body_error(e: reqwest::Error) -> Self {
        match BodyTooLarge::find(&e) {
            Some(too_large) => {
                Self { excerpt: too_large.to_string(), ..Self::response(too_large.status, None, b"") }
            }
            None => Self { may_have_reached_server: true, ..Self::transport(e) },
        }
    }

    fn transport(e: reqwest::Error) -> Self {
        // A refused connection never reached the server; a timeout or a dropped connection may have.
        let may_have_reached_server = !e.is_connect();
        Self {
            status: None,
            detail: None,
            retry_after: None,
            excerpt: capped(&e.to_string(), EXCERPT_BYTES),
            transport: Some(e),
            may_have_reached_server,
            undocumented_success: None,
        }
    }

    /// An error answer whose body is `body` (JSON, HTML, empty or cut off).
    pub(crate) fn response(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Self {
        let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        Self::json(status, retry_after, json.as_ref(), || excerpt(body))
    }

    /// An error answer with its body as JSON where it is JSON, and its excerpt.
    fn json(
        status: u16,
        retry_after: Option<Duration>,
        json: Option<&serde_json::Value>,
        excerpt: impl FnOnce() -> String,
    ) -> Self {
        let field = |name: &str| {
            json.and_then(|j| j.get(name)).and_then(|v| v.as_str()).map(|text| capped(text, EXCERPT_BYTES))
        };
        let detail = field("detail").or_else(|| field("error"));
        let body_delay =
            json.and_then(|j| j.get("retry_after")).and_then(serde_json::Value::as_f64).and_then(seconds);
        Self {
            status: Some(status),
            detail,
            retry_after: retry_after.or(body_delay),
            excerpt: excerpt(),
            transport: None,
            may_have_reached_server: true,
            undocumented_success: None,
        }
    }
}

/// A number of seconds as a delay: `None` for a negative or NaN one, [`Duration::MAX`] for
/// one too long to represent (`1e20`, infinity).
pub(crate) fn seconds(value: f64) -> Option<Duration> {
    if value.is_nan() || value < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(value).unwrap_or(Duration::MAX))
}

/// `Retry-After` as delay-seconds or an HTTP date; delay-seconds too large for a `u64` are
/// [`Duration::MAX`], a date in the past is no delay, anything else is ignored.
pub(crate) fn retry_after_header(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.parse::<u64>().map_or(Duration::MAX, Duration::from_secs));
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

/// The start of a body as text, capped like any other text a server sends.
fn excerpt(body: &[u8]) -> String {
    // A character is at most 4 bytes: past this, `capped` cuts whatever the bytes decode to.
    let start = &body[..body.len().min(EXCERPT_BYTES + 4)];
    capped(&String::from_utf8_lossy(start), EXCERPT_BYTES)
}

/// What to do about a failed exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Another attempt may succeed, after at least `hint` when the server gave one. A rate
    /// limit (`throttled`) also holds back the host's other requests.
    Retry {
        /// Whether the server said too many requests (429).
        throttled: bool,
        /// The delay the server asked for.
        hint: Option<Duration>,
    },
    /// The resource is not there: 404, or 410 (gone).
    Absent,
    /// Final: [`into_error`] says why.
    Fail,
}

/// Classifies a failed exchange.
pub(crate) fn verdict(failure: &Failure) -> Verdict {
    match failure.status {
        Some(429) => Verdict::Retry { throttled: true, hint: failure.retry_after },
        Some(502..=504) => Verdict::Retry { throttled: false, hint: failure.retry_after },
        Some(404 | 410) => Verdict::Absent,
        Some(_) => Verdict::Fail,
        // No response, or one cut off in its body: a refused connection, a timeout, a request
        // that could not be sent or a body that broke off may go through on another attempt
        // (which, for a delete that landed, finds it absent).
        None if failure.transport.as_ref().is_some_and(|e| {
            e.is_connect() || e.is_timeout() || e.is_request() || e.is_body() || e.is_decode()
        }) =>
        {
            Verdict::Retry { throttled: false, hint: None }
        }
        None => Verdict::Fail,
    }
}

/// The error a failed exchange with `provider` about `resource` ends in: the one place HTTP
/// statuses become [`Error`] variants.
pub(crate) fn into_error(provider: Provider, resource: &About, failure: Failure) -> Error {
    let Some(status) = failure.status else {
        return match failure.transport {
            Some(source) => Error::transport(provider, source),
            None => Error::UnexpectedResponse { provider, status: None, excerpt: failure.excerpt },
        };
    };
    let resource = resource.to_string();
    match status {
        404 | 410 => Error::not_found(provider, &resource),
        401 => Error::Unauthenticated { provider },
        403 => Error::PermissionDenied { provider, resource, detail: failure.detail },
        // A 409 is a conflict whatever its body; when the body does not decode (HTML, cut
        // off), its excerpt stands for the provider's words.
        409 => {
            let detail = failure.detail.or_else(|| Some(failure.excerpt).filter(|e| !e.trim().is_empty()));
            Error::Conflict {
                provider,
                resource,
                reason: ConflictReason::from_detail(detail.as_deref()),
                detail,
            }
        }
        400 | 412 | 422 if failure.detail.is_some() => Error::Conflict {
            provider,
            resource,
            reason: ConflictReason::from_detail(failure.detail.as_deref()),
            detail: failure.detail,
        },
        429 => Error::RateLimited { provider, retry_after: failure.retry_after },
        _ => Error::UnexpectedResponse { provider, status: Some(status), excerpt: failure.excerpt },
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn header(value: &str) -> Option<Duration> {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        retry_after_header(&headers)
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(header("7"), Some(Duration::from_secs(7)));
        assert_eq!(header(" 3 "), Some(Duration::from_secs(3)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let delay = header(&later).unwrap();
        assert!(delay > Duration::from_secs(100) && delay <= Duration::from_secs(120), "{delay:?}");
        assert_eq!(header("soon"), None);
        assert_eq!(header("-5"), None);
        assert_eq!(header("18446744073709551615"), Some(Duration::from_secs(u64::MAX)));
        assert_eq!(header("99999999999999999999999999"), Some(Duration::MAX));
        assert!(header("Fri, 31 Dec 9999 23:59:59 GMT").is_some_and(|d| d > Duration::from_secs(1 << 37)));
        assert_eq!(header("Thu, 01 Jan 1970 00:00:00 GMT"), Some(Duration::ZERO));
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
        let long = serde_json::json!({"detail": "é".repeat(4000)}).to_string();
        let f = Failure::response(409, None, long.as_bytes());
        assert!(f.detail.is_some_and(|d| d.len() <= EXCERPT_BYTES + '…'.len_utf8()));
    }

    #[test]
    fn body_delays_never_panic_and_saturate() {
        for (body, expected) in [
            (r#"{"retry_after": 1e20}"#, Some(Duration::MAX)),
            (r#"{"retry_after": 1e308}"#, Some(Duration::MAX)),
            (r#"{"retry_after": -1}"#, None),
            (r#"{"retry_after": 0.5}"#, Some(Duration::from_millis(500))),
            (r#"{"retry_after": "37"}"#, None),
        ] {
            assert_eq!(Failure::response(429, None, body.as_bytes()).retry_after, expected, "{body}");
        }
        assert_eq!(seconds(f64::NAN), None);
        assert_eq!(seconds(f64::INFINITY), Some(Duration::MAX));
    }

    fn failure(status: u16, body: &str) -> Failure {
        Failure::response(status, None, body.as_bytes())
    }

    #[test]
    fn the_status_decides_whatever_the_body() {
        let html = "<html><body>502 Bad Gateway</body></html>";
        for body in [html, "", "{\"detail\": \"cut off"] {
            assert_eq!(verdict(&failure(429, body)), Verdict::Retry { throttled: true, hint: None });
            for status in [502, 503, 504] {
                assert_eq!(verdict(&failure(status, body)), Verdict::Retry { throttled: false, hint: None });
            }
            for status in [404, 410] {
                assert_eq!(verdict(&failure(status, body)), Verdict::Absent);
                assert!(matches!(
                    into_error(Provider::Replicate, &"r", failure(status, body)),
                    Error::NotFound { .. }
                ));
            }
            for status in [400, 401, 403, 409, 500] {
                assert_eq!(verdict(&failure(status, body)), Verdict::Fail, "{status}");
            }
        }
    }

    #[test]
    fn a_conflict_keeps_the_providers_words_or_the_excerpt() {
        let json = failure(409, r#"{"detail": "Version has an associated deployment"}"#);
        let Error::Conflict { reason, detail, .. } = into_error(Provider::Replicate, &"r", json) else {
            panic!()
        };
        assert_eq!(
            (reason, detail.as_deref()),
            (ConflictReason::VersionHasDeployment, Some("Version has an associated deployment"))
        );
        let cut = failure(409, r#"{"detail": "Other users have run predictions with th"#);
        let Error::Conflict { reason, detail, .. } = into_error(Provider::Replicate, &"r", cut) else {
            panic!()
        };
        assert_eq!(reason, ConflictReason::VersionUsedByOthers);
        assert!(detail.is_some_and(|d| d.starts_with("{\"detail\"")));
    }
}
