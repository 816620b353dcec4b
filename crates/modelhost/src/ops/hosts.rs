//! The configured providers, from the environment or built by hand, and deleting through
//! them by reference: the reference names its provider, and this is the one place a provider
//! is chosen for it, so the caller never picks a host.

use std::sync::Arc;

use crate::{Account, ConfigError, DeleteOptions, Deleted, Error, ModelHost, Observer, Provider, Target};

/// One [`ModelHost`] per configured provider. Its delete and list methods route each
/// reference to the host of its provider.
#[derive(Debug, Clone, Default)]
pub struct Hosts {
    baseten: Option<Arc<dyn ModelHost>>,
    replicate: Option<Arc<dyn ModelHost>>,
}

impl Hosts {
    /// Every provider built in whose credential is set: `BASETEN_API_KEY`,
    /// `REPLICATE_API_TOKEN` (base URLs from `BASETEN_BASE_URL`, `REPLICATE_BASE_URL` where
    /// set). The variables of a provider this build leaves out are not read. Fails when no
    /// provider is configured, or when one whose credential is set is not usable.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_inner(&Self::BUILT_IN, None)
    }

    /// [`Hosts::from_env`], each host reporting to `observer` (see [`Observer`]).
    pub fn from_env_observed(observer: Arc<dyn Observer>) -> Result<Self, Error> {
        Self::from_env_inner(&Self::BUILT_IN, Some(observer))
    }

    /// The hosts of `providers` only, from their variables: another provider's variables are
    /// not read, so a broken one cannot stop work that does not touch it. Fails naming the
    /// first provider that is not built in, whose credential is not set, or not usable.
    pub fn from_env_for(providers: &[Provider], observer: Option<Arc<dyn Observer>>) -> Result<Self, Error> {
        let mut hosts = Self::default();
        for provider in providers {
            if !Self::BUILT_IN.contains(provider) {
                return Err(Error::ProviderNotBuilt { provider: *provider });
            }
            if !credential_set(*provider) {
                return Err(ConfigError::MissingEnv { var: provider.credential_env().into() }.into());
            }
            hosts = hosts.with(from_env(*provider, observer.clone())?);
        }
        Ok(hosts)
    }

    /// The providers this build includes (the `baseten` and `replicate` features).
    const BUILT_IN: [Provider; cfg!(feature = "baseten") as usize + cfg!(feature = "replicate") as usize] = [
        #[cfg(feature = "baseten")]
        Provider::Baseten,
        #[cfg(feature = "replicate")]
        Provider::Replicate,
    ];

    fn from_env_inner(providers: &[Provider], observer: Option<Arc<dyn Observer>>) -> Result<Self, Error> {
        let set: Vec<Provider> = providers.iter().copied().filter(|p| credential_set(*p)).collect();
        if !set.is_empty() {
            return Self::from_env_for(&set, observer);
        }
        // Nothing usable is set: say what would be, a provider left out of the build first.
        let all = [Provider::Baseten, Provider::Replicate];
        if let Some(provider) = all.into_iter().find(|p| credential_set(*p) && !providers.contains(p)) {
            return Err(Error::ProviderNotBuilt { provider });
        }
        let wanted = if providers.is_empty() { &all[..] } else { providers };
        let vars: Vec<&str> = wanted.iter().map(|p| p.credential_env()).collect();
        Err(ConfigError::MissingEnv { var: vars.join(" or ") }.into())
    }

    /// Adds (or replaces) the host of `host.provider()`.
    pub fn with(mut self, host: Arc<dyn ModelHost>) -> Self {
        let provider = host.provider();
        *self.slot(provider) = Some(host);
        self
    }

    fn slot(&mut self, provider: Provider) -> &mut Option<Arc<dyn ModelHost>> {
        match provider {
            Provider::Baseten => &mut self.baseten,
            Provider::Replicate => &mut self.replicate,
        }
    }

    /// The host of `provider`, or why there is none: not built in (a cargo feature), or not
    /// configured (naming the variable that would configure it).
    pub fn get(&self, provider: Provider) -> Result<&dyn ModelHost, Error> {
        let host = match provider {
            Provider::Baseten => &self.baseten,
            Provider::Replicate => &self.replicate,
        };
        host.as_deref().ok_or_else(|| {
            if Self::BUILT_IN.contains(&provider) {
                ConfigError::MissingEnv { var: provider.credential_env().to_owned() }.into()
            } else {
                Error::ProviderNotBuilt { provider }
            }
        })
    }

    /// The accounts the hosts of `providers` talk to, asked of each provider once.
    pub async fn accounts(&self, providers: &[Provider]) -> Result<Vec<Account>, Error> {
        let mut accounts = Vec::with_capacity(providers.len());
        for provider in providers {
            accounts.push(self.get(*provider)?.account().await?);
        }
        Ok(accounts)
    }

    /// Deletes whatever `target` names, on the provider it names (every other operation
    /// goes through [`Hosts::get`] of the reference's provider).
    pub async fn delete(&self, target: &Target, options: &DeleteOptions) -> Result<Deleted, Error> {
        self.get(target.provider())?.delete(target.clone(), options).await
    }
}

/// The host of `provider` from the environment, reporting to `observer` when there is one.
fn from_env(provider: Provider, observer: Option<Arc<dyn Observer>>) -> Result<Arc<dyn ModelHost>, Error> {
    match provider {
        #[cfg(feature = "baseten")]
        Provider::Baseten => {
            Ok(observed(crate::Baseten::from_env()?, observer, crate::Baseten::with_observer))
        }
        #[cfg(feature = "replicate")]
        Provider::Replicate => {
            Ok(observed(crate::Replicate::from_env()?, observer, crate::Replicate::with_observer))
        }
        #[allow(unreachable_patterns)]
        other => {
            drop(observer);
            Err(Error::ProviderNotBuilt { provider: other })
        }
    }
}

/// `host`, reporting to `observer` when there is one (`with` is the host's `with_observer`).
#[allow(dead_code)] // With neither provider built in.
fn observed<H: ModelHost + 'static>(
    host: H,
    observer: Option<Arc<dyn Observer>>,
    with: fn(H, Arc<dyn Observer>) -> H,
) -> Arc<dyn ModelHost> {
    Arc::new(match observer {
        Some(o) => with(host, o),
        None => host,
    })
}

/// Whether `provider`'s credential variable is set and not empty.
fn credential_set(provider: Provider) -> bool {
    std::env::var_os(provider.credential_env()).is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    //! `Hosts` with real environment variables, in each feature build: `.ci/run` runs these
    //! with `--no-default-features` and each provider alone too. The environment is the
    //! process's, so each case runs this test binary again with exactly the variables chosen.
    use super::*;

    /// Not a test: what this build makes of this process's environment, a line each.
    #[test]
    #[ignore = "a helper run by the test below in a process of its own"]
    fn print_hosts_here() {
        let all = [Provider::Baseten, Provider::Replicate];
        match Hosts::from_env() {
            Ok(hosts) => {
                for provider in all {
                    let said =
                        hosts.get(provider).map(|_| "ready".to_owned()).unwrap_or_else(|e| e.to_string());
                    println!("get {provider}: {said}");
                }
            }
            Err(e) => println!("from_env: {e}"),
        }
        for provider in all {
            let said = Hosts::from_env_for(&[provider], None)
                .map(|_| "ready".to_owned())
                .unwrap_or_else(|e| e.to_string());
            println!("for {provider}: {said}");
        }
    }

    const SECRET: &str = "sk-hosts-secret";
    const BROKEN: &str = "sk-hosts-secret\n";

    fn hosts_with(vars: &[(&str, &str)]) -> String {
        let mut command = std::process::Command::new(std::env::current_exe().unwrap());
        command.args([
            "ops::hosts::tests::print_hosts_here",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ]);
        for var in ["BASETEN_API_KEY", "REPLICATE_API_TOKEN", "BASETEN_BASE_URL", "REPLICATE_BASE_URL"] {
            command.env_remove(var);
        }
        command.envs(vars.iter().copied());
        let output = command.output().expect("the test binary runs again");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let out = String::from_utf8(output.stdout).unwrap();
        assert!(!out.contains(SECRET), "a credential was printed: {out}");
        out
    }

    #[test]
    fn each_feature_and_variable_combination_says_what_is_true() {
        let (baseten, replicate) = (cfg!(feature = "baseten"), cfg!(feature = "replicate"));
        let not_built = |p: &str| format!("{p} is not built in: enable the `{p}` feature of modelhost");
        // Each variable alone, good or broken, and both with one broken.
        let cases: [(&[(&str, &str)], &str); 4] = [
            (&[("BASETEN_API_KEY", SECRET)], "baseten good"),
            (&[("REPLICATE_API_TOKEN", SECRET)], "replicate good"),
            (&[("BASETEN_API_KEY", BROKEN), ("REPLICATE_API_TOKEN", SECRET)], "baseten broken"),
            (&[("BASETEN_API_KEY", SECRET), ("REPLICATE_API_TOKEN", BROKEN)], "replicate broken"),
        ];
        for (vars, case) in cases {
            let out = hosts_with(vars);
            let value = |var: &str| vars.iter().find(|(v, _)| *v == var).map(|(_, value)| *value);
            for (provider, built, var) in
                [("baseten", baseten, "BASETEN_API_KEY"), ("replicate", replicate, "REPLICATE_API_TOKEN")]
            {
                // `from_env_for` one provider reads only its variable.
                let expected = match (built, value(var)) {
                    (false, _) => not_built(provider),
                    (true, None) => format!("{var} is not set: export it with your API token"),
                    (true, Some(v)) if v == BROKEN => {
                        format!("{var} is set but not usable: character 16 of 16 is not visible ASCII")
                    }
                    (true, Some(_)) => "ready".to_owned(),
                };
                assert!(out.contains(&format!("for {provider}: {expected}")), "{case}: {out}");
            }
            // `from_env` ignores what is not built in, and `get` says which it is.
            let broken_built = vars.iter().any(|(var, v)| {
                *v == BROKEN
                    && ((*var == "BASETEN_API_KEY" && baseten)
                        || (*var == "REPLICATE_API_TOKEN" && replicate))
            });
            let usable = vars.iter().any(|(var, v)| {
                *v == SECRET
                    && ((*var == "BASETEN_API_KEY" && baseten)
                        || (*var == "REPLICATE_API_TOKEN" && replicate))
            });
            if broken_built {
                assert!(out.contains("from_env: ") && out.contains("is set but not usable"), "{case}: {out}");
            } else if usable {
                for (provider, built) in [("baseten", baseten), ("replicate", replicate)] {
                    if !built {
                        assert!(
                            out.contains(&format!("get {provider}: {}", not_built(provider))),
                            "{case}: {out}"
                        );
                    }
                }
            } else {
                assert!(out.contains("from_env: ") && out.contains("is not built in"), "{case}: {out}");
            }
        }
    }
}
