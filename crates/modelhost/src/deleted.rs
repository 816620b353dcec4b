//! What a delete returns, whatever the provider, and how an exchange's ending becomes it.

use crate::error::Error;
use crate::exchange::{Answer, Ending, Exchanged};
use crate::{Provider, Target};

/// How a delete behaves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// Treat "not found" as success, like `rm -f` ([`DeleteState::AlreadyAbsent`]).
    pub missing_ok: bool,
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
    /// Not deleted but deactivated, as asked ([`ModelHost::deactivate_version`](crate::ModelHost::deactivate_version)):
    /// its compute is stopped, the deployment kept (Baseten).
    Deactivated,
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
    pub state: DeleteState,
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

/// Turns a delete's exchange into the uniform result: `settle` says what its answer means (a
/// tombstone that says "not deleted" is an error); absent becomes success where an earlier
/// attempt may have deleted it, or where `missing_ok` asks for it.
pub(crate) fn finish_delete<T>(
    target: Target,
    options: &DeleteOptions,
    exchanged: Exchanged<T>,
    settle: impl FnOnce(Answer<T>, &Target) -> Result<(DeleteState, Option<Tombstone>), Error>,
) -> Result<Deleted, Error> {
    let provider = target.provider();
    let (state, tombstone) = match exchanged.ending {
        Ending::Answered(answer) => settle(answer, &target)?,
        Ending::Absent if exchanged.earlier_may_have_reached_server => {
            (DeleteState::ConfirmedByAbsence, None)
        }
        Ending::Absent if options.missing_ok => (DeleteState::AlreadyAbsent, None),
        Ending::Absent => return Err(Error::not_found(provider, &target)),
        Ending::Failed(error) => return Err(error),
    };
    Ok(Deleted { provider, target, state, tombstone })
}
