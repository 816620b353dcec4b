//! A clean-up's plan: made by listing what the selectors name (reads only), written as a
//! documented JSON document, read back and shown to a person before anything is deleted.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::StreamExt;

use super::decide::decide_group;
use super::inventory::{LISTED_AT_ONCE, Reading, inventory};
use super::policy::KeepReason;
use super::rules::{PolicyFile, Rule};
use super::selector::group_of;
use super::standing::{Savings, Standing};
use super::{Policy, Selector};
use crate::costs::PriceTable;
use crate::{Account, Action, Error, Holder, Hosts, Provider, Target, VersionInfo};

/// The plan document's format; raised only when a field changes meaning or goes away
/// (2: the digest, the accounts, labels, and the policy's protections; 3: targets of every
/// billable kind, rules with actions and cost conditions, what each target costs and what
/// its action saves, the rule that decided each).
pub const PLAN_FORMAT: u32 = 3;

/// What a target was chosen (or kept) by, as it was when the plan was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Facts {
    /// When it was created (RFC 3339).
    pub created_at: Option<String>,
    /// Its Baseten status (`ACTIVE`, `BUILD_FAILED`, …).
    pub status: Option<String>,
    /// The Baseten production deployment.
    pub is_production: bool,
    /// The Baseten development deployment.
    pub is_development: bool,
    /// The Baseten environment it is bound to.
    pub environment: Option<String>,
    /// The Replicate deployments that serve it.
    pub held_by: Vec<String>,
    /// The Baseten deployment's labels.
    pub labels: BTreeMap<String, String>,
    /// What a billable target costs while it stands and when it was last called. Apply
    /// decides the cost conditions again on what it reads then, rather than asking these
    /// figures to stay the same (what costs now moves with every replica).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standing: Option<Box<Standing>>,
}

impl Facts {
    /// The facts of a listed version, with the deployments among `holders` that serve it.
    pub fn of(version: &VersionInfo, holders: &[Holder]) -> Self {
        Self {
            created_at: version.created_at.clone(),
            status: version.status.clone(),
            is_production: version.is_production,
            is_development: version.is_development,
            environment: version.environment.clone(),
            held_by: holders
                .iter()
                .filter(|h| h.version == version.version)
                .map(ToString::to_string)
                .collect(),
            labels: version.labels.clone(),
            standing: None,
        }
    }

    /// What differs from `then` to `self`, in words (`status ACTIVE → BUILDING`); `None`
    /// when nothing does. What it costs is not compared: the policy decides on it again.
    pub fn changes_since(&self, then: &Self) -> Option<String> {
        fn shown<T: fmt::Debug>(value: &T) -> String {
            crate::Escaped(&format!("{value:?}")).to_string()
        }
        let mut changes = Vec::new();
        let mut differs = |what: &str, before: String, after: String| {
            if before != after {
                changes.push(format!("{what} {before} → {after}"));
            }
        };
        differs("created", shown(&then.created_at), shown(&self.created_at));
        differs("status", shown(&then.status), shown(&self.status));
        differs("production", shown(&then.is_production), shown(&self.is_production));
        differs("development", shown(&then.is_development), shown(&self.is_development));
        differs("environment", shown(&then.environment), shown(&self.environment));
        differs("served by", shown(&then.held_by), shown(&self.held_by));
        differs("labels", shown(&then.labels), shown(&self.labels));
        (!changes.is_empty()).then(|| changes.join(", "))
    }
}

/// One action of a plan. Its document also says what the action saves
/// ([`Planned::savings`]), which follows from its action and facts: a document whose savings
/// do not is refused when read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Planned {
    /// What is acted on: a version (a Baseten model deployment), a chain deployment, a
    /// training job, a Replicate deployment.
    pub reference: Target,
    /// What is done to it.
    pub action: Action,
    /// The rule that chose it (one allocation per rule, however many targets cite it).
    pub rule: Arc<str>,
    /// What it was chosen by (boxed: a plan holds many targets, and a small one grows fast).
    pub facts: Box<Facts>,
}

impl Planned {
    /// What its action saves, as the plan read what the target costs.
    pub fn savings(&self) -> Savings {
        Savings::of(self.action, self.facts.standing.as_deref())
    }
}

/// [`Planned`] as the document writes it.
#[derive(serde::Serialize)]
struct PlannedOut<'a> {
    reference: &'a Target,
    action: Action,
    rule: &'a str,
    facts: &'a Facts,
    savings: Savings,
}

/// [`Planned`] as the document is read.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PlannedIn {
    reference: Target,
    action: Action,
    #[serde(deserialize_with = "rule_name::deserialize")]
    rule: Arc<str>,
    facts: Box<Facts>,
    savings: Savings,
}

impl serde::Serialize for Planned {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let out = PlannedOut {
            reference: &self.reference,
            action: self.action,
            rule: &self.rule,
            facts: &self.facts,
            savings: self.savings(),
        };
        out.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Planned {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let read = PlannedIn::deserialize(deserializer)?;
        let planned =
            Self { reference: read.reference, action: read.action, rule: read.rule, facts: read.facts };
        if planned.savings() != read.savings {
            return Err(serde::de::Error::custom(format!(
                "{}: its savings are not what its action and facts give",
                planned.reference
            )));
        }
        Ok(planned)
    }
}

/// Rule names read from a plan, shared: a plan of 100,000 targets cites a few rules.
mod rule_name {
    use std::cell::RefCell;
    use std::collections::HashSet;
    use std::sync::Arc;

    use serde::Deserialize;

    thread_local! {
        static NAMES: RefCell<HashSet<Arc<str>>> = RefCell::new(HashSet::new());
    }

    /// The one `Arc` of `name` on this thread.
    pub fn intern(name: &str) -> Arc<str> {
        NAMES.with(|names| {
            let mut names = names.borrow_mut();
            if let Some(known) = names.get(name) {
                return Arc::clone(known);
            }
            let new: Arc<str> = Arc::from(name);
            names.insert(Arc::clone(&new));
            new
        })
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Arc<str>, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(intern(&name))
    }

    /// The same for `Option<Arc<str>>`.
    pub mod option {
        use std::sync::Arc;

        use serde::Deserialize;

        pub fn deserialize<'de, D: serde::Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Arc<str>>, D::Error> {
            let name = Option::<std::borrow::Cow<str>>::deserialize(deserializer)?;
            Ok(name.map(|n| super::intern(&n)))
        }

        pub fn serialize<S: serde::Serializer>(
            name: &Option<Arc<str>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match name {
                Some(name) => serializer.serialize_some(&**name),
                None => serializer.serialize_none(),
            }
        }
    }
}

/// A target the plan leaves alone, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Kept {
    /// What is kept.
    pub reference: Target,
    /// The rule that kept it (a keep rule, or the first rule selecting it); none when no
    /// rule selects it.
    #[serde(with = "rule_name::option")]
    pub rule: Option<Arc<str>>,
    /// Why it is kept.
    #[serde(flatten)]
    pub reason: KeepReason,
    /// What is known of it.
    pub facts: Box<Facts>,
}

/// What a clean-up will do, and what it leaves alone: the document `modelhost prune` writes
/// and `modelhost apply` reads. It is a reviewed artefact: [`Plan::digest`] is the sha256 of
/// everything else in it, and [`Plan::read`] refuses a plan whose content does not match it,
/// or whose targets its own selectors, policy and recorded facts would not have chosen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Plan {
    /// [`PLAN_FORMAT`].
    pub format: u32,
    /// The sha256 of the plan's canonical form without this field, in hex.
    pub digest: String,
    /// When it was made (RFC 3339, UTC).
    pub made_at: DateTime<Utc>,
    /// Where it was made: the account and base URL of each provider it looked at.
    pub accounts: Vec<Account>,
    /// The sha256 of the policy file it was made by, when one was.
    pub policy_file: Option<String>,
    /// The most actions one apply of it may send (the policy file's `max_actions`).
    pub max_actions: Option<usize>,
    /// What it selected by, in order (the command line's flags are one rule, `flags`).
    pub rules: Vec<Rule>,
    /// Every action, grouped by model (chain, project), oldest first within one.
    pub targets: Vec<Planned>,
    /// Everything looked at and left alone.
    pub kept: Vec<Kept>,
}

/// The plan without its digest, in the order it is written: what the digest is taken over.
#[derive(serde::Serialize)]
struct Canonical<'a> {
    format: u32,
    made_at: &'a DateTime<Utc>,
    accounts: &'a [Account],
    policy_file: &'a Option<String>,
    max_actions: &'a Option<usize>,
    rules: &'a [Rule],
    targets: &'a [Planned],
    kept: &'a [Kept],
}

/// A plan document that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// Not JSON, or not a plan.
    #[error("not a plan document: {0}")]
    Malformed(#[from] serde_json::Error),
    /// Written by another `modelhost`.
    #[error("plan format {0} is not one this modelhost reads (it reads {PLAN_FORMAT}): make the plan again")]
    Format(u32),
    /// Its content is not what its digest was taken over: it was edited.
    #[error(
        "the plan's content does not match its digest {said}: it was changed after it was made (its content's digest is {found})"
    )]
    Digest {
        /// The digest the plan carries.
        said: String,
        /// The digest of its content.
        found: String,
    },
    /// Not the plan that was reviewed (`--expect-digest`).
    #[error("the plan's digest is {found}, not the {expected} that was reviewed")]
    NotReviewed {
        /// The digest expected.
        expected: String,
        /// The plan's.
        found: String,
    },
    /// A target its selectors do not cover, or its policy would not have chosen from the
    /// facts it records; the same version twice; an account missing.
    #[error("the plan is not consistent: {0}")]
    Inconsistent(String),
}

impl Plan {
    /// Reads a plan document and checks it ([`Plan::check`]): every reference in it has been
    /// parsed again, and its targets are what its own policy chooses from its own facts.
    pub fn from_json(text: &str) -> Result<Self, PlanError> {
        Self::read(std::io::Cursor::new(text.as_bytes()))
    }

    /// [`Plan::from_json`] from a reader (a plan file), never holding its whole text.
    pub fn read(mut reader: impl std::io::Read + std::io::Seek) -> Result<Self, PlanError> {
        /// Only the format: the rest of the document is skipped without being kept.
        #[derive(serde::Deserialize)]
        struct Format {
            format: Option<u64>,
        }
        let format = serde_json::from_reader::<_, Format>(std::io::BufReader::new(&mut reader))?.format;
        if format != Some(u64::from(PLAN_FORMAT)) {
            return Err(PlanError::Format(format.and_then(|f| u32::try_from(f).ok()).unwrap_or(0)));
        }
        reader.seek(std::io::SeekFrom::Start(0)).map_err(serde_json::Error::io)?;
        let plan: Self = serde_json::from_reader(std::io::BufReader::new(reader))?;
        plan.check()?;
        Ok(plan)
    }

    /// The sha256 of the plan's content (everything but [`Plan::digest`]), in hex.
    pub fn content_digest(&self) -> String {
        use sha2::Digest;
        let canonical = Canonical {
            format: self.format,
            made_at: &self.made_at,
            accounts: &self.accounts,
            policy_file: &self.policy_file,
            max_actions: &self.max_actions,
            rules: &self.rules,
            targets: &self.targets,
            kept: &self.kept,
        };
        let mut hasher = sha2::Sha256::new();
        serde_json::to_writer(&mut hasher, &canonical).expect("a plan serializes");
        hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The first 12 hex digits of the digest: enough to tell plans apart in a name.
    pub fn short_digest(&self) -> &str {
        self.digest.get(..12).unwrap_or(&self.digest)
    }

    /// Checks that the plan is the one that was made: its digest matches its content, no
    /// version is in it twice, every provider it acts on has its account recorded, every
    /// target is of a model its selectors cover, and deciding its recorded versions again by
    /// its policy, at the time it was made, gives exactly its targets and what it keeps.
    pub fn check(&self) -> Result<(), PlanError> {
        let found = self.content_digest();
        if found != self.digest {
            return Err(PlanError::Digest { said: crate::Escaped(&self.digest).to_string(), found });
        }
        let inconsistent = |text: String| Err(PlanError::Inconsistent(text));
        // Each group's members by their place in the plan: one group is decided again at a
        // time, so checking costs a group's members, not a second copy of the plan.
        let mut groups: BTreeMap<Target, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        let references = self.targets.iter().map(|t| (&t.reference, true));
        for (place, (reference, planned)) in
            references.enumerate().chain(self.kept.iter().map(|k| (&k.reference, false)).enumerate())
        {
            let Some(group) = group_of(reference) else {
                return inconsistent(format!("{reference} is not something a clean-up acts on"));
            };
            if !self.rules.iter().flat_map(|r| &r.selectors).any(|s| s.lists(&group)) {
                return inconsistent(format!("{reference} is not of a group its rules read"));
            }
            let entry = groups.entry(group).or_default();
            if planned { entry.0.push(place) } else { entry.1.push(place) }
        }
        let mut next_target = 0;
        for (model, (targets, kept)) in &groups {
            let model = &model;
            if !self.accounts.iter().any(|a| a.provider == model.provider()) {
                return inconsistent(format!("{model}: the plan records no {} account", model.provider()));
            }
            let versions = targets.iter().map(|&i| (&self.targets[i].reference, &self.targets[i].facts));
            let versions =
                versions.chain(kept.iter().map(|&i| (&self.kept[i].reference, &self.kept[i].facts)));
            let mut seen = BTreeSet::new();
            let mut listed = Vec::with_capacity(targets.len() + kept.len());
            for (reference, facts) in versions {
                if !seen.insert(reference) {
                    return inconsistent(format!("{reference} is in the plan twice"));
                }
                listed.push((reference.clone(), Facts::clone(facts)));
            }
            let decided = decide_group(&self.rules, listed, self.made_at);
            // Its targets, in the decided order, where the plan's order says they are.
            for expected in &decided.targets {
                match self.targets.get(next_target) {
                    Some(target) if target == expected => next_target += 1,
                    Some(target) if group_of(&target.reference).as_ref() == Some(*model) => {
                        return inconsistent(not_chosen(target, &decided));
                    }
                    _ => {
                        return inconsistent(format!(
                            "{} is chosen by its policy but not planned",
                            expected.reference
                        ));
                    }
                }
            }
            if let Some(&extra) = targets.iter().find(|&&i| i >= next_target) {
                return inconsistent(not_chosen(&self.targets[extra], &decided));
            }
            // What is kept, and why, is what its policy says too (in any order).
            for &i in kept {
                let recorded = &self.kept[i];
                match decided.kept.iter().find(|k| k.reference == recorded.reference) {
                    Some(expected) if expected == recorded => {}
                    Some(expected) => {
                        return inconsistent(format!(
                            "{} is kept as \"{}\", but its policy keeps it as \"{}\"",
                            recorded.reference, recorded.reason, expected.reason
                        ));
                    }
                    None => {
                        return inconsistent(format!(
                            "{} is kept, but its policy chooses it",
                            recorded.reference
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// [`Plan::check`], and that the plan is the one reviewed: its digest is `expected`.
    pub fn check_reviewed(&self, expected: &str) -> Result<(), PlanError> {
        if !self.digest.eq_ignore_ascii_case(expected) {
            return Err(PlanError::NotReviewed {
                expected: crate::Escaped(expected).to_string(),
                found: self.digest.clone(),
            });
        }
        self.check()
    }

    /// The document, as JSON.
    pub fn to_json(&self) -> String {
        let mut text = Vec::new();
        self.write_json(&mut text).expect("a plan serializes");
        String::from_utf8(text).expect("JSON is UTF-8")
    }

    /// Writes the document, as JSON, to `writer`, without building its text first.
    pub fn write_json(&self, mut writer: impl std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut writer, self)?;
        writer.write_all(b"\n")
    }

    /// How many actions per provider.
    pub fn counts(&self) -> BTreeMap<Provider, usize> {
        Self::count(&self.targets)
    }

    /// What the plan's actions save, per provider (each figure unknown once one target's is).
    pub fn savings(&self) -> BTreeMap<Provider, Savings> {
        let mut sums: BTreeMap<Provider, Savings> = BTreeMap::new();
        for target in &self.targets {
            let sum = sums.entry(target.reference.provider()).or_insert_with(Savings::nothing);
            *sum = sum.plus(target.savings());
        }
        sums
    }

    /// How many of `targets` (some of a plan's) per provider.
    pub fn count<'a>(targets: impl IntoIterator<Item = &'a Planned>) -> BTreeMap<Provider, usize> {
        let mut counts = BTreeMap::new();
        for target in targets {
            *counts.entry(target.reference.provider()).or_default() += 1;
        }
        counts
    }

    /// The one action its acting rules take, when they share one.
    pub fn action(&self) -> Option<Action> {
        let mut actions = self.rules.iter().filter(|r| !r.keep).map(|r| r.policy.action);
        let first = actions.next()?;
        actions.all(|a| a == first).then_some(first)
    }

    /// `delete`, `scale to zero`, …: the verb of its one action, or `act on`.
    pub fn verb(&self) -> &'static str {
        self.action().map_or("act on", Action::verb)
    }

    /// The account recorded for `provider`.
    pub fn account(&self, provider: Provider) -> Option<&Account> {
        self.accounts.iter().find(|a| a.provider == provider)
    }
}

/// Whether `rules` decide on what targets cost or how they are called (a cost condition, or
/// a scale to zero, which keeps what is already at zero).
pub(super) fn decide_on_costs(rules: &[Rule]) -> bool {
    rules.iter().any(|r| {
        let p = &r.policy;
        p.idle_for.is_some()
            || p.costing
            || p.min_cost_per_hour.is_some()
            || (!r.keep && p.action == Action::ScaleToZero)
    })
}

/// The longest idle time under a day that `rules` ask for: what is counted to the minute.
pub(super) fn recent_window(rules: &[Rule]) -> Option<std::time::Duration> {
    const DAY: std::time::Duration = std::time::Duration::from_secs(86_400);
    rules.iter().filter_map(|r| r.policy.idle_for).filter(|idle| *idle < DAY).max()
}

/// Why `target` is not what the decision expected at its place.
fn not_chosen(target: &Planned, decided: &super::decide::Decided) -> String {
    match decided.kept.iter().find(|k| k.reference == target.reference) {
        Some(kept) => format!(
            "{} is planned, but its policy keeps it from the facts the plan records: {}",
            target.reference, kept.reason
        ),
        None if decided.targets.iter().any(|t| t.reference == target.reference) => {
            format!(
                "{} is planned with other facts or another action than its policy gives",
                target.reference
            )
        }
        None => format!("{} is planned out of its group's order", target.reference),
    }
}

/// Groups that a plan's selectors name but that do not exist.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanningError {
    /// Named models (chains, projects, deployments) that the provider does not have (or the
    /// token cannot see): all of them.
    #[error("{} not found (or not visible to the token): {}", missing_subject(.0), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))]
    Missing(Vec<Target>),
    /// A token belongs to another account than the policy file is for.
    #[error("the policy is for {} account `{expected}`; the token is for {found}: nothing was listed", found.provider)]
    OtherAccount {
        /// The account the policy names.
        expected: String,
        /// The account the token belongs to.
        found: Box<Account>,
    },
    /// Listing what the selectors name failed, or the policy cannot be applied.
    #[error(transparent)]
    Facade(#[from] Error),
}

/// `this model is`, `these models are`, `these are`: the subject of a missing-groups message.
fn missing_subject(missing: &[Target]) -> &'static str {
    let models = missing.iter().all(|t| matches!(t, Target::Model(_)));
    match (missing.len(), models) {
        (1, true) => "this model is",
        (_, true) => "these models are",
        (1, false) => "this is",
        _ => "these are",
    }
}

/// The plan of the command line's flags: `selectors` decided by `policy` (one rule,
/// `flags`; see [`plan_by`]).
pub async fn plan(
    hosts: &Hosts,
    selectors: &[Selector],
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Plan, PlanningError> {
    let rules = vec![Rule::flags(selectors.to_vec(), policy.clone())];
    plan_by(hosts, &PolicyFile::of(rules), &PriceTable::shipped(), now).await
}

/// Makes the plan of `policy`'s rules: asks each provider its selectors name for its account
/// (refusing, before anything else is read, one the policy is not for), reads what the
/// selectors name as it stands (what each billable target costs and when
/// it was last called; a Replicate model's versions with what serves them), and decides each
/// group by the rules at the time `now`, Replicate's deployments priced by `prices`. Sends
/// only reads. Every named group that does not exist is named in one
/// [`PlanningError::Missing`].
pub async fn plan_by(
    hosts: &Hosts,
    policy: &PolicyFile,
    prices: &PriceTable,
    now: DateTime<Utc>,
) -> Result<Plan, PlanningError> {
    let mut selectors: Vec<Selector> =
        policy.rules.iter().flat_map(|r| r.selectors.iter().cloned()).collect();
    selectors.sort();
    selectors.dedup();
    let providers: BTreeSet<Provider> = selectors.iter().map(Selector::provider).collect();
    let accounts = hosts.accounts(&providers.into_iter().collect::<Vec<_>>()).await?;
    for (provider, expected) in &policy.accounts {
        if let Some(found) = accounts.iter().find(|a| a.provider == *provider && a.name != *expected) {
            return Err(PlanningError::OtherAccount {
                expected: expected.clone(),
                found: Box::new(found.clone()),
            });
        }
    }
    let reading =
        Reading { selectors: &selectors, prices, recent: recent_window(&policy.rules), costs: true };
    let standing = inventory(hosts, &reading, now).await?;
    let mut plan = Plan {
        format: PLAN_FORMAT,
        digest: String::new(),
        made_at: now,
        accounts,
        policy_file: (!policy.digest.is_empty()).then(|| policy.digest.clone()),
        max_actions: policy.max_actions,
        rules: policy.rules.clone(),
        targets: Vec::new(),
        kept: Vec::new(),
    };
    for members in standing.groups.values() {
        plan.add(decide_group(&policy.rules, members.iter().cloned(), now));
    }
    // Each Replicate model's versions decided as they come, a few listed at once; a model
    // whose listing failed after its own retries (a fault that outlasted them) is listed
    // once more after the others.
    let mut missing = standing.missing.clone();
    let mut listed = futures::stream::iter(&standing.models)
        .map(|model| {
            let standing = &standing;
            async move { (model, standing.versions(hosts, model).await) }
        })
        .buffered(LISTED_AT_ONCE);
    let mut again = Vec::new();
    while let Some((model, versions)) = listed.next().await {
        match versions {
            Ok(versions) => plan.add(decide_group(&policy.rules, versions, now)),
            Err(Error::NotFound { .. }) => missing.push(Target::Model(model.clone())),
            Err(
                e @ (Error::Transport { .. } | Error::RateLimited { .. } | Error::UnexpectedResponse { .. }),
            ) => {
                tracing::debug!(%model, error = %e, "listed again after the others");
                again.push(model);
            }
            Err(error) => return Err(error.into()),
        }
    }
    drop(listed);
    for model in again {
        match standing.versions(hosts, model).await {
            Ok(versions) => plan.add(decide_group(&policy.rules, versions, now)),
            Err(Error::NotFound { .. }) => missing.push(Target::Model(model.clone())),
            Err(error) => return Err(error.into()),
        }
    }
    if !missing.is_empty() {
        missing.sort();
        return Err(PlanningError::Missing(missing));
    }
    plan.digest = plan.content_digest();
    Ok(plan)
}

impl Plan {
    /// Adds one group's decision where its group's place is (groups in order, as
    /// [`Plan::check`] reads them).
    fn add(&mut self, decided: super::decide::Decided) {
        let first =
            decided.targets.first().map(|t| &t.reference).or(decided.kept.first().map(|k| &k.reference));
        let Some(group) = first.and_then(group_of) else { return };
        let before = |reference: &Target| group_of(reference).is_some_and(|g| g < group);
        let at = self.targets.partition_point(|t| before(&t.reference));
        self.targets.splice(at..at, decided.targets);
        let at = self.kept.partition_point(|k| before(&k.reference));
        self.kept.splice(at..at, decided.kept);
    }
}

impl fmt::Display for Plan {
    /// One line per action with what it saves, grouped by model (chain, project), then
    /// what is kept, then totals per provider.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut heading = None;
        for target in &self.targets {
            // A Replicate deployment is a group of its own: they are headed together.
            let of = match group_of(&target.reference) {
                Some(Target::Deployment(d)) => format!("{}:deployments", d.provider()),
                group => group.map(|g| g.to_string()).unwrap_or_default(),
            };
            if heading.as_ref() != Some(&of) {
                writeln!(f, "{of}")?;
                heading = Some(of);
            }
            writeln!(
                f,
                "  {} {}{}{}: {}{}",
                target.action,
                target.reference,
                describe(&target.facts),
                cited(Some(&target.rule)),
                target.savings(),
                costs_nothing(target)
            )?;
        }
        if !self.kept.is_empty() {
            writeln!(f, "kept:")?;
            for kept in &self.kept {
                let rule = if matches!(kept.reason, KeepReason::Rule(_)) { None } else { kept.rule.as_ref() };
                writeln!(f, "  {}: {}{}", kept.reference, kept.reason, cited(rule))?;
            }
        }
        let savings = self.savings();
        let totals: Vec<String> = [Provider::Baseten, Provider::Replicate]
            .iter()
            .filter(|p| {
                let of = |r: &Target| r.provider() == **p;
                self.targets.iter().any(|t| of(&t.reference)) || self.kept.iter().any(|k| of(&k.reference))
            })
            .map(|p| {
                let kept = self.kept.iter().filter(|k| k.reference.provider() == *p).count();
                let saves = savings.get(p).map(|s| format!(" ({s})")).unwrap_or_default();
                let mut actions: BTreeMap<Action, usize> = BTreeMap::new();
                for target in self.targets.iter().filter(|t| t.reference.provider() == *p) {
                    *actions.entry(target.action).or_default() += 1;
                }
                let acts: Vec<String> = actions.iter().map(|(a, n)| format!("{n} to {}", a.verb())).collect();
                if acts.is_empty() {
                    return format!("{p}: nothing to do, {kept} kept");
                }
                format!("{p}: {}{saves}, {kept} kept", acts.join(", "))
            })
            .collect();
        if totals.is_empty() { writeln!(f, "nothing to do") } else { writeln!(f, "{}", totals.join("; ")) }
    }
}

/// Why an action saves nothing, when it does not: `: already scaled to zero`.
fn costs_nothing(target: &Planned) -> String {
    if !target.savings().is_nothing() {
        return String::new();
    }
    let why = match (&target.facts.standing, target.facts.status.as_deref()) {
        (None, _) => "it costs nothing while it stands",
        (Some(_), Some("SCALED_TO_ZERO")) => "already scaled to zero",
        (Some(_), Some("INACTIVE" | "DEACTIVATING")) => "already inactive",
        (Some(_), _) => "no replica is kept up",
    };
    format!(": {why}")
}

/// ` [rule idle]` after a line a rule of a policy file decided (not the command line's).
fn cited(rule: Option<&Arc<str>>) -> String {
    match rule {
        Some(rule) if &**rule != super::rules::FLAGS => format!(" [rule {}]", crate::Escaped(rule)),
        _ => String::new(),
    }
}

/// ` (created 2026-07-01T12:00:00+00:00, BUILD_FAILED)`.
fn describe(facts: &Facts) -> String {
    let parts: Vec<String> = facts
        .created_at
        .iter()
        .map(|c| format!("created {}", crate::Escaped(c)))
        .chain(facts.status.iter().map(|s| crate::Escaped(s).to_string()))
        .collect();
    if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) }
}
