//! How long to wait before retrying, in one place: exponential backoff with full jitter, at
//! least as long as the server asked, bounded by attempts and by total time. What is retried
//! is the [`verdict`](super::exchange::verdict)'s to say; the loop is the
//! [`Exchange`](super::exchange::Exchange)'s.

use std::time::Duration;

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
    /// [`RetryPolicy::DEFAULT`].
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl RetryPolicy {
    /// 5 attempts, from 250 ms, waits of at most 30 s, two minutes in all.
    pub const DEFAULT: Self = Self {
        max_attempts: 5,
        base_delay: Duration::from_millis(250),
        max_delay: Duration::from_secs(30),
        max_total: Duration::from_secs(120),
    };

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
