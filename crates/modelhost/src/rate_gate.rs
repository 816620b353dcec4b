//! Shared by every request of one host, so that a rate limit is met by one request, not by
//! all of them at once. After a 429 no request starts before the server's delay has passed;
//! then one goes first, and each success lets twice as many through at once (slow start),
//! until the limit is forgotten. Without a 429, the gate costs an uncontended lock on the
//! way in and one on the way out.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::Provider;
use crate::observe::{Event, Observed};

/// Requests in flight at once beyond which a slow start is over.
const OPEN: u32 = 64;

#[derive(Debug, Default)]
struct State {
    /// No request starts before this.
    not_before: Option<Instant>,
    /// Requests allowed in flight at once, while recovering from a rate limit.
    window: Option<u32>,
    /// Requests in flight.
    in_flight: u32,
}

/// The gate of one host.
#[derive(Debug, Default)]
pub(crate) struct RateGate {
    state: Mutex<State>,
    changed: Notify,
    /// Told of every 429 and the wait it imposes.
    observer: Option<(Provider, Observed)>,
}

/// Leave to send one request; dropped without [`Pass::finish`] (a cancelled request), it
/// frees its place as if the request had failed.
pub(crate) struct Pass<'g> {
    gate: &'g RateGate,
    done: bool,
}

/// What became of a request that passed the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Passed {
    /// It got an answer that was not a rate limit.
    Answered,
    /// The server said too many requests: hold the others back this long (already capped
    /// by the retry policy).
    Throttled(Duration),
    /// It failed otherwise (no answer, or an error before one).
    Failed,
}

impl RateGate {
    /// A gate that tells `observer` of each rate limit `provider` imposes.
    pub fn observed(provider: Provider, observer: Observed) -> Self {
        Self { observer: Some((provider, observer)), ..Self::default() }
    }

    /// Waits until a request may start.
    pub async fn enter(&self) -> Pass<'_> {
        loop {
            let wait = {
                let mut state = self.lock();
                match state.not_before {
                    Some(until) if until > Instant::now() => Err(until),
                    // Created under the lock: a place freed after this read still wakes it.
                    _ if state.window.is_some_and(|w| state.in_flight >= w) => Ok(self.changed.notified()),
                    _ => {
                        state.in_flight += 1;
                        return Pass { gate: self, done: false };
                    }
                }
            };
            match wait {
                Err(until) => tokio::time::sleep_until(until.into()).await,
                Ok(changed) => changed.await,
            }
        }
    }

    /// The state; nothing panics while holding it, but a poisoned lock would still hold a
    /// consistent state, so one request's panic never stops the others.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn leave(&self, passed: Passed) {
        let limited = {
            let mut state = self.lock();
            state.in_flight = state.in_flight.saturating_sub(1);
            let limited_before = state.window.is_some();
            match passed {
                Passed::Answered => {
                    state.window = state.window.map(|w| w * 2).filter(|w| *w < OPEN);
                }
                Passed::Throttled(delay) => {
                    if let Some((provider, observer)) = &self.observer {
                        observer.0.observe(&Event::RateLimited { provider: *provider, wait: delay });
                    }
                    // A delay no clock can reach holds nobody: the policy caps it long before.
                    if let Some(until) = Instant::now().checked_add(delay)
                        && state.not_before.is_none_or(|current| current < until)
                    {
                        state.not_before = Some(until);
                    }
                    state.window = Some(1);
                }
                Passed::Failed => {}
            }
            limited_before || state.window.is_some()
        };
        // Only a limited window makes anyone wait for a place.
        if limited {
            self.changed.notify_waiters();
        }
    }
}

impl Pass<'_> {
    /// Says what became of the request, which decides how many may follow.
    pub fn finish(mut self, passed: Passed) {
        self.done = true;
        self.gate.leave(passed);
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.gate.leave(Passed::Failed);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    /// Counts the most passes held at once by `n` tasks that each hold one for 10 ms.
    async fn most_at_once(gate: &Arc<RateGate>, n: usize) -> u32 {
        let (now, most) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let (gate, now, most) = (gate.clone(), now.clone(), most.clone());
                tokio::spawn(async move {
                    let pass = gate.enter().await;
                    most.fetch_max(now.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                    pass.finish(Passed::Answered);
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        most.load(Ordering::SeqCst)
    }

    #[tokio::test]
    async fn after_a_rate_limit_one_goes_first_then_twice_as_many() {
        let gate = Arc::new(RateGate::default());
        assert_eq!(most_at_once(&gate, 6).await, 6, "an open gate holds nobody back");
        let started = Instant::now();
        gate.enter().await.finish(Passed::Throttled(Duration::from_millis(50)));
        // One alone, then two, then four: never six at once.
        assert!(most_at_once(&gate, 6).await <= 4);
        assert!(started.elapsed() >= Duration::from_millis(50), "the server's delay was not waited");
        // Successes reopen it fully.
        for _ in 0..8 {
            gate.enter().await.finish(Passed::Answered);
        }
        assert_eq!(most_at_once(&gate, 6).await, 6);
    }

    #[tokio::test]
    async fn a_dropped_pass_frees_its_place() {
        let gate = RateGate::default();
        gate.enter().await.finish(Passed::Throttled(Duration::ZERO));
        drop(gate.enter().await);
        tokio::time::timeout(Duration::from_secs(1), gate.enter()).await.expect("the place was freed");
    }
}
