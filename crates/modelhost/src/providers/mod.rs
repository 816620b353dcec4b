//! The providers: each builds its requests with its generated client and reads its answers
//! into the facade's types, and nothing else. Sending, retrying and deciding what an answer
//! means is the [`client`](crate::client) layer's; what to do with a result is the caller's.
//!
//! Invariants: a request is built only from a parsed reference, so it reaches exactly the
//! resource the reference names; every value an answer carries is capped and checked against
//! what was asked (a tombstone naming another deployment is an unexpected answer, not a
//! success); [`Capabilities`](crate::Capabilities) is each provider's one statement of what
//! it supports beyond the common interface. API boundary: each provider's host type
//! ([`Baseten`](crate::Baseten), [`Replicate`](crate::Replicate)) and its
//! [`ModelHost`](crate::ModelHost) implementation, each behind its cargo feature.

#[cfg(feature = "baseten")]
pub(crate) mod baseten;
#[cfg(feature = "replicate")]
pub(crate) mod replicate;
