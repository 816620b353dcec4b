//! Where a client connects and how patiently.

use std::net::IpAddr;
use std::time::Duration;

use crate::ConfigError;

/// Base URL, user agent and timeouts of a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSettings {
    /// Where the API is, such as `https://api.baseten.co`; a proxy or a test server can stand here.
    pub base_url: String,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// The limit for one whole request.
    pub timeout: Duration,
    /// The limit for opening a connection.
    pub connect_timeout: Duration,
    /// The largest response body read, in bytes; a longer one (announced by
    /// `Content-Length` or streamed) fails with [`BodyTooLarge`](crate::BodyTooLarge).
    pub max_body_bytes: u64,
}

/// The default [`ClientSettings::max_body_bytes`]: 16 MiB, far beyond any tombstone or page
/// of a list, far below what would strain memory.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

impl ClientSettings {
    /// Settings for `base_url` with this workspace's user agent, default timeouts (30 s a
    /// request, 10 s to connect) and bodies of at most [`DEFAULT_MAX_BODY_BYTES`].
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            user_agent: concat!("modelhost/", env!("CARGO_PKG_VERSION")).to_owned(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// Settings for the base URL in the environment variable `var` when it is set and not
    /// empty (a proxy, a test server), else for `default`.
    pub fn from_env(var: &str, default: &str) -> Result<Self, ConfigError> {
        match std::env::var_os(var) {
            Some(url) if !url.is_empty() => url.into_string().map(Self::new).map_err(|_| {
                ConfigError::InvalidEnv { var: var.to_owned(), reason: "it is not UTF-8".to_owned() }
            }),
            _ => Ok(Self::new(default)),
        }
    }

    /// The base URL, refused where it is malformed or would send a token over plain http
    /// to a host that is not loopback.
    pub fn checked_base_url(&self) -> Result<&str, ConfigError> {
        let url = self.base_url.as_str();
        let invalid =
            |reason: &str| ConfigError::InvalidBaseUrl { url: url.to_owned(), reason: reason.to_owned() };
        let parsed = reqwest::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(invalid("it must not hold credentials"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(invalid("it must not have a query or fragment"));
        }
        match parsed.scheme() {
            "https" => Ok(url),
            "http" if is_loopback(&parsed) => Ok(url),
            "http" => Err(ConfigError::InsecureBaseUrl { url: url.to_owned() }),
            other => Err(invalid(&format!("scheme `{other}` is not http or https"))),
        }
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str) -> Result<(), String> {
        ClientSettings::new(url).checked_base_url().map(drop).map_err(|e| e.to_string())
    }

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(check("https://api.baseten.co").is_ok());
        assert!(check("http://127.0.0.1:8080").is_ok());
        assert!(check("http://[::1]:80/v1").is_ok());
        assert!(check("http://localhost:1").is_ok());
        assert!(check("http://api.baseten.co").unwrap_err().contains("plain http"));
        assert!(check("http://127.0.0.1.evil.example").unwrap_err().contains("plain http"));
        assert!(check("ftp://x").unwrap_err().contains("scheme"));
        assert!(check("https://user:pw@x").unwrap_err().contains("credentials"));
        assert!(check("not a url").is_err());
    }
}
