//! The journal of an apply: one JSON line per event, appended (`O_APPEND`) and synced to
//! disk before it counts. Before an action is sent, a `started` line says so (write-ahead),
//! so a resume knows what was in flight; its outcome follows. A crash loses at most the
//! lines being written, and a torn last line (header included) is ignored and cut off when
//! the journal is opened again. One apply at a time holds it: an exclusive lock on
//! `JOURNAL.lock`, which names the process holding it.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::Plan;
use crate::{Action, Outcome, State, Target};

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Record {
    /// Where the action on a version of the plan ended, and why.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// The planned action.
    pub action: Action,
    /// When.
    pub at: DateTime<Utc>,
}

impl Record {
    /// What `action` on `target` came to, now.
    pub fn new(
        target: &Target,
        action: Action,
        state: State,
        reason: Option<String>,
        code: Option<String>,
    ) -> Self {
        Self::of(Outcome::new(target.clone(), state, reason, code), action)
    }

    /// `action` ended in `outcome`, now.
    pub fn of(outcome: Outcome, action: Action) -> Self {
        Self { outcome, action, at: Utc::now() }
    }
}

/// The first line: which plan the journal belongs to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Header {
    journal: u32,
    plan_digest: String,
    plan_targets: usize,
}

impl Header {
    fn of(plan: &Plan) -> Self {
        Self { journal: 2, plan_digest: plan.digest.clone(), plan_targets: plan.targets.len() }
    }
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
    #[error("{path} belongs to another plan (digest {digest}); apply that plan, or name another journal")]
    OtherPlan {
        /// The journal.
        path: PathBuf,
        /// The digest of its plan.
        digest: String,
    },
    /// Another apply of the plan holds the journal.
    #[error("{path} is in use by another apply{}; wait for it to end", .pid.map(|p| format!(" (process {p})")).unwrap_or_default())]
    Busy {
        /// The journal.
        path: PathBuf,
        /// The process holding it, where its lock file says.
        pid: Option<u32>,
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
    last: Vec<Option<State>>,
    /// Held while the journal is open.
    _lock: File,
}

impl Journal {
    /// Opens (or creates) the journal of `plan` at `path`, taking its lock (refused with
    /// [`JournalError::Busy`] while another apply holds it), and reads what earlier applies of
    /// the same plan recorded. A torn last line (a crash while writing it) is ignored and cut
    /// off, so the next record starts on a line of its own. A new journal's directory is
    /// synced, so the file itself survives a crash.
    pub fn open(path: &Path, plan: &Plan) -> Result<Self, JournalError> {
        let io = |source| JournalError::Io { path: path.to_owned(), source };
        let lock = lock(path)?;
        let (last, whole) = read(path, plan)?;
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(io)?;
        file.set_len(whole).map_err(io)?;
        let mut journal = Self { path: path.to_owned(), file, last, _lock: lock };
        if whole == 0 {
            let line = serde_json::to_string(&Header::of(plan)).expect("a header serializes");
            journal.append_lines(&[line])?;
            super::sync_parent(path).map_err(io)?;
        }
        Ok(journal)
    }

    /// What the journal at `path` records for each of `plan`'s targets, by place, without
    /// creating, locking or changing it: nothing recorded when it does not exist.
    pub fn outcomes(path: &Path, plan: &Plan) -> Result<Vec<Option<State>>, JournalError> {
        read(path, plan).map(|(last, _)| last)
    }

    /// The last outcome recorded for the plan's target at `place` in [`Plan::targets`].
    pub fn last(&self, place: usize) -> Option<State> {
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
            self.last[*place] = Some(record.outcome.state);
        }
        Ok(())
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

/// Reads the journal at `path` of `plan`: the last outcome of each target by place, and the
/// length of its whole lines (what a torn last line is cut back to).
fn read(path: &Path, plan: &Plan) -> Result<(Vec<Option<State>>, u64), JournalError> {
    let io = |source| JournalError::Io { path: path.to_owned(), source };
    let header = Header::of(plan);
    let places: HashMap<&Target, usize> =
        plan.targets.iter().enumerate().map(|(i, t)| (&t.reference, i)).collect();
    let mut last = vec![None; plan.targets.len()];
    let mut whole = 0;
    let mut reader = match File::open(path) {
        Ok(file) => BufReader::new(file),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((last, 0)),
        Err(e) => return Err(io(e)),
    };
    let mut line = Vec::new();
    for number in 1.. {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(io)? == 0 {
            break;
        }
        // A line without its newline was being written when the writer stopped: whatever it
        // says, it does not count, header or record.
        if line.last() != Some(&b'\n') {
            break;
        }
        let corrupt = |reason: String| JournalError::Corrupt { path: path.to_owned(), line: number, reason };
        if number == 1 {
            match serde_json::from_slice::<Header>(&line) {
                Ok(found) if found == header => {}
                Ok(found) => {
                    let digest = crate::Escaped(&found.plan_digest).to_string();
                    return Err(JournalError::OtherPlan { path: path.to_owned(), digest });
                }
                Err(e) => return Err(corrupt(e.to_string())),
            }
        } else {
            match serde_json::from_slice::<Record>(&line) {
                Ok(record) => match places.get(&record.outcome.target) {
                    Some(place) => last[*place] = Some(record.outcome.state),
                    None => return Err(corrupt(format!("{} is not in the plan", record.outcome.target))),
                },
                Err(e) => return Err(corrupt(e.to_string())),
            }
        }
        whole += line.len() as u64;
    }
    Ok((last, whole))
}

/// Takes the journal's lock, `JOURNAL.lock` beside it, writing this process's ID into it;
/// the lock goes with the returned file (or with the process, however it ends).
fn lock(journal: &Path) -> Result<File, JournalError> {
    let mut name = journal.as_os_str().to_owned();
    name.push(".lock");
    let path = PathBuf::from(name);
    let io = |source| JournalError::Io { path: path.clone(), source };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let pid = std::io::Read::read_to_string(&mut file, &mut holder)
                .ok()
                .and_then(|_| holder.trim().parse().ok());
            return Err(JournalError::Busy { path: journal.to_owned(), pid });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
    }
    file.set_len(0).map_err(io)?;
    file.write_all(std::process::id().to_string().as_bytes()).map_err(io)?;
    Ok(file)
}
