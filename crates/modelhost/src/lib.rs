//! One delete interface over Baseten and Replicate.
//!
//! Parse a reference and delete through [`Hosts`], which routes it to its provider's
//! [`ModelHost`]; every refusal comes back as one [`Error`] that says why (with a stable
//! [`Error::code`]). References are checked before any request exists, and
//! [`ModelHost::delete_model_cascade`] deletes a model with whatever stands in its way, or in
//! a dry run only says what it would send:
//!
//! ```
//! use modelhost::{Baseten, CascadeOptions, ClientSettings, ModelHost, ModelRef, Secret};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), modelhost::Error> {
//! assert!("baseten:../secrets".parse::<ModelRef>().is_err()); // refused: no request is made
//! let model: ModelRef = "baseten:abc123".parse()?;
//!
//! let baseten = Baseten::new(&Secret::new("not-sent-in-a-dry-run")?, &ClientSettings::new("https://api.baseten.co"))?;
//! let dry_run = CascadeOptions { dry_run: true, ..CascadeOptions::default() };
//! let report = baseten.delete_model_cascade(&model, &dry_run).await?;
//! assert_eq!(report.plan[0].to_string(), "DELETE baseten:abc123"); // deployments go with the model
//! # Ok(()) }
//! ```
//!
//! With credentials from the environment:
//!
//! Each provider is a cargo feature, `baseten` and `replicate` (both default): a Replicate-only
//! program depends on `modelhost` with `default-features = false, features = ["replicate"]`
//! and never compiles Baseten's client.
//!
//! ```no_run
//! use modelhost::{DeleteOptions, Hosts, Target};
//!
//! # async fn run() -> Result<(), modelhost::Error> {
//! let hosts = Hosts::from_env()?; // BASETEN_API_KEY and/or REPLICATE_API_TOKEN
//! let version: Target = "replicate:alice/hello/versions/5c7d5dc6".parse()?;
//! let deleted = hosts.delete(&version, &DeleteOptions::default()).await?; // routed by the reference
//! println!("{}: {:?}", deleted.target, deleted.state); // Accepted: Replicate deletes asynchronously
//! # Ok(()) }
//! ```

// Built with neither provider, only references and types remain: the request path is unused.
#![cfg_attr(not(any(feature = "baseten", feature = "replicate")), allow(dead_code))]

mod client;
mod model;
mod ops;
mod providers;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use futures::future::BoxFuture;

pub use client::{Event, Observer, RetryPolicy};
pub use model::account::Account;
pub use model::listing::{Holder, VersionInfo};
pub use model::outcome::{
    Action, ConflictReason, DeleteOptions, Deleted, EXCERPT_BYTES, Error, Outcome, State, Tombstone,
};
pub use model::reference::{
    ChainDeploymentRef, ChainRef, DeploymentRef, ModelParts, ModelRef, Provider, ReferenceError, Target,
    TrainingJobRef, TrainingProjectRef, VersionRef,
};
pub use model::training::TrainingStatus;
pub use modelhost_http::{ClientSettings, ConfigError, Secret};
pub use modelhost_text::Escaped;
pub use ops::cascade::{CascadeOptions, CascadeReport, PlannedRequest};
pub use ops::cleanup;
pub use ops::costs;
pub use ops::hosts::Hosts;
#[cfg(feature = "baseten")]
pub use providers::baseten::Baseten;
#[cfg(feature = "replicate")]
pub use providers::replicate::Replicate;

/// What a provider's deletes do beyond the common interface: each host's one statement of
/// it, which [`ModelHost::delete_model_cascade`] plans by and the conformance suite holds
/// every host to (an optional method answers [`Error::Unsupported`] exactly where its flag
/// is off). Built by each host (`Capabilities::default()` is a provider with none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Capabilities {
    /// Deleting a model deletes its versions with it (Baseten), rather than requiring them
    /// gone first (Replicate).
    pub model_delete_removes_versions: bool,
    /// A version delete is accepted and finishes later ([`State::Accepted`], Replicate).
    pub version_delete_is_async: bool,
    /// Deployments can hold versions so that they cannot be deleted ([`ModelHost::holders`],
    /// [`ModelHost::delete_deployment`]; Replicate).
    pub deployments_hold_versions: bool,
    /// Every model of the account can be listed ([`ModelHost::list_models`]; Baseten).
    pub lists_models: bool,
    /// A version can be deactivated instead of deleted ([`ModelHost::deactivate_version`];
    /// Baseten).
    pub deactivates_versions: bool,
}

/// Deleting on one provider. Object-safe: use it as `Box<dyn ModelHost>` or `Arc<dyn ModelHost>`.
#[async_trait::async_trait]
pub trait ModelHost: Send + Sync + fmt::Debug {
    /// The provider this talks to.
    fn provider(&self) -> Provider;

    /// What its deletes do beyond the common interface.
    fn capabilities(&self) -> Capabilities;

    /// Deletes what `target` names: the one delete each provider implements. On Replicate a
    /// model must have no versions left, and a version's deletion is asynchronous
    /// ([`State::Accepted`]); on Baseten a model's deployments go with it. A provider without
    /// such a thing answers [`Error::WrongProvider`]. (A boxed future rather than an
    /// `async fn`, so that a provider boxes only the future of the kind it deletes.)
    fn delete<'a>(
        &'a self,
        target: Target,
        options: &'a DeleteOptions,
    ) -> BoxFuture<'a, Result<Deleted, Error>>;

    /// Deletes a model ([`ModelHost::delete`]; provided: implement `delete`).
    fn delete_model<'a>(
        &'a self,
        model: &ModelRef,
        options: &'a DeleteOptions,
    ) -> BoxFuture<'a, Result<Deleted, Error>> {
        self.delete(Target::Model(model.clone()), options)
    }

    /// Deletes one version, a Baseten deployment ([`ModelHost::delete`]; provided).
    fn delete_version<'a>(
        &'a self,
        version: &VersionRef,
        options: &'a DeleteOptions,
    ) -> BoxFuture<'a, Result<Deleted, Error>> {
        self.delete(Target::Version(version.clone()), options)
    }

    /// Every version of a model, newest first where the provider orders them, following
    /// pagination to the end.
    async fn list_versions(&self, model: &ModelRef) -> Result<Vec<VersionInfo>, Error>;

    /// One version as it stands now; [`Error::NotFound`] when it is gone.
    async fn version_info(&self, version: &VersionRef) -> Result<VersionInfo, Error>;

    /// The account the token belongs to, and the base URL this host talks to.
    async fn account(&self) -> Result<Account, Error>;

    /// Every model of the account, where the provider can list them (Baseten); others
    /// answer [`Error::Unsupported`]: name their models instead.
    async fn list_models(&self) -> Result<Vec<ModelRef>, Error> {
        Err(Error::Unsupported {
            provider: self.provider(),
            what: "list an account's models: name them".into(),
        })
    }

    /// Whether this host can do `action` to what `target` names (a delete of anything of
    /// its provider; the other actions as [`ModelHost::change`] says).
    fn supports(&self, target: &Target, action: Action) -> bool {
        target.provider() == self.provider() && action == Action::Delete
    }

    /// Changes what `target` names without deleting it, as `action` says: Baseten
    /// deactivates model and chain deployments, scales a model deployment to zero (its
    /// `min_replica`) and stops a training job; Replicate scales a deployment to zero (its
    /// `min_instances`). Done is [`Action::done`] ([`State::Deactivated`],
    /// [`State::ScaledToZero`], [`State::Stopped`]), or [`State::Accepted`] when the answer
    /// says it happens later; what [`ModelHost::supports`] denies answers
    /// [`Error::Unsupported`] without a request. [`Action::Delete`] is [`ModelHost::delete`].
    async fn change(&self, target: &Target, action: Action) -> Result<Deleted, Error> {
        Err(unsupported(self.provider(), target, action))
    }

    /// Does `action` to `target`: [`ModelHost::delete`] or [`ModelHost::change`] (provided).
    async fn perform(
        &self,
        target: Target,
        action: Action,
        options: &DeleteOptions,
    ) -> Result<Deleted, Error> {
        match action {
            Action::Delete => self.delete(target, options).await,
            _ => self.change(&target, action).await,
        }
    }

    /// Stops a version's compute without deleting it ([`ModelHost::change`] with
    /// [`Action::Deactivate`]; provided).
    async fn deactivate_version(&self, version: &VersionRef) -> Result<Deleted, Error> {
        self.change(&Target::Version(version.clone()), Action::Deactivate).await
    }

    /// What holds versions of `model` so that they cannot be deleted: Replicate's
    /// deployments serving one. Empty where the provider has nothing that does (Baseten).
    async fn holders(&self, model: &ModelRef) -> Result<Vec<Holder>, Error> {
        let _ = model;
        Ok(Vec::new())
    }

    /// [`ModelHost::holders`] of each of `models`, listed once for them all where the
    /// provider lists what holds versions account-wide (Replicate's deployments).
    async fn holders_of(
        &self,
        models: &BTreeSet<&ModelRef>,
    ) -> Result<BTreeMap<ModelRef, Vec<Holder>>, Error> {
        let mut all = BTreeMap::new();
        for model in models {
            all.insert((*model).clone(), self.holders(model).await?);
        }
        Ok(all)
    }

    /// The observer this host reports rate limits to, and a cascade through it its progress
    /// (see `with_observer` on each host).
    fn observer(&self) -> Option<&dyn Observer> {
        None
    }

    /// What each billable resource `scopes` cover costs (`scopes` are this provider's;
    /// [`costs::Scope::everything`] for all), priced by the provider's own prices or
    /// `prices`, with spend and requests over `window`. What cannot be read is a
    /// [`costs::Gap`] and unknown figures, not an error; an error only when the resources
    /// themselves cannot be listed. Providers without it answer [`Error::Unsupported`].
    async fn costs(
        &self,
        scopes: &[costs::Scope],
        prices: &costs::PriceTable,
        window: &costs::Window,
    ) -> Result<costs::Costs, Error> {
        let _ = (scopes, prices, window);
        Err(Error::Unsupported { provider: self.provider(), what: "say what its resources cost".into() })
    }

    /// How many inference requests `target` answered from `start` to `end`, where the
    /// provider counts them at that precision (Baseten's deployment metrics, for a model
    /// deployment over at most 7 days); `None` where it cannot tell.
    async fn requests_between(
        &self,
        target: &Target,
        start: chrono::DateTime<chrono::Utc>,
        end: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<u64>, Error> {
        let _ = (target, start, end);
        Ok(None)
    }

    /// Deletes a Replicate deployment (Replicate allows it only once the deployment has been
    /// offline and unused for 15 minutes; [`ModelHost::delete`]; provided).
    fn delete_deployment<'a>(
        &'a self,
        deployment: &DeploymentRef,
        options: &'a DeleteOptions,
    ) -> BoxFuture<'a, Result<Deleted, Error>> {
        self.delete(Target::Deployment(deployment.clone()), options)
    }

    /// Deletes `model` with whatever stands in its way, as [`CascadeOptions`] say: on Replicate
    /// its versions first (a bounded number at once), waiting until they are gone, then the
    /// model; on Baseten one request does it all. A version a deployment serves is refused,
    /// naming the deployment, unless [`CascadeOptions::delete_deployments`]. Fails only when
    /// the versions cannot be listed; every refusal is in the report, with its reason.
    async fn delete_model_cascade(
        &self,
        model: &ModelRef,
        options: &CascadeOptions,
    ) -> Result<CascadeReport, Error> {
        ops::cascade::run(self, model, options).await
    }
}

/// What a host answers for an action it does not do to that kind of resource.
pub(crate) fn unsupported(provider: Provider, target: &Target, action: Action) -> Error {
    let kind = target.kind().replace('_', " ");
    Error::Unsupported { provider, what: format!("{} a {kind} ({target})", action.verb()) }
}

/// The package's README (its page on crates.io), whose examples compile as doc-tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
