//! Clean-up by rule against the stateful Baseten and Replicate on 127.0.0.1: what a policy
//! plans and keeps, that planning sends no change, that apply acts on exactly the plan, skips
//! what changed since, and resumes from its journal.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Utc;
use modelhost::cleanup::{
    self, ApplyError, ApplyOptions, ApplyReport, Halt, Journal, KeepReason, Plan, Policy, Record, Selector,
};
use modelhost::{Hosts, State};
use modelhost_tests::baseten_server::{BasetenServer, FakeDeployment};
use modelhost_tests::replicate_server::{FakeDeployment as Serving, FakeVersion, ReplicateServer};

mod common;

const TOKEN: &str = "cleanup-token";
/// The retry policy's first backoff: short, so faults are retried at test speed.
const DELAY: Duration = Duration::from_millis(5);

struct Fakes {
    baseten: BasetenServer,
    replicate: ReplicateServer,
    hosts: Hosts,
}

fn deployment(id: &str, created: &str, change: impl FnOnce(&mut FakeDeployment)) -> FakeDeployment {
    let mut d = FakeDeployment { created_at: format!("2026-{created}T12:00:00Z"), ..FakeDeployment::new(id) };
    change(&mut d);
    d
}

fn version(id: &str, created: &str) -> FakeVersion {
    FakeVersion::new(id).created(&format!("2026-{created}T12:00:00Z"))
}

/// Baseten: `m1` with a production, a development, an environment-bound and four plain
/// deployments (two failed builds); `m2` with two. Replicate: `alice/hello` with four
/// versions, the oldest served by a deployment.
async fn fakes() -> Fakes {
    let baseten = BasetenServer::start().await;
    baseten.add_key(TOKEN, "team");
    baseten.add_model_with(
        "team",
        "m1",
        vec![
            deployment("prod", "01-01", |d| d.is_production = true),
            deployment("dev", "01-02", |d| d.is_development = true),
            deployment("staging", "01-03", |d| d.environment = Some("staging".into())),
            deployment("old1", "02-01", |d| d.status = "BUILD_FAILED".into()),
            deployment("old2", "03-01", |d| d.status = "INACTIVE".into()),
            deployment("old3", "04-01", |d| d.status = "BUILD_FAILED".into()),
            deployment("new", "07-01", |_| {}),
        ],
    );
    baseten.add_model_with(
        "team",
        "m2",
        vec![deployment("a", "05-01", |d| d.is_production = true), deployment("b", "06-01", |_| {})],
    );
    let replicate = ReplicateServer::start(Duration::ZERO, 2).await;
    replicate.add_owner("alice", TOKEN);
    replicate.add_model(
        "alice",
        "hello",
        false,
        vec![version("v4", "07-04"), version("v3", "07-03"), version("v2", "07-02"), version("v1", "07-01")],
    );
    let serving =
        Serving { model: ("alice".into(), "hello".into()), version: "v1".into(), release: 2, idle: false };
    replicate.add_deployment("alice", "prod", serving);
    let hosts = common::hosts(TOKEN, &baseten.base_url, &replicate.base_url, DELAY);
    Fakes { baseten, replicate, hosts }
}

fn selectors() -> Vec<Selector> {
    vec!["baseten:*".parse().unwrap(), "replicate:alice/hello".parse().unwrap()]
}

fn planned(plan: &Plan) -> Vec<String> {
    plan.targets.iter().map(|t| t.reference.to_string()).collect()
}

fn kept(plan: &Plan, reference: &str) -> KeepReason {
    plan.kept
        .iter()
        .find(|k| k.reference.to_string() == reference)
        .map(|k| k.reason.clone())
        .expect(reference)
}

const JOURNAL: &str = "plan.json.journal";

fn journal_in(dir: &tempfile::TempDir, plan: &Plan) -> Journal {
    Journal::open(&dir.path().join(JOURNAL), plan).unwrap()
}

/// Applies `plan`, also collecting every record as `on_outcome` is told it (after any
/// callback `options` already has).
async fn apply_seen(
    hosts: &Hosts,
    plan: &Plan,
    journal: &mut Journal,
    options: ApplyOptions,
) -> Result<(ApplyReport, Vec<Record>), ApplyError> {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (told, earlier) = (Arc::clone(&seen), options.on_outcome.clone());
    let options = ApplyOptions {
        on_outcome: Some(Arc::new(move |record: &Record| {
            if let Some(earlier) = &earlier {
                earlier(record);
            }
            told.lock().unwrap().push(record.clone());
        })),
        ..options
    };
    let report = cleanup::apply(hosts, plan, journal, &options, Utc::now()).await?;
    drop(options);
    let records = Arc::into_inner(seen).unwrap().into_inner().unwrap();
    assert_eq!(report.acted(), records.len(), "the counts agree with what was told");
    Ok((report, records))
}

#[tokio::test]
async fn a_plan_keeps_what_must_stay_and_sends_no_change() {
    let f = fakes().await;
    let before = (f.baseten.requests(), f.replicate.requests());
    let plan = cleanup::plan(&f.hosts, &selectors(), &Policy::default(), Utc::now()).await.unwrap();
    // Oldest first within each model; the newest of each model kept (keep-last 1).
    assert_eq!(
        planned(&plan),
        [
            "baseten:m1/deployments/old1",
            "baseten:m1/deployments/old2",
            "baseten:m1/deployments/old3",
            "replicate:alice/hello/versions/v2",
            "replicate:alice/hello/versions/v3",
        ]
    );
    assert_eq!(kept(&plan, "baseten:m1/deployments/prod"), KeepReason::Production);
    assert_eq!(kept(&plan, "baseten:m1/deployments/dev"), KeepReason::Development);
    assert_eq!(kept(&plan, "baseten:m1/deployments/staging"), KeepReason::Environment("staging".into()));
    assert_eq!(kept(&plan, "baseten:m1/deployments/new"), KeepReason::AmongNewest { keep_last: 1 });
    assert_eq!(kept(&plan, "baseten:m2/deployments/b"), KeepReason::AmongNewest { keep_last: 1 });
    assert_eq!(
        kept(&plan, "replicate:alice/hello/versions/v1"),
        KeepReason::HeldBy(vec!["replicate:deployments/alice/prod (release 2)".into()])
    );
    assert_eq!(kept(&plan, "replicate:alice/hello/versions/v4"), KeepReason::Latest);
    // Only reads were sent (by method, on both providers): everything is still there.
    assert!(f.baseten.requests() > before.0 && f.replicate.requests() > before.1);
    assert_eq!((f.baseten.gate.changes(), f.replicate.gate.changes()), (vec![], vec![]));
    for id in ["old1", "old2", "old3", "new", "prod"] {
        assert!(f.baseten.deployment("m1", id).is_some(), "{id}");
    }
    let text = plan.to_string();
    assert!(text.contains("baseten:m1\n  DELETE baseten:m1/deployments/old1 (created 2026-02-01T12:00:00+00:00, BUILD_FAILED): saves $0/h: no replica is kept up\n"), "{text}");
    assert!(
        text.contains(
            "  DELETE replicate:alice/hello/versions/v2 (created 2026-07-02T12:00:00+00:00): saves $0/h: it costs nothing while it stands\n"
        ),
        "a version costs nothing while it stands: {text}"
    );
    assert!(
        text.ends_with(
            "baseten: 3 to delete (saves $0/h), 6 kept; replicate: 2 to delete (saves $0/h), 2 kept\n"
        ),
        "{text}"
    );
    // The document reads back as it was written.
    assert_eq!(Plan::from_json(&plan.to_json()).unwrap(), plan);
}

#[tokio::test]
async fn status_and_age_narrow_the_plan() {
    let f = fakes().await;
    let policy = Policy {
        keep_last: 0,
        statuses: Some(Policy::parse_statuses("build_failed").unwrap()),
        ..Policy::default()
    };
    let plan = cleanup::plan(&f.hosts, &["baseten:m1".parse().unwrap()], &policy, Utc::now()).await.unwrap();
    assert_eq!(planned(&plan), ["baseten:m1/deployments/old1", "baseten:m1/deployments/old3"]);
    assert_eq!(kept(&plan, "baseten:m1/deployments/old2"), KeepReason::Status(Some("INACTIVE".into())));
    let july: chrono::DateTime<Utc> = "2026-07-10T00:00:00Z".parse().unwrap();
    let policy =
        Policy { keep_last: 0, older_than: Some(Duration::from_secs(7 * 86_400)), ..Policy::default() };
    let plan =
        cleanup::plan(&f.hosts, &["replicate:alice/hello".parse().unwrap()], &policy, july).await.unwrap();
    assert_eq!(planned(&plan), ["replicate:alice/hello/versions/v2"]);
    assert_eq!(kept(&plan, "replicate:alice/hello/versions/v3"), KeepReason::TooRecent);
}

#[tokio::test]
async fn apply_acts_on_exactly_the_plan_and_skips_what_changed() {
    let f = fakes().await;
    let plan = cleanup::plan(&f.hosts, &selectors(), &Policy::default(), Utc::now()).await.unwrap();
    // Between plan and apply, old2 is promoted to production.
    f.baseten.change_deployment("m1", "old2", |d| d.is_production = true);
    let dir = tempfile::tempdir().unwrap();
    let mut journal = journal_in(&dir, &plan);
    let (report, records) = apply_seen(&f.hosts, &plan, &mut journal, ApplyOptions::default()).await.unwrap();
    let outcome =
        |r: &str| records.iter().find(|o| o.outcome.target.to_string() == r).map(|o| o.outcome.state);
    assert_eq!(outcome("baseten:m1/deployments/old1"), Some(State::Deleted));
    assert_eq!(outcome("baseten:m1/deployments/old2"), Some(State::Changed));
    assert_eq!(outcome("replicate:alice/hello/versions/v2"), Some(State::Accepted));
    assert_eq!(records.len(), plan.targets.len());
    assert_eq!(report.ended.get(&State::Changed), Some(&1));
    let [changed] = &report.unsuccessful[..] else { panic!("{:?}", report.unsuccessful) };
    assert_eq!(
        changed.outcome.reason.as_deref(),
        Some("changed since the plan: now the production deployment")
    );
    // Nothing outside the plan was touched; the changed one is still there.
    for id in ["prod", "dev", "staging", "new", "old2"] {
        assert!(f.baseten.deployment("m1", id).is_some(), "{id}");
    }
    assert!(f.baseten.deployment("m1", "old1").is_none() && f.baseten.deployment("m1", "old3").is_none());
    assert!(f.baseten.deployment("m2", "b").is_some());
    assert!(!report.all_done(&journal, &plan), "a changed target is not done");
}

#[tokio::test]
async fn an_interrupted_apply_resumes_without_acting_twice() {
    let f = fakes().await;
    let plan = cleanup::plan(&f.hosts, &selectors(), &Policy::default(), Utc::now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut journal = journal_in(&dir, &plan);
    let seen = Arc::new(AtomicUsize::new(0));
    let options = ApplyOptions { concurrency: 1, ..ApplyOptions::default() };
    let (stop, counter) = (Arc::clone(&options.stop), Arc::clone(&seen));
    let options = ApplyOptions {
        on_outcome: Some(Arc::new(move |_| {
            if counter.fetch_add(1, Ordering::SeqCst) + 1 == 2 {
                stop.store(true, Ordering::SeqCst);
            }
        })),
        ..options
    };
    let (first, first_records) = apply_seen(&f.hosts, &plan, &mut journal, options).await.unwrap();
    // Each provider had one in flight when the stop came: both finish, nothing more starts.
    assert!(first.acted() >= 2 && first.not_started > 0, "{first:?}");
    assert_eq!(first.acted() + first.not_started, plan.targets.len());
    let done_first = first.acted();
    drop(journal);
    // A crash while writing the next line leaves it torn: ignored, and cut off.
    let path = dir.path().join(JOURNAL);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"reference\":\"baseten:m1/deployme");
    std::fs::write(&path, &text).unwrap();
    let mut journal = journal_in(&dir, &plan);
    let requests = f.baseten.requests() + f.replicate.requests();
    let (second, second_records) =
        apply_seen(&f.hosts, &plan, &mut journal, ApplyOptions::default()).await.unwrap();
    assert_eq!(second.already_done, done_first);
    assert_eq!(second.acted(), plan.targets.len() - done_first);
    let again: Vec<_> = second_records
        .iter()
        .filter(|o| first_records.iter().any(|p| p.outcome.target == o.outcome.target))
        .collect();
    assert!(again.is_empty(), "acted on again: {again:?}");
    assert!(second.all_done(&journal, &plan));
    // A third apply has nothing to do and sends only reads (the accounts, the holders).
    f.baseten.gate.clear();
    f.replicate.gate.clear();
    let third =
        cleanup::apply(&f.hosts, &plan, &mut journal, &ApplyOptions::default(), Utc::now()).await.unwrap();
    assert_eq!((third.acted(), third.already_done), (0, plan.targets.len()));
    assert!(f.baseten.requests() + f.replicate.requests() > requests);
    assert_eq!((f.baseten.gate.changes(), f.replicate.gate.changes()), (vec![], vec![]));
    let lines = std::fs::read_to_string(&path).unwrap();
    assert!(lines.lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()), "{lines}");
    assert_eq!(
        lines.lines().count(),
        1 + 2 * plan.targets.len(),
        "a header, and per target a line before its action and one after"
    );
}

#[tokio::test]
async fn a_stale_plan_is_refused_and_another_plans_journal_too() {
    let f = fakes().await;
    let made = Utc::now() - chrono::Duration::hours(25);
    let plan = cleanup::plan(&f.hosts, &selectors(), &Policy::default(), made).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut journal = journal_in(&dir, &plan);
    let refused = cleanup::apply(&f.hosts, &plan, &mut journal, &ApplyOptions::default(), Utc::now()).await;
    assert!(matches!(refused, Err(ApplyError::TooOld { .. })), "{refused:?}");
    assert!(f.baseten.deployment("m1", "old1").is_some(), "nothing was sent");
    drop(journal);
    let newer = cleanup::plan(&f.hosts, &selectors(), &Policy::default(), Utc::now()).await.unwrap();
    let other = Journal::open(&dir.path().join(JOURNAL), &newer);
    assert!(other.unwrap_err().to_string().contains("belongs to another plan"));
    // A plan that says it was made tomorrow is refused too, whatever its age limit.
    let future =
        cleanup::plan(&f.hosts, &selectors(), &Policy::default(), Utc::now() + chrono::Duration::days(1))
            .await
            .unwrap();
    let options = ApplyOptions::default();
    let refused = cleanup::prepare(&f.hosts, &future, &options, Utc::now()).await;
    assert!(matches!(refused, Err(ApplyError::FromTheFuture { .. })), "{refused:?}");
    assert_eq!((f.baseten.gate.changes(), f.replicate.gate.changes()), (vec![], vec![]));
}

#[tokio::test]
async fn deactivating_keeps_the_deployment_and_replicate_cannot() {
    let f = fakes().await;
    let policy = Policy { action: modelhost::Action::Deactivate, ..Policy::default() };
    let plan = cleanup::plan(
        &f.hosts,
        &["baseten:m2".parse().unwrap()],
        &Policy { keep_last: 0, ..policy.clone() },
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(planned(&plan), ["baseten:m2/deployments/b"]);
    let dir = tempfile::tempdir().unwrap();
    let mut journal = journal_in(&dir, &plan);
    let report =
        cleanup::apply(&f.hosts, &plan, &mut journal, &ApplyOptions::default(), Utc::now()).await.unwrap();
    assert_eq!(report.ended.iter().collect::<Vec<_>>(), [(&State::Deactivated, &1)]);
    assert_eq!(f.baseten.deployment("m2", "b").map(|d| d.status).as_deref(), Some("INACTIVE"));
    // A mixed selection plans the Baseten deployments that have compute to stop; what has
    // none, and Replicate's versions, are kept with the reason.
    let mixed =
        cleanup::plan(&f.hosts, &selectors(), &Policy { keep_last: 0, ..policy }, Utc::now()).await.unwrap();
    assert_eq!(planned(&mixed), ["baseten:m1/deployments/new"]);
    assert_eq!(kept(&mixed, "baseten:m1/deployments/old1"), KeepReason::NothingToStop("BUILD_FAILED".into()));
    assert_eq!(kept(&mixed, "baseten:m1/deployments/old2"), KeepReason::NothingToStop("INACTIVE".into()));
    assert_eq!(kept(&mixed, "baseten:m2/deployments/b"), KeepReason::NothingToStop("INACTIVE".into()));
    assert_eq!(
        kept(&mixed, "replicate:alice/hello/versions/v2"),
        KeepReason::Cannot(modelhost::Action::Deactivate)
    );
}

#[tokio::test]
async fn under_faults_apply_still_ends_in_exactly_the_plan() {
    let f = fakes().await;
    // 15 %: 503s, answers cut off after the server applied the request, 429 bursts.
    f.baseten.faults.set(0.15);
    f.replicate.faults.set(0.15);
    let plan = cleanup::plan(&f.hosts, &selectors(), &Policy::default(), Utc::now()).await.unwrap();
    assert_eq!(plan.targets.len(), 5, "the same plan as without faults");
    let dir = tempfile::tempdir().unwrap();
    let mut journal = journal_in(&dir, &plan);
    let report =
        cleanup::apply(&f.hosts, &plan, &mut journal, &ApplyOptions::default(), Utc::now()).await.unwrap();
    assert!(report.all_done(&journal, &plan), "{:?}", report.unsuccessful);
    assert!(f.baseten.faults.injected() + f.replicate.faults.injected() > 0, "faults were injected");
    for id in ["old1", "old2", "old3"] {
        assert!(f.baseten.deployment("m1", id).is_none(), "{id}");
        assert!(f.baseten.deletes("m1", id) >= 1);
    }
    for id in ["prod", "dev", "staging", "new"] {
        assert!(f.baseten.deployment("m1", id).is_some(), "{id}");
    }
    assert!(f.baseten.deployment("m2", "b").is_some());
}

#[tokio::test]
async fn what_holds_versions_is_listed_once_per_plan_and_once_per_apply() {
    let f = fakes().await;
    f.replicate.add_model("alice", "world", false, vec![version("w2", "07-02"), version("w1", "07-01")]);
    let selectors: Vec<Selector> =
        vec!["replicate:alice/hello".parse().unwrap(), "replicate:alice/world".parse().unwrap()];
    let plan = cleanup::plan(&f.hosts, &selectors, &Policy::default(), Utc::now()).await.unwrap();
    assert_eq!(planned(&plan).len(), 3, "{plan}");
    assert_eq!(f.replicate.deployment_listings(), 1, "one listing for both models");
    let dir = tempfile::tempdir().unwrap();
    let mut journal = journal_in(&dir, &plan);
    let report =
        cleanup::apply(&f.hosts, &plan, &mut journal, &ApplyOptions::default(), Utc::now()).await.unwrap();
    assert!(report.all_done(&journal, &plan), "{:?}", report.unsuccessful);
    assert_eq!(f.replicate.deployment_listings(), 2, "and one for the apply");
}

#[tokio::test]
async fn a_journal_naming_a_target_outside_its_plan_is_refused() {
    let f = fakes().await;
    let plan = cleanup::plan(&f.hosts, &selectors(), &Policy::default(), Utc::now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    drop(journal_in(&dir, &plan));
    let path = dir.path().join(JOURNAL);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text += "{\"reference\":\"baseten:m1/deployments/prod\",\"action\":\"delete\",\"state\":\"deleted\",\"reason\":null,\"code\":null,\"at\":\"2026-07-01T00:00:00Z\"}\n";
    std::fs::write(&path, &text).unwrap();
    let err = Journal::open(&path, &plan).unwrap_err().to_string();
    assert!(
        err.ends_with(":2: not a journal record (baseten:m1/deployments/prod is not in the plan)"),
        "{err}"
    );
    let mut journal = journal_in(&tempfile::tempdir().unwrap(), &plan);
    let record: Record = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    assert!(journal.record(plan.targets.len(), record).is_err(), "a place outside the plan");
}

#[tokio::test]
async fn a_plan_records_its_accounts_and_is_applied_only_to_them() {
    let f = fakes().await;
    let plan = cleanup::plan(&f.hosts, &selectors(), &Policy::default(), Utc::now()).await.unwrap();
    let accounts: Vec<String> = plan.accounts.iter().map(ToString::to_string).collect();
    assert_eq!(
        accounts,
        [
            format!("baseten workspace `team` at {}", f.baseten.base_url),
            format!("replicate account `alice` at {}", f.replicate.base_url)
        ]
    );
    // Another workspace's key, that sees a model of the same name: refused before anything.
    f.baseten.add_key("other-key", "other");
    f.replicate.add_owner("bob", "other-key");
    f.baseten.add_model("other", "m3", &["p"]);
    let other = common::hosts("other-key", &f.baseten.base_url, &f.replicate.base_url, DELAY);
    let options = ApplyOptions::default();
    let refused = cleanup::prepare(&other, &plan, &options, Utc::now()).await.unwrap_err();
    assert_eq!(
        refused.to_string(),
        format!(
            "the plan was made for baseten workspace `team` at {0}; the token is for baseten workspace `other` at {0}: nothing was sent",
            f.baseten.base_url
        )
    );
    // The same key at another base URL (a second fake: the same workspace name elsewhere).
    let elsewhere = BasetenServer::start().await;
    elsewhere.add_key(TOKEN, "team");
    let moved = common::hosts(TOKEN, &elsewhere.base_url, &f.replicate.base_url, DELAY);
    let refused = cleanup::prepare(&moved, &plan, &options, Utc::now()).await.unwrap_err();
    assert!(matches!(refused, ApplyError::OtherAccount { .. }), "{refused}");
    for server in [&f.baseten.gate, &f.replicate.gate, &elsewhere.gate] {
        assert_eq!(server.changes(), Vec::<String>::new(), "nothing was sent");
    }
}

#[tokio::test]
async fn a_refused_token_is_never_final_and_a_fixed_one_finishes_the_plan() {
    let f = fakes().await;
    let plan = cleanup::plan(&f.hosts, &["baseten:m1".parse().unwrap()], &Policy::default(), Utc::now())
        .await
        .unwrap();
    assert_eq!(plan.targets.len(), 3);
    // The token is good for the account read, the listing and one delete (a delete by age
    // reads no costs again); then it expires (a revoked key, a token that timed out half-way).
    f.baseten.gate.expire_after(TOKEN, 3);
    let dir = tempfile::tempdir().unwrap();
    let mut journal = journal_in(&dir, &plan);
    let options = ApplyOptions { concurrency: 1, ..ApplyOptions::default() };
    let (first, records) = apply_seen(&f.hosts, &plan, &mut journal, options.clone()).await.unwrap();
    let outcomes: Vec<State> = records.iter().map(|r| r.outcome.state).collect();
    assert_eq!(outcomes, [State::Deleted, State::Failed], "the 401 stops the apply");
    assert_eq!(records[1].outcome.code.as_deref(), Some("unauthenticated"));
    assert_eq!(first.not_started, 1);
    assert!(
        matches!(&first.halts[..], [Halt::Credential { provider: modelhost::Provider::Baseten, .. }]),
        "{first:?}"
    );
    assert_eq!(f.baseten.deletes("m1", "old3"), 0, "nothing sent after the refusal");
    drop(journal);
    // The token is fixed: the next apply does the rest; only what ended done counts as done.
    f.baseten.gate.expire_after(TOKEN, usize::MAX);
    let mut journal = journal_in(&dir, &plan);
    let (second, records) = apply_seen(&f.hosts, &plan, &mut journal, options).await.unwrap();
    assert_eq!((second.already_done, second.already_ended, records.len()), (1, 0, 2));
    assert!(second.all_done(&journal, &plan), "{:?}", second.unsuccessful);
    for id in ["old1", "old2", "old3"] {
        assert!(f.baseten.deployment("m1", id).is_none(), "{id}");
    }
}

#[tokio::test]
async fn apply_decides_again_on_what_stands_now() {
    let f = fakes().await;
    let policy = Policy { keep_last: 2, ..Policy::default() };
    let plan = cleanup::plan(&f.hosts, &selectors(), &policy, Utc::now()).await.unwrap();
    assert_eq!(
        planned(&plan),
        ["baseten:m1/deployments/old1", "baseten:m1/deployments/old2", "replicate:alice/hello/versions/v2"]
    );
    // Out of band: m1's newest goes (old3 and old2 are now among the 2 newest), old1 changes
    // status, and Replicate's v3 and v4 go (v2 is now the latest).
    f.baseten.remove_deployment("m1", "new");
    f.baseten.change_deployment("m1", "old1", |d| d.status = "BUILDING".into());
    f.replicate.add_model("alice", "hello", false, vec![version("v2", "07-02"), version("v1", "07-01")]);
    let dir = tempfile::tempdir().unwrap();
    let mut journal = journal_in(&dir, &plan);
    let (report, records) = apply_seen(&f.hosts, &plan, &mut journal, ApplyOptions::default()).await.unwrap();
    let reason = |r: &str| {
        records.iter().find(|o| o.outcome.target.to_string() == r).and_then(|o| o.outcome.reason.clone())
    };
    assert_eq!(
        reason("baseten:m1/deployments/old2").as_deref(),
        Some("changed since the plan: now among the 2 newest")
    );
    assert_eq!(
        reason("baseten:m1/deployments/old1").as_deref(),
        Some("changed since the plan: status Some(\"BUILD_FAILED\") → Some(\"BUILDING\")")
    );
    assert_eq!(
        reason("replicate:alice/hello/versions/v2").as_deref(),
        Some("changed since the plan: now the model's latest version, which the policy does not include")
    );
    assert_eq!(report.ended.get(&State::Changed), Some(&3));
    assert_eq!((f.baseten.gate.changes(), f.replicate.gate.changes()), (vec![], vec![]), "nothing acted on");
}

#[tokio::test]
async fn labels_keep_deployments_and_a_label_added_since_the_plan_is_a_change() {
    let f = fakes().await;
    f.baseten.change_deployment("m1", "old1", |d| d.labels = [("team".into(), "search".into())].into());
    let policy = Policy { keep_labels: [("team".into(), "search".into())].into(), ..Policy::default() };
    let plan = cleanup::plan(&f.hosts, &["baseten:m1".parse().unwrap()], &policy, Utc::now()).await.unwrap();
    assert_eq!(kept(&plan, "baseten:m1/deployments/old1"), KeepReason::Label("team=search".into()));
    assert_eq!(planned(&plan), ["baseten:m1/deployments/old2", "baseten:m1/deployments/old3"]);
    f.baseten.change_deployment("m1", "old2", |d| d.labels = [("team".into(), "search".into())].into());
    f.baseten.change_deployment("m1", "old3", |d| d.labels = [("note".into(), "keep?".into())].into());
    let dir = tempfile::tempdir().unwrap();
    let mut journal = journal_in(&dir, &plan);
    let (_, records) = apply_seen(&f.hosts, &plan, &mut journal, ApplyOptions::default()).await.unwrap();
    let reasons: Vec<Option<&str>> = records.iter().map(|r| r.outcome.reason.as_deref()).collect();
    assert!(
        reasons.contains(&Some("changed since the plan: now labelled `team=search`, which the policy keeps")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.is_some_and(|r| r.starts_with("changed since the plan: labels {} → {"))),
        "{reasons:?}"
    );
    assert_eq!(f.baseten.gate.changes(), Vec::<String>::new());
}

#[tokio::test]
async fn missing_models_are_all_named_and_nothing_is_planned() {
    let f = fakes().await;
    let selectors: Vec<Selector> = ["replicate:alice/gone", "baseten:nope", "replicate:alice/hello"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let err = cleanup::plan(&f.hosts, &selectors, &Policy::default(), Utc::now()).await.unwrap_err();
    assert!(matches!(err, cleanup::PlanningError::Missing(ref m) if m.len() == 2), "{err:?}");
    assert_eq!(
        err.to_string(),
        "these models are not found (or not visible to the token): baseten:nope, replicate:alice/gone"
    );
}

#[tokio::test]
async fn the_journal_has_one_writer_writes_ahead_and_survives_a_torn_header() {
    let f = fakes().await;
    let plan = cleanup::plan(&f.hosts, &selectors(), &Policy::default(), Utc::now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = journal_in(&dir, &plan);
    let busy = Journal::open(&dir.path().join(JOURNAL), &plan).unwrap_err();
    assert_eq!(
        busy.to_string(),
        format!(
            "{} is in use by another apply (process {}); wait for it to end",
            dir.path().join(JOURNAL).display(),
            std::process::id()
        )
    );
    drop(journal);
    // A header torn while it was written, though it parses: cut off, written again.
    let path = dir.path().join(JOURNAL);
    let header = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, header.trim_end()).unwrap();
    let mut journal = journal_in(&dir, &plan);
    // A kill after the write-ahead line of old1, before its outcome: the resume reads it first.
    let old1 =
        plan.targets.iter().position(|t| t.reference.to_string() == "baseten:m1/deployments/old1").unwrap();
    let started: Record =
        serde_json::from_value(serde_json::json!({"reference": "baseten:m1/deployments/old1",
        "action": "delete", "state": "started", "reason": null, "code": null, "at": "2026-07-01T00:00:00Z"}))
        .unwrap();
    journal.record(old1, started).unwrap();
    f.baseten.remove_deployment("m1", "old1"); // the DELETE had landed
    drop(journal);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    let mut journal = journal_in(&dir, &plan);
    let (report, records) = apply_seen(&f.hosts, &plan, &mut journal, ApplyOptions::default()).await.unwrap();
    assert_eq!(report.resumed, 1);
    let old1_record = records.iter().find(|r| r.outcome.target == plan.targets[old1].reference).unwrap();
    assert_eq!(old1_record.outcome.state, State::Absent, "read first, not sent again");
    assert_eq!(f.baseten.deletes("m1", "old1"), 0);
    assert!(report.all_done(&journal, &plan));
}

#[tokio::test]
async fn max_actions_caps_one_run_and_the_next_goes_on() {
    let f = fakes().await;
    let plan = cleanup::plan(&f.hosts, &selectors(), &Policy::default(), Utc::now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut journal = journal_in(&dir, &plan);
    let capped = ApplyOptions { max_actions: Some(2), concurrency: 1, ..ApplyOptions::default() };
    let (first, _) = apply_seen(&f.hosts, &plan, &mut journal, capped).await.unwrap();
    assert_eq!((first.acted(), first.not_started), (2, 3));
    assert_eq!(first.halts, [Halt::MaxActions(2)]);
    let deletes = f.baseten.gate.changes().len() + f.replicate.gate.changes().len();
    assert_eq!(deletes, 2, "two actions sent");
    let (second, _) = apply_seen(&f.hosts, &plan, &mut journal, ApplyOptions::default()).await.unwrap();
    assert_eq!((second.already_done, second.acted()), (2, 3));
    assert!(second.all_done(&journal, &plan));
}

#[tokio::test]
async fn a_delete_never_empties_a_model() {
    let f = fakes().await;
    f.replicate.add_model(
        "alice",
        "solo",
        false,
        vec![version("s3", "07-03"), version("s2", "07-02"), version("s1", "07-01")],
    );
    let everything = Policy { keep_last: 0, include_latest: true, ..Policy::default() };
    let plan = cleanup::plan(&f.hosts, &["replicate:alice/solo".parse().unwrap()], &everything, Utc::now())
        .await
        .unwrap();
    assert_eq!(kept(&plan, "replicate:alice/solo/versions/s3"), KeepReason::LastOfModel);
    assert_eq!(planned(&plan), ["replicate:alice/solo/versions/s1", "replicate:alice/solo/versions/s2"]);
    // s3 goes out of band: at apply, s2 is the last one standing.
    f.replicate.add_model("alice", "solo", false, vec![version("s2", "07-02"), version("s1", "07-01")]);
    let dir = tempfile::tempdir().unwrap();
    let mut journal = journal_in(&dir, &plan);
    let (_, records) = apply_seen(&f.hosts, &plan, &mut journal, ApplyOptions::default()).await.unwrap();
    let s2 = records.iter().find(|r| r.outcome.target.to_string().ends_with("/s2")).unwrap();
    assert_eq!(
        s2.outcome.reason.as_deref(),
        Some("changed since the plan: now the last version of its model: a clean-up never empties a model")
    );
    assert_eq!(f.replicate.listed_versions("alice", "solo"), 1);
}
