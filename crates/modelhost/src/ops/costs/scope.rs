//! What `modelhost costs` looks at: every resource of a billable kind, or what one
//! reference names or contains.

use std::fmt;
use std::str::FromStr;

use crate::{Provider, ReferenceError, Target, VersionRef};

/// Where a cost report looks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Scope {
    /// Every model deployment of the Baseten account (`baseten:*`).
    BasetenModels,
    /// Every chain deployment (`baseten:chains/*`).
    BasetenChains,
    /// Every training job (`baseten:training/*`).
    BasetenTraining,
    /// Every Replicate deployment of the account (`replicate:deployments/*`).
    ReplicateDeployments,
    /// What one reference names or contains: a model's deployments, a chain's deployments,
    /// a project's jobs; on Replicate, the deployments serving a model or version.
    Within(Target),
}

const FORMS: &str =
    "`baseten:*`, `baseten:chains/*`, `baseten:training/*`, `replicate:deployments/*` or a reference";

impl Scope {
    /// Everything billable on `provider`: what no selector means.
    pub fn everything(provider: Provider) -> Vec<Scope> {
        match provider {
            Provider::Baseten => vec![Self::BasetenModels, Self::BasetenChains, Self::BasetenTraining],
            Provider::Replicate => vec![Self::ReplicateDeployments],
        }
    }

    /// The provider it looks at.
    pub fn provider(&self) -> Provider {
        match self {
            Self::BasetenModels | Self::BasetenChains | Self::BasetenTraining => Provider::Baseten,
            Self::ReplicateDeployments => Provider::Replicate,
            Self::Within(target) => target.provider(),
        }
    }

    /// Whether the resource `target` (on Replicate, a deployment serving `serves`) is one it
    /// looks at.
    pub fn covers(&self, target: &Target, serves: Option<&VersionRef>) -> bool {
        match (self, target) {
            (Self::BasetenModels, Target::Version(v)) => v.provider() == Provider::Baseten,
            (Self::BasetenChains, Target::ChainDeployment(_))
            | (Self::BasetenTraining, Target::TrainingJob(_))
            | (Self::ReplicateDeployments, Target::Deployment(_)) => true,
            (Self::Within(within), _) if within == target => true,
            (Self::Within(Target::Model(m)), Target::Version(v)) => v.model() == m,
            (Self::Within(Target::Model(m)), Target::Deployment(_)) => serves.is_some_and(|v| v.model() == m),
            (Self::Within(Target::Version(named)), Target::Deployment(_)) => serves == Some(named),
            (Self::Within(Target::Chain(c)), Target::ChainDeployment(d)) => d.chain() == c,
            (Self::Within(Target::TrainingProject(p)), Target::TrainingJob(j)) => j.project() == p,
            _ => false,
        }
    }
}

impl FromStr for Scope {
    type Err = ReferenceError;

    fn from_str(input: &str) -> Result<Self, ReferenceError> {
        match input {
            "baseten:*" => Ok(Self::BasetenModels),
            "baseten:chains/*" => Ok(Self::BasetenChains),
            "baseten:training/*" => Ok(Self::BasetenTraining),
            "replicate:deployments/*" => Ok(Self::ReplicateDeployments),
            "replicate:*" => Err(crate::model::reference::refused(
                input,
                "Replicate's API cannot list an account's private models; its deployments are `replicate:deployments/*`",
                FORMS,
            )),
            _ => input.parse::<Target>().map(Self::Within),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BasetenModels => f.write_str("baseten:*"),
            Self::BasetenChains => f.write_str("baseten:chains/*"),
            Self::BasetenTraining => f.write_str("baseten:training/*"),
            Self::ReplicateDeployments => f.write_str("replicate:deployments/*"),
            Self::Within(target) => target.fmt(f),
        }
    }
}

crate::model::reference::text_serde!(Scope);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_wildcard_covers_its_kind_and_a_reference_what_it_contains() {
        for text in
            ["baseten:*", "baseten:chains/*", "baseten:training/*", "replicate:deployments/*", "baseten:m1"]
        {
            assert_eq!(text.parse::<Scope>().unwrap().to_string(), text);
        }
        assert!("replicate:*".parse::<Scope>().unwrap_err().reason().contains("replicate:deployments/*"));
        let target = |t: &str| t.parse::<Target>().unwrap();
        let chain: Scope = "baseten:chains/c1".parse().unwrap();
        assert!(chain.covers(&target("baseten:chains/c1/deployments/d1"), None));
        assert!(!chain.covers(&target("baseten:chains/c2/deployments/d1"), None));
        let model: Scope = "replicate:alice/hello".parse().unwrap();
        let serves: VersionRef = "replicate:alice/hello/versions/v1".parse().unwrap();
        assert!(model.covers(&target("replicate:deployments/alice/prod"), Some(&serves)));
        assert!(!model.covers(&target("replicate:deployments/alice/prod"), None));
        assert!(!Scope::BasetenModels.covers(&target("baseten:chains/c1/deployments/d1"), None));
    }
}
