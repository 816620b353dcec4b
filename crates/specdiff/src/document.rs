//! Document-wide changes: servers. Security schemes are in [`crate::security`], and changes
//! to what each operation does in [`crate::operations`].

use serde_json::Value;

use crate::findings::Findings;
use crate::rules;

/// Compares the document's server URLs.
pub(crate) fn servers(out: &mut Findings, base: &'_ Value, rev: &'_ Value) {
    let urls = |side: &'_ Value| -> Vec<String> {
        side.get("servers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("url").and_then(Value::as_str))
            .map(str::to_owned)
            .collect()
    };
    let (old, new) = (urls(base), urls(rev));
    let removed: Vec<_> = old.iter().filter(|u| !new.contains(u)).collect();
    let added: Vec<_> = new.iter().filter(|u| !old.contains(u)).collect();
    if let ([before], [after]) = (removed.as_slice(), added.as_slice()) {
        return out.add(
            &rules::SERVER_URL_CHANGED,
            "/servers",
            format!("the server URL changed from `{before}` to `{after}`"),
        );
    }
    for url in removed {
        out.add(&rules::SERVER_REMOVED, "/servers", format!("the server `{url}` was removed"));
    }
    for url in added {
        out.add(&rules::SERVER_ADDED, "/servers", format!("the server `{url}` was added"));
    }
}
