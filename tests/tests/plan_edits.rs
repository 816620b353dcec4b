//! A plan file edited by hand, at random: either it is refused before any request, or what
//! applying it sends changes only targets the original plan chose. Edits add, remove and
//! retarget targets, change actions, facts, selectors, the policy and the digest, with and
//! without the digest recomputed (a digest is no signature: anyone can recompute it, so the
//! plan's own consistency must hold too).
//!
//! One edit cannot be told from a real plan: a target retargeted to a deployment that does
//! not exist, with facts its policy would choose, is what a plan made when it existed says.
//! Such a plan is accepted; applying it lists the model again, finds no such deployment and
//! sends nothing for it. So what the plan names may go beyond the original only by names
//! that do not exist, and what applying it sends may not go beyond it at all.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Utc;
use modelhost::Hosts;
use modelhost::cleanup::{self, ApplyError, ApplyOptions, Journal, Plan, Policy};
use modelhost_tests::baseten_server::{BasetenServer, FakeDeployment};
use modelhost_tests::replicate_server::{FakeDeployment as Serving, FakeVersion, ReplicateServer};
use proptest::prelude::*;
use serde_json::{Value, json};

mod common;

const TOKEN: &str = "edit-token";

struct World {
    baseten: BasetenServer,
    replicate: ReplicateServer,
    hosts: Hosts,
}

/// Baseten `m1` (production, development, five plain deployments a month apart) and `m2`;
/// Replicate `alice/hello` (five versions, the oldest served).
async fn world() -> World {
    let baseten = BasetenServer::start().await;
    baseten.add_key(TOKEN, "team");
    let mut m1 = vec![
        FakeDeployment {
            is_production: true,
            created_at: "2026-01-01T00:00:00Z".into(),
            ..FakeDeployment::new("prod")
        },
        FakeDeployment {
            is_development: true,
            created_at: "2026-01-02T00:00:00Z".into(),
            ..FakeDeployment::new("dev")
        },
    ];
    m1.extend((1..=5).map(|i| FakeDeployment {
        created_at: format!("2026-0{i}-10T00:00:00Z"),
        status: if i % 2 == 0 { "BUILD_FAILED".into() } else { "ACTIVE".into() },
        ..FakeDeployment::new(&format!("d{i}"))
    }));
    baseten.add_model_with("team", "m1", m1);
    baseten.add_model("team", "m2", &["p2", "x2"]);
    let replicate = ReplicateServer::start(Duration::ZERO, 10).await;
    replicate.add_owner("alice", TOKEN);
    replicate.add_owner("bob", "bob-token");
    let versions =
        (1..=5).rev().map(|i| FakeVersion::new(format!("v{i}")).created(&format!("2026-07-0{i}T00:00:00Z")));
    replicate.add_model("alice", "hello", false, versions.collect());
    replicate.add_model("bob", "other", false, vec![FakeVersion::new("b1")]);
    let serving =
        Serving { model: ("alice".into(), "hello".into()), version: "v1".into(), release: 1, idle: false };
    replicate.add_deployment("alice", "prod", serving);
    let hosts = common::hosts(TOKEN, &baseten.base_url, &replicate.base_url, Duration::from_millis(1));
    World { baseten, replicate, hosts }
}

/// One edit of a plan document.
#[derive(Debug, Clone)]
enum Edit {
    /// A kept version moved into the targets.
    Promote(usize),
    /// A target dropped.
    Remove(usize),
    /// A target's reference changed to another version (of the plan, of another model, of
    /// another account, or unknown).
    Retarget(usize, usize),
    /// A target's action flipped.
    Action(usize),
    /// A target's facts changed (production, status, created, held).
    Fact(usize, usize),
    /// A selector added or replaced.
    Selector(usize),
    /// A policy field changed.
    Policy(usize),
    /// The digest changed.
    Digest,
    /// The plan's time moved.
    MadeAt(i64),
}

const REFERENCES: &[&str] = &[
    "baseten:m1/deployments/prod",
    "baseten:m1/deployments/dev",
    "baseten:m1/deployments/d5",
    "baseten:m2/deployments/p2",
    NOWHERE,
    "replicate:alice/hello/versions/v5",
    "replicate:alice/hello/versions/v1",
    "replicate:bob/other/versions/b1",
];

/// The one reference of [`REFERENCES`] that names nothing the fakes hold.
const NOWHERE: &str = "baseten:m2/deployments/zz";

const SELECTORS: &[&str] = &["baseten:*", "baseten:m2", "replicate:bob/other", "replicate:alice/hello"];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..16usize).prop_map(Edit::Promote),
        (0..16usize).prop_map(Edit::Remove),
        (0..16usize, 0..REFERENCES.len()).prop_map(|(i, r)| Edit::Retarget(i, r)),
        (0..16usize).prop_map(Edit::Action),
        (0..16usize, 0..4usize).prop_map(|(i, f)| Edit::Fact(i, f)),
        (0..SELECTORS.len() * 2).prop_map(Edit::Selector),
        (0..6usize).prop_map(Edit::Policy),
        Just(Edit::Digest),
        (-400i64..400).prop_map(Edit::MadeAt),
    ]
}

fn nth(array: &mut Value, i: usize) -> Option<&mut Value> {
    let items = array.as_array_mut()?;
    let n = items.len();
    (n > 0).then(|| &mut items[i % n])
}

fn apply_edit(plan: &mut Value, edit: &Edit) {
    match edit {
        Edit::Promote(i) => {
            let Some(kept) = plan["kept"].as_array_mut().filter(|k| !k.is_empty()) else { return };
            let kept = kept.remove(i % kept.len());
            // What a delete of it saves, computed as a plan would: an edit that is consistent.
            let facts: cleanup::Facts = serde_json::from_value(kept["facts"].clone()).unwrap();
            let savings = cleanup::Savings::of(modelhost::Action::Delete, facts.standing.as_deref());
            let rule = kept.get("rule").filter(|r| !r.is_null()).cloned().unwrap_or(json!(cleanup::FLAGS));
            let target = json!({"reference": kept["reference"], "action": "delete", "rule": rule,
                "facts": kept["facts"], "savings": savings});
            plan["targets"].as_array_mut().unwrap().push(target);
        }
        Edit::Remove(i) => {
            if let Some(targets) = plan["targets"].as_array_mut().filter(|t| !t.is_empty()) {
                let n = targets.len();
                targets.remove(i % n);
            }
        }
        Edit::Retarget(i, r) => {
            if let Some(t) = nth(&mut plan["targets"], *i) {
                t["reference"] = json!(REFERENCES[*r]);
            }
        }
        Edit::Action(i) => {
            if let Some(t) = nth(&mut plan["targets"], *i) {
                let flipped = if t["action"] == "delete" { "deactivate" } else { "delete" };
                t["action"] = json!(flipped);
            }
        }
        Edit::Fact(i, f) => {
            if let Some(t) = nth(&mut plan["targets"], *i) {
                let facts = &mut t["facts"];
                match f {
                    0 => facts["is_production"] = json!(true),
                    1 => facts["status"] = json!("BUILD_FAILED"),
                    2 => facts["created_at"] = json!("2020-01-01T00:00:00+00:00"),
                    _ => facts["held_by"] = json!([]),
                }
            }
        }
        Edit::Selector(s) => {
            let selector = json!(SELECTORS[s % SELECTORS.len()]);
            let selectors = plan["rules"][0]["selectors"].as_array_mut().unwrap();
            if *s < SELECTORS.len() {
                selectors.push(selector)
            } else if !selectors.is_empty() {
                selectors[0] = selector
            }
        }
        Edit::Policy(p) => {
            let policy = &mut plan["rules"][0]["policy"];
            match p {
                0 => policy["keep_last"] = json!(0),
                1 => policy["keep_last"] = json!(3),
                2 => policy["include_development"] = json!(true),
                3 => policy["include_latest"] = json!(true),
                4 => policy["action"] = json!("deactivate"),
                _ => policy["statuses"] = json!(["ACTIVE"]),
            }
        }
        Edit::Digest => plan["digest"] = json!("0".repeat(64)),
        Edit::MadeAt(minutes) => {
            let at: chrono::DateTime<Utc> = serde_json::from_value(plan["made_at"].clone()).unwrap();
            plan["made_at"] = json!(at + chrono::Duration::minutes(*minutes));
        }
    }
}

/// The document with its digest taken again over its (edited) content.
fn redigested(plan: &Value) -> Value {
    let Ok(mut parsed) = serde_json::from_value::<Plan>(plan.clone()) else { return plan.clone() };
    parsed.digest = parsed.content_digest();
    serde_json::to_value(&parsed).unwrap()
}

/// `plan` as made against `w`: each world holds the same accounts at new addresses, so the
/// accounts' base URLs move with them (and the digest is taken again over that).
fn moved_to(plan: &Plan, w: &World) -> Plan {
    let mut moved = plan.clone();
    for account in &mut moved.accounts {
        account.base_url = match account.provider {
            modelhost::Provider::Baseten => w.baseten.base_url.clone(),
            _ => w.replicate.base_url.clone(),
        };
    }
    moved.digest = moved.content_digest();
    moved
}

/// The changes the fakes received, as `METHOD path`.
fn changes(w: &World) -> BTreeSet<String> {
    w.baseten.gate.changes().into_iter().chain(w.replicate.gate.changes()).collect()
}

/// What applying the plan may change: a DELETE of each target's path.
fn allowed(plan: &Plan) -> BTreeSet<String> {
    plan.targets.iter().map(|t| delete_of(&t.reference)).collect()
}

/// The request that deletes the version `reference` names, as `METHOD path`.
fn delete_of(reference: &modelhost::Target) -> String {
    let modelhost::Target::Version(reference) = reference else {
        unreachable!("these plans act on versions")
    };
    let id = reference.version_id();
    let model = reference.model().to_string();
    match model.split_once(':') {
        Some(("replicate", owner_name)) => format!("DELETE /models/{owner_name}/versions/{id}"),
        Some((_, model_id)) => format!("DELETE /v1/models/{model_id}/deployments/{id}"),
        None => unreachable!("a reference names its provider"),
    }
}

/// [`delete_of`] a reference written as text.
fn allowed_of(reference: &str) -> String {
    delete_of(&reference.parse().unwrap())
}

#[test]
fn a_plan_of_another_format_or_with_a_reference_that_escapes_is_refused() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let plan = runtime.block_on(async {
        let w = world().await;
        cleanup::plan(&w.hosts, &["baseten:m1".parse().unwrap()], &Policy::default(), Utc::now())
            .await
            .unwrap()
    });
    let text = plan.to_json();
    let escaping = text.replacen("baseten:m1/deployments/d1", "baseten:m1/deployments/../../m2", 1);
    assert!(Plan::from_json(&escaping).unwrap_err().to_string().contains("invalid reference"));
    let older = text.replacen("\"format\": 3", "\"format\": 2", 1);
    assert_eq!(
        Plan::from_json(&older).unwrap_err().to_string(),
        "plan format 2 is not one this modelhost reads (it reads 3): make the plan again"
    );
    assert!(Plan::from_json("{\"format\": 3}").is_err());
}

#[test]
fn an_edited_plan_is_refused_or_changes_only_what_the_original_chose() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let original = runtime.block_on(async {
        let w = world().await;
        let selectors = ["baseten:*", "replicate:alice/hello"].map(|s| s.parse().unwrap());
        cleanup::plan(&w.hosts, &selectors, &Policy { keep_last: 2, ..Policy::default() }, Utc::now())
            .await
            .unwrap()
    });
    assert!(original.targets.len() >= 4 && original.kept.len() >= 6, "{original}");
    let chosen = allowed(&original);
    let document = serde_json::to_value(&original).unwrap();
    let config = ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() };
    let accepted = AtomicUsize::new(0);
    let applied = AtomicUsize::new(0);
    proptest!(config, |(edits in proptest::collection::vec(edit(), 1..4), redigest in any::<bool>())| {
        let mut edited = document.clone();
        for e in &edits {
            apply_edit(&mut edited, e);
        }
        if redigest {
            edited = redigested(&edited);
        }
        let Ok(plan) = Plan::from_json(&edited.to_string()) else { return Ok(()) };
        accepted.fetch_add(1, Ordering::Relaxed);
        let beyond: BTreeSet<_> = allowed(&plan).difference(&chosen).cloned().collect();
        prop_assert!(
            beyond.iter().all(|change| change == &allowed_of(NOWHERE)),
            "{edits:?}: accepted a plan choosing {beyond:?} beyond the original"
        );
        // And applied for real, on a world as the plan saw it: it changes nothing else.
        let sent = runtime.block_on(async {
            let w = world().await;
            let plan = moved_to(&plan, &w);
            let dir = tempfile::tempdir().unwrap();
            let options = ApplyOptions::default();
            // Refused here only for its time (made in the future, or too long ago).
            match cleanup::prepare(&w.hosts, &plan, &options, Utc::now()).await {
                Ok(prepared) => {
                    let mut journal = Journal::open(&dir.path().join("j"), &plan).unwrap();
                    prepared.apply(&mut journal).await.unwrap();
                    applied.fetch_add(1, Ordering::Relaxed);
                }
                Err(ApplyError::TooOld { .. } | ApplyError::FromTheFuture { .. }) => {}
                Err(e) => panic!("{edits:?}: refused only when applied: {e}"),
            }
            changes(&w)
        });
        prop_assert!(sent.is_subset(&chosen), "{edits:?}: sent {sent:?}");
    });
    // The unedited plan is accepted, and edits that keep it consistent are too, and were
    // applied: the property was exercised on both sides.
    assert!(Plan::from_json(&document.to_string()).is_ok());
    let (accepted, applied) = (accepted.into_inner(), applied.into_inner());
    assert!(applied > 0, "{accepted} of 256 edited plans were accepted, none applied");
    eprintln!("{accepted} of 256 edited plans were accepted, {applied} applied");
}

/// The case the property found: a target retargeted to a deployment that does not exist, with
/// facts its policy would choose, reads as a real plan. Applying it sends nothing for it.
#[test]
fn a_target_retargeted_to_nothing_is_accepted_and_sends_nothing_for_it() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let w = world().await;
        let selectors = ["baseten:*"].map(|s| s.parse().unwrap());
        let policy = Policy { keep_last: 2, ..Policy::default() };
        let original = cleanup::plan(&w.hosts, &selectors, &policy, Utc::now()).await.unwrap();
        let mut edited = serde_json::to_value(&original).unwrap();
        let last = original.targets.len() - 1;
        apply_edit(
            &mut edited,
            &Edit::Retarget(last, REFERENCES.iter().position(|r| *r == NOWHERE).unwrap()),
        );
        let plan = Plan::from_json(&redigested(&edited).to_string()).expect("it reads as a real plan");
        assert!(allowed(&plan).contains(&allowed_of(NOWHERE)));

        let dir = tempfile::tempdir().unwrap();
        let options = ApplyOptions::default();
        let prepared = cleanup::prepare(&w.hosts, &plan, &options, Utc::now()).await.unwrap();
        let mut journal = Journal::open(&dir.path().join("j"), &plan).unwrap();
        prepared.apply(&mut journal).await.unwrap();
        let sent = changes(&w);
        assert!(!sent.contains(&allowed_of(NOWHERE)), "{sent:?}");
        assert_eq!(sent.len(), plan.targets.len() - 1, "{sent:?}");
        let outcomes = Journal::outcomes(&dir.path().join("j"), &plan).unwrap();
        let place = plan.targets.iter().position(|t| t.reference.to_string() == NOWHERE).unwrap();
        assert_eq!(outcomes[place], Some(modelhost::State::Absent));
    });
}
