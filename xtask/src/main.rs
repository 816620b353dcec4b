//! Maintainer commands for this workspace, run as `cargo xtask …` (see xtask/README.md).

#[macro_use]
mod stdout;

mod args;
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
mod request_path;
mod workflows;
mod workspace;

use std::process::ExitCode;

use args::Command;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == diff::isolated::SUBCOMMAND) {
        return diff::isolated::child(&args[1..]);
    }
    let command = match args::try_parse(&args) {
        Ok(command) => command,
        // `--help` to stdout (exit 0); a usage error to stderr (exit 2).
        Err(e) => {
            let status = u8::try_from(e.exit_code()).unwrap_or(2);
            let _ = e.print();
            return ExitCode::from(status);
        }
    };
    let result = match command {
        Command::Codegen { mode, pull } => codegen::run(mode, pull.as_ref()),
        Command::LintWorkflows => workspace::root().and_then(|root| workflows::run(&root)),
        Command::Package => workspace::root().and_then(|root| package::run(&root)),
        Command::ReleaseCheck => release::check(),
        Command::NextVersion => release::next_version().map(|v| {
            outln!("{v}");
            true
        }),
        Command::Changelog(version) => release::changelog(&version).map(|()| true),
        Command::Contract(args) => workspace::root().and_then(|root| contract::run(&root, &args)),
        Command::RequestPath { llvm } => {
            workspace::root().and_then(|root| request_path::run(&root, llvm.as_deref()))
        }
        Command::Diff(args) => diff::run(&args),
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
    use crate::args::parse;

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
