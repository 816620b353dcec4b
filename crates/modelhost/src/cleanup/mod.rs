//! Cleaning up by rule, as terraform plans and aws-nuke deletes: find what a [`Policy`]
//! selects among the models [`Selector`]s name, write it down as a [`Plan`] a person can
//! review, then [`apply`] exactly that plan, recording every outcome in a [`Journal`] so that
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
//! let mut journal = Journal::open("plan.json.journal".as_ref(), &plan)?;
//! let report = cleanup::apply(&hosts, &plan, &mut journal, &ApplyOptions::default(), cleanup::Utc::now()).await?;
//! println!("{} acted on, {} already done", report.acted(), report.already_done);
//! # Ok(()) }
//! ```

mod apply;
mod journal;
mod plan;
mod policy;
mod selector;

pub use apply::{ApplyError, ApplyOptions, ApplyReport, OnOutcome, apply};
pub use journal::{Journal, JournalError, Outcome, Record};
pub use plan::{Facts, Kept, PLAN_FORMAT, Plan, PlanError, Planned, plan};
pub use policy::{KNOWN_STATUSES, KeepReason, Policy, PolicyError};
pub use selector::Selector;

/// The time types plans are stamped with, so a caller need not depend on chrono itself.
pub use chrono::{DateTime, Utc};
