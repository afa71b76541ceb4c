//! A [`Report`] written for a maintainer ([`markdown`]) or a program
//! ([`json`]).
//!
//! # The JSON form
//!
//! Stable: fields are only ever added. One object:
//!
//! ```json
//! {
//!   "format": "gitcode-conformance/1",
//!   "files": ["recording.har"],
//!   "summary": {"files": 1, "entries": 14, "checked": 12, "other_hosts": 1, "preflights": 1,
//!               "unreadable": 0, "without_response": 0, "bodies_not_kept": 0,
//!               "bodies_truncated": 0, "exchanges_with_findings": 2, "findings": 3},
//!   "operations": [{"operation": "get_issue", "method": "GET",
//!                   "path": "/api/v5/repos/{owner}/{repo}/issues/{number}", "exchanges": 5}],
//!   "findings": [{"operation": "get_issue", "direction": "response", "kind": "unknown field",
//!                 "field": "Issue.foo", "message": "$: `foo` is not a property of the schema (it has ...)",
//!                 "exchanges": 2, "example": "\"bar\"", "spec": "spec/components/issues.yaml:12",
//!                 "first_seen": "recording.har#3"}]
//! }
//! ```
//!
//! - `summary`: what was read and skipped ([`super::findings::Summary`]);
//! - `operations`: every operation the exchanges matched, by `operationId`;
//! - `findings`: in a fixed order (by operation, `null` last; request
//!   before response; kind; field). `operation` is `null` for an exchange
//!   that matched none and for an unreadable entry; `direction` is `entry`,
//!   `request` or `response`; `kind` one of the texts of
//!   [`super::findings::FindingKind::as_str`]; `field` the schema field
//!   (`Issue.labels[].name`, lists as `[]`, map values as `{}`), parameter
//!   (`query state`), status (`status 418`) or request (`GET /api/v5/x`);
//!   `exchanges` how many show it; `example` one value (compact JSON, or
//!   text), redacted and cut to 80 characters, or `null`; `spec` the file
//!   and line to change, or `null`; `first_seen` the first exchange, as
//!   `FILE#INDEX` of `log.entries`.

use serde::Serialize;

use super::findings::{Finding, Report};

/// The identifier of the JSON form, its first field.
pub const JSON_FORMAT: &str = "gitcode-conformance/1";

#[derive(Serialize)]
struct JsonReport<'r> {
    format: &'static str,
    #[serde(flatten)]
    report: &'r Report,
}

/// The report as JSON (the form this module documents), indented.
pub fn json(report: &Report) -> String {
    let document = JsonReport {
        format: JSON_FORMAT,
        report,
    };
    // A report holds only strings, numbers and lists: it always serializes.
    serde_json::to_string_pretty(&document).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
        + "\n"
}

/// The report as Markdown: a summary line, then a table per operation (the
/// exchanges that match no operation last).
pub fn markdown(report: &Report) -> String {
    let s = &report.summary;
    let mut out = String::from("# Conformance of recorded exchanges to the spec\n\n");
    out.push_str(&format!(
        "{} finding(s) in {} of {} exchange(s) checked, from {} file(s) ({} entries; skipped: {} on other hosts, {} preflight(s); {} unreadable; {} without an answer; bodies not kept: {}, cut short: {}).\n",
        s.findings,
        s.exchanges_with_findings,
        s.checked,
        s.files,
        s.entries,
        s.other_hosts,
        s.preflights,
        s.unreadable,
        s.without_response,
        s.bodies_not_kept,
        s.bodies_truncated,
    ));
    if report.findings.is_empty() {
        out.push_str("\nEvery exchange checked fits the spec.\n");
        return out;
    }
    let mut current: Option<Option<&str>> = None;
    for finding in &report.findings {
        let operation = finding.operation.as_deref();
        if current != Some(operation) {
            current = Some(operation);
            out.push('\n');
            out.push_str(&heading(report, operation));
            out.push_str("\n\n| where | kind | field | exchanges | example | spec | message |\n");
            out.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
        }
        out.push_str(&row(finding));
    }
    out
}

fn heading(report: &Report, operation: Option<&str>) -> String {
    let Some(id) = operation else {
        return "## Exchanges that match no operation".into();
    };
    match report.operations.iter().find(|o| o.operation == id) {
        Some(seen) => format!(
            "## `{id}`: `{} {}` ({} exchange(s))",
            seen.method, seen.path, seen.exchanges
        ),
        None => format!("## `{id}`"),
    }
}

fn row(finding: &Finding) -> String {
    let direction = match finding.direction {
        super::findings::Direction::Entry => "entry",
        super::findings::Direction::Request => "request",
        super::findings::Direction::Response => "response",
    };
    format!(
        "| {direction} | {} | {} | {} | {} | {} | {} |\n",
        finding.kind.as_str(),
        code(&finding.field),
        finding.exchanges,
        finding.example.as_deref().map(code).unwrap_or_default(),
        finding.spec.as_deref().unwrap_or(""),
        cell(&finding.message),
    )
}

/// Text for a table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('|', "\\|")
}

/// Text as a code span in a table cell.
fn code(text: &str) -> String {
    let text = cell(text);
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::traffic::findings::{Direction, FindingKind, OperationSeen, Summary};

    fn report() -> Report {
        Report {
            files: vec!["a.har".into()],
            summary: Summary {
                files: 1,
                entries: 3,
                checked: 2,
                other_hosts: 1,
                exchanges_with_findings: 2,
                findings: 2,
                ..Summary::default()
            },
            operations: vec![OperationSeen {
                operation: "get_issue".into(),
                method: "GET".into(),
                path: "/api/v5/repos/{owner}/{repo}/issues/{number}".into(),
                exchanges: 1,
            }],
            findings: vec![
                Finding {
                    operation: Some("get_issue".into()),
                    direction: Direction::Response,
                    kind: FindingKind::UnknownField,
                    field: "Issue.a|b".into(),
                    message: "$: `a|b` is not a property".into(),
                    exchanges: 1,
                    example: Some("\"x`y\"".into()),
                    spec: Some("spec/components/issues.yaml:3".into()),
                    first_seen: "a.har#0".into(),
                },
                Finding {
                    operation: None,
                    direction: Direction::Request,
                    kind: FindingKind::UnknownOperation,
                    field: "GET /api/v5/nowhere".into(),
                    message: "no operation of the spec has the path `/api/v5/nowhere`".into(),
                    exchanges: 1,
                    example: None,
                    spec: None,
                    first_seen: "a.har#2".into(),
                },
            ],
        }
    }

    #[test]
    fn markdown_has_a_summary_and_a_table_per_operation() {
        assert_eq!(
            markdown(&report()),
            "# Conformance of recorded exchanges to the spec\n\n\
             2 finding(s) in 2 of 2 exchange(s) checked, from 1 file(s) (3 entries; skipped: 1 on other hosts, 0 preflight(s); 0 unreadable; 0 without an answer; bodies not kept: 0, cut short: 0).\n\n\
             ## `get_issue`: `GET /api/v5/repos/{owner}/{repo}/issues/{number}` (1 exchange(s))\n\n\
             | where | kind | field | exchanges | example | spec | message |\n\
             | --- | --- | --- | --- | --- | --- | --- |\n\
             | response | unknown field | `Issue.a\\|b` | 1 | `` \"x`y\" `` | spec/components/issues.yaml:3 | $: `a\\|b` is not a property |\n\n\
             ## Exchanges that match no operation\n\n\
             | where | kind | field | exchanges | example | spec | message |\n\
             | --- | --- | --- | --- | --- | --- | --- |\n\
             | request | unknown operation | `GET /api/v5/nowhere` | 1 |  |  | no operation of the spec has the path `/api/v5/nowhere` |\n"
        );
    }

    #[test]
    fn json_names_its_format_and_keeps_every_field() {
        let value: serde_json::Value = serde_json::from_str(&json(&report())).unwrap();
        assert_eq!(value["format"], JSON_FORMAT);
        assert_eq!(value["summary"]["other_hosts"], 1);
        assert_eq!(value["findings"][0]["kind"], "unknown field");
        assert_eq!(value["findings"][0]["direction"], "response");
        assert_eq!(value["findings"][1]["operation"], serde_json::Value::Null);
        assert_eq!(
            value["operations"][0]["path"],
            "/api/v5/repos/{owner}/{repo}/issues/{number}"
        );
    }
}
