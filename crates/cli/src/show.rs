//! `modelhost show PLAN`: a saved plan rendered for review, as text, as markdown for a
//! pull-request or issue comment, or as the document itself.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::ExitCode;

use modelhost::cleanup::{Plan, group_of};
use modelhost::{Escaped, Target};

use crate::args::{ShowArgs, ShowOutput};
use crate::report::{self, CliError, SUCCESS};

/// Rows of targets, and of kept versions, a markdown rendering shows at most: a comment has
/// a size limit, and the plan file has the rest.
const MARKDOWN_ROWS: usize = 200;

/// `modelhost show FILE`: exit 2 for a plan that cannot be read or does not check.
pub fn show(args: &ShowArgs) -> Result<ExitCode, CliError> {
    let plan = crate::cleanup::read_plan(&args.plan, None).map_err(CliError::usage)?;
    let file = args.plan.display().to_string();
    let text = match args.output {
        ShowOutput::Text => text(&plan, &file),
        ShowOutput::Markdown => markdown(&plan, &file),
        ShowOutput::Json => plan.to_json(),
    };
    Ok(report::result(text.as_bytes(), SUCCESS))
}

/// What the plan is, where it was made and by what rules: the lines before its targets.
fn about(plan: &Plan) -> Vec<(&'static str, String)> {
    let accounts: Vec<String> = plan.accounts.iter().map(ToString::to_string).collect();
    let mut lines = vec![
        ("digest", plan.digest.clone()),
        ("made", plan.made_at.to_rfc3339()),
        ("accounts", accounts.join("; ")),
    ];
    match (&plan.policy_file, &plan.rules[..]) {
        (None, [rule]) => {
            let selectors: Vec<String> = rule.selectors.iter().map(ToString::to_string).collect();
            lines.push(("selectors", selectors.join(", ")));
            lines.push(("policy", rule.policy.describe().join("; ")));
        }
        (file, rules) => {
            lines.extend(file.iter().map(|digest| ("file", format!("policy file sha256 {digest}"))));
            lines.extend(plan.max_actions.map(|n| ("limit", format!("at most {n} actions an apply"))));
            lines.extend(rules.iter().map(|rule| ("rule", rule.describe())));
        }
    }
    lines
}

fn text(plan: &Plan, file: &str) -> String {
    let mut text = format!("plan {}\n", plan.short_digest());
    for (name, value) in about(plan) {
        let _ = writeln!(text, "  {name:<9} {value}");
    }
    let _ = write!(text, "{plan}");
    let _ = writeln!(text, "apply exactly this plan: modelhost apply --expect-digest {} {file}", plan.digest);
    text
}

/// Markdown fit for a comment: a summary table, the targets by model, what is kept in a
/// collapsed section, and the command that applies exactly this plan.
fn markdown(plan: &Plan, file: &str) -> String {
    let mut md = format!("### Clean-up plan `{}`\n\n| | |\n|---|---|\n", plan.short_digest());
    for (name, value) in about(plan) {
        let _ = writeln!(md, "| {name} | {} |", cell(&value));
    }
    let counts = plan.counts();
    let verb = plan.verb();
    let totals: Vec<String> = counts.iter().map(|(p, n)| format!("{p}: {n}")).collect();
    let _ = writeln!(
        md,
        "| to {verb} | {} |",
        if totals.is_empty() { "nothing".to_owned() } else { totals.join(", ") }
    );
    for (provider, savings) in plan.savings() {
        let _ = writeln!(md, "| {provider} | {} |", cell(&savings.to_string()));
    }
    let _ = writeln!(md, "| kept | {} |\n", plan.kept.len());
    let mut by_group: BTreeMap<Option<Target>, Vec<&modelhost::cleanup::Planned>> = BTreeMap::new();
    for target in plan.targets.iter().take(MARKDOWN_ROWS) {
        by_group.entry(group_of(&target.reference)).or_default().push(target);
    }
    for (group, targets) in by_group {
        let group = group.map(|g| g.to_string()).unwrap_or_default();
        let _ = writeln!(
            md,
            "#### `{group}`\n\n| action | target | created | status | saves | rule |\n|---|---|---|---|---|---|"
        );
        for t in targets {
            let _ = writeln!(
                md,
                "| {} | `{}` | {} | {} | {} | {} |",
                t.action.verb(),
                t.reference,
                cell(t.facts.created_at.as_deref().unwrap_or("-")),
                cell(t.facts.status.as_deref().unwrap_or("-")),
                cell(&t.savings().to_string()),
                cell(&t.rule)
            );
        }
        md.push('\n');
    }
    if plan.targets.len() > MARKDOWN_ROWS {
        let _ = writeln!(
            md,
            "… and {} more targets: see `{}`.\n",
            plan.targets.len() - MARKDOWN_ROWS,
            cell(file)
        );
    }
    if !plan.kept.is_empty() {
        let _ = writeln!(md, "<details><summary>Kept: {}, and why</summary>\n", plan.kept.len());
        md += "| kept | why |\n|---|---|\n";
        for k in plan.kept.iter().take(MARKDOWN_ROWS) {
            let _ = writeln!(md, "| `{}` | {} |", k.reference, cell(&k.reason.to_string()));
        }
        if plan.kept.len() > MARKDOWN_ROWS {
            let _ = writeln!(md, "| … | and {} more |", plan.kept.len() - MARKDOWN_ROWS);
        }
        md += "\n</details>\n\n";
    }
    let _ = writeln!(
        md,
        "Apply exactly this plan:\n\n```sh\nmodelhost apply --expect-digest {} {}\n```",
        plan.digest,
        shell_word(file)
    );
    md
}

/// Text a server may have sent, safe in a markdown table cell: control characters escaped,
/// and nothing that ends the cell, opens HTML or starts a code span or a link.
fn cell(text: &str) -> String {
    let mut safe = String::new();
    for c in Escaped(text).to_string().chars() {
        match c {
            '|' | '`' | '*' | '_' | '[' | ']' | '\\' => {
                safe.push('\\');
                safe.push(c);
            }
            '<' => safe.push_str("&lt;"),
            '>' => safe.push_str("&gt;"),
            '&' => safe.push_str("&amp;"),
            c => safe.push(c),
        }
    }
    safe
}

/// A path as one shell word (quoted when it needs to be).
fn shell_word(path: &str) -> String {
    if path.chars().all(|c| c.is_ascii_alphanumeric() || "._-/+:@".contains(c)) {
        path.to_owned()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_cannot_break_out_of_its_table() {
        assert_eq!(cell("a|b`c<script>"), r"a\|b\`c&lt;script&gt;");
        assert!(!cell("x\n| y").contains('\n'));
        assert_eq!(shell_word("plans/p 1.json"), "'plans/p 1.json'");
        assert_eq!(shell_word("p.json"), "p.json");
    }
}
