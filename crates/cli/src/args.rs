//! The command line, as clap parses it: anything malformed exits 2 before a request exists.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use modelhost::cleanup::{Policy, PolicyFile, Rule, Selector};
use modelhost::costs::Scope;
use modelhost::{Action, ModelRef, Target};

const ENVIRONMENT: &str = "\
Environment:
  BASETEN_API_KEY      Baseten API key (needed for baseten: references)
  REPLICATE_API_TOKEN  Replicate API token (needed for replicate: references)
  BASETEN_BASE_URL     Another Baseten endpoint (a proxy; plain http only to loopback)
  REPLICATE_BASE_URL   Another Replicate endpoint (a proxy; plain http only to loopback)
  Credentials are read only from the environment, never from arguments, and never printed.

References:
  baseten:MODEL_ID                           a Baseten model
  baseten:MODEL_ID/deployments/DEPLOYMENT_ID a Baseten deployment (a version)
  baseten:chains/CHAIN_ID[/deployments/ID]   a Baseten chain, or one of its deployments
  baseten:training/PROJECT_ID[/jobs/JOB_ID]  a Baseten training project, or one of its jobs
  replicate:OWNER/NAME                       a Replicate model
  replicate:OWNER/NAME/versions/VERSION_ID   a Replicate version
  replicate:deployments/OWNER/NAME           a Replicate deployment (it holds a version)
  replicate:models/deployments/NAME          a model of the user `deployments` (long form)

Exit status:
  0    every target ended deleted, accepted (in progress), absent, deactivated, scaled to
       zero or stopped
  1    some target was refused, failed, changed since the plan or not started (a credential
       refused mid-way, --max-actions), or the confirmation was declined
  2    usage, a bad reference, a missing model, a plan that is edited, stale, from the future,
       for another account or in use by another apply, or configuration: nothing was sent
  130  apply was interrupted (Ctrl-C); apply the plan again to resume";

/// Delete models and versions on Baseten and Replicate.
#[derive(Debug, Parser)]
#[command(name = "modelhost", version, after_long_help = ENVIRONMENT)]
pub struct Cli {
    /// Log each request (operation, status, attempt) to stderr; tokens are never logged.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Delete models and versions.
    ///
    /// Asks for confirmation on a terminal; elsewhere (scripts, CI) pass --yes. A Replicate
    /// version delete is accepted, not finished, when this returns: Replicate removes it
    /// within minutes.
    #[command(after_long_help = "Examples:\n  \
        modelhost delete replicate:alice/hello/versions/5c7d5dc6\n  \
        modelhost delete --cascade --dry-run replicate:alice/hello\n  \
        modelhost delete --yes --output json baseten:abc123/deployments/xyz789")]
    Delete(DeleteArgs),
    /// Scale deployments to zero: no replica kept up while nobody calls them (a Baseten model
    /// deployment's min_replica, a Replicate deployment's min_instances); they stay.
    #[command(
        name = "scale-to-zero",
        after_long_help = "Examples:\n  \
        modelhost scale-to-zero baseten:abc123/deployments/xyz789\n  \
        modelhost scale-to-zero --yes replicate:deployments/alice/hello-prod"
    )]
    ScaleToZero(ActArgs),
    /// Deactivate Baseten model or chain deployments: their compute stops, they stay.
    #[command(after_long_help = "Examples:\n  \
        modelhost deactivate baseten:abc123/deployments/xyz789\n  \
        modelhost deactivate --yes baseten:chains/c1/deployments/d1")]
    Deactivate(ActArgs),
    /// Stop running Baseten training jobs.
    #[command(after_long_help = "Example:\n  modelhost stop baseten:training/p1/jobs/j1")]
    Stop(ActArgs),
    /// Say what standing resources cost: each billable resource's replicas, price, cost per
    /// hour now and at its floor, and its spend and requests over the last 30 days.
    ///
    /// Sends only reads. Without selectors: everything billable on every provider whose
    /// credential is set. "The last 30 days" are the 30 whole days (UTC) before today. Baseten's
    /// prices and spend come from its API (the usage summary needs an admin's key; without it
    /// spend is unknown and said so); Replicate publishes no prices, so they come from a table
    /// shipped with modelhost (its source and date in the footer) or --prices FILE, and its
    /// spend is estimated from predictions' predict_time. An unknown figure is shown as
    /// unknown, never as 0. Exits 0 when every provider's resources were listed (unknown
    /// figures included), 1 when a provider's could not be (the others are still shown), 2
    /// when nothing was sent (usage, a bad selector or price file, configuration).
    #[command(after_long_help = "Selectors:\n  \
        baseten:*                 every Baseten model deployment\n  \
        baseten:chains/*          every Baseten chain deployment\n  \
        baseten:training/*        every Baseten training job\n  \
        replicate:deployments/*   every Replicate deployment\n  \
        REF                       what one reference names or holds (a model's deployments, …)\n\n\
        Price file (TOML; the SKUs it names replace the shipped prices):\n  \
        source = \"our contract\"\n  read = \"2026-12-01\"\n  [usd_per_second]\n  gpu-t4 = \"0.000225\"\n\n\
        Examples:\n  \
        modelhost costs\n  \
        modelhost costs baseten:chains/* --all --output json")]
    Costs(CostsArgs),
    /// List a model's versions (Baseten: deployments): id, created, production, what holds it.
    Versions(VersionsArgs),
    /// Plan a clean-up by rule: which versions a policy selects, and what it keeps and why.
    ///
    /// Sends only reads. Every condition must hold for a version to be planned. Whatever the
    /// policy, a Baseten production deployment, one bound to an environment, the development
    /// deployment (unless --include-development), a deployment carrying a --keep-label, a
    /// Replicate version a deployment serves and a Replicate model's latest version (unless
    /// --include-latest) are kept, and a delete never takes a model's last version. With
    /// --plan FILE the plan is also written, for `modelhost apply FILE`; it records the
    /// account of each provider and a digest of its content.
    #[command(after_long_help = "Selectors:\n  \
        baseten:*               every model of the Baseten account\n  \
        baseten:MODEL_ID        one Baseten model\n  \
        replicate:OWNER/NAME    one Replicate model (Replicate cannot list an account's models)\n\n\
        Examples:\n  \
        modelhost prune baseten:* --keep-last 3 --plan prune.json\n  \
        modelhost prune baseten:* --status build_failed,deploy_failed --keep-last 0\n  \
        modelhost prune replicate:alice/hello --older-than 30d --plan prune.json\n  \
        modelhost prune baseten:* --deactivate --keep-label team=search --plan stop.json")]
    Prune(PruneArgs),
    /// Show a saved plan for review: its targets by model, what it keeps and why, the policy
    /// in words, the accounts and the digest (markdown for a pull-request comment).
    Show(ShowArgs),
    /// Apply a plan written by `modelhost prune --plan FILE`: exactly its actions, nothing else.
    ///
    /// Refuses, sending nothing, a plan whose content does not match its digest or its own
    /// policy, one older than --max-age or from the future, and a token of another account
    /// than the plan records. Each model is listed again and decided again by the plan's
    /// policy: a target is skipped ("changed since the plan") when the policy would not choose
    /// it now or a fact it was chosen by changed. Every action is journaled before it is sent
    /// and when it ends, in FILE.DIGEST.journal (or --journal); applying the same plan again
    /// resumes and sends nothing that ended. A refused credential (401, 403) stops the apply:
    /// fix the variable and apply again. Ctrl-C stops starting new actions, lets those in
    /// flight finish and exits 130; a second Ctrl-C exits at once. Asks on a terminal;
    /// elsewhere pass --yes.
    Apply(ApplyArgs),
    /// Print a completion script: `modelhost completions bash > /etc/bash_completion.d/modelhost`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `modelhost delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// What to delete: models, versions and deployments, on either provider (see References
    /// below).
    #[arg(required = true, value_name = "REF")]
    pub targets: Vec<Target>,
    /// Delete each model with everything in its way: its versions first (Replicate), then the
    /// model. Versions a deployment serves are refused, naming the deployment.
    #[arg(long)]
    pub cascade: bool,
    /// With --cascade: first delete the Replicate deployments that hold a version (Replicate
    /// allows it only once a deployment has been offline and unused for 15 minutes).
    #[arg(long, requires = "cascade")]
    pub delete_deployments: bool,
    /// Only plan: print what would be deleted, send no DELETE (a cascade still lists).
    #[arg(long)]
    pub dry_run: bool,
    /// Count a target that does not exist as done ("already absent"), like `rm -f`.
    #[arg(long)]
    pub missing_ok: bool,
    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(short, long)]
    pub yes: bool,
    /// Deletes in flight at once.
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
    /// What is done to each target (`delete`; the other commands set their own).
    #[arg(skip = Action::Delete)]
    pub action: Action,
}

/// `modelhost scale-to-zero`, `deactivate` and `stop`: one action on single resources.
#[derive(Debug, Args)]
pub struct ActArgs {
    /// What to act on (see References below).
    #[arg(required = true, value_name = "REF")]
    pub targets: Vec<Target>,
    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(short, long)]
    pub yes: bool,
    /// Actions in flight at once.
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

impl ActArgs {
    /// The same targets as a [`DeleteArgs`] doing `action` (no cascade, no dry run).
    pub fn doing(self, action: Action) -> DeleteArgs {
        DeleteArgs {
            targets: self.targets,
            cascade: false,
            delete_deployments: false,
            dry_run: false,
            missing_ok: false,
            yes: self.yes,
            concurrency: self.concurrency,
            output: self.output,
            action,
        }
    }
}

/// `modelhost costs`.
#[derive(Debug, Args)]
pub struct CostsArgs {
    /// Where to look (see Selectors below); everything billable when none is given.
    #[arg(value_name = "SELECTOR")]
    pub selectors: Vec<Scope>,
    /// Replicate prices from FILE over the shipped table.
    #[arg(long, value_name = "FILE", env = "MODELHOST_PRICES")]
    pub prices: Option<PathBuf>,
    /// List the resources that cost nothing now as well (otherwise they are counted).
    #[arg(long)]
    pub all: bool,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

/// `modelhost prune`.
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Where to look: `baseten:*` (every model), `baseten:chains/*`, `baseten:training/*`,
    /// `replicate:deployments/*`, or a named `baseten:MODEL_ID`, `replicate:OWNER/NAME`,
    /// `baseten:chains/CHAIN_ID`, `baseten:training/PROJECT_ID`,
    /// `replicate:deployments/OWNER/NAME`.
    #[arg(required_unless_present = "policy", value_name = "SELECTOR")]
    pub selectors: Vec<Selector>,
    /// Plan by a policy file (TOML) instead of selectors and flags: ordered rules (keep rules
    /// win; otherwise the first rule that chooses a target decides it), the accounts it is for
    /// (a token of another account is refused before anything is listed) and `max_actions`.
    /// Every flag below has its key; see the CLI's README.
    #[arg(long, value_name = "FILE", conflicts_with_all = [
        "selectors", "keep_last", "older_than", "status", "include_development", "include_latest",
        "keep_label", "action", "deactivate", "idle_for", "costing", "min_cost_per_hour", "include_production",
    ])]
    pub policy: Option<PathBuf>,
    /// Keep each model's N newest versions (all of them counted, production included).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub keep_last: usize,
    /// Only versions created longer ago than this (30d, 12h, 90m).
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub older_than: Option<Duration>,
    /// Only Baseten deployments in one of these statuses (build_failed,deploy_failed,inactive,…).
    #[arg(long, value_name = "S,...", value_parser = statuses)]
    pub status: Option<BTreeSet<String>>,
    /// Plan the development deployment too.
    #[arg(long)]
    pub include_development: bool,
    /// Plan a Replicate model's latest version too (the one `replicate.run("owner/name")` runs).
    #[arg(long)]
    pub include_latest: bool,
    /// Keep Baseten deployments carrying this label (repeatable).
    #[arg(long, value_name = "KEY=VALUE", value_parser = label)]
    pub keep_label: Vec<(String, String)>,
    /// What to do to each target: delete it; deactivate a Baseten deployment (its compute
    /// stops, it stays); scale a Baseten model deployment or a Replicate deployment to zero
    /// (no replica kept up while nobody calls it); stop a running training job. A target the
    /// action does not apply to is kept, with the reason.
    #[arg(long, value_enum, default_value_t = ActionArg::Delete, value_name = "ACTION")]
    pub action: ActionArg,
    /// The same as `--action deactivate`.
    #[arg(long, conflicts_with = "action")]
    pub deactivate: bool,
    /// Only what nobody called for this long (7d, 12h): Baseten by its usage summary's daily
    /// requests (so a day with calls counts until its end), Replicate by the account's
    /// predictions, over the 30 days through today. What cannot be read is never idle.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub idle_for: Option<Duration>,
    /// Only what costs money while it stands: a floor above 0 (min replicas or instances),
    /// or replicas up now.
    #[arg(long)]
    pub costing: bool,
    /// Only what costs at least AMOUNT USD per hour at its floor (a decimal: 0.5).
    #[arg(long, value_name = "AMOUNT", value_parser = amount)]
    pub min_cost_per_hour: Option<rust_decimal::Decimal>,
    /// Let scale-to-zero reach production and environment-bound deployments (a delete or a
    /// deactivation never does).
    #[arg(long)]
    pub include_production: bool,
    /// Replicate prices from FILE over the shipped table (as `modelhost costs`; give apply
    /// the same).
    #[arg(long, value_name = "FILE", env = "MODELHOST_PRICES")]
    pub prices: Option<PathBuf>,
    /// Also write the plan to FILE, for `modelhost apply FILE`.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// How to print the plan (json: the plan document itself).
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

impl PruneArgs {
    /// The rules: the policy file's, or one made of the selectors and flags.
    pub fn rules(&self) -> Result<PolicyFile, String> {
        match &self.policy {
            Some(path) => PolicyFile::read(path).map_err(|e| e.to_string()),
            None => {
                let rules = vec![Rule::flags(self.selectors.clone(), self.flags())];
                Ok(PolicyFile::of(rules))
            }
        }
    }

    /// The policy the flags describe.
    fn flags(&self) -> Policy {
        Policy {
            keep_last: self.keep_last,
            older_than: self.older_than,
            statuses: self.status.clone(),
            include_development: self.include_development,
            action: if self.deactivate { Action::Deactivate } else { self.action.into() },
            include_production: self.include_production,
            idle_for: self.idle_for,
            costing: self.costing,
            min_cost_per_hour: self.min_cost_per_hour,
            include_latest: self.include_latest,
            keep_labels: self.keep_label.iter().cloned().collect(),
        }
    }
}

/// `modelhost apply`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The plan, as `modelhost prune --plan FILE` wrote it.
    #[arg(value_name = "FILE")]
    pub plan: PathBuf,
    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(short, long)]
    pub yes: bool,
    /// Actions in flight at once, on each provider.
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Refuse a plan older than this (what it saw may be stale).
    #[arg(long, default_value = "24h", value_name = "DURATION", value_parser = duration)]
    pub max_age: Duration,
    /// Apply only the plan whose digest this is (the one reviewed; `modelhost show` prints it).
    #[arg(long, value_name = "HEX")]
    pub expect_digest: Option<String>,
    /// The journal, instead of FILE.DIGEST.journal beside the plan (for a plan in a
    /// read-only place).
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// Send at most N actions in this run; the rest are not started, and the next run goes on.
    #[arg(long, value_name = "N")]
    pub max_actions: Option<usize>,
    /// Replicate prices from FILE over the shipped table, for deciding the cost conditions
    /// again (the same as the prune's).
    #[arg(long, value_name = "FILE", env = "MODELHOST_PRICES")]
    pub prices: Option<PathBuf>,
    /// How to print the outcomes.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

/// `modelhost show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The plan, as `modelhost prune --plan FILE` wrote it.
    #[arg(value_name = "FILE")]
    pub plan: PathBuf,
    /// How to show it.
    #[arg(long, value_enum, default_value_t = ShowOutput::Text)]
    pub output: ShowOutput,
}

/// How `modelhost show` renders a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowOutput {
    /// Lines for people.
    Text,
    /// Markdown, for a pull-request or issue comment.
    Markdown,
    /// The plan document itself.
    Json,
}

/// `--action`: what a clean-up does to each target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionArg {
    /// Delete it.
    Delete,
    /// Deactivate it (Baseten model and chain deployments).
    Deactivate,
    /// Scale it to zero (Baseten model deployments, Replicate deployments).
    ScaleToZero,
    /// Stop it (running Baseten training jobs).
    Stop,
}

impl From<ActionArg> for Action {
    fn from(action: ActionArg) -> Self {
        match action {
            ActionArg::Delete => Action::Delete,
            ActionArg::Deactivate => Action::Deactivate,
            ActionArg::ScaleToZero => Action::ScaleToZero,
            ActionArg::Stop => Action::Stop,
        }
    }
}

/// A non-negative amount of USD, as a decimal (never a float).
fn amount(text: &str) -> Result<rust_decimal::Decimal, String> {
    match text.trim().trim_start_matches('$').parse::<rust_decimal::Decimal>() {
        Ok(amount) if amount >= rust_decimal::Decimal::ZERO => Ok(amount),
        _ => Err(format!("`{text}` is not an amount of USD: write a decimal such as 0.5")),
    }
}

fn duration(text: &str) -> Result<Duration, String> {
    Policy::parse_duration(text).map_err(|e| e.to_string())
}

fn label(text: &str) -> Result<(String, String), String> {
    Policy::parse_label(text).map_err(|e| e.to_string())
}

fn statuses(text: &str) -> Result<BTreeSet<String>, String> {
    Policy::parse_statuses(text).map_err(|e| e.to_string())
}

/// `modelhost versions`.
#[derive(Debug, Args)]
pub struct VersionsArgs {
    /// The model: `baseten:MODEL_ID` or `replicate:OWNER/NAME`.
    #[arg(value_name = "REF")]
    pub model: ModelRef,
    /// How to print the list.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Lines for people.
    Text,
    /// One JSON document for scripts (its layout is in the README).
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn references_parse_to_what_they_name() {
        let parse = |text: &str| Cli::try_parse_from(["modelhost", "delete", text]);
        let target = |text: &str| match parse(text).unwrap().command {
            Command::Delete(args) => args.targets[0].kind(),
            _ => unreachable!(),
        };
        assert_eq!(target("replicate:a/b"), "model");
        assert_eq!(target("replicate:a/b/versions/c1"), "version");
        assert_eq!(target("baseten:m1/deployments/d1"), "version");
        assert_eq!(target("replicate:deployments/a/prod"), "deployment");
        assert_eq!(target("baseten:chains/c1/deployments/d1"), "chain_deployment");
        assert_eq!(target("baseten:training/p1/jobs/j1"), "training_job");
        for bad in ["baseten:m1/versions/d1", "replicate:a/../b", "replicate:a/b/deployments/c"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
