//! What listing a model finds: its versions, and what holds them.

use std::collections::BTreeMap;
use std::fmt;

use crate::{DeploymentRef, VersionRef};

/// A version of a model, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VersionInfo {
    /// The version, as a reference that can be deleted.
    pub version: VersionRef,
    /// When it was created (RFC 3339), where the provider says.
    pub created_at: Option<String>,
    /// Baseten: whether this is the production deployment, which cannot be deleted alone.
    pub is_production: bool,
    /// Baseten: whether this is the model's development deployment.
    pub is_development: bool,
    /// Baseten: the environment the deployment is bound to, if any.
    pub environment: Option<String>,
    /// Baseten: its `DeploymentStatusV1` as the API writes it (`ACTIVE`, `BUILD_FAILED`, …;
    /// a status this client does not know as it came).
    pub status: Option<String>,
    /// Baseten: the deployment's labels (a value that is not a string as its JSON text).
    pub labels: BTreeMap<String, String>,
}

impl VersionInfo {
    /// A listed version with nothing known beyond its reference and creation time.
    pub(crate) fn new(version: VersionRef, created_at: Option<String>) -> Self {
        Self {
            version,
            created_at,
            is_production: false,
            is_development: false,
            environment: None,
            status: None,
            labels: BTreeMap::new(),
        }
    }
}

/// What holds a version so that it cannot be deleted: a Replicate deployment serving it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Holder {
    /// The deployment.
    pub deployment: DeploymentRef,
    /// The version it serves.
    pub version: VersionRef,
    /// Its current release's number, where the provider says.
    pub release: Option<i64>,
}

impl fmt::Display for Holder {
    /// `replicate:deployments/alice/prod (release 3)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.release {
            Some(n) => write!(f, "{} (release {n})", self.deployment),
            None => self.deployment.fmt(f),
        }
    }
}
