//! One delete interface over Baseten and Replicate.
//!
//! Parse a reference and delete through [`Hosts`], which routes it to its provider's [`ModelHost`]; every refusal comes back
//! as one [`Error`] that says why. References are checked before any request exists, and
//! [`delete_model_cascade`] deletes a model with whatever stands in its way, or in a dry run
//! only says what it would send:
//!
//! ```
//! use modelhost::{Baseten, CascadeOptions, ClientSettings, ModelRef, Secret, delete_model_cascade};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), modelhost::Error> {
//! assert!("baseten:../secrets".parse::<ModelRef>().is_err()); // refused: no request is made
//! let model: ModelRef = "baseten:abc123".parse()?;
//!
//! let baseten = Baseten::new(&Secret::new("not-sent-in-a-dry-run")?, &ClientSettings::new("https://api.baseten.co"))?;
//! let dry_run = CascadeOptions { dry_run: true, ..CascadeOptions::default() };
//! let report = delete_model_cascade(&baseten, &model, &dry_run).await?;
//! assert_eq!(report.plan[0].to_string(), "DELETE baseten:abc123"); // deployments go with the model
//! # Ok(()) }
//! ```
//!
//! With credentials from the environment:
//!
//! ```no_run
//! use modelhost::{DeleteOptions, Hosts, VersionRef};
//!
//! # async fn run() -> Result<(), modelhost::Error> {
//! let hosts = Hosts::from_env()?; // BASETEN_API_KEY and/or REPLICATE_API_TOKEN
//! let version: VersionRef = "replicate:alice/hello/versions/5c7d5dc6".parse()?;
//! let deleted = hosts.delete_version(&version, &DeleteOptions::default()).await?; // routed by the reference
//! println!("{}: {:?}", deleted.target, deleted.state); // Accepted: Replicate deletes asynchronously
//! # Ok(()) }
//! ```

// First: the other modules use its `exchange!`.
#[macro_use]
mod retry;

mod baseten;
mod cascade;
mod classify;
mod error;
mod failure;
#[cfg(test)]
mod hostile_values;
mod hosts;
mod observe;
mod outcome;
mod rate_gate;
mod reference;
mod replicate;
mod request;
mod text;

use std::fmt;

pub use baseten::Baseten;
pub use cascade::{CascadeOptions, CascadeReport, PlannedRequest, delete_model_cascade};
pub use error::{ConflictReason, EXCERPT_BYTES, Error};
pub use hosts::Hosts;
pub use modelhost_http::{ClientSettings, ConfigError, Secret};
pub use observe::{Event, Observer};
pub use outcome::{DeleteOptions, DeleteState, Deleted, Holder, Target, Tombstone, VersionInfo};
pub use reference::{DeploymentRef, ModelRef, ReferenceError, VersionRef};
pub use replicate::Replicate;
pub use retry::RetryPolicy;
pub use text::Escaped;

/// A model-hosting provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provider {
    /// Baseten (`baseten:` references).
    Baseten,
    /// Replicate (`replicate:` references).
    Replicate,
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Baseten => "baseten",
            Self::Replicate => "replicate",
        })
    }
}

/// Deleting on one provider. Object-safe: use it as `Box<dyn ModelHost>` or `Arc<dyn ModelHost>`.
#[async_trait::async_trait]
pub trait ModelHost: Send + Sync + fmt::Debug {
    /// The provider this talks to.
    fn provider(&self) -> Provider;

    /// Whether deleting a model also deletes its versions (Baseten), rather than requiring
    /// them gone first (Replicate). [`delete_model_cascade`] plans by it.
    fn model_delete_removes_versions(&self) -> bool;

    /// Deletes a model. On Replicate the model must have no versions left; on Baseten its
    /// deployments go with it.
    async fn delete_model(&self, model: &ModelRef, options: &DeleteOptions) -> Result<Deleted, Error>;

    /// Deletes one version (a Baseten deployment). On Replicate the deletion is asynchronous:
    /// the result is [`DeleteState::Accepted`].
    async fn delete_version(&self, version: &VersionRef, options: &DeleteOptions) -> Result<Deleted, Error>;

    /// Every version of a model, newest first where the provider orders them, following
    /// pagination to the end.
    async fn list_versions(&self, model: &ModelRef) -> Result<Vec<VersionInfo>, Error>;

    /// What holds versions of `model` so that they cannot be deleted: Replicate's
    /// deployments serving one. Empty where the provider has nothing that does (Baseten).
    async fn holders(&self, model: &ModelRef) -> Result<Vec<Holder>, Error> {
        let _ = model;
        Ok(Vec::new())
    }

    /// The observer this host reports rate limits to, and a cascade through it its progress
    /// (see `with_observer` on each host).
    fn observer(&self) -> Option<&dyn Observer> {
        None
    }

    /// Deletes a Replicate deployment (Replicate allows it only once the deployment has been
    /// offline and unused for 15 minutes). Other providers refuse with
    /// [`Error::WrongProvider`].
    async fn delete_deployment(
        &self,
        deployment: &DeploymentRef,
        options: &DeleteOptions,
    ) -> Result<Deleted, Error> {
        let _ = options;
        Err(Error::WrongProvider { provider: self.provider(), reference: deployment.to_string() })
    }
}

/// The package's README (its page on crates.io), whose examples compile as doc-tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
