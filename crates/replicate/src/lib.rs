//! Typed client for Replicate's HTTP API (models and their versions), generated at build time
//! by progenitor from the hand-written `openapi/replicate.yaml`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = modelhost_replicate::Client::from_env()?;
//! client.models_versions_delete().model_owner("me").model_name("my-model").version_id("abc").send().await?;
//! # Ok(()) }
//! ```

#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

pub use generated::*;
pub use modelhost_http::{ClientSettings, ConfigError, Secret};

/// The environment variable [`Client::from_env`] reads the API token from.
pub const API_TOKEN_ENV: &str = "REPLICATE_API_TOKEN";
/// The environment variable [`Client::from_env`] reads a base URL from, in place of
/// [`DEFAULT_BASE_URL`] (a proxy, a test server).
pub const BASE_URL_ENV: &str = "REPLICATE_BASE_URL";
/// Where Replicate serves its HTTP API.
pub const DEFAULT_BASE_URL: &str = "https://api.replicate.com/v1";

impl Client {
    /// A client that sends `Authorization: Bearer <api_token>` with every request.
    pub fn with_api_token(api_token: &Secret, settings: &ClientSettings) -> Result<Self, ConfigError> {
        modelhost_http::connect(api_token, settings, Self::new_with_client)
    }

    /// A client for [`DEFAULT_BASE_URL`] (or the URL in [`BASE_URL_ENV`]) with the token in [`API_TOKEN_ENV`].
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::with_api_token(
            &Secret::from_env(API_TOKEN_ENV)?,
            &ClientSettings::from_env(BASE_URL_ENV, DEFAULT_BASE_URL)?,
        )
    }
}

modelhost_http::trace_operations!(Client);

/// The package's README (its page on crates.io), whose examples compile as doc-tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
