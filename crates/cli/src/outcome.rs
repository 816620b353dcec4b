//! What became of each target, in the one shape both output formats print.

use modelhost::{CascadeReport, ConflictReason, DeleteState, Deleted, Error, Target};
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
    /// The provider refused, or it was not attempted because something in its way was.
    Refused,
    /// No answer that settles it: network, rate limit outlasted, unexpected response.
    Failed,
}

impl State {
    /// Whether this counts as success for the exit status.
    pub fn is_success(self) -> bool {
        !matches!(self, Self::Refused | Self::Failed)
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
    pub code: Option<&'static str>,
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

    /// A target not deleted, and why.
    pub fn refused(target: &Target, error: &Error) -> Self {
        let (state, code) = classify(error);
        Self::new(target, state, Some(error.to_string()), Some(code))
    }

    /// A target that was not there (with `--missing-ok`).
    pub fn absent(target: &Target) -> Self {
        Self::new(target, State::Absent, None, None)
    }

    /// A target a dry run would delete.
    pub fn planned(target: &Target) -> Self {
        Self::new(target, State::Planned, None, None)
    }

    fn new(target: &Target, state: State, reason: Option<String>, code: Option<&'static str>) -> Self {
        let (provider, kind) = match target {
            Target::Model(m) => (m.provider(), "model"),
            Target::Version(v) => (v.provider(), "version"),
            Target::Deployment(_) => (modelhost::Provider::Replicate, "deployment"),
        };
        Self {
            reference: target.to_string(),
            provider: provider.to_string(),
            kind,
            state,
            reason,
            code,
            part_of: None,
        }
    }
}

/// Every target of a cascade: what it deleted, what a dry run would, what was refused.
pub fn of_cascade(report: &CascadeReport) -> Vec<Outcome> {
    let mut outcomes: Vec<Outcome> = if report.dry_run {
        let refused = |t: &Target| report.refused.iter().any(|(r, _)| r == t);
        report.plan.iter().filter(|p| !refused(&p.target)).map(|p| Outcome::planned(&p.target)).collect()
    } else {
        report.deleted.iter().map(Outcome::deleted).collect()
    };
    outcomes.extend(report.refused.iter().map(|(target, error)| Outcome::refused(target, error)));
    let model = report.model.to_string();
    for outcome in &mut outcomes {
        if outcome.reference != model {
            outcome.part_of = Some(model.clone());
        }
    }
    outcomes
}

/// Refused (the provider said no, for a reason a person can act on) or failed (no answer
/// that settles it), and a stable code.
fn classify(error: &Error) -> (State, &'static str) {
    let refused = |code| (State::Refused, code);
    match error {
        Error::NotFound { .. } => refused("not_found"),
        Error::Unauthenticated { .. } => refused("unauthenticated"),
        Error::PermissionDenied { .. } => refused("permission_denied"),
        Error::Conflict { reason, .. } => refused(match reason {
            ConflictReason::ModelHasVersions => "model_has_versions",
            ConflictReason::VersionUsedByOthers => "version_used_by_others",
            ConflictReason::VersionIsFineTuneBase => "version_is_fine_tune_base",
            ConflictReason::VersionHasDeployment => "version_has_deployment",
            ConflictReason::VersionOverridden => "version_overridden",
            ConflictReason::DeploymentInUse => "deployment_in_use",
            ConflictReason::ProductionDeployment => "production_deployment",
            ConflictReason::NotDeleted => "not_deleted",
            _ => "conflict",
        }),
        Error::RateLimited { .. } => (State::Failed, "rate_limited"),
        Error::Transport { .. } => (State::Failed, "transport"),
        Error::UnexpectedResponse { .. } => (State::Failed, "unexpected_response"),
        Error::InvalidReference(_) | Error::WrongProvider { .. } => (State::Failed, "invalid_reference"),
        Error::Config(_) => (State::Failed, "configuration"),
        _ => (State::Failed, "error"),
    }
}
