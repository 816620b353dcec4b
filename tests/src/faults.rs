//! Faults a real provider's edge produces, injected in front of the stateful servers: a
//! share of requests answered 503 before the server sees them, a share whose answer is cut
//! off after the server applied them (the connection breaks in the body, or an edge answers
//! 502 for a bodiless answer: a DELETE that landed but whose answer did not), and bursts of
//! 429 with `Retry-After` (every request for 100 ms, from every 2,000th on). Deterministic:
//! the n-th request's fate depends only on n.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// How often each fault strikes; none by default.
#[derive(Debug, Default)]
pub struct Faults {
    /// Faults per 10,000 requests, for each kind.
    per_10k: AtomicU32,
    seen: AtomicU64,
    injected: AtomicU64,
    bursts: AtomicU64,
    /// The end of the 429 burst under way.
    burst_until: Mutex<Option<Instant>>,
}

impl Faults {
    /// 503s and answers cut off after the server applied the request strike `share` of
    /// requests (0.05: 5 %, split over the two), and with any share a burst of 429s strikes 1 %
    /// of them.
    pub fn set(&self, share: f64) {
        self.per_10k.store((share * 10_000.0 / 2.0).round() as u32, Ordering::SeqCst);
    }

    /// How many faults were injected.
    pub fn injected(&self) -> u64 {
        self.injected.load(Ordering::SeqCst)
    }

    /// How many 429 bursts began: each tells a client that honours `Retry-After` to wait a
    /// second.
    pub fn bursts(&self) -> u64 {
        self.bursts.load(Ordering::SeqCst)
    }
}

/// What becomes of the n-th request.
enum Fate {
    Pass,
    Unavailable,
    CutOff,
    Throttled,
}

/// Requests between the starts of two 429 bursts, and how long each lasts.
const BURST_EVERY: u64 = 10_000;
const BURST_LENGTH: Duration = Duration::from_millis(100);

fn fate(n: u64, per_10k: u32) -> Fate {
    // A fixed scramble of n (splitmix64), so faults spread without a random source.
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    let roll = ((z ^ (z >> 31)) % 10_000) as u32;
    match roll {
        r if r < per_10k => Fate::Unavailable,
        r if r < 2 * per_10k => Fate::CutOff,
        _ => Fate::Pass,
    }
}

/// The middleware: `axum::middleware::from_fn_with_state(faults, faults::inject)`.
pub async fn inject(State(faults): State<Arc<Faults>>, request: Request, next: Next) -> Response {
    let per_10k = faults.per_10k.load(Ordering::Relaxed);
    if per_10k == 0 {
        return next.run(request).await;
    }
    let n = faults.seen.fetch_add(1, Ordering::SeqCst);
    let now = Instant::now();
    let bursting = {
        let mut until = faults.burst_until.lock().expect("burst lock");
        if n % BURST_EVERY == BURST_EVERY - 1 {
            *until = Some(now + BURST_LENGTH);
            faults.bursts.fetch_add(1, Ordering::SeqCst);
        }
        until.is_some_and(|end| now < end)
    };
    let fate = if bursting { Fate::Throttled } else { fate(n, per_10k) };
    if !matches!(fate, Fate::Pass) {
        faults.injected.fetch_add(1, Ordering::SeqCst);
    }
    match fate {
        Fate::Pass => next.run(request).await,
        Fate::Unavailable => {
            (StatusCode::SERVICE_UNAVAILABLE, "<html><body>503 Service Unavailable</body></html>")
                .into_response()
        }
        Fate::Throttled => {
            let mut response = (StatusCode::TOO_MANY_REQUESTS, "").into_response();
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        Fate::CutOff => {
            let applied = next.run(request).await;
            let (mut parts, _) = applied.into_parts();
            // The head goes out, then the body breaks: the client sees the connection drop.
            parts.headers.remove(header::CONTENT_LENGTH);
            let broken =
                futures::stream::once(async { Err::<axum::body::Bytes, _>(std::io::Error::other("reset")) });
            if parts.status == StatusCode::ACCEPTED || parts.status == StatusCode::NO_CONTENT {
                // An answer without a body cannot be cut off in its body: send nothing at all.
                parts.status = StatusCode::BAD_GATEWAY;
            }
            Response::from_parts(parts, Body::from_stream(broken))
        }
    }
}
