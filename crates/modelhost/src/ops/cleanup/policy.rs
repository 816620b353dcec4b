//! Which versions a clean-up acts on: the policy, and the one function that decides, for a
//! version and what is known of it, whether it is planned or kept and why.

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::plan::Facts;
use super::standing::NotIdle;
use crate::{Action, Provider, Target, TrainingStatus};

/// Baseten's `DeploymentStatusV1` values this client knows. A status outside them (the
/// provider added one since) never matches a policy's statuses.
pub const KNOWN_STATUSES: &[&str] = &[
    "BUILDING",
    "DEPLOYING",
    "DEPLOY_FAILED",
    "LOADING_MODEL",
    "ACTIVE",
    "UNHEALTHY",
    "BUILD_FAILED",
    "BUILD_STOPPED",
    "DEACTIVATING",
    "INACTIVE",
    "FAILED",
    "UPDATING",
    "SCALED_TO_ZERO",
    "WAKING_UP",
];

/// A creation time as listed (RFC 3339), if it is one.
pub(crate) fn created(at: Option<&str>) -> Option<DateTime<Utc>> {
    at.and_then(|t| DateTime::parse_from_rfc3339(t).ok()).map(|t| t.with_timezone(&Utc))
}

/// Baseten statuses of a deployment that has no compute to stop: deactivating it saves
/// nothing, so a deactivating clean-up keeps it.
pub const NOTHING_TO_STOP: &[&str] = &[
    "INACTIVE",
    "DEACTIVATING",
    "SCALED_TO_ZERO",
    "BUILD_FAILED",
    "BUILD_STOPPED",
    "DEPLOY_FAILED",
    "FAILED",
];

/// What a clean-up selects, and what it does to it. Every condition must hold for a target
/// to be planned; whatever the policy, a production deployment and one bound to an
/// environment (unless the action scales to zero or stops and `include_production`), the
/// development deployment (unless `include_development`), a version a deployment serves, a
/// deployment carrying one of `keep_labels` and a Replicate model's latest version (unless
/// `include_latest`) are kept, a target its action does not apply to is kept, and a delete
/// never takes a model's (a chain's, a project's) last one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Each model's newest versions (by creation time, all of them counted) that are never
    /// planned. 1 by default, so a bare clean-up never empties a model.
    pub keep_last: usize,
    /// Only versions created longer ago than this.
    #[serde(with = "seconds")]
    pub older_than: Option<Duration>,
    /// Only Baseten deployments in one of these statuses (`BUILD_FAILED`, …; see
    /// [`KNOWN_STATUSES`]). A version without a status never matches.
    pub statuses: Option<BTreeSet<String>>,
    /// Plan the development deployment too.
    pub include_development: bool,
    /// What is done to each target: delete it, or stop what it costs (deactivate a Baseten
    /// deployment, scale a deployment to zero, stop a training job). A target the action
    /// does not apply to is kept, and so is one with nothing to stop.
    pub action: Action,
    /// Let the action reach production and environment-bound deployments, when it scales
    /// to zero or stops (a delete or deactivation never does).
    pub include_production: bool,
    /// Only targets nobody called for this long (read from the provider's usage; a target
    /// whose calls cannot be read is never idle).
    #[serde(with = "seconds")]
    pub idle_for: Option<Duration>,
    /// Only targets that cost money while they stand (a floor above 0, or replicas up now).
    pub costing: bool,
    /// Only targets whose floor costs at least this many USD per hour.
    pub min_cost_per_hour: Option<rust_decimal::Decimal>,
    /// Plan a Replicate model's latest version too (the one an unversioned
    /// `replicate.run("owner/name")` runs).
    pub include_latest: bool,
    /// Baseten deployments carrying any of these labels (`(key, value)`) are kept.
    pub keep_labels: BTreeSet<(String, String)>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            keep_last: 1,
            older_than: None,
            statuses: None,
            include_development: false,
            action: Action::Delete,
            include_production: false,
            idle_for: None,
            costing: false,
            min_cost_per_hour: None,
            include_latest: false,
            keep_labels: BTreeSet::new(),
        }
    }
}

/// A policy that cannot be applied as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A status no Baseten deployment can have.
    #[error("`{0}` is not a deployment status; known: {known}", known = KNOWN_STATUSES.join(", ").to_lowercase())]
    UnknownStatus(String),
    /// A duration that does not parse.
    #[error("`{0}` is not a duration: {1} (for example 30d, 12h, 90m)")]
    Duration(String, String),
    /// A label not written `KEY=VALUE`.
    #[error("`{0}` is not a label: write KEY=VALUE (for example team=search)")]
    Label(String),
}

impl Policy {
    /// Statuses as a person writes them (`build_failed,deploy_failed`), checked.
    pub fn parse_statuses(text: &str) -> Result<BTreeSet<String>, PolicyError> {
        text.split(',')
            .map(|s| s.trim().to_ascii_uppercase())
            .filter(|s| !s.is_empty())
            .map(|s| {
                if KNOWN_STATUSES.contains(&s.as_str()) { Ok(s) } else { Err(PolicyError::UnknownStatus(s)) }
            })
            .collect()
    }

    /// A duration as a person writes it (`30d`, `12h`, `90m`).
    pub fn parse_duration(text: &str) -> Result<Duration, PolicyError> {
        humantime::parse_duration(text).map_err(|e| PolicyError::Duration(text.to_owned(), e.to_string()))
    }

    /// A label as a person writes it (`team=search`), checked.
    pub fn parse_label(text: &str) -> Result<(String, String), PolicyError> {
        match text.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => {
                Ok((key.trim().to_owned(), value.trim().to_owned()))
            }
            _ => Err(PolicyError::Label(text.to_owned())),
        }
    }

    /// The policy in words, one clause each (`keep each model's 3 newest versions`, `only
    /// versions older than 30 days`, …).
    pub fn describe(&self) -> Vec<String> {
        let mut clauses = vec![match self.keep_last {
            0 => "keep no version for being among the newest".to_owned(),
            1 => "keep each model's newest version".to_owned(),
            n => format!("keep each model's {n} newest versions"),
        }];
        clauses.extend(self.condition_clauses());
        if self.include_development {
            clauses.push("the development deployment included".to_owned());
        }
        if self.include_latest {
            clauses.push("a Replicate model's latest version included".to_owned());
        }
        if self.include_production {
            clauses.push("production and environment-bound deployments included".to_owned());
        }
        for (key, value) in &self.keep_labels {
            clauses.push(format!(
                "keep deployments labelled {}={}",
                crate::Escaped(key),
                crate::Escaped(value)
            ));
        }
        clauses.push(match self.action {
            Action::Delete => "delete".to_owned(),
            Action::Deactivate => "deactivate (deployments with compute running)".to_owned(),
            action => action.verb().to_owned(),
        });
        clauses
    }

    /// A keep rule's policy in words: `keep`, then what it keeps (`only versions older than
    /// 30 days`, `each group's 3 newest`, `only deployments labelled team=search`).
    pub fn describe_keep(&self) -> Vec<String> {
        let mut clauses = vec!["keep".to_owned()];
        if self.keep_last > 0 {
            clauses.push(format!("only each group's {} newest", self.keep_last));
        }
        clauses.extend(self.condition_clauses());
        if !self.keep_labels.is_empty() {
            let labels: Vec<String> = self
                .keep_labels
                .iter()
                .map(|(k, v)| format!("{}={}", crate::Escaped(k), crate::Escaped(v)))
                .collect();
            clauses.push(format!("only deployments labelled {}", labels.join(" or ")));
        }
        clauses
    }

    /// The conditions in words: age, status, calls and cost.
    fn condition_clauses(&self) -> Vec<String> {
        let mut clauses = Vec::new();
        if let Some(age) = self.older_than {
            clauses.push(format!("only versions older than {}", in_words(age)));
        }
        if let Some(statuses) = &self.statuses {
            let names: Vec<&str> = statuses.iter().map(String::as_str).collect();
            clauses.push(format!("only Baseten deployments whose status is {}", names.join(" or ")));
        }
        if let Some(idle) = self.idle_for {
            clauses.push(format!("only what nobody called for {}", in_words(idle)));
        }
        if self.costing {
            clauses.push("only what costs money while it stands".to_owned());
        }
        if let Some(min) = self.min_cost_per_hour {
            clauses.push(format!("only what costs at least ${min}/h at its floor"));
        }
        clauses
    }

    /// The action the policy plans.
    pub fn action(&self) -> Action {
        self.action
    }

    /// Whether a keep rule with this policy keeps what `facts` describe, at its place among
    /// its group (`newest`, as for [`Policy::decide`]) at `now`: its conditions hold, it
    /// carries one of `keep_labels` (when there are any), and it is among the `keep_last`
    /// newest (when `keep_last` is above 0).
    pub(crate) fn keeps(&self, facts: &Facts, newest: Option<usize>, now: DateTime<Utc>) -> bool {
        let labelled = self.keep_labels.is_empty()
            || self.keep_labels.iter().any(|(k, v)| facts.labels.get(k).is_some_and(|has| has == v));
        let ranked = self.keep_last == 0 || newest.is_some_and(|rank| rank < self.keep_last);
        labelled && ranked && self.conditions(facts, now).is_ok()
    }

    /// Whether `target`, which `facts` describe, is planned, given its place among its
    /// siblings (a model's versions, a chain's deployments, a project's jobs: `newest` is 0
    /// for the newest, `None` when its creation time is not known; a Replicate deployment
    /// has no siblings and no rank) and the time `now`; if not, why it is kept. Protections
    /// come first.
    pub fn decide(
        &self,
        target: &Target,
        facts: &Facts,
        newest: Option<usize>,
        now: DateTime<Utc>,
    ) -> Result<(), KeepReason> {
        self.protections(facts)?;
        if !self.action.applies_to(target) {
            return Err(KeepReason::Cannot(self.action));
        }
        self.nothing_to_stop(facts)?;
        let ranked = !matches!(target, Target::Deployment(_));
        if target.provider() == Provider::Replicate && ranked && newest == Some(0) && !self.include_latest {
            return Err(KeepReason::Latest);
        }
        self.conditions(facts, now)?;
        match newest {
            _ if !ranked => Ok(()),
            None => Err(KeepReason::UnknownAge),
            Some(rank) if rank < self.keep_last => Err(KeepReason::AmongNewest { keep_last: self.keep_last }),
            Some(_) => Ok(()),
        }
    }

    /// A target whose action would stop nothing: a deployment with no compute to deactivate,
    /// one already scaled to zero, a job that has ended.
    fn nothing_to_stop(&self, facts: &Facts) -> Result<(), KeepReason> {
        let status = facts.status.as_deref();
        let stopped = match self.action {
            Action::Deactivate => status.filter(|s| NOTHING_TO_STOP.contains(s)),
            Action::Stop => status.filter(|s| !TrainingStatus::of(s).is_billed()),
            Action::ScaleToZero => {
                let floor = facts.standing.as_ref().and_then(|s| s.floor_per_hour);
                if floor == Some(rust_decimal::Decimal::ZERO) {
                    return Err(KeepReason::AlreadyAtZero);
                }
                None
            }
            _ => None,
        };
        match stopped {
            Some(status) => Err(KeepReason::NothingToStop(status.to_owned())),
            None => Ok(()),
        }
    }

    /// What is kept whatever else holds.
    fn protections(&self, facts: &Facts) -> Result<(), KeepReason> {
        let reaches_production =
            self.include_production && matches!(self.action, Action::ScaleToZero | Action::Stop);
        if facts.is_production && !reaches_production {
            return Err(KeepReason::Production);
        }
        if let Some(environment) = facts.environment.as_ref().filter(|_| !reaches_production) {
            return Err(KeepReason::Environment(environment.clone()));
        }
        if facts.is_development && !self.include_development {
            return Err(KeepReason::Development);
        }
        if !facts.held_by.is_empty() {
            return Err(KeepReason::HeldBy(facts.held_by.clone()));
        }
        if let Some((key, value)) =
            self.keep_labels.iter().find(|(k, v)| facts.labels.get(k).is_some_and(|has| has == v))
        {
            return Err(KeepReason::Label(format!("{key}={value}")));
        }
        Ok(())
    }

    /// The policy's own conditions: age, status, and what it costs and how it is used.
    fn conditions(&self, facts: &Facts, now: DateTime<Utc>) -> Result<(), KeepReason> {
        self.age_and_status(facts, now)?;
        let standing = facts.standing.as_deref();
        if let Some(idle) = self.idle_for {
            let Some(standing) = standing else {
                return Err(KeepReason::CallsUnknown(
                    "it is not billed while it stands: no calls are read".to_owned(),
                ));
            };
            match standing.idle(idle, now) {
                Ok(()) => {}
                Err(NotIdle::Called(when)) => return Err(KeepReason::Called(when)),
                Err(NotIdle::Unknown(why)) => return Err(KeepReason::CallsUnknown(why)),
            }
        }
        if self.costing && !standing.is_some_and(super::standing::Standing::is_costing) {
            return Err(KeepReason::NotCosting);
        }
        if let Some(min) = self.min_cost_per_hour {
            match standing.map_or(Some(rust_decimal::Decimal::ZERO), |s| s.floor_per_hour) {
                None => return Err(KeepReason::CostUnknown),
                Some(floor) if floor < min => return Err(KeepReason::BelowCost { floor, min }),
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Age and status.
    fn age_and_status(&self, facts: &Facts, now: DateTime<Utc>) -> Result<(), KeepReason> {
        if let Some(age) = self.older_than {
            let Some(created) = created(facts.created_at.as_deref()) else {
                return Err(KeepReason::UnknownAge);
            };
            let young = chrono::Duration::from_std(age).ok().and_then(|age| now.checked_sub_signed(age));
            if young.is_none_or(|cutoff| created > cutoff) {
                return Err(KeepReason::TooRecent);
            }
        }
        if let Some(statuses) = &self.statuses {
            let matches =
                facts.status.as_deref().is_some_and(|s| statuses.contains(s) && KNOWN_STATUSES.contains(&s));
            if !matches {
                return Err(KeepReason::Status(facts.status.clone()));
            }
        }
        Ok(())
    }
}

/// `30 days`, `12 hours`, `90 minutes`, `45 seconds`: the largest unit that divides it.
fn in_words(age: Duration) -> String {
    let secs = age.as_secs();
    let units = [(86_400, "day"), (3_600, "hour"), (60, "minute"), (1, "second")];
    let (size, unit) = units
        .iter()
        .find(|(size, _)| secs.is_multiple_of(*size) && secs >= *size)
        .copied()
        .unwrap_or((1, "second"));
    let n = secs / size;
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// Why a version is kept.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kept", content = "detail")]
#[non_exhaustive]
pub enum KeepReason {
    /// A Baseten production deployment (deleted only with its model).
    Production,
    /// A Baseten deployment bound to an environment.
    Environment(String),
    /// The model's development deployment, which the policy does not include.
    Development,
    /// A Replicate version these deployments serve.
    HeldBy(Vec<String>),
    /// Among the model's newest versions the policy keeps.
    AmongNewest {
        /// How many are kept.
        keep_last: usize,
    },
    /// Created more recently than the policy's age.
    TooRecent,
    /// Its creation time is not known, so neither its age nor its rank is.
    UnknownAge,
    /// Not in one of the policy's statuses (its status, if it has one).
    Status(Option<String>),
    /// A Replicate model's latest version, which the policy does not include.
    Latest,
    /// A Baseten deployment carrying a label the policy keeps (`KEY=VALUE`).
    Label(String),
    /// A keep rule keeps it (its name).
    Rule(String),
    /// No rule selects it: it is read only because its group is (a rule names one of its
    /// siblings).
    NotSelected,
    /// Nothing to stop: its status says it has no compute running (or a job has ended).
    NothingToStop(String),
    /// The policy's action does not apply to this kind (a Replicate version cannot be
    /// deactivated, a chain deployment cannot be scaled to zero).
    Cannot(Action),
    /// The policy scales to zero, and its floor is already 0.
    AlreadyAtZero,
    /// Called within the policy's idle time (`2 h ago`, `on 2026-12-05`).
    Called(String),
    /// Its calls could not be read, so it is never idle: why.
    CallsUnknown(String),
    /// It costs nothing while it stands, and the policy selects what costs.
    NotCosting,
    /// What it costs at its floor is unknown, and the policy selects by it.
    CostUnknown,
    /// Its floor costs less than the policy's minimum.
    BelowCost {
        /// USD per hour at its floor.
        floor: rust_decimal::Decimal,
        /// The policy's minimum.
        min: rust_decimal::Decimal,
    },
    /// Everything else of its model is planned for deletion: a clean-up never empties a model.
    LastOfModel,
}

impl fmt::Display for KeepReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Production => f.write_str("the production deployment"),
            Self::Environment(e) => write!(f, "bound to the environment `{}`", crate::Escaped(e)),
            Self::Development => f.write_str("the development deployment, which the policy does not include"),
            Self::HeldBy(holders) => write!(f, "served by {}", crate::Escaped(&holders.join(", "))),
            Self::AmongNewest { keep_last } => write!(f, "among the {keep_last} newest"),
            Self::TooRecent => f.write_str("not old enough"),
            Self::UnknownAge => f.write_str("its creation time is not known"),
            Self::Status(Some(s)) => {
                write!(f, "its status {} is not one the policy selects", crate::Escaped(s))
            }
            Self::Status(None) => f.write_str("it has no status the policy could select"),
            Self::Latest => f.write_str("the model's latest version, which the policy does not include"),
            Self::Label(label) => write!(f, "labelled `{}`, which the policy keeps", crate::Escaped(label)),
            Self::NothingToStop(s) => write!(f, "nothing to stop: its status is {}", crate::Escaped(s)),
            Self::Cannot(action) => write!(
                f,
                "cannot be {}",
                match action {
                    Action::Delete => "deleted",
                    Action::Deactivate => "deactivated",
                    Action::ScaleToZero => "scaled to zero",
                    Action::Stop => "stopped",
                }
            ),
            Self::Rule(name) => write!(f, "kept by the rule `{}`", crate::Escaped(name)),
            Self::NotSelected => f.write_str("no rule selects it"),
            Self::AlreadyAtZero => f.write_str("already scaled to zero: its floor is $0/h"),
            Self::Called(when) => write!(f, "called {}", crate::Escaped(when)),
            Self::CallsUnknown(why) => {
                write!(f, "never idle when its calls are unknown: {}", crate::Escaped(why))
            }
            Self::NotCosting => f.write_str("costs nothing while it stands"),
            Self::CostUnknown => f.write_str("what it costs at its floor is unknown"),
            Self::BelowCost { floor, min } => write!(f, "costs ${floor}/h at its floor, under ${min}/h"),
            Self::LastOfModel => {
                f.write_str("the last version of its model: a clean-up never empties a model")
            }
        }
    }
}

/// `Option<Duration>` as whole seconds.
mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<Duration>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(d) => serializer.serialize_some(&d.as_secs()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(deserializer)?.map(Duration::from_secs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            created_at: Some("2026-07-01T00:00:00Z".into()),
            status: Some("INACTIVE".into()),
            ..Facts::default()
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-08-01T00:00:00Z".parse().unwrap()
    }

    fn deployment() -> Target {
        "baseten:m1/deployments/d1".parse().unwrap()
    }

    fn standing(floor: &str, last_called: Option<&str>) -> Facts {
        let standing = super::super::standing::Standing {
            now_per_hour: Some(floor.parse().unwrap()),
            floor_per_hour: Some(floor.parse().unwrap()),
            calls_from: Some("2026-07-03".parse().unwrap()),
            last_called: last_called.map(str::to_owned),
            ..Default::default()
        };
        Facts { standing: Some(Box::new(standing)), ..facts() }
    }

    #[test]
    fn cost_conditions_select_by_calls_and_floor_and_unknown_is_kept() {
        let idle = Policy {
            keep_last: 0,
            idle_for: Some(Duration::from_secs(7 * 86_400)),
            action: Action::ScaleToZero,
            ..Policy::default()
        };
        let target = deployment();
        let decide = |policy: &Policy, facts: &Facts| policy.decide(&target, facts, Some(0), now());
        assert_eq!(decide(&idle, &standing("1.2", None)), Ok(()), "no call in the window");
        assert_eq!(decide(&idle, &standing("1.2", Some("2026-07-24"))), Ok(()), "called 8 days ago");
        assert_eq!(
            decide(&idle, &standing("1.2", Some("2026-07-25"))),
            Err(KeepReason::Called("on 2026-07-25".into())),
            "a day known as a day may have ended 6 days and a moment ago"
        );
        assert_eq!(
            decide(&idle, &standing("1.2", Some("2026-07-31T22:00:00Z"))),
            Err(KeepReason::Called("2 h ago".into()))
        );
        let unread = Facts { standing: Some(Default::default()), ..facts() };
        assert!(matches!(decide(&idle, &unread), Err(KeepReason::CallsUnknown(_))), "never idle unread");
        let long = Policy { idle_for: Some(Duration::from_secs(60 * 86_400)), ..idle.clone() };
        assert!(
            matches!(decide(&long, &standing("1.2", None)), Err(KeepReason::CallsUnknown(why)) if why.contains("counted from")),
            "longer than the calls read"
        );
        assert_eq!(decide(&idle, &standing("0", None)), Err(KeepReason::AlreadyAtZero));
        let costing = Policy { keep_last: 0, costing: true, ..Policy::default() };
        assert_eq!(decide(&costing, &standing("0", None)), Err(KeepReason::NotCosting));
        assert_eq!(decide(&costing, &standing("0.5", None)), Ok(()));
        assert_eq!(decide(&costing, &facts()), Err(KeepReason::NotCosting), "no standing cost at all");
        let min = Policy { keep_last: 0, min_cost_per_hour: Some("1".parse().unwrap()), ..Policy::default() };
        assert_eq!(
            decide(&min, &standing("0.5", None)),
            Err(KeepReason::BelowCost { floor: "0.5".parse().unwrap(), min: "1".parse().unwrap() })
        );
        assert_eq!(decide(&min, &standing("1.00", None)), Ok(()));
        let unpriced = Facts { standing: Some(Default::default()), ..facts() };
        assert_eq!(decide(&min, &unpriced), Err(KeepReason::CostUnknown));
    }

    #[test]
    fn production_is_scaled_to_zero_only_when_included_and_never_deleted() {
        let production = Facts { is_production: true, ..standing("2", None) };
        let target = deployment();
        for action in [Action::Delete, Action::Deactivate, Action::ScaleToZero] {
            let policy = Policy { keep_last: 0, action, include_production: true, ..Policy::default() };
            let expected = if action == Action::ScaleToZero { Ok(()) } else { Err(KeepReason::Production) };
            assert_eq!(policy.decide(&target, &production, Some(0), now()), expected, "{action:?}");
        }
        let policy = Policy { keep_last: 0, action: Action::ScaleToZero, ..Policy::default() };
        assert_eq!(policy.decide(&target, &production, Some(0), now()), Err(KeepReason::Production));
        let chain: Target = "baseten:chains/c1/deployments/d1".parse().unwrap();
        assert_eq!(
            policy.decide(&chain, &facts(), Some(0), now()),
            Err(KeepReason::Cannot(Action::ScaleToZero))
        );
        assert_eq!(KeepReason::Cannot(Action::ScaleToZero).to_string(), "cannot be scaled to zero");
    }

    #[test]
    fn each_rule_keeps_what_it_protects() {
        let policy = Policy { keep_last: 2, ..Policy::default() };
        let with = |change: fn(&mut Facts)| {
            let mut f = facts();
            change(&mut f);
            f
        };
        let table: Vec<(Facts, Option<usize>, Result<(), KeepReason>)> = vec![
            (facts(), Some(2), Ok(())),
            (facts(), Some(1), Err(KeepReason::AmongNewest { keep_last: 2 })),
            (facts(), None, Err(KeepReason::UnknownAge)),
            (with(|f| f.is_production = true), Some(5), Err(KeepReason::Production)),
            (
                with(|f| f.environment = Some("staging".into())),
                Some(5),
                Err(KeepReason::Environment("staging".into())),
            ),
            (with(|f| f.is_development = true), Some(5), Err(KeepReason::Development)),
            (
                with(|f| f.held_by = vec!["replicate:deployments/a/p".into()]),
                Some(5),
                Err(KeepReason::HeldBy(vec!["replicate:deployments/a/p".into()])),
            ),
        ];
        for (facts, rank, expected) in table {
            assert_eq!(policy.decide(&deployment(), &facts, rank, now()), expected, "{facts:?} at {rank:?}");
        }
        let development = Policy { include_development: true, ..policy.clone() };
        assert_eq!(
            development.decide(&deployment(), &with(|f| f.is_development = true), Some(5), now()),
            Ok(())
        );
        // Protections hold whatever the rank: production is never planned, even the oldest.
        assert_eq!(
            Policy { keep_last: 0, ..Policy::default() }.decide(
                &deployment(),
                &with(|f| f.is_production = true),
                Some(99),
                now()
            ),
            Err(KeepReason::Production)
        );
    }

    #[test]
    fn age_and_status_select_and_an_unknown_status_never_matches() {
        let old =
            Policy { older_than: Some(Duration::from_secs(30 * 86_400)), keep_last: 0, ..Policy::default() };
        assert_eq!(old.decide(&deployment(), &facts(), Some(0), now()), Ok(()), "31 days old");
        let older = Policy { older_than: Some(Duration::from_secs(32 * 86_400)), ..old.clone() };
        assert_eq!(older.decide(&deployment(), &facts(), Some(0), now()), Err(KeepReason::TooRecent));
        let ancient = Policy { older_than: Some(Duration::MAX), ..old.clone() };
        assert_eq!(
            ancient.decide(&deployment(), &facts(), Some(0), now()),
            Err(KeepReason::TooRecent),
            "no overflow"
        );
        let statuses = Policy::parse_statuses("build_failed, inactive").unwrap();
        let by_status = Policy { statuses: Some(statuses), keep_last: 0, ..Policy::default() };
        assert_eq!(by_status.decide(&deployment(), &facts(), Some(0), now()), Ok(()));
        let active = Facts { status: Some("ACTIVE".into()), ..facts() };
        assert_eq!(
            by_status.decide(&deployment(), &active, Some(0), now()),
            Err(KeepReason::Status(Some("ACTIVE".into())))
        );
        let unknown = Facts { status: Some("HIBERNATING".into()), ..facts() };
        let including_it = Policy { statuses: Some(["HIBERNATING".to_owned()].into()), ..by_status.clone() };
        assert!(
            including_it.decide(&deployment(), &unknown, Some(0), now()).is_err(),
            "a status the client does not know"
        );
        assert_eq!(
            by_status.decide(&deployment(), &Facts { status: None, ..facts() }, Some(0), now()),
            Err(KeepReason::Status(None))
        );
        assert!(
            matches!(Policy::parse_statuses("build_failed,hibernating"), Err(PolicyError::UnknownStatus(s)) if s == "HIBERNATING")
        );
        assert_eq!(Policy::parse_duration("90m").unwrap(), Duration::from_secs(5400));
        assert!(Policy::parse_duration("soon").is_err());
    }
}
