//! A fixed one-second window of allowed requests, shared by the stateful servers; each
//! answers a refused request with its own provider's 429.

use std::time::{Duration, Instant};

/// Counts requests per one-second window.
#[derive(Debug, Default)]
pub(crate) struct RateWindow {
    /// Requests allowed per window, if limited.
    limit: Option<u32>,
    started: Option<Instant>,
    used: u32,
    /// How many requests were refused.
    pub throttled: usize,
}

impl RateWindow {
    /// Allows `per_second` requests in each window from now on.
    pub fn limit(&mut self, per_second: u32) {
        self.limit = Some(per_second);
    }

    /// Admits a request, or says how long until the window resets (at least a second, in
    /// whole seconds, as both providers say it).
    pub fn admit(&mut self) -> Result<(), u64> {
        let Some(limit) = self.limit else { return Ok(()) };
        let now = Instant::now();
        let start = match self.started {
            Some(start) if now < start + Duration::from_secs(1) => start,
            _ => {
                (self.started, self.used) = (Some(now), 0);
                now
            }
        };
        if self.used < limit {
            self.used += 1;
            return Ok(());
        }
        self.throttled += 1;
        Err((start + Duration::from_secs(1) - now).as_secs_f64().ceil().max(1.0) as u64)
    }
}
