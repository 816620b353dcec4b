//! The commands: configuration and confirmation first (exit 2 before anything is sent),
//! then the work through the facade, then the report and the exit status.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use clap::CommandFactory;
use futures::StreamExt;
use modelhost::{CascadeOptions, DeleteOptions, Error, Hosts, Provider, Target};

use crate::args::{Cli, Command, DeleteArgs, Output, VersionsArgs};
use crate::confirm;
use crate::outcome::{self, Hints, Outcome};
use crate::progress::{Mode, Progress};
use crate::render::{self, DeleteDocument, VersionRow, VersionsDocument};

/// Every target ended deleted, accepted or absent.
pub const SUCCESS: u8 = 0;
/// Some target was refused or failed, or the user declined.
pub const NOT_ALL_DONE: u8 = 1;
/// Usage, a bad reference or configuration: nothing was sent.
pub const USAGE: u8 = 2;

/// Runs the command line and says how it ended.
pub fn main(cli: Cli) -> ExitCode {
    if cli.verbose {
        // The facade's spans and events (operation, method, status, attempt); it never logs
        // headers or tokens.
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
            .with_target(false)
            .init();
    }
    let code = match cli.command {
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "modelhost", &mut script);
            report(&script, SUCCESS)
        }
        Command::Delete(args) => runtime().block_on(delete(args)),
        Command::Versions(args) => runtime().block_on(versions(args)),
        Command::Prune(args) => runtime().block_on(crate::cleanup::prune(args)),
        Command::Apply(args) => runtime().block_on(crate::cleanup::apply(args)),
        Command::Show(args) => crate::show::show(&args),
    };
    ExitCode::from(code)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

/// The hosts for `providers`, or the exit status of the configuration error (said on stderr).
pub fn configured(providers: &[Provider], progress: &Arc<Progress>) -> Result<Hosts, u8> {
    hosts(providers, progress).map_err(|e| config_error(&e))
}

/// Prints a configuration error and gives the exit status for it.
fn config_error(error: &Error) -> u8 {
    eprintln!("error: {error}");
    USAGE
}

/// The hosts, from the environment, of the providers the references name, and only those:
/// another provider's variables are not read.
fn hosts(providers: &[Provider], progress: &Arc<Progress>) -> Result<Hosts, Error> {
    Hosts::from_env_for(providers, Some(Arc::clone(progress) as _))
}

async fn delete(args: DeleteArgs) -> u8 {
    let providers: Vec<Provider> =
        args.targets.iter().map(Target::provider).collect::<BTreeSet<_>>().into_iter().collect();
    let mode = match args.output {
        Output::Json => Mode::Quiet,
        Output::Text if args.dry_run || (args.targets.len() == 1 && !args.cascade) => Mode::Quiet,
        Output::Text if std::io::stderr().is_terminal() => Mode::Bar,
        Output::Text => Mode::Lines,
    };
    // Built before asking, so a configuration error is said before the question; the bar
    // shows only once it is answered.
    let progress = Arc::new(Progress::new(mode, args.targets.len(), Hints::of(&args)));
    let hosts = match hosts(&providers, &progress) {
        Ok(hosts) => hosts,
        Err(e) => return config_error(&e),
    };
    let question = confirm::question(args.targets.len(), &providers, args.cascade);
    if let Err(code) = confirm::confirmed(&question, args.yes || args.dry_run, "delete") {
        return code;
    }
    progress.start();
    let (outcomes, notes) = delete_all(&hosts, &args, &progress).await;
    progress.finish();
    let text = match args.output {
        Output::Text => render::delete_text(&outcomes, &notes, args.dry_run),
        Output::Json => render::json(&DeleteDocument::new(args.dry_run, &outcomes, &notes)),
    };
    report(
        text.as_bytes(),
        if outcomes.iter().all(|o| o.state.is_success()) { SUCCESS } else { NOT_ALL_DONE },
    )
}

/// Deletes every target, in the order given: a cascade at a time (each runs its own deletes
/// concurrently), or up to `--concurrency` plain deletes at once.
async fn delete_all(hosts: &Hosts, args: &DeleteArgs, progress: &Progress) -> (Vec<Outcome>, Vec<String>) {
    let at_once = if args.cascade { 1 } else { usize::from(args.concurrency) };
    let mut results = futures::stream::iter(&args.targets)
        .map(|target| delete_one(hosts, args, progress, target))
        .buffered(at_once);
    let (mut outcomes, mut notes) = (Vec::new(), Vec::new());
    while let Some((more, more_notes)) = results.next().await {
        outcomes.extend(more);
        notes.extend(more_notes);
    }
    (outcomes, notes)
}

async fn delete_one(
    hosts: &Hosts,
    args: &DeleteArgs,
    progress: &Progress,
    target: &Target,
) -> (Vec<Outcome>, Vec<String>) {
    let options = DeleteOptions { missing_ok: args.missing_ok };
    let result = match target {
        Target::Model(model) if args.cascade => {
            let cascade = CascadeOptions {
                concurrency: usize::from(args.concurrency),
                dry_run: args.dry_run,
                delete_deployments: args.delete_deployments,
                ..CascadeOptions::default()
            };
            match hosts.delete_model_cascade(model, &cascade).await {
                // The cascade told `progress` of each of its targets as it went.
                Ok(report) => return (outcome::of_cascade(&report, Hints::of(args)), report.notes),
                Err(Error::NotFound { .. }) if args.missing_ok => {
                    let absent = Outcome::absent(target);
                    progress.finished(&absent);
                    return (vec![absent], Vec::new());
                }
                Err(e) => Err(e),
            }
        }
        _ if args.dry_run => return (vec![Outcome::planned(target)], Vec::new()),
        _ => hosts.delete(target, &options).await,
    };
    let outcome = match result {
        Ok(deleted) => Outcome::deleted(&deleted),
        Err(e) => Outcome::refused(target, &e, Hints::of(args)),
    };
    progress.finished(&outcome);
    (vec![outcome], Vec::new())
}

async fn versions(args: VersionsArgs) -> u8 {
    let progress = Arc::new(Progress::new(Mode::Quiet, 0, Hints::default()));
    let hosts = match hosts(&[args.model.provider()], &progress) {
        Ok(hosts) => hosts,
        Err(e) => return config_error(&e),
    };
    let listed = async {
        Ok::<_, Error>((hosts.list_versions(&args.model).await?, hosts.holders(&args.model).await?))
    };
    let (versions, holders) = match listed.await {
        Ok(listed) => listed,
        Err(e) => {
            eprintln!("error: {e}");
            return NOT_ALL_DONE;
        }
    };
    let rows: Vec<VersionRow> = versions
        .iter()
        .map(|v| {
            let held_by =
                holders.iter().filter(|h| h.version == v.version).map(ToString::to_string).collect();
            VersionRow::new(v, held_by)
        })
        .collect();
    let text = match args.output {
        Output::Text => render::versions_text(&rows),
        Output::Json => render::json(&VersionsDocument::new(args.model.to_string(), &rows)),
    };
    report(text.as_bytes(), SUCCESS)
}

/// Prints the result on stdout and gives the exit status. A reader that went away (`| head`,
/// `| grep -q`) missed only what it chose not to read, so the status stays the work's; any
/// other failure to print (a full disk) is said on stderr, and makes it 1 at least.
pub fn report(text: &[u8], status: u8) -> u8 {
    settle(print(|out| out.write_all(text)), status)
}

/// Writes to stdout through `write`, buffered and flushed at the end.
pub fn print(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write(&mut out)?;
    out.flush()
}

/// `status`, or a failure when printing the result failed (a closed pipe is no failure: the
/// reader stopped reading).
pub fn settle(printed: std::io::Result<()>, status: u8) -> u8 {
    match printed {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot print the result: {e}");
            status.max(NOT_ALL_DONE)
        }
        _ => status,
    }
}
