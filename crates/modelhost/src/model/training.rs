//! A Baseten training job's status, read once for what stops it and what it costs.

/// A training job's `current_status`: a free string in Baseten's API, where truss writes
/// `TRAINING_JOB_{CREATED, DEPLOYING, RUNNING, COMPLETED, FAILED, STOPPED, DEPLOY_FAILED}`.
/// Read with or without the `TRAINING_JOB_` prefix and in any case; a status it does not
/// know is neither ended nor billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainingStatus<'a>(&'a str);

impl<'a> TrainingStatus<'a> {
    /// The status as the API gives it.
    pub fn of(status: &'a str) -> Self {
        Self(status)
    }

    fn word(&self) -> String {
        let upper = self.0.trim().to_ascii_uppercase();
        upper.strip_prefix("TRAINING_JOB_").map(str::to_owned).unwrap_or(upper)
    }

    /// Whether the job has ended (completed, failed or stopped): stopping it changes nothing.
    pub fn has_ended(&self) -> bool {
        matches!(self.word().as_str(), "COMPLETED" | "FAILED" | "STOPPED" | "DEPLOY_FAILED")
    }

    /// Whether its compute is up and billed now (deploying or running): until it ends or is
    /// stopped, so its floor is its cost now.
    pub fn is_billed(&self) -> bool {
        matches!(self.word().as_str(), "DEPLOYING" | "RUNNING")
    }
}

#[cfg(test)]
mod tests {
    use super::TrainingStatus;

    #[test]
    fn reads_truss_statuses_with_or_without_the_prefix() {
        assert!(TrainingStatus::of("TRAINING_JOB_RUNNING").is_billed());
        assert!(TrainingStatus::of("running").is_billed());
        assert!(TrainingStatus::of("TRAINING_JOB_STOPPED").has_ended());
        assert!(!TrainingStatus::of("TRAINING_JOB_CREATED").is_billed());
        let unknown = TrainingStatus::of("HIBERNATING");
        assert!(!unknown.is_billed() && !unknown.has_ended());
    }
}
