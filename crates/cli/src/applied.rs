//! What `modelhost apply` prints on stdout, written as each outcome is journaled: a line per
//! target (text), or an element of the document's `targets` (JSON). Only the counts are
//! kept, so memory does not grow with the plan.

use std::io::Write;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use modelhost::cleanup::{Halt, Plan, Record};
use serde::Serialize;

use crate::args::Output;
use crate::outcome::Reported;
use crate::progress::Progress;
use crate::render::{self, Summary};

/// The layout of `modelhost apply --output json`.
const LAYOUT: u32 = 1;

/// The report being written.
pub struct Applied {
    output: Output,
    /// The journal, named in the closing lines.
    journal: std::path::PathBuf,
    state: Mutex<State>,
}

/// How the run ended, beyond the outcomes: the closing lines (or fields).
#[derive(Debug, Default, Serialize)]
pub struct Ending {
    /// Targets an earlier apply journaled as done.
    pub already_done: usize,
    /// Targets an earlier apply journaled as refused or changed (final, not done).
    pub already_ended: usize,
    /// Targets an earlier apply started without recording an outcome: read again first.
    pub resumed: usize,
    /// Targets this run did not start.
    pub not_started: usize,
    /// Why (as JSON: `interrupted`, `credential`, `max_actions`).
    #[serde(rename = "halted", serialize_with = "halt_codes")]
    pub halts: Vec<Halt>,
}

impl Ending {
    /// The ending of a run whose report says so.
    pub fn of(report: &modelhost::cleanup::ApplyReport) -> Self {
        Self {
            already_done: report.already_done,
            already_ended: report.already_ended,
            resumed: report.resumed,
            not_started: report.not_started,
            halts: report.halts.clone(),
        }
    }
}

/// A halt as its JSON code, and in words.
fn describe(halt: &Halt) -> (&'static str, &'static str) {
    match halt {
        Halt::Interrupted => ("interrupted", "interrupted"),
        Halt::Credential { .. } => ("credential", "a credential was refused"),
        Halt::MaxActions(_) => ("max_actions", "the most actions one apply may send were sent"),
        _ => ("other", "stopped"),
    }
}

fn halt_codes<S: serde::Serializer>(halts: &[Halt], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(halts.iter().map(|h| describe(h).0))
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

/// The document's opening fields: `modelhost apply --output json` is `{"layout", "plan",
/// "digest", "journal", "targets": [...], "already_done", "already_ended", "resumed",
/// "not_started", "halted", "summary"}`.
#[derive(Serialize)]
struct Head<'a> {
    layout: u32,
    plan: &'a Path,
    digest: &'a str,
    journal: &'a Path,
}

#[derive(Serialize)]
struct Tail<'a> {
    #[serde(flatten)]
    ending: &'a Ending,
    summary: &'a Summary,
}

impl Applied {
    /// Starts the report on `out` (stdout): for JSON, the document's opening fields.
    pub fn start(
        output: Output,
        out: Box<dyn Write + Send>,
        path: &Path,
        journal: &Path,
        plan: &Plan,
    ) -> Self {
        let head = (output == Output::Json).then(|| {
            let head = Head { layout: LAYOUT, plan: path, digest: &plan.digest, journal };
            let mut text = serde_json::to_string(&head).expect("the head serialises");
            text.pop(); // the closing brace: the targets follow
            text + ",\n\"targets\": ["
        });
        Self {
            output,
            journal: journal.to_owned(),
            state: Mutex::new(State { out, head, summary: Summary::default(), written: 0, failed: None }),
        }
    }

    /// How many targets have been reported.
    pub fn written(&self) -> usize {
        self.lock().written
    }

    /// One journaled outcome: counted, shown by `progress`, and written.
    pub fn record(&self, record: &Record, progress: &Progress) {
        let outcome = Reported::of_record(record);
        progress.finished(&outcome);
        let mut state = self.lock();
        state.summary.count(outcome.state());
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

    /// Ends the report: what an earlier run did, what this one did not start and why, and
    /// the counts.
    pub fn finish(self, ending: &Ending) -> std::io::Result<()> {
        let journal = &self.journal;
        let mut state = self.state.into_inner().unwrap_or_else(PoisonError::into_inner);
        let text = match self.output {
            Output::Json => {
                let tail = serde_json::to_string(&Tail { ending, summary: &state.summary })
                    .expect("the tail serialises");
                let newline = if state.written == 0 { "" } else { "\n" };
                format!("{newline}],\n{}\n", &tail[1..])
            }
            Output::Text => {
                let mut text = String::new();
                let earlier = [
                    (ending.already_done, "already done"),
                    (ending.already_ended, "refused or changed"),
                    (ending.resumed, "in flight, read again first,"),
                ];
                for (n, what) in earlier.iter().filter(|(n, _)| *n > 0) {
                    text += &format!("{n} {what} by an earlier apply (see {})\n", journal.display());
                }
                if ending.not_started > 0 {
                    let why: Vec<&str> = ending.halts.iter().map(|h| describe(h).1).collect();
                    let why = if why.is_empty() { "stopped".to_owned() } else { why.join(", ") };
                    text += &format!(
                        "{} not started: {why}; apply the plan again to go on\n",
                        ending.not_started
                    );
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
        // Flushed per outcome: a reader (or a kill) sees every outcome the journal has.
        let written =
            head.iter().map(String::as_bytes).chain([bytes]).try_for_each(|b| state.out.write_all(b));
        state.failed = written.and_then(|()| state.out.flush()).err();
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
            "state": outcome, "reason": null, "code": null, "at": "2026-07-01T00:00:00Z"}))
        .unwrap()
    }

    /// An empty plan (its digest is all the report shows of it).
    fn plan() -> Plan {
        let text = r#"{"format": 3, "digest": "", "made_at": "2026-07-01T00:00:00Z", "accounts": [],
            "policy_file": null, "max_actions": null, "rules": [], "targets": [], "kept": []}"#;
        let mut plan: Plan = serde_json::from_str(text).unwrap();
        plan.digest = plan.content_digest();
        plan
    }

    fn report(output: Output, records: &[Record]) -> String {
        let out = Shared::default();
        let progress = Progress::new(Mode::Quiet, records.len(), Hints::default());
        let (path, journal) = (Path::new("p.json"), Path::new("p.json.journal"));
        let applied = Applied::start(output, Box::new(out.clone()), path, journal, &plan());
        for r in records {
            applied.record(r, &progress);
        }
        let ending =
            Ending { already_done: 3, not_started: 1, halts: vec![Halt::Interrupted], ..Ending::default() };
        applied.finish(&ending).unwrap();
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
            assert_eq!(document["halted"], serde_json::json!(["interrupted"]));
            assert_eq!(document["summary"]["deleted"], u64::from(n > 0));
        }
        // Refused before acting (a stale plan): nothing on stdout, not half a document.
        let out = Shared::default();
        drop(Applied::start(Output::Json, Box::new(out.clone()), Path::new("p"), Path::new("j"), &plan()));
        assert!(out.0.lock().unwrap().is_empty());
        assert_eq!(
            report(Output::Text, &records),
            "baseten:m/deployments/a: deleted\nreplicate:o/n/versions/v: accepted\n\
             3 already done by an earlier apply (see p.json.journal)\n\
             1 not started: interrupted; apply the plan again to go on\n1 deleted, 1 accepted\n"
        );
    }
}
