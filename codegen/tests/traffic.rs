//! `cargo xtask conformance`'s library against HAR files written here with
//! known disagreements: the report holds exactly those, with the spec line
//! to change, and never a credential.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gitcode_codegen::evidence::traffic::report::{json, markdown};
use gitcode_codegen::evidence::traffic::{Finding, Hosts, Report, check, check_files, har};
use gitcode_codegen::spec::Spec;
use serde_json::{Value, json};

const BASE: &str = "http://127.0.0.1:8080";
const BEARER: &str = "bearer-secret-0001";
const PRIVATE: &str = "private-secret-0002";
const QUERY: &str = "query-secret-0003";
const SESSION: &str = "session-cookie-0004";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| Spec::load(&root().join("spec")).unwrap_or_else(|e| panic!("{e}")))
}

/// A HAR entry: `method url`, request headers, and an answer (status,
/// media type, body text; `None`: not kept).
fn entry(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    status: u16,
    body: Option<&str>,
) -> Value {
    let headers: Vec<Value> = headers
        .iter()
        .map(|(n, v)| json!({"name": n, "value": v}))
        .collect();
    let mut content =
        json!({"mimeType": "application/json", "size": body.map_or(-1, |b| b.len() as i64)});
    if let Some(body) = body {
        content["text"] = json!(body);
    }
    json!({
        "startedDateTime": "2026-12-01T10:00:00.000+00:00",
        "time": 12.5,
        "request": {"method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": headers,
                    "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1",
                     "headers": [{"name": "Content-Type", "value": "application/json"}], "cookies": [],
                     "content": content, "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {},
        "timings": {"send": 0, "wait": 10, "receive": 1}
    })
}

fn har_text(entries: Vec<Value>) -> String {
    json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries}})
        .to_string()
}

fn hold(entries: Vec<Value>) -> Report {
    let file =
        har::parse(Path::new("rec.har"), &har_text(entries)).unwrap_or_else(|e| panic!("{e}"));
    check(spec(), &[file], &Hosts::new(Some(BASE)).unwrap())
}

/// (operation, direction, kind, field, exchanges, example) of each finding.
fn rows(report: &Report) -> Vec<(String, String, String, String, usize, String)> {
    report
        .findings
        .iter()
        .map(|f| {
            (
                f.operation.clone().unwrap_or_else(|| "-".into()),
                serde_json::to_value(f.direction)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
                f.kind.as_str().to_string(),
                f.field.clone(),
                f.exchanges,
                f.example.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn row(
    op: &str,
    direction: &str,
    kind: &str,
    field: &str,
    exchanges: usize,
    example: &str,
) -> (String, String, String, String, usize, String) {
    (
        op.into(),
        direction.into(),
        kind.into(),
        field.into(),
        exchanges,
        example.into(),
    )
}

/// The spec line a finding names holds `key:` and is in `file`.
fn assert_points_at(finding: &Finding, file: &str, key: &str) {
    let spec = finding
        .spec
        .as_deref()
        .unwrap_or_else(|| panic!("no spec place: {finding:?}"));
    let (path, line) = spec.rsplit_once(':').expect("FILE:LINE");
    assert!(path.ends_with(file), "{spec} is not in {file}: {finding:?}");
    let line: usize = line.parse().expect("a line number");
    let text = std::fs::read_to_string(path).unwrap();
    let at = text.lines().nth(line - 1).unwrap_or_default().trim_start();
    assert!(
        at.starts_with(&format!("{key}:")) || at.starts_with(&format!("'{key}':")),
        "{spec} is `{at}`, not `{key}:` ({finding:?})"
    );
}

fn assert_no_credential(texts: &[&str]) {
    for text in texts {
        for secret in [BEARER, PRIVATE, QUERY, SESSION] {
            assert!(!text.contains(secret), "{secret} in:\n{text}");
        }
    }
}

/// The disagreements of the issue: a field the spec lacks, a `null` where it
/// allows none, a new enum value, an undocumented status, an unknown path,
/// a token echoed in a body. Exactly those are found.
#[test]
fn a_recording_with_known_disagreements_gives_exactly_those_findings() {
    let bearer = format!("Bearer {BEARER}");
    let auth: &[(&str, &str)] = &[("Authorization", &bearer)];
    let private: &[(&str, &str)] = &[
        ("PRIVATE-TOKEN", PRIVATE),
        ("Cookie", &format!("sid={SESSION}")),
    ];
    let issue = json!({
        "id": 1, "number": "7", "title": null, "closed_at": "", "state": "opened", "labels": null,
        "user": {"id": "65f0", "login": "octo", "avatar_frame": "gold"},
        "echo": format!("the token was {BEARER}")
    });
    let report = hold(vec![
        entry(
            "GET",
            &format!("{BASE}/api/v5/repos/o/r/issues/7"),
            auth,
            200,
            Some(&issue.to_string()),
        ),
        entry(
            "GET",
            &format!("{BASE}/api/v5/repos/o/r/issues/8?access_token={QUERY}"),
            &[],
            200,
            Some(&issue.to_string()),
        ),
        entry(
            "GET",
            &format!("{BASE}/api/v8/repos/o/r/actions/runs/5"),
            private,
            200,
            Some(&json!({"workflow_run_id": 5, "status": "QUEUED", "message": null}).to_string()),
        ),
        entry(
            "GET",
            &format!("{BASE}/api/v5/repos/o/r/issues/9"),
            auth,
            299,
            Some(&json!({"session": SESSION}).to_string()),
        ),
        entry(
            "GET",
            &format!("{BASE}/api/v5/repos/o/r/nothing-here?page=2&access_token={QUERY}"),
            &[],
            404,
            Some("{\"message\": \"Not Found\"}"),
        ),
        // Not held: a preflight, a web app asset, another host's API call.
        entry(
            "OPTIONS",
            &format!("{BASE}/api/v5/repos/o/r/issues/7"),
            &[],
            204,
            None,
        ),
        entry(
            "GET",
            "https://static.gitcode.com/app.js",
            &[],
            200,
            Some("var x;"),
        ),
        entry(
            "GET",
            "https://web-api.gitcode.com/api/v5/user",
            auth,
            200,
            Some("{}"),
        ),
    ]);
    assert_eq!(
        rows(&report),
        [
            row(
                "get_issue",
                "response",
                "undocumented status",
                "status 299",
                1,
                "{\"session\":\"[redacted]\"}"
            ),
            row(
                "get_issue",
                "response",
                "unknown field",
                "Issue.echo",
                2,
                "\"the token was [redacted]\""
            ),
            row(
                "get_issue",
                "response",
                "unknown field",
                "User.avatar_frame",
                2,
                "\"gold\""
            ),
            row(
                "get_issue",
                "response",
                "unexpected null",
                "Issue.title",
                2,
                "null"
            ),
            row(
                "get_repo_workflow_run",
                "response",
                "enum value not listed",
                "ActionsRunStatus",
                1,
                "\"QUEUED\""
            ),
            row(
                "-",
                "request",
                "unknown operation",
                "GET /api/v5/repos/o/r/nothing-here",
                1,
                "/api/v5/repos/o/r/nothing-here?page=2&access_token=[redacted]"
            ),
        ]
    );
    let f = &report.findings;
    assert_points_at(&f[0], "spec/paths/issues.yaml", "responses");
    assert_points_at(&f[1], "spec/components/issues.yaml", "properties");
    assert_points_at(&f[2], "spec/components/users.yaml", "properties");
    assert_points_at(&f[3], "spec/components/issues.yaml", "title");
    assert_points_at(&f[4], "spec/components/actions.yaml", "ActionsRunStatus");
    assert_points_at(
        &f[5],
        "spec/paths/users.yaml",
        "/api/v5/repos/{owner}/{repo}",
    );
    assert_eq!(f[1].first_seen, "rec.har#0");
    assert_eq!(
        f[3].message,
        "$.title: `null`, but the schema (a string) is not `nullable`"
    );
    let s = &report.summary;
    assert_eq!(
        (
            s.entries,
            s.checked,
            s.preflights,
            s.other_hosts,
            s.exchanges_with_findings,
            s.findings
        ),
        (8, 5, 1, 2, 5, 6)
    );
    let ops: Vec<(&str, usize)> = report
        .operations
        .iter()
        .map(|o| (o.operation.as_str(), o.exchanges))
        .collect();
    assert_eq!(ops, [("get_issue", 3), ("get_repo_workflow_run", 1)]);
    assert_no_credential(&[&markdown(&report), &json(&report)]);
}

/// What the spec allows, or the client reads as the spec says, is no
/// finding: lenient ids and times, `nullable`, a `null` list, an error
/// envelope, bytes, `HEAD`, an empty `204`, a recorder's retry, an
/// `Authorization` redacted whole.
#[test]
fn what_the_spec_allows_is_no_finding() {
    let mut raw = entry(
        "GET",
        &format!("{BASE}/api/v5/repos/o/r/raw/docs%2Fa.md"),
        &[],
        200,
        None,
    );
    raw["response"]["content"] = json!({"mimeType": "application/octet-stream", "size": 3, "text": "AAEC", "encoding": "base64"});
    let mut retried = entry(
        "GET",
        &format!("{BASE}/api/v5/repos/o/r/issues/7"),
        &[],
        200,
        Some("{\"number\": 7}"),
    );
    retried["_gitcode"] = json!({"operation_id": "get_issue", "path_template": "/api/v5/repos/{owner}/{repo}/issues/{number}", "attempt": 2});
    let report = hold(vec![
        // The client's recorder redacts the whole `Authorization` value.
        entry(
            "GET",
            &format!("{BASE}/api/v5/repos/o/r/issues/7"),
            &[("Authorization", "[redacted]")],
            200,
            Some(
                "{\"id\": \"1\", \"number\": 7, \"closed_at\": \"\", \"labels\": null, \"assignees\": null}",
            ),
        ),
        entry(
            "GET",
            &format!("{BASE}/api/v8/repos/o/r/actions/runs/5"),
            &[],
            200,
            Some("{\"status\": \"FAILED\", \"message\": null}"),
        ),
        entry(
            "GET",
            &format!("{BASE}/api/v5/repos/o/r/issues/7"),
            &[],
            404,
            Some(
                "{\"error_code\": 404, \"error_code_name\": \"NOT_FOUND\", \"error_message\": \"no\", \"trace_id\": \"abc\"}",
            ),
        ),
        entry(
            "GET",
            &format!("{BASE}/api/v5/repos/o/r/issues/7"),
            &[],
            502,
            Some("<html>Bad Gateway</html>"),
        ),
        raw,
        entry(
            "HEAD",
            &format!("{BASE}/api/v5/repos/o/r"),
            &[],
            200,
            Some(""),
        ),
        entry(
            "DELETE",
            &format!("{BASE}/api/v5/repos/o/r"),
            &[],
            204,
            Some(""),
        ),
        retried,
    ]);
    assert_eq!(rows(&report), []);
    assert_eq!(report.summary.checked, 8);
}

/// The request side: an undeclared query parameter, a value of the wrong
/// type, a body of another media type, a body field the schema lacks, and a
/// recording that names another operation than its path.
#[test]
fn requests_are_held_too() {
    let mut form = entry(
        "POST",
        &format!("{BASE}/api/v5/repos/o/r/pulls"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        201,
        Some("{}"),
    );
    form["request"]["postData"] = json!({"mimeType": "application/x-www-form-urlencoded", "text": format!("title=t&head=a&base=b&colour=red&password={BEARER}")});
    let mut text = entry(
        "POST",
        &format!("{BASE}/api/v5/repos/o/r/releases"),
        &[("Content-Type", "text/plain")],
        200,
        Some("{}"),
    );
    text["request"]["postData"] = json!({"mimeType": "text/plain", "text": "v1"});
    let mut named = entry(
        "GET",
        &format!("{BASE}/api/v5/repos/o/r/issues/7"),
        &[],
        200,
        Some("{}"),
    );
    named["_gitcode"] = json!({"operation_id": "get_repo", "path_template": "/api/v5/repos/{owner}/{repo}", "attempt": 1});
    let report = hold(vec![
        entry(
            "GET",
            &format!("{BASE}/api/v5/repos/o/r/issues?per_page=many&_=1700000000"),
            &[],
            200,
            Some("[]"),
        ),
        form,
        text,
        named,
    ]);
    assert_eq!(
        rows(&report),
        [
            row(
                "create_pull_request",
                "request",
                "unknown field",
                "body.colour",
                1,
                "\"red\""
            ),
            row(
                "create_pull_request",
                "request",
                "unknown field",
                "body.password",
                1,
                "\"[redacted]\""
            ),
            row(
                "create_release",
                "request",
                "request media type",
                "request body",
                1,
                "text/plain"
            ),
            row(
                "get_issue",
                "request",
                "recorded operation differs",
                "_gitcode",
                1,
                "get_repo"
            ),
            row(
                "list_repo_issues",
                "request",
                "undeclared parameter",
                "query _",
                1,
                "\"1700000000\""
            ),
            row(
                "list_repo_issues",
                "request",
                "parameter value",
                "query per_page",
                1,
                "\"many\""
            ),
        ]
    );
    assert_points_at(&report.findings[4], "spec/paths/issues.yaml", "parameters");
    assert_points_at(
        &report.findings[5],
        "spec/components/common.yaml",
        "per_page",
    );
    assert_no_credential(&[&markdown(&report), &json(&report)]);
}

/// An entry that cannot be read is a finding of its own and the others are
/// still held; a body cut short or not kept is counted, not checked.
#[test]
fn an_unreadable_entry_does_not_hide_the_others() {
    let mut cut = entry(
        "GET",
        &format!("{BASE}/api/v5/repos/o/r/issues/7"),
        &[],
        200,
        Some("{\"title\": \"a"),
    );
    cut["response"]["content"]["size"] = json!(400);
    let mut bad_base64 = entry(
        "GET",
        &format!("{BASE}/api/v5/repos/o/r/issues/7"),
        &[],
        200,
        Some("!!"),
    );
    bad_base64["response"]["content"]["encoding"] = json!("base64");
    let report = hold(vec![
        json!({"request": {"method": "GET"}}),
        cut,
        entry(
            "GET",
            &format!("{BASE}/api/v5/repos/o/r/issues/7"),
            &[],
            200,
            None,
        ),
        bad_base64,
        entry(
            "GET",
            &format!("{BASE}/api/v5/repos/o/r/issues/7"),
            &[],
            200,
            Some("{\"title\": 3}"),
        ),
        entry(
            "GET",
            &format!("{BASE}/api/v5/repos/o/r/issues/7"),
            &[],
            200,
            Some("not json"),
        ),
    ]);
    assert_eq!(
        rows(&report),
        [
            row(
                "get_issue",
                "response",
                "undecodable body",
                "status 200",
                1,
                "not json"
            ),
            row("get_issue", "response", "other type", "Issue.title", 1, "3"),
            row(
                "-",
                "entry",
                "unreadable entry",
                "rec.har log.entries[0]",
                1,
                ""
            ),
            row(
                "-",
                "entry",
                "unreadable entry",
                "rec.har log.entries[3]",
                1,
                ""
            ),
        ]
    );
    assert_eq!(report.findings[2].message, "request.url is missing");
    assert_eq!(
        report.findings[3].message,
        "response.content.text is not valid base64: Invalid symbol 33, offset 0."
    );
    let s = &report.summary;
    assert_eq!(
        (
            s.unreadable,
            s.bodies_truncated,
            s.bodies_not_kept,
            s.checked
        ),
        (2, 1, 1, 4)
    );
}

/// A file that is not a HAR is an error naming it; the Markdown and JSON
/// forms of a report do not depend on the order of the entries.
#[test]
fn files_that_are_not_hars_are_errors_and_the_order_is_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.har");
    std::fs::write(&broken, "{\"log\": {\"entries\": [{\"request\":").unwrap();
    let err = check_files(
        spec(),
        std::slice::from_ref(&broken),
        &Hosts::new(None).unwrap(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:1:32: in log.entries[0]: the JSON ends early: the file is cut off",
            broken.display()
        )
    );
    let entries = vec![
        entry("GET", &format!("{BASE}/api/v5/zzz"), &[], 200, Some("{}")),
        entry(
            "GET",
            &format!("{BASE}/api/v5/repos/o/r/issues/7"),
            &[],
            200,
            Some("{\"b\": 1, \"a\": 2}"),
        ),
        entry("GET", &format!("{BASE}/api/v5/aaa"), &[], 200, Some("{}")),
    ];
    let forward = hold(entries.clone());
    let backward = hold(entries.into_iter().rev().collect());
    let fields = |r: &Report| {
        r.findings
            .iter()
            .map(|f| f.field.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        fields(&forward),
        ["Issue.a", "Issue.b", "GET /api/v5/aaa", "GET /api/v5/zzz"]
    );
    assert_eq!(fields(&forward), fields(&backward));
}
