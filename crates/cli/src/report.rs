//! Everything the command line says on its own behalf: the result on stdout, and on stderr
//! the one error a command ended with, the notes said along the way and the confirmation's
//! question. The only place that writes to stderr (the tidy test holds it to that), so a
//! message is said once, in one form.

use std::fmt;
use std::io::Write;
use std::process::ExitCode;

/// Every target ended deleted, accepted, absent or deactivated.
pub const SUCCESS: u8 = 0;
/// Some target was refused or failed, or the user declined.
pub const NOT_ALL_DONE: u8 = 1;
/// Usage, a bad reference, plan or configuration: nothing was sent.
pub const USAGE: u8 = 2;
/// An apply stopped by Ctrl-C.
pub const INTERRUPTED: u8 = 130;

/// Why a command stopped before its result: said once, by [`exit`].
#[derive(Debug)]
pub enum CliError {
    /// Nothing was sent: usage, a bad reference, plan or configuration (exit 2).
    Usage(String),
    /// Something did not get done, and nothing more can be said of it on stdout (exit 1).
    Failed(String),
    /// The user said no: nothing was sent (exit 1).
    Declined,
}

impl CliError {
    /// `error`, with nothing sent (exit 2).
    pub fn usage(error: impl fmt::Display) -> Self {
        Self::Usage(error.to_string())
    }

    /// `error`, after which nothing was sent: `…; nothing was sent` (exit 2).
    pub fn nothing_sent(error: impl fmt::Display) -> Self {
        Self::Usage(format!("{error}; nothing was sent"))
    }

    /// The exit status it ends in.
    pub fn status(&self) -> u8 {
        match self {
            Self::Usage(_) => USAGE,
            Self::Failed(_) | Self::Declined => NOT_ALL_DONE,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(message) | Self::Failed(message) => write!(f, "error: {message}"),
            Self::Declined => f.write_str("nothing was sent"),
        }
    }
}

/// How a command ended, as its exit status, reporting its error (once) on stderr.
pub fn exit(ended: Result<ExitCode, CliError>) -> ExitCode {
    ended.unwrap_or_else(|e| {
        note(&e);
        ExitCode::from(e.status())
    })
}

/// Says `text` on stderr, as a line of its own.
pub fn note(text: &dyn fmt::Display) {
    eprintln!("{text}");
}

/// Says `error` on stderr while the command goes on (or ends with a result of its own).
pub fn error(error: &dyn fmt::Display) {
    eprintln!("error: {error}");
}

/// Puts `question` on stderr, for an answer on stdin.
pub fn prompt(question: &str) -> std::io::Result<()> {
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()
}

/// Prints the result on stdout and gives the exit status. A reader that went away (`| head`,
/// `| grep -q`) missed only what it chose not to read, so the status stays the work's; any
/// other failure to print (a full disk) is said on stderr, and makes it 1 at least.
pub fn result(text: &[u8], status: u8) -> ExitCode {
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
pub fn settle(printed: std::io::Result<()>, status: u8) -> ExitCode {
    match printed {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            error(&format_args!("cannot print the result: {e}"));
            ExitCode::from(status.max(NOT_ALL_DONE))
        }
        _ => ExitCode::from(status),
    }
}
