//! `modelhost prune` and `modelhost apply`: a clean-up by rule, planned with reads only,
//! reviewed, then applied exactly, journaled and resumable.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use modelhost::cleanup::{self, ApplyError, ApplyOptions, Journal, Plan};
use modelhost::{Error, Provider};
use serde::Serialize;

use crate::args::{ApplyArgs, Output, PruneArgs};
use crate::confirm::{self, Answer};
use crate::outcome::{Hints, Outcome};
use crate::progress::{Mode, Progress};
use crate::render::{self, Summary};
use crate::run::{NOT_ALL_DONE, SUCCESS, USAGE, configured, report};

/// Exit status of an apply stopped by Ctrl-C.
const INTERRUPTED: u8 = 130;

/// `modelhost prune`: prints the plan and, with `--plan FILE`, writes it.
pub async fn prune(args: PruneArgs) -> u8 {
    let providers: BTreeSet<Provider> = args.selectors.iter().map(cleanup::Selector::provider).collect();
    let progress = Arc::new(Progress::new(Mode::Quiet, 0, Hints::default()));
    let hosts = match configured(&providers.into_iter().collect::<Vec<_>>(), &progress) {
        Ok(hosts) => hosts,
        Err(code) => return code,
    };
    let plan = match cleanup::plan(&hosts, &args.selectors, &args.policy(), chrono::Utc::now()).await {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("error: cannot make the plan: {e}");
            return if matches!(e, Error::Unsupported { .. }) { USAGE } else { NOT_ALL_DONE };
        }
    };
    if let Some(path) = &args.plan
        && let Err(e) = write_whole(path, &plan.to_json())
    {
        eprintln!("error: cannot write the plan to {}: {e}", path.display());
        return NOT_ALL_DONE;
    }
    let text = match args.output {
        Output::Json => plan.to_json(),
        Output::Text => {
            let next = match &args.plan {
                Some(path) => {
                    format!("plan written to {0}; apply it with `modelhost apply {0}`\n", path.display())
                }
                None => "nothing was sent; write the plan with --plan FILE to apply it\n".to_owned(),
            };
            format!("{plan}{next}")
        }
    };
    report(text.as_bytes(), SUCCESS)
}

/// Writes `text` to `path` through a temporary file beside it: never half-written.
fn write_whole(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map(drop).map_err(|e| e.error)
}

/// `modelhost apply FILE`.
pub async fn apply(args: ApplyArgs) -> u8 {
    let plan = match std::fs::File::open(&args.plan)
        .map_err(|e| e.to_string())
        .and_then(|file| Plan::read(file).map_err(|e| e.to_string()))
    {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("error: {}: {e}", args.plan.display());
            return USAGE;
        }
    };
    let journal_path = journal_path(&args.plan);
    let mut journal = match Journal::open(&journal_path, &plan) {
        Ok(journal) => journal,
        Err(e) => {
            eprintln!("error: {e}");
            return USAGE;
        }
    };
    let counts = plan.counts();
    let mode = match args.output {
        Output::Json => Mode::Quiet,
        Output::Text if std::io::stderr().is_terminal() => Mode::Bar,
        Output::Text => Mode::Lines,
    };
    let to_do =
        plan.targets.iter().filter(|t| !journal.last(&t.reference).is_some_and(|o| o.is_final())).count();
    let progress = Arc::new(Progress::new(mode, to_do, Hints::default()));
    let hosts = match configured(&counts.keys().copied().collect::<Vec<_>>(), &progress) {
        Ok(hosts) => hosts,
        Err(code) => return code,
    };
    if !args.yes {
        match confirm::ask(&question(&plan)) {
            Ok(Answer::Yes) => {}
            Ok(Answer::No) => {
                eprintln!("nothing was sent");
                return NOT_ALL_DONE;
            }
            Ok(Answer::NoTerminal) => {
                eprintln!(
                    "error: refusing to apply without confirmation: stdin is not a terminal; pass --yes"
                );
                return USAGE;
            }
            Err(e) => {
                eprintln!("error: cannot read the confirmation: {e}");
                return USAGE;
            }
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    tokio::spawn(interrupts(Arc::clone(&stop)));
    let told = Arc::clone(&progress);
    let options = ApplyOptions {
        concurrency: usize::from(args.concurrency),
        max_age: args.max_age,
        stop: Arc::clone(&stop),
        on_outcome: Some(Arc::new(move |record| told.finished(&Outcome::of_record(record)))),
    };
    progress.start();
    let applied = cleanup::apply(&hosts, &plan, &mut journal, &options, chrono::Utc::now()).await;
    progress.finish();
    let done = match applied {
        Ok(report) => report,
        Err(e @ ApplyError::TooOld { .. }) => {
            eprintln!("error: {e} (--max-age)");
            return USAGE;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return NOT_ALL_DONE;
        }
    };
    let outcomes: Vec<Outcome> = done.outcomes.iter().map(Outcome::of_record).collect();
    let stopped = stop.load(Ordering::SeqCst);
    let text = applied_text(args.output, &args.plan, &journal_path, &done, &outcomes);
    let status = if stopped {
        INTERRUPTED
    } else if done.all_done(&journal, &plan) {
        SUCCESS
    } else {
        NOT_ALL_DONE
    };
    report(text.as_bytes(), status)
}

/// What `apply` prints: a line per outcome of this run, what an earlier run did or this one
/// did not start, and the counts; or the JSON document.
fn applied_text(
    output: Output,
    plan: &Path,
    journal: &Path,
    done: &cleanup::ApplyReport,
    outcomes: &[Outcome],
) -> String {
    match output {
        Output::Json => render::json(&ApplyDocument {
            layout: 1,
            plan,
            journal,
            already_done: done.already_done,
            not_started: done.not_started,
            targets: outcomes,
            summary: Summary::of(outcomes),
        }),
        Output::Text => {
            let mut text = String::new();
            for outcome in outcomes {
                text += &render::outcome_line(outcome);
                text.push('\n');
            }
            if done.already_done > 0 {
                text += &format!(
                    "{} already done by an earlier apply (see {})\n",
                    done.already_done,
                    journal.display()
                );
            }
            if done.not_started > 0 {
                text += &format!(
                    "{} not started: interrupted; apply the plan again to resume\n",
                    done.not_started
                );
            }
            text += &format!("{}\n", Summary::of(outcomes));
            text
        }
    }
}

/// `FILE.journal`, beside the plan.
fn journal_path(plan: &Path) -> PathBuf {
    let mut name = plan.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

/// `Apply the plan: delete 12 versions on baseten and 3 on replicate?`
fn question(plan: &Plan) -> String {
    let verb = if plan.policy.deactivate { "deactivate" } else { "delete" };
    let parts: Vec<String> = plan
        .counts()
        .iter()
        .map(|(p, n)| format!("{n} {} on {p}", if *n == 1 { "version" } else { "versions" }))
        .collect();
    if parts.is_empty() {
        return "Apply the plan (it has nothing to do)?".to_owned();
    }
    format!("Apply the plan: {verb} {}?", parts.join(" and "))
}

/// The first Ctrl-C stops new actions; the second exits at once (the journal stays valid:
/// every line is written whole or is a torn last line, ignored on resume).
async fn interrupts(stop: Arc<AtomicBool>) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    stop.store(true, Ordering::SeqCst);
    eprintln!("\nstopping: no new actions; waiting for those in flight (Ctrl-C again to exit now)");
    if tokio::signal::ctrl_c().await.is_ok() {
        eprintln!("exiting now; apply the plan again to resume");
        std::process::exit(i32::from(INTERRUPTED));
    }
}

/// `modelhost apply --output json`.
#[derive(Debug, Serialize)]
struct ApplyDocument<'a> {
    layout: u32,
    plan: &'a Path,
    journal: &'a Path,
    already_done: usize,
    not_started: usize,
    targets: &'a [Outcome],
    summary: Summary,
}
