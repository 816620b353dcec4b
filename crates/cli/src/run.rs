//! The commands: configuration and confirmation first (exit 2 before anything is sent),
//! then the work through the facade, then the report and the exit status.

use std::collections::BTreeSet;
use std::process::ExitCode;
use std::sync::Arc;

use clap::CommandFactory;
use futures::StreamExt;
use modelhost::{Action, CascadeOptions, DeleteOptions, Error, Hosts, Provider, State, Target};

use crate::args::{Cli, Command, DeleteArgs, Output, VersionsArgs};
use crate::confirm;
use crate::outcome::{self, Hints, Reported};
use crate::progress::{Mode, Progress};
use crate::render::{self, DeleteDocument, VersionRow, VersionsDocument};
use crate::report::{self, CliError, NOT_ALL_DONE, SUCCESS};

/// Runs the command line: the result on stdout, and how it ended (an error is reported by
/// the caller, once).
pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    if cli.verbose {
        // The facade's spans and events (operation, method, status, attempt); it never logs
        // headers or tokens.
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
            .with_target(false)
            .init();
    }
    match cli.command {
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "modelhost", &mut script);
            Ok(report::result(&script, SUCCESS))
        }
        Command::Delete(args) => runtime().block_on(delete(args)),
        Command::ScaleToZero(args) => runtime().block_on(delete(args.doing(Action::ScaleToZero))),
        Command::Deactivate(args) => runtime().block_on(delete(args.doing(Action::Deactivate))),
        Command::Stop(args) => runtime().block_on(delete(args.doing(Action::Stop))),
        Command::Costs(args) => runtime().block_on(crate::costs::costs(args)),
        Command::Versions(args) => runtime().block_on(versions(args)),
        Command::Prune(args) => runtime().block_on(crate::cleanup::prune(args)),
        Command::Apply(args) => runtime().block_on(crate::cleanup::apply(args)),
        Command::Show(args) => crate::show::show(&args),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

/// The hosts, from the environment, of the providers the references name, and only those:
/// another provider's variables are not read. A configuration error sends nothing (exit 2).
pub fn configured(providers: &[Provider], progress: &Arc<Progress>) -> Result<Hosts, CliError> {
    Hosts::from_env_for(providers, Some(Arc::clone(progress) as _)).map_err(CliError::usage)
}

/// Deletes, or does another action to, each target (`delete`, `scale-to-zero`,
/// `deactivate`, `stop`).
async fn delete(args: DeleteArgs) -> Result<ExitCode, CliError> {
    let providers: Vec<Provider> =
        args.targets.iter().map(Target::provider).collect::<BTreeSet<_>>().into_iter().collect();
    let quiet = args.dry_run || (args.targets.len() == 1 && !args.cascade);
    let mode = Mode::for_output(args.output, quiet, Mode::Lines);
    // Built before asking, so a configuration error is said before the question; the bar
    // shows only once it is answered.
    let progress = Arc::new(Progress::new(mode, args.targets.len(), Hints::of(&args)));
    let hosts = configured(&providers, &progress)?;
    let question = confirm::question(args.targets.len(), &providers, args.cascade, args.action);
    confirm::confirmed(&question, args.yes || args.dry_run, args.action.verb())?;
    progress.start();
    let (outcomes, notes) = delete_all(&hosts, &args, &progress).await;
    progress.finish();
    let text = match args.output {
        Output::Text => render::delete_text(&outcomes, &notes, args.dry_run),
        Output::Json => render::json(&DeleteDocument::new(args.dry_run, &outcomes, &notes)),
    };
    let status = if outcomes.iter().all(|o| o.state().is_success()) { SUCCESS } else { NOT_ALL_DONE };
    Ok(report::result(text.as_bytes(), status))
}

/// Deletes every target, in the order given: a cascade at a time (each runs its own deletes
/// concurrently), or up to `--concurrency` plain deletes at once.
async fn delete_all(hosts: &Hosts, args: &DeleteArgs, progress: &Progress) -> (Vec<Reported>, Vec<String>) {
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
) -> (Vec<Reported>, Vec<String>) {
    let options = DeleteOptions { missing_ok: args.missing_ok };
    let result = match target {
        Target::Model(model) if args.cascade => {
            let cascade = CascadeOptions {
                concurrency: usize::from(args.concurrency),
                dry_run: args.dry_run,
                delete_deployments: args.delete_deployments,
                ..CascadeOptions::default()
            };
            let cascaded = match hosts.get(model.provider()) {
                Ok(host) => host.delete_model_cascade(model, &cascade).await,
                Err(e) => Err(e),
            };
            match cascaded {
                // The cascade told `progress` of each of its targets as it went.
                Ok(report) => return (outcome::of_cascade(&report, Hints::of(args)), report.notes),
                Err(Error::NotFound { .. }) if args.missing_ok => {
                    let absent = Reported::plain(target, State::Absent);
                    progress.finished(&absent);
                    return (vec![absent], Vec::new());
                }
                Err(e) => Err(e),
            }
        }
        _ if args.dry_run => return (vec![Reported::plain(target, State::Planned)], Vec::new()),
        _ if args.action == Action::Delete => hosts.delete(target, &options).await,
        _ => match hosts.get(target.provider()) {
            Ok(host) => host.perform(target.clone(), args.action, &options).await,
            Err(e) => Err(e),
        },
    };
    let outcome = match result {
        Ok(deleted) => Reported::deleted(&deleted),
        Err(e) => Reported::refused(target, &e, Hints::of(args)),
    };
    progress.finished(&outcome);
    (vec![outcome], Vec::new())
}

async fn versions(args: VersionsArgs) -> Result<ExitCode, CliError> {
    let progress = Arc::new(Progress::new(Mode::Quiet, 0, Hints::default()));
    let hosts = configured(&[args.model.provider()], &progress)?;
    let listed = async {
        let host = hosts.get(args.model.provider())?;
        Ok::<_, Error>((host.list_versions(&args.model).await?, host.holders(&args.model).await?))
    };
    let (versions, holders) = listed.await.map_err(|e| CliError::Failed(e.to_string()))?;
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
    Ok(report::result(text.as_bytes(), SUCCESS))
}
