//! Watching long operations as they go: a cascade's progress and the waits a rate limit
//! imposes, for a progress bar or a log, without waiting for the final report.

use std::fmt;
use std::time::Duration;

use crate::{Deleted, Error, Provider, Target};

/// Something that happened while deleting.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A cascade knows how many targets it will report on, each once, as [`Event::Deleted`]
    /// or [`Event::Refused`]: those it sends a DELETE for, and those it refuses without one.
    /// A dry run reports only the refusals.
    Planned {
        /// The targets, the model included.
        targets: usize,
    },
    /// A cascade deleted this (or the provider accepted its deletion).
    Deleted(&'a Deleted),
    /// A cascade could not delete this, or did not attempt it, and why.
    Refused {
        /// What was not deleted.
        target: &'a Target,
        /// Why.
        error: &'a Error,
    },
    /// The provider answered 429: requests to it wait this long before one tries again.
    RateLimited {
        /// The provider that throttled.
        provider: Provider,
        /// How long requests wait.
        wait: Duration,
    },
}

/// Receives [`Event`]s. Called inline, from the task doing the work: keep it quick.
pub trait Observer: Send + Sync {
    /// One event.
    fn observe(&self, event: &Event<'_>);
}

/// An observer as a host holds it, with a `Debug` that does not ask the observer for one.
#[derive(Clone)]
pub(crate) struct Observed(pub(crate) std::sync::Arc<dyn Observer>);

impl fmt::Debug for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Observer")
    }
}
