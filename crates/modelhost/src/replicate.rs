//! Replicate behind [`ModelHost`]: models and their versions.

use std::collections::HashSet;

use modelhost_replicate::{API_TOKEN_ENV, Client, DEFAULT_BASE_URL};

use crate::classify;
use crate::outcome::finish_delete;
use crate::request::send;
use std::sync::Arc;

use crate::rate_gate::RateGate;
use crate::retry::{RetryPolicy, with_retries};
use crate::{
    ClientSettings, DeleteOptions, DeleteState, Deleted, Error, ModelHost, ModelRef, Provider, Secret,
    Target, VersionInfo, VersionRef,
};

/// Most pages of versions followed before giving up on a server that never ends its list.
const MAX_PAGES: usize = 10_000;

/// Replicate's HTTP API.
#[derive(Debug, Clone)]
pub struct Replicate {
    client: Client,
    retry: RetryPolicy,
    gate: Arc<RateGate>,
}

impl Replicate {
    /// A Replicate host using `api_token`, with the default [`RetryPolicy`].
    pub fn new(api_token: &Secret, settings: &ClientSettings) -> Result<Self, Error> {
        Ok(Self {
            client: Client::with_api_token(api_token, settings)?,
            retry: RetryPolicy::default(),
            gate: Arc::default(),
        })
    }

    /// A Replicate host for `https://api.replicate.com/v1` with the token in `REPLICATE_API_TOKEN`.
    pub fn from_env() -> Result<Self, Error> {
        Self::new(&Secret::from_env(API_TOKEN_ENV)?, &ClientSettings::new(DEFAULT_BASE_URL))
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
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

/// The `cursor` query parameter of a `next` URL.
fn cursor_of(next: &str) -> Result<String, Error> {
    let url = url::Url::parse(next).map_err(|e| unexpected(format!("`next` is not a URL ({e}): {next}")))?;
    url.query_pairs()
        .find(|(k, _)| k == "cursor")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| unexpected(format!("`next` has no cursor: {next}")))
}

#[async_trait::async_trait]
impl ModelHost for Replicate {
    fn model_delete_removes_versions(&self) -> bool {
        false
    }

    fn provider(&self) -> Provider {
        Provider::Replicate
    }

    async fn delete_model(&self, model: &ModelRef, options: &DeleteOptions) -> Result<Deleted, Error> {
        let (owner, name) = owner_name(model)?;
        let retried = with_retries(&self.retry, &self.gate, |attempt| async move {
            let request = self.client.models_delete().model_owner(owner).model_name(name).send();
            send(Provider::Replicate, "models.delete", attempt, request).await?;
            Ok((DeleteState::Done, None))
        })
        .await;
        finish_delete(Provider::Replicate, Target::Model(model.clone()), options, retried)
    }

    async fn delete_version(&self, version: &VersionRef, options: &DeleteOptions) -> Result<Deleted, Error> {
        let (owner, name) = owner_name(&version.model)?;
        let id = version.version_id.as_str();
        let retried = with_retries(&self.retry, &self.gate, |attempt| async move {
            let request = self
                .client
                .models_versions_delete()
                .model_owner(owner)
                .model_name(name)
                .version_id(id)
                .send();
            send(Provider::Replicate, "models.versions.delete", attempt, request).await?;
            Ok((DeleteState::Accepted, None))
        })
        .await;
        finish_delete(Provider::Replicate, Target::Version(version.clone()), options, retried)
    }

    async fn list_versions(&self, model: &ModelRef) -> Result<Vec<VersionInfo>, Error> {
        let (owner, name) = owner_name(model)?;
        let mut versions = Vec::new();
        let mut cursor: Option<String> = None;
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let page_cursor = cursor.as_deref();
            let retried = with_retries(&self.retry, &self.gate, |attempt| async move {
                let mut request = self.client.models_versions_list().model_owner(owner).model_name(name);
                if let Some(c) = page_cursor {
                    request = request.cursor(c);
                }
                send(Provider::Replicate, "models.versions.list", attempt, request.send()).await
            })
            .await;
            let page = retried
                .result
                .map_err(|f| classify::into_error(Provider::Replicate, &model.to_string(), f))?;
            let page = page.into_inner();
            for v in page.results {
                let version = model
                    .version(&v.id)
                    .map_err(|e| unexpected(format!("a listed version ID is not usable: {e}")))?;
                versions.push(VersionInfo {
                    version,
                    created_at: Some(v.created_at.to_rfc3339()),
                    is_production: false,
                });
            }
            let Some(next) = page.next else { return Ok(versions) };
            let next_cursor = cursor_of(&next)?;
            if !seen.insert(next_cursor.clone()) {
                return Err(unexpected(format!("the version list loops back to cursor `{next_cursor}`")));
            }
            cursor = Some(next_cursor);
        }
        Err(unexpected(format!("the version list did not end after {MAX_PAGES} pages")))
    }
}
