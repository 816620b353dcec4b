//! An API token that is redacted wherever it could be printed.

use std::fmt;

use crate::ConfigError;

/// An API token. `Debug` and `Display` print `Secret(***)`; only [`Secret::expose`] gives
/// the value, for the one place that sends it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a token, refusing an empty one or one with white space or control characters
    /// (a pasted newline, say), which would otherwise fail later and less clearly.
    pub fn new(token: impl Into<String>) -> Result<Self, ConfigError> {
        let token = token.into();
        if token.trim().is_empty() {
            return Err(ConfigError::InvalidToken { reason: "it is empty" });
        }
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ConfigError::InvalidToken { reason: "it holds white space or control characters" });
        }
        Ok(Self(token))
    }

    /// Reads a token from the environment variable `var`.
    pub fn from_env(var: &str) -> Result<Self, ConfigError> {
        let token = std::env::var_os(var).ok_or_else(|| ConfigError::MissingEnv { var: var.to_owned() })?;
        let invalid = |reason| ConfigError::InvalidEnv { var: var.to_owned(), reason };
        let token = token.into_string().map_err(|_| invalid("it is not UTF-8"))?;
        Self::new(token).map_err(|e| match e {
            ConfigError::InvalidToken { reason } => invalid(reason),
            other => other,
        })
    }

    /// The token itself, for the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_token() {
        let s = Secret::new("sk-very-secret").unwrap();
        assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
    }

    #[test]
    fn refuses_empty_and_spaced_tokens() {
        assert!(Secret::new("").is_err());
        assert!(Secret::new("abc\n").is_err());
        let err = Secret::new("a b").unwrap_err().to_string();
        assert!(!err.contains("a b"), "{err}");
    }
}
