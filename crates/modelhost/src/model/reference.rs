//! References to everything the facade acts on, parsed and checked before any request is sent.
//!
//! The textual forms:
//!
//! | what | form |
//! | --- | --- |
//! | a Baseten model | `baseten:MODEL_ID` |
//! | a Baseten model deployment (its model versions) | `baseten:MODEL_ID/deployments/DEPLOYMENT_ID` |
//! | a Baseten chain | `baseten:chains/CHAIN_ID` |
//! | a Baseten chain deployment | `baseten:chains/CHAIN_ID/deployments/DEPLOYMENT_ID` |
//! | a Baseten training project | `baseten:training/PROJECT_ID` |
//! | a Baseten training job | `baseten:training/PROJECT_ID/jobs/JOB_ID` |
//! | a Replicate model | `replicate:OWNER/NAME` (or `replicate:models/OWNER/NAME`) |
//! | a Replicate version | `replicate:OWNER/NAME/versions/VERSION_ID` (or `replicate:models/…`) |
//! | a Replicate deployment | `replicate:deployments/OWNER/NAME` |
//!
//! The grammar is unambiguous: a form is decided by its number of parts and its fixed words.
//! Baseten's IDs are one part, so `baseten:chains` is a model and `baseten:chains/C` a chain.
//! On Replicate the owner `deployments` would make `replicate:deployments/NAME` read as a model
//! and `replicate:deployments/OWNER/NAME` as a deployment, so that owner's models are written
//! only in the long form `replicate:models/deployments/NAME[/versions/ID]`, which any owner may
//! use; the short form with that owner is refused, saying so.
//!
//! Each part is checked against what the provider allows, so a part can never carry a `/`,
//! `..`, a percent-escape, white space or a query into a URL and address another resource.

use std::fmt;
use std::str::FromStr;

use modelhost_text::{Escaped, capped};

use crate::EXCERPT_BYTES;

/// A model-hosting provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Provider {
    /// Baseten (`baseten:` references).
    Baseten,
    /// Replicate (`replicate:` references).
    Replicate,
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Baseten => "baseten",
            Self::Replicate => "replicate",
        })
    }
}

impl Provider {
    /// The environment variable that holds its credential (`BASETEN_API_KEY`,
    /// `REPLICATE_API_TOKEN`), named whether or not this build includes the provider.
    pub fn credential_env(self) -> &'static str {
        match self {
            Self::Baseten => "BASETEN_API_KEY",
            Self::Replicate => "REPLICATE_API_TOKEN",
        }
    }
}

/// A model on one provider. Built only by parsing or by the checked constructors
/// ([`ModelRef::baseten`], [`ModelRef::replicate`]); read through [`ModelRef::parts`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelRef(Model);

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Model {
    Baseten { model_id: String },
    Replicate { owner: String, name: String },
}

/// The parts of a [`ModelRef`], borrowed from it (a reference cannot be built from them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModelParts<'a> {
    /// A Baseten model, by ID.
    Baseten {
        /// The model ID.
        model_id: &'a str,
    },
    /// A Replicate model, by owner and name.
    Replicate {
        /// The user or organization that owns it.
        owner: &'a str,
        /// The model's name.
        name: &'a str,
    },
}

/// A version of a model: a Baseten deployment or a Replicate version. Its parts are checked
/// when it is made, so it cannot be built from them:
///
/// ```compile_fail,E0451
/// let model: modelhost::ModelRef = "baseten:m1".parse().unwrap();
/// let version = modelhost::VersionRef { model, version_id: "..".into() };
/// ```
///
/// Parse it, or ask its model for one ([`ModelRef::version`]), which checks the ID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VersionRef {
    model: ModelRef,
    version_id: String,
}

/// A Replicate deployment, which holds the version it serves: that version cannot be
/// deleted while it does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeploymentRef {
    owner: String,
    name: String,
}

impl DeploymentRef {
    /// A Replicate deployment, checked like a model's owner and name.
    pub fn replicate(owner: &str, name: &str) -> Result<Self, ReferenceError> {
        Ok(Self {
            owner: check_name(owner, "owner", DEPLOYMENT_FORM)?,
            name: check_name(name, "deployment name", DEPLOYMENT_FORM)?,
        })
    }

    /// The user or organization that owns it.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The provider it is on (Replicate: Baseten has no deployments that hold versions).
    pub fn provider(&self) -> Provider {
        Provider::Replicate
    }
}

impl fmt::Display for DeploymentRef {
    /// `replicate:deployments/OWNER/NAME`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "replicate:deployments/{}/{}", self.owner, self.name)
    }
}

/// A Baseten chain: `baseten:chains/CHAIN_ID` (deleting it deletes its deployments).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChainRef {
    chain_id: String,
}

/// A deployment of a Baseten chain: `baseten:chains/CHAIN_ID/deployments/DEPLOYMENT_ID`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChainDeploymentRef {
    chain: ChainRef,
    deployment_id: String,
}

/// A Baseten training project: `baseten:training/PROJECT_ID` (deleting it deletes its jobs).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrainingProjectRef {
    project_id: String,
}

/// A job of a Baseten training project: `baseten:training/PROJECT_ID/jobs/JOB_ID`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrainingJobRef {
    project: TrainingProjectRef,
    job_id: String,
}

impl ChainRef {
    /// A chain, its ID checked.
    pub fn new(chain_id: &str) -> Result<Self, ReferenceError> {
        Ok(Self { chain_id: check_id(chain_id, "chain ID", CHAIN_FORMS)? })
    }

    /// Its ID.
    pub fn chain_id(&self) -> &str {
        &self.chain_id
    }

    /// One of its deployments, the ID checked.
    pub fn deployment(&self, deployment_id: &str) -> Result<ChainDeploymentRef, ReferenceError> {
        let deployment_id = check_id(deployment_id, "chain deployment ID", CHAIN_FORMS)?;
        Ok(ChainDeploymentRef { chain: self.clone(), deployment_id })
    }
}

impl ChainDeploymentRef {
    /// The chain it is a deployment of.
    pub fn chain(&self) -> &ChainRef {
        &self.chain
    }

    /// Its ID.
    pub fn deployment_id(&self) -> &str {
        &self.deployment_id
    }
}

impl TrainingProjectRef {
    /// A training project, its ID checked.
    pub fn new(project_id: &str) -> Result<Self, ReferenceError> {
        Ok(Self { project_id: check_id(project_id, "training project ID", TRAINING_FORMS)? })
    }

    /// Its ID.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// One of its jobs, the ID checked.
    pub fn job(&self, job_id: &str) -> Result<TrainingJobRef, ReferenceError> {
        let job_id = check_id(job_id, "training job ID", TRAINING_FORMS)?;
        Ok(TrainingJobRef { project: self.clone(), job_id })
    }
}

impl TrainingJobRef {
    /// The project it belongs to.
    pub fn project(&self) -> &TrainingProjectRef {
        &self.project
    }

    /// Its ID.
    pub fn job_id(&self) -> &str {
        &self.job_id
    }
}

impl fmt::Display for ChainRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "baseten:chains/{}", self.chain_id)
    }
}

impl fmt::Display for ChainDeploymentRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/deployments/{}", self.chain, self.deployment_id)
    }
}

impl fmt::Display for TrainingProjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "baseten:training/{}", self.project_id)
    }
}

impl fmt::Display for TrainingJobRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/jobs/{}", self.project, self.job_id)
    }
}

/// Why a reference was refused. Says what is wrong and which form is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid reference `{}`: {}; expected {expected}", Escaped(.input), Escaped(.reason))]
pub struct ReferenceError {
    input: String,
    reason: String,
    expected: &'static str,
}

impl ReferenceError {
    /// The text as given (references hold no secrets), at most [`EXCERPT_BYTES`].
    pub fn input(&self) -> &str {
        &self.input
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The forms accepted.
    pub fn expected(&self) -> &'static str {
        self.expected
    }
}

const DEPLOYMENT_FORM: &str = "a deployment `replicate:deployments/OWNER/NAME`";
const MODEL_FORMS: &str = "`baseten:MODEL_ID` or `replicate:OWNER/NAME`";
const VERSION_FORMS: &str =
    "`baseten:MODEL_ID/deployments/DEPLOYMENT_ID` or `replicate:OWNER/NAME/versions/VERSION_ID`";
const CHAIN_FORMS: &str = "`baseten:chains/CHAIN_ID[/deployments/DEPLOYMENT_ID]`";
const TRAINING_FORMS: &str = "`baseten:training/PROJECT_ID[/jobs/JOB_ID]`";
/// Longest accepted part; longer is not an ID any provider issues.
const MAX_PART: usize = 128;

impl ModelRef {
    /// A Baseten model, checked.
    pub fn baseten(model_id: &str) -> Result<Self, ReferenceError> {
        let model_id = check_id(model_id, "model ID", MODEL_FORMS)?;
        Ok(Self(Model::Baseten { model_id }))
    }

    /// A Replicate model, checked.
    pub fn replicate(owner: &str, name: &str) -> Result<Self, ReferenceError> {
        let owner = check_name(owner, "owner", MODEL_FORMS)?;
        let name = check_name(name, "model name", MODEL_FORMS)?;
        Ok(Self(Model::Replicate { owner, name }))
    }

    /// The provider the model is on.
    pub fn provider(&self) -> Provider {
        match self.0 {
            Model::Baseten { .. } => Provider::Baseten,
            Model::Replicate { .. } => Provider::Replicate,
        }
    }

    /// Its parts.
    pub fn parts(&self) -> ModelParts<'_> {
        match &self.0 {
            Model::Baseten { model_id } => ModelParts::Baseten { model_id },
            Model::Replicate { owner, name } => ModelParts::Replicate { owner, name },
        }
    }

    #[cfg(feature = "baseten")]
    /// The Baseten model ID, for a Baseten host; any other reference is the wrong provider's.
    pub(crate) fn baseten_id(&self) -> Result<&str, crate::Error> {
        match &self.0 {
            Model::Baseten { model_id } => Ok(model_id),
            Model::Replicate { .. } => Err(self.wrong_provider(Provider::Baseten)),
        }
    }

    #[cfg(feature = "replicate")]
    /// The Replicate owner and name, for a Replicate host; any other reference is the wrong
    /// provider's.
    pub(crate) fn replicate_parts(&self) -> Result<(&str, &str), crate::Error> {
        match &self.0 {
            Model::Replicate { owner, name } => Ok((owner, name)),
            Model::Baseten { .. } => Err(self.wrong_provider(Provider::Replicate)),
        }
    }

    #[cfg(any(feature = "baseten", feature = "replicate"))]
    fn wrong_provider(&self, provider: Provider) -> crate::Error {
        crate::Error::WrongProvider { provider, reference: self.to_string() }
    }

    /// A version of this model, checked.
    pub fn version(&self, version_id: &str) -> Result<VersionRef, ReferenceError> {
        let version_id = check_id(version_id, "version ID", VERSION_FORMS)?;
        Ok(VersionRef { model: self.clone(), version_id })
    }
}

impl VersionRef {
    /// The provider the version is on.
    pub fn provider(&self) -> Provider {
        self.model.provider()
    }

    /// The model it belongs to.
    pub fn model(&self) -> &ModelRef {
        &self.model
    }

    /// The deployment ID (Baseten) or version ID (Replicate).
    pub fn version_id(&self) -> &str {
        &self.version_id
    }
}

impl fmt::Display for ModelRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Model::Baseten { model_id } => write!(f, "baseten:{model_id}"),
            Model::Replicate { owner, name } if owner == RESERVED_OWNER => {
                write!(f, "replicate:models/{owner}/{name}")
            }
            Model::Replicate { owner, name } => write!(f, "replicate:{owner}/{name}"),
        }
    }
}

impl fmt::Display for VersionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.model.0 {
            Model::Baseten { .. } => "deployments",
            Model::Replicate { .. } => "versions",
        };
        write!(f, "{}/{kind}/{}", self.model, self.version_id)
    }
}

/// `input` split once: its provider and the parts of the rest, or why it names no provider.
fn split(input: &str) -> Result<(Provider, Vec<&str>), String> {
    let Some((provider, rest)) = input.split_once(':') else {
        return Err("it does not start with `baseten:` or `replicate:`".to_owned());
    };
    let provider = match provider {
        "baseten" => Provider::Baseten,
        "replicate" => Provider::Replicate,
        other => return Err(format!("`{other}` is not a provider (baseten or replicate)")),
    };
    Ok((provider, rest.split('/').collect()))
}

/// The model `parts` name, `None` when they are not a model's shape.
fn model_of(input: &str, provider: Provider, parts: &[&str]) -> Option<Result<ModelRef, ReferenceError>> {
    let model = match (provider, parts) {
        (Provider::Baseten, [id]) => ModelRef::baseten(id),
        (Provider::Replicate, [RESERVED_OWNER, name]) => Err(reserved_owner(name, MODEL_FORMS)),
        (Provider::Replicate, ["models", owner, name] | [owner, name]) => ModelRef::replicate(owner, name),
        _ => return None,
    };
    Some(model.map_err(|e| ReferenceError { input: capped(input, EXCERPT_BYTES), ..e }))
}

/// The version `parts` name, `None` when they are not a version's shape.
fn version_of(input: &str, provider: Provider, parts: &[&str]) -> Option<Result<VersionRef, ReferenceError>> {
    let version = match (provider, parts) {
        (Provider::Baseten, [id, "deployments", version]) => {
            ModelRef::baseten(id).and_then(|m| m.version(version))
        }
        (Provider::Replicate, [RESERVED_OWNER, name, "versions", _]) => {
            Err(reserved_owner(name, VERSION_FORMS))
        }
        (
            Provider::Replicate,
            ["models", owner, name, "versions", version] | [owner, name, "versions", version],
        ) => ModelRef::replicate(owner, name).and_then(|m| m.version(version)),
        _ => return None,
    };
    Some(version.map_err(|e| ReferenceError {
        input: capped(input, EXCERPT_BYTES),
        expected: VERSION_FORMS,
        ..e
    }))
}

/// The deployment `parts` name, `None` when they are not a deployment's shape.
fn deployment_of(
    input: &str,
    provider: Provider,
    parts: &[&str],
) -> Option<Result<DeploymentRef, ReferenceError>> {
    match (provider, parts) {
        (Provider::Replicate, ["deployments", owner, name]) => Some(
            DeploymentRef::replicate(owner, name)
                .map_err(|e| ReferenceError { input: capped(input, EXCERPT_BYTES), ..e }),
        ),
        _ => None,
    }
}

/// The Replicate owner whose models are written only in the long form `replicate:models/…`:
/// in the short form it reads as the start of a deployment's reference.
const RESERVED_OWNER: &str = "deployments";

fn reserved_owner(name: &str, expected: &'static str) -> ReferenceError {
    error(
        name,
        &format!(
            "`replicate:deployments/…` names a deployment (`replicate:deployments/OWNER/NAME`); a model \
             of the user `deployments` is written `replicate:models/deployments/{}`",
            Escaped(name)
        ),
        expected,
    )
}

/// The Baseten chain or training resource `parts` name (as a [`Target`]), `None` when they
/// are not one of those shapes.
fn baseten_resource_of(
    input: &str,
    provider: Provider,
    parts: &[&str],
) -> Option<Result<Target, ReferenceError>> {
    let target = match (provider, parts) {
        (Provider::Baseten, ["chains", chain]) => ChainRef::new(chain).map(Target::Chain),
        (Provider::Baseten, ["chains", chain, "deployments", deployment]) => {
            ChainRef::new(chain).and_then(|c| c.deployment(deployment)).map(Target::ChainDeployment)
        }
        (Provider::Baseten, ["training", project]) => {
            TrainingProjectRef::new(project).map(Target::TrainingProject)
        }
        (Provider::Baseten, ["training", project, "jobs", job]) => {
            TrainingProjectRef::new(project).and_then(|p| p.job(job)).map(Target::TrainingJob)
        }
        _ => return None,
    };
    Some(target.map_err(|e| ReferenceError { input: capped(input, EXCERPT_BYTES), ..e }))
}

/// One Baseten resource kind out of [`baseten_resource_of`].
fn only<T>(
    pick: fn(Target) -> Option<T>,
) -> impl Fn(&str, Provider, &[&str]) -> Option<Result<T, ReferenceError>> {
    move |input, provider, parts| match baseten_resource_of(input, provider, parts)? {
        Ok(target) => pick(target).map(Ok),
        Err(e) => Some(Err(e)),
    }
}

/// `input` as the one kind `of` builds (from the text, its provider and its parts; `None`
/// when the parts are not that kind's shape), or why not: `forms` it should have, and `wrong`,
/// what this kind is on the provider it names.
fn parse_kind<T>(
    input: &str,
    forms: &'static str,
    of: impl Fn(&str, Provider, &[&str]) -> Option<Result<T, ReferenceError>>,
    wrong: fn(Provider) -> &'static str,
) -> Result<T, ReferenceError> {
    let (provider, parts) = split(input).map_err(|r| error(input, &r, forms))?;
    of(input, provider, &parts).unwrap_or_else(|| Err(error(input, wrong(provider), forms)))
}

/// `FromStr` of one kind of reference: its forms, its builder, and what the kind is on
/// each provider (said when the text is another shape).
macro_rules! kind_from_str {
    ($kind:ty, $forms:expr, $of:expr, baseten: $baseten:literal, replicate: $replicate:literal) => {
        impl FromStr for $kind {
            type Err = ReferenceError;

            fn from_str(input: &str) -> Result<Self, ReferenceError> {
                parse_kind(input, $forms, $of, |provider| match provider {
                    Provider::Baseten => $baseten,
                    Provider::Replicate => $replicate,
                })
            }
        }
    };
}

kind_from_str!(ModelRef, MODEL_FORMS, model_of,
    baseten: "a Baseten model is one ID, with no `/`",
    replicate: "a Replicate model is `OWNER/NAME`");
kind_from_str!(VersionRef, VERSION_FORMS, version_of,
    baseten: "a Baseten version is `MODEL_ID/deployments/DEPLOYMENT_ID`",
    replicate: "a Replicate version is `OWNER/NAME/versions/VERSION_ID`");
// `replicate:deployments/OWNER/NAME`.
kind_from_str!(DeploymentRef, DEPLOYMENT_FORM, deployment_of,
    baseten: "Baseten has no deployments that hold versions",
    replicate: "a Replicate deployment is `deployments/OWNER/NAME`");
kind_from_str!(ChainRef, CHAIN_FORMS, only(|t| match t { Target::Chain(c) => Some(c), _ => None }),
    baseten: "a Baseten chain is `chains/CHAIN_ID`",
    replicate: "Replicate has no chains");
kind_from_str!(ChainDeploymentRef, CHAIN_FORMS,
    only(|t| match t { Target::ChainDeployment(c) => Some(c), _ => None }),
    baseten: "a Baseten chain deployment is `chains/CHAIN_ID/deployments/DEPLOYMENT_ID`",
    replicate: "Replicate has no chains");
kind_from_str!(TrainingProjectRef, TRAINING_FORMS,
    only(|t| match t { Target::TrainingProject(p) => Some(p), _ => None }),
    baseten: "a Baseten training project is `training/PROJECT_ID`",
    replicate: "Replicate's trainings are not projects: name the model they made");
kind_from_str!(TrainingJobRef, TRAINING_FORMS, only(|t| match t { Target::TrainingJob(j) => Some(j), _ => None }),
    baseten: "a Baseten training job is `training/PROJECT_ID/jobs/JOB_ID`",
    replicate: "Replicate's trainings are not projects: name the model they made");

/// A model, a version or a deployment, by its reference: what a delete is aimed at, and
/// what a result says was deleted. Parses every reference form (see [`ModelRef`],
/// [`VersionRef`], [`DeploymentRef`]), splitting the text once:
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
    Version(VersionRef),
    /// A Replicate deployment (which holds the version it serves).
    Deployment(DeploymentRef),
    /// A Baseten chain.
    Chain(ChainRef),
    /// A deployment of a Baseten chain.
    ChainDeployment(ChainDeploymentRef),
    /// A Baseten training project.
    TrainingProject(TrainingProjectRef),
    /// A job of a Baseten training project.
    TrainingJob(TrainingJobRef),
}

impl Target {
    /// The provider the reference names.
    pub fn provider(&self) -> Provider {
        match self {
            Self::Model(m) => m.provider(),
            Self::Version(v) => v.provider(),
            Self::Deployment(d) => d.provider(),
            Self::Chain(_) | Self::ChainDeployment(_) | Self::TrainingProject(_) | Self::TrainingJob(_) => {
                Provider::Baseten
            }
        }
    }

    /// `model`, `version`, `deployment`, `chain`, `chain_deployment`, `training_project` or
    /// `training_job`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Model(_) => "model",
            Self::Version(_) => "version",
            Self::Deployment(_) => "deployment",
            Self::Chain(_) => "chain",
            Self::ChainDeployment(_) => "chain_deployment",
            Self::TrainingProject(_) => "training_project",
            Self::TrainingJob(_) => "training_job",
        }
    }
}

impl FromStr for Target {
    type Err = ReferenceError;

    fn from_str(input: &str) -> Result<Self, ReferenceError> {
        let (provider, parts) = split(input).map_err(|r| error(input, &r, TARGET_FORMS))?;
        if let Some(model) = model_of(input, provider, &parts) {
            return model.map(Self::Model);
        }
        if let Some(version) = version_of(input, provider, &parts) {
            return version.map(Self::Version);
        }
        if let Some(deployment) = deployment_of(input, provider, &parts) {
            return deployment.map(Self::Deployment);
        }
        baseten_resource_of(input, provider, &parts)
            .unwrap_or_else(|| Err(error(input, "it is none of the forms a reference takes", TARGET_FORMS)))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Model(m) => m.fmt(f),
            Self::Version(v) => v.fmt(f),
            Self::Deployment(d) => d.fmt(f),
            Self::Chain(c) => c.fmt(f),
            Self::ChainDeployment(c) => c.fmt(f),
            Self::TrainingProject(p) => p.fmt(f),
            Self::TrainingJob(j) => j.fmt(f),
        }
    }
}

const TARGET_FORMS: &str = "a model (`baseten:MODEL_ID`, `replicate:OWNER/NAME`), a version \
    (`baseten:MODEL_ID/deployments/DEPLOYMENT_ID`, `replicate:OWNER/NAME/versions/VERSION_ID`) \
    a deployment (`replicate:deployments/OWNER/NAME`), a chain or chain deployment \
    (`baseten:chains/CHAIN_ID[/deployments/DEPLOYMENT_ID]`) or a training project or job \
    (`baseten:training/PROJECT_ID[/jobs/JOB_ID]`)";

/// A refusal of `input`, for parsers of other reference-like forms (selectors).
pub(crate) fn refused(input: &str, reason: &str, expected: &'static str) -> ReferenceError {
    error(input, reason, expected)
}

/// References are written in plans and journals as the text they parse from, and checked
/// again when read: a hand-edited file cannot carry a reference that reaches elsewhere.
macro_rules! text_serde {
    ($($ty:ty),*) => {$(
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}

pub(crate) use text_serde;

text_serde!(
    ModelRef,
    VersionRef,
    DeploymentRef,
    ChainRef,
    ChainDeploymentRef,
    TrainingProjectRef,
    TrainingJobRef,
    Target
);

fn error(input: &str, reason: &str, expected: &'static str) -> ReferenceError {
    // A listed ID comes from a server: however long it is, the message stays short.
    ReferenceError { input: capped(input, EXCERPT_BYTES), reason: reason.to_owned(), expected }
}

/// An opaque ID: ASCII letters and digits (Baseten's IDs, Replicate's hex version IDs).
fn check_id(part: &str, what: &str, expected: &'static str) -> Result<String, ReferenceError> {
    check_part(part, what, expected, |c| c.is_ascii_alphanumeric(), "ASCII letters and digits")
}

/// A Replicate owner or model name: letters, digits, `-`, `_` and `.`, not starting with `.`.
fn check_name(part: &str, what: &str, expected: &'static str) -> Result<String, ReferenceError> {
    if part.starts_with('.') {
        return Err(error(part, &format!("the {what} must not start with `.`"), expected));
    }
    check_part(
        part,
        what,
        expected,
        |c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'),
        "ASCII letters, digits, `-`, `_` and `.`",
    )
}

fn check_part(
    part: &str,
    what: &str,
    expected: &'static str,
    allowed: impl Fn(char) -> bool,
    allowed_text: &str,
) -> Result<String, ReferenceError> {
    if part.is_empty() {
        return Err(error(part, &format!("the {what} is empty"), expected));
    }
    if part.len() > MAX_PART {
        return Err(error(part, &format!("the {what} is longer than {MAX_PART} characters"), expected));
    }
    if let Some(bad) = part.chars().find(|c| !allowed(*c)) {
        return Err(error(
            part,
            &format!("the {what} holds {bad:?}; only {allowed_text} are allowed"),
            expected,
        ));
    }
    Ok(part.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_form() {
        for text in ["baseten:abc123", "replicate:alice/hello-world.v2"] {
            assert_eq!(text.parse::<ModelRef>().unwrap().to_string(), text);
        }
        for text in [
            "baseten:abc123/deployments/xyz789",
            "replicate:alice/hello/versions/5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
        ] {
            assert_eq!(text.parse::<VersionRef>().unwrap().to_string(), text);
        }
    }

    #[test]
    fn refuses_anything_that_could_reach_another_resource() {
        let bad_models = [
            "",
            "baseten:",
            "baseten:a/b",
            "baseten:..",
            "baseten:a%2Fb",
            "baseten:a?x=1",
            "baseten:a b",
            "replicate:alice",
            "replicate:alice/",
            "replicate:/hello",
            "replicate:alice/..",
            "replicate:alice/.x",
            "replicate:alice/hello/versions/v1",
            "replicate:alice/he%6Clo",
            "replicate:alice/hello#x",
            "huggingface:x",
            "abc123",
            "BASETEN:abc",
            "baseten:abc\n",
            "replicate:ali\u{0441}e/x",
        ];
        for text in bad_models {
            let err = text.parse::<ModelRef>().unwrap_err();
            assert!(
                err.to_string().contains("expected `baseten:MODEL_ID` or `replicate:OWNER/NAME`"),
                "{text}: {err}"
            );
        }
        let too_long = format!("baseten:{}", "a".repeat(129));
        assert!(too_long.parse::<ModelRef>().unwrap_err().reason.contains("longer than 128"));
        for text in [
            "baseten:m/deployments/",
            "baseten:m/versions/d",
            "baseten:m/deployments/d/x",
            "replicate:a/b/versions/../x",
            "replicate:a/b/deployments/v",
            "replicate:a/b/versions/v%31",
        ] {
            assert!(text.parse::<VersionRef>().is_err(), "{text}");
        }
    }

    #[test]
    fn says_what_is_wrong() {
        let err = "replicate:alice/my model".parse::<ModelRef>().unwrap_err();
        assert_eq!(err.input, "replicate:alice/my model");
        assert_eq!(
            err.reason,
            "the model name holds ' '; only ASCII letters, digits, `-`, `_` and `.` are allowed"
        );
        let err = "baseten:m1/deployments/".parse::<VersionRef>().unwrap_err();
        assert_eq!(err.reason, "the version ID is empty");
    }

    #[test]
    fn a_user_named_deployments_is_reached_only_by_the_long_form() {
        for text in ["replicate:deployments/x", "replicate:deployments/x/versions/v1"] {
            let err = text.parse::<Target>().unwrap_err();
            assert!(err.reason().contains("replicate:models/deployments/x"), "{text}: {err}");
        }
        let model: ModelRef = "replicate:models/deployments/x".parse().unwrap();
        assert_eq!(model.parts(), ModelParts::Replicate { owner: "deployments", name: "x" });
        assert_eq!(model, ModelRef::replicate("deployments", "x").unwrap());
        let short: ModelRef = "replicate:models/alice/hello".parse().unwrap();
        assert_eq!(short.to_string(), "replicate:alice/hello", "the short form is canonical for others");
        assert!(matches!("replicate:deployments/x/y".parse::<Target>().unwrap(), Target::Deployment(_)));
    }

    #[test]
    fn each_kind_parses_only_its_own_form() {
        let job: TrainingJobRef = "baseten:training/p1/jobs/j1".parse().unwrap();
        assert_eq!((job.project().project_id(), job.job_id()), ("p1", "j1"));
        let deployment: ChainDeploymentRef = "baseten:chains/c1/deployments/d1".parse().unwrap();
        assert_eq!((deployment.chain().chain_id(), deployment.deployment_id()), ("c1", "d1"));
        assert!("baseten:chains/c1/deployments/d1".parse::<ChainRef>().is_err());
        assert!("baseten:training/p1".parse::<TrainingJobRef>().is_err());
        let err = "replicate:chains/c1".parse::<ChainRef>().unwrap_err();
        assert!(err.reason().contains("Replicate has no chains"), "{err}");
    }

    #[test]
    fn every_form_parses_to_what_it_names_and_round_trips() {
        for (text, kind) in [
            ("baseten:m1", "model"),
            ("baseten:m1/deployments/d1", "version"),
            ("replicate:alice/hello", "model"),
            ("replicate:models/deployments/x", "model"),
            ("replicate:alice/hello/versions/c1", "version"),
            ("replicate:models/deployments/x/versions/c1", "version"),
            ("replicate:deployments/alice/prod", "deployment"),
            ("baseten:chains", "model"),
            ("baseten:chains/c1", "chain"),
            ("baseten:chains/c1/deployments/d1", "chain_deployment"),
            ("baseten:training/p1", "training_project"),
            ("baseten:training/p1/jobs/j1", "training_job"),
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
            "baseten:chains/c1/jobs/j1",
            "baseten:chains/../deployments/d",
            "baseten:chains/c1/deployments/d1/x",
            "baseten:training/p1/deployments/d1",
            "baseten:training/p%31",
            "replicate:chains/c1/deployments/d1/x",
            "replicate:training/p1/jobs/j1/x",
        ] {
            let err = text.parse::<Target>().unwrap_err();
            assert!(err.to_string().starts_with("invalid reference"), "{text}: {err}");
        }
    }
}
