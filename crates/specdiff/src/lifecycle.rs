//! Lifecycle: deprecation, sunset dates (`x-sunset`) and stability levels
//! (`x-stability-level`) of operations and parameters, and what removing one means given them.

use chrono::NaiveDate;

use crate::findings::Findings;
use crate::node::Node;
use crate::rules::{self, Rule};

/// The stability levels an operation may declare, least stable first.
const STABILITY_LEVELS: &[&str] = &["draft", "alpha", "beta", "stable"];

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
    let Some(value) = node.value.get("x-sunset") else { return Sunset::Passed };
    let text = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
    match sunset_date(&text) {
        None => Sunset::Unreadable(text),
        Some(date) if date > today() => Sunset::Ahead(date),
        Some(_) => Sunset::Passed,
    }
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

/// Compares an operation's deprecation, sunset date and stability level.
pub(crate) fn operation(out: &mut Findings, old: &Node<'_>, new: &Node<'_>) {
    let at = new.pointer.as_str();
    match (old.flag("deprecated"), new.flag("deprecated")) {
        (false, true) => out.add(&rules::ENDPOINT_DEPRECATED, at, "the operation was deprecated"),
        (true, false) => out.add(&rules::ENDPOINT_REACTIVATED, at, "the operation is no longer deprecated"),
        _ => {}
    }
    if new.flag("deprecated") {
        let changed = old.value.get("x-sunset") != new.value.get("x-sunset");
        if let (true, Sunset::Unreadable(text)) = (changed, sunset(new)) {
            let message = format!("the operation's sunset date {} is not a date", shown(&text));
            out.add(&rules::API_DEPRECATED_SUNSET_PARSE, at, message);
        }
        if old.flag("deprecated")
            && old.value.get("x-sunset").is_some()
            && new.value.get("x-sunset").is_none()
        {
            let message = "the operation's sunset date was removed; it is still deprecated";
            out.add(&rules::SUNSET_DELETED, at, message);
        }
    }
    stability(out, old, new);
}

/// An operation's `x-stability-level`: one it does not know, or a level lower than before.
fn stability(out: &mut Findings, old: &Node<'_>, new: &Node<'_>) {
    let (before, after) = (old.value.get("x-stability-level"), new.value.get("x-stability-level"));
    let Some(after) = after.filter(|after| Some(*after) != before) else { return };
    let rank = |value: &serde_json::Value| STABILITY_LEVELS.iter().position(|l| Some(*l) == value.as_str());
    let at = new.pointer.as_str();
    let Some(now) = rank(after) else {
        let message = format!(
            "the operation's stability level {} is none of {}",
            shown(&after.to_string()),
            STABILITY_LEVELS.join(", ")
        );
        return out.add(&rules::API_INVALID_STABILITY_LEVEL, at, message);
    };
    if let Some(was) = before.and_then(rank)
        && now < was
    {
        let message = format!(
            "the operation's stability level went down from `{}` to `{}`",
            STABILITY_LEVELS[was], STABILITY_LEVELS[now]
        );
        out.add(&rules::API_STABILITY_DECREASED, at, message);
    }
}

/// Compares a parameter's deprecation and sunset date.
pub(crate) fn parameter(out: &mut Findings, label: &str, old: &Node<'_>, new: &Node<'_>) {
    let at = new.pointer.as_str();
    match (old.flag("deprecated"), new.flag("deprecated")) {
        (false, true) => out.add(&rules::REQUEST_PARAMETER_DEPRECATED, at, format!("{label} was deprecated")),
        (true, false) => {
            out.add(&rules::REQUEST_PARAMETER_REACTIVATED, at, format!("{label} is no longer deprecated"))
        }
        (true, true) if old.value.get("x-sunset").is_some() && new.value.get("x-sunset").is_none() => {
            let message = format!("the sunset date of {label} was removed; it is still deprecated");
            out.add(&rules::REQUEST_PARAMETER_SUNSET_DELETED, at, message);
        }
        _ => {}
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
