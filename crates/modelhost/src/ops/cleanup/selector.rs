//! What a clean-up looks at: every model of an account, or one named model.

use std::fmt;
use std::str::FromStr;

use crate::{ModelRef, Provider, ReferenceError};

/// Where a clean-up looks: `baseten:*` (every model of the account), `baseten:MODEL_ID` or
/// `replicate:OWNER/NAME`. Replicate's API cannot list an account's private models, so
/// `replicate:*` is refused: name them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Selector {
    /// Every model of the account on this provider.
    AllModels(Provider),
    /// One model.
    Model(ModelRef),
}

impl Selector {
    /// The provider it looks at.
    pub fn provider(&self) -> Provider {
        match self {
            Self::AllModels(provider) => *provider,
            Self::Model(model) => model.provider(),
        }
    }

    /// Whether `model` is one it looks at.
    pub fn covers(&self, model: &ModelRef) -> bool {
        match self {
            Self::AllModels(provider) => model.provider() == *provider,
            Self::Model(named) => named == model,
        }
    }
}

impl FromStr for Selector {
    type Err = ReferenceError;

    fn from_str(input: &str) -> Result<Self, ReferenceError> {
        match input {
            "baseten:*" => Ok(Self::AllModels(Provider::Baseten)),
            "replicate:*" => Err(crate::model::reference::refused(
                input,
                "Replicate's API cannot list an account's private models: name each one",
                "`baseten:*`, `baseten:MODEL_ID` or `replicate:OWNER/NAME`",
            )),
            _ => input.parse().map(Self::Model),
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AllModels(provider) => write!(f, "{provider}:*"),
            Self::Model(model) => model.fmt(f),
        }
    }
}

crate::model::reference::text_serde!(Selector);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms_and_refuses_replicate_wildcards() {
        assert_eq!("baseten:*".parse::<Selector>().unwrap(), Selector::AllModels(Provider::Baseten));
        for text in ["baseten:m1", "replicate:alice/hello"] {
            assert_eq!(text.parse::<Selector>().unwrap().to_string(), text);
        }
        let err = "replicate:*".parse::<Selector>().unwrap_err();
        assert!(err.reason().contains("cannot list"), "{err}");
        assert!("baseten:**".parse::<Selector>().is_err());
    }
}
