//! The journal of an apply: one JSON line per outcome, appended and flushed to disk before
//! the outcome counts as done, so a crash loses at most the line being written, and a torn
//! last line is ignored when the journal is read again.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::Plan;
use crate::{Action, VersionRef};

/// Where one planned action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// The provider says it is gone.
    Deleted,
    /// Accepted, finishing later (Replicate's versions).
    Accepted,
    /// Already gone when it was about to be acted on: done.
    Absent,
    /// Deactivated, as planned.
    Deactivated,
    /// The provider refused, for a reason a person can act on.
    Refused,
    /// Skipped: the facts it was chosen by no longer hold.
    Changed,
    /// No answer that settles it (network, rate limit outlasted, unexpected answer): tried
    /// again when the plan is applied again.
    Failed,
}

impl Outcome {
    /// Whether applying the plan again leaves it alone.
    pub fn is_final(self) -> bool {
        self != Self::Failed
    }

    /// Whether it counts as success for an exit status.
    pub fn is_success(self) -> bool {
        matches!(self, Self::Deleted | Self::Accepted | Self::Absent | Self::Deactivated)
    }
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Record {
    /// The version acted on.
    pub reference: VersionRef,
    /// The planned action.
    pub action: Action,
    /// Where it ended.
    pub outcome: Outcome,
    /// Why, in words (refused, changed, failed).
    pub reason: Option<String>,
    /// Why, as a stable code (the facade's `Error::code()`, or `changed`).
    pub code: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// The first line: which plan the journal belongs to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Header {
    journal: u32,
    plan_made_at: DateTime<Utc>,
    plan_targets: usize,
}

/// A journal that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// Reading or writing the file failed.
    #[error("{path}: {source}")]
    Io {
        /// The journal.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// A line before the last is not a record: the file is not this tool's journal, or it
    /// was edited.
    #[error("{path}:{line}: not a journal record ({reason})")]
    Corrupt {
        /// The journal.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A record was given for a place its plan does not have.
    #[error("{path}: the plan has no target {place}; nothing was written")]
    NotInPlan {
        /// The journal.
        path: PathBuf,
        /// The place given.
        place: usize,
    },
    /// It records another plan.
    #[error("{path} belongs to another plan (made {made_at}); apply that plan, or move the journal away")]
    OtherPlan {
        /// The journal.
        path: PathBuf,
        /// When its plan was made.
        made_at: DateTime<Utc>,
    },
}

/// An open journal: what earlier runs recorded, and the file new records are appended to.
/// It knows its plan's targets by their place in [`Plan::targets`], so what it keeps does
/// not grow with the length of their references.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    /// The last outcome recorded for each target of the plan, by its place.
    last: Vec<Option<Outcome>>,
}

impl Journal {
    /// Opens (or creates) the journal of `plan` at `path`, reading what earlier applies of
    /// the same plan recorded. A torn last line (a crash while writing it) is ignored and
    /// cut off, so the next record starts on a line of its own.
    pub fn open(path: &Path, plan: &Plan) -> Result<Self, JournalError> {
        let io = |source| JournalError::Io { path: path.to_owned(), source };
        let header = Header { journal: 1, plan_made_at: plan.made_at, plan_targets: plan.targets.len() };
        let places: HashMap<&VersionRef, usize> =
            plan.targets.iter().enumerate().map(|(i, t)| (&t.reference, i)).collect();
        let mut last = vec![None; plan.targets.len()];
        let mut whole = 0;
        let mut reader = match File::open(path) {
            Ok(file) => Some(BufReader::new(file)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(e)),
        };
        let mut line = Vec::new();
        let mut number = 0;
        while let Some(reader) = &mut reader {
            line.clear();
            if reader.read_until(b'\n', &mut line).map_err(io)? == 0 {
                break;
            }
            number += 1;
            let torn = line.last() != Some(&b'\n');
            let corrupt =
                |reason: String| JournalError::Corrupt { path: path.to_owned(), line: number, reason };
            if number == 1 {
                match serde_json::from_slice::<Header>(&line) {
                    Ok(found) if found == header => {}
                    Ok(found) => {
                        return Err(JournalError::OtherPlan {
                            path: path.to_owned(),
                            made_at: found.plan_made_at,
                        });
                    }
                    Err(_) if torn => break,
                    Err(e) => return Err(corrupt(e.to_string())),
                }
            } else {
                match serde_json::from_slice::<Record>(&line) {
                    Ok(record) if !torn => match places.get(&record.reference) {
                        Some(place) => last[*place] = Some(record.outcome),
                        None => return Err(corrupt(format!("{} is not in the plan", record.reference))),
                    },
                    Ok(_) => break,
                    Err(_) if torn => break,
                    Err(e) => return Err(corrupt(e.to_string())),
                }
            }
            whole += line.len();
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .map_err(io)?;
        file.set_len(whole as u64).map_err(io)?;
        let mut journal = Self { path: path.to_owned(), file, last };
        use std::io::Seek;
        journal.file.seek(std::io::SeekFrom::End(0)).map_err(io)?;
        if whole == 0 {
            let line = serde_json::to_string(&header).expect("a header serializes");
            journal.append_line(&line)?;
        }
        Ok(journal)
    }

    /// The last outcome recorded for the plan's target at `place` in [`Plan::targets`].
    pub fn last(&self, place: usize) -> Option<Outcome> {
        self.last.get(place).copied().flatten()
    }

    /// Appends the record of the plan's target at `place` and flushes it to disk; only then
    /// does it count.
    pub fn record(&mut self, place: usize, record: Record) -> Result<(), JournalError> {
        self.record_all(&[(place, record)])
    }

    /// Appends every record (each with its target's place in [`Plan::targets`]) in one
    /// write and flushes them to disk with one sync; only then do they count. A place
    /// outside the plan is refused before anything is written.
    pub fn record_all(&mut self, records: &[(usize, Record)]) -> Result<(), JournalError> {
        if let Some((place, _)) = records.iter().find(|(place, _)| *place >= self.last.len()) {
            return Err(JournalError::NotInPlan { path: self.path.clone(), place: *place });
        }
        let lines: Vec<String> =
            records.iter().map(|(_, r)| serde_json::to_string(r).expect("a record serializes")).collect();
        self.append_lines(&lines)?;
        for (place, record) in records {
            self.last[*place] = Some(record.outcome);
        }
        Ok(())
    }

    fn append_line(&mut self, line: &str) -> Result<(), JournalError> {
        self.append_lines(&[line.to_owned()])
    }

    fn append_lines(&mut self, lines: &[String]) -> Result<(), JournalError> {
        let io = |source| JournalError::Io { path: self.path.clone(), source };
        let mut bytes = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for line in lines {
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
        }
        self.file.write_all(&bytes).map_err(io)?;
        self.file.sync_data().map_err(io)
    }
}
