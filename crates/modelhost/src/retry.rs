//! Retrying, in one place: exponential backoff with full jitter, at least as long as the server
//! asked, bounded by attempts and by total time. What is retried is `classify`'s to say.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::classify::{Verdict, verdict};
use crate::failure::Failure;
use crate::rate_gate::{Passed, RateGate};

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
}

/// The end of a retried exchange.
#[derive(Debug)]
pub(crate) struct Retried<T> {
    /// The last attempt's result.
    pub result: Result<T, Failure>,
    /// Whether an attempt before the last may have reached the server.
    pub earlier_may_have_reached_server: bool,
}

/// Runs `attempt` (given the attempt number, from 1) until it succeeds, fails in a way that
/// is not retryable, or `policy` is spent; every attempt first passes `gate`, and tells it
/// how it went.
pub(crate) async fn with_retries<T, F, Fut>(
    policy: &RetryPolicy,
    gate: &RateGate,
    mut attempt: F,
) -> Retried<T>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let started = Instant::now();
    let mut reached = false;
    let mut number = 1;
    loop {
        let pass = gate.enter().await;
        let result = attempt(number).await;
        let failure = match result {
            Ok(value) => {
                pass.finish(Passed::Answered);
                return Retried { result: Ok(value), earlier_may_have_reached_server: reached };
            }
            Err(failure) => failure,
        };
        let verdict = verdict(&failure);
        pass.finish(match verdict {
            Verdict::Retry { throttled: true, hint } => Passed::Throttled(hint.unwrap_or(policy.base_delay)),
            _ if failure.status.is_some() => Passed::Answered,
            _ => Passed::Failed,
        });
        let Verdict::Retry { hint, .. } = verdict else {
            return Retried { result: Err(failure), earlier_may_have_reached_server: reached };
        };
        let delay = policy.delay(number, hint);
        if number >= policy.max_attempts || started.elapsed() + delay > policy.max_total {
            return Retried { result: Err(failure), earlier_may_have_reached_server: reached };
        }
        reached |= failure.may_have_reached_server;
        tracing::debug!(
            attempt = number,
            delay_ms = delay.as_millis() as u64,
            status = failure.status,
            "retrying"
        );
        tokio::time::sleep(delay).await;
        number += 1;
    }
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
}
