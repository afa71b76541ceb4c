//! The Markdown report of a [`Diff`], for a spec review.

use std::fmt::Write;

use super::compare::{Change, Diff, Impact, Semver};
use super::model::Section;

/// How many operations a changed schema lists before "and N more".
const REACH_SHOWN: usize = 4;

/// The report comparing `old` (a label such as `HEAD~1`) with `new`.
pub fn render(diff: &Diff, old: &str, new: &str) -> String {
    let mut out = format!("# API changes: {old} → {new}\n\n");
    if diff.is_empty() {
        out.push_str("No API changes.\n\nSemver: patch\n");
        return out;
    }
    let _ = writeln!(
        out,
        "{} breaking, {} addition(s), {} other, {} documentation-only.",
        diff.breaking(),
        diff.count(Impact::Addition),
        diff.count(Impact::Other),
        diff.count(Impact::Docs) + diff.docs_changes,
    );
    for (section, title) in [
        (Section::Operations, "Operations"),
        (Section::Parameters, "Parameters"),
        (Section::Schemas, "Schemas"),
        (Section::WebhookEvents, "Webhook events"),
        (Section::Extensions, "Extensions"),
        (Section::Other, "Other"),
    ] {
        let lines: Vec<&Change> = diff
            .changes
            .iter()
            .filter(|c| c.section == section)
            .collect();
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {title}\n");
        for change in lines {
            let _ = writeln!(out, "{}", line(change));
        }
    }
    if diff.docs_changes > 0 {
        let _ = writeln!(
            out,
            "\n## Documentation\n\n- docs: {} description, summary, example or externalDocs \
             change(s) (documentation only)",
            diff.docs_changes
        );
    }
    let semver = diff.semver();
    out.push('\n');
    if semver == Semver::Major {
        out.push_str(
            "While `gitcode` is 0.x, Cargo reads a major change as a bump of the minor \
             number (0.x.y → 0.(x+1).0).\n",
        );
    }
    let _ = writeln!(out, "Semver: {semver}");
    out
}

fn line(change: &Change) -> String {
    let marker = match change.impact {
        Impact::Breaking => "**breaking**",
        Impact::Addition => "added",
        Impact::Other => "changed",
        Impact::Docs => "docs",
    };
    let mut line = format!("- {marker} {}: {}", change.subject, change.detail);
    if !change.reached_by.is_empty() {
        let shown: Vec<String> = change
            .reached_by
            .iter()
            .take(REACH_SHOWN)
            .map(|r| {
                if r.starts_with("event ") {
                    r.clone()
                } else {
                    format!("`{r}`")
                }
            })
            .collect();
        let more = change.reached_by.len().saturating_sub(REACH_SHOWN);
        let _ = write!(line, " (reached by {}", shown.join(", "));
        if more > 0 {
            let _ = write!(line, " and {more} more");
        }
        line.push(')');
    }
    line
}
