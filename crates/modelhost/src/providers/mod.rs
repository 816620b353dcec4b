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

/// What every host has over its generated `client` and its `exchange`: a constructor from
/// the client, and the builders of its retry policy and observer (one definition for all).
#[allow(unused_macros)] // With neither provider built in.
macro_rules! host_builders {
    ($host:ident, $provider:expr) => {
        impl $host {
            /// A host over `client`, with its own request path.
            fn over(client: Client) -> Self {
                Self { client, exchange: Exchange::new($provider) }
            }

            /// Replaces the retry policy.
            pub fn with_retry(mut self, retry: crate::RetryPolicy) -> Self {
                self.exchange.set_retry(retry);
                self
            }

            /// Reports rate limits, and the progress of cascades through this host, to
            /// `observer`.
            pub fn with_observer(mut self, observer: std::sync::Arc<dyn crate::Observer>) -> Self {
                self.exchange.set_observer(observer);
                self
            }
        }
    };
}

#[allow(unused_imports)]
use host_builders;

#[cfg(feature = "baseten")]
pub(crate) mod baseten;
#[cfg(feature = "baseten")]
mod baseten_costs;
#[cfg(feature = "replicate")]
pub(crate) mod replicate;
#[cfg(feature = "replicate")]
mod replicate_costs;
