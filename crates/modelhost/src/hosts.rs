//! The configured providers, from the environment or built by hand, and deleting through
//! them by reference: the reference names its provider, so the caller never picks a host.

use std::sync::Arc;

use crate::{
    Baseten, CascadeOptions, CascadeReport, ConfigError, DeleteOptions, Deleted, Error, ModelHost, ModelRef,
    Observer, Provider, Replicate, VersionInfo, VersionRef, delete_model_cascade,
};

/// One [`ModelHost`] per configured provider. Its delete and list methods route each
/// reference to the host of its provider.
#[derive(Debug, Clone, Default)]
pub struct Hosts {
    baseten: Option<Arc<dyn ModelHost>>,
    replicate: Option<Arc<dyn ModelHost>>,
}

impl Hosts {
    /// Every provider whose credential is set: `BASETEN_API_KEY`, `REPLICATE_API_TOKEN`
    /// (base URLs from `BASETEN_BASE_URL`, `REPLICATE_BASE_URL` where set). Fails when
    /// neither is set, or when one that is set is not usable.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_inner(None)
    }

    /// [`Hosts::from_env`], each host reporting to `observer` (see [`Observer`]).
    pub fn from_env_observed(observer: Arc<dyn Observer>) -> Result<Self, Error> {
        Self::from_env_inner(Some(observer))
    }

    fn from_env_inner(observer: Option<Arc<dyn Observer>>) -> Result<Self, Error> {
        let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
        let mut hosts = Self::default();
        if set(modelhost_baseten::API_KEY_ENV) {
            hosts = hosts.with(observed(Baseten::from_env()?, &observer, Baseten::with_observer));
        }
        if set(modelhost_replicate::API_TOKEN_ENV) {
            hosts = hosts.with(observed(Replicate::from_env()?, &observer, Replicate::with_observer));
        }
        if hosts.baseten.is_none() && hosts.replicate.is_none() {
            return Err(
                ConfigError::MissingEnv { var: "BASETEN_API_KEY or REPLICATE_API_TOKEN".into() }.into()
            );
        }
        Ok(hosts)
    }

    /// Adds (or replaces) the host of `host.provider()`.
    pub fn with(mut self, host: Arc<dyn ModelHost>) -> Self {
        match host.provider() {
            Provider::Baseten => self.baseten = Some(host),
            Provider::Replicate => self.replicate = Some(host),
        }
        self
    }

    /// The host of `provider`, or an error naming the variable that would configure it.
    pub fn get(&self, provider: Provider) -> Result<&dyn ModelHost, Error> {
        let (host, var) = match provider {
            Provider::Baseten => (&self.baseten, modelhost_baseten::API_KEY_ENV),
            Provider::Replicate => (&self.replicate, modelhost_replicate::API_TOKEN_ENV),
        };
        host.as_deref().ok_or_else(|| ConfigError::MissingEnv { var: var.to_owned() }.into())
    }

    /// Deletes a model on the provider its reference names.
    pub async fn delete_model(&self, model: &ModelRef, options: &DeleteOptions) -> Result<Deleted, Error> {
        self.get(model.provider())?.delete_model(model, options).await
    }

    /// Deletes a version (a Baseten deployment) on the provider its reference names.
    pub async fn delete_version(
        &self,
        version: &VersionRef,
        options: &DeleteOptions,
    ) -> Result<Deleted, Error> {
        self.get(version.provider())?.delete_version(version, options).await
    }

    /// Every version of a model, from the provider its reference names.
    pub async fn list_versions(&self, model: &ModelRef) -> Result<Vec<VersionInfo>, Error> {
        self.get(model.provider())?.list_versions(model).await
    }

    /// [`delete_model_cascade`] on the provider the reference names.
    pub async fn delete_model_cascade(
        &self,
        model: &ModelRef,
        options: &CascadeOptions,
    ) -> Result<CascadeReport, Error> {
        delete_model_cascade(self.get(model.provider())?, model, options).await
    }
}

/// `host`, reporting to `observer` when there is one (`with` is the host's `with_observer`).
fn observed<H: ModelHost + 'static>(
    host: H,
    observer: &Option<Arc<dyn Observer>>,
    with: fn(H, Arc<dyn Observer>) -> H,
) -> Arc<dyn ModelHost> {
    match observer {
        Some(o) => Arc::new(with(host, Arc::clone(o))),
        None => Arc::new(host),
    }
}
