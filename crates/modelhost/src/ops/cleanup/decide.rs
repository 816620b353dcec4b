//! The one decision over a group (a model's versions, a chain's deployments, a project's
//! jobs, a Replicate deployment), made the same way by `plan` (on what it lists), by the
//! plan check (on what the plan records) and by `apply` (on what it lists again): members
//! ranked newest first by creation time, each decided by the [`Policy`], and a delete never
//! allowed to take every member of a group.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::plan::{Facts, Kept, Planned};
use super::policy::{KeepReason, Policy, created};
use super::standing::Savings;
use crate::{Action, Target};

/// A group's members decided: the planned ones oldest first, the kept ones newest first
/// (those of unknown age last), each ordered the same whatever order they came in.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Decided {
    pub targets: Vec<Planned>,
    pub kept: Vec<Kept>,
}

/// Decides every member of one group by `policy` at `now`.
pub(crate) fn decide_group(
    policy: &Policy,
    versions: impl IntoIterator<Item = (Target, Facts)>,
    now: DateTime<Utc>,
) -> Decided {
    let mut versions: Vec<(Target, Facts)> = versions.into_iter().collect();
    // Newest first; ties and unknown ages by reference, so the order is the same however
    // the members were listed. A member without a creation time has no rank.
    let key = |(reference, facts): &(Target, Facts)| {
        (std::cmp::Reverse(created(facts.created_at.as_deref())), reference.clone())
    };
    versions.sort_by_cached_key(key);
    let ranked = versions.iter().filter(|(_, f)| created(f.created_at.as_deref()).is_some()).count();
    let action = policy.action();
    let mut chosen: Vec<(usize, Target, Facts)> = Vec::new();
    let mut kept = Vec::new();
    for (place, (reference, facts)) in versions.into_iter().enumerate() {
        let rank = (place < ranked).then_some(place);
        match policy.decide(&reference, &facts, rank, now) {
            Ok(()) => chosen.push((place, reference, facts)),
            Err(reason) => kept.push((place, Kept { reference, reason, facts })),
        }
    }
    if action == Action::Delete && kept.is_empty() && !chosen.is_empty() {
        let (place, reference, facts) = chosen.remove(0);
        kept.push((place, Kept { reference, reason: KeepReason::LastOfModel, facts }));
    }
    kept.sort_by_key(|(place, _)| *place);
    let targets = chosen
        .into_iter()
        .rev()
        .map(|(_, reference, facts)| {
            let savings = Savings::of(action, facts.standing.as_ref());
            Planned { reference, action, facts, savings }
        })
        .collect();
    Decided { targets, kept: kept.into_iter().map(|(_, k)| k).collect() }
}

/// The decision of each member of a group, by reference: `Ok` when it is chosen now.
pub(crate) type Verdicts = BTreeMap<Target, (Facts, Result<(), KeepReason>)>;

impl Decided {
    /// Every version's facts and whether it is chosen, by reference.
    pub(crate) fn verdicts(self) -> Verdicts {
        let chosen = self.targets.into_iter().map(|t| (t.reference, (t.facts, Ok(()))));
        chosen.chain(self.kept.into_iter().map(|k| (k.reference, (k.facts, Err(k.reason))))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(id: &str, day: u32) -> (Target, Facts) {
        let facts = Facts { created_at: Some(format!("2026-07-{day:02}T00:00:00Z")), ..Facts::default() };
        (format!("replicate:alice/hello/versions/{id}").parse().unwrap(), facts)
    }

    fn now() -> DateTime<Utc> {
        "2026-08-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn the_order_of_the_listing_changes_nothing() {
        let policy = Policy { keep_last: 1, ..Policy::default() };
        let listed = [version("a", 1), version("b", 3), version("c", 2), version("d", 4)];
        let mut reversed = listed.clone();
        reversed.reverse();
        let one = decide_group(&policy, listed, now());
        assert_eq!(one, decide_group(&policy, reversed, now()));
        let planned: Vec<String> = one.targets.iter().map(|t| t.reference.to_string()).collect();
        assert_eq!(
            planned,
            ["a", "c", "b"].map(|id| format!("replicate:alice/hello/versions/{id}")),
            "oldest first"
        );
        assert_eq!(one.kept[0].reason, KeepReason::Latest);
    }

    #[test]
    fn a_delete_never_empties_a_model_and_the_latest_is_kept_unless_included() {
        let policy = Policy { keep_last: 0, include_latest: true, ..Policy::default() };
        let decided = decide_group(&policy, [version("a", 1), version("b", 2)], now());
        assert_eq!(decided.targets.len(), 1);
        assert_eq!(
            (decided.kept[0].reference.to_string().as_str(), &decided.kept[0].reason),
            ("replicate:alice/hello/versions/b", &KeepReason::LastOfModel)
        );
        let latest = decide_group(
            &Policy { include_latest: false, ..policy },
            [version("a", 1), version("b", 2)],
            now(),
        );
        assert_eq!(latest.kept[0].reason, KeepReason::Latest);
        let deactivate = Policy { action: Action::Deactivate, ..Policy::default() };
        let kept = decide_group(&deactivate, [version("a", 1)], now());
        assert_eq!(
            kept.kept[0].reason,
            KeepReason::Cannot(Action::Deactivate),
            "a Replicate version is kept, not an error"
        );
    }
}
