//! `modelhost prune` and `modelhost apply`: a clean-up by rule, planned with reads only,
//! reviewed, then applied exactly, journaled and resumable.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use modelhost::cleanup::{self, ApplyError, ApplyOptions, Journal, Plan};
use modelhost::{Error, Provider};

use crate::applied::Applied;
use crate::args::{ApplyArgs, Output, PruneArgs};
use crate::confirm::{self, Answer};
use crate::outcome::Hints;
use crate::progress::{Mode, Progress};
use crate::run::{self, NOT_ALL_DONE, SUCCESS, USAGE, configured, settle};

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
        && let Err(e) = write_whole(path, |file| plan.write_json(file))
    {
        eprintln!("error: cannot write the plan to {}: {e}", path.display());
        return NOT_ALL_DONE;
    }
    let written = run::print(|out| match args.output {
        Output::Json => plan.write_json(out),
        Output::Text => {
            write!(out, "{plan}")?;
            match &args.plan {
                Some(path) => {
                    writeln!(out, "plan written to {0}; apply it with `modelhost apply {0}`", path.display())
                }
                None => writeln!(out, "nothing was sent; write the plan with --plan FILE to apply it"),
            }
        }
    });
    settle(written, SUCCESS)
}

/// Writes what `write` writes to `path` through a temporary file beside it: never
/// half-written.
fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir)?;
    let mut out = std::io::BufWriter::new(tmp.as_file());
    write(&mut out)?;
    out.flush()?;
    drop(out);
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
        (0..plan.targets.len()).filter(|place| !journal.last(*place).is_some_and(|o| o.is_final())).count();
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
    let stdout: Box<dyn Write + Send> = if std::io::stdout().is_terminal() {
        Box::new(std::io::stdout())
    } else {
        Box::new(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()))
    };
    let already_done = plan.targets.len() - to_do;
    let report = Arc::new(Applied::start(args.output, stdout, &args.plan, &journal_path, already_done));
    let (told, shown) = (Arc::clone(&report), Arc::clone(&progress));
    let options = ApplyOptions {
        concurrency: usize::from(args.concurrency),
        max_age: args.max_age,
        stop: Arc::clone(&stop),
        on_outcome: Some(Arc::new(move |record| told.record(record, &shown))),
    };
    progress.start();
    let applied = cleanup::apply(&hosts, &plan, &mut journal, &options, chrono::Utc::now()).await;
    progress.finish();
    drop(options);
    let done = match applied {
        Ok(report) => report,
        Err(e @ ApplyError::TooOld { .. }) => {
            eprintln!("error: {e} (--max-age)");
            return USAGE;
        }
        Err(e) => {
            // The journal failed mid-run: what was reported so far still ends as a whole document.
            eprintln!("error: {e}");
            let report = Arc::into_inner(report).expect("the apply no longer tells of outcomes");
            let not_started = to_do.saturating_sub(report.written());
            return settle(report.finish(not_started), NOT_ALL_DONE);
        }
    };
    let status = if stop.load(Ordering::SeqCst) {
        INTERRUPTED
    } else if done.all_done(&journal, &plan) {
        SUCCESS
    } else {
        NOT_ALL_DONE
    };
    let report = Arc::into_inner(report).expect("the apply no longer tells of outcomes");
    settle(report.finish(done.not_started), status)
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
