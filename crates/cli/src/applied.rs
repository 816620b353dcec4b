//! What `modelhost apply` prints on stdout, written as each outcome is journaled: a line per
//! target (text), or an element of the document's `targets` (JSON). Only the counts are
//! kept, so memory does not grow with the plan.

use std::io::Write;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use modelhost::cleanup::Record;
use serde::Serialize;

use crate::args::Output;
use crate::outcome::Outcome;
use crate::progress::Progress;
use crate::render::{self, Summary};

/// The layout of `modelhost apply --output json`.
const LAYOUT: u32 = 1;

/// The report being written.
pub struct Applied {
    output: Output,
    /// The journal, named in the closing lines.
    journal: std::path::PathBuf,
    /// Planned actions an earlier run had already journaled as final.
    already_done: usize,
    state: Mutex<State>,
}

struct State {
    out: Box<dyn Write + Send>,
    /// The document's opening, written with the first target or at the end: a run refused
    /// before it acted (a stale plan) prints nothing on stdout.
    head: Option<String>,
    summary: Summary,
    /// Targets written so far (a JSON element after the first needs a comma).
    written: usize,
    /// The first write that failed; nothing more is written after it.
    failed: Option<std::io::Error>,
}

/// The document's opening fields: `modelhost apply --output json` is
/// `{"layout", "plan", "journal", "already_done", "targets": [...], "not_started", "summary"}`.
#[derive(Serialize)]
struct Head<'a> {
    layout: u32,
    plan: &'a Path,
    journal: &'a Path,
    already_done: usize,
}

#[derive(Serialize)]
struct Tail<'a> {
    not_started: usize,
    summary: &'a Summary,
}

impl Applied {
    /// Starts the report on `out` (stdout): for JSON, the document's opening fields.
    pub fn start(
        output: Output,
        out: Box<dyn Write + Send>,
        plan: &Path,
        journal: &Path,
        already_done: usize,
    ) -> Self {
        let head = (output == Output::Json).then(|| {
            let head = Head { layout: LAYOUT, plan, journal, already_done };
            let mut text = serde_json::to_string(&head).expect("the head serialises");
            text.pop(); // the closing brace: the targets follow
            text + ",\n\"targets\": ["
        });
        Self {
            output,
            journal: journal.to_owned(),
            already_done,
            state: Mutex::new(State { out, head, summary: Summary::default(), written: 0, failed: None }),
        }
    }

    /// How many targets have been reported.
    pub fn written(&self) -> usize {
        self.lock().written
    }

    /// One journaled outcome: counted, shown by `progress`, and written.
    pub fn record(&self, record: &Record, progress: &Progress) {
        let outcome = Outcome::of_record(record);
        progress.finished(&outcome);
        let mut state = self.lock();
        state.summary.count(outcome.state);
        let text = match self.output {
            Output::Text => render::outcome_line(&outcome) + "\n",
            Output::Json => {
                let comma = if state.written == 0 { "" } else { "," };
                format!("{comma}\n  {}", serde_json::to_string(&outcome).expect("an outcome serialises"))
            }
        };
        state.written += 1;
        drop(state);
        progress.suspended(|| self.write(text.as_bytes()));
    }

    /// Ends the report: what an earlier run did or this one did not start, and the counts.
    pub fn finish(self, not_started: usize) -> std::io::Result<()> {
        let (already_done, journal) = (self.already_done, &self.journal);
        let mut state = self.state.into_inner().unwrap_or_else(PoisonError::into_inner);
        let text = match self.output {
            Output::Json => {
                let tail = serde_json::to_string(&Tail { not_started, summary: &state.summary })
                    .expect("the tail serialises");
                let newline = if state.written == 0 { "" } else { "\n" };
                format!("{newline}],\n{}\n", &tail[1..])
            }
            Output::Text => {
                let mut text = String::new();
                if already_done > 0 {
                    text += &format!(
                        "{already_done} already done by an earlier apply (see {})\n",
                        journal.display()
                    );
                }
                if not_started > 0 {
                    text +=
                        &format!("{not_started} not started: interrupted; apply the plan again to resume\n");
                }
                text + &format!("{}\n", state.summary)
            }
        };
        if let Some(failed) = state.failed.take() {
            return Err(failed);
        }
        if let Some(head) = state.head.take() {
            state.out.write_all(head.as_bytes())?;
        }
        state.out.write_all(text.as_bytes())?;
        state.out.flush()
    }

    fn write(&self, bytes: &[u8]) {
        let mut state = self.lock();
        if state.failed.is_some() {
            return;
        }
        let head = state.head.take();
        let written =
            head.iter().map(String::as_bytes).chain([bytes]).try_for_each(|b| state.out.write_all(b));
        state.failed = written.err();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::outcome::Hints;
    use crate::progress::Mode;

    /// A writer the test reads back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn record(reference: &str, outcome: &str) -> Record {
        serde_json::from_value(serde_json::json!({"reference": reference, "action": "delete",
            "outcome": outcome, "reason": null, "code": null, "at": "2026-07-01T00:00:00Z"}))
        .unwrap()
    }

    fn report(output: Output, records: &[Record]) -> String {
        let out = Shared::default();
        let progress = Progress::new(Mode::Quiet, records.len(), Hints::default());
        let (plan, journal) = (Path::new("p.json"), Path::new("p.json.journal"));
        let applied = Applied::start(output, Box::new(out.clone()), plan, journal, 3);
        for r in records {
            applied.record(r, &progress);
        }
        applied.finish(1).unwrap();
        String::from_utf8(out.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn the_streamed_document_is_one_json_document_and_the_text_a_line_each() {
        let records =
            [record("baseten:m/deployments/a", "deleted"), record("replicate:o/n/versions/v", "accepted")];
        for n in [0, 1, 2] {
            let text = report(Output::Json, &records[..n]);
            let document: serde_json::Value = serde_json::from_str(&text).expect(&text);
            assert_eq!(document["targets"].as_array().map(Vec::len), Some(n), "{text}");
            assert_eq!((document["layout"].as_u64(), document["already_done"].as_u64()), (Some(1), Some(3)));
            assert_eq!(document["not_started"], 1);
            assert_eq!(document["summary"]["deleted"], u64::from(n > 0));
        }
        // Refused before acting (a stale plan): nothing on stdout, not half a document.
        let out = Shared::default();
        drop(Applied::start(Output::Json, Box::new(out.clone()), Path::new("p"), Path::new("j"), 0));
        assert!(out.0.lock().unwrap().is_empty());
        assert_eq!(
            report(Output::Text, &records),
            "baseten:m/deployments/a: deleted\nreplicate:o/n/versions/v: accepted\n\
             3 already done by an earlier apply (see p.json.journal)\n\
             1 not started: interrupted; apply the plan again to resume\n1 deleted, 1 accepted\n"
        );
    }
}
