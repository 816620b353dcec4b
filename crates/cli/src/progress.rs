//! Progress on stderr while deleting: a bar on a terminal, plain lines elsewhere, nothing for
//! `--output json`. It is the facade's [`Observer`], so a cascade's versions and the waits a
//! rate limit imposes show as they happen.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use modelhost::{Event, Observer, State};

use crate::args::Output;
use crate::outcome::{Hints, Reported};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A progress bar (stderr is a terminal).
    Bar,
    /// One line per finished target and per rate-limit wait.
    Lines,
    /// One line per rate-limit wait only (the outcomes are printed on stdout).
    Waits,
    /// Nothing.
    Quiet,
}

impl Mode {
    /// How a command writing `output` shows progress: nothing beside JSON, or when `quiet`
    /// (a single target, a dry run); a bar on a terminal; else `lines`.
    pub fn for_output(output: Output, quiet: bool, lines: Self) -> Self {
        match output {
            Output::Json => Self::Quiet,
            Output::Text if quiet => Self::Quiet,
            Output::Text if std::io::stderr().is_terminal() => Self::Bar,
            Output::Text => lines,
        }
    }
}

/// Counts and shows progress.
#[derive(Debug)]
pub struct Progress {
    mode: Mode,
    bar: Option<ProgressBar>,
    /// Deleted, accepted or absent.
    done: AtomicUsize,
    accepted: AtomicUsize,
    refused: AtomicUsize,
    /// 429s waited out.
    rate_limited: AtomicUsize,
    /// Serialises plain lines.
    lines: Mutex<()>,
    /// The flags a refusal's line may suggest.
    hints: Hints,
}

impl Progress {
    /// Progress in `mode`, expecting `targets` targets (a cascade adds its plan when known).
    /// A bar stays hidden until [`Progress::start`].
    pub fn new(mode: Mode, targets: usize, hints: Hints) -> Self {
        let bar = (mode == Mode::Bar).then(|| {
            let bar = ProgressBar::with_draw_target(Some(targets as u64), ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{elapsed}] {bar:30} {pos}/{len} {msg}")
                    .expect("a valid template")
                    .progress_chars("=> "),
            );
            bar
        });
        Self {
            mode,
            bar,
            done: AtomicUsize::new(0),
            accepted: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
            rate_limited: AtomicUsize::new(0),
            lines: Mutex::new(()),
            hints,
        }
    }

    /// Shows the bar, once the question it would cover has been answered.
    pub fn start(&self) {
        if let Some(bar) = &self.bar {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            self.redraw();
        }
    }

    /// A target finished.
    pub fn finished(&self, outcome: &Reported) {
        let counter = match outcome.state() {
            State::Accepted => &self.accepted,
            state if state.is_success() => &self.done,
            _ => &self.refused,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        match self.mode {
            Mode::Bar => self.redraw(),
            Mode::Lines => self.line(&crate::render::outcome_line(outcome)),
            Mode::Waits | Mode::Quiet => {}
        }
    }

    /// Clears the bar, leaving the final counts to the report.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// Runs `print` (writing to stdout) with the bar out of the way.
    pub fn suspended<R>(&self, print: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    fn line(&self, text: &str) {
        let _serial = self.lines.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        crate::report::note(&text);
    }

    fn redraw(&self) {
        if let Some(bar) = &self.bar {
            let n = |c: &AtomicUsize| c.load(Ordering::Relaxed);
            bar.set_message(format!(
                "{} done, {} accepted, {} refused, {} rate-limit waits",
                n(&self.done),
                n(&self.accepted),
                n(&self.refused),
                n(&self.rate_limited)
            ));
        }
    }
}

impl Observer for Progress {
    fn observe(&self, event: &Event<'_>) {
        match event {
            Event::Planned { targets } => {
                if let Some(bar) = &self.bar {
                    // The cascade's model was counted as one target already.
                    bar.inc_length((*targets as u64).saturating_sub(1));
                }
            }
            Event::Deleted(deleted) => self.finished(&Reported::deleted(deleted)),
            Event::Refused { target, error } => self.finished(&Reported::refused(target, error, self.hints)),
            Event::RateLimited { provider, wait } => {
                self.rate_limited.fetch_add(1, Ordering::Relaxed);
                match self.mode {
                    Mode::Bar => self.redraw(),
                    Mode::Lines | Mode::Waits => {
                        self.line(&format!("rate limited by {provider}: waiting {:.1} s", wait.as_secs_f64()))
                    }
                    Mode::Quiet => {}
                }
            }
            _ => {}
        }
    }
}
