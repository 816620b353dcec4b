//! Typed client for Baseten's management API, generated at build time by progenitor from
//! `openapi/baseten.yaml` (all operations; see the README for how method names are made).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = modelhost_baseten::Client::from_env()?;
//! let tombstone = client.delete_model().model_id("abc123").send().await?;
//! assert!(tombstone.deleted);
//! # Ok(()) }
//! ```

#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

pub use generated::*;
pub use modelhost_http::{ClientSettings, ConfigError, Secret};

/// The environment variable [`Client::from_env`] reads the API key from.
pub const API_KEY_ENV: &str = "BASETEN_API_KEY";
/// The environment variable [`Client::from_env`] reads a base URL from, in place of
/// [`DEFAULT_BASE_URL`] (a proxy, a test server).
pub const BASE_URL_ENV: &str = "BASETEN_BASE_URL";
/// Where Baseten serves its management API.
pub const DEFAULT_BASE_URL: &str = "https://api.baseten.co";

impl Client {
    /// A client that sends `Authorization: Bearer <api_key>` with every request.
    pub fn with_api_key(api_key: &Secret, settings: &ClientSettings) -> Result<Self, ConfigError> {
        modelhost_http::connect(api_key, settings, Self::new_with_client)
    }

    /// A client for [`DEFAULT_BASE_URL`] (or the URL in [`BASE_URL_ENV`]) with the key in [`API_KEY_ENV`].
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::with_api_key(
            &Secret::from_env(API_KEY_ENV)?,
            &ClientSettings::from_env(BASE_URL_ENV, DEFAULT_BASE_URL)?,
        )
    }
}

modelhost_http::trace_operations!(Client);

/// The package's README (its page on crates.io), whose examples compile as doc-tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
