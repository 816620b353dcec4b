//! What the generated provider clients need beyond their specs: an API token that never shows
//! in `Debug`, logs or errors, a `reqwest::Client` that sends it as `Authorization: Bearer`
//! only where it is safe to, a span per request named after its operation, and a bound on
//! every response body.

mod body_limit;
mod secret;
mod settings;
mod trace;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

pub use body_limit::{BodyTooLarge, Limits};
pub use secret::Secret;
pub use settings::{ClientSettings, DEFAULT_MAX_BODY_BYTES};
pub use trace::execute;

/// Why a client could not be configured.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The environment variable holding the token is not set.
    #[error("{var} is not set: export it with your API token")]
    MissingEnv {
        /// The variable's name.
        var: String,
    },
    /// The environment variable is set, but its token is not usable.
    #[error("{var} is set but not usable: {reason}")]
    InvalidEnv {
        /// The variable's name.
        var: String,
        /// What is wrong with its value (never the value itself).
        reason: String,
    },
    /// The token is empty or holds characters no token has.
    #[error("the API token is not usable: {reason}")]
    InvalidToken {
        /// What is wrong with it (never the token itself).
        reason: String,
    },
    /// The base URL does not parse or is not http(s).
    #[error("base URL `{url}` is not usable: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Plain http to a host other than loopback would expose the token.
    #[error(
        "base URL `{url}` uses plain http to a host that is not loopback; the API token is only sent over https (or http to 127.0.0.1/localhost)"
    )]
    InsecureBaseUrl {
        /// The URL as given.
        url: String,
    },
    /// reqwest could not build its client (TLS set-up, for one).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
}

/// Builds the `reqwest::Client` a generated client is made with, then the client itself with
/// `make` (a generated client's `Client::new_with_client`), holding the settings' [`Limits`].
pub fn connect<C>(
    token: &Secret,
    settings: &ClientSettings,
    make: impl FnOnce(&str, reqwest::Client, Limits) -> C,
) -> Result<C, ConfigError> {
    let base_url = settings.checked_base_url()?;
    let mut auth = HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
        ConfigError::InvalidToken { reason: "it holds characters not allowed in an HTTP header".to_owned() }
    })?;
    auth.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, auth);
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .user_agent(settings.user_agent.clone())
        .timeout(settings.timeout)
        .connect_timeout(settings.connect_timeout)
        // A redirect to another host must not carry the token along; none is expected.
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let limits = Limits { max_body_bytes: settings.max_body_bytes };
    Ok(make(base_url.trim_end_matches('/'), http, limits))
}
