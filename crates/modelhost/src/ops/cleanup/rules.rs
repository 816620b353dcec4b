//! Rules, as lifecycle policies keep them (ECR, Artifact Registry): each with a name, the
//! selectors it looks at, its conditions, and one action or `keep`. A keep rule wins over
//! every other rule, whatever their order; otherwise the first rule that chooses a target
//! decides it. The command line's flags are one rule; a policy file ([`PolicyFile`], TOML)
//! holds several, the accounts it is for and the most one apply may do.

use std::collections::BTreeSet;
use std::time::Duration;

use super::{Policy, PolicyError, Selector};
use crate::{Action, Provider};

/// One rule of a clean-up.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Rule {
    /// Its name, which a plan's targets carry (the rule that decided them).
    pub name: String,
    /// Where it looks.
    pub selectors: Vec<Selector>,
    /// A keep rule: what it selects and its conditions hold for (and, with a `keep_last`,
    /// only that many of each group's newest) is kept, whatever the other rules say.
    pub keep: bool,
    /// Its conditions and action.
    pub policy: Policy,
}

impl Rule {
    /// The command line's one rule: `selectors` decided by `policy`.
    pub fn flags(selectors: Vec<Selector>, policy: Policy) -> Self {
        Self { name: FLAGS.to_owned(), selectors, keep: false, policy }
    }

    /// Whether it selects `target`.
    pub fn covers(&self, target: &crate::Target) -> bool {
        self.selectors.iter().any(|s| s.covers(target))
    }

    /// The rule in words: `keep-d3: keep baseten:m1/deployments/d3`.
    pub fn describe(&self) -> String {
        let selectors: Vec<String> = self.selectors.iter().map(ToString::to_string).collect();
        let clauses = if self.keep { self.policy.describe_keep() } else { self.policy.describe() };
        format!("{}: {} on {}", self.name, clauses.join("; "), selectors.join(", "))
    }
}

/// The name of the rule the command line's flags make.
pub const FLAGS: &str = "flags";

/// A policy file: ordered rules, the accounts it is for, and the most one apply may do.
///
/// ```toml
/// max_actions = 50                       # optional
/// [accounts]                             # optional; checked when present
/// baseten = "ws-a"                       # the workspace GET /v1/users/me reports
/// replicate = "alice"                    # the username GET /v1/account reports
/// [[rules]]
/// name = "idle-and-costing"
/// selectors = ["baseten:*", "baseten:chains/*", "replicate:deployments/*"]
/// idle_for = "7d"
/// costing = true
/// action = "scale-to-zero"
/// [[rules]]
/// name = "keep-d3"
/// selectors = ["baseten:m1/deployments/d3"]
/// action = "keep"
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PolicyFile {
    /// The rules, in order.
    pub rules: Vec<Rule>,
    /// The account each provider's token must belong to (Baseten's workspace name,
    /// Replicate's username).
    pub accounts: Vec<(Provider, String)>,
    /// The most actions one apply may send.
    pub max_actions: Option<usize>,
    /// The sha256 of the file's bytes, in hex.
    pub digest: String,
}

/// A policy file that cannot be used, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct PolicyFileError {
    /// The file's name.
    pub file: String,
    /// What is wrong (the TOML parser's message names the line).
    pub message: String,
}

/// The file as written.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    max_actions: Option<usize>,
    #[serde(default)]
    accounts: WrittenAccounts,
    rules: Vec<WrittenRule>,
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenAccounts {
    baseten: Option<String>,
    replicate: Option<String>,
}

/// A rule as written: every flag of `modelhost prune` has its key.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenRule {
    name: String,
    selectors: Vec<String>,
    action: String,
    keep_last: Option<usize>,
    older_than: Option<String>,
    statuses: Option<Vec<String>>,
    #[serde(default)]
    include_development: bool,
    #[serde(default)]
    include_latest: bool,
    #[serde(default)]
    include_production: bool,
    idle_for: Option<String>,
    #[serde(default)]
    costing: bool,
    min_cost_per_hour: Option<toml::Value>,
    #[serde(default)]
    keep_labels: Vec<String>,
}

impl PolicyFile {
    /// Rules made in code (or of the command line's flags), with no account check or limit.
    pub fn of(rules: Vec<Rule>) -> Self {
        Self { rules, accounts: Vec::new(), max_actions: None, digest: String::new() }
    }

    /// Reads the file at `path`.
    pub fn read(path: &std::path::Path) -> Result<Self, PolicyFileError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| PolicyFileError { file: file.clone(), message: e.to_string() })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| PolicyFileError { file: file.clone(), message: "not UTF-8 text".to_owned() })?;
        Self::parse(&text, &file)
    }

    /// Parses `text`, the file named `file`: an unknown key, a bad value or a rule that
    /// cannot be applied is an error naming its line or its rule.
    pub fn parse(text: &str, file: &str) -> Result<Self, PolicyFileError> {
        let error = |message: String| PolicyFileError { file: file.to_owned(), message };
        let written: Written =
            toml::from_str(text).map_err(|e| error(e.to_string().trim_end().to_owned()))?;
        if written.rules.is_empty() {
            return Err(error("no rules: write at least one [[rules]]".to_owned()));
        }
        let mut names = BTreeSet::new();
        let mut rules = Vec::with_capacity(written.rules.len());
        for rule in written.rules {
            if !names.insert(rule.name.clone()) {
                return Err(error(format!(
                    "two rules are named `{}`: each name is what a plan cites",
                    rule.name
                )));
            }
            let name = rule.name.clone();
            rules.push(rule.into_rule().map_err(|message| error(format!("rule `{name}`: {message}")))?);
        }
        let accounts = [
            (Provider::Baseten, written.accounts.baseten),
            (Provider::Replicate, written.accounts.replicate),
        ]
        .into_iter()
        .filter_map(|(provider, name)| Some((provider, name?)))
        .collect();
        if written.max_actions == Some(0) {
            return Err(error("max_actions = 0 would never act: leave it out for no limit".to_owned()));
        }
        use sha2::Digest;
        let digest = sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        Ok(Self { rules, accounts, max_actions: written.max_actions, digest })
    }
}

impl WrittenRule {
    fn into_rule(self) -> Result<Rule, String> {
        let duration = |text: Option<String>| -> Result<Option<Duration>, String> {
            text.map(|t| Policy::parse_duration(&t)).transpose().map_err(|e: PolicyError| e.to_string())
        };
        let (keep, action) = match self.action.as_str() {
            "keep" => (true, Action::Delete),
            "delete" => (false, Action::Delete),
            "deactivate" => (false, Action::Deactivate),
            "scale-to-zero" => (false, Action::ScaleToZero),
            "stop" => (false, Action::Stop),
            other => {
                return Err(format!(
                    "action `{other}` is not one of keep, delete, deactivate, scale-to-zero, stop"
                ));
            }
        };
        if self.selectors.is_empty() {
            return Err("no selectors: say where it looks".to_owned());
        }
        let selectors = self
            .selectors
            .iter()
            .map(|s| s.parse::<Selector>().map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        let statuses = self
            .statuses
            .map(|s| Policy::parse_statuses(&s.join(",")))
            .transpose()
            .map_err(|e| e.to_string())?;
        let keep_labels = self
            .keep_labels
            .iter()
            .map(|l| Policy::parse_label(l))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        let min_cost_per_hour = self.min_cost_per_hour.map(amount).transpose()?;
        let policy = Policy {
            // A keep rule without keep_last keeps whatever its conditions hold for.
            keep_last: self.keep_last.unwrap_or(usize::from(!keep)),
            older_than: duration(self.older_than)?,
            statuses,
            include_development: self.include_development,
            action,
            include_production: self.include_production,
            idle_for: duration(self.idle_for)?,
            costing: self.costing,
            min_cost_per_hour,
            include_latest: self.include_latest,
            keep_labels,
        };
        Ok(Rule { name: self.name, selectors, keep, policy })
    }
}

/// `min_cost_per_hour`, written as a string (`"0.5"`) or a number (`0.5`, read from its
/// text: never through a float), in USD.
fn amount(value: toml::Value) -> Result<rust_decimal::Decimal, String> {
    let text = match &value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        _ => String::new(),
    };
    match text.parse::<rust_decimal::Decimal>() {
        Ok(amount) if amount >= rust_decimal::Decimal::ZERO => Ok(amount),
        _ => Err(format!(
            "min_cost_per_hour `{}` is not an amount of USD (write \"0.5\")",
            crate::Escaped(&text)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
max_actions = 50
[accounts]
baseten = "ws-a"
replicate = "alice"
[[rules]]
name = "idle-and-costing"
selectors = ["baseten:*", "baseten:chains/*", "replicate:deployments/*"]
idle_for = "7d"
costing = true
action = "scale-to-zero"
[[rules]]
name = "keep-d3"
selectors = ["baseten:m1/deployments/d3"]
action = "keep"
"#;

    #[test]
    fn the_issue_s_example_reads_as_its_rules() {
        let file = PolicyFile::parse(EXAMPLE, "policy.toml").unwrap();
        assert_eq!(file.max_actions, Some(50));
        assert_eq!(
            file.accounts,
            [(Provider::Baseten, "ws-a".into()), (Provider::Replicate, "alice".into())]
        );
        assert_eq!(file.rules.len(), 2);
        let idle = &file.rules[0];
        assert_eq!((idle.keep, idle.policy.action, idle.policy.costing), (false, Action::ScaleToZero, true));
        assert_eq!(idle.policy.idle_for, Some(Duration::from_secs(7 * 86_400)));
        assert_eq!(idle.policy.keep_last, 1, "an acting rule keeps each group's newest unless told");
        let keep = &file.rules[1];
        assert_eq!((keep.keep, keep.policy.keep_last), (true, 0));
        assert_eq!(file.digest.len(), 64);
    }

    #[test]
    fn an_unknown_key_or_value_is_an_error_naming_its_line() {
        let typo = EXAMPLE.replace("costing = true", "costs = true");
        let err = PolicyFile::parse(&typo, "p.toml").unwrap_err().to_string();
        assert!(err.starts_with("p.toml: ") && err.contains("line 10") && err.contains("costs"), "{err}");
        let action = EXAMPLE.replace("\"scale-to-zero\"", "\"shrink\"");
        let err = PolicyFile::parse(&action, "p.toml").unwrap_err().to_string();
        assert!(err.contains("rule `idle-and-costing`: action `shrink`"), "{err}");
        let selector = EXAMPLE.replace("replicate:deployments/*", "replicate:*");
        assert!(PolicyFile::parse(&selector, "p.toml").unwrap_err().to_string().contains("cannot list"));
        let twice = EXAMPLE.replace("keep-d3", "idle-and-costing");
        assert!(PolicyFile::parse(&twice, "p.toml").unwrap_err().to_string().contains("two rules"));
        let money = EXAMPLE.replace("costing = true", "min_cost_per_hour = 0.1");
        let file = PolicyFile::parse(&money, "p.toml").unwrap();
        assert_eq!(
            file.rules[0].policy.min_cost_per_hour,
            Some("0.1".parse().unwrap()),
            "decimal, not a float"
        );
        assert!(PolicyFile::parse("max_actions = 5", "p.toml").unwrap_err().to_string().contains("rules"));
    }
}
