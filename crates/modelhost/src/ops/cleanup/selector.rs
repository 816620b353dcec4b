//! What a clean-up looks at: every model, chain deployment, training job or Replicate
//! deployment of an account, one named model, chain, project or deployment, or one named
//! target; and the group each target is decided in (a model's versions, a chain's
//! deployments, a project's jobs, a Replicate deployment alone).

use std::fmt;
use std::str::FromStr;

use crate::costs::Scope;
use crate::{Provider, ReferenceError, Target};

/// Where a clean-up looks: `baseten:*` (every model of the account), `baseten:chains/*`,
/// `baseten:training/*`, `replicate:deployments/*`, a named model (`baseten:MODEL_ID`,
/// `replicate:OWNER/NAME`), chain (`baseten:chains/CHAIN_ID`), training project
/// (`baseten:training/PROJECT_ID`) or Replicate deployment
/// (`replicate:deployments/OWNER/NAME`), or one target (`baseten:MODEL_ID/deployments/ID`,
/// …), whose group is read whole so that it is ranked among its siblings. Replicate's API
/// cannot list an account's private models, so `replicate:*` is refused: name them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Selector {
    /// Every model of the account on this provider.
    AllModels(Provider),
    /// Every chain's deployments (Baseten).
    AllChains,
    /// Every training project's jobs (Baseten).
    AllTraining,
    /// Every deployment of the account (Replicate).
    AllDeployments,
    /// One group (a model, a chain, a training project, a Replicate deployment) or one
    /// target of a group (a version, a chain deployment, a training job).
    Named(Target),
}

const FORMS: &str = "`baseten:*`, `baseten:chains/*`, `baseten:training/*`, `replicate:deployments/*`, \
    `baseten:MODEL_ID`, `replicate:OWNER/NAME`, `baseten:chains/CHAIN_ID`, `baseten:training/PROJECT_ID` \
    `replicate:deployments/OWNER/NAME`, or one target of them";

impl Selector {
    /// The provider it looks at.
    pub fn provider(&self) -> Provider {
        match self {
            Self::AllModels(provider) => *provider,
            Self::AllChains | Self::AllTraining => Provider::Baseten,
            Self::AllDeployments => Provider::Replicate,
            Self::Named(target) => target.provider(),
        }
    }

    /// Whether `target` (a version, chain deployment, training job or Replicate deployment)
    /// is one it selects.
    pub fn covers(&self, target: &Target) -> bool {
        match self {
            Self::Named(named) => named == target || group_of(target).as_ref() == Some(named),
            _ => group_of(target).is_some_and(|group| self.lists(&group)),
        }
    }

    /// Whether the group `group` (a model, chain, training project, Replicate deployment) is
    /// read for it: the groups it covers, and the group of the one target it names.
    pub fn lists(&self, group: &Target) -> bool {
        match (self, group) {
            (Self::AllModels(provider), Target::Model(m)) => m.provider() == *provider,
            (Self::AllChains, Target::Chain(_))
            | (Self::AllTraining, Target::TrainingProject(_))
            | (Self::AllDeployments, Target::Deployment(_)) => true,
            (Self::Named(named), group) => named == group || group_of(named).as_ref() == Some(group),
            _ => false,
        }
    }

    /// The group it names (itself, or the group of the one target it names).
    fn named_group(&self) -> Option<Target> {
        let Self::Named(named) = self else { return None };
        Some(group_of(named).unwrap_or_else(|| named.clone()))
    }

    /// The model whose versions it reads: the one it names (or names a version of).
    pub(crate) fn model(&self) -> Option<crate::ModelRef> {
        match self.named_group() {
            Some(Target::Model(m)) => Some(m),
            _ => None,
        }
    }

    /// The Replicate model whose versions are listed for it.
    pub(crate) fn replicate_model(&self) -> Option<crate::ModelRef> {
        self.model().filter(|m| m.provider() == Provider::Replicate)
    }

    /// What the cost model reads for it; `None` for a Replicate model (or version), whose
    /// versions cost nothing while they stand (its deployments do).
    pub(crate) fn scope(&self) -> Option<Scope> {
        match self {
            Self::AllModels(Provider::Baseten) => Some(Scope::BasetenModels),
            Self::AllModels(Provider::Replicate) => None,
            Self::AllChains => Some(Scope::BasetenChains),
            Self::AllTraining => Some(Scope::BasetenTraining),
            Self::AllDeployments => Some(Scope::ReplicateDeployments),
            Self::Named(_) if self.replicate_model().is_some() => None,
            Self::Named(_) => self.named_group().map(Scope::Within),
        }
    }
}

/// The group `target` is decided in (ranked among, never emptied by a delete): a version's
/// model, a chain deployment's chain, a job's project; a Replicate deployment is its own.
/// `None` for what is not a clean-up's target (a model, a chain, a project).
pub fn group_of(target: &Target) -> Option<Target> {
    match target {
        Target::Version(v) => Some(Target::Model(v.model().clone())),
        Target::ChainDeployment(d) => Some(Target::Chain(d.chain().clone())),
        Target::TrainingJob(j) => Some(Target::TrainingProject(j.project().clone())),
        Target::Deployment(_) => Some(target.clone()),
        _ => None,
    }
}

impl FromStr for Selector {
    type Err = ReferenceError;

    fn from_str(input: &str) -> Result<Self, ReferenceError> {
        let refused = |reason: &str| crate::model::reference::refused(input, reason, FORMS);
        match input {
            "baseten:*" => Ok(Self::AllModels(Provider::Baseten)),
            "baseten:chains/*" => Ok(Self::AllChains),
            "baseten:training/*" => Ok(Self::AllTraining),
            "replicate:deployments/*" => Ok(Self::AllDeployments),
            "replicate:*" => Err(refused(
                "Replicate's API cannot list an account's private models: name each one (its deployments are `replicate:deployments/*`)",
            )),
            _ => input.parse::<Target>().map(Self::Named),
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AllModels(provider) => write!(f, "{provider}:*"),
            Self::AllChains => f.write_str("baseten:chains/*"),
            Self::AllTraining => f.write_str("baseten:training/*"),
            Self::AllDeployments => f.write_str("replicate:deployments/*"),
            Self::Named(target) => target.fmt(f),
        }
    }
}

crate::model::reference::text_serde!(Selector);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_form_and_refuses_replicate_wildcards_and_members() {
        assert_eq!("baseten:*".parse::<Selector>().unwrap(), Selector::AllModels(Provider::Baseten));
        for text in [
            "baseten:m1",
            "replicate:alice/hello",
            "baseten:chains/*",
            "baseten:training/*",
            "replicate:deployments/*",
            "baseten:chains/c1",
            "baseten:training/p1",
            "replicate:deployments/alice/prod",
        ] {
            assert_eq!(text.parse::<Selector>().unwrap().to_string(), text);
        }
        let err = "replicate:*".parse::<Selector>().unwrap_err();
        assert!(err.reason().contains("cannot list"), "{err}");
        assert!("baseten:**".parse::<Selector>().is_err());
        for member in
            ["baseten:m1/deployments/d1", "baseten:training/p1/jobs/j1", "replicate:a/b/versions/v1"]
        {
            assert_eq!(member.parse::<Selector>().unwrap().to_string(), member);
        }
    }

    #[test]
    fn each_selector_covers_the_targets_of_its_groups() {
        let target = |t: &str| t.parse::<Target>().unwrap();
        let selector = |s: &str| s.parse::<Selector>().unwrap();
        assert!(selector("baseten:*").covers(&target("baseten:m1/deployments/d1")));
        assert!(!selector("baseten:*").covers(&target("baseten:chains/c1/deployments/d1")));
        assert!(selector("baseten:chains/*").covers(&target("baseten:chains/c1/deployments/d1")));
        assert!(selector("baseten:chains/c1").covers(&target("baseten:chains/c1/deployments/d1")));
        assert!(!selector("baseten:chains/c2").covers(&target("baseten:chains/c1/deployments/d1")));
        assert!(selector("baseten:training/*").covers(&target("baseten:training/p1/jobs/j1")));
        assert!(selector("replicate:deployments/*").covers(&target("replicate:deployments/alice/prod")));
        assert!(
            selector("replicate:deployments/alice/prod").covers(&target("replicate:deployments/alice/prod"))
        );
        assert!(!selector("replicate:alice/hello").covers(&target("replicate:deployments/alice/hello")));
        assert!(selector("replicate:alice/hello").covers(&target("replicate:alice/hello/versions/v1")));
        assert!(!selector("baseten:*").covers(&target("baseten:m1")), "a model is not a target");
        let one = selector("baseten:m1/deployments/d1");
        assert!(one.covers(&target("baseten:m1/deployments/d1")));
        assert!(!one.covers(&target("baseten:m1/deployments/d2")), "its siblings are read, not selected");
        assert!(one.lists(&target("baseten:m1")) && !one.lists(&target("baseten:m2")));
        assert_eq!(one.scope(), Some(Scope::Within(target("baseten:m1"))));
        let version = selector("replicate:alice/hello/versions/v1");
        assert_eq!(
            (version.scope(), version.replicate_model()),
            (None, Some("replicate:alice/hello".parse().unwrap()))
        );
    }
}
