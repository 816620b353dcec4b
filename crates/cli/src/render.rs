//! The result, printed on stdout: lines for people, or one JSON document for scripts.

use modelhost::{State, VersionInfo};
use serde::Serialize;

use crate::outcome::Reported;

/// The JSON layout's version; raised only when a field changes meaning or goes away.
const LAYOUT: u32 = 1;

/// `modelhost delete --output json`.
#[derive(Debug, Serialize)]
pub struct DeleteDocument<'a> {
    /// [`LAYOUT`].
    pub layout: u32,
    /// Whether nothing was sent.
    pub dry_run: bool,
    /// One object per target, a cascade's versions included.
    pub targets: &'a [Reported],
    /// Facts the providers imply (a Baseten model's deployments go with it).
    pub notes: &'a [String],
    /// How many targets ended in each state.
    pub summary: Summary,
}

/// Whether a count is 0 (left out of the JSON, which predates the states it counts).
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Counts per state.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    deleted: usize,
    accepted: usize,
    absent: usize,
    planned: usize,
    deactivated: usize,
    #[serde(skip_serializing_if = "is_zero")]
    scaled_to_zero: usize,
    #[serde(skip_serializing_if = "is_zero")]
    stopped: usize,
    changed: usize,
    refused: usize,
    failed: usize,
}

impl Summary {
    /// The counts of `outcomes`.
    pub fn of(outcomes: &[Reported]) -> Self {
        let mut summary = Self::default();
        for outcome in outcomes {
            summary.count(outcome.state());
        }
        summary
    }

    /// Counts one more target that ended in `state`.
    pub fn count(&mut self, state: State) {
        *match state {
            State::Deleted | State::ConfirmedByAbsence => &mut self.deleted,
            State::Accepted => &mut self.accepted,
            State::Absent => &mut self.absent,
            State::Planned => &mut self.planned,
            State::Deactivated => &mut self.deactivated,
            State::ScaledToZero => &mut self.scaled_to_zero,
            State::Stopped => &mut self.stopped,
            State::Changed => &mut self.changed,
            State::Refused => &mut self.refused,
            // Failed, and what a report never holds (started, a state added later).
            _ => &mut self.failed,
        } += 1;
    }
}

impl std::fmt::Display for Summary {
    /// `2 deleted, 1 accepted, 1 refused` (states with none left out).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counts = [
            (self.deleted, "deleted"),
            (self.accepted, "accepted"),
            (self.absent, "already absent"),
            (self.planned, "would be deleted"),
            (self.deactivated, "deactivated"),
            (self.scaled_to_zero, "scaled to zero"),
            (self.stopped, "stopped"),
            (self.changed, "changed since the plan"),
            (self.refused, "refused"),
            (self.failed, "failed"),
        ];
        let parts: Vec<String> =
            counts.iter().filter(|(n, _)| *n > 0).map(|(n, what)| format!("{n} {what}")).collect();
        f.write_str(&if parts.is_empty() { "nothing to do".to_owned() } else { parts.join(", ") })
    }
}

/// One target as a line: `replicate:alice/hello/versions/abc: accepted: deletion in progress`.
pub fn outcome_line(reported: &Reported) -> String {
    let outcome = &reported.outcome;
    let state = match outcome.state {
        State::Deleted | State::ConfirmedByAbsence => "deleted",
        State::Accepted => "accepted",
        State::Absent => "already absent",
        State::Planned => "would delete",
        State::Deactivated => "deactivated",
        State::ScaledToZero => "scaled to zero",
        State::Stopped => "stopped",
        State::Changed => "skipped",
        State::Refused => "refused",
        _ => "failed",
    };
    match &outcome.reason {
        Some(reason) => format!("{}: {state}: {reason}", outcome.target),
        None => format!("{}: {state}", outcome.target),
    }
}

/// The text report of a delete: a line per target, the notes, then the counts.
pub fn delete_text(outcomes: &[Reported], notes: &[String], dry_run: bool) -> String {
    let mut text = String::new();
    for outcome in outcomes {
        text += &outcome_line(outcome);
        text.push('\n');
    }
    for note in notes {
        text += &format!("note: {note}\n");
    }
    let dry = if dry_run { " (dry run: nothing was sent)" } else { "" };
    text += &format!("{}{dry}\n", Summary::of(outcomes));
    text
}

/// One version as `modelhost versions` prints it.
#[derive(Debug, Serialize)]
pub struct VersionRow {
    /// The reference that deletes it.
    pub reference: String,
    /// Its ID.
    pub id: String,
    /// When it was created (RFC 3339), where the provider says.
    pub created_at: Option<String>,
    /// Baseten's production deployment.
    pub production: bool,
    /// What holds it so that it cannot be deleted (Replicate deployments).
    pub held_by: Vec<String>,
}

impl VersionRow {
    /// The row of `version`, held by `held_by`.
    pub fn new(version: &VersionInfo, held_by: Vec<String>) -> Self {
        Self {
            reference: version.version.to_string(),
            id: version.version.version_id().to_owned(),
            created_at: version.created_at.clone(),
            production: version.is_production,
            held_by,
        }
    }
}

/// `modelhost versions --output json`.
#[derive(Debug, Serialize)]
pub struct VersionsDocument<'a> {
    /// [`LAYOUT`].
    pub layout: u32,
    /// The model listed.
    pub model: String,
    /// Its versions, newest first where the provider orders them.
    pub versions: &'a [VersionRow],
}

impl<'a> VersionsDocument<'a> {
    /// The document for `model`.
    pub fn new(model: String, versions: &'a [VersionRow]) -> Self {
        Self { layout: LAYOUT, model, versions }
    }
}

impl<'a> DeleteDocument<'a> {
    /// The document for these outcomes.
    pub fn new(dry_run: bool, targets: &'a [Reported], notes: &'a [String]) -> Self {
        Self { layout: LAYOUT, dry_run, targets, notes, summary: Summary::of(targets) }
    }
}

/// The versions as a table with aligned columns.
pub fn versions_text(rows: &[VersionRow]) -> String {
    let header = ["VERSION", "CREATED", "PRODUCTION", "HELD BY"];
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                r.id.clone(),
                r.created_at.clone().unwrap_or_else(|| "-".into()),
                if r.production { "yes".into() } else { "-".into() },
                if r.held_by.is_empty() { "-".into() } else { r.held_by.join(", ") },
            ]
        })
        .collect();
    let width = |i: usize| cells.iter().map(|c| c[i].len()).chain([header[i].len()]).max().unwrap_or(0);
    let widths = [width(0), width(1), width(2)];
    let line = |c: [&str; 4]| {
        format!(
            "{:w0$}  {:w1$}  {:w2$}  {}",
            c[0],
            c[1],
            c[2],
            c[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        )
        .trim_end()
        .to_owned()
            + "\n"
    };
    let mut text = line(header);
    for c in &cells {
        text += &line([&c[0], &c[1], &c[2], &c[3]]);
    }
    if rows.is_empty() {
        text += "(no versions)\n";
    }
    text
}

/// Pretty JSON with a final newline.
pub fn json(document: &impl Serialize) -> String {
    serde_json::to_string_pretty(document).expect("the documents serialise") + "\n"
}
