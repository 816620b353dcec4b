//! Baseten behind [`ModelHost`]: models, with deployments as their versions.

use std::collections::BTreeMap;

use modelhost_baseten::{Client, types};
use progenitor_client::ClientInfo;

use modelhost_text::capped;

use futures::future::BoxFuture;

use crate::client::Exchange;
use crate::client::exchange::{About, json};
use crate::{
    Account, Action, Capabilities, ClientSettings, ConflictReason, DeleteOptions, Deleted, EXCERPT_BYTES,
    Error, ModelHost, ModelRef, Observer, Provider, Secret, State, Target, Tombstone, TrainingJobRef,
    TrainingStatus, VersionInfo, VersionRef,
};

/// Baseten's management API.
#[derive(Debug, Clone)]
pub struct Baseten {
    pub(super) client: Client,
    pub(super) exchange: Exchange,
}

super::host_builders!(Baseten, Provider::Baseten);

impl Baseten {
    /// A Baseten host using `api_key`, with the default [`RetryPolicy`](crate::RetryPolicy).
    pub fn new(api_key: &Secret, settings: &ClientSettings) -> Result<Self, Error> {
        Ok(Self::over(Client::with_api_key(api_key, settings)?))
    }

    /// A Baseten host for `https://api.baseten.co` (or `BASETEN_BASE_URL`) with the key in
    /// `BASETEN_API_KEY`.
    pub fn from_env() -> Result<Self, Error> {
        Ok(Self::over(Client::from_env()?))
    }

    /// Deletes a model (its deployments go with it).
    async fn delete_model_now(&self, model: ModelRef, options: &DeleteOptions) -> Result<Deleted, Error> {
        let id = model.baseten_id()?;
        let request = || self.client.delete_model().model_id(id).send();
        let exchanged = self.exchange.send(&model, json, request).await;
        let (state, tombstone) = exchanged.settle_delete(&model, options, |answer| {
            let tombstone = answer.body.map(|t| tombstone(t.id, t.deleted, None));
            settle(&model, answer.status, tombstone, id, None)
        })?;
        Ok(Deleted::new(Target::Model(model), state, tombstone))
    }

    /// Deletes one deployment of a model.
    async fn delete_deployment_now(
        &self,
        version: VersionRef,
        options: &DeleteOptions,
    ) -> Result<Deleted, Error> {
        let id = version.model().baseten_id()?;
        let deployment = version.version_id();
        let request = || self.client.delete_model_deployment().model_id(id).deployment_id(deployment).send();
        let exchanged = self.exchange.send(&version, json, request).await;
        let (state, tombstone) = exchanged.settle_delete(&version, options, |answer| {
            let tombstone = answer
                .body
                .map(|t: types::DeploymentTombstoneV1| tombstone(t.id, t.deleted, Some(t.model_id)));
            settle(&version, answer.status, tombstone, deployment, Some(id))
        })?;
        Ok(Deleted::new(Target::Version(version), state, tombstone))
    }

    /// Deletes a chain (its deployments go with it), a chain deployment, a training project
    /// (its jobs go with it) or a training job (stopped first by Baseten): each answers a
    /// tombstone naming it and what it belonged to.
    async fn delete_resource_now(&self, target: Target, options: &DeleteOptions) -> Result<Deleted, Error> {
        let c = &self.client;
        let (exchanged, id, parent) = match &target {
            Target::Chain(chain) => {
                let id = chain.chain_id();
                let exchanged =
                    self.exchange.send(&target, json, || c.delete_chain().chain_id(id).send()).await;
                (exchanged.map(|t: types::ChainTombstoneV1| tombstone(t.id, t.deleted, None)), id, None)
            }
            Target::ChainDeployment(deployment) => {
                let (chain, id) = (deployment.chain().chain_id(), deployment.deployment_id());
                let request = || c.delete_chain_deployment().chain_id(chain).chain_deployment_id(id).send();
                let exchanged = self.exchange.send(&target, json, request).await;
                let exchanged = exchanged
                    .map(|t: types::ChainDeploymentTombstoneV1| tombstone(t.id, t.deleted, Some(t.chain_id)));
                (exchanged, id, Some(chain))
            }
            Target::TrainingProject(project) => {
                let id = project.project_id();
                let request = || c.delete_training_project().training_project_id(id).send();
                let exchanged = self.exchange.send(&target, json, request).await;
                (
                    exchanged.map(|t: types::TrainingProjectTombstoneV1| tombstone(t.id, t.deleted, None)),
                    id,
                    None,
                )
            }
            Target::TrainingJob(job) => {
                let (project, id) = (job.project().project_id(), job.job_id());
                let request = || {
                    c.delete_training_project_job().training_project_id(project).training_job_id(id).send()
                };
                let exchanged = self.exchange.send(&target, json, request).await;
                let exchanged = exchanged.map(|t: types::TrainingJobTombstoneV1| {
                    tombstone(t.id, t.deleted, Some(t.training_project_id))
                });
                (exchanged, id, Some(project))
            }
            other => return Err(wrong_provider(other)),
        };
        let (state, tombstone) = exchanged.settle_delete(&target, options, |answer| {
            settle(&target, answer.status, answer.body, id, parent)
        })?;
        Ok(Deleted::new(target, state, tombstone))
    }

    /// Deactivates a model or chain deployment: done when the answer does not say it failed.
    async fn deactivate_now(&self, target: &Target) -> Result<(State, Option<Tombstone>), Error> {
        let c = &self.client;
        let exchanged = match target {
            Target::Version(version) => {
                let (id, deployment) = (version.model().baseten_id()?, version.version_id());
                let request =
                    || c.deactivate_model_deployment().model_id(id).deployment_id(deployment).send();
                self.exchange.send(target, json, request).await
            }
            Target::ChainDeployment(deployment) => {
                let (chain, id) = (deployment.chain().chain_id(), deployment.deployment_id());
                let request =
                    || c.deactivate_chain_deployment().chain_id(chain).chain_deployment_id(id).send();
                self.exchange.send(target, json, request).await
            }
            other => return Err(crate::unsupported(Provider::Baseten, other, Action::Deactivate)),
        };
        exchanged.settle_delete(target, &DeleteOptions::default(), |answer| {
            match answer.body.map(|a: types::DeactivateResponseV1| a.success) {
                Some(false) => Err(Error::Conflict {
                    provider: Provider::Baseten,
                    resource: target.to_string(),
                    reason: ConflictReason::NotDeleted,
                    detail: Some("the answer says the deactivation did not succeed".to_owned()),
                }),
                _ => Ok((State::Deactivated, None)),
            }
        })
    }

    /// Sets a model deployment's `min_replica` to 0: done when the update is `ACCEPTED` or
    /// `UNCHANGED`, accepted (later) when it is `QUEUED`.
    async fn scale_to_zero_now(
        &self,
        version: &VersionRef,
        target: &Target,
    ) -> Result<(State, Option<Tombstone>), Error> {
        let (id, deployment) = (version.model().baseten_id()?, version.version_id());
        let body = types::UpdateAutoscalingSettingsV1 { min_replica: Some(0), ..Default::default() };
        let request = || {
            self.client
                .update_model_deployment_autoscaling_settings()
                .model_id(id)
                .deployment_id(deployment)
                .body(body.clone())
                .send()
        };
        let exchanged = self.exchange.send(target, json, request).await;
        exchanged.settle_delete(target, &DeleteOptions::default(), |answer| {
            use types::UpdateAutoscalingSettingsStatusV1 as Status;
            match answer.body.map(|r: types::UpdateAutoscalingSettingsResponseV1| r.status) {
                Some(Status::Accepted | Status::Unchanged) | None => Ok((State::ScaledToZero, None)),
                Some(Status::Queued) => Ok((State::Accepted, None)),
                Some(other) => Err(unexpected(
                    Some(answer.status),
                    format!(
                        "the autoscaling update's status is `{}`",
                        capped(&other.to_string(), EXCERPT_BYTES)
                    ),
                )),
            }
        })
    }

    /// Stops a training job: done when the job it answers with has ended, accepted while it
    /// is still stopping.
    async fn stop_now(
        &self,
        job: &TrainingJobRef,
        target: &Target,
    ) -> Result<(State, Option<Tombstone>), Error> {
        let (project, id) = (job.project().project_id(), job.job_id());
        let request = || {
            self.client
                .stop_training_project_job()
                .training_project_id(project)
                .training_job_id(id)
                .body(types::StopTrainingJobRequestV1(serde_json::Map::new()))
                .send()
        };
        let exchanged = self.exchange.send(target, json, request).await;
        exchanged.settle_delete(target, &DeleteOptions::default(), |answer| {
            let Some(stopped) = answer.body.map(|r: types::StopTrainingJobResponseV1| r.training_job) else {
                return Ok((State::Stopped, None));
            };
            if stopped.id != id {
                let said = capped(&stopped.id, EXCERPT_BYTES);
                return Err(unexpected(
                    Some(answer.status),
                    format!("asked to stop job `{id}`, the answer is job `{said}`"),
                ));
            }
            let state = if TrainingStatus::of(&stopped.current_status).has_ended() {
                State::Stopped
            } else {
                State::Accepted
            };
            Ok((state, None))
        })
    }
}

/// A tombstone as the facade keeps it.
fn tombstone(id: String, deleted: bool, parent_id: Option<String>) -> Tombstone {
    Tombstone { id, deleted, parent_id }
}

fn wrong_provider(target: &Target) -> Error {
    Error::WrongProvider { provider: Provider::Baseten, reference: target.to_string() }
}

/// What a delete's answer means: done only when its tombstone names what was asked (`id`, of
/// `parent`) and says `deleted`; done as well for a success without a body (a 204).
fn settle(
    target: &About,
    status: u16,
    tombstone: Option<Tombstone>,
    id: &str,
    parent: Option<&str>,
) -> Result<(State, Option<Tombstone>), Error> {
    let Some(tombstone) = tombstone else { return Ok((State::Deleted, None)) };
    let names = |asked: &str, said: &str| {
        format!("the tombstone names `{}`, not `{asked}` that was deleted", capped(said, EXCERPT_BYTES))
    };
    let wrong = if tombstone.id != id {
        Some(names(id, &tombstone.id))
    } else {
        match (parent, tombstone.parent_id.as_deref()) {
            (Some(asked), Some(said)) if asked != said => {
                Some(format!("{} (as what it belongs to)", names(asked, said)))
            }
            _ => None,
        }
    };
    if let Some(excerpt) = wrong {
        return Err(unexpected(Some(status), excerpt));
    }
    if !tombstone.deleted {
        let said =
            serde_json::json!({"id": tombstone.id, "deleted": false, "parent_id": tombstone.parent_id});
        return Err(Error::Conflict {
            provider: Provider::Baseten,
            resource: target.to_string(),
            reason: ConflictReason::NotDeleted,
            detail: Some(capped(&said.to_string(), EXCERPT_BYTES)),
        });
    }
    Ok((State::Deleted, Some(tombstone)))
}

#[async_trait::async_trait]
impl ModelHost for Baseten {
    fn provider(&self) -> Provider {
        Provider::Baseten
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            model_delete_removes_versions: true,
            lists_models: true,
            deactivates_versions: true,
            ..Capabilities::default()
        }
    }

    fn observer(&self) -> Option<&dyn Observer> {
        self.exchange.observer()
    }

    async fn requests_between(
        &self,
        target: &Target,
        start: chrono::DateTime<chrono::Utc>,
        end: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<u64>, Error> {
        match target {
            Target::Version(version) if version.provider() == Provider::Baseten => {
                self.requests_now(version, start, end).await
            }
            _ => Ok(None),
        }
    }

    async fn costs(
        &self,
        scopes: &[crate::costs::Scope],
        _prices: &crate::costs::PriceTable,
        window: &crate::costs::Window,
    ) -> Result<crate::costs::Costs, Error> {
        // Baseten publishes its own prices: a price table is Replicate's.
        self.costs_now(scopes, window).await
    }

    fn delete<'a>(
        &'a self,
        target: Target,
        options: &'a DeleteOptions,
    ) -> BoxFuture<'a, Result<Deleted, Error>> {
        match target {
            Target::Model(model) => Box::pin(self.delete_model_now(model, options)),
            Target::Version(version) => Box::pin(self.delete_deployment_now(version, options)),
            Target::Deployment(_) => Box::pin(std::future::ready(Err(wrong_provider(&target)))),
            other => Box::pin(self.delete_resource_now(other, options)),
        }
    }

    async fn list_versions(&self, model: &ModelRef) -> Result<Vec<VersionInfo>, Error> {
        let id = model.baseten_id()?;
        let request = || self.client.list_model_deployments().model_id(id).send();
        let exchanged = self.exchange.send(model, json, request).await;
        let answer = exchanged.into_answer(model)?;
        let status = Some(answer.status);
        let listed = answer.body.map(|list: types::DeploymentsV1| list.deployments).unwrap_or_default();
        listed.into_iter().map(|d| version_info(model, d, status)).collect()
    }

    async fn version_info(&self, version: &VersionRef) -> Result<VersionInfo, Error> {
        let model = version.model();
        let (id, deployment) = (model.baseten_id()?, version.version_id());
        let target = Target::Version(version.clone());
        let request = || self.client.get_model_deployment().model_id(id).deployment_id(deployment).send();
        let answer = self.exchange.send(&target, json, request).await.into_answer(&target)?;
        let Some(found) = answer.body else { return Err(without_body(answer.status, "a deployment")) };
        let info = version_info(model, found, Some(answer.status))?;
        if info.version != *version {
            return Err(unexpected(
                Some(answer.status),
                format!("asked for {version}, the answer is {}", info.version),
            ));
        }
        Ok(info)
    }

    async fn account(&self) -> Result<Account, Error> {
        let about = "the token's user";
        let request = || self.client.get_current_user().send();
        let answer = self.exchange.send(&about, json, request).await.into_answer(&about)?;
        let Some(user) = answer.body else { return Err(without_body(answer.status, about)) };
        let user: types::UserInfoV1 = user;
        let name = user.workspace_name.as_deref().filter(|w| !w.is_empty()).unwrap_or(&user.user_id);
        Ok(Account::new(Provider::Baseten, self.client.baseurl(), name, Some(&user.user_id)))
    }

    async fn list_models(&self) -> Result<Vec<ModelRef>, Error> {
        let request = || self.client.list_models().send();
        let about = "the models";
        let answer = self.exchange.send(&about, json, request).await.into_answer(&about)?;
        let Some(listed) = answer.body else { return Err(without_body(answer.status, "the models")) };
        let listed: types::ModelsV1 = listed;
        listed
            .models
            .iter()
            .map(|m| {
                ModelRef::baseten(&m.id).map_err(|e| {
                    unexpected(Some(answer.status), format!("a listed model ID is not usable: {e}"))
                })
            })
            .collect()
    }

    fn supports(&self, target: &Target, action: Action) -> bool {
        target.provider() == Provider::Baseten && action.applies_to(target)
    }

    async fn change(&self, target: &Target, action: Action) -> Result<Deleted, Error> {
        let (state, tombstone) = match (target, action) {
            (Target::Version(_) | Target::ChainDeployment(_), Action::Deactivate) => {
                self.deactivate_now(target).await?
            }
            (Target::Version(version), Action::ScaleToZero) => {
                self.scale_to_zero_now(version, target).await?
            }
            (Target::TrainingJob(job), Action::Stop) => self.stop_now(job, target).await?,
            _ => return Err(crate::unsupported(Provider::Baseten, target, action)),
        };
        Ok(Deleted::new(target.clone(), state, tombstone))
    }
}

/// A listed (or fetched) deployment as a version of `model`, with the facts a clean-up reads.
pub(super) fn version_info(
    model: &ModelRef,
    d: types::DeploymentV1,
    status: Option<u16>,
) -> Result<VersionInfo, Error> {
    let version = model
        .version(&d.id)
        .map_err(|e| unexpected(status, format!("a listed deployment ID is not usable: {e}")))?;
    if d.model_id != model.baseten_id()? {
        let said = capped(&d.model_id, EXCERPT_BYTES);
        return Err(unexpected(
            status,
            format!("deployment `{}` is said to be of model `{said}`", version.version_id()),
        ));
    }
    Ok(VersionInfo {
        created_at: Some(d.created_at.to_rfc3339()),
        is_production: d.is_production,
        is_development: d.is_development,
        environment: d.environment.map(|e| capped(&e, EXCERPT_BYTES)),
        status: Some(capped(&d.status.to_string(), EXCERPT_BYTES)),
        labels: labels(d.labels),
        ..VersionInfo::new(version, None)
    })
}

/// A deployment's labels as text, each key and value capped (a value that is not a string
/// as its JSON text), at most [`MAX_LABELS`] of them.
fn labels(labels: Option<serde_json::Map<String, serde_json::Value>>) -> BTreeMap<String, String> {
    let text = |v: serde_json::Value| match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    };
    labels
        .into_iter()
        .flatten()
        .take(MAX_LABELS)
        .map(|(k, v)| (capped(&k, EXCERPT_BYTES), capped(&text(v), EXCERPT_BYTES)))
        .collect()
}

/// Most labels kept of one deployment: a server cannot make a plan grow without bound.
const MAX_LABELS: usize = 64;

fn unexpected(status: Option<u16>, excerpt: String) -> Error {
    Error::UnexpectedResponse { provider: Provider::Baseten, status, excerpt }
}

/// A success with no body where the API documents one.
fn without_body(status: u16, what: &str) -> Error {
    unexpected(Some(status), format!("the answer about {what} has no body"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clean_up_knows_every_status_the_client_does() {
        for status in crate::cleanup::KNOWN_STATUSES {
            let parsed: types::DeploymentStatusV1 =
                serde_json::from_value(serde_json::json!(status)).unwrap();
            assert!(!matches!(parsed, types::DeploymentStatusV1::Unknown(_)), "{status}");
            assert_eq!(parsed.to_string(), *status);
        }
        let unknown: types::DeploymentStatusV1 =
            serde_json::from_value(serde_json::json!("HIBERNATING")).unwrap();
        assert!(matches!(unknown, types::DeploymentStatusV1::Unknown(_)), "a status added later is open");
    }
}
