//! Shared by every request of one host, so that a rate limit is met by one request, not by
//! all of them at once.
//!
//! - After a 429 no request starts before the server's delay has passed.
//! - A short delay (at most [`SHORT_HOLD`]) means a limit counted per second, where bursting
//!   until refused loses most of a whole-second `Retry-After` every time. The gate learns
//!   the rate the server admits (the answers of the last second) and from then on spaces
//!   requests a little under it, so the limit is not met again. A later 429 lowers the pace
//!   only when the server admitted less than the pace, or when it follows the last one
//!   within [`SOON`]: a lone 429 at the pace (an edge's burst) leaves it alone.
//! - The first estimate is low when others used part of the server's window (another
//!   process on the same key), so the pace is raised by [`PROBE_STEP`] after each
//!   [`PROBE_AFTER`] without a 429, until one comes from pacing above the limit: the limit
//!   then lies between the last pace that held and this one, and the pace that held is
//!   kept (or what the server admitted in the last second, if lower: a sliding second's
//!   count over a server's fixed windows can exceed what any one of them admits). A burst
//!   after an idle spell is no larger than the margin leaves. The pace is forgotten after
//!   [`FORGET`] without a 429, so a limit that was raised is found again.
//! - A longer delay means a limit counted per minute or more, where bursting and waiting
//!   loses only the rounding (and too few answers in the last second teach no rate): one
//!   request goes first, and each success lets twice as many through at once (slow
//!   start), until [`OPEN`].
//!
//! Without a 429, the gate costs an uncontended lock on the way in and one on the way out.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// Requests in flight at once beyond which a slow start is over.
const OPEN: u32 = 64;
/// The longest server delay taken to mean a per-second limit, to be paced under.
const SHORT_HOLD: Duration = Duration::from_secs(2);
/// The share of the admitted rate the gate paces at.
const MARGIN: f64 = 0.98;
/// A 429 that finds the server admitting less than this share of the pace lowers it.
const ADMITTED_LESS: f64 = 0.95;
/// A 429 this soon after the last one lowers the pace too, by [`STEP_DOWN`].
const SOON: Duration = Duration::from_secs(5);
/// What a 429 soon after the last one leaves of the pace.
const STEP_DOWN: f64 = 0.95;
/// A pace no 429 has confirmed for this long is forgotten.
const FORGET: Duration = Duration::from_secs(300);
/// A pace not yet measured is raised after this long without a 429 ...
const PROBE_AFTER: Duration = Duration::from_secs(5);
/// ... by this factor.
const PROBE_STEP: f64 = 1.1;
/// Fewer answers than this in the second before a 429 teach no pace (a limit met at the
/// first requests, or a lone 429): a slow start follows instead.
const MIN_LEARNED: f64 = 10.0;
/// Requests a paced gate lets start at once after an idle spell.
const BURST: u32 = 4;

#[derive(Debug)]
struct State {
    /// No request starts before this.
    not_before: Option<Instant>,
    /// Requests allowed in flight at once, while slow-starting after a long delay.
    window: Option<u32>,
    /// Requests in flight.
    in_flight: u32,
    /// The spacing learned from a per-second limit.
    pace: Option<Pace>,
    /// When the last 429 that taught the gate something arrived.
    last_throttle: Option<Instant>,
    /// How many 429s taught the gate something: a request that entered before the last
    /// of them was refused by the same limit.
    learned: u64,
    /// Answers of the last second.
    answers: LastSecond,
}

/// Requests spaced `interval` apart, a few at once allowed after an idle spell (the generic
/// cell rate algorithm: `next` is when the next request is due).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pace {
    interval: Duration,
    next: Instant,
    probe: Probe,
    /// When it was last raised.
    raised_at: Option<Instant>,
}

/// Whether the pace is still looking for the limit above it: it is raised by [`PROBE_STEP`]
/// after each [`PROBE_AFTER`] without a 429 or a raise, until a 429 measures the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Probe {
    /// Learned from a 429, not raised since.
    Estimated,
    /// Raised: the next 429 comes from pacing above the limit, which it measures.
    Raised,
    /// Measured; not raised again until forgotten.
    Settled,
}

impl Pace {
    fn per_second(per_second: f64, now: Instant, probe: Probe) -> Self {
        // At least one request a second; a rate no float holds paces nobody.
        let interval = Duration::try_from_secs_f64(1.0 / per_second.max(1.0)).unwrap_or(Duration::ZERO);
        Self { interval, next: now, probe, raised_at: None }
    }

    /// Raises a pace that has gone `quiet` (no 429) and unraised for [`PROBE_AFTER`].
    fn probe(&mut self, now: Instant, quiet: Duration) {
        let unraised = self.raised_at.map_or(quiet, |at| now.saturating_duration_since(at));
        if self.probe != Probe::Settled && quiet.min(unraised) >= PROBE_AFTER {
            self.interval = self.interval.div_f64(PROBE_STEP);
            self.probe = Probe::Raised;
            self.raised_at = Some(now);
        }
    }

    fn rate(&self) -> f64 {
        1.0 / self.interval.as_secs_f64().max(f64::MIN_POSITIVE)
    }

    /// Requests that may start at once after an idle spell: [`BURST`], but no more than the
    /// [`MARGIN`] leaves under the limit in one second (2 at 100 a second), so that a burst
    /// and a second of pacing together never exceed it.
    fn burst(&self) -> u32 {
        let spare = self.rate() * (1.0 - MARGIN) / MARGIN;
        // The small addend keeps 1.9999… (a float's 2) at 2.
        ((spare + 1e-6).floor() as u32).clamp(1, BURST)
    }

    /// Takes the next start: when the request may go.
    fn take(&mut self, now: Instant) -> Instant {
        let earliest = now.checked_sub(self.interval.saturating_mul(self.burst())).unwrap_or(now);
        let start = self.next.max(earliest);
        self.next = start.checked_add(self.interval).unwrap_or(start);
        start
    }
}

/// Counts events in the last second, in 10 ms buckets: bounded, whatever the rate.
#[derive(Debug)]
struct LastSecond {
    origin: Instant,
    buckets: [u32; 100],
    /// The bucket (10 ms since `origin`) last counted into.
    tick: u64,
}

impl LastSecond {
    fn new(origin: Instant) -> Self {
        Self { origin, buckets: [0; 100], tick: 0 }
    }

    /// Moves to `now`'s bucket, emptying those that fell out of the last second.
    fn advance(&mut self, now: Instant) -> usize {
        let tick =
            u64::try_from(now.saturating_duration_since(self.origin).as_millis() / 10).unwrap_or(u64::MAX);
        let steps = tick.saturating_sub(self.tick).min(100);
        for step in 1..=steps {
            self.buckets[((self.tick + step) % 100) as usize] = 0;
        }
        self.tick = self.tick.max(tick);
        (self.tick % 100) as usize
    }

    fn count(&mut self, now: Instant) {
        let bucket = self.advance(now);
        self.buckets[bucket] = self.buckets[bucket].saturating_add(1);
    }

    fn total(&mut self, now: Instant) -> f64 {
        self.advance(now);
        self.buckets.iter().map(|n| f64::from(*n)).sum()
    }
}

impl State {
    fn new(now: Instant) -> Self {
        Self {
            not_before: None,
            window: None,
            in_flight: 0,
            pace: None,
            last_throttle: None,
            learned: 0,
            answers: LastSecond::new(now),
        }
    }

    /// Learns from a 429 to a request that entered when `entered` 429s had been learned
    /// from, holding the others back
    /// for `delay`.
    fn throttled(&mut self, delay: Duration, entered: u64, now: Instant) {
        // A delay no clock can reach holds nobody: the policy caps it long before.
        if let Some(until) = now.checked_add(delay)
            && self.not_before.is_none_or(|current| current < until)
        {
            self.not_before = Some(until);
        }
        // Sent before the last 429 arrived: the same limit, already learned from.
        if entered < self.learned {
            return;
        }
        let admitted = self.answers.total(now);
        if delay > SHORT_HOLD || admitted < MIN_LEARNED {
            self.window = Some(1);
        } else {
            let soon = self.last_throttle.is_some_and(|last| now.saturating_duration_since(last) < SOON);
            let (rate, probe) = match self.pace {
                // Raised past the limit: the limit lies between the pace before the raise
                // (no 429 for a while) and this one. The last second's answers measure it
                // (a sliding second over the server's fixed windows can count a few more
                // than it admits in any one of them), so the pace kept is the lower of
                // that measure and the pace that held.
                Some(pace) if pace.probe == Probe::Raised => {
                    let held = pace.rate() / PROBE_STEP;
                    (Some((MARGIN * admitted).min(held)), Probe::Settled)
                }
                Some(pace) if admitted >= ADMITTED_LESS * pace.rate() && soon => {
                    (Some(STEP_DOWN * pace.rate()), pace.probe)
                }
                Some(pace) if admitted >= ADMITTED_LESS * pace.rate() => (None, pace.probe),
                Some(pace) => (Some(MARGIN * admitted), pace.probe),
                // A first estimate: low when others used part of the server's window.
                None => (Some(MARGIN * admitted), Probe::Estimated),
            };
            let start = self.not_before.unwrap_or(now);
            self.window = None;
            match rate {
                // Lowered past what is worth pacing (a server answering 429 to nearly
                // everything): a slow start instead, so no wait grows without bound.
                Some(rate) if rate < MIN_LEARNED => (self.pace, self.window) = (None, Some(1)),
                Some(rate) => {
                    tracing::debug!(
                        per_second = rate,
                        admitted,
                        "pacing requests under the server's rate limit"
                    );
                    self.pace = Some(Pace::per_second(rate, start, probe));
                }
                None => {
                    if let Some(pace) = &mut self.pace {
                        pace.probe = probe;
                    }
                }
            }
        }
        self.last_throttle = Some(now);
        self.learned += 1;
    }

    /// Whether nothing holds requests back: no server delay, window or pace. Then a
    /// request starts without reading the clock.
    fn open(&self) -> bool {
        self.not_before.is_none() && self.window.is_none() && self.pace.is_none()
    }

    /// Whether a request may start now: `Ok` with the time it is due (now, or later when
    /// paced), or `Err` with why it waits.
    fn admit<'g>(&mut self, now: Instant, changed: &'g Notify) -> Result<Instant, Wait<'g>> {
        match self.not_before {
            Some(until) if until > now => return Err(Wait::Until(until)),
            Some(_) => self.not_before = None,
            None => {}
        }
        if self.window.is_some_and(|w| self.in_flight >= w) {
            return Err(Wait::Place(changed.notified()));
        }
        let quiet = self.last_throttle.map_or(Duration::ZERO, |last| now.saturating_duration_since(last));
        if quiet > FORGET {
            self.pace = None;
        }
        if let Some(pace) = &mut self.pace {
            pace.probe(now, quiet);
        }
        Ok(self.pace.as_mut().map_or(now, |pace| pace.take(now)))
    }
}

/// Why a request waits.
#[derive(Debug)]
enum Wait<'g> {
    /// The server's delay.
    Until(Instant),
    /// A place in the slow start's window: told when one frees.
    Place(tokio::sync::futures::Notified<'g>),
    /// Its paced start, taken.
    Due(Instant),
}

/// The gate of one host.
#[derive(Debug)]
pub(crate) struct RateGate {
    state: Mutex<State>,
    changed: Notify,
}

impl Default for RateGate {
    fn default() -> Self {
        Self { state: Mutex::new(State::new(Instant::now())), changed: Notify::new() }
    }
}

/// Leave to send one request; dropped without [`Pass::finish`] (a cancelled request), it
/// frees its place as if the request had failed.
pub(crate) struct Pass<'g> {
    gate: &'g RateGate,
    /// How many 429s the gate had learned from when it entered.
    entered: u64,
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
    /// Waits until a request may start.
    pub async fn enter(&self) -> Pass<'_> {
        loop {
            let wait = {
                let mut state = self.lock();
                if state.open() {
                    return self.pass(&mut state);
                }
                let now = Instant::now();
                match state.admit(now, &self.changed) {
                    Ok(due) if due <= now => return self.pass(&mut state),
                    Ok(due) => Wait::Due(due),
                    Err(wait) => wait,
                }
            };
            match wait {
                Wait::Until(until) => tokio::time::sleep_until(until.into()).await,
                // Created under the lock: a place freed after that read still wakes it.
                Wait::Place(changed) => changed.await,
                Wait::Due(due) => {
                    tokio::time::sleep_until(due.into()).await;
                    // The start waited for is this request's: it goes, unless a 429 came
                    // meanwhile and holds it back like any other.
                    let mut state = self.lock();
                    if state.not_before.is_none_or(|until| until <= Instant::now()) {
                        return self.pass(&mut state);
                    }
                }
            }
        }
    }

    fn pass(&self, state: &mut State) -> Pass<'_> {
        state.in_flight += 1;
        Pass { gate: self, entered: state.learned, done: false }
    }

    /// The state; nothing panics while holding it, but a poisoned lock would still hold a
    /// consistent state, so one request's panic never stops the others.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn leave(&self, passed: Passed, entered: u64) {
        let limited = {
            let mut state = self.lock();
            state.in_flight = state.in_flight.saturating_sub(1);
            let limited_before = state.window.is_some();
            match passed {
                Passed::Answered => {
                    state.answers.count(Instant::now());
                    state.window = state.window.map(|w| w * 2).filter(|w| *w < OPEN);
                }
                Passed::Throttled(delay) => state.throttled(delay, entered, Instant::now()),
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
        self.gate.leave(passed, self.entered);
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.gate.leave(Passed::Failed, self.entered);
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

    /// A state that saw `answers` answers spread over the second before `at`.
    fn answered(answers: u32, at: Instant) -> State {
        let mut state = State::new(at - Duration::from_secs(10));
        for n in 0..answers {
            state.answers.count(at - Duration::from_millis(990) + Duration::from_millis(990) * n / answers);
        }
        state
    }

    #[tokio::test]
    async fn after_a_long_delay_one_goes_first_then_twice_as_many() {
        let gate = Arc::new(RateGate::default());
        assert_eq!(most_at_once(&gate, 6).await, 6, "an open gate holds nobody back");
        gate.lock().throttled(SHORT_HOLD + Duration::from_millis(1), 0, Instant::now());
        gate.lock().not_before = Some(Instant::now() + Duration::from_millis(50));
        let started = Instant::now();
        // One alone, then two, then four: never six at once.
        assert!(most_at_once(&gate, 6).await <= 4);
        assert!(started.elapsed() >= Duration::from_millis(50), "the server's delay was not waited");
        // Successes reopen it fully.
        for _ in 0..8 {
            gate.enter().await.finish(Passed::Answered);
        }
        assert_eq!(most_at_once(&gate, 6).await, 6);
        assert_eq!(gate.lock().pace, None, "a long delay teaches no pace");
    }

    #[test]
    fn a_short_delay_teaches_the_pace_the_server_admitted() {
        let now = Instant::now();
        let mut state = answered(500, now);
        state.throttled(Duration::from_secs(1), state.learned, now);
        let rate = state.pace.expect("paced").rate();
        assert!((rate - MARGIN * 500.0).abs() < 1.0, "{rate}");
        assert_eq!(state.not_before, Some(now + Duration::from_secs(1)));
        // Nothing starts before the server's delay, then one start every 1/490 s.
        assert!(matches!(state.admit(now, &Notify::new()), Err(Wait::Until(_))));
        let after = now + Duration::from_secs(1);
        let starts: Vec<Instant> = (0..10).map(|_| state.admit(after, &Notify::new()).unwrap()).collect();
        for pair in starts.windows(2) {
            assert!(pair[1] > pair[0]);
        }
        let spread = starts[9].duration_since(starts[0]).as_secs_f64();
        assert!((spread - 9.0 / rate).abs() < 1e-6, "{spread}");
    }

    #[test]
    fn a_lone_429_at_the_pace_leaves_it_and_a_second_one_soon_lowers_it() {
        let now = Instant::now();
        let mut state = answered(1_000, now);
        state.throttled(Duration::from_secs(1), state.learned, now);
        let learned = state.pace.unwrap().rate();
        // An edge's burst 10 s later, the server having admitted the pace: kept.
        let later = now + Duration::from_secs(10);
        let mut state = State { answers: answered(980, later).answers, ..state };
        state.throttled(Duration::from_secs(1), state.learned, later);
        assert_eq!(state.pace.unwrap().rate(), learned);
        // Requests sent before that 429 and refused with it teach nothing more.
        state.throttled(Duration::from_secs(1), state.learned - 1, later);
        assert_eq!(state.pace.unwrap().rate(), learned);
        // Another within SOON: the limit sits just under the pace.
        let soon = later + Duration::from_secs(2);
        state.answers = answered(980, soon).answers;
        state.throttled(Duration::from_secs(1), state.learned, soon);
        assert!((state.pace.unwrap().rate() - STEP_DOWN * learned).abs() < 0.01);
        // The server admitting far less than the pace: the pace follows it down.
        let lower = soon + Duration::from_secs(30);
        state.answers = answered(300, lower).answers;
        state.throttled(Duration::from_secs(1), state.learned, lower);
        assert!((state.pace.unwrap().rate() - MARGIN * 300.0).abs() < 1.0);
        // Forgotten after a quiet spell.
        assert!(state.admit(lower + FORGET + Duration::from_secs(1), &Notify::new()).is_ok());
        assert_eq!(state.pace, None);
    }

    #[test]
    fn a_low_first_estimate_is_raised_until_a_429_measures_the_limit() {
        let now = Instant::now();
        // Another process had used 300 of the server's 1,000 in this window.
        let mut state = answered(700, now);
        state.throttled(Duration::from_secs(1), state.learned, now);
        let first = state.pace.unwrap().rate();
        let mut at = now + Duration::from_secs(1);
        let mut raised = vec![first];
        while *raised.last().unwrap() < 1_000.0 {
            at += PROBE_AFTER;
            state.admit(at, &Notify::new()).unwrap();
            raised.push(state.pace.unwrap().rate());
        }
        assert!(raised.windows(2).all(|w| (w[1] / w[0] - PROBE_STEP).abs() < 1e-3), "{raised:?}");
        assert!(raised.len() <= 6, "reached the limit in a few steps: {raised:?}");
        // Above the limit: the pace kept is the last one that held (the server admitted
        // more, but a sliding second's count can exceed what a fixed window admits).
        state.answers = answered(1_000, at).answers;
        state.throttled(Duration::from_secs(1), state.learned, at);
        let measured = state.pace.unwrap();
        let held = raised[raised.len() - 2];
        assert!((measured.rate() - held).abs() < 0.01, "{} against {held}", measured.rate());
        assert_eq!(measured.probe, Probe::Settled);
        state.admit(at + PROBE_AFTER * 3, &Notify::new()).unwrap();
        assert_eq!(state.pace.unwrap().interval, measured.interval, "not raised again");
    }

    #[test]
    fn a_server_refusing_again_and_again_never_paces_below_the_least_worth_pacing() {
        let mut at = Instant::now();
        let mut state = answered(20, at);
        state.throttled(Duration::from_secs(1), state.learned, at);
        let mut slow_starts = 0;
        for _ in 0..100 {
            at += Duration::from_secs(1);
            state.answers = answered(15, at).answers;
            state.throttled(Duration::from_secs(1), state.learned, at);
            assert!(state.pace.is_none_or(|p| p.rate() >= MIN_LEARNED - 1e-6), "{:?}", state.pace);
            slow_starts += usize::from(state.pace.is_none() && state.window == Some(1));
        }
        assert!(slow_starts > 0, "stepping down past the least worth pacing turns to a slow start");
    }

    #[tokio::test]
    async fn a_paced_gate_spaces_requests() {
        let gate = RateGate::default();
        let now = Instant::now();
        {
            let mut state = gate.lock();
            state.answers = answered(100, now).answers;
            let learned = state.learned;
            state.throttled(Duration::ZERO, learned, now);
        }
        let started = Instant::now();
        for _ in 0..(BURST + 20) {
            gate.enter().await.finish(Passed::Answered);
        }
        // 98 a second: the 20 beyond the burst need about 0.2 s, however fast the machine.
        assert!(started.elapsed() >= Duration::from_millis(190), "{:?}", started.elapsed());
    }

    #[test]
    fn a_burst_fits_in_what_the_margin_leaves() {
        let now = Instant::now();
        let burst = |admitted: f64| Pace::per_second(admitted * MARGIN, now, Probe::Estimated).burst();
        assert_eq!((burst(100.0), burst(50.0), burst(1_000.0), burst(10.0)), (2, 1, BURST, 1));
        // A second of pacing after an idle spell: the burst and the paced requests within the
        // limit the server admitted.
        let mut pace = Pace::per_second(100.0 * MARGIN, now, Probe::Estimated);
        let later = now + Duration::from_secs(10);
        let within =
            (0..200).map(|_| pace.take(later)).filter(|&t| t < later + Duration::from_secs(1)).count();
        assert!(within <= 100, "{within} would start in one second");
    }

    #[tokio::test]
    async fn a_dropped_pass_frees_its_place() {
        let gate = RateGate::default();
        gate.enter().await.finish(Passed::Throttled(SHORT_HOLD * 2));
        gate.lock().not_before = None;
        drop(gate.enter().await);
        tokio::time::timeout(Duration::from_secs(1), gate.enter()).await.expect("the place was freed");
    }

    #[test]
    fn the_last_second_forgets_older_answers() {
        let origin = Instant::now();
        let mut last = LastSecond::new(origin);
        for ms in 0..1_000 {
            last.count(origin + Duration::from_millis(ms));
        }
        assert_eq!(last.total(origin + Duration::from_millis(999)), 1_000.0);
        assert_eq!(last.total(origin + Duration::from_millis(1_505)), 490.0);
        assert_eq!(last.total(origin + Duration::from_secs(3_600)), 0.0);
    }
}
