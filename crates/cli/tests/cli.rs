//! `modelhost` end to end: the built binary against the stateful fake Baseten and Replicate
//! on 127.0.0.1, as a shell user runs it (no terminal unless a test makes one).

use std::process::{Output, Stdio};
use std::time::Duration;

use assert_cmd::assert::OutputAssertExt;
use modelhost_tests::baseten_server::{BasetenServer, FakeDeployment as Deployment};
use modelhost_tests::replicate_server::{FakeDeployment, FakeVersion, ReplicateServer};
use modelhost_tests::{Method, RecordingServer};

const BASETEN_KEY: &str = "bt-secret-key-1234";
const REPLICATE_TOKEN: &str = "r8_secret_token_5678";

/// Both fakes: alice's Replicate models and the `ws` Baseten workspace.
struct Fakes {
    baseten: BasetenServer,
    replicate: ReplicateServer,
}

impl Fakes {
    /// Versions deleted on Replicate stay listed for `delay`, 10 versions a page.
    async fn start(delay: Duration) -> Self {
        let baseten = BasetenServer::start().await;
        baseten.add_key(BASETEN_KEY, "ws");
        let replicate = ReplicateServer::start(delay, 10).await;
        replicate.add_owner("alice", REPLICATE_TOKEN);
        Self { baseten, replicate }
    }

    fn command(&self, args: &[&str]) -> std::process::Command {
        command(&self.baseten.base_url, &self.replicate.base_url, args)
    }

    /// [`Fakes::command`], run in `dir` (where a plan and its journal are).
    fn command_in(&self, dir: &tempfile::TempDir, args: &[&str]) -> std::process::Command {
        let mut command = self.command(args);
        command.current_dir(dir.path());
        command
    }

    /// Runs `modelhost ARGS` with no terminal, off the runtime that serves the fakes.
    async fn run(&self, args: &[&str]) -> Output {
        run(self.command(args)).await
    }
}

fn command(baseten_url: &str, replicate_url: &str, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_modelhost"));
    command
        .args(args)
        .env("BASETEN_API_KEY", BASETEN_KEY)
        .env("BASETEN_BASE_URL", baseten_url)
        .env("REPLICATE_API_TOKEN", REPLICATE_TOKEN)
        .env("REPLICATE_BASE_URL", replicate_url)
        .stdin(Stdio::null());
    command
}

async fn run(mut command: std::process::Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("modelhost runs")).await.unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts that `output` is a usage or configuration refusal: exit 2, `expected` on stderr.
fn assert_refused_with_2(output: &Output, expected: &str) {
    output.clone().assert().code(2);
    assert!(stderr(output).contains(expected), "expected {expected:?} on stderr: {}", stderr(output));
}

fn versions(n: usize) -> Vec<FakeVersion> {
    (0..n).map(|i| FakeVersion::new(format!("v{i:03}"))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletes_each_reference_form() {
    let fakes = Fakes::start(Duration::ZERO).await;
    fakes.baseten.add_model("ws", "m1", &["prod1"]);
    fakes.baseten.add_model("ws", "m2", &["prod2", "dev2"]);
    fakes.replicate.add_model("alice", "empty", false, Vec::new());
    fakes.replicate.add_model("alice", "hello", false, versions(2));

    let output = fakes
        .run(&[
            "delete",
            "--yes",
            "baseten:m1",
            "baseten:m2/deployments/dev2",
            "replicate:alice/empty",
            "replicate:alice/hello/versions/v001",
        ])
        .await;
    output.clone().assert().code(0);
    assert_eq!(
        stdout(&output),
        "baseten:m1: deleted\n\
         baseten:m2/deployments/dev2: deleted\n\
         replicate:alice/empty: deleted\n\
         replicate:alice/hello/versions/v001: accepted: deletion in progress\n\
         3 deleted, 1 accepted\n"
    );
    assert!(!fakes.baseten.has_model("m1"));
    assert!(fakes.baseten.has_model("m2"));
    assert!(!fakes.replicate.has_model("alice", "empty"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletes_a_deployment_by_reference_and_says_why_a_busy_one_stays() {
    let fakes = Fakes::start(Duration::ZERO).await;
    fakes.replicate.add_model("alice", "hello", false, versions(2));
    for (name, idle) in [("old", true), ("busy", false)] {
        let served = FakeDeployment {
            model: ("alice".into(), "hello".into()),
            version: "v000".into(),
            release: 1,
            idle,
        };
        fakes.replicate.add_deployment("alice", name, served);
    }
    let output = fakes
        .run(&["delete", "--yes", "replicate:deployments/alice/old", "replicate:deployments/alice/busy"])
        .await;
    output.clone().assert().code(1);
    let text = stdout(&output);
    assert!(text.starts_with("replicate:deployments/alice/old: deleted\n"), "{text}");
    assert!(
        text.contains("replicate:deployments/alice/busy: refused: replicate: cannot delete replicate:deployments/alice/busy: the deployment is online or was used in the last 15 minutes"),
        "{text}"
    );
    assert!(!fakes.replicate.has_deployment("alice", "old"));
    assert!(fakes.replicate.has_deployment("alice", "busy"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cascade_without_a_terminal_reports_progress_in_plain_lines() {
    let fakes = Fakes::start(Duration::from_millis(100)).await;
    fakes.replicate.add_model("alice", "hello", false, versions(12));

    let output = fakes.run(&["delete", "--yes", "--cascade", "replicate:alice/hello"]).await;
    output.clone().assert().code(0);
    let progress = stderr(&output);
    for i in 0..12 {
        assert!(
            progress.contains(&format!(
                "replicate:alice/hello/versions/v{i:03}: accepted: deletion in progress\n"
            )),
            "{progress}"
        );
    }
    assert!(progress.contains("replicate:alice/hello: deleted\n"), "{progress}");
    assert!(
        !progress.contains('\r') && !progress.contains('\u{1b}'),
        "no bar without a terminal: {progress}"
    );
    assert!(stdout(&output).ends_with("1 deleted, 12 accepted\n"), "{}", stdout(&output));
    assert!(!fakes.replicate.has_model("alice", "hello"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_sends_no_delete() {
    // Baseten: no request at all (nothing needs listing).
    let recording = RecordingServer::without_routes().await;
    let fakes = Fakes::start(Duration::ZERO).await;
    fakes.replicate.add_model("alice", "hello", false, versions(3));
    let output = run(command(
        &recording.base_url,
        &fakes.replicate.base_url,
        &[
            "delete",
            "--dry-run",
            "--cascade",
            "baseten:m1",
            "replicate:alice/hello",
            "replicate:alice/hello/versions/v000",
        ],
    ))
    .await;
    output.clone().assert().code(0);
    assert!(recording.recorded().is_empty(), "{:?}", recording.recorded());
    assert_eq!(
        stdout(&output),
        "baseten:m1: would delete\n\
         replicate:alice/hello/versions/v000: would delete\n\
         replicate:alice/hello/versions/v001: would delete\n\
         replicate:alice/hello/versions/v002: would delete\n\
         replicate:alice/hello: would delete\n\
         replicate:alice/hello/versions/v000: would delete\n\
         note: baseten deletes a model's versions with it: one request, no version deleted one by one\n\
         6 would be deleted (dry run: nothing was sent)\n"
    );
    // Replicate: listed, nothing deleted (by method, not only by what is left).
    assert_eq!(fakes.replicate.gate.changes(), Vec::<String>::new());
    assert!(fakes.replicate.gate.log().iter().any(|(m, _)| *m == Method::GET), "it listed");
    let listed = fakes.run(&["versions", "replicate:alice/hello"]).await;
    assert_eq!(stdout(&listed).lines().count(), 4, "{}", stdout(&listed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_output_has_one_object_per_target() {
    let fakes = Fakes::start(Duration::ZERO).await;
    fakes.baseten.add_model("ws", "m1", &["prod1", "dev1"]);
    fakes.replicate.add_model("alice", "hello", false, versions(2));
    fakes.replicate.add_deployment(
        "alice",
        "prod",
        FakeDeployment {
            model: ("alice".into(), "hello".into()),
            version: "v000".into(),
            release: 3,
            idle: false,
        },
    );
    let output = fakes
        .run(&[
            "delete",
            "--yes",
            "--missing-ok",
            "--output",
            "json",
            "baseten:m1/deployments/dev1",
            "baseten:m1/deployments/prod1",
            "baseten:gone",
            "replicate:alice/hello/versions/v000",
            "replicate:alice/hello/versions/v001",
        ])
        .await;
    output.clone().assert().code(1);
    assert_eq!(stderr(&output), "", "nothing decorative with --output json");
    let _: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    insta::assert_snapshot!(stdout(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_reference_exits_2_and_sends_nothing() {
    let recording = RecordingServer::without_routes().await;
    for bad in
        ["replicate:alice/../bob", "baseten:m1%2Fx", "huggingface:x/y", "replicate:alice/hello/versions/"]
    {
        let output =
            run(command(&recording.base_url, &recording.base_url, &["delete", "--yes", "baseten:fine", bad]))
                .await;
        assert_refused_with_2(&output, "invalid reference");
    }
    assert!(recording.recorded().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_terminal_and_without_yes_nothing_is_deleted() {
    let recording = RecordingServer::without_routes().await;
    let output = run(command(&recording.base_url, &recording.base_url, &["delete", "baseten:m1"])).await;
    assert_refused_with_2(&output, "pass --yes");
    assert!(recording.recorded().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_credentials_exit_2_naming_the_variable() {
    let recording = RecordingServer::without_routes().await;
    let mut only_baseten =
        command(&recording.base_url, &recording.base_url, &["delete", "--yes", "replicate:a/b"]);
    only_baseten.env_remove("REPLICATE_API_TOKEN");
    let output = run(only_baseten).await;
    assert_refused_with_2(&output, "REPLICATE_API_TOKEN is not set");
    let mut insecure = command("http://example.com", &recording.base_url, &["delete", "--yes", "baseten:m1"]);
    insecure.env("BASETEN_BASE_URL", "http://example.com");
    let output = run(insecure).await;
    assert_refused_with_2(&output, "plain http");
    assert!(recording.recorded().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_delete_exits_1_with_the_reason() {
    let fakes = Fakes::start(Duration::ZERO).await;
    fakes.baseten.add_model("ws", "m1", &["prod1"]);
    let output = fakes.run(&["delete", "--yes", "baseten:m1/deployments/prod1"]).await;
    output.clone().assert().code(1);
    assert!(
        stdout(&output).starts_with("baseten:m1/deployments/prod1: refused: baseten: cannot delete"),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("production deployment"), "{}", stdout(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_is_waited_out() {
    let fakes = Fakes::start(Duration::ZERO).await;
    fakes.replicate.add_model("alice", "hello", false, versions(8));
    fakes.replicate.limit_rate(3);
    let refs: Vec<String> = (0..8).map(|i| format!("replicate:alice/hello/versions/v{i:03}")).collect();
    let mut args = vec!["delete", "--yes", "--concurrency", "8"];
    args.extend(refs.iter().map(String::as_str));
    let output = fakes.run(&args).await;
    output.clone().assert().code(0);
    assert!(fakes.replicate.throttled() > 0);
    assert!(stderr(&output).contains("rate limited by replicate: waiting"), "{}", stderr(&output));
    assert!(stdout(&output).ends_with("8 accepted\n"), "{}", stdout(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_in_any_output() {
    let fakes = Fakes::start(Duration::ZERO).await;
    fakes.baseten.add_model("ws", "m1", &["prod1", "dev1"]);
    fakes.replicate.add_model("alice", "hello", false, versions(3));
    fakes.replicate.limit_rate(2);
    let runs: [&[&str]; 5] = [
        &["-v", "delete", "--yes", "--cascade", "replicate:alice/hello", "baseten:m1/deployments/prod1"],
        &["-v", "delete", "--yes", "--output", "json", "baseten:m1/deployments/dev1", "baseten:nope"],
        &["-v", "versions", "baseten:m1"],
        &["-v", "versions", "--output", "json", "replicate:alice/nope"],
        &["-v", "delete", "--dry-run", "--cascade", "replicate:alice/hello"],
    ];
    for args in runs {
        let output = fakes.run(args).await;
        let all = stdout(&output) + &stderr(&output);
        assert!(all.contains("modelhost.http") || all.contains("operation"), "-v logs requests: {all}");
        for secret in [BASETEN_KEY, REPLICATE_TOKEN, "secret"] {
            assert!(!all.contains(secret), "{args:?} printed a token: {all}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_lists_what_holds_each() {
    let fakes = Fakes::start(Duration::ZERO).await;
    fakes.replicate.add_model("alice", "hello", false, versions(3));
    fakes.replicate.add_deployment(
        "alice",
        "prod",
        FakeDeployment {
            model: ("alice".into(), "hello".into()),
            version: "v001".into(),
            release: 7,
            idle: true,
        },
    );
    let output = fakes.run(&["versions", "replicate:alice/hello"]).await;
    output.clone().assert().code(0);
    assert_eq!(
        stdout(&output),
        "VERSION  CREATED                    PRODUCTION  HELD BY\n\
         v000     2026-07-01T12:00:00+00:00  -           -\n\
         v001     2026-07-01T12:00:00+00:00  -           replicate:deployments/alice/prod (release 7)\n\
         v002     2026-07-01T12:00:00+00:00  -           -\n"
    );
    let missing = fakes.run(&["versions", "replicate:bob/private"]).await;
    missing.clone().assert().code(1);
    assert!(stderr(&missing).contains("not found"), "{}", stderr(&missing));
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_modelhost"))
            .args(["completions", shell])
            .output()
            .unwrap();
        output.clone().assert().code(0);
        assert!(stdout(&output).contains("--cascade"), "{shell}");
    }
}

/// `modelhost … | head`: the reader goes before anything is printed. Nothing panics, and the
/// exit status is still the work's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_went_away_changes_nothing_but_the_output() {
    let fakes = Fakes::start(Duration::ZERO).await;
    fakes.replicate.add_model("alice", "hello", false, versions(3));
    fakes.replicate.add_model("alice", "empty", false, Vec::new());
    let cases: [&[&str]; 5] = [
        &["versions", "replicate:alice/hello"],
        &["delete", "--yes", "replicate:alice/empty"],
        &["delete", "--yes", "--output", "json", "replicate:alice/absent"],
        &["completions", "bash"],
        &["--help"],
    ];
    for (args, code) in cases.into_iter().zip([0, 0, 1, 0, 0]) {
        let mut command = fakes.command(args);
        let output = tokio::task::spawn_blocking(move || {
            let mut child =
                command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("modelhost runs");
            drop(child.stdout.take());
            child.wait_with_output().expect("modelhost ends")
        })
        .await
        .unwrap();
        let stderr = stderr(&output);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    assert!(!fakes.replicate.has_model("alice", "empty"));
}

/// The terminal case, once, through a real pseudo-terminal: the question, then the bar.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_terminal_it_asks_then_shows_a_bar() {
    let fakes = Fakes::start(Duration::from_millis(200)).await;
    fakes.replicate.add_model("alice", "hello", false, versions(30));
    fakes.replicate.limit_rate(20);
    let mut command = fakes.command(&["delete", "--cascade", "replicate:alice/hello"]);
    command.stdin(Stdio::inherit());
    let screen = tokio::task::spawn_blocking(move || {
        let mut session = rexpect::session::spawn_command(command, Some(30_000)).expect("a pty");
        session.exp_string("Delete 1 target on replicate, with everything in its way? [y/N]").unwrap();
        session.send_line("y").unwrap();
        let (bar, _) =
            session.exp_regex(r"\d+/31 \d+ done, \d+ accepted, 0 refused, \d+ rate-limit waits").unwrap();
        let rest = session.exp_eof().unwrap();
        bar + &rest
    })
    .await
    .unwrap();
    assert!(screen.contains("1 deleted, 30 accepted"), "{screen}");
    assert!(!fakes.replicate.has_model("alice", "hello"));
}

/// Declining sends nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_terminal_no_means_nothing_is_sent() {
    let recording =
        RecordingServer::start([(Method::DELETE, "/v1/models/m1", modelhost_tests::Canned::empty(500))])
            .await;
    let mut command = command(&recording.base_url, &recording.base_url, &["delete", "baseten:m1"]);
    command.stdin(Stdio::inherit());
    let exit = tokio::task::spawn_blocking(move || {
        let mut session = rexpect::session::spawn_command(command, Some(30_000)).expect("a pty");
        session.exp_string("Delete 1 target on baseten? [y/N]").unwrap();
        session.send_line("").unwrap();
        session.exp_string("nothing was sent").unwrap();
        session.process.wait().unwrap()
    })
    .await
    .unwrap();
    assert!(matches!(exit, rexpect::process::wait::WaitStatus::Exited(_, 1)), "{exit:?}");
    assert!(recording.recorded().is_empty());
}

/// A server asking for a wait far beyond the retry policy ends the run at once (well within
/// the policy's two minutes), saying how long it asked for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_longer_than_the_policy_allows_fails_at_once_saying_how_long() {
    let limited = modelhost_tests::Canned::problem(429, "slow down").header("retry-after", "999999999");
    let recording = RecordingServer::start([(Method::DELETE, "/v1/models/m1", limited)]).await;
    let started = std::time::Instant::now();
    let output =
        run(command(&recording.base_url, &recording.base_url, &["delete", "--yes", "baseten:m1"])).await;
    assert!(started.elapsed() < Duration::from_secs(120), "it waited past the policy's max_total");
    output.clone().assert().code(1);
    assert!(
        stdout(&output)
            .contains("baseten:m1: failed: baseten: rate limited; the server asked to wait 999999999 s"),
        "{}",
        stdout(&output)
    );
    assert_eq!(recording.recorded().len(), 1, "no retry can be in time");
}

/// A tombstone that says `"deleted": false` is a refusal, in text and in JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_that_says_not_deleted_is_a_refusal() {
    let tombstone = modelhost_tests::Canned::json(200, serde_json::json!({"id": "m1", "deleted": false}));
    let recording = RecordingServer::start([(Method::DELETE, "/v1/models/m1", tombstone)]).await;
    let url = &recording.base_url;
    let output = run(command(url, url, &["delete", "--yes", "baseten:m1"])).await;
    output.clone().assert().code(1);
    assert!(stdout(&output).starts_with("baseten:m1: refused: "), "{}", stdout(&output));
    assert!(stdout(&output).contains("did not delete it"), "{}", stdout(&output));
    let output = run(command(url, url, &["delete", "--yes", "--output", "json", "baseten:m1"])).await;
    output.clone().assert().code(1);
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(document["targets"][0]["state"], "refused", "{document}");
    assert_eq!(document["targets"][0]["code"], "not_deleted", "{document}");
}

/// What a server says is shown escaped on a real terminal, and stays valid JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_text_cannot_drive_the_terminal() {
    let hostile = "\u{1b}[2K\u{1b}[1A\rbaseten:m1: deleted\u{1b}]0;pwned\u{7}";
    let refusal = modelhost_tests::Canned::json(409, serde_json::json!({"error": hostile}));
    let recording = RecordingServer::start([(Method::DELETE, "/v1/models/m1", refusal)]).await;
    let mut terminal = command(&recording.base_url, &recording.base_url, &["delete", "--yes", "baseten:m1"]);
    terminal.stdin(Stdio::inherit());
    let screen = tokio::task::spawn_blocking(move || {
        let mut session = rexpect::session::spawn_command(terminal, Some(30_000)).expect("a pty");
        session.exp_eof().unwrap()
    })
    .await
    .unwrap();
    assert!(screen.contains("baseten:m1: refused: "), "{screen:?}");
    assert!(screen.contains("\\u{1b}[2K\\u{1b}[1A\\rbaseten:m1: deleted\\u{1b}]0;pwned\\u{7}"), "{screen:?}");
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'), "raw control characters: {screen:?}");
    assert!(!screen.replace("\r\n", "\n").contains('\r'), "a raw carriage return: {screen:?}");

    let url = &recording.base_url;
    let output = run(command(url, url, &["delete", "--yes", "--output", "json", "baseten:m1"])).await;
    assert!(!output.stdout.iter().any(|b| *b == 0x1b || *b == b'\r' || *b == 0x07), "raw bytes in JSON");
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let reason = document["targets"][0]["reason"].as_str().unwrap();
    assert!(!reason.chars().any(char::is_control), "{reason:?}");
}

/// The journal of `prune.json` in `dir`: `prune.json.DIGEST.journal`, the only one there.
fn journal_of(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let journals: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".journal"))
        .collect();
    let [journal] = &journals[..] else { panic!("one journal: {journals:?}") };
    journal.clone()
}

/// How many whole lines the journal of `prune.json` in `dir` has, after checking that each
/// is JSON (a torn last line, from a process killed while writing it, is not whole).
fn whole_journal_lines(dir: &tempfile::TempDir, when: &str) -> usize {
    let journal = std::fs::read_to_string(journal_of(dir)).unwrap();
    let whole = journal.lines().count() - usize::from(!journal.ends_with('\n'));
    for line in journal.lines().take(whole) {
        serde_json::from_str::<serde_json::Value>(line).unwrap_or_else(|e| panic!("{when}: {e}: {line}"));
    }
    whole
}

/// Baseten's `m1` with a production deployment and `old` ones created a month apart (the
/// newest last), and Replicate's `alice/hello` with three versions.
fn clean_up_world(fakes: &Fakes, old: usize) {
    let mut deployments = vec![Deployment {
        is_production: true,
        created_at: "2026-01-01T12:00:00Z".into(),
        ..Deployment::new("prod")
    }];
    deployments.extend((0..old).map(|i| Deployment {
        created_at: format!("2026-02-01T12:{:02}:{:02}Z", i / 60, i % 60),
        status: if i % 2 == 0 { "BUILD_FAILED".into() } else { "INACTIVE".into() },
        ..Deployment::new(&format!("d{i:03}"))
    }));
    fakes.baseten.add_model_with("ws", "m1", deployments);
    let versions = ["07-01", "07-02", "07-03"]
        .iter()
        .enumerate()
        .map(|(i, day)| FakeVersion::new(format!("v{i}")).created(&format!("2026-{day}T12:00:00Z")));
    fakes.replicate.add_model("alice", "hello", false, versions.collect());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_plans_with_reads_only_and_apply_does_exactly_the_plan_once() {
    let fakes = Fakes::start(Duration::ZERO).await;
    clean_up_world(&fakes, 3);
    let dir = tempfile::tempdir().unwrap();
    let prune = ["prune", "baseten:*", "replicate:alice/hello", "--keep-last", "1", "--plan", "prune.json"];
    let output = run(fakes.command_in(&dir, &prune)).await;
    output.clone().assert().code(0);
    let digest = digest_of(&dir.path().join("prune.json"));
    assert_eq!(
        stdout(&output).replace(&digest[..12], "DIGEST"),
        "baseten:m1\n  \
           DELETE baseten:m1/deployments/d000 (created 2026-02-01T12:00:00+00:00, BUILD_FAILED): saves $0/h: no replica is kept up\n  \
           DELETE baseten:m1/deployments/d001 (created 2026-02-01T12:00:01+00:00, INACTIVE): saves $0/h: already inactive\n\
         replicate:alice/hello\n  \
           DELETE replicate:alice/hello/versions/v0 (created 2026-07-01T12:00:00+00:00): saves $0/h: it costs nothing while it stands\n  \
           DELETE replicate:alice/hello/versions/v1 (created 2026-07-02T12:00:00+00:00): saves $0/h: it costs nothing while it stands\n\
         kept:\n  \
           baseten:m1/deployments/d002: among the 1 newest\n  \
           baseten:m1/deployments/prod: the production deployment\n  \
           replicate:alice/hello/versions/v2: the model's latest version, which the policy does not include\n\
         baseten: 2 to delete (saves $0/h), 2 kept; replicate: 2 to delete (saves $0/h), 1 kept\n\
         plan DIGEST written to prune.json; review it with `modelhost show prune.json`, apply it with `modelhost apply prune.json`\n"
    );
    let reads_only = |what: &str| {
        assert_eq!(
            (fakes.baseten.gate.changes(), fakes.replicate.gate.changes()),
            (vec![], vec![]),
            "{what} sent only reads"
        );
    };
    reads_only("prune");
    assert!(fakes.baseten.deployment("m1", "d000").is_some(), "prune sent no change");
    let without_yes = run(fakes.command_in(&dir, &["apply", "prune.json"])).await;
    assert_refused_with_2(&without_yes, "pass --yes");
    reads_only("an apply without confirmation");
    assert!(
        !dir.path().join(format!("prune.json.{}.journal", &digest[..12])).exists(),
        "no journal before the question"
    );
    let apply = || fakes.command_in(&dir, &["apply", "--yes", "prune.json"]);
    let output = run(apply()).await;
    output.clone().assert().code(0);
    let text = stdout(&output);
    let mut lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.pop(), Some("2 deleted, 2 accepted"), "{text}");
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "baseten:m1/deployments/d000: deleted",
            "baseten:m1/deployments/d001: deleted",
            "replicate:alice/hello/versions/v0: accepted",
            "replicate:alice/hello/versions/v1: accepted",
        ]
    );
    assert!(
        fakes.baseten.deployment("m1", "d000").is_none() && fakes.baseten.deployment("m1", "d002").is_some()
    );
    assert!(fakes.baseten.deployment("m1", "prod").is_some());
    let again = run(apply()).await;
    again.clone().assert().code(0);
    assert_eq!(
        stdout(&again),
        format!(
            "4 already done by an earlier apply (see prune.json.{}.journal)\nnothing to do\n",
            &digest[..12]
        )
    );
    assert_eq!(fakes.baseten.deletes("m1", "d000"), 1, "not sent again");
    let json = run(fakes.command_in(&dir, &["apply", "--yes", "--output", "json", "prune.json"])).await;
    let document: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON document");
    assert_eq!((document["layout"].as_u64(), document["already_done"].as_u64()), (Some(1), Some(4)));
    let plan = run(fakes.command_in(&dir, &["prune", "baseten:m1", "--output", "json"])).await;
    let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).expect("the plan document");
    assert_eq!(plan["format"], 3);
}

/// A plan, `prune.json` in the folder returned, of 39 deletes after a listing, against
/// fakes that answer 10 requests a second (about 4 s to apply).
async fn a_slow_plan() -> (Fakes, tempfile::TempDir) {
    let fakes = Fakes::start(Duration::ZERO).await;
    clean_up_world(&fakes, 40);
    fakes.baseten.limit_rate(10);
    let dir = tempfile::tempdir().unwrap();
    run(fakes.command_in(&dir, &["prune", "baseten:m1", "--plan", "prune.json"])).await.assert().code(0);
    (fakes, dir)
}

/// The digest the plan at `path` carries.
fn digest_of(path: &std::path::Path) -> String {
    let plan: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    plan["digest"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apply_killed_at_random_points_resumes_to_exactly_the_plan() {
    let (fakes, dir) = a_slow_plan().await;
    let in_dir = |args: &[&str]| fakes.command_in(&dir, args);
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    for kill in 0..3u32 {
        let mut child = in_dir(&["apply", "--yes", "--concurrency", "2", "prune.json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let after = Duration::from_millis(300 + u64::from((seed >> (kill * 3)) % 900));
        tokio::time::sleep(after).await;
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        whole_journal_lines(&dir, &format!("kill {kill}"));
    }
    let output = run(in_dir(&["apply", "--yes", "prune.json"])).await;
    output.clone().assert().code(0);
    for i in 0..39 {
        let id = format!("d{i:03}");
        assert!(fakes.baseten.deployment("m1", &id).is_none(), "{id} planned, still there");
        assert_eq!(fakes.baseten.deletes("m1", &id), 1, "{id} deleted once, whatever the kills");
    }
    assert!(
        fakes.baseten.deployment("m1", "d039").is_some() && fakes.baseten.deployment("m1", "prod").is_some()
    );
    assert_eq!(
        fakes.baseten.deletes("m1", "d039") + fakes.baseten.deletes("m1", "prod"),
        0,
        "nothing outside the plan"
    );
    let journal = std::fs::read_to_string(journal_of(&dir)).unwrap();
    let records: Vec<serde_json::Value> =
        journal.lines().skip(1).map(|l| serde_json::from_str(l).unwrap()).collect();
    for i in 0..39 {
        let reference = format!("baseten:m1/deployments/d{i:03}");
        let finals = records
            .iter()
            .filter(|r| {
                r["reference"] == reference.as_str()
                    && !["failed", "started"].contains(&r["state"].as_str().unwrap())
            })
            .count();
        assert_eq!(finals, 1, "{reference}: one final outcome in the journal");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_lets_actions_in_flight_finish_and_a_second_exits_at_once() {
    let (fakes, dir) = a_slow_plan().await;
    let in_dir = |args: &[&str]| fakes.command_in(&dir, args);
    for presses in [1, 2] {
        let mut command = in_dir(&["apply", "prune.json"]);
        command.stdin(Stdio::inherit());
        let (screen, status) = tokio::task::spawn_blocking(move || {
            let mut session = rexpect::session::spawn_command(command, Some(30_000)).expect("a pty");
            // The second time, the question counts only what the first left to do.
            let left = if presses == 1 {
                "39 targets on baseten"
            } else {
                r"\d+ targets on baseten \(\d+ ended in an earlier apply\)"
            };
            let question = format!(r"Apply the plan [0-9a-f]{{12}}: delete {left}, saving \$0/h\? \[y/N\]");
            session.exp_regex(&question).unwrap();
            session.send_line("y").unwrap();
            session.exp_regex(r"\d+/\d+ [1-9]\d* done").unwrap();
            session.send_control('c').unwrap();
            let (stopping, _) = session.exp_regex("stopping: no new actions[^\n]*").unwrap();
            if presses == 2 {
                session.send_control('c').unwrap();
            }
            let rest = session.exp_eof().unwrap();
            (stopping + &rest, session.process.wait().unwrap())
        })
        .await
        .unwrap();
        assert!(
            matches!(status, rexpect::process::wait::WaitStatus::Exited(_, 130)),
            "{presses}: {status:?}: {screen}"
        );
        if presses == 1 {
            assert!(screen.contains("not started: interrupted; apply the plan again to go on"), "{screen}");
        } else {
            assert!(screen.contains("exiting now; apply the plan again to resume"), "{screen}");
        }
        assert!(whole_journal_lines(&dir, &format!("{presses} Ctrl-C")) >= 2, "something was journaled");
    }
    let output = run(in_dir(&["apply", "--yes", "prune.json"])).await;
    output.clone().assert().code(0);
    assert!(stdout(&output).contains("already done by an earlier apply"), "{}", stdout(&output));
    assert!((0..39).all(|i| fakes.baseten.deletes("m1", &format!("d{i:03}")) == 1));
}

/// `command` with `change` made to it.
fn with(
    mut command: std::process::Command,
    change: impl FnOnce(&mut std::process::Command),
) -> std::process::Command {
    change(&mut command);
    command
}

/// Lines of `text` that appear more than once.
fn repeated_lines(text: &str) -> Vec<&str> {
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for line in text.lines() {
        *seen.entry(line).or_default() += 1;
    }
    seen.into_iter().filter(|(_, n)| *n > 1).map(|(l, _)| l).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_run_works_on_day_two_and_applies_only_the_reviewed_plan() {
    let fakes = Fakes::start(Duration::ZERO).await;
    clean_up_world(&fakes, 3);
    let dir = tempfile::tempdir().unwrap();
    let in_dir = |args: &[&str]| fakes.command_in(&dir, args);
    let prune = ["prune", "baseten:m1", "--keep-last", "1", "--plan", "daily.json"];
    run(in_dir(&prune)).await.assert().code(0);
    let day1 = digest_of(&dir.path().join("daily.json"));
    // Day 1: stdout and stderr share one pipe, as under cron: every outcome line once.
    let shared = tempfile::NamedTempFile::new_in(dir.path()).unwrap();
    let mut apply = in_dir(&["apply", "--yes", "--expect-digest", &day1, "daily.json"]);
    apply.stdout(shared.reopen().unwrap()).stderr(shared.reopen().unwrap());
    run(apply).await.assert().code(0);
    let both = std::fs::read_to_string(shared.path()).unwrap();
    assert!(both.contains("baseten:m1/deployments/d000: deleted"), "{both}");
    assert_eq!(repeated_lines(&both), Vec::<&str>::new(), "{both}");
    // Day 2: two new deployments; the same command line plans and applies again.
    fakes.baseten.add_model_with(
        "ws",
        "m1",
        ["prod", "d002", "d100", "d101"]
            .iter()
            .enumerate()
            .map(|(i, id)| Deployment {
                is_production: *id == "prod",
                created_at: format!("2026-0{}-01T12:00:00Z", i + 1),
                ..Deployment::new(id)
            })
            .collect(),
    );
    run(in_dir(&prune)).await.assert().code(0);
    let day2 = digest_of(&dir.path().join("daily.json"));
    assert_ne!(day1, day2);
    // The day-1 digest no longer names what is in the file: refused, nothing sent at all.
    fakes.baseten.gate.clear();
    let stale = run(in_dir(&["apply", "--yes", "--expect-digest", &day1, "daily.json"])).await;
    assert_refused_with_2(&stale, &format!("not the {day1} that was reviewed"));
    assert_eq!(fakes.baseten.gate.log(), vec![], "refused before any request");
    let output = run(in_dir(&["apply", "--yes", "--expect-digest", &day2, "daily.json"])).await;
    output.clone().assert().code(0);
    assert_eq!(stdout(&output).lines().last(), Some("2 deleted"), "{}", stdout(&output));
    // Both days' journals are there, each named by its plan's digest.
    for digest in [&day1, &day2] {
        assert!(dir.path().join(format!("daily.json.{}.journal", &digest[..12])).exists());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_plan_or_another_accounts_token_is_refused_before_anything_is_sent() {
    let fakes = Fakes::start(Duration::ZERO).await;
    clean_up_world(&fakes, 3);
    let dir = tempfile::tempdir().unwrap();
    run(fakes.command_in(&dir, &["prune", "baseten:m1", "--plan", "p.json"])).await.assert().code(0);
    let path = dir.path().join("p.json");
    let original = std::fs::read_to_string(&path).unwrap();
    // The newest deployment, kept by the policy, added by hand.
    let edited = original.replacen(
        "\"reference\": \"baseten:m1/deployments/d000\"",
        "\"reference\": \"baseten:m1/deployments/d002\"",
        1,
    );
    assert_ne!(edited, original);
    std::fs::write(&path, &edited).unwrap();
    fakes.baseten.gate.clear();
    let output = run(fakes.command_in(&dir, &["apply", "--yes", "p.json"])).await;
    assert_refused_with_2(&output, "does not match its digest");
    assert_eq!(fakes.baseten.gate.log(), vec![], "refused before any request");
    // Another workspace's key: the account is read, and nothing else.
    std::fs::write(&path, &original).unwrap();
    fakes.baseten.add_key("other-key", "other");
    let output = run(with(fakes.command_in(&dir, &["apply", "--yes", "p.json"]), |c| {
        c.env("BASETEN_API_KEY", "other-key");
    }))
    .await;
    assert_refused_with_2(&output, "the plan was made for baseten workspace `ws`");
    assert!(stderr(&output).contains("the token is for baseten workspace `other`"), "{}", stderr(&output));
    assert!(!stderr(&output).contains("other-key"), "no credential printed");
    let paths: Vec<String> = fakes.baseten.gate.log().into_iter().map(|(m, p)| format!("{m} {p}")).collect();
    assert_eq!(paths, ["GET /v1/users/me"]);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no journal was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_that_expires_mid_way_stops_the_apply_and_a_fixed_one_finishes_it() {
    let fakes = Fakes::start(Duration::ZERO).await;
    clean_up_world(&fakes, 5);
    let dir = tempfile::tempdir().unwrap();
    run(fakes.command_in(&dir, &["prune", "baseten:m1", "--plan", "p.json"])).await.assert().code(0);
    // Good for the account, the listing and two deletes.
    fakes.baseten.gate.expire_after(BASETEN_KEY, 4);
    let first = run(fakes.command_in(&dir, &["apply", "--yes", "--concurrency", "1", "p.json"])).await;
    first.clone().assert().code(1);
    let text = stdout(&first);
    assert!(
        text.contains("baseten:m1/deployments/d002: failed: baseten: the API token was refused (HTTP 401)"),
        "{text}"
    );
    assert!(
        text.contains("1 not started: a credential was refused; apply the plan again to go on"),
        "{text}"
    );
    assert!(
        stderr(&first).contains(
            "error: baseten refused the credential in BASETEN_API_KEY: fix it and apply the plan again"
        ),
        "{}",
        stderr(&first)
    );
    assert_eq!(fakes.baseten.deletes("m1", "d003"), 0);
    fakes.baseten.gate.expire_after(BASETEN_KEY, usize::MAX);
    // One at a time, like the first: two deletes in flight may end in either order.
    let second = run(fakes.command_in(&dir, &["apply", "--yes", "--concurrency", "1", "p.json"])).await;
    second.clone().assert().code(0);
    assert!(stdout(&second).starts_with("baseten:m1/deployments/d002: deleted\n"), "{}", stdout(&second));
    assert!(stdout(&second).contains("2 already done by an earlier apply"), "{}", stdout(&second));
    assert!((0..4).all(|i| fakes.baseten.deployment("m1", &format!("d{i:03}")).is_none()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_in_a_read_only_place_applies_with_its_journal_elsewhere() {
    let fakes = Fakes::start(Duration::ZERO).await;
    clean_up_world(&fakes, 2);
    let plans = tempfile::tempdir().unwrap();
    run(fakes.command_in(&plans, &["prune", "baseten:m1", "--plan", "p.json"])).await.assert().code(0);
    let before: Vec<_> = std::fs::read_dir(plans.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    let state = tempfile::tempdir().unwrap();
    let journal = state.path().join("p.journal");
    let plan = plans.path().join("p.json");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(plans.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let apply = ["apply", "--yes", "--journal", journal.to_str().unwrap(), plan.to_str().unwrap()];
    let output = run(fakes.command(&apply)).await;
    std::fs::set_permissions(plans.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    output.clone().assert().code(0);
    assert!(journal.exists());
    let after: Vec<_> = std::fs::read_dir(plans.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(
        before, after,
        "nothing written beside the plan (root may write there, so this is what tells)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_refuses_what_it_cannot_finish_before_listing() {
    let fakes = Fakes::start(Duration::ZERO).await;
    clean_up_world(&fakes, 2);
    let dir = tempfile::tempdir().unwrap();
    let output = run(fakes.command_in(&dir, &["prune", "baseten:m1", "--plan", "no/such/dir/p.json"])).await;
    assert_refused_with_2(&output, "cannot write the plan to no/such/dir/p.json");
    assert_eq!((fakes.baseten.gate.log(), fakes.replicate.gate.log()), (vec![], vec![]), "nothing listed");
    let output = run(fakes.command_in(
        &dir,
        &["prune", "replicate:alice/gone", "baseten:nope", "replicate:alice/hello", "--plan", "p.json"],
    ))
    .await;
    assert_refused_with_2(
        &output,
        "these models are not found (or not visible to the token): baseten:nope, replicate:alice/gone",
    );
    assert!(!dir.path().join("p.json").exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no temporary file left behind");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_reads_only_the_variables_of_the_providers_it_touches() {
    let fakes = Fakes::start(Duration::ZERO).await;
    fakes.replicate.add_model("alice", "a", false, versions(1));
    let output = run(with(fakes.command(&["versions", "replicate:alice/a"]), |c| {
        c.env("BASETEN_API_KEY", "bad\n");
    }))
    .await;
    output.clone().assert().code(0);
    let output = run(with(fakes.command(&["versions", "baseten:m1"]), |c| {
        c.env("BASETEN_API_KEY", "bad\n");
    }))
    .await;
    assert_refused_with_2(&output, "BASETEN_API_KEY is set but not usable");
    let output = run(with(fakes.command(&["versions", "baseten:m1"]), |c| {
        c.env_remove("BASETEN_API_KEY");
    }))
    .await;
    assert_refused_with_2(&output, "BASETEN_API_KEY is not set");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn show_renders_a_plan_for_review() {
    let fakes = Fakes::start(Duration::ZERO).await;
    clean_up_world(&fakes, 3);
    let dir = tempfile::tempdir().unwrap();
    let prune = [
        "prune",
        "baseten:*",
        "replicate:alice/hello",
        "--older-than",
        "30d",
        "--keep-label",
        "team=search",
        "--plan",
        "p.json",
    ];
    run(fakes.command_in(&dir, &prune)).await.assert().code(0);
    let digest = digest_of(&dir.path().join("p.json"));
    fakes.baseten.gate.clear();
    fakes.replicate.gate.clear();
    let text = run(fakes.command_in(&dir, &["show", "p.json"])).await;
    text.clone().assert().code(0);
    let text = stdout(&text);
    assert!(text.starts_with(&format!("plan {}\n  digest    {digest}\n", &digest[..12])), "{text}");
    assert!(text.contains("  policy    keep each model's newest version; only versions older than 30 days; keep deployments labelled team=search; delete\n"), "{text}");
    assert!(
        text.contains(&format!(
            "  accounts  baseten workspace `ws` at {}; replicate account `alice` at {}",
            fakes.baseten.base_url, fakes.replicate.base_url
        )),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(
            "apply exactly this plan: modelhost apply --expect-digest {digest} p.json\n"
        )),
        "{text}"
    );
    let md = stdout(&run(fakes.command_in(&dir, &["show", "--output", "markdown", "p.json"])).await);
    assert!(md.starts_with(&format!("### Clean-up plan `{}`\n", &digest[..12])), "{md}");
    assert!(
        md.contains("| delete | `baseten:m1/deployments/d000` | 2026-02-01T12:00:00+00:00 | BUILD\\_FAILED | saves $0/h |"),
        "{md}"
    );
    assert!(md.contains("<details><summary>Kept: "), "{md}");
    assert!(md.contains(&format!("modelhost apply --expect-digest {digest} p.json")), "{md}");
    assert_eq!(
        (fakes.baseten.gate.log(), fakes.replicate.gate.log()),
        (vec![], vec![]),
        "show sends nothing"
    );
    std::fs::write(
        dir.path().join("p.json"),
        std::fs::read_to_string(dir.path().join("p.json")).unwrap().replace("d000", "d002"),
    )
    .unwrap();
    assert_refused_with_2(
        &run(fakes.command_in(&dir, &["show", "p.json"])).await,
        "does not match its digest",
    );
}
