//! Replicate behind [`ModelHost`]: models, their versions, and the deployments that hold them.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::future::Future;

use modelhost_replicate::{Client, types};
use progenitor_client::{ClientInfo, ResponseValue};

use modelhost_text::capped;

use futures::future::BoxFuture;

use crate::client::Exchange;
use crate::client::exchange::{About, json};
use crate::{
    Account, Action, Capabilities, ClientSettings, DeleteOptions, Deleted, DeploymentRef, EXCERPT_BYTES,
    Error, Holder, ModelHost, ModelRef, Observer, Provider, ReferenceError, Secret, State, Target,
    VersionInfo, VersionRef,
};

/// Most pages of versions followed before giving up on a server that never ends its list.
const MAX_PAGES: usize = 10_000;
/// Longest `next` link followed, in bytes (Replicate's are under 200).
const MAX_NEXT: usize = 4096;

/// Replicate's HTTP API.
#[derive(Debug, Clone)]
pub struct Replicate {
    pub(super) client: Client,
    pub(super) exchange: Exchange,
}

super::host_builders!(Replicate, Provider::Replicate);

impl Replicate {
    /// A Replicate host using `api_token`, with the default [`RetryPolicy`](crate::RetryPolicy).
    pub fn new(api_token: &Secret, settings: &ClientSettings) -> Result<Self, Error> {
        Ok(Self::over(Client::with_api_token(api_token, settings)?))
    }

    /// A Replicate host for `https://api.replicate.com/v1` (or `REPLICATE_BASE_URL`) with the token
    /// in `REPLICATE_API_TOKEN`.
    pub fn from_env() -> Result<Self, Error> {
        Ok(Self::over(Client::from_env()?))
    }

    /// Deletes a model (once its versions are gone), a version (accepted: Replicate finishes
    /// it later) or a deployment.
    async fn delete_now(&self, target: Target, options: &DeleteOptions) -> Result<Deleted, Error> {
        let (exchanged, done) = match &target {
            Target::Model(model) => {
                let (owner, name) = model.replicate_parts()?;
                let request = || self.client.models_delete().model_owner(owner).model_name(name).send();
                (self.exchange.send(&target, any_json, request).await, State::Deleted)
            }
            Target::Version(version) => {
                let (owner, name) = version.model().replicate_parts()?;
                let id = version.version_id();
                let request = || {
                    self.client
                        .models_versions_delete()
                        .model_owner(owner)
                        .model_name(name)
                        .version_id(id)
                        .send()
                };
                (self.exchange.send(&target, any_json, request).await, State::Accepted)
            }
            Target::Deployment(deployment) => {
                let (owner, name) = (deployment.owner(), deployment.name());
                let request =
                    || self.client.deployments_delete().deployment_owner(owner).deployment_name(name).send();
                (self.exchange.send(&target, any_json, request).await, State::Deleted)
            }
            other => {
                return Err(Error::WrongProvider {
                    provider: Provider::Replicate,
                    reference: other.to_string(),
                });
            }
        };
        let (state, tombstone) = exchanged.settle_delete(&target, options, |_| Ok((done, None)))?;
        Ok(Deleted::new(target, state, tombstone))
    }
}

/// A listed answer that is not usable, with the status it came with.
fn unexpected(status: u16, excerpt: String) -> Error {
    Error::UnexpectedResponse { provider: Provider::Replicate, status: Some(status), excerpt }
}

/// Replicate documents no body for its deletes: any JSON an undocumented status brings is
/// taken as the documented success (see `Exchange::undocumented_success`).
fn any_json(body: &[u8]) -> serde_json::Result<()> {
    serde_json::from_slice::<serde::de::IgnoredAny>(body).map(drop)
}

/// The `cursor` query parameter of a `next` URL, refused when it is longer than any cursor a
/// real list hands out (it would be sent back in a URL).
fn cursor_of(status: u16, next: &str) -> Result<String, Error> {
    let shown = || capped(next, EXCERPT_BYTES);
    if next.len() > MAX_NEXT {
        return Err(unexpected(
            status,
            format!(
                "`next` is {} bytes long, more than the {MAX_NEXT} any real page link takes: {}",
                next.len(),
                shown()
            ),
        ));
    }
    let url = url::Url::parse(next)
        .map_err(|e| unexpected(status, format!("`next` is not a URL ({e}): {}", shown())))?;
    url.query_pairs()
        .find(|(k, _)| k == "cursor")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| unexpected(status, format!("`next` has no cursor: {}", shown())))
}

#[async_trait::async_trait]
impl ModelHost for Replicate {
    fn provider(&self) -> Provider {
        Provider::Replicate
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            version_delete_is_async: true,
            deployments_hold_versions: true,
            ..Capabilities::default()
        }
    }

    fn observer(&self) -> Option<&dyn Observer> {
        self.exchange.observer()
    }

    async fn costs(
        &self,
        scopes: &[crate::costs::Scope],
        prices: &crate::costs::PriceTable,
        window: &crate::costs::Window,
    ) -> Result<crate::costs::Costs, Error> {
        self.costs_now(scopes, prices, window).await
    }

    fn delete<'a>(
        &'a self,
        target: Target,
        options: &'a DeleteOptions,
    ) -> BoxFuture<'a, Result<Deleted, Error>> {
        Box::pin(self.delete_now(target, options))
    }

    async fn list_versions(&self, model: &ModelRef) -> Result<Vec<VersionInfo>, Error> {
        let (owner, name) = model.replicate_parts()?;
        let pages = self.pages(model, |cursor| {
            let mut request = self.client.models_versions_list().model_owner(owner).model_name(name);
            if let Some(c) = cursor {
                request = request.cursor(c);
            }
            request.send()
        });
        let mut versions = Vec::new();
        for (status, page) in pages.await? {
            for v in page.results {
                // A version without an ID cannot be named, so it could not be deleted either.
                let id = v.id.ok_or_else(|| unexpected(status, "a listed version has no `id`".to_owned()))?;
                let version = model
                    .version(&id)
                    .map_err(|e| unexpected(status, format!("a listed version ID is not usable: {e}")))?;
                versions.push(VersionInfo::new(version, v.created_at.map(|t| t.to_rfc3339())));
            }
        }
        Ok(versions)
    }

    async fn account(&self) -> Result<Account, Error> {
        let about = "the token's account";
        let request = || self.client.account_get().send();
        let answer = self.exchange.send(&about, json, request).await.into_answer(&about)?;
        let username = answer.body.and_then(|a: types::Account| a.username).filter(|u| !u.is_empty());
        let Some(username) = username else {
            return Err(unexpected(answer.status, "the account has no `username`".to_owned()));
        };
        Ok(Account::new(Provider::Replicate, self.client.baseurl(), &username, None))
    }

    async fn version_info(&self, version: &VersionRef) -> Result<VersionInfo, Error> {
        let (owner, name) = version.model().replicate_parts()?;
        let id = version.version_id();
        let target = Target::Version(version.clone());
        let request =
            || self.client.models_versions_get().model_owner(owner).model_name(name).version_id(id).send();
        let answer = self.exchange.send(&target, json, request).await.into_answer(&target)?;
        let found: types::Version = answer
            .body
            .ok_or_else(|| unexpected(answer.status, "the answer about a version has no body".to_owned()))?;
        if found.id.as_deref().is_some_and(|said| said != id) {
            let said = capped(found.id.as_deref().unwrap_or_default(), EXCERPT_BYTES);
            return Err(unexpected(
                answer.status,
                format!("asked for version `{id}`, the answer is `{said}`"),
            ));
        }
        Ok(VersionInfo::new(version.clone(), found.created_at.map(|t| t.to_rfc3339())))
    }

    fn supports(&self, target: &Target, action: Action) -> bool {
        target.provider() == Provider::Replicate && action.applies_to(target)
    }

    async fn change(&self, target: &Target, action: Action) -> Result<Deleted, Error> {
        let (Target::Deployment(deployment), Action::ScaleToZero) = (target, action) else {
            return Err(crate::unsupported(Provider::Replicate, target, action));
        };
        let (owner, name) = (deployment.owner(), deployment.name());
        let body = types::DeploymentUpdate { min_instances: Some(0), ..Default::default() };
        let request = || {
            self.client
                .deployments_update()
                .deployment_owner(owner)
                .deployment_name(name)
                .body(body.clone())
                .send()
        };
        let exchanged = self.exchange.send(target, json, request).await;
        let (state, tombstone) = exchanged.settle_delete(target, &DeleteOptions::default(), |answer| {
            let Some(now) = answer.body else { return Ok((State::ScaledToZero, None)) };
            let now: types::Deployment = now;
            let named = (now.owner.as_deref(), now.name.as_deref());
            if named != (Some(owner), Some(name)) {
                let said =
                    capped(&format!("{}/{}", named.0.unwrap_or("?"), named.1.unwrap_or("?")), EXCERPT_BYTES);
                return Err(unexpected(
                    answer.status,
                    format!("asked to update {owner}/{name}, the answer is {said}"),
                ));
            }
            let min = now.current_release.and_then(|r| r.configuration).and_then(|c| c.min_instances);
            match min {
                Some(0) => Ok((State::ScaledToZero, None)),
                other => Err(unexpected(
                    answer.status,
                    format!("the updated deployment says min_instances is {other:?}, not 0"),
                )),
            }
        })?;
        Ok(Deleted::new(target.clone(), state, tombstone))
    }

    async fn holders(&self, model: &ModelRef) -> Result<Vec<Holder>, Error> {
        let mut one = self.holders_of(&BTreeSet::from([model])).await?;
        Ok(one.remove(model).unwrap_or_default())
    }

    async fn holders_of(
        &self,
        models: &BTreeSet<&ModelRef>,
    ) -> Result<BTreeMap<ModelRef, Vec<Holder>>, Error> {
        let mut served: BTreeMap<String, (&ModelRef, Vec<Holder>)> = BTreeMap::new();
        for model in models {
            let (owner, name) = model.replicate_parts()?;
            served.insert(format!("{owner}/{name}"), (model, Vec::new()));
        }
        let pages = self.pages(&"the deployments", |cursor| {
            let mut request = self.client.deployments_list();
            if let Some(c) = cursor {
                request = request.cursor(c);
            }
            request.send()
        });
        for (status, page) in pages.await? {
            for d in page.results {
                let Some(release) = d.current_release else { continue };
                let (Some(model_name), Some(version)) = (release.model, release.version) else { continue };
                let Some((model, holders)) = served.get_mut(&model_name) else { continue };
                let usable =
                    |e: ReferenceError| unexpected(status, format!("a listed deployment is not usable: {e}"));
                let deployment = DeploymentRef::replicate(
                    d.owner.as_deref().unwrap_or_default(),
                    d.name.as_deref().unwrap_or_default(),
                )
                .map_err(usable)?;
                let version = model.version(&version).map_err(usable)?;
                holders.push(Holder { deployment, version, release: release.number });
            }
        }
        Ok(served.into_values().map(|(model, holders)| (model.clone(), holders)).collect())
    }
}

/// One page of a Replicate list.
pub(super) trait Page {
    /// The URL of the next page.
    fn next(&self) -> Option<&str>;
}

impl Page for types::PaginatedVersions {
    fn next(&self) -> Option<&str> {
        self.next.as_deref()
    }
}

impl Page for types::PaginatedPredictions {
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
    /// Every page of a list about `what`, with the status each came with, following each
    /// page's `next` cursor (retried page by page) until there is none, refusing a list that
    /// loops or never ends.
    pub(super) async fn pages<'a, P, Fut>(
        &'a self,
        what: &About,
        request: impl Fn(Option<&str>) -> Fut,
    ) -> Result<Vec<(u16, P)>, Error>
    where
        P: Page + serde::de::DeserializeOwned,
        Fut: Future<Output = Result<ResponseValue<P>, progenitor_client::Error<()>>> + 'a,
    {
        let mut pages = Vec::new();
        let mut cursor: Option<String> = None;
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let page_cursor = cursor.as_deref();
            let exchanged = self.exchange.send(what, json, || request(page_cursor)).await;
            let answer = exchanged.into_answer(what)?;
            let status = answer.status;
            let Some(page) = answer.body else {
                return Err(unexpected(status, format!("a page of {what} came without a body")));
            };
            let next = page.next().map(|n| cursor_of(status, n)).transpose()?;
            pages.push((status, page));
            let Some(next) = next else { return Ok(pages) };
            if !seen.insert(next.clone()) {
                let next = capped(&next, EXCERPT_BYTES);
                return Err(unexpected(status, format!("the list of {what} loops back to cursor `{next}`")));
            }
            cursor = Some(next);
        }
        Err(Error::UnexpectedResponse {
            provider: Provider::Replicate,
            status: None,
            excerpt: format!("the list of {what} did not end after {MAX_PAGES} pages"),
        })
    }
}
