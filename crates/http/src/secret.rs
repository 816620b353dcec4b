//! An API token that is redacted wherever it could be printed.

use std::fmt;

use crate::ConfigError;

/// An API token. `Debug` and `Display` print `Secret(***)`; only [`Secret::expose`] gives
/// the value, for the one place that sends it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a token, refusing an empty one or one with anything but visible ASCII (a pasted
    /// newline, a zero-width space, a byte-order mark, `€`): no provider issues such tokens,
    /// and they would otherwise fail later and less clearly. The refusal names the position,
    /// never the character or the token.
    pub fn new(token: impl Into<String>) -> Result<Self, ConfigError> {
        let token = token.into();
        if token.is_empty() {
            return Err(ConfigError::InvalidToken { reason: "it is empty".to_owned() });
        }
        if let Some(position) = token.chars().position(|c| !c.is_ascii_graphic()) {
            let reason = format!(
                "character {} of {} is not visible ASCII (white space, a control or invisible \
                 character, or a letter outside ASCII)",
                position + 1,
                token.chars().count()
            );
            return Err(ConfigError::InvalidToken { reason });
        }
        Ok(Self(token))
    }

    /// Reads a token from the environment variable `var`.
    pub fn from_env(var: &str) -> Result<Self, ConfigError> {
        let token = std::env::var_os(var).ok_or_else(|| ConfigError::MissingEnv { var: var.to_owned() })?;
        let invalid = |reason| ConfigError::InvalidEnv { var: var.to_owned(), reason };
        let token = token.into_string().map_err(|_| invalid("it is not UTF-8".to_owned()))?;
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

    #[test]
    fn refuses_invisible_and_non_ascii_characters_naming_the_position_only() {
        for (token, position) in
            [("\u{200B}r8_abc", 1), ("r8_abc\u{FEFF}", 7), ("r8\u{202E}cba", 3), ("tök€n", 2), ("a\tb", 2)]
        {
            let err = Secret::new(token).unwrap_err().to_string();
            assert!(err.contains(&format!("character {position} of")), "{token:?}: {err}");
            for c in token.chars().filter(|c| !c.is_ascii_graphic()) {
                assert!(!err.contains(c), "{token:?}: the message shows the character: {err}");
            }
            assert!(!err.contains("r8") && !err.contains("cba") && !err.contains("ök"), "{err}");
        }
        assert_eq!(Secret::new("r8_Visible-ASCII~!").unwrap().expose(), "r8_Visible-ASCII~!");
    }
}
