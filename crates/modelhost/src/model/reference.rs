//! References to models and versions, parsed and checked before any request is sent.
//!
//! The textual forms:
//!
//! | what | form |
//! | --- | --- |
//! | a Baseten model | `baseten:MODEL_ID` |
//! | a Baseten deployment (its model versions) | `baseten:MODEL_ID/deployments/DEPLOYMENT_ID` |
//! | a Replicate model | `replicate:OWNER/NAME` |
//! | a Replicate version | `replicate:OWNER/NAME/versions/VERSION_ID` |
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
        (Provider::Replicate, [owner, name]) => ModelRef::replicate(owner, name),
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
        (Provider::Replicate, [owner, name, "versions", version]) => {
            ModelRef::replicate(owner, name).and_then(|m| m.version(version))
        }
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

/// What builds one kind of reference from the text, its provider and its parts: `None`
/// when the parts are not that kind's shape.
type Builder<T> = fn(&str, Provider, &[&str]) -> Option<Result<T, ReferenceError>>;

/// `input` as the one kind `of` builds, or why not: `forms` it should have, and `wrong`,
/// what this kind is on the provider it names.
fn parse_kind<T>(
    input: &str,
    forms: &'static str,
    of: Builder<T>,
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
        let (provider, parts) = split(input).map_err(|r| error(input, &r, TARGET_FORMS))?;
        if let Some(model) = model_of(input, provider, &parts) {
            return model.map(Self::Model);
        }
        if let Some(version) = version_of(input, provider, &parts) {
            return version.map(Self::Version);
        }
        match deployment_of(input, provider, &parts) {
            Some(deployment) => deployment.map(Self::Deployment),
            None => Err(error(input, "it is neither a model, a version nor a deployment", TARGET_FORMS)),
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

const TARGET_FORMS: &str = "a model (`baseten:MODEL_ID`, `replicate:OWNER/NAME`), a version \
    (`baseten:MODEL_ID/deployments/DEPLOYMENT_ID`, `replicate:OWNER/NAME/versions/VERSION_ID`) \
    or a deployment (`replicate:deployments/OWNER/NAME`)";

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

text_serde!(ModelRef, VersionRef, DeploymentRef, Target);

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
