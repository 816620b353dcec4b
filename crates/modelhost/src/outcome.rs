//! What a delete returns, whatever the provider, and how a retried exchange becomes it.

use std::fmt;

use crate::Provider;
use crate::classify::{self, Verdict, verdict};
use crate::error::Error;
use crate::reference::{DeploymentRef, ModelRef, VersionRef};
use crate::retry::Retried;
use progenitor_client::ResponseValue;

/// How a delete behaves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// Treat "not found" as success, like `rm -f` ([`DeleteState::AlreadyAbsent`]).
    pub missing_ok: bool,
}

/// What was deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A model.
    Model(ModelRef),
    /// A version (a Baseten deployment).
    Version(VersionRef),
    /// A Replicate deployment, deleted to free the version it held.
    Deployment(DeploymentRef),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Model(m) => m.fmt(f),
            Self::Version(v) => v.fmt(f),
            Self::Deployment(d) => d.fmt(f),
        }
    }
}

/// Where a delete stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeleteState {
    /// Done: the provider says the resource is gone (Baseten's tombstone, Replicate's 204).
    Done,
    /// Accepted and still in progress (Replicate's 202 for a version): it may stay listed for
    /// a few minutes.
    Accepted,
    /// An earlier attempt may have reached the server and a retry found the resource gone:
    /// deleted, as far as can be told, by that earlier attempt.
    ConfirmedByAbsence,
    /// It was not there to begin with, and [`DeleteOptions::missing_ok`] was set.
    AlreadyAbsent,
}

/// The uniform result of a delete.
#[derive(Debug, Clone, PartialEq)]
pub struct Deleted {
    /// The provider that deleted it.
    pub provider: Provider,
    /// What was deleted.
    pub target: Target,
    /// Whether it is done, in progress, or known only by absence.
    pub state: DeleteState,
    /// The provider's tombstone, where it returns one (Baseten).
    pub tombstone: Option<Tombstone>,
}

/// What a provider says of something it deleted (Baseten's `ModelTombstoneV1` and
/// `DeploymentTombstoneV1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tombstone {
    /// The ID of what was deleted.
    pub id: String,
    /// Whether the provider says it is deleted.
    pub deleted: bool,
    /// For a deployment, its model's ID.
    pub model_id: Option<String>,
}

/// A version of a model, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    /// The version, as a reference that can be deleted.
    pub version: VersionRef,
    /// When it was created (RFC 3339), where the provider says.
    pub created_at: Option<String>,
    /// Baseten: whether this is the production deployment, which cannot be deleted alone.
    pub is_production: bool,
}

/// What holds a version so that it cannot be deleted: a Replicate deployment serving it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// The deployment.
    pub deployment: DeploymentRef,
    /// The version it serves.
    pub version: VersionRef,
    /// Its current release's number, where the provider says.
    pub release: Option<i64>,
}

impl fmt::Display for Holder {
    /// `replicate:deployments/alice/prod (release 3)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.release {
            Some(n) => write!(f, "{} (release {n})", self.deployment),
            None => self.deployment.fmt(f),
        }
    }
}

/// A delete's answer: its status, and its body decoded as the documented success, where it
/// has one (an undocumented success status may come with none).
#[derive(Debug)]
pub(crate) struct Answer<T> {
    /// The HTTP status.
    pub status: u16,
    /// The documented body, when there was a body.
    pub body: Option<T>,
}

/// The answer of a retried delete, taking a success status the API does not document (a 200
/// for a 204, a 204 for a 200) as the documented success when its body is empty or `decode`s;
/// any other body stays a failure, reported as an unexpected response.
pub(crate) fn answer<T>(
    retried: Retried<ResponseValue<T>>,
    decode: impl FnOnce(&[u8]) -> serde_json::Result<T>,
) -> Retried<Answer<T>> {
    let result = match retried.result {
        Ok(response) => Ok(Answer { status: response.status().as_u16(), body: Some(response.into_inner()) }),
        Err(mut failure) => match (failure.status, failure.undocumented_success.take()) {
            (Some(status), Some(body)) if body.iter().all(u8::is_ascii_whitespace) => {
                Ok(Answer { status, body: None })
            }
            (Some(status), Some(body)) => match decode(&body) {
                Ok(decoded) => Ok(Answer { status, body: Some(decoded) }),
                Err(e) => {
                    failure.excerpt = format!(
                        "an undocumented HTTP {status} whose body is not the documented one ({e}): {}",
                        failure.excerpt
                    );
                    Err(failure)
                }
            },
            _ => Err(failure),
        },
    };
    Retried { result, earlier_may_have_reached_server: retried.earlier_may_have_reached_server }
}

/// Turns a retried delete into the uniform result: `settle` says what its answer means (a
/// tombstone that says "not deleted" is an error); a 404 or 410 becomes success where an
/// earlier attempt may have deleted it, or where `missing_ok` asks for it.
pub(crate) fn finish_delete<T>(
    provider: Provider,
    target: Target,
    options: &DeleteOptions,
    retried: Retried<T>,
    settle: impl FnOnce(T, &Target) -> Result<(DeleteState, Option<Tombstone>), Error>,
) -> Result<Deleted, Error> {
    let (state, tombstone) = match retried.result {
        Ok(answer) => settle(answer, &target)?,
        Err(f) if verdict(&f) == Verdict::Absent && retried.earlier_may_have_reached_server => {
            (DeleteState::ConfirmedByAbsence, None)
        }
        Err(f) if verdict(&f) == Verdict::Absent && options.missing_ok => (DeleteState::AlreadyAbsent, None),
        Err(f) => return Err(classify::into_error(provider, &target.to_string(), f)),
    };
    Ok(Deleted { provider, target, state, tombstone })
}
