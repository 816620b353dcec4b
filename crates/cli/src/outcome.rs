//! What became of each target, in the one shape both output formats print.

use modelhost::cleanup::Record;
use modelhost::{CascadeReport, ConflictReason, Deleted, Error, Outcome, Provider, State, Target};

use serde::Serialize;

use crate::args::DeleteArgs;

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

/// One target as the command line reports it: the facade's [`Outcome`], and the model whose
/// cascade it was part of.
#[derive(Debug, Clone)]
pub struct Reported {
    /// What became of it.
    pub outcome: Outcome,
    /// The model whose cascade it was part of, when it is not that model itself.
    pub part_of: Option<String>,
}

/// A [`Reported`] as the JSON output writes it (layout 1).
#[derive(Serialize)]
struct Row<'a> {
    reference: &'a Target,
    provider: Provider,
    kind: &'static str,
    state: State,
    reason: &'a Option<String>,
    code: &'a Option<String>,
    part_of: &'a Option<String>,
}

impl Serialize for Reported {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Outcome { target, state, reason, code, .. } = &self.outcome;
        let (provider, kind) = (target.provider(), target.kind());
        Row { reference: target, provider, kind, state: *state, reason, code, part_of: &self.part_of }
            .serialize(serializer)
    }
}

impl From<Outcome> for Reported {
    fn from(outcome: Outcome) -> Self {
        Self { outcome, part_of: None }
    }
}

impl Reported {
    /// A target deleted, accepted (saying the deletion is in progress) or found absent.
    pub fn deleted(deleted: &Deleted) -> Self {
        let mut outcome = Outcome::of_deleted(deleted);
        if outcome.state == State::Accepted {
            outcome.reason = Some("deletion in progress".to_owned());
        }
        outcome.into()
    }

    /// A target not deleted, and why, in the facade's words and then, where a flag of this
    /// command would help, in the command line's.
    pub fn refused(target: &Target, error: &Error, hints: Hints) -> Self {
        let mut outcome = Outcome::of_error(target.clone(), error);
        if let (Some(hint), Some(reason)) = (hint(error, hints), outcome.reason.as_mut()) {
            *reason = format!("{reason}; {hint}");
        }
        outcome.into()
    }

    /// A target that ended in `state` with nothing to say (absent with `--missing-ok`,
    /// planned by a dry run).
    pub fn plain(target: &Target, state: State) -> Self {
        Outcome::new(target.clone(), state, None, None).into()
    }

    /// What `apply` journaled for one planned action.
    pub fn of_record(record: &Record) -> Self {
        record.outcome.clone().into()
    }

    /// How it ended.
    pub fn state(&self) -> State {
        self.outcome.state
    }
}

/// Every target of a cascade: what it deleted, what a dry run would, what was refused.
pub fn of_cascade(report: &CascadeReport, hints: Hints) -> Vec<Reported> {
    let mut outcomes: Vec<Reported> = if report.dry_run {
        let refused = |t: &Target| report.refused.iter().any(|(r, _)| r == t);
        let planned = report.plan.iter().filter(|p| !refused(&p.target));
        planned.map(|p| Reported::plain(&p.target, State::Planned)).collect()
    } else {
        report.deleted.iter().map(Reported::deleted).collect()
    };
    outcomes.extend(report.refused.iter().map(|(target, error)| Reported::refused(target, error, hints)));
    let model = Target::Model(report.model.clone());
    for reported in &mut outcomes {
        if reported.outcome.target != model {
            reported.part_of = Some(model.to_string());
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
