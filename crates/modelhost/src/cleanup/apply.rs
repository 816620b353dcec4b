//! Applying a plan exactly: nothing outside it is sent, each target is fetched again first
//! and skipped when the facts it was chosen by no longer hold, and every outcome is in the
//! journal before it counts.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt};

use super::journal::{Journal, JournalError, Outcome, Record};
use super::plan::{Facts, Plan, Planned};
use crate::{Action, DeleteOptions, DeleteState, Error, Holder, Hosts, Provider};

/// Told of each outcome once it is journaled (a progress bar).
pub type OnOutcome = Arc<dyn Fn(&Record) + Send + Sync>;

/// How a plan is applied.
#[derive(Clone)]
pub struct ApplyOptions {
    /// Actions in flight at once, on each provider.
    pub concurrency: usize,
    /// A plan older than this is refused (24 hours by default): what it saw may be stale.
    pub max_age: Duration,
    /// Set it to stop starting new actions; those in flight finish and are journaled.
    pub stop: Arc<AtomicBool>,
    /// Told of each outcome once it is journaled.
    pub on_outcome: Option<OnOutcome>,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            concurrency: 4,
            max_age: Duration::from_secs(24 * 3600),
            stop: Arc::default(),
            on_outcome: None,
        }
    }
}

impl std::fmt::Debug for ApplyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplyOptions")
            .field("concurrency", &self.concurrency)
            .field("max_age", &self.max_age)
            .field("stop", &self.stop)
            .finish_non_exhaustive()
    }
}

/// What an apply did: counts, and the records a person has to read. Every record is told to
/// [`ApplyOptions::on_outcome`] as it is journaled, so the report stays small however large
/// the plan.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ApplyReport {
    /// How many actions of this run ended each way.
    pub ended: BTreeMap<Outcome, usize>,
    /// This run's actions that did not end in success (refused, changed, failed), in the
    /// order they ended.
    pub unsuccessful: Vec<Record>,
    /// Planned actions an earlier run had already journaled as final.
    pub already_done: usize,
    /// Planned actions not started because the apply was told to stop.
    pub not_started: usize,
}

impl ApplyReport {
    /// How many actions this run took or skipped.
    pub fn acted(&self) -> usize {
        self.ended.values().sum()
    }

    /// Whether every planned action has ended in success (this run or an earlier one).
    pub fn all_done(&self, journal: &Journal, plan: &Plan) -> bool {
        (0..plan.targets.len()).all(|place| journal.last(place).is_some_and(Outcome::is_success))
    }
}

/// Applies `plan`, journaling each outcome in `journal` (opened for this plan). Actions an
/// earlier run journaled as final are not sent again. Fails before sending anything when the
/// plan is older than `options.max_age`; fails during the run only when the journal cannot
/// be written, and then no further action is started.
pub async fn apply(
    hosts: &Hosts,
    plan: &Plan,
    journal: &mut Journal,
    options: &ApplyOptions,
    now: DateTime<Utc>,
) -> Result<ApplyReport, ApplyError> {
    let age = now.signed_duration_since(plan.made_at).to_std().unwrap_or_default();
    if age > options.max_age {
        return Err(ApplyError::TooOld { age, max_age: options.max_age });
    }
    let mut report = ApplyReport::default();
    let mut waiting = Vec::new();
    for (place, target) in plan.targets.iter().enumerate() {
        match journal.last(place) {
            Some(outcome) if outcome.is_final() => report.already_done += 1,
            _ => waiting.push((place, target)),
        }
    }
    // What holds versions now, listed once per provider before any action.
    let holders = super::plan::holders_of(hosts, waiting.iter().map(|(_, t)| t.reference.model()))
        .await
        .map_err(ApplyError::Facade)?;
    // One queue per provider, each with its own `concurrency` in flight: their rate limits
    // are their own, so one provider's waits never hold the other's actions back.
    let mut queues: BTreeMap<Provider, VecDeque<(usize, &Planned)>> = BTreeMap::new();
    for (place, target) in waiting {
        queues.entry(target.reference.provider()).or_default().push_back((place, target));
    }
    let mut in_flight: BTreeMap<Provider, usize> = BTreeMap::new();
    let mut running = FuturesUnordered::new();
    loop {
        for (provider, queue) in &mut queues {
            let busy = in_flight.entry(*provider).or_default();
            while *busy < options.concurrency.max(1) && !options.stop.load(Ordering::SeqCst) {
                let Some((place, target)) = queue.pop_front() else { break };
                let held = holders.get(target.reference.model()).map_or(&[][..], Vec::as_slice);
                running.push(act(hosts, plan, target, held).map(move |record| (place, record)));
                *busy += 1;
            }
        }
        let Some(first) = running.next().await else { break };
        // Every outcome that is ready too goes into the same write and the same sync (group
        // commit): one sync per batch, and still none counts before it is on disk.
        let mut batch = vec![first];
        while let Some(Some(more)) = running.next().now_or_never() {
            batch.push(more);
        }
        for (_, record) in &batch {
            *in_flight.entry(record.reference.provider()).or_default() -= 1;
        }
        journal.record_all(&batch).map_err(ApplyError::Journal)?;
        for (_, record) in batch {
            if let Some(told) = &options.on_outcome {
                told(&record);
            }
            *report.ended.entry(record.outcome).or_default() += 1;
            if !record.outcome.is_success() {
                report.unsuccessful.push(record);
            }
        }
    }
    report.not_started = queues.values().map(VecDeque::len).sum();
    Ok(report)
}

/// Why an apply did not run, or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    /// The plan is older than allowed.
    #[error("the plan was made {} s ago, more than the {} s allowed: make a new one, or allow an older one", .age.as_secs(), .max_age.as_secs())]
    TooOld {
        /// Its age.
        age: Duration,
        /// The limit.
        max_age: Duration,
    },
    /// A provider the plan names is not configured, or what holds versions cannot be listed.
    #[error(transparent)]
    Facade(Error),
    /// An outcome could not be journaled: nothing more is started.
    #[error(transparent)]
    Journal(JournalError),
}

/// Fetches the target again, then acts on it if it is still what the plan chose.
async fn act(hosts: &Hosts, plan: &Plan, target: &Planned, holders: &[Holder]) -> Record {
    let record = |outcome, reason: Option<String>, code: Option<&str>| Record {
        reference: target.reference.clone(),
        action: target.action,
        outcome,
        reason,
        code: code.map(str::to_owned),
        at: Utc::now(),
    };
    let failed = |e: &Error| {
        let outcome = if e.is_refusal() { Outcome::Refused } else { Outcome::Failed };
        record(outcome, Some(e.to_string()), Some(e.code()))
    };
    let host = match hosts.get(target.reference.provider()) {
        Ok(host) => host,
        Err(e) => return failed(&e),
    };
    let now = match host.version_info(&target.reference).await {
        Ok(info) => Facts::of(&info, holders),
        Err(Error::NotFound { .. }) => return record(Outcome::Absent, Some("already gone".into()), None),
        Err(e) => return failed(&e),
    };
    if let Err(reason) = plan.policy.still_chosen(&now, Utc::now()) {
        return record(Outcome::Changed, Some(format!("changed since the plan: {reason}")), Some("changed"));
    }
    let done = match target.action {
        Action::Deactivate => host.deactivate_version(&target.reference).await,
        _ => host.delete_version(&target.reference, &DeleteOptions { missing_ok: true }).await,
    };
    match done {
        Ok(deleted) => match deleted.state {
            DeleteState::Accepted => record(Outcome::Accepted, None, None),
            DeleteState::AlreadyAbsent => record(Outcome::Absent, Some("already gone".into()), None),
            DeleteState::Deactivated => record(Outcome::Deactivated, None, None),
            _ => record(Outcome::Deleted, None, None),
        },
        Err(e) => failed(&e),
    }
}
