//! Baseten behind [`ModelHost`]: models, with deployments as their versions.

use modelhost_baseten::{API_KEY_ENV, BASE_URL_ENV, Client, DEFAULT_BASE_URL, types};

use crate::classify;
use crate::outcome::{answer, finish_delete};
use crate::text::capped;
use std::sync::Arc;

use crate::observe::Observed;
use crate::rate_gate::RateGate;
use crate::retry::RetryPolicy;
use crate::{
    ClientSettings, ConflictReason, DeleteOptions, DeleteState, Deleted, EXCERPT_BYTES, Error, ModelHost,
    ModelRef, Observer, Provider, Secret, Target, Tombstone, VersionInfo, VersionRef,
};

/// Baseten's management API.
#[derive(Debug, Clone)]
pub struct Baseten {
    client: Client,
    retry: RetryPolicy,
    gate: Arc<RateGate>,
    observer: Option<Observed>,
}

impl Baseten {
    /// A Baseten host using `api_key`, with the default [`RetryPolicy`].
    pub fn new(api_key: &Secret, settings: &ClientSettings) -> Result<Self, Error> {
        Ok(Self {
            client: Client::with_api_key(api_key, settings)?,
            retry: RetryPolicy::default(),
            gate: Arc::default(),
            observer: None,
        })
    }

    /// A Baseten host for `https://api.baseten.co` (or `BASETEN_BASE_URL`) with the key in
    /// `BASETEN_API_KEY`.
    pub fn from_env() -> Result<Self, Error> {
        Self::new(&Secret::from_env(API_KEY_ENV)?, &ClientSettings::from_env(BASE_URL_ENV, DEFAULT_BASE_URL)?)
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Reports rate limits, and the progress of cascades through this host, to `observer`.
    pub fn with_observer(mut self, observer: Arc<dyn Observer>) -> Self {
        self.gate = Arc::new(RateGate::observed(Provider::Baseten, Observed(Arc::clone(&observer))));
        self.observer = Some(Observed(observer));
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
        return Err(Error::UnexpectedResponse { provider: Provider::Baseten, status, excerpt });
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

fn model_id(model: &ModelRef) -> Result<&str, Error> {
    match model {
        ModelRef::Baseten { model_id } => Ok(model_id),
        other => Err(Error::WrongProvider { provider: Provider::Baseten, reference: other.to_string() }),
    }
}

#[async_trait::async_trait]
impl ModelHost for Baseten {
    fn model_delete_removes_versions(&self) -> bool {
        true
    }

    fn provider(&self) -> Provider {
        Provider::Baseten
    }

    fn observer(&self) -> Option<&dyn Observer> {
        self.observer.as_ref().map(|o| &*o.0)
    }

    async fn delete_model(&self, model: &ModelRef, options: &DeleteOptions) -> Result<Deleted, Error> {
        let id = model_id(model)?;
        let request = || self.client.delete_model().model_id(id).send();
        let retried = exchange!(&self.retry, &self.gate, Provider::Baseten, request());
        let retried = answer(retried, |body| serde_json::from_slice::<types::ModelTombstoneV1>(body));
        finish_delete(Provider::Baseten, Target::Model(model.clone()), options, retried, |answer, target| {
            let tombstone = answer.body.map(|t| Tombstone { id: t.id, deleted: t.deleted, model_id: None });
            settle(target, answer.status, tombstone, id, None)
        })
    }

    async fn delete_version(&self, version: &VersionRef, options: &DeleteOptions) -> Result<Deleted, Error> {
        let id = model_id(&version.model)?;
        let deployment = version.version_id.as_str();
        let request = || self.client.delete_model_deployment().model_id(id).deployment_id(deployment).send();
        let retried = exchange!(&self.retry, &self.gate, Provider::Baseten, request());
        let retried = answer(retried, |body| serde_json::from_slice::<types::DeploymentTombstoneV1>(body));
        finish_delete(
            Provider::Baseten,
            Target::Version(version.clone()),
            options,
            retried,
            |answer, target| {
                let tombstone = answer.body.map(|t| Tombstone {
                    id: t.id,
                    deleted: t.deleted,
                    model_id: Some(t.model_id),
                });
                settle(target, answer.status, tombstone, deployment, Some(id))
            },
        )
    }

    async fn list_versions(&self, model: &ModelRef) -> Result<Vec<VersionInfo>, Error> {
        let id = model_id(model)?;
        let request = || self.client.list_model_deployments().model_id(id).send();
        let retried = exchange!(&self.retry, &self.gate, Provider::Baseten, request());
        let list =
            retried.result.map_err(|f| classify::into_error(Provider::Baseten, &model.to_string(), f))?;
        list.into_inner()
            .deployments
            .into_iter()
            .map(|d| {
                let version = model.version(&d.id).map_err(|e| Error::UnexpectedResponse {
                    provider: Provider::Baseten,
                    status: 200,
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
