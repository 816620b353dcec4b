//! Who a token belongs to, and where: what a clean-up plan records so that it is applied to
//! the account it was made for, and nowhere else.

use std::fmt;

use crate::Provider;

/// The account a host's token belongs to, at the base URL the host talks to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Account {
    /// The provider.
    pub provider: Provider,
    /// The API's base URL (`https://api.baseten.co`, a proxy, …).
    pub base_url: String,
    /// What identifies the account: Baseten's workspace name (or the user's ID where Baseten
    /// names no workspace), Replicate's username.
    pub name: String,
    /// Baseten's user ID of the token's owner, for the record; not compared.
    pub user_id: Option<String>,
}

impl Account {
    /// An account as a host reads it.
    pub fn new(provider: Provider, base_url: &str, name: &str, user_id: Option<&str>) -> Self {
        let shown = |text: &str| modelhost_text::capped(text, crate::EXCERPT_BYTES);
        Self {
            provider,
            base_url: base_url.trim_end_matches('/').to_owned(),
            name: shown(name),
            user_id: user_id.map(shown),
        }
    }

    /// Whether `other` is the same account at the same place (the user ID aside).
    pub fn same_as(&self, other: &Self) -> bool {
        (self.provider, &self.base_url, &self.name) == (other.provider, &other.base_url, &other.name)
    }

    /// `workspace` (Baseten) or `user` (Replicate): what [`Account::name`] names.
    pub fn kind(&self) -> &'static str {
        match self.provider {
            Provider::Baseten => "workspace",
            Provider::Replicate => "account",
        }
    }
}

impl fmt::Display for Account {
    /// ``baseten workspace `ws-a` at https://api.baseten.co``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} `{}` at {}",
            self.provider,
            self.kind(),
            crate::Escaped(&self.name),
            crate::Escaped(&self.base_url)
        )
    }
}
