//! Lifecycle: deprecation, sunset dates (`x-sunset`) and stability levels
//! (`x-stability-level`) of operations, parameters and properties, and what removing an
//! operation or a parameter means given them.

use std::fmt::Display;

use chrono::NaiveDate;

use crate::findings::Findings;
use crate::node::Node;
use crate::rules::{self, Rule};

/// The stability levels an operation may declare, least stable first.
const STABILITY_LEVELS: &[&str] = &["draft", "alpha", "beta", "stable"];

/// What deprecations are held to, as oasdiff's deprecation days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    /// The fewest days from today that the `x-sunset` of something newly deprecated (an
    /// operation, a parameter, a property), or whose sunset moved earlier, must be: a nearer
    /// date is breaking, and with more than 0 so is a deprecation without a date. `0`, the
    /// default as in oasdiff, only refuses a date already passed. What declares itself
    /// `draft` or `alpha` is held to 0.
    pub deprecation_days: u32,
}

impl Policy {
    /// The days `node` is held to, given its own `x-stability-level`.
    fn days_for(self, node: &Node<'_>) -> u32 {
        match node.str("x-stability-level") {
            Some("draft" | "alpha") => 0,
            _ => self.deprecation_days,
        }
    }
}

/// What a deprecated thing's sunset date says about removing it now.
enum Sunset {
    /// No `x-sunset`, or one that has passed.
    Passed,
    /// A date still to come.
    Ahead(NaiveDate),
    /// An `x-sunset` that is not a date.
    Unreadable(String),
}

fn sunset(node: &Node<'_>) -> Sunset {
    match declared_sunset(node) {
        None => Sunset::Passed,
        Some(Err(text)) => Sunset::Unreadable(text),
        Some(Ok(date)) if date > today() => Sunset::Ahead(date),
        Some(Ok(_)) => Sunset::Passed,
    }
}

/// A node's `x-sunset`, if it has one: its date, or its text when that is not a date.
fn declared_sunset(node: &Node<'_>) -> Option<Result<NaiveDate, String>> {
    let value = node.value.get("x-sunset")?;
    let text = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
    Some(sunset_date(&text).ok_or(text))
}

/// The rule and message for a removed operation: whether its whole path went, and whether
/// it was deprecated, and removed before or after its `x-sunset` date.
pub(crate) fn operation_removal(old: &Node<'_>, path_removed: bool) -> (&'static Rule, String) {
    let pick = |path: &'static Rule, op: &'static Rule| if path_removed { path } else { op };
    if !old.flag("deprecated") {
        let rule =
            pick(&rules::API_PATH_REMOVED_WITHOUT_DEPRECATION, &rules::API_REMOVED_WITHOUT_DEPRECATION);
        return (rule, "the operation was removed without being deprecated first".to_owned());
    }
    match sunset(old) {
        Sunset::Ahead(date) => (
            pick(&rules::API_PATH_REMOVED_BEFORE_SUNSET, &rules::API_REMOVED_BEFORE_SUNSET),
            format!("the deprecated operation was removed before its sunset date {date}"),
        ),
        Sunset::Unreadable(text) => (
            &rules::API_PATH_SUNSET_PARSE,
            format!(
                "the deprecated operation was removed, and its sunset date {} is not a date",
                shown(&text)
            ),
        ),
        Sunset::Passed => (
            pick(&rules::API_PATH_REMOVED_WITH_DEPRECATION, &rules::API_REMOVED_WITH_DEPRECATION),
            "the deprecated operation was removed".to_owned(),
        ),
    }
}

/// The rule and words for a removed parameter, as for an operation.
pub(crate) fn parameter_removal(old: &Node<'_>) -> (&'static Rule, String) {
    if !old.flag("deprecated") {
        return (&rules::REQUEST_PARAMETER_REMOVED, "was removed".to_owned());
    }
    match sunset(old) {
        Sunset::Ahead(date) => (
            &rules::REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET,
            format!("was removed before its sunset date {date}"),
        ),
        Sunset::Unreadable(text) => (
            &rules::REQUEST_PARAMETER_SUNSET_PARSE,
            format!("was removed, and its sunset date {} is not a date", shown(&text)),
        ),
        Sunset::Passed => {
            (&rules::REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION, "was removed, deprecated".to_owned())
        }
    }
}

/// The rules one kind of subject reports its lifecycle under. oasdiff has no rule for some
/// of them on some subjects (a parameter's stability level, say): those are `None`, and the
/// change goes unreported there as it does in oasdiff.
pub(crate) struct Rules {
    deprecated: &'static Rule,
    /// Deprecated with a readable sunset date; `None` where `deprecated` says both.
    deprecated_with_sunset: Option<&'static Rule>,
    reactivated: &'static Rule,
    /// A deprecated subject whose new `x-sunset` is not a date.
    sunset_unreadable: Option<&'static Rule>,
    /// A deprecated subject that lost its `x-sunset`.
    sunset_deleted: Option<&'static Rule>,
    /// Newly deprecated without the sunset date the [`Policy`] asks for.
    sunset_missing: Option<&'static Rule>,
    /// Newly deprecated with a sunset date nearer than the [`Policy`] allows.
    sunset_too_small: Option<&'static Rule>,
    /// Still deprecated, its sunset date moved earlier, nearer than the [`Policy`] allows.
    sunset_changed_too_small: Option<&'static Rule>,
    /// An `x-stability-level` that is none of [`STABILITY_LEVELS`].
    stability_invalid: Option<&'static Rule>,
    stability_decreased: Option<&'static Rule>,
    stability_increased: Option<&'static Rule>,
}

/// An operation's lifecycle rules.
pub(crate) const OPERATION: Rules = Rules {
    deprecated: &rules::ENDPOINT_DEPRECATED,
    deprecated_with_sunset: Some(&rules::ENDPOINT_DEPRECATED_WITH_SUNSET),
    reactivated: &rules::ENDPOINT_REACTIVATED,
    sunset_unreadable: Some(&rules::API_DEPRECATED_SUNSET_PARSE),
    sunset_deleted: Some(&rules::SUNSET_DELETED),
    sunset_missing: Some(&rules::API_DEPRECATED_SUNSET_MISSING),
    sunset_too_small: Some(&rules::API_SUNSET_DATE_TOO_SMALL),
    sunset_changed_too_small: Some(&rules::API_SUNSET_DATE_CHANGED_TOO_SMALL),
    stability_invalid: Some(&rules::API_INVALID_STABILITY_LEVEL),
    stability_decreased: Some(&rules::API_STABILITY_DECREASED),
    stability_increased: Some(&rules::API_STABILITY_INCREASED),
};

/// A parameter's lifecycle rules.
pub(crate) const PARAMETER: Rules = Rules {
    deprecated: &rules::REQUEST_PARAMETER_DEPRECATED,
    deprecated_with_sunset: None,
    reactivated: &rules::REQUEST_PARAMETER_REACTIVATED,
    sunset_unreadable: None,
    sunset_deleted: Some(&rules::REQUEST_PARAMETER_SUNSET_DELETED),
    sunset_missing: Some(&rules::REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING),
    sunset_too_small: Some(&rules::REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL),
    sunset_changed_too_small: Some(&rules::REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL),
    stability_invalid: None,
    stability_decreased: None,
    stability_increased: None,
};

/// A request body property's lifecycle rules.
pub(crate) const REQUEST_PROPERTY: Rules = Rules {
    deprecated: &rules::REQUEST_PROPERTY_DEPRECATED,
    deprecated_with_sunset: Some(&rules::REQUEST_PROPERTY_DEPRECATED_WITH_SUNSET),
    reactivated: &rules::REQUEST_PROPERTY_REACTIVATED,
    sunset_unreadable: Some(&rules::REQUEST_PROPERTY_DEPRECATED_SUNSET_INVALID),
    sunset_deleted: None,
    sunset_missing: Some(&rules::REQUEST_PROPERTY_DEPRECATED_SUNSET_MISSING),
    sunset_too_small: Some(&rules::REQUEST_PROPERTY_SUNSET_DATE_TOO_SMALL),
    sunset_changed_too_small: None,
    stability_invalid: None,
    stability_decreased: Some(&rules::REQUEST_PROPERTY_STABILITY_DECREASED),
    stability_increased: Some(&rules::REQUEST_PROPERTY_STABILITY_INCREASED),
};

/// A response property's lifecycle rules.
pub(crate) const RESPONSE_PROPERTY: Rules = Rules {
    deprecated: &rules::RESPONSE_PROPERTY_DEPRECATED,
    deprecated_with_sunset: Some(&rules::RESPONSE_PROPERTY_DEPRECATED_WITH_SUNSET),
    reactivated: &rules::RESPONSE_PROPERTY_REACTIVATED,
    sunset_unreadable: Some(&rules::RESPONSE_PROPERTY_DEPRECATED_SUNSET_INVALID),
    sunset_deleted: None,
    sunset_missing: Some(&rules::RESPONSE_PROPERTY_DEPRECATED_SUNSET_MISSING),
    sunset_too_small: Some(&rules::RESPONSE_PROPERTY_SUNSET_DATE_TOO_SMALL),
    sunset_changed_too_small: None,
    stability_invalid: None,
    stability_decreased: Some(&rules::RESPONSE_PROPERTY_STABILITY_DECREASED),
    stability_increased: Some(&rules::RESPONSE_PROPERTY_STABILITY_INCREASED),
};

/// Compares the deprecation, sunset date and stability level of `label` (an operation, a
/// parameter, a property) under `rules`.
/// The label is only formatted into a message: most comparisons find nothing to say.
pub(crate) fn compare(
    out: &mut Findings,
    rules: &Rules,
    label: &dyn Display,
    old: &Node<'_>,
    new: &Node<'_>,
) {
    let at = new.pointer.as_str();
    let had_sunset = old.value.get("x-sunset");
    let sunset_now = new.value.get("x-sunset");
    match (old.flag("deprecated"), new.flag("deprecated")) {
        (false, true) => match policy_breach(out.policy, rules, label, new) {
            Some((rule, message)) => out.add(rule, at, message),
            None => deprecated(out, rules, label, new),
        },
        (true, false) => out.add(rules.reactivated, at, format!("{label} is no longer deprecated")),
        (true, true) if had_sunset != sunset_now => match declared_sunset(new) {
            Some(Err(text)) => {
                let message = format!("the sunset date of {label}, {}, is not a date", shown(&text));
                report(out, rules.sunset_unreadable, at, message);
            }
            None => {
                let message = format!("the sunset date of {label} was removed; it is still deprecated");
                report(out, rules.sunset_deleted, at, message);
            }
            Some(Ok(date)) => {
                let was = declared_sunset(old).and_then(Result::ok);
                if let Some(why) = too_near(date, out.policy.days_for(new))
                    && was.is_some_and(|was| was > date)
                {
                    let message = format!("the sunset date of {label} moved earlier, to {date}: {why}");
                    report(out, rules.sunset_changed_too_small, at, message);
                }
            }
        },
        _ => {}
    }
    stability(out, rules, label, old, new);
}

/// Reports a deprecation: with its sunset date, if it has one this kind of subject reports.
fn deprecated(out: &mut Findings, rules: &Rules, label: &dyn Display, new: &Node<'_>) {
    let at = new.pointer.as_str();
    match (declared_sunset(new), rules.deprecated_with_sunset, rules.sunset_unreadable) {
        (Some(Err(text)), _, Some(rule)) => {
            let message =
                format!("{label} was deprecated, and its sunset date {} is not a date", shown(&text));
            out.add(rule, at, message);
        }
        (Some(Ok(date)), Some(rule), _) => {
            out.add(rule, at, format!("{label} was deprecated, with the sunset date {date}"));
        }
        _ => out.add(rules.deprecated, at, format!("{label} was deprecated")),
    }
}

/// The rule and message for a deprecation that breaks `policy` (no sunset date, or one
/// fewer days ahead than it asks), if it does and this kind of subject has a rule for it.
fn policy_breach(
    policy: Policy,
    rules: &Rules,
    label: &dyn Display,
    new: &Node<'_>,
) -> Option<(&'static Rule, String)> {
    let days = policy.days_for(new);
    match declared_sunset(new) {
        None if days == 0 => None,
        None => Some((
            rules.sunset_missing?,
            format!(
                "{label} was deprecated without a sunset date; the policy asks for one {days} days ahead"
            ),
        )),
        Some(Ok(date)) => {
            let why = too_near(date, days)?;
            Some((
                rules.sunset_too_small?,
                format!("{label} was deprecated with the sunset date {date}: {why}"),
            ))
        }
        Some(Err(_)) => None,
    }
}

/// Why a sunset `date` is too near for a policy of `days`, if it is: fewer days ahead than
/// asked, or (with none asked) already passed.
fn too_near(date: NaiveDate, days: u32) -> Option<String> {
    let ahead = (date - today()).num_days();
    match days {
        0 => (ahead < 0).then(|| "a date already passed".to_owned()),
        _ => (ahead < i64::from(days)).then(|| format!("fewer than the {days} days ahead the policy asks")),
    }
}

/// An `x-stability-level`: one that is not a level, or a level lower or higher than before.
fn stability(out: &mut Findings, rules: &Rules, label: &dyn Display, old: &Node<'_>, new: &Node<'_>) {
    let (before, after) = (old.value.get("x-stability-level"), new.value.get("x-stability-level"));
    let Some(after) = after.filter(|after| Some(*after) != before) else { return };
    let rank = |value: &serde_json::Value| STABILITY_LEVELS.iter().position(|l| Some(*l) == value.as_str());
    let at = new.pointer.as_str();
    let Some(now) = rank(after) else {
        let message = format!(
            "the stability level of {label}, {}, is none of {}",
            shown(&after.to_string()),
            STABILITY_LEVELS.join(", ")
        );
        return report(out, rules.stability_invalid, at, message);
    };
    let Some(was) = before.and_then(rank) else { return };
    let (rule, went) =
        if now < was { (rules.stability_decreased, "down") } else { (rules.stability_increased, "up") };
    let message = format!(
        "the stability level of {label} went {went} from `{}` to `{}`",
        STABILITY_LEVELS[was], STABILITY_LEVELS[now]
    );
    report(out, rule, at, message);
}

/// Reports under `rule`, where this kind of subject has one.
fn report(out: &mut Findings, rule: Option<&'static Rule>, at: &str, message: String) {
    if let Some(rule) = rule {
        out.add(rule, at, message);
    }
}

/// A value from the spec as a message shows it: in backticks, cut to 40 characters.
fn shown(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("`{}…`", &text[..i]),
        None => format!("`{text}`"),
    }
}

/// The date of an `x-sunset` value (a date, or an RFC 3339 date-time), if it has one.
fn sunset_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.date_naive()))
}

/// Today's date (UTC), from the system clock.
fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sunset_is_a_date_or_unreadable() {
        let day = NaiveDate::from_ymd_opt(2030, 1, 2);
        assert_eq!(sunset_date("2030-01-02"), day);
        assert_eq!(sunset_date("2030-01-02T00:00:00Z"), day);
        assert_eq!(sunset_date("2030-02-30"), None);
        assert_eq!(sunset_date("next year"), None);
        assert_eq!(sunset_date("é"), None);
        assert!(today() > NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    }
}
