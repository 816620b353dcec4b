//! How an operation ends, in one shape from the wire to the journal: the one [`Error`] it
//! fails with (each with a stable [`Error::code`]), or the [`State`] it reaches. The
//! facade's [`Deleted`], a cascade's report, the clean-up journal and the command line all
//! say "how it ended" with one `State`, and a whole [`Outcome`] is built from a result or an
//! error in one place.

use std::fmt;
use std::time::Duration;

use modelhost_text::Escaped;

use crate::{Provider, ReferenceError, Target};

/// How a delete behaves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// Treat "not found" as success, like `rm -f` ([`State::Absent`]).
    pub missing_ok: bool,
}

/// Where an action on a target stands or how it ended: the one answer the facade, a
/// cascade, the clean-up journal and the command line share. A delete answers one of the
/// first five; the others are a caller's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum State {
    /// Done: the provider says it is gone (Baseten's tombstone, Replicate's 204).
    Deleted,
    /// Accepted and still in progress (Replicate's 202 for a version): it may stay listed
    /// for a few minutes.
    Accepted,
    /// An earlier attempt may have reached the server and a retry found the resource gone:
    /// deleted, as far as can be told, by that earlier attempt.
    ConfirmedByAbsence,
    /// It was not there: with [`DeleteOptions::missing_ok`], or gone before a clean-up
    /// acted on it.
    Absent,
    /// Not deleted but deactivated, as asked
    /// ([`ModelHost::change`](crate::ModelHost::change)): its compute is stopped, the
    /// deployment kept (Baseten).
    Deactivated,
    /// Not deleted but scaled to zero, as asked: no replica (Baseten) or instance
    /// (Replicate) is kept up while nobody calls it.
    ScaledToZero,
    /// A training job stopped, as asked (Baseten).
    Stopped,
    /// A dry run would delete it.
    Planned,
    /// Skipped by a clean-up: the facts it was planned by no longer hold.
    Changed,
    /// The provider refused, for a reason a person can act on, or it was not attempted
    /// because something in its way was.
    Refused,
    /// No answer that settles it (network, a rate limit outlasted, an unexpected answer, a
    /// credential refused): tried again when asked again.
    Failed,
    /// A clean-up was about to send the action (written ahead); how it ended was not
    /// recorded.
    Started,
}

impl State {
    /// Whether it counts as success (for an exit status): it is gone, going, kept off as
    /// asked, or would be in a dry run.
    pub fn is_success(self) -> bool {
        matches!(
            self,
            Self::Deleted
                | Self::Accepted
                | Self::ConfirmedByAbsence
                | Self::Absent
                | Self::Deactivated
                | Self::ScaledToZero
                | Self::Stopped
                | Self::Planned
        )
    }

    /// Whether it is settled: asking again would change nothing (all but
    /// [`State::Failed`] and [`State::Started`]).
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Failed | Self::Started)
    }
}

/// What is done to a target: a delete, or one of the changes that stop its cost without
/// deleting it (a cascade's and a clean-up plan's requests, and [`ModelHost::perform`](crate::ModelHost::perform)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Action {
    /// Delete the target.
    Delete,
    /// Deactivate it: stop its compute, keep it (Baseten deployments).
    Deactivate,
    /// Scale it to zero: keep no replica up while nobody calls it (a Baseten model
    /// deployment, a Replicate deployment).
    #[serde(rename = "scale_to_zero")]
    ScaleToZero,
    /// Stop it (a running Baseten training job).
    Stop,
}

impl Action {
    /// `delete`, `deactivate`, `scale to zero`, `stop`: the verb a sentence uses.
    pub fn verb(self) -> &'static str {
        match self {
            Self::Delete => "delete",
            Self::Deactivate => "deactivate",
            Self::ScaleToZero => "scale to zero",
            Self::Stop => "stop",
        }
    }

    /// Whether what `target` names takes this action on its provider: any target can be
    /// deleted; Baseten deactivates model and chain deployments, scales a model deployment
    /// to zero and stops a training job; Replicate scales a deployment to zero. The one
    /// statement of it: hosts ([`ModelHost::supports`](crate::ModelHost::supports)) and
    /// clean-up plans both ask it.
    pub fn applies_to(self, target: &Target) -> bool {
        let baseten = target.provider() == Provider::Baseten;
        match (self, target) {
            (Self::Delete, _) => true,
            (Self::Deactivate, Target::Version(_) | Target::ChainDeployment(_)) => baseten,
            (Self::ScaleToZero, Target::Version(_)) => baseten,
            (Self::ScaleToZero, Target::Deployment(_)) => !baseten,
            (Self::Stop, Target::TrainingJob(_)) => true,
            _ => false,
        }
    }

    /// The [`State`](crate::State) it ends in when done.
    pub fn done(self) -> crate::State {
        match self {
            Self::Delete => State::Deleted,
            Self::Deactivate => State::Deactivated,
            Self::ScaleToZero => State::ScaledToZero,
            Self::Stop => State::Stopped,
        }
    }
}

impl fmt::Display for Action {
    /// `DELETE`, `DEACTIVATE`, `SCALE-TO-ZERO`, `STOP`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Delete => "DELETE",
            Self::Deactivate => "DEACTIVATE",
            Self::ScaleToZero => "SCALE-TO-ZERO",
            Self::Stop => "STOP",
        })
    }
}

/// The uniform result of a delete.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Deleted {
    /// The provider that deleted it.
    pub provider: Provider,
    /// What was deleted.
    pub target: Target,
    /// Whether it is done, in progress, or known only by absence.
    pub state: State,
    /// The provider's tombstone, where it returns one (Baseten).
    pub tombstone: Option<Tombstone>,
}

impl Deleted {
    /// `target`, deleted by its provider as `state` says, with the provider's `tombstone`.
    pub(crate) fn new(target: Target, state: State, tombstone: Option<Tombstone>) -> Self {
        Self { provider: target.provider(), target, state, tombstone }
    }
}

/// What a provider says of something it deleted (Baseten's `ModelTombstoneV1` and
/// `DeploymentTombstoneV1`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Tombstone {
    /// The ID of what was deleted.
    pub id: String,
    /// Whether the provider says it is deleted.
    pub deleted: bool,
    /// What it belonged to, where the tombstone says: a deployment's model or chain, a
    /// training job's project.
    pub parent_id: Option<String>,
}

/// What became of one target, as it is reported and kept: its [`State`], and why in words
/// and as a stable code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Outcome {
    /// What it was about (written `reference`, as text).
    #[serde(rename = "reference")]
    pub target: Target,
    /// How it ended.
    pub state: State,
    /// Why, in words (refused, changed, failed), or a note on how it ended.
    pub reason: Option<String>,
    /// Why, as a stable code ([`Error::code`], or `changed`).
    pub code: Option<String>,
}

impl Outcome {
    /// `target` ended in `state`, for `reason` (with its `code`).
    pub fn new(target: Target, state: State, reason: Option<String>, code: Option<String>) -> Self {
        Self { target, state, reason, code }
    }

    /// What a delete's result says. A delete confirmed by absence is reported as deleted,
    /// saying so.
    pub fn of_deleted(deleted: &Deleted) -> Self {
        let (state, reason) = match deleted.state {
            State::ConfirmedByAbsence => {
                (State::Deleted, Some("confirmed by absence: an earlier attempt deleted it"))
            }
            state => (state, None),
        };
        Self::new(deleted.target.clone(), state, reason.map(str::to_owned), None)
    }

    /// `target` not done because of `error`: [`State::Refused`] for the provider's own
    /// refusal ([`Error::is_refusal`]), [`State::Failed`] for anything else.
    pub fn of_error(target: Target, error: &Error) -> Self {
        let state = if error.is_refusal() { State::Refused } else { State::Failed };
        Self::new(target, state, Some(error.to_string()), Some(error.code().to_owned()))
    }

    /// Whether it counts as success ([`State::is_success`]).
    pub fn is_success(&self) -> bool {
        self.state.is_success()
    }
}

/// Why an operation failed. Every provider's failed exchanges map into these variants in
/// one function (`exchange::into_error`, in the client layer), and nowhere else.
///
/// `Display` escapes control characters in whatever a server sent (see [`Escaped`]), so a
/// message can be printed to a terminal as it is; the fields keep the text as received.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The model or version does not exist (or is not visible with these credentials).
    #[error("{provider}: {} not found", Escaped(.resource))]
    NotFound {
        /// The provider that answered.
        provider: Provider,
        /// What was asked for, as a reference.
        resource: String,
    },
    /// The credentials are missing, wrong or expired.
    #[error("{provider}: the API token was refused (HTTP 401); check the token")]
    Unauthenticated {
        /// The provider that answered.
        provider: Provider,
    },
    /// The credentials are valid but may not do this: not the owner, or a public model.
    #[error("{provider}: not allowed: {}{}", Escaped(.resource), detail_suffix(.detail))]
    PermissionDenied {
        /// The provider that answered.
        provider: Provider,
        /// What was to be deleted, changed or read.
        resource: String,
        /// The provider's own words, when it gave any.
        detail: Option<String>,
    },
    /// The provider refused because of the resource's state.
    #[error("{provider}: cannot delete {}: {reason}{}", Escaped(.resource), detail_suffix(.detail))]
    Conflict {
        /// The provider that answered.
        provider: Provider,
        /// What was to be deleted.
        resource: String,
        /// Why, as far as the provider said.
        reason: ConflictReason,
        /// The provider's own words, when it gave any.
        detail: Option<String>,
    },
    /// Too many requests, still after retrying, or the server asked for a wait longer than
    /// the [`RetryPolicy`](crate::RetryPolicy) allows (`max_delay`, or what is left of
    /// `max_total`), which ends the call at once.
    #[error("{provider}: rate limited{}", retry_after_suffix(.retry_after))]
    RateLimited {
        /// The provider that answered.
        provider: Provider,
        /// How long the provider asked to wait, when it said ([`Duration::MAX`] for a wait too
        /// long to represent).
        retry_after: Option<Duration>,
    },
    /// A reference that was refused before any request was sent.
    #[error(transparent)]
    InvalidReference(#[from] ReferenceError),
    /// A reference to one provider was given to another.
    #[error("{} is not a {provider} reference", Escaped(.reference))]
    WrongProvider {
        /// The provider asked.
        provider: Provider,
        /// The reference given.
        reference: String,
    },
    /// The request did not complete: connection refused or dropped, timeout, TLS.
    #[error("{provider}: the request failed: {}", describe_transport(source.as_ref()))]
    Transport {
        /// The provider that was asked.
        provider: Provider,
        /// What went wrong (the HTTP client's error).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A response the API does not document: another status, a body that does not decode,
    /// or one whose content is not usable.
    #[error("{provider}: unexpected response{}: {}", status_suffix(.status), Escaped(.excerpt))]
    UnexpectedResponse {
        /// The provider that answered.
        provider: Provider,
        /// The HTTP status, when a response arrived.
        status: Option<u16>,
        /// The start of the body (at most [`EXCERPT_BYTES`] bytes), or why it is not usable.
        excerpt: String,
    },
    /// The client could not be configured.
    #[error(transparent)]
    Config(#[from] modelhost_http::ConfigError),
    /// The provider has no such operation (Replicate cannot list an account's models, only
    /// Baseten deactivates).
    #[error("{provider} cannot {what}")]
    Unsupported {
        /// The provider asked.
        provider: Provider,
        /// What it cannot do, and what to do instead.
        what: String,
    },
    /// This build of `modelhost` leaves the provider out (its cargo feature is off).
    #[error("{provider} is not built in: enable the `{provider}` feature of modelhost")]
    ProviderNotBuilt {
        /// The provider asked for.
        provider: Provider,
    },
}

impl Error {
    /// `about` is not there on `provider`.
    pub(crate) fn not_found(provider: Provider, about: &(impl std::fmt::Display + ?Sized)) -> Self {
        Self::NotFound { provider, resource: about.to_string() }
    }

    /// A transport error of `provider`.
    pub(crate) fn transport(provider: Provider, source: reqwest::Error) -> Self {
        Self::Transport { provider, source: Box::new(source) }
    }

    /// A stable code for the error, for scripts and logs: `not_found`, `unauthenticated`,
    /// `permission_denied`, a conflict's reason (`model_has_versions`, `version_has_deployment`,
    /// …, `conflict`), `rate_limited`, `transport`, `unexpected_response`,
    /// `invalid_reference`, `configuration`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "not_found",
            Self::Unauthenticated { .. } => "unauthenticated",
            Self::PermissionDenied { .. } => "permission_denied",
            Self::Conflict { reason, .. } => reason.code(),
            Self::RateLimited { .. } => "rate_limited",
            Self::Transport { .. } => "transport",
            Self::UnexpectedResponse { .. } => "unexpected_response",
            Self::InvalidReference(_) | Self::WrongProvider { .. } => "invalid_reference",
            Self::Config(_) | Self::ProviderNotBuilt { .. } => "configuration",
            Self::Unsupported { .. } => "unsupported",
        }
    }

    /// Whether the provider refused, for a reason a person can act on (not there, not
    /// allowed, in the way of something), rather than the call failing without an answer
    /// that settles it (network, rate limit outlasted, an unexpected response, a bad
    /// reference or configuration).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Self::NotFound { .. }
                | Self::Unauthenticated { .. }
                | Self::PermissionDenied { .. }
                | Self::Conflict { .. }
        )
    }
}

/// Why a provider refused a delete because of the resource's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConflictReason {
    /// A Replicate model can only be deleted once it has no versions.
    ModelHasVersions,
    /// Someone other than the owner ran predictions with the version.
    VersionUsedByOthers,
    /// The version is the base model of a fine-tune.
    VersionIsFineTuneBase,
    /// The version has a deployment: a deployment's current release serves it.
    VersionHasDeployment,
    /// Another model version is overridden to use this one.
    VersionOverridden,
    /// A Replicate deployment that is online, or was used in the last 15 minutes.
    DeploymentInUse,
    /// A Baseten production deployment: promote another or delete the model.
    ProductionDeployment,
    /// The provider answered the delete, but said it did not delete (Baseten's tombstone
    /// with `"deleted": false`).
    NotDeleted,
    /// The provider gave no reason this crate recognises; see the detail.
    Other,
}

impl std::fmt::Display for ConflictReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::ModelHasVersions => "the model still has versions; delete them first",
            Self::VersionUsedByOthers => "others have run predictions with this version",
            Self::VersionIsFineTuneBase => "the version is the base model of a fine-tune",
            Self::VersionHasDeployment => {
                "a deployment serves the version; delete the deployment or point it at another version"
            }
            Self::VersionOverridden => {
                "another model version is overridden to use it; remove the override first"
            }
            Self::DeploymentInUse => {
                "the deployment is online or was used in the last 15 minutes; scale it to zero and wait"
            }
            Self::ProductionDeployment => {
                "it is the production deployment; promote another deployment or delete the whole model"
            }
            Self::NotDeleted => "the provider answered that it did not delete it",
            Self::Other => "the provider refused",
        })
    }
}

/// How much of an unexpected body, or of any other text a server sends, an error keeps.
pub const EXCERPT_BYTES: usize = 512;

fn detail_suffix(detail: &Option<String>) -> String {
    detail.as_deref().map(|d| format!(" ({})", Escaped(d))).unwrap_or_default()
}

fn status_suffix(status: &Option<u16>) -> String {
    status.map(|s| format!(" (HTTP {s})")).unwrap_or_default()
}

fn retry_after_suffix(retry_after: &Option<Duration>) -> String {
    let Some(wait) = retry_after else { return String::new() };
    let seconds = wait.as_secs();
    let days = seconds / 86_400;
    let about = match days {
        0 => String::new(),
        1..=730 => format!(", about {days} days"),
        _ => format!(", about {} years", days / 365),
    };
    format!("; the server asked to wait {seconds} s{about}")
}

impl ConflictReason {
    /// A stable code for the reason (see [`Error::code`]).
    pub fn code(self) -> &'static str {
        match self {
            Self::ModelHasVersions => "model_has_versions",
            Self::VersionUsedByOthers => "version_used_by_others",
            Self::VersionIsFineTuneBase => "version_is_fine_tune_base",
            Self::VersionHasDeployment => "version_has_deployment",
            Self::VersionOverridden => "version_overridden",
            Self::DeploymentInUse => "deployment_in_use",
            Self::ProductionDeployment => "production_deployment",
            Self::NotDeleted => "not_deleted",
            Self::Other => "conflict",
        }
    }

    /// Recognises the documented reasons in a provider's words.
    pub fn from_detail(detail: Option<&str>) -> Self {
        let Some(detail) = detail.map(str::to_ascii_lowercase) else { return Self::Other };
        let has = |words: &[&str]| words.iter().any(|w| detail.contains(w));
        if has(&["offline", "unused for", "15 minutes"]) {
            Self::DeploymentInUse
        } else if has(&["production"]) {
            Self::ProductionDeployment
        } else if has(&["overridden", "override"]) {
            Self::VersionOverridden
        } else if has(&["fine-tune", "fine tune", "finetune", "base model"]) {
            Self::VersionIsFineTuneBase
        } else if has(&["prediction"]) {
            Self::VersionUsedByOthers
        } else if has(&["deployment"]) {
            Self::VersionHasDeployment
        } else if has(&["version"]) {
            Self::ModelHasVersions
        } else {
            Self::Other
        }
    }
}

/// What went wrong in words a person can act on, with the HTTP client's own chain of causes
/// (which is where "timed out" or "connection refused" is said).
fn describe_transport(error: &(dyn std::error::Error + Send + Sync + 'static)) -> String {
    let http = error.downcast_ref::<reqwest::Error>();
    let what = if http.is_some_and(reqwest::Error::is_timeout) {
        "it timed out"
    } else if http.is_some_and(reqwest::Error::is_connect) {
        "could not connect"
    } else {
        "the connection failed"
    };
    let mut causes = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    format!("{what}: {}", Escaped(&causes.join(": ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_documented_reasons() {
        let r = |d: &str| ConflictReason::from_detail(Some(d));
        assert_eq!(r("Model has versions. Delete them first."), ConflictReason::ModelHasVersions);
        assert_eq!(
            r("Other users have run predictions with this version"),
            ConflictReason::VersionUsedByOthers
        );
        assert_eq!(
            r("This version is the base model for a fine-tune"),
            ConflictReason::VersionIsFineTuneBase
        );
        assert_eq!(r("Version has an associated deployment"), ConflictReason::VersionHasDeployment);
        assert_eq!(
            r("Cannot delete a version that another model version is overridden to use."),
            ConflictReason::VersionOverridden
        );
        assert_eq!(r("Cannot delete the production deployment"), ConflictReason::ProductionDeployment);
        assert_eq!(
            r("A deployment can only be deleted once it has been offline and unused for 15 minutes."),
            ConflictReason::DeploymentInUse
        );
        assert_eq!(r("nope"), ConflictReason::Other);
        assert_eq!(ConflictReason::from_detail(None), ConflictReason::Other);
    }
}
