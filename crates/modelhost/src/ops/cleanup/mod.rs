//! Cleaning up by rule, as terraform plans and aws-nuke deletes: find what a [`Policy`]
//! selects among the models, chain deployments, training jobs and Replicate deployments
//! [`Selector`]s name (by age, status, and what it costs and how it is used), write it down as a [`Plan`] a person can
//! review, then [`apply()`] exactly that plan, recording every outcome in a [`Journal`] so that
//! an interrupted apply resumes where it stopped.
//!
//! ```no_run
//! use modelhost::Hosts;
//! use modelhost::cleanup::{self, ApplyOptions, Journal, Policy, Selector};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let hosts = Hosts::from_env()?;
//! let selectors: Vec<Selector> = vec!["baseten:*".parse()?, "replicate:alice/hello".parse()?];
//! let policy = Policy { keep_last: 3, ..Policy::default() };
//! let plan = cleanup::plan(&hosts, &selectors, &policy, cleanup::Utc::now()).await?;
//! print!("{plan}"); // one line per target, grouped by model, totals per provider
//!
//! let options = ApplyOptions::default();
//! // The plan's digest, age and accounts are checked before the journal exists.
//! let prepared = cleanup::prepare(&hosts, &plan, &options, cleanup::Utc::now()).await?;
//! let mut journal = Journal::open("plan.json.journal".as_ref(), &plan)?;
//! let report = prepared.apply(&mut journal).await?;
//! println!("{} acted on, {} already done", report.acted(), report.already_done);
//! # Ok(()) }
//! ```

mod apply;
mod decide;
mod inventory;
mod journal;
mod plan;
mod policy;
mod rules;
mod selector;
mod standing;

pub use apply::{ApplyError, ApplyOptions, ApplyReport, Halt, OnOutcome, Prepared, apply, prepare};
pub use journal::{Journal, JournalError, Record};
pub use plan::{Facts, Kept, PLAN_FORMAT, Plan, PlanError, Planned, PlanningError, plan, plan_by};
pub use policy::{KNOWN_STATUSES, KeepReason, NOTHING_TO_STOP, Policy, PolicyError};
pub use rules::{FLAGS, PolicyFile, PolicyFileError, Rule};
pub use selector::{Selector, group_of};
pub use standing::{Recent, Savings, Standing};

/// The time types plans are stamped with, so a caller need not depend on chrono itself.
pub use chrono::{DateTime, Utc};

/// Syncs the directory holding `path`, so that a file just created or renamed into it is
/// there after a crash (a no-op where directories cannot be opened, as on Windows).
pub fn sync_parent(path: &std::path::Path) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    match std::fs::File::open(dir) {
        Ok(dir) if cfg!(unix) => dir.sync_all(),
        _ => Ok(()),
    }
}
