//! Retrying, in one place: exponential backoff with full jitter, at least as long as the server
//! asked, bounded by attempts and by total time. What is retried is `classify`'s to say.

use std::time::{Duration, Instant};

use crate::classify::{Verdict, verdict};
use crate::failure::Failure;
use crate::rate_gate::{Pass, Passed, RateGate};

/// How patiently a request is retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 means no retry).
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles with each further one.
    pub base_delay: Duration,
    /// The longest single wait, whatever the backoff or the server says.
    pub max_delay: Duration,
    /// No retry starts once this much time has passed since the first attempt.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, from 250 ms, waits of at most 30 s, two minutes in all.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
            max_total: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn never() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The wait before retry number `retry` (from 1): a random share of the exponential
    /// backoff, but never less than the server's `hint`, and never more than `max_delay`.
    pub fn delay(&self, retry: u32, hint: Option<Duration>) -> Duration {
        let exponential = self.base_delay.saturating_mul(1 << retry.saturating_sub(1).min(20));
        let jittered = exponential.min(self.max_delay).mul_f64(fastrand::f64());
        hint.map_or(jittered, |h| h.max(jittered)).min(self.max_delay)
    }

    /// The wait before retry number `retry`, `elapsed` into the exchange, or `None` when the
    /// policy leaves no room for it: the attempts are spent, the server asked for longer than
    /// `max_delay` (waiting less would only be refused again), or the wait would end past
    /// `max_total`.
    pub(crate) fn wait(&self, retry: u32, hint: Option<Duration>, elapsed: Duration) -> Option<Duration> {
        if retry >= self.max_attempts || hint.is_some_and(|h| h > self.max_delay) {
            return None;
        }
        let delay = self.delay(retry, hint);
        (elapsed.saturating_add(delay) <= self.max_total).then_some(delay)
    }

    /// How long a rate limit holds back the host's other requests: the server's delay (the
    /// first backoff when it gave none), never more than `max_delay`.
    pub(crate) fn hold(&self, hint: Option<Duration>) -> Duration {
        hint.unwrap_or(self.base_delay).min(self.max_delay)
    }
}

/// The end of a retried exchange.
#[derive(Debug)]
pub(crate) struct Retried<T> {
    /// The last attempt's result.
    pub result: Result<T, Failure>,
    /// Whether an attempt before the last may have reached the server.
    pub earlier_may_have_reached_server: bool,
}

/// What follows an attempt.
pub(crate) enum Next<T> {
    /// The exchange is over.
    Done(Retried<T>),
    /// Another attempt, after this wait.
    RetryAfter(Duration),
}

/// The attempts of one exchange: how many so far, since when, and whether an earlier one may
/// have reached the server. Driven by `exchange!` (below), which holds the loop.
pub(crate) struct Attempts<'a> {
    policy: &'a RetryPolicy,
    gate: &'a RateGate,
    started: Instant,
    number: u32,
    reached: bool,
}

impl<'a> Attempts<'a> {
    /// Before the first attempt.
    pub fn new(policy: &'a RetryPolicy, gate: &'a RateGate) -> Self {
        Self { policy, gate, started: Instant::now(), number: 1, reached: false }
    }

    /// The attempt about to be made, from 1.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// Waits until the gate lets the next attempt start.
    pub async fn enter(&self) -> Pass<'a> {
        self.gate.enter().await
    }

    /// Tells the gate how the attempt that `pass` let through went, and decides, by
    /// `classify`'s verdict and the policy, whether another follows.
    #[inline]
    pub fn settle<T>(&mut self, pass: Pass<'_>, result: Result<T, Failure>) -> Next<T> {
        let reached = self.reached;
        match result {
            Ok(value) => {
                pass.finish(Passed::Answered);
                Next::Done(Retried { result: Ok(value), earlier_may_have_reached_server: reached })
            }
            Err(failure) => match self.after_failure(pass, &failure) {
                Some(delay) => Next::RetryAfter(delay),
                None => {
                    Next::Done(Retried { result: Err(failure), earlier_may_have_reached_server: reached })
                }
            },
        }
    }

    /// The wait before the next attempt after `failure`, or `None` when it is the last.
    /// Out of line: the rare path, kept out of every request's own code.
    #[cold]
    #[inline(never)]
    fn after_failure(&mut self, pass: Pass<'_>, failure: &Failure) -> Option<Duration> {
        let verdict = verdict(failure);
        pass.finish(match verdict {
            Verdict::Retry { throttled: true, hint } => Passed::Throttled(self.policy.hold(hint)),
            _ if failure.status.is_some() => Passed::Answered,
            _ => Passed::Failed,
        });
        let Verdict::Retry { hint, .. } = verdict else { return None };
        let delay = self.policy.wait(self.number, hint, self.started.elapsed())?;
        self.reached |= failure.may_have_reached_server;
        tracing::debug!(
            attempt = self.number,
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            status = failure.status,
            "retrying"
        );
        self.number += 1;
        Some(delay)
    }
}

/// Sends the request of a generated client that `$request` builds (an expression, evaluated
/// again for each attempt) until it succeeds, fails in a way that is not retryable, or
/// `$policy` is spent; every attempt first passes `$gate`, and runs in its own span (see
/// [`request::attempt`](crate::request::attempt)). Evaluates to a [`Retried`] of the
/// response.
///
/// A macro, not a function taking a closure: the generated request future (about 1.7 kB) is
/// then built and awaited in place, in the caller's own future, instead of being moved
/// through a closure's future and the loop's, or copied to the heap to avoid those moves
/// (measured with `cargo bench -p modelhost-tests --bench facade`: the facade's cost over
/// the generated client alone fell from about 4.5 % to about 3 %).
macro_rules! exchange {
    ($policy:expr, $gate:expr, $provider:expr, $request:expr) => {{
        let mut attempts = $crate::retry::Attempts::new($policy, $gate);
        loop {
            let pass = attempts.enter().await;
            let span = $crate::request::attempt($provider, attempts.number());
            // No subscriber wants the span: skip entering and leaving it on every poll.
            let result = if span.is_disabled() {
                $request.await
            } else {
                ::tracing::Instrument::instrument($request, span.clone()).await
            };
            let result = match result {
                Ok(response) => Ok(response),
                Err(error) => Err($crate::failure::Failure::read(error).await),
            };
            $crate::request::record(&span, &result);
            match attempts.settle(pass, result) {
                $crate::retry::Next::Done(retried) => break retried,
                $crate::retry::Next::RetryAfter(delay) => ::tokio::time::sleep(delay).await,
            }
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_honour_the_server_and_stay_bounded() {
        let policy = RetryPolicy::default();
        for retry in 1..10 {
            let cap = policy.base_delay.saturating_mul(1 << (retry - 1)).min(policy.max_delay);
            assert!(policy.delay(retry, None) <= cap);
        }
        // The server's 3 s is longer than any first backoff (at most 250 ms): it is what is waited.
        assert_eq!(policy.delay(1, Some(Duration::from_secs(3))), Duration::from_secs(3));
        assert_eq!(policy.delay(1, Some(Duration::from_secs(3600))), policy.max_delay);
    }

    #[test]
    fn a_wait_past_the_budget_is_no_wait_at_all() {
        let policy = RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(1),
            max_total: Duration::from_secs(5),
        };
        let second = Duration::from_secs(1);
        assert_eq!(policy.wait(1, Some(second), Duration::ZERO), Some(second));
        assert_eq!(
            policy.wait(1, Some(second + Duration::from_millis(1)), Duration::ZERO),
            None,
            "over max_delay"
        );
        assert_eq!(policy.wait(1, Some(Duration::MAX), Duration::ZERO), None);
        assert_eq!(policy.wait(1, Some(second), Duration::from_millis(4500)), None, "over max_total");
        assert_eq!(policy.wait(1, None, Duration::MAX), None);
        assert_eq!(policy.wait(3, None, Duration::ZERO), None, "attempts spent");
        assert_eq!(policy.hold(Some(Duration::MAX)), second);
        assert_eq!(policy.hold(None), policy.base_delay);
    }
}
