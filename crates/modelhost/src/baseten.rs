//! Baseten behind [`ModelHost`]: models, with deployments as their versions.

use std::sync::Arc;

use modelhost_baseten::{Client, types};

use crate::deleted::finish_delete;
use crate::exchange::{Exchange, json};
use crate::text::capped;
use crate::{
    Capabilities, ClientSettings, ConflictReason, DeleteOptions, DeleteState, Deleted, EXCERPT_BYTES, Error,
    ModelHost, ModelRef, Observer, Provider, RetryPolicy, Secret, Target, Tombstone, VersionInfo, VersionRef,
};

/// Baseten's management API.
#[derive(Debug, Clone)]
pub struct Baseten {
    client: Client,
    exchange: Exchange,
}

impl Baseten {
    /// A Baseten host using `api_key`, with the default [`RetryPolicy`].
    pub fn new(api_key: &Secret, settings: &ClientSettings) -> Result<Self, Error> {
        Ok(Self {
            client: Client::with_api_key(api_key, settings)?,
            exchange: Exchange::new(Provider::Baseten),
        })
    }

    /// A Baseten host for `https://api.baseten.co` (or `BASETEN_BASE_URL`) with the key in
    /// `BASETEN_API_KEY`.
    pub fn from_env() -> Result<Self, Error> {
        Ok(Self { client: Client::from_env()?, exchange: Exchange::new(Provider::Baseten) })
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.exchange.set_retry(retry);
        self
    }

    /// Reports rate limits, and the progress of cascades through this host, to `observer`.
    pub fn with_observer(mut self, observer: Arc<dyn Observer>) -> Self {
        self.exchange.set_observer(observer);
        self
    }
}

/// What a delete's answer means: done only when its tombstone names what was asked (`id`, of
/// `model_id`) and says `deleted`; done as well for a success without a body (a 204).
fn settle(
    target: &Target,
    status: u16,
    tombstone: Option<Tombstone>,
    id: &str,
    model_id: Option<&str>,
) -> Result<(DeleteState, Option<Tombstone>), Error> {
    let Some(tombstone) = tombstone else { return Ok((DeleteState::Done, None)) };
    let names = |asked: &str, said: &str| {
        format!("the tombstone names `{}`, not `{asked}` that was deleted", capped(said, EXCERPT_BYTES))
    };
    let wrong = if tombstone.id != id {
        Some(names(id, &tombstone.id))
    } else {
        match (model_id, tombstone.model_id.as_deref()) {
            (Some(asked), Some(said)) if asked != said => {
                Some(format!("{} (as its model)", names(asked, said)))
            }
            _ => None,
        }
    };
    if let Some(excerpt) = wrong {
        return Err(Error::UnexpectedResponse { provider: Provider::Baseten, status: Some(status), excerpt });
    }
    if !tombstone.deleted {
        let said = serde_json::json!({"id": tombstone.id, "deleted": false, "model_id": tombstone.model_id});
        return Err(Error::Conflict {
            provider: Provider::Baseten,
            resource: target.to_string(),
            reason: ConflictReason::NotDeleted,
            detail: Some(capped(&said.to_string(), EXCERPT_BYTES)),
        });
    }
    Ok((DeleteState::Done, Some(tombstone)))
}

#[async_trait::async_trait]
impl ModelHost for Baseten {
    fn provider(&self) -> Provider {
        Provider::Baseten
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { model_delete_removes_versions: true, ..Capabilities::default() }
    }

    fn observer(&self) -> Option<&dyn Observer> {
        self.exchange.observer()
    }

    async fn delete_model(&self, model: &ModelRef, options: &DeleteOptions) -> Result<Deleted, Error> {
        let id = model.baseten_id()?;
        let target = Target::Model(model.clone());
        let request = || self.client.delete_model().model_id(id).send();
        let exchanged = self.exchange.send(&target, json, request).await;
        finish_delete(target, options, exchanged, |answer, target| {
            let tombstone = answer.body.map(|t| Tombstone { id: t.id, deleted: t.deleted, model_id: None });
            settle(target, answer.status, tombstone, id, None)
        })
    }

    async fn delete_version(&self, version: &VersionRef, options: &DeleteOptions) -> Result<Deleted, Error> {
        let id = version.model().baseten_id()?;
        let deployment = version.version_id();
        let target = Target::Version(version.clone());
        let request = || self.client.delete_model_deployment().model_id(id).deployment_id(deployment).send();
        let exchanged = self.exchange.send(&target, json, request).await;
        finish_delete(target, options, exchanged, |answer, target| {
            let tombstone = answer.body.map(|t: types::DeploymentTombstoneV1| Tombstone {
                id: t.id,
                deleted: t.deleted,
                model_id: Some(t.model_id),
            });
            settle(target, answer.status, tombstone, deployment, Some(id))
        })
    }

    async fn list_versions(&self, model: &ModelRef) -> Result<Vec<VersionInfo>, Error> {
        let id = model.baseten_id()?;
        let request = || self.client.list_model_deployments().model_id(id).send();
        let exchanged = self.exchange.send(model, json, request).await;
        let answer = exchanged.into_answer(&self.exchange, model)?;
        let status = Some(answer.status);
        answer
            .body
            .map(|list: types::DeploymentsV1| list.deployments)
            .unwrap_or_default()
            .into_iter()
            .map(|d| {
                let version = model.version(&d.id).map_err(|e| Error::UnexpectedResponse {
                    provider: Provider::Baseten,
                    status,
                    excerpt: format!("a listed deployment ID is not usable: {e}"),
                })?;
                Ok(VersionInfo {
                    version,
                    created_at: Some(d.created_at.to_rfc3339()),
                    is_production: d.is_production,
                })
            })
            .collect()
    }
}
