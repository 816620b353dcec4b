//! The one decision over a group (a model's versions, a chain's deployments, a project's
//! jobs, a Replicate deployment), made the same way by `plan` (on what it lists), by the
//! plan check (on what the plan records) and by `apply` (on what it lists again): members
//! ranked newest first by creation time; a keep rule that selects a member and holds for it
//! keeps it, whatever the other rules say; otherwise the first rule (in order) that chooses
//! it decides its action; and a delete never takes every member of a group.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::plan::{Facts, Kept, Planned};
use super::policy::{KeepReason, created};
use super::rules::Rule;
use crate::{Action, Target};

/// A group's members decided: the planned ones oldest first, the kept ones newest first
/// (those of unknown age last), each ordered the same whatever order they came in.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Decided {
    pub targets: Vec<Planned>,
    pub kept: Vec<Kept>,
}

/// One member decided: chosen by a rule for an action, or kept (by a rule, when one says why).
enum Verdict {
    Chosen(Arc<str>, Action),
    Kept(Option<Arc<str>>, KeepReason),
}

/// Decides every member of one group by `rules` at `now`.
pub(crate) fn decide_group(
    rules: &[Rule],
    members: impl IntoIterator<Item = (Target, Facts)>,
    now: DateTime<Utc>,
) -> Decided {
    let mut members: Vec<(Target, Facts)> = members.into_iter().collect();
    // Newest first; ties and unknown ages by reference, so the order is the same however
    // the members were listed. A member without a creation time has no rank.
    let key = |(reference, facts): &(Target, Facts)| {
        (std::cmp::Reverse(created(facts.created_at.as_deref())), reference.clone())
    };
    members.sort_by_cached_key(key);
    let ranked = members.iter().filter(|(_, f)| created(f.created_at.as_deref()).is_some()).count();
    let mut chosen: Vec<(usize, Target, Facts, Arc<str>, Action)> = Vec::new();
    // Each rule's name once, however many members it decides.
    let names: Vec<Arc<str>> = rules.iter().map(|r| Arc::from(r.name.as_str())).collect();
    let mut kept = Vec::new();
    for (place, (reference, facts)) in members.into_iter().enumerate() {
        let rank = (place < ranked).then_some(place);
        match verdict(rules, &names, &reference, &facts, rank, now) {
            Verdict::Chosen(rule, action) => chosen.push((place, reference, facts, rule, action)),
            Verdict::Kept(rule, reason) => {
                kept.push((place, Kept { reference, rule, reason, facts: Box::new(facts) }))
            }
        }
    }
    // A group left with nothing but deletes keeps its newest: a model keeps a version, a
    // chain a deployment, a project a job. A Replicate deployment is a group of its own, and
    // deleting it empties nothing.
    let alone = chosen.iter().any(|c| matches!(c.1, Target::Deployment(_)));
    if !alone && kept.is_empty() && !chosen.is_empty() && chosen.iter().all(|c| c.4 == Action::Delete) {
        let (place, reference, facts, rule, _) = chosen.remove(0);
        kept.push((
            place,
            Kept { reference, rule: Some(rule), reason: KeepReason::LastOfModel, facts: Box::new(facts) },
        ));
    }
    kept.sort_by_key(|(place, _)| *place);
    let targets = chosen
        .into_iter()
        .rev()
        .map(|(_, reference, facts, rule, action)| Planned {
            reference,
            action,
            rule,
            facts: Box::new(facts),
        })
        .collect();
    Decided { targets, kept: kept.into_iter().map(|(_, k)| k).collect() }
}

/// What `rules` make of one member: a keep rule that holds wins; else the first rule that
/// chooses it; else it is kept for the first selecting rule's reason.
fn verdict(
    rules: &[Rule],
    names: &[Arc<str>],
    reference: &Target,
    facts: &Facts,
    rank: Option<usize>,
    now: DateTime<Utc>,
) -> Verdict {
    let selecting = || rules.iter().zip(names).filter(|(r, _)| r.covers(reference));
    if let Some((keep, name)) = selecting().find(|(r, _)| r.keep && r.policy.keeps(facts, rank, now)) {
        return Verdict::Kept(Some(Arc::clone(name)), KeepReason::Rule(keep.name.clone()));
    }
    let mut first = None;
    for (rule, name) in selecting().filter(|(r, _)| !r.keep) {
        match rule.policy.decide(reference, facts, rank, now) {
            Ok(()) => return Verdict::Chosen(Arc::clone(name), rule.policy.action),
            Err(reason) => {
                first.get_or_insert((Arc::clone(name), reason));
            }
        }
    }
    match first {
        Some((rule, reason)) => Verdict::Kept(Some(rule), reason),
        None => Verdict::Kept(None, KeepReason::NotSelected),
    }
}

/// The decision of each member of a group, by reference: `Ok` when it is chosen now.
pub(crate) type Verdicts = BTreeMap<Target, (Box<Facts>, Result<(), KeepReason>)>;

impl Decided {
    /// Every member's facts and whether it is chosen, by reference.
    pub(crate) fn verdicts(self) -> Verdicts {
        let chosen = self.targets.into_iter().map(|t| (t.reference, (t.facts, Ok(()))));
        chosen.chain(self.kept.into_iter().map(|k| (k.reference, (k.facts, Err(k.reason))))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cleanup::Policy;

    fn version(id: &str, day: u32) -> (Target, Facts) {
        let facts = Facts { created_at: Some(format!("2026-07-{day:02}T00:00:00Z")), ..Facts::default() };
        (format!("replicate:alice/hello/versions/{id}").parse().unwrap(), facts)
    }

    fn now() -> DateTime<Utc> {
        "2026-08-01T00:00:00Z".parse().unwrap()
    }

    fn decide_group(
        policy: &Policy,
        members: impl IntoIterator<Item = (Target, Facts)>,
        now: DateTime<Utc>,
    ) -> Decided {
        let rule = Rule::flags(vec!["replicate:alice/hello".parse().unwrap()], policy.clone());
        super::decide_group(&[rule], members, now)
    }

    fn rule(name: &str, selector: &str, keep: bool, policy: Policy) -> Rule {
        Rule { name: name.into(), selectors: vec![selector.parse().unwrap()], keep, policy }
    }

    #[test]
    fn a_keep_rule_wins_over_an_earlier_rule_and_the_first_choosing_rule_decides() {
        let all = Policy { keep_last: 0, include_latest: true, ..Policy::default() };
        let rules = [
            rule("delete-all", "replicate:alice/hello", false, all.clone()),
            rule(
                "scale",
                "replicate:alice/hello",
                false,
                Policy { action: Action::Deactivate, ..all.clone() },
            ),
            rule(
                "keep-b",
                "replicate:alice/hello/versions/b",
                true,
                Policy { keep_last: 0, ..Policy::default() },
            ),
        ];
        let decided = super::decide_group(&rules, [version("a", 1), version("b", 2), version("c", 3)], now());
        let planned: Vec<(String, &str)> =
            decided.targets.iter().map(|t| (t.reference.to_string(), &*t.rule)).collect();
        assert_eq!(
            planned,
            [
                ("replicate:alice/hello/versions/a".to_owned(), "delete-all"),
                ("replicate:alice/hello/versions/c".to_owned(), "delete-all"),
            ]
        );
        assert_eq!(decided.kept[0].reason, KeepReason::Rule("keep-b".into()));
        // Without the keep rule, the group would be emptied: its newest is kept.
        let decided = super::decide_group(&rules[..2], [version("a", 1), version("b", 2)], now());
        assert_eq!((decided.targets.len(), &decided.kept[0].reason), (1, &KeepReason::LastOfModel));
        // A rule naming one version reads its siblings without selecting them.
        let one = [rule("one", "replicate:alice/hello/versions/a", false, all)];
        let decided = super::decide_group(&one, [version("a", 1), version("b", 2)], now());
        assert_eq!(decided.targets.len(), 1);
        assert_eq!(
            (decided.kept[0].rule.as_deref(), &decided.kept[0].reason),
            (None, &KeepReason::NotSelected)
        );
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
