//! What became of each target, in the one shape both output formats print.

use modelhost::{CascadeReport, ConflictReason, DeleteState, Deleted, Error, Target};

use crate::args::DeleteArgs;
use modelhost::cleanup::{Outcome as JournalOutcome, Record};

/// What the command was asked, for the flag a refusal could be told to pass.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hints {
    cascade: bool,
    delete_deployments: bool,
}

impl Hints {
    /// The flags of `modelhost delete`.
    pub fn of(args: &DeleteArgs) -> Self {
        Self { cascade: args.cascade, delete_deployments: args.delete_deployments }
    }
}
use serde::Serialize;

/// Where a target ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Gone.
    Deleted,
    /// Accepted by the provider, deletion in progress (Replicate versions).
    Accepted,
    /// Not there (with --missing-ok).
    Absent,
    /// A dry run would delete it.
    Planned,
    /// Deactivated, as a clean-up plan said (Baseten: the deployment is kept).
    Deactivated,
    /// Skipped by `apply`: the facts it was planned by no longer hold.
    Changed,
    /// The provider refused, or it was not attempted because something in its way was.
    Refused,
    /// No answer that settles it: network, rate limit outlasted, unexpected response.
    Failed,
}

impl State {
    /// Whether this counts as success for the exit status.
    pub fn is_success(self) -> bool {
        !matches!(self, Self::Refused | Self::Failed | Self::Changed)
    }
}

/// One target's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The reference, as `modelhost` prints it.
    pub reference: String,
    /// `baseten` or `replicate`.
    pub provider: String,
    /// `model`, `version` or `deployment`.
    pub kind: &'static str,
    /// Where it ended.
    pub state: State,
    /// Why it was refused or failed, or a note on how it ended; in words.
    pub reason: Option<String>,
    /// Why, as a stable code for scripts (refused and failed targets only).
    pub code: Option<String>,
    /// The model whose cascade it was part of, when it is not that model itself.
    pub part_of: Option<String>,
}

impl Outcome {
    /// A target deleted, accepted or found absent.
    pub fn deleted(deleted: &Deleted) -> Self {
        let (state, reason) = match deleted.state {
            DeleteState::Done => (State::Deleted, None),
            DeleteState::Accepted => (State::Accepted, Some("deletion in progress")),
            DeleteState::AlreadyAbsent => (State::Absent, None),
            DeleteState::ConfirmedByAbsence => {
                (State::Deleted, Some("confirmed by absence: an earlier attempt deleted it"))
            }
            _ => (State::Deleted, None),
        };
        Self::new(&deleted.target, state, reason.map(str::to_owned), None)
    }

    /// A target not deleted, and why, in the facade's words and then, where a flag of this
    /// command would help, in the command line's.
    pub fn refused(target: &Target, error: &Error, hints: Hints) -> Self {
        let state = if error.is_refusal() { State::Refused } else { State::Failed };
        let reason = match hint(error, hints) {
            Some(hint) => format!("{error}; {hint}"),
            None => error.to_string(),
        };
        Self::new(target, state, Some(reason), Some(error.code().to_owned()))
    }

    /// A target that was not there (with `--missing-ok`).
    pub fn absent(target: &Target) -> Self {
        Self::new(target, State::Absent, None, None)
    }

    /// What `apply` journaled for one planned action.
    pub fn of_record(record: &Record) -> Self {
        let state = match record.outcome {
            JournalOutcome::Deleted => State::Deleted,
            JournalOutcome::Accepted => State::Accepted,
            JournalOutcome::Absent => State::Absent,
            JournalOutcome::Deactivated => State::Deactivated,
            JournalOutcome::Refused => State::Refused,
            JournalOutcome::Changed => State::Changed,
            // `Started` is journaled, never told; anything newer is not success.
            _ => State::Failed,
        };
        Self::new(
            &Target::Version(record.reference.clone()),
            state,
            record.reason.clone(),
            record.code.clone(),
        )
    }

    /// A target a dry run would delete.
    pub fn planned(target: &Target) -> Self {
        Self::new(target, State::Planned, None, None)
    }

    fn new(target: &Target, state: State, reason: Option<String>, code: Option<String>) -> Self {
        Self {
            reference: target.to_string(),
            provider: target.provider().to_string(),
            kind: target.kind(),
            state,
            reason,
            code,
            part_of: None,
        }
    }
}

/// Every target of a cascade: what it deleted, what a dry run would, what was refused.
pub fn of_cascade(report: &CascadeReport, hints: Hints) -> Vec<Outcome> {
    let mut outcomes: Vec<Outcome> = if report.dry_run {
        let refused = |t: &Target| report.refused.iter().any(|(r, _)| r == t);
        report.plan.iter().filter(|p| !refused(&p.target)).map(|p| Outcome::planned(&p.target)).collect()
    } else {
        report.deleted.iter().map(Outcome::deleted).collect()
    };
    outcomes.extend(report.refused.iter().map(|(target, error)| Outcome::refused(target, error, hints)));
    let model = report.model.to_string();
    for outcome in &mut outcomes {
        if outcome.reference != model {
            outcome.part_of = Some(model.clone());
        }
    }
    outcomes
}

/// The flag of `modelhost delete` that would get past `error`, when there is one.
fn hint(error: &Error, hints: Hints) -> Option<&'static str> {
    match error {
        Error::Conflict { reason: ConflictReason::VersionHasDeployment, .. } if !hints.delete_deployments => {
            Some("pass --cascade --delete-deployments to delete the deployment first")
        }
        Error::Conflict { reason: ConflictReason::ModelHasVersions, .. } if !hints.cascade => {
            Some("pass --cascade to delete its versions first")
        }
        _ => None,
    }
}
