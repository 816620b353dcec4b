//! The one request path: every request a host sends goes through its [`Exchange`], whose
//! [`send`](Exchange::send) passes the rate gate, runs the attempt in its span, and decides
//! each answer exactly once (by [`verdict`]): success, another attempt after a delay, absent,
//! or an [`Error`]. A delete's ending becomes its [`Deleted`] here too
//! ([`Exchanged::into_deleted`]), so "not there" becomes an error in one place.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use progenitor_client::ResponseValue;
use tracing::Span;

use super::failure::{Failure, Verdict, into_error, verdict};
use super::observe::Observed;
use super::rate_gate::{Passed, RateGate};
use crate::{
    DeleteOptions, Deleted, Error, Event, Observer, Provider, RetryPolicy, State, Target, Tombstone,
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
                    return Exchanged { ending, earlier_may_have_reached_server: reached };
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
    /// The answer, or the error the exchange ended in (absent is [`Error::NotFound`] of
    /// `about` on `provider`).
    pub fn into_answer(self, provider: Provider, about: &About) -> Result<Answer<T>, Error> {
        match self.ending {
            Ending::Answered(answer) => Ok(answer),
            Ending::Absent => Err(Error::not_found(provider, about)),
            Ending::Failed(error) => Err(error),
        }
    }

    /// A delete's exchange as its uniform result: `settle` says what its answer means (a
    /// tombstone that says "not deleted" is an error); absent is success where an earlier
    /// attempt may have deleted it, or where `missing_ok` asks for it.
    pub fn into_deleted(
        self,
        target: &Target,
        options: &DeleteOptions,
        settle: impl FnOnce(Answer<T>) -> Result<(State, Option<Tombstone>), Error>,
    ) -> Result<Deleted, Error> {
        let reached = self.earlier_may_have_reached_server;
        let (state, tombstone) = match self.ending {
            Ending::Absent if reached => (State::ConfirmedByAbsence, None),
            Ending::Absent if options.missing_ok => (State::Absent, None),
            ending => settle(
                Exchanged { ending, earlier_may_have_reached_server: reached }
                    .into_answer(target.provider(), target)?,
            )?,
        };
        Ok(Deleted { provider: target.provider(), target: target.clone(), state, tombstone })
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
