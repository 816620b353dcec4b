//! The HTTP layer: how a request is sent, retried, paced and decided, with no knowledge of
//! any provider's API. A provider hands its [`Exchange`] a closure that sends one attempt
//! with its generated client; everything after that is here.
//!
//! Invariants: every answer is decided once, by its HTTP status first
//! ([`exchange::verdict`]); each error a failed exchange means is built in one place
//! ([`exchange::into_error`], and [`Error::not_found`](crate::Error) for an absent one); a 429 holds back the host's other
//! requests through its [`RateGate`](rate_gate::RateGate); an [`Observer`] is told of it
//! after the gate has let go, never under its lock. API boundary: `pub(crate)`, except the
//! [`RetryPolicy`] and the [`Observer`] a user sets on a host.

pub(crate) mod exchange;
#[cfg(test)]
mod hostile_values;
pub(crate) mod observe;
pub(crate) mod rate_gate;
mod retry;

#[cfg_attr(not(any(feature = "baseten", feature = "replicate")), allow(unused_imports))]
pub(crate) use exchange::Exchange;
pub use observe::{Event, Observer};
pub use retry::RetryPolicy;
