//! Which versions a clean-up acts on: the policy, and the one function that decides, for a
//! version and what is known of it, whether it is planned or kept and why.

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::plan::Facts;
use crate::{Action, Provider};

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

/// What a clean-up selects. Every condition must hold for a version to be planned; whatever
/// the policy, a production deployment, one bound to an environment, the development
/// deployment (unless `include_development`), a version a deployment serves, a deployment
/// carrying one of `keep_labels` and a Replicate model's latest version (unless
/// `include_latest`) are kept, and a delete never takes a model's last version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// Deactivate instead of deleting (Baseten only): the cost goes, the deployment stays.
    /// Only deployments with compute to stop are planned; Replicate versions are kept.
    pub deactivate: bool,
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
            deactivate: false,
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
        if let Some(age) = self.older_than {
            clauses.push(format!("only versions older than {}", in_words(age)));
        }
        if let Some(statuses) = &self.statuses {
            let names: Vec<&str> = statuses.iter().map(String::as_str).collect();
            clauses.push(format!("only Baseten deployments whose status is {}", names.join(" or ")));
        }
        if self.include_development {
            clauses.push("the development deployment included".to_owned());
        }
        if self.include_latest {
            clauses.push("a Replicate model's latest version included".to_owned());
        }
        for (key, value) in &self.keep_labels {
            clauses.push(format!(
                "keep deployments labelled {}={}",
                crate::Escaped(key),
                crate::Escaped(value)
            ));
        }
        clauses.push(if self.deactivate {
            "deactivate (Baseten deployments with compute running) instead of deleting".to_owned()
        } else {
            "delete".to_owned()
        });
        clauses
    }

    /// The action the policy plans.
    pub fn action(&self) -> Action {
        if self.deactivate { Action::Deactivate } else { Action::Delete }
    }

    /// Whether the version `facts` describe, of `provider`, is planned, given its place among
    /// its model's versions (`newest`: 0 for the newest; `None` when its creation time is not
    /// known) and the time `now`; if not, why it is kept. Protections come first.
    pub fn decide(
        &self,
        provider: Provider,
        facts: &Facts,
        newest: Option<usize>,
        now: DateTime<Utc>,
    ) -> Result<(), KeepReason> {
        self.protections(facts)?;
        if self.deactivate {
            if provider != Provider::Baseten {
                return Err(KeepReason::CannotDeactivate);
            }
            if let Some(status) = facts.status.as_deref().filter(|s| NOTHING_TO_STOP.contains(s)) {
                return Err(KeepReason::NothingToStop(status.to_owned()));
            }
        }
        if provider == Provider::Replicate && newest == Some(0) && !self.include_latest {
            return Err(KeepReason::Latest);
        }
        self.conditions(facts, now)?;
        match newest {
            None => Err(KeepReason::UnknownAge),
            Some(rank) if rank < self.keep_last => Err(KeepReason::AmongNewest { keep_last: self.keep_last }),
            Some(_) => Ok(()),
        }
    }

    /// What is kept whatever else holds.
    fn protections(&self, facts: &Facts) -> Result<(), KeepReason> {
        if facts.is_production {
            return Err(KeepReason::Production);
        }
        if let Some(environment) = &facts.environment {
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

    /// The policy's own conditions: age and status.
    fn conditions(&self, facts: &Facts, now: DateTime<Utc>) -> Result<(), KeepReason> {
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
    /// Nothing to deactivate: its status says it has no compute running.
    NothingToStop(String),
    /// The policy deactivates, and this provider's versions cannot be deactivated.
    CannotDeactivate,
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
            Self::NothingToStop(s) => {
                write!(f, "nothing to deactivate: its status is {}", crate::Escaped(s))
            }
            Self::CannotDeactivate => f.write_str("cannot be deactivated"),
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
            assert_eq!(
                policy.decide(Provider::Baseten, &facts, rank, now()),
                expected,
                "{facts:?} at {rank:?}"
            );
        }
        let development = Policy { include_development: true, ..policy.clone() };
        assert_eq!(
            development.decide(Provider::Baseten, &with(|f| f.is_development = true), Some(5), now()),
            Ok(())
        );
        // Protections hold whatever the rank: production is never planned, even the oldest.
        assert_eq!(
            Policy { keep_last: 0, ..Policy::default() }.decide(
                Provider::Baseten,
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
        assert_eq!(old.decide(Provider::Baseten, &facts(), Some(0), now()), Ok(()), "31 days old");
        let older = Policy { older_than: Some(Duration::from_secs(32 * 86_400)), ..old.clone() };
        assert_eq!(older.decide(Provider::Baseten, &facts(), Some(0), now()), Err(KeepReason::TooRecent));
        let ancient = Policy { older_than: Some(Duration::MAX), ..old.clone() };
        assert_eq!(
            ancient.decide(Provider::Baseten, &facts(), Some(0), now()),
            Err(KeepReason::TooRecent),
            "no overflow"
        );
        let statuses = Policy::parse_statuses("build_failed, inactive").unwrap();
        let by_status = Policy { statuses: Some(statuses), keep_last: 0, ..Policy::default() };
        assert_eq!(by_status.decide(Provider::Baseten, &facts(), Some(0), now()), Ok(()));
        let active = Facts { status: Some("ACTIVE".into()), ..facts() };
        assert_eq!(
            by_status.decide(Provider::Baseten, &active, Some(0), now()),
            Err(KeepReason::Status(Some("ACTIVE".into())))
        );
        let unknown = Facts { status: Some("HIBERNATING".into()), ..facts() };
        let including_it = Policy { statuses: Some(["HIBERNATING".to_owned()].into()), ..by_status.clone() };
        assert!(
            including_it.decide(Provider::Baseten, &unknown, Some(0), now()).is_err(),
            "a status the client does not know"
        );
        assert_eq!(
            by_status.decide(Provider::Baseten, &Facts { status: None, ..facts() }, Some(0), now()),
            Err(KeepReason::Status(None))
        );
        assert!(
            matches!(Policy::parse_statuses("build_failed,hibernating"), Err(PolicyError::UnknownStatus(s)) if s == "HIBERNATING")
        );
        assert_eq!(Policy::parse_duration("90m").unwrap(), Duration::from_secs(5400));
        assert!(Policy::parse_duration("soon").is_err());
    }
}
