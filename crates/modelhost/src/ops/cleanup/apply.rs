//! Applying a plan exactly. Before anything: the plan is checked against its digest and its
//! own policy, its age, and the account each provider's token belongs to ([`prepare`]).
//! Then what the plan's selectors name is read again (once per provider, as the plan read
//! it) and each group with targets decided again by the plan's policy on what stands now: a
//! target is acted on only when the policy still chooses it (still idle, still costing) and
//! every fact the plan recorded for it still holds. Each action is journaled as started
//! before it is sent and as ended before it counts.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::stream::FuturesUnordered;
use futures::{FutureExt, Stream, StreamExt};

use super::decide::{Verdicts, decide_group};
use super::inventory::{LISTED_AT_ONCE, Reading, inventory};
use super::journal::{Journal, JournalError, Record};
use super::plan::{Plan, PlanError, Planned, decide_on_costs, recent_window};
use super::policy::KeepReason;
use super::selector::group_of;
use crate::costs::PriceTable;
use crate::{Account, DeleteOptions, Error, Hosts, ModelHost, Outcome, Provider, State, Target};

/// Told of each outcome once it is journaled (a progress bar).
pub type OnOutcome = Arc<dyn Fn(&Record) + Send + Sync>;

/// How far in the future a plan's time may be (clocks of two machines differ a little).
const CLOCK_SKEW: Duration = Duration::from_secs(300);

/// How a plan is applied.
#[derive(Clone)]
pub struct ApplyOptions {
    /// Actions in flight at once, on each provider.
    pub concurrency: usize,
    /// A plan older than this is refused (24 hours by default): what it saw may be stale.
    pub max_age: Duration,
    /// At most this many actions are sent by one run; the rest are not started, and the next
    /// run continues.
    pub max_actions: Option<usize>,
    /// Set it to stop starting new actions; those in flight finish and are journaled.
    pub stop: Arc<AtomicBool>,
    /// Told of each outcome once it is journaled.
    pub on_outcome: Option<OnOutcome>,
    /// Replicate's prices, for deciding the cost conditions again (the plan's, as a rule).
    pub prices: PriceTable,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            concurrency: 4,
            max_age: Duration::from_secs(24 * 3600),
            max_actions: None,
            stop: Arc::default(),
            on_outcome: None,
            prices: PriceTable::shipped(),
        }
    }
}

impl std::fmt::Debug for ApplyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplyOptions")
            .field("concurrency", &self.concurrency)
            .field("max_age", &self.max_age)
            .field("max_actions", &self.max_actions)
            .field("stop", &self.stop)
            .finish_non_exhaustive()
    }
}

/// Why an apply left targets not started.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Halt {
    /// [`ApplyOptions::stop`] was set (Ctrl-C).
    Interrupted,
    /// The provider refused the credential (401) or the permission (403): no point sending
    /// the rest with it.
    Credential {
        /// The provider.
        provider: Provider,
        /// What it said.
        reason: String,
    },
    /// [`ApplyOptions::max_actions`] were sent.
    MaxActions(usize),
}

/// What an apply did: counts, and the records a person has to read. Every record is told to
/// [`ApplyOptions::on_outcome`] as it is journaled, so the report stays small however large
/// the plan.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ApplyReport {
    /// How many targets of this run ended each way.
    pub ended: BTreeMap<State, usize>,
    /// This run's targets that did not end in success (refused, changed, failed), in the
    /// order they ended.
    pub unsuccessful: Vec<Record>,
    /// Targets an earlier run had already journaled as done (deleted, accepted, absent,
    /// deactivated).
    pub already_done: usize,
    /// Targets an earlier run had journaled as refused or changed: final, not done.
    pub already_ended: usize,
    /// Targets an earlier run had started without recording how they ended: each was read
    /// again first, and acted on only if it still stood.
    pub resumed: usize,
    /// Targets not started by this run (see [`ApplyReport::halts`]).
    pub not_started: usize,
    /// Why targets were not started.
    pub halts: Vec<Halt>,
}

impl ApplyReport {
    /// How many targets this run took or skipped.
    pub fn acted(&self) -> usize {
        self.ended.values().sum()
    }

    /// Whether every planned action has ended in success (this run or an earlier one).
    pub fn all_done(&self, journal: &Journal, plan: &Plan) -> bool {
        (0..plan.targets.len()).all(|place| journal.last(place).is_some_and(State::is_success))
    }

    /// Counts one ended target of this run.
    fn count(&mut self, record: &Record) {
        *self.ended.entry(record.outcome.state).or_default() += 1;
        if !record.outcome.is_success() {
            self.unsuccessful.push(record.clone());
        }
    }
}

/// Why an apply did not run, or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    /// The plan does not match its digest or its own policy, or is not the one reviewed.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The plan is older than allowed.
    #[error("the plan was made {} s ago, more than the {} s allowed: make a new one, or allow an older one", .age.as_secs(), .max_age.as_secs())]
    TooOld {
        /// Its age.
        age: Duration,
        /// The limit.
        max_age: Duration,
    },
    /// The plan says it was made later than now.
    #[error(
        "the plan says it was made at {made_at}, later than now: a clock is wrong, or the plan was edited"
    )]
    FromTheFuture {
        /// When it says it was made.
        made_at: DateTime<Utc>,
    },
    /// A token belongs to another account (or the host talks to another base URL) than the
    /// plan was made for.
    #[error("the plan was made for {planned}; the token is for {found}: nothing was sent")]
    OtherAccount {
        /// What the plan records.
        planned: Box<Account>,
        /// What the token belongs to now.
        found: Box<Account>,
    },
    /// A provider the plan names is not configured, or its account cannot be read.
    #[error(transparent)]
    Facade(Error),
    /// An outcome could not be journaled: nothing more is started.
    #[error(transparent)]
    Journal(JournalError),
}

/// A plan checked for applying: its digest and consistency, its age and, for each provider
/// it acts on, the account the token belongs to. Made by [`prepare`].
#[derive(Debug)]
pub struct Prepared<'a> {
    hosts: &'a Hosts,
    plan: &'a Plan,
    options: &'a ApplyOptions,
}

/// Checks everything that must hold before anything is sent (see [`Prepared`]), sending only
/// the account reads. Open the journal after this, so a refused plan leaves none behind.
pub async fn prepare<'a>(
    hosts: &'a Hosts,
    plan: &'a Plan,
    options: &'a ApplyOptions,
    now: DateTime<Utc>,
) -> Result<Prepared<'a>, ApplyError> {
    plan.check()?;
    let skew = chrono::Duration::from_std(CLOCK_SKEW).expect("a few minutes");
    if plan.made_at > now + skew {
        return Err(ApplyError::FromTheFuture { made_at: plan.made_at });
    }
    let age = now.signed_duration_since(plan.made_at).to_std().unwrap_or_default();
    if age > options.max_age {
        return Err(ApplyError::TooOld { age, max_age: options.max_age });
    }
    for provider in plan.counts().into_keys() {
        let planned = plan.account(provider).expect("a checked plan records each provider's account");
        let found =
            hosts.get(provider).map_err(ApplyError::Facade)?.account().await.map_err(ApplyError::Facade)?;
        if !planned.same_as(&found) {
            return Err(ApplyError::OtherAccount {
                planned: Box::new(planned.clone()),
                found: Box::new(found),
            });
        }
    }
    Ok(Prepared { hosts, plan, options })
}

/// [`prepare`], then [`Prepared::apply`]: for a journal opened beforehand.
pub async fn apply(
    hosts: &Hosts,
    plan: &Plan,
    journal: &mut Journal,
    options: &ApplyOptions,
    now: DateTime<Utc>,
) -> Result<ApplyReport, ApplyError> {
    prepare(hosts, plan, options, now).await?.apply(journal).await
}

/// A provider's targets that are left, by group, each with its place in the plan.
type ByGroup<'a> = BTreeMap<Target, Vec<(usize, &'a Planned)>>;

/// What one run shares between its providers.
struct Run<'a> {
    hosts: &'a Hosts,
    plan: &'a Plan,
    options: &'a ApplyOptions,
    journal: Mutex<&'a mut Journal>,
    report: Mutex<ApplyReport>,
    /// Actions this run may still send.
    budget: AtomicUsize,
}

/// What becomes of one target, decided on what stands now.
enum Step<'a> {
    /// Still chosen, nothing changed: act.
    Act(usize, &'a Planned),
    /// Ended without an action (gone, changed, or what stands could not be read).
    Ended(usize, Record, Option<Halt>),
}

impl Prepared<'_> {
    /// Applies the plan, journaling each outcome in `journal` (opened for this plan). Actions
    /// an earlier run journaled as final are not sent again; one it started without an
    /// outcome is read again first. Fails during the run only when the journal cannot be
    /// written, and then no further action is started.
    pub async fn apply(self, journal: &mut Journal) -> Result<ApplyReport, ApplyError> {
        let Self { hosts, plan, options } = self;
        let mut report = ApplyReport::default();
        let mut groups: BTreeMap<Provider, ByGroup<'_>> = BTreeMap::new();
        for (place, target) in plan.targets.iter().enumerate() {
            match journal.last(place) {
                Some(outcome) if outcome.is_success() => report.already_done += 1,
                Some(outcome) if outcome.is_final() => report.already_ended += 1,
                last => {
                    report.resumed += usize::from(last == Some(State::Started));
                    let group = group_of(&target.reference).expect("a checked plan's targets have groups");
                    groups
                        .entry(target.reference.provider())
                        .or_default()
                        .entry(group)
                        .or_default()
                        .push((place, target));
                }
            }
        }
        let waiting: usize = groups.values().flat_map(|models| models.values()).map(Vec::len).sum();
        let run = Run {
            hosts,
            plan,
            options,
            journal: Mutex::new(journal),
            report: Mutex::new(report),
            budget: AtomicUsize::new(max_actions(plan, options).unwrap_or(usize::MAX)),
        };
        // The providers' rate limits are their own: each goes at its own pace.
        futures::future::try_join_all(
            groups.into_iter().map(|(provider, models)| run.provider(provider, models)),
        )
        .await?;
        let mut report = run.report.into_inner().unwrap_or_else(PoisonError::into_inner);
        report.not_started = waiting - report.acted();
        if report.not_started > 0 && options.stop.load(Ordering::SeqCst) {
            report.halts.push(Halt::Interrupted);
        }
        Ok(report)
    }
}

impl<'a> Run<'a> {
    /// Applies one provider's targets: what stands read again, then up to `concurrency`
    /// actions in flight.
    async fn provider(&self, provider: Provider, groups: ByGroup<'a>) -> Result<(), ApplyError> {
        let host = self.hosts.get(provider).map_err(ApplyError::Facade)?;
        let mut steps = std::pin::pin!(self.steps(provider, groups).await);
        let mut running = FuturesUnordered::new();
        let (mut listed_all, mut halted) = (false, false);
        let concurrency = self.options.concurrency.max(1);
        // Steps decided ahead of their actions: the listings go on while actions are in flight.
        let mut ready = VecDeque::with_capacity(concurrency);
        let mut finished = None;
        loop {
            let mut lines = Vec::new();
            let mut told = Vec::new();
            let mut starts = Vec::new();
            let ended = finished.take().into_iter();
            for (place, record, halt) in
                ended.chain(std::iter::from_fn(|| running.next().now_or_never().flatten()))
            {
                halted |= self.halt_if(halt);
                told.push((place, record));
            }
            halted |= self.options.stop.load(Ordering::SeqCst);
            while !listed_all && ready.len() < concurrency {
                match steps.next().now_or_never() {
                    Some(Some(step)) => ready.push_back(step),
                    Some(None) => listed_all = true,
                    None => break,
                }
            }
            while !halted && running.len() + starts.len() < concurrency {
                let Some(step) = ready.pop_front() else { break };
                match step {
                    Step::Act(place, target) => {
                        if self
                            .budget
                            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                            .is_err()
                        {
                            self.halt(Halt::MaxActions(
                                max_actions(self.plan, self.options).unwrap_or_default(),
                            ));
                            halted = true;
                            break;
                        }
                        lines.push((place, record(target, State::Started, None, None)));
                        starts.push((place, target));
                    }
                    Step::Ended(place, record, halt) => {
                        halted |= self.halt_if(halt);
                        told.push((place, record));
                    }
                }
            }
            // Outcomes and the start of new actions in one write and one sync (group commit):
            // none counts, and none is sent, before it is on disk.
            lines.extend(told.iter().cloned());
            if !lines.is_empty() {
                self.journal
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .record_all(&lines)
                    .map_err(ApplyError::Journal)?;
            }
            self.tell(told);
            for (place, target) in starts {
                running.push(act(host, target).map(move |(record, halt)| (place, record, halt)));
            }
            if running.is_empty() {
                if halted || (listed_all && ready.is_empty()) {
                    return Ok(());
                }
                if ready.is_empty() {
                    match steps.next().await {
                        Some(step) => ready.push_back(step),
                        None => listed_all = true,
                    }
                }
                continue;
            }
            let listing = !halted && !listed_all && ready.len() < concurrency;
            tokio::select! {
                biased;
                Some(ended) = running.next() => finished = Some(ended),
                step = steps.next(), if listing => match step {
                    Some(step) => ready.push_back(step),
                    None => listed_all = true,
                },
            }
        }
    }

    /// Each target of `groups`, in order, with what becomes of it: what the plan's selectors
    /// of `provider` name read again (a Replicate model's versions listed as its turn comes,
    /// a few ahead of the actions), and each group decided by the plan's rules on what
    /// stands now.
    async fn steps(&self, provider: Provider, groups: ByGroup<'a>) -> impl Stream<Item = Step<'a>> + '_ {
        let mut selectors: Vec<_> = self
            .plan
            .rules
            .iter()
            .flat_map(|r| &r.selectors)
            .filter(|s| s.provider() == provider)
            .cloned()
            .collect();
        selectors.sort();
        selectors.dedup();
        let now = Utc::now();
        let reading = Reading {
            selectors: &selectors,
            prices: &self.options.prices,
            recent: recent_window(&self.plan.rules),
            // What a plan's savings were read for need not be read again: only what its
            // rules decide on.
            costs: decide_on_costs(&self.plan.rules),
        };
        let standing = Arc::new(inventory(self.hosts, &reading, now).await);
        futures::stream::iter(groups)
            .map(move |(group, targets)| {
                let standing = Arc::clone(&standing);
                async move {
                    let steps = |now: Result<&Verdicts, &Error>| -> Vec<Step<'a>> {
                        targets.into_iter().map(|(place, target)| step(place, target, now)).collect()
                    };
                    let steps = match &*standing {
                        Err(e) => steps(Err(e)),
                        Ok(found) => {
                            let members = match &group {
                                Target::Model(model) if found.models.contains(model) => {
                                    found.versions(self.hosts, model).await
                                }
                                _ => Ok(found.groups.get(&group).cloned().unwrap_or_default()),
                            };
                            match members {
                                Ok(members) => {
                                    steps(Ok(&decide_group(&self.plan.rules, members, now).verdicts()))
                                }
                                Err(e) => steps(Err(&e)),
                            }
                        }
                    };
                    futures::stream::iter(steps)
                }
            })
            .buffered(LISTED_AT_ONCE)
            .flatten()
    }

    /// Records `halt`, if there is one; whether there was.
    fn halt_if(&self, halt: Option<Halt>) -> bool {
        halt.map(|halt| self.halt(halt)).is_some()
    }

    fn halt(&self, halt: Halt) {
        let mut report = self.report.lock().unwrap_or_else(PoisonError::into_inner);
        let same_kind = |h: &Halt| std::mem::discriminant(h) == std::mem::discriminant(&halt);
        let seen = report.halts.iter().any(|h| match (h, &halt) {
            (Halt::Credential { provider: a, .. }, Halt::Credential { provider: b, .. }) => a == b,
            _ => same_kind(h),
        });
        if !seen {
            report.halts.push(halt);
        }
    }

    /// Counts journaled outcomes and tells [`ApplyOptions::on_outcome`] of each.
    fn tell(&self, records: Vec<(usize, Record)>) {
        if records.is_empty() {
            return;
        }
        let mut report = self.report.lock().unwrap_or_else(PoisonError::into_inner);
        for (_, record) in &records {
            report.count(record);
        }
        drop(report);
        if let Some(told) = &self.options.on_outcome {
            for (_, record) in &records {
                told(record);
            }
        }
    }
}

/// The most actions one run may send: the lower of the plan's (its policy file's) and the
/// caller's.
fn max_actions(plan: &Plan, options: &ApplyOptions) -> Option<usize> {
    match (plan.max_actions, options.max_actions) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// What becomes of `target` given what its model's listing `now` decides.
fn step<'a>(place: usize, target: &'a Planned, now: Result<&Verdicts, &Error>) -> Step<'a> {
    let ended = |outcome, reason: String, code: Option<&str>| {
        Step::Ended(place, record(target, outcome, Some(reason), code), None)
    };
    match now {
        Err(e) => {
            let (record, halt) = failed(target, e);
            Step::Ended(place, record, halt)
        }
        Ok(verdicts) => match verdicts.get(&target.reference) {
            None => ended(State::Absent, "already gone".to_owned(), None),
            Some((_, Err(reason @ KeepReason::Called(_)))) => {
                ended(State::Changed, format!("changed since the plan: {reason}"), Some("changed"))
            }
            Some((_, Err(reason))) => {
                ended(State::Changed, format!("changed since the plan: now {reason}"), Some("changed"))
            }
            Some((facts, Ok(()))) => match facts.changes_since(&target.facts) {
                Some(changes) => {
                    ended(State::Changed, format!("changed since the plan: {changes}"), Some("changed"))
                }
                None => Step::Act(place, target),
            },
        },
    }
}

/// `target` failed with `error`: tried again by the next apply. A 401 or 403 (the token is
/// refused or not allowed, which no retry of the same token fixes) also halts its provider.
fn failed(target: &Planned, error: &Error) -> (Record, Option<Halt>) {
    let halt = matches!(error, Error::Unauthenticated { .. } | Error::PermissionDenied { .. })
        .then(|| Halt::Credential { provider: target.reference.provider(), reason: error.to_string() });
    (record(target, State::Failed, Some(error.to_string()), Some(error.code())), halt)
}

fn record(target: &Planned, state: State, reason: Option<String>, code: Option<&str>) -> Record {
    Record::new(&target.reference, target.action, state, reason, code.map(str::to_owned))
}

/// Sends the target's action. Only the provider's own refusal (a conflict: the production
/// deployment, a version a deployment serves) is final; anything else is [`failed`].
async fn act(host: &dyn ModelHost, target: &Planned) -> (Record, Option<Halt>) {
    let options = DeleteOptions { missing_ok: true };
    let done = host.perform(target.reference.clone(), target.action, &options).await;
    let ended = match done {
        Ok(deleted) => Record::of(Outcome::of_deleted(&deleted), target.action),
        Err(e @ Error::Conflict { .. }) => {
            Record::of(Outcome::of_error(target.reference.clone(), &e), target.action)
        }
        Err(e) => return failed(target, &e),
    };
    (ended, None)
}
