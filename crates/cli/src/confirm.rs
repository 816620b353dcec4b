//! Asking before deleting: a question on a terminal, a refusal anywhere else unless `--yes`.

use std::io::{BufRead, IsTerminal};

use modelhost::{Action, Provider};

use crate::report::{self, CliError};

/// What the user said, or why nobody could be asked.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// Go ahead.
    Yes,
    /// Declined (anything but `y` or `yes`).
    No,
    /// Stdin is not a terminal, so nobody can be asked.
    NoTerminal,
}

/// `Delete 3 targets on replicate?` (or `on baseten and replicate`, or `with everything in
/// their way` for a cascade).
pub fn question(targets: usize, providers: &[Provider], cascade: bool, action: Action) -> String {
    let names: Vec<String> = providers.iter().map(ToString::to_string).collect();
    let noun = if targets == 1 { "target" } else { "targets" };
    let way = match (cascade, targets) {
        (false, _) => "",
        (true, 1) => ", with everything in its way",
        (true, _) => ", with everything in their way",
    };
    let on = names.join(" and ");
    match action {
        Action::Deactivate => format!("Deactivate {targets} {noun} on {on}?"),
        Action::ScaleToZero => format!("Scale {targets} {noun} to zero on {on}?"),
        Action::Stop => format!("Stop {targets} {noun} on {on}?"),
        _ => format!("Delete {targets} {noun} on {on}{way}?"),
    }
}

/// Asks `question` on stderr and reads the answer from stdin, when stdin is a terminal.
pub fn ask(question: &str) -> std::io::Result<Answer> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Ok(Answer::NoTerminal);
    }
    report::prompt(question)?;
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    Ok(match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Answer::Yes,
        _ => Answer::No,
    })
}

/// Asks `question` unless `yes`: the one confirmation of every command that changes
/// anything. Declined is [`CliError::Declined`] (exit 1); nobody to ask, or no answer to
/// read, is a usage error (exit 2).
pub fn confirmed(question: &str, yes: bool, verb: &str) -> Result<(), CliError> {
    if yes {
        return Ok(());
    }
    match ask(question) {
        Ok(Answer::Yes) => Ok(()),
        Ok(Answer::No) => Err(CliError::Declined),
        Ok(Answer::NoTerminal) => Err(CliError::Usage(format!(
            "refusing to {verb} without confirmation: stdin is not a terminal; pass --yes"
        ))),
        Err(e) => Err(CliError::Usage(format!("cannot read the confirmation: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_say_how_many_and_where() {
        assert_eq!(
            question(3, &[Provider::Replicate], false, Action::Delete),
            "Delete 3 targets on replicate?"
        );
        assert_eq!(
            question(1, &[Provider::Baseten], false, Action::ScaleToZero),
            "Scale 1 target to zero on baseten?"
        );
        assert_eq!(
            question(1, &[Provider::Baseten, Provider::Replicate], true, Action::Delete),
            "Delete 1 target on baseten and replicate, with everything in its way?"
        );
    }
}
