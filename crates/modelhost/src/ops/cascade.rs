//! Deleting a model together with what stands in its way.
//!
//! On Replicate a model can only be deleted once it has no versions, and version deletion is
//! asynchronous: the versions are deleted (a bounded number at once), their disappearance is
//! awaited (bounded, with backoff), then the model is deleted. A version a deployment serves
//! cannot be deleted: such versions are found first and reported with the deployment that
//! holds them (or, with [`CascadeOptions::delete_deployments`], the deployments go first).
//! On Baseten deleting a model deletes its deployments, so one request does it all. Nothing is skipped silently: every
//! refusal is in the report, with its reason.

use std::collections::BTreeSet;
use std::fmt;
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::FuturesUnordered;

use crate::{
    Action, ConflictReason, DeleteOptions, Deleted, DeploymentRef, Error, Event, Holder, ModelHost, ModelRef,
    Target, VersionInfo, VersionRef,
};

/// How a cascade delete behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CascadeOptions {
    /// Version deletes in flight at once.
    pub concurrency: usize,
    /// Only plan: list what stands in the way (read requests), send no DELETE.
    pub dry_run: bool,
    /// How long to wait for asynchronous version deletions to take effect.
    pub settle_timeout: Duration,
    /// The first wait between checks; it doubles up to 30 s.
    pub poll_interval: Duration,
    /// Delete the deployments that serve a version of the model first (Replicate allows it
    /// only for deployments offline and unused for 15 minutes; the others are reported and
    /// their versions left). Without it, versions a deployment serves are reported as refused,
    /// naming the deployment, and not attempted.
    pub delete_deployments: bool,
}

impl Default for CascadeOptions {
    /// 8 at once, not a dry run, up to 10 minutes for deletions to settle, checking from 1 s.
    fn default() -> Self {
        Self {
            concurrency: 8,
            dry_run: false,
            settle_timeout: Duration::from_secs(600),
            poll_interval: Duration::from_secs(1),
            delete_deployments: false,
        }
    }
}

/// One request a cascade sends (or, in a dry run, would send).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlannedRequest {
    /// What it does.
    pub action: Action,
    /// What it acts on.
    pub target: Target,
}

impl fmt::Display for PlannedRequest {
    /// `DELETE replicate:alice/hello`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.action, self.target)
    }
}

/// What a cascade did, or in a dry run would do.
#[derive(Debug)]
#[non_exhaustive]
pub struct CascadeReport {
    /// The model asked for.
    pub model: ModelRef,
    /// Every DELETE, in order: the deployments (when asked), the versions, then the model.
    pub plan: Vec<PlannedRequest>,
    /// Whether this was a dry run (nothing deleted).
    pub dry_run: bool,
    /// What was deleted.
    pub deleted: Vec<Deleted>,
    /// What was refused or not attempted, and why.
    pub refused: Vec<(Target, Error)>,
    /// Facts worth telling (such as Baseten deleting deployments with the model).
    pub notes: Vec<String>,
}

impl CascadeReport {
    /// Whether the model itself was deleted.
    pub fn model_deleted(&self) -> bool {
        self.deleted.iter().any(|d| d.target == Target::Model(self.model.clone()))
    }

    fn push_deleted<H: ModelHost + ?Sized>(&mut self, host: &H, deleted: Deleted) {
        if let Some(observer) = host.observer() {
            observer.observe(&Event::Deleted(&deleted));
        }
        self.deleted.push(deleted);
    }

    fn push_refused<H: ModelHost + ?Sized>(&mut self, host: &H, target: Target, error: Error) {
        if let Some(observer) = host.observer() {
            observer.observe(&Event::Refused { target: &target, error: &error });
        }
        self.refused.push((target, error));
    }

    /// Tells the host's observer how many targets will be reported on: each planned DELETE,
    /// each version already refused, and the model when it is not in the plan (it will be
    /// reported as not attempted).
    fn planned<H: ModelHost + ?Sized>(&self, host: &H) {
        if let Some(observer) = host.observer() {
            let model = Target::Model(self.model.clone());
            let model_outside_plan = !self.plan.iter().any(|p| p.target == model);
            let targets = self.plan.len() + self.refused.len() + usize::from(model_outside_plan);
            observer.observe(&Event::Planned { targets });
        }
    }
}

/// [`ModelHost::delete_model_cascade`]: deletes `model` and, where the provider requires it
/// first, every version of it. Fails only when the versions cannot be listed; refusals are
/// in the report.
pub(crate) async fn run<H: ModelHost + ?Sized>(
    host: &H,
    model: &ModelRef,
    options: &CascadeOptions,
) -> Result<CascadeReport, Error> {
    let mut report = CascadeReport {
        model: model.clone(),
        plan: Vec::new(),
        dry_run: options.dry_run,
        deleted: Vec::new(),
        refused: Vec::new(),
        notes: Vec::new(),
    };
    let model_request = delete(Target::Model(model.clone()));
    if host.capabilities().model_delete_removes_versions {
        report.notes.push(format!(
            "{} deletes a model's versions with it: one request, no version deleted one by one",
            host.provider()
        ));
        report.plan.push(model_request);
        report.planned(host);
        if !options.dry_run {
            delete_model_into(host, model, &mut report).await;
        }
        return Ok(report);
    }
    let versions = host.list_versions(model).await?;
    let holders = host.holders(model).await?;
    let deployments: Vec<&DeploymentRef> =
        holders.iter().map(|h| &h.deployment).collect::<BTreeSet<_>>().into_iter().collect();
    if options.delete_deployments {
        report.plan.extend(deployments.iter().map(|d| delete(Target::Deployment((*d).clone()))));
    }
    // Without deleting deployments, a version one serves is refused before any request.
    let (held, mut free): (Vec<&VersionInfo>, Vec<&VersionInfo>) = versions
        .iter()
        .partition(|v| !options.delete_deployments && holders.iter().any(|h| h.version == v.version));
    for v in held {
        let error = held_by(host, &v.version, &holders, None);
        report.push_refused(host, Target::Version(v.version.clone()), error);
    }
    report.plan.extend(free.iter().map(|v| delete(Target::Version(v.version.clone()))));
    if report.refused.is_empty() {
        report.plan.push(model_request);
    }
    report.planned(host);
    if options.dry_run {
        model_not_attempted(host, model, &mut report);
        return Ok(report);
    }
    if options.delete_deployments {
        for deployment in deployments {
            // A deployment that is already gone holds nothing.
            let gone = host.delete_deployment(deployment, &DeleteOptions { missing_ok: true }).await;
            match gone {
                Ok(deleted) => report.push_deleted(host, deleted),
                Err(e) => {
                    let why = e.to_string();
                    report.push_refused(host, Target::Deployment(deployment.clone()), e);
                    free.retain(|v| {
                        let still_held =
                            holders.iter().any(|h| &h.deployment == deployment && h.version == v.version);
                        if still_held {
                            let error = held_by(host, &v.version, &holders, Some(&why));
                            report.push_refused(host, Target::Version(v.version.clone()), error);
                        }
                        !still_held
                    });
                }
            }
        }
    }
    delete_versions(host, &free, options.concurrency, &mut report).await;
    if model_not_attempted(host, model, &mut report) {
        return Ok(report);
    }
    settle_then_delete(host, model, options, &mut report).await;
    Ok(report)
}

fn delete(target: Target) -> PlannedRequest {
    PlannedRequest { action: Action::Delete, target }
}

/// Records that the model is not attempted because something in its way was refused;
/// says whether it was.
fn model_not_attempted<H: ModelHost + ?Sized>(
    host: &H,
    model: &ModelRef,
    report: &mut CascadeReport,
) -> bool {
    if report.refused.is_empty() {
        return false;
    }
    let detail = format!(
        "{} version(s) or deployment(s) could not be deleted; the model was not attempted",
        report.refused.len()
    );
    report.push_refused(host, Target::Model(model.clone()), conflict(host, model, detail));
    true
}

/// The refusal of a version a deployment serves, naming the deployment and how to free it.
fn held_by<H: ModelHost + ?Sized>(
    host: &H,
    version: &VersionRef,
    holders: &[Holder],
    failed: Option<&str>,
) -> Error {
    let names: Vec<String> =
        holders.iter().filter(|h| &h.version == version).map(ToString::to_string).collect();
    let how = match failed {
        Some(why) => format!("which could not be deleted ({why})"),
        None => "delete the deployment or point it at another version first, or have the cascade delete \
            deployments"
            .to_owned(),
    };
    Error::Conflict {
        provider: host.provider(),
        resource: version.to_string(),
        reason: ConflictReason::VersionHasDeployment,
        detail: Some(format!("served by {}; {how}", names.join(", "))),
    }
}

async fn delete_versions<H: ModelHost + ?Sized>(
    host: &H,
    versions: &[&VersionInfo],
    concurrency: usize,
    report: &mut CascadeReport,
) {
    // A version that vanished in the meantime is no obstacle.
    let options = DeleteOptions { missing_ok: true };
    let mut waiting = versions.iter();
    let mut running = FuturesUnordered::new();
    loop {
        while running.len() < concurrency.max(1)
            && let Some(v) = waiting.next()
        {
            running.push(delete_version(host, v, &options));
        }
        let Some((v, result)) = running.next().await else { break };
        match result {
            Ok(deleted) => report.push_deleted(host, deleted),
            Err(e) => report.push_refused(host, Target::Version(v.version.clone()), e),
        }
    }
}

/// Deletes one version, keeping which it was. Run from a `FuturesUnordered`, not a stream of
/// closures: with a closure, rustc cannot prove the cascade's future `Send` (rust#64552).
async fn delete_version<'a, H: ModelHost + ?Sized>(
    host: &'a H,
    version: &'a VersionInfo,
    options: &'a DeleteOptions,
) -> (&'a VersionInfo, Result<Deleted, Error>) {
    (version, host.delete_version(&version.version, options).await)
}

/// Waits, with backoff, until the model lists no versions, and deletes it; a refusal because
/// versions are still listed sends it back to waiting, until the timeout.
async fn settle_then_delete<H: ModelHost + ?Sized>(
    host: &H,
    model: &ModelRef,
    options: &CascadeOptions,
    report: &mut CascadeReport,
) {
    let deadline = Instant::now() + options.settle_timeout;
    let mut wait = options.poll_interval;
    loop {
        let remaining = match host.list_versions(model).await {
            Ok(listed) => listed.len(),
            Err(e) => {
                report.push_refused(host, Target::Model(model.clone()), e);
                return;
            }
        };
        if remaining == 0 {
            match host.delete_model(model, &DeleteOptions::default()).await {
                Ok(deleted) => {
                    report.push_deleted(host, deleted);
                    return;
                }
                Err(Error::Conflict { reason: ConflictReason::ModelHasVersions, .. })
                    if Instant::now() < deadline => {}
                Err(e) => {
                    report.push_refused(host, Target::Model(model.clone()), e);
                    return;
                }
            }
        }
        if Instant::now() + wait > deadline {
            let detail = format!("{remaining} version(s) still listed after {:?}", options.settle_timeout);
            report.push_refused(host, Target::Model(model.clone()), conflict(host, model, detail));
            return;
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(30));
    }
}

fn conflict<H: ModelHost + ?Sized>(host: &H, model: &ModelRef, detail: String) -> Error {
    Error::Conflict {
        provider: host.provider(),
        resource: model.to_string(),
        reason: ConflictReason::ModelHasVersions,
        detail: Some(detail),
    }
}

/// Deletes the model and records the outcome.
async fn delete_model_into<H: ModelHost + ?Sized>(host: &H, model: &ModelRef, report: &mut CascadeReport) {
    match host.delete_model(model, &DeleteOptions::default()).await {
        Ok(deleted) => report.push_deleted(host, deleted),
        Err(e) => report.push_refused(host, Target::Model(model.clone()), e),
    }
}
