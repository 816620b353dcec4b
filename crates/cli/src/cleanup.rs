//! `modelhost prune` and `modelhost apply`: a clean-up by rule, planned with reads only,
//! reviewed, then applied exactly, journaled and resumable.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use modelhost::cleanup::{self, ApplyError, ApplyOptions, ApplyReport, Halt, Journal, Plan, PlanningError};
use modelhost::{Error, Provider};

use crate::applied::{Applied, Ending};
use crate::args::{ApplyArgs, Output, PruneArgs};
use crate::confirm;
use crate::outcome::Hints;
use crate::progress::{Mode, Progress};
use crate::report::{self, CliError, INTERRUPTED, NOT_ALL_DONE, SUCCESS};
use crate::run::configured;

/// `modelhost prune`: prints the plan and, with `--plan FILE`, writes it.
pub async fn prune(args: PruneArgs) -> Result<ExitCode, CliError> {
    // The plan's place is checked before anything is listed: a plan that cannot be written
    // costs no listing.
    let cannot_write =
        |path: &Path, e: std::io::Error| format!("cannot write the plan to {}: {e}", path.display());
    let place = args.plan.as_deref().map(PlanFile::beside).transpose();
    let place = place.map_err(|(path, e)| CliError::Usage(cannot_write(&path, e)))?;
    let rules = args.rules().map_err(CliError::Usage)?;
    let prices = crate::costs::prices(args.prices.as_deref())?;
    let providers: BTreeSet<Provider> =
        rules.rules.iter().flat_map(|r| &r.selectors).map(cleanup::Selector::provider).collect();
    let progress = Arc::new(Progress::new(Mode::Quiet, 0, Hints::default()));
    let hosts = configured(&providers.into_iter().collect::<Vec<_>>(), &progress)?;
    let plan = cleanup::plan_by(&hosts, &rules, &prices, chrono::Utc::now()).await.map_err(|e| {
        let message = format!("cannot make the plan: {e}");
        match e {
            PlanningError::Missing(_)
            | PlanningError::OtherAccount { .. }
            | PlanningError::Facade(Error::Unsupported { .. }) => CliError::Usage(message),
            _ => CliError::Failed(message),
        }
    })?;
    if let (Some(place), Some(path)) = (place, &args.plan) {
        place.write(|file| plan.write_json(file)).map_err(|e| CliError::Failed(cannot_write(path, e)))?;
    }
    let written = report::print(|out| match args.output {
        Output::Json => plan.write_json(out),
        Output::Text => {
            write!(out, "{plan}")?;
            match &args.plan {
                Some(path) => writeln!(
                    out,
                    "plan {} written to {1}; review it with `modelhost show {1}`, apply it with `modelhost apply {1}`",
                    plan.short_digest(),
                    path.display()
                ),
                None => writeln!(out, "nothing was sent; write the plan with --plan FILE to apply it"),
            }
        }
    });
    Ok(report::settle(written, SUCCESS))
}

/// A plan file being written: a temporary file beside it, renamed into place whole.
struct PlanFile {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
}

impl PlanFile {
    /// The temporary file beside `path`; an error names `path` (not the temporary file).
    fn beside(path: &Path) -> Result<Self, (PathBuf, std::io::Error)> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        match tempfile::NamedTempFile::new_in(dir) {
            Ok(tmp) => Ok(Self { path: path.to_owned(), tmp }),
            Err(e) => Err((path.to_owned(), e)),
        }
    }

    /// Writes what `write` writes, syncs it, renames it into place and syncs the directory:
    /// never half-written, and there after a crash.
    fn write(
        self,
        write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(self.tmp.as_file());
        write(&mut out)?;
        out.flush()?;
        drop(out);
        self.tmp.as_file().sync_all()?;
        self.tmp.persist(&self.path).map_err(|e| e.error)?;
        cleanup::sync_parent(&self.path)
    }
}

/// Reads and checks the plan at `path`, and that it is the one reviewed (`expected`): the
/// message says what is wrong, naming the file.
pub fn read_plan(path: &Path, expected: Option<&str>) -> Result<Plan, String> {
    let plan = std::fs::File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|file| Plan::read(file).map_err(|e| e.to_string()))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if let Some(expected) = expected {
        plan.check_reviewed(expected).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(plan)
}

/// `modelhost apply FILE`, in steps: the plan and its journal are read, the hosts and the
/// plan checked, the question asked, the journal opened, the plan run, the outcome reported.
pub async fn apply(args: ApplyArgs) -> Result<ExitCode, CliError> {
    let plan = read_plan(&args.plan, args.expect_digest.as_deref()).map_err(CliError::nothing_sent)?;
    let journal_path = args.journal.clone().unwrap_or_else(|| journal_path(&args.plan, &plan));
    let earlier = Journal::outcomes(&journal_path, &plan).map_err(CliError::nothing_sent)?;
    let left: Vec<&cleanup::Planned> = plan
        .targets
        .iter()
        .zip(&earlier)
        .filter(|(_, outcome)| !outcome.is_some_and(|o| o.is_final()))
        .map(|(target, _)| target)
        .collect();
    // The outcomes are stdout's lines: stderr shows only the waits, so a shared pipe has
    // each line once.
    let mode = Mode::for_output(args.output, false, Mode::Waits);
    let progress = Arc::new(Progress::new(mode, left.len(), Hints::default()));
    let providers: Vec<Provider> = plan.counts().into_keys().collect();
    let hosts = configured(&providers, &progress)?;
    let report =
        Arc::new(Applied::start(args.output, Box::new(std::io::stdout()), &args.plan, &journal_path, &plan));
    let (told, shown) = (Arc::clone(&report), Arc::clone(&progress));
    let stop = Arc::new(AtomicBool::new(false));
    let options = ApplyOptions {
        concurrency: usize::from(args.concurrency),
        max_age: args.max_age,
        max_actions: args.max_actions,
        stop: Arc::clone(&stop),
        on_outcome: Some(Arc::new(move |record| told.record(record, &shown))),
        prices: crate::costs::prices(args.prices.as_deref())?,
    };
    let prepared = cleanup::prepare(&hosts, &plan, &options, chrono::Utc::now()).await.map_err(|e| {
        let hint = if matches!(e, ApplyError::TooOld { .. }) { " (--max-age)" } else { "" };
        CliError::nothing_sent(format_args!("{e}{hint}"))
    })?;
    confirm::confirmed(&question(&plan, &left), args.yes, "apply")?;
    // Created only now: a plan refused, or a question declined, leaves no journal behind.
    let mut journal = Journal::open(&journal_path, &plan).map_err(CliError::nothing_sent)?;
    tokio::spawn(interrupts(Arc::clone(&stop)));
    progress.start();
    let applied = prepared.apply(&mut journal).await;
    progress.finish();
    drop(options);
    let report = Arc::into_inner(report).expect("the apply no longer tells of outcomes");
    Ok(ended(report, applied, &journal, &plan, left.len()))
}

/// Reports how an apply ended, and gives its exit status.
fn ended(
    report: Applied,
    applied: Result<ApplyReport, ApplyError>,
    journal: &Journal,
    plan: &Plan,
    left: usize,
) -> ExitCode {
    let done = match applied {
        Ok(done) => done,
        Err(e) => {
            // The journal failed mid-run: what was reported so far still ends as a whole document.
            report::error(&e);
            let ending = Ending { not_started: left.saturating_sub(report.written()), ..Ending::default() };
            return report::settle(report.finish(&ending), NOT_ALL_DONE);
        }
    };
    for halt in &done.halts {
        if let Halt::Credential { provider, .. } = halt {
            report::error(&format_args!(
                "{provider} refused the credential in {}: fix it and apply the plan again",
                provider.credential_env()
            ));
        }
    }
    let status = if done.halts.contains(&Halt::Interrupted) {
        INTERRUPTED
    } else if done.all_done(journal, plan) {
        SUCCESS
    } else {
        NOT_ALL_DONE
    };
    report::settle(report.finish(&Ending::of(&done)), status)
}

/// `FILE.DIGEST.journal`, beside the plan: a new plan at the same path gets a journal of its
/// own, and the last one's stays.
fn journal_path(path: &Path, plan: &Plan) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{}.journal", plan.short_digest()));
    PathBuf::from(name)
}

/// `Apply the plan 3f2a…: scale 3 targets to zero on baseten and 1 on replicate, saving
/// $2.41/h ($1735.20 a month at the floor)?`, counting (and saving) what is left to do.
fn question(plan: &Plan, left: &[&cleanup::Planned]) -> String {
    let parts: Vec<String> = Plan::count(left.iter().copied())
        .iter()
        .enumerate()
        .map(|(i, (p, n))| match (i, *n) {
            (0, 1) => format!("1 target on {p}"),
            (0, n) => format!("{n} targets on {p}"),
            (_, n) => format!("{n} on {p}"),
        })
        .collect();
    let digest = plan.short_digest();
    if parts.is_empty() {
        return format!("Apply the plan {digest} (nothing is left to do)?");
    }
    let done = plan.targets.len() - left.len();
    let earlier = if done > 0 { format!(" ({done} ended in an earlier apply)") } else { String::new() };
    let act = match plan.action() {
        Some(action) => phrase(action, &parts.join(" and ")),
        // Rules of several actions: each action's count, then where.
        None => {
            let mut actions: std::collections::BTreeMap<modelhost::Action, usize> = Default::default();
            for target in left {
                *actions.entry(target.action).or_default() += 1;
            }
            let each: Vec<String> = actions.iter().map(|(a, n)| phrase(*a, &n.to_string())).collect();
            let on: Vec<String> = Plan::count(left.iter().copied()).keys().map(ToString::to_string).collect();
            format!("{} on {}", each.join(" and "), on.join(" and "))
        }
    };
    let saves = left.iter().fold(cleanup::Savings::nothing(), |sum, t| sum.plus(t.savings()));
    format!("Apply the plan {digest}: {act}{earlier}, {}?", saves.as_saving())
}

/// `delete WHAT`, `scale WHAT to zero`.
fn phrase(action: modelhost::Action, what: &str) -> String {
    match action {
        modelhost::Action::ScaleToZero => format!("scale {what} to zero"),
        action => format!("{} {what}", action.verb()),
    }
}

/// The first Ctrl-C stops new actions; the second exits at once (the journal stays valid:
/// every line is written whole or is a torn last line, ignored on resume).
async fn interrupts(stop: Arc<AtomicBool>) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    stop.store(true, Ordering::SeqCst);
    report::note(&"\nstopping: no new actions; waiting for those in flight (Ctrl-C again to exit now)");
    if tokio::signal::ctrl_c().await.is_ok() {
        report::note(&"exiting now; apply the plan again to resume");
        std::process::exit(i32::from(INTERRUPTED));
    }
}
