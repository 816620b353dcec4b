//! Replicate behind [`ModelHost`]: models, their versions, and the deployments that hold them.

use std::collections::HashSet;

use std::future::Future;

use modelhost_replicate::{API_TOKEN_ENV, BASE_URL_ENV, Client, DEFAULT_BASE_URL, types};
use progenitor_client::ResponseValue;

use crate::classify;
use crate::outcome::{answer, finish_delete};
use crate::text::capped;
use std::sync::Arc;

use crate::observe::Observed;
use crate::rate_gate::RateGate;
use crate::retry::RetryPolicy;
use crate::{
    ClientSettings, DeleteOptions, DeleteState, Deleted, DeploymentRef, EXCERPT_BYTES, Error, Holder,
    ModelHost, ModelRef, Observer, Provider, ReferenceError, Secret, Target, VersionInfo, VersionRef,
};

/// Most pages of versions followed before giving up on a server that never ends its list.
const MAX_PAGES: usize = 10_000;
/// Longest `next` link followed, in bytes (Replicate's are under 200).
const MAX_NEXT: usize = 4096;

/// Replicate's HTTP API.
#[derive(Debug, Clone)]
pub struct Replicate {
    client: Client,
    retry: RetryPolicy,
    gate: Arc<RateGate>,
    observer: Option<Observed>,
}

impl Replicate {
    /// A Replicate host using `api_token`, with the default [`RetryPolicy`].
    pub fn new(api_token: &Secret, settings: &ClientSettings) -> Result<Self, Error> {
        Ok(Self {
            client: Client::with_api_token(api_token, settings)?,
            retry: RetryPolicy::default(),
            gate: Arc::default(),
            observer: None,
        })
    }

    /// A Replicate host for `https://api.replicate.com/v1` (or `REPLICATE_BASE_URL`) with the token
    /// in `REPLICATE_API_TOKEN`.
    pub fn from_env() -> Result<Self, Error> {
        Self::new(
            &Secret::from_env(API_TOKEN_ENV)?,
            &ClientSettings::from_env(BASE_URL_ENV, DEFAULT_BASE_URL)?,
        )
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Reports rate limits, and the progress of cascades through this host, to `observer`.
    pub fn with_observer(mut self, observer: Arc<dyn Observer>) -> Self {
        self.gate = Arc::new(RateGate::observed(Provider::Replicate, Observed(Arc::clone(&observer))));
        self.observer = Some(Observed(observer));
        self
    }
}

fn owner_name(model: &ModelRef) -> Result<(&str, &str), Error> {
    match model {
        ModelRef::Replicate { owner, name } => Ok((owner, name)),
        other => Err(Error::WrongProvider { provider: Provider::Replicate, reference: other.to_string() }),
    }
}

fn unexpected(excerpt: String) -> Error {
    Error::UnexpectedResponse { provider: Provider::Replicate, status: 200, excerpt }
}

/// Replicate documents no body for its deletes: any JSON an undocumented status brings is
/// taken as the documented success (see `outcome::answer`).
fn any_json(body: &[u8]) -> serde_json::Result<()> {
    serde_json::from_slice::<serde::de::IgnoredAny>(body).map(drop)
}

/// The `cursor` query parameter of a `next` URL, refused when it is longer than any cursor a
/// real list hands out (it would be sent back in a URL).
fn cursor_of(next: &str) -> Result<String, Error> {
    let shown = || capped(next, EXCERPT_BYTES);
    if next.len() > MAX_NEXT {
        return Err(unexpected(format!(
            "`next` is {} bytes long, more than the {MAX_NEXT} any real page link takes: {}",
            next.len(),
            shown()
        )));
    }
    let url =
        url::Url::parse(next).map_err(|e| unexpected(format!("`next` is not a URL ({e}): {}", shown())))?;
    url.query_pairs()
        .find(|(k, _)| k == "cursor")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| unexpected(format!("`next` has no cursor: {}", shown())))
}

#[async_trait::async_trait]
impl ModelHost for Replicate {
    fn model_delete_removes_versions(&self) -> bool {
        false
    }

    fn provider(&self) -> Provider {
        Provider::Replicate
    }

    fn observer(&self) -> Option<&dyn Observer> {
        self.observer.as_ref().map(|o| &*o.0)
    }

    async fn delete_model(&self, model: &ModelRef, options: &DeleteOptions) -> Result<Deleted, Error> {
        let (owner, name) = owner_name(model)?;
        let request = || self.client.models_delete().model_owner(owner).model_name(name).send();
        let retried = answer(exchange!(&self.retry, &self.gate, Provider::Replicate, request()), any_json);
        finish_delete(Provider::Replicate, Target::Model(model.clone()), options, retried, |_, _| {
            Ok((DeleteState::Done, None))
        })
    }

    async fn delete_version(&self, version: &VersionRef, options: &DeleteOptions) -> Result<Deleted, Error> {
        let (owner, name) = owner_name(&version.model)?;
        let id = version.version_id.as_str();
        let request =
            || self.client.models_versions_delete().model_owner(owner).model_name(name).version_id(id).send();
        let retried = answer(exchange!(&self.retry, &self.gate, Provider::Replicate, request()), any_json);
        finish_delete(Provider::Replicate, Target::Version(version.clone()), options, retried, |_, _| {
            Ok((DeleteState::Accepted, None))
        })
    }

    async fn list_versions(&self, model: &ModelRef) -> Result<Vec<VersionInfo>, Error> {
        let (owner, name) = owner_name(model)?;
        let what = model.to_string();
        let pages = self.pages(&what, |cursor| {
            let mut request = self.client.models_versions_list().model_owner(owner).model_name(name);
            if let Some(c) = cursor {
                request = request.cursor(c);
            }
            request.send()
        });
        let mut versions = Vec::new();
        for page in pages.await? {
            for v in page.results {
                // A version without an ID cannot be named, so it could not be deleted either.
                let id = v.id.ok_or_else(|| unexpected("a listed version has no `id`".to_owned()))?;
                let version = model
                    .version(&id)
                    .map_err(|e| unexpected(format!("a listed version ID is not usable: {e}")))?;
                versions.push(VersionInfo {
                    version,
                    created_at: v.created_at.map(|t| t.to_rfc3339()),
                    is_production: false,
                });
            }
        }
        Ok(versions)
    }

    async fn holders(&self, model: &ModelRef) -> Result<Vec<Holder>, Error> {
        let (owner, name) = owner_name(model)?;
        let served = format!("{owner}/{name}");
        let pages = self.pages("the deployments", |cursor| {
            let mut request = self.client.deployments_list();
            if let Some(c) = cursor {
                request = request.cursor(c);
            }
            request.send()
        });
        let mut holders = Vec::new();
        for page in pages.await? {
            for d in page.results {
                let Some(release) = d.current_release else { continue };
                let (Some(model_name), Some(version)) = (release.model, release.version) else { continue };
                if model_name != served {
                    continue;
                }
                let usable =
                    |e: ReferenceError| unexpected(format!("a listed deployment is not usable: {e}"));
                let deployment = DeploymentRef::replicate(
                    d.owner.as_deref().unwrap_or_default(),
                    d.name.as_deref().unwrap_or_default(),
                )
                .map_err(usable)?;
                let version = model.version(&version).map_err(usable)?;
                holders.push(Holder { deployment, version, release: release.number });
            }
        }
        Ok(holders)
    }

    async fn delete_deployment(
        &self,
        deployment: &DeploymentRef,
        options: &DeleteOptions,
    ) -> Result<Deleted, Error> {
        let (owner, name) = (deployment.owner.as_str(), deployment.name.as_str());
        let request =
            || self.client.deployments_delete().deployment_owner(owner).deployment_name(name).send();
        let retried = answer(exchange!(&self.retry, &self.gate, Provider::Replicate, request()), any_json);
        finish_delete(
            Provider::Replicate,
            Target::Deployment(deployment.clone()),
            options,
            retried,
            |_, _| Ok((DeleteState::Done, None)),
        )
    }
}

/// One page of a Replicate list.
trait Page {
    /// The URL of the next page.
    fn next(&self) -> Option<&str>;
}

impl Page for types::PaginatedVersions {
    fn next(&self) -> Option<&str> {
        self.next.as_deref()
    }
}

impl Page for types::PaginatedDeployments {
    fn next(&self) -> Option<&str> {
        self.next.as_deref()
    }
}

impl Replicate {
    /// Every page of a list about `what`, following each page's `next` cursor (retried
    /// page by page) until there is none, refusing a list that loops or never ends.
    async fn pages<'a, P, Fut>(
        &'a self,
        what: &str,
        request: impl Fn(Option<&str>) -> Fut,
    ) -> Result<Vec<P>, Error>
    where
        P: Page,
        Fut: Future<Output = Result<ResponseValue<P>, progenitor_client::Error<()>>> + 'a,
    {
        let mut pages = Vec::new();
        let mut cursor: Option<String> = None;
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let page_cursor = cursor.as_deref();
            let retried = exchange!(&self.retry, &self.gate, Provider::Replicate, request(page_cursor));
            let page =
                retried.result.map_err(|f| classify::into_error(Provider::Replicate, what, f))?.into_inner();
            let next = page.next().map(cursor_of).transpose()?;
            pages.push(page);
            let Some(next) = next else { return Ok(pages) };
            if !seen.insert(next.clone()) {
                let next = capped(&next, EXCERPT_BYTES);
                return Err(unexpected(format!("the list of {what} loops back to cursor `{next}`")));
            }
            cursor = Some(next);
        }
        Err(unexpected(format!("the list of {what} did not end after {MAX_PAGES} pages")))
    }
}
