//! What a delete is aimed at, parsed from any of the reference forms.

use std::fmt;
use std::str::FromStr;

use crate::Provider;
use crate::reference::{DeploymentRef, ModelRef, ReferenceError, Shape, shape, unknown_shape};

/// A model, a version or a deployment, by its reference: what a delete is aimed at, and
/// what a result says was deleted. Parses every reference form (see [`ModelRef`],
/// [`VersionRef`](crate::VersionRef), [`DeploymentRef`]):
///
/// ```
/// use modelhost::Target;
///
/// let target: Target = "replicate:alice/hello/versions/5c7d5dc6".parse()?;
/// assert!(matches!(target, Target::Version(_)));
/// assert!("replicate:alice/hello/versions/..".parse::<Target>().is_err());
/// # Ok::<(), modelhost::ReferenceError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Target {
    /// A model.
    Model(ModelRef),
    /// A version (a Baseten deployment).
    Version(crate::VersionRef),
    /// A Replicate deployment (which holds the version it serves).
    Deployment(DeploymentRef),
}

impl Target {
    /// The provider the reference names.
    pub fn provider(&self) -> Provider {
        match self {
            Self::Model(m) => m.provider(),
            Self::Version(v) => v.provider(),
            Self::Deployment(d) => d.provider(),
        }
    }

    /// `model`, `version` or `deployment`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Model(_) => "model",
            Self::Version(_) => "version",
            Self::Deployment(_) => "deployment",
        }
    }
}

impl FromStr for Target {
    type Err = ReferenceError;

    fn from_str(input: &str) -> Result<Self, ReferenceError> {
        match shape(input) {
            Some(Shape::Model) => input.parse().map(Self::Model),
            Some(Shape::Version) => input.parse().map(Self::Version),
            Some(Shape::Deployment) => input.parse().map(Self::Deployment),
            None => Err(unknown_shape(input)),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Model(m) => m.fmt(f),
            Self::Version(v) => v.fmt(f),
            Self::Deployment(d) => d.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_parses_to_what_it_names_and_round_trips() {
        for (text, kind) in [
            ("baseten:m1", "model"),
            ("baseten:m1/deployments/d1", "version"),
            ("replicate:alice/hello", "model"),
            ("replicate:deployments/x", "model"),
            ("replicate:alice/hello/versions/c1", "version"),
            ("replicate:deployments/alice/prod", "deployment"),
        ] {
            let target: Target = text.parse().unwrap();
            assert_eq!((target.kind(), target.to_string().as_str()), (kind, text));
        }
        for text in [
            "baseten:m1/versions/d1",
            "replicate:a/../b",
            "replicate:a/b/deployments/c",
            "baseten:deployments/a/b",
            "replicate:deployments/a/..",
            "replicate:a/b/versions/c/d",
            "nowhere:x",
        ] {
            let err = text.parse::<Target>().unwrap_err();
            assert!(err.to_string().starts_with("invalid reference"), "{text}: {err}");
        }
    }
}
