//! What the clean-up tests share: hosts over the stateful fakes.

use std::sync::Arc;
use std::time::Duration;

use modelhost::{Baseten, ClientSettings, Hosts, Replicate, RetryPolicy, Secret};

/// Both providers' hosts with `token`, at these base URLs, retrying after `delay` (short:
/// the fakes' faults are retried at test speed).
pub fn hosts(token: &str, baseten_url: &str, replicate_url: &str, delay: Duration) -> Hosts {
    let retry = RetryPolicy { base_delay: delay, ..RetryPolicy::default() };
    let secret = Secret::new(token).unwrap();
    Hosts::default()
        .with(Arc::new(
            Baseten::new(&secret, &ClientSettings::new(baseten_url)).unwrap().with_retry(retry.clone()),
        ))
        .with(Arc::new(
            Replicate::new(&secret, &ClientSettings::new(replicate_url)).unwrap().with_retry(retry),
        ))
}
