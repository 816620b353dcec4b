//! How an action on a target ended, in one shape from the wire to the journal: the facade's
//! [`Deleted`], a cascade's report, the clean-up journal and the command line all say it with
//! one [`State`], and a whole [`Outcome`] is built from a result in one place.

use crate::{Error, Provider, Target};

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
    /// ([`ModelHost::deactivate_version`](crate::ModelHost::deactivate_version)): its compute
    /// is stopped, the deployment kept (Baseten).
    Deactivated,
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
                | Self::Planned
        )
    }

    /// Whether it is settled: asking again would change nothing (all but
    /// [`State::Failed`] and [`State::Started`]).
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Failed | Self::Started)
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

/// What a provider says of something it deleted (Baseten's `ModelTombstoneV1` and
/// `DeploymentTombstoneV1`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Tombstone {
    /// The ID of what was deleted.
    pub id: String,
    /// Whether the provider says it is deleted.
    pub deleted: bool,
    /// For a deployment, its model's ID.
    pub model_id: Option<String>,
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
