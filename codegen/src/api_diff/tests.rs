//! A small before/after spec pair for every kind of change, and one edit of
//! the real spec. (Unit tests: no test binary of their own to link.)

use std::path::Path;

use super::{Diff, Semver, diff_specs, report};
// The integration tests' helpers (a copy of the real spec).
#[path = "../../tests/support/mod.rs"]
mod support;
use crate::spec::Spec;
use serde_yaml::{Mapping, Value};
use support::spec_copy;

const ROOT: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
tags:
  - name: Issues
  - name: Users
paths: {}
";

const BASE: &str = r#"
paths:
  /api/v5/repos/{owner}/issues:
    get:
      operationId: list_issues
      summary: List issues.
      description: All of them.
      tags: [Issues]
      externalDocs: {url: 'https://docs.gitcode.com/list'}
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}}
        - {name: state, in: query, schema: {type: string, enum: [open, closed]}}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: The issues.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Issue'}}
    post:
      operationId: create_issue
      summary: Create an issue.
      tags: [Issues]
      externalDocs: {url: 'https://docs.gitcode.com/create'}
      x-gitcode-unverified: true
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [title]
              properties:
                title: {type: string}
                body: {type: string}
      responses:
        '201':
          description: The new issue.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Issue'}
components:
  schemas:
    Issue:
      description: An issue.
      type: object
      required: [number]
      properties:
        number: {type: integer, format: int64}
        title: {type: string}
        state: {$ref: '#/components/schemas/IssueState'}
        priority: {type: integer, enum: [0, 1, 2]}
        user: {$ref: '#/components/schemas/User'}
    IssueState:
      type: string
      enum: [open, closed]
    User:
      type: object
      properties:
        login: {type: string}
    Label:
      type: object
      properties:
        name: {type: string}
x-gitcode-webhooks:
  Issue Hook: {$ref: '#/components/schemas/Issue'}
"#;

const ISSUES: &str = "/api/v5/repos/{owner}/issues";

fn write_spec(dir: &Path, area: &str) {
    std::fs::create_dir_all(dir.join("paths")).unwrap();
    std::fs::write(dir.join("openapi.yaml"), ROOT).unwrap();
    std::fs::write(dir.join("paths/issues.yaml"), area).unwrap();
}

fn load(area: &str) -> Spec {
    let dir = tempfile::tempdir().unwrap();
    write_spec(dir.path(), area);
    Spec::load(dir.path()).unwrap_or_else(|e| panic!("{e}\n{area}"))
}

fn base() -> Value {
    serde_yaml::from_str(BASE).unwrap()
}

fn diff_with(edit: fn(&mut Value)) -> Diff {
    let mut after = base();
    edit(&mut after);
    diff_specs(&load(BASE), &load(&serde_yaml::to_string(&after).unwrap()))
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

fn map(value: &mut Value) -> &mut Mapping {
    value.as_mapping_mut().expect("a mapping")
}

fn op<'a>(spec: &'a mut Value, method: &str) -> &'a mut Value {
    &mut spec["paths"][ISSUES][method]
}

fn schema<'a>(spec: &'a mut Value, name: &str) -> &'a mut Value {
    &mut spec["components"]["schemas"][name]
}

fn params(spec: &mut Value) -> &mut Vec<Value> {
    op(spec, "get")["parameters"].as_sequence_mut().unwrap()
}

fn body(spec: &mut Value) -> &mut Value {
    &mut op(spec, "post")["requestBody"]["content"]["application/json"]["schema"]
}

struct Case {
    name: &'static str,
    edit: fn(&mut Value),
    /// A substring of one change's "subject: detail".
    expect: &'static str,
    breaking: bool,
    semver: Semver,
}

const fn case(
    name: &'static str,
    edit: fn(&mut Value),
    expect: &'static str,
    breaking: bool,
    semver: Semver,
) -> Case {
    Case {
        name,
        edit,
        expect,
        breaking,
        semver,
    }
}

use Semver::{Major, Minor, Patch};

const CASES: &[Case] = &[
    // Operations
    case(
        "operation removed",
        |s| {
            map(&mut s["paths"][ISSUES]).remove("post");
        },
        "`create_issue`: removed (`POST /api/v5/repos/{owner}/issues`)",
        true,
        Major,
    ),
    case(
        "operation added",
        |s| {
            let mut new = op(s, "get").clone();
            new["operationId"] = "delete_issues".into();
            map(&mut s["paths"][ISSUES]).insert("delete".into(), new);
        },
        "`delete_issues`: new operation (`DELETE /api/v5/repos/{owner}/issues`)",
        false,
        Minor,
    ),
    case(
        "operation renamed",
        |s| op(s, "get")["operationId"] = "list_repo_issues".into(),
        "`list_issues`: renamed to `list_repo_issues` (`GET /api/v5/repos/{owner}/issues`)",
        true,
        Major,
    ),
    case(
        "operation moved to another tag",
        |s| op(s, "get")["tags"] = yaml("[Users]"),
        "`list_issues`: tag `Issues` → `Users`",
        true,
        Major,
    ),
    case(
        "response retyped",
        |s| {
            op(s, "get")["responses"]["200"]["content"]["application/json"]["schema"] =
                yaml("{type: array, items: {$ref: '#/components/schemas/User'}}")
        },
        "`list_issues`: response `200`: type `array of Issue` → `array of User`",
        true,
        Major,
    ),
    case(
        "response added",
        |s| op(s, "get")["responses"]["404"] = yaml("{description: Not found.}"),
        "`list_issues`: new response `404` (`no content`)",
        false,
        Minor,
    ),
    // Parameters
    case(
        "parameter removed",
        |s| {
            params(s).remove(2);
        },
        "`list_issues`: query parameter `page` removed (was `integer`)",
        true,
        Major,
    ),
    case(
        "optional parameter added",
        |s| params(s).push(yaml("{name: since, in: query, schema: {type: string}}")),
        "`list_issues`: new query parameter `since` (`string`, optional)",
        false,
        Minor,
    ),
    case(
        "required parameter added",
        |s| {
            params(s).push(yaml(
            "{name: since, in: query, required: true, schema: {type: string, format: date-time}}",
        ))
        },
        "`list_issues`: new query parameter `since` (`string(date-time)`, required)",
        true,
        Major,
    ),
    case(
        "parameter retyped",
        |s| params(s)[2]["schema"] = yaml("{type: string}"),
        "`list_issues`: query parameter `page`: type `integer` → `string`",
        true,
        Major,
    ),
    case(
        "parameter made required",
        |s| params(s)[2]["required"] = true.into(),
        "`list_issues`: query parameter `page` made required",
        true,
        Major,
    ),
    case(
        "parameter enum value added",
        |s| params(s)[1]["schema"]["enum"] = yaml("[open, closed, all]"),
        "`list_issues/query/state`: enum value `all` added: a new variant of an open Rust enum",
        false,
        Minor,
    ),
    case(
        "string parameter given an enum",
        |s| params(s)[2]["schema"] = yaml("{type: string, enum: [asc, desc]}"),
        "`list_issues`: query parameter `page`: type `integer` → `string enum`",
        true,
        Major,
    ),
    // Request bodies
    case(
        "string body field given an enum",
        |s| body(s)["properties"]["body"]["enum"] = yaml("[short, long]"),
        "`CreateIssueBody.body`: type `string` → `string enum`",
        true,
        Major,
    ),
    case(
        "request body made optional",
        |s| op(s, "post")["requestBody"]["required"] = false.into(),
        "`create_issue`: request body made optional",
        false,
        Minor,
    ),
    case(
        "request body removed",
        |s| {
            map(op(s, "post")).remove("requestBody");
        },
        "`create_issue`: request body removed (was `CreateIssueBody`)",
        true,
        Major,
    ),
    case(
        "request body field removed",
        |s| {
            map(&mut body(s)["properties"]).remove("body");
        },
        "`CreateIssueBody.body`: removed (was `string`)",
        true,
        Major,
    ),
    case(
        "required request body field added",
        |s| {
            body(s)["properties"]["labels"] = yaml("{type: array, items: {type: string}}");
            body(s)["required"] = yaml("[title, labels]");
        },
        "`CreateIssueBody.labels`: new property (`array of string`, required, in a request)",
        true,
        Major,
    ),
    case(
        "request body field made required",
        |s| body(s)["required"] = yaml("[title, body]"),
        "`CreateIssueBody.body`: made required",
        true,
        Major,
    ),
    // Schemas
    case(
        "response property removed",
        |s| {
            map(&mut schema(s, "Issue")["properties"]).remove("title");
        },
        "`Issue.title`: removed (was `string`)",
        true,
        Major,
    ),
    case(
        "response property retyped",
        |s| schema(s, "Issue")["properties"]["number"] = yaml("{type: string}"),
        "`Issue.number`: type `integer(int64)` → `string`",
        true,
        Major,
    ),
    case(
        "property made nullable",
        |s| schema(s, "Issue")["properties"]["title"]["nullable"] = true.into(),
        "`Issue.title`: type `string` → `string (nullable)`",
        true,
        Major,
    ),
    case(
        "response property made optional",
        |s| {
            map(schema(s, "Issue")).remove("required");
        },
        "`Issue.number`: made optional",
        true,
        Major,
    ),
    case(
        "optional property added",
        |s| schema(s, "Issue")["properties"]["html_url"] = yaml("{type: string}"),
        "`Issue.html_url`: new property (`string`, optional)",
        false,
        Minor,
    ),
    case(
        "string enum value added",
        |s| schema(s, "IssueState")["enum"] = yaml("[open, closed, reopened]"),
        "`IssueState`: enum value `reopened` added: a new variant of an open Rust enum",
        false,
        Minor,
    ),
    case(
        "string enum value removed",
        |s| schema(s, "IssueState")["enum"] = yaml("[open]"),
        "`IssueState`: enum value `closed` removed",
        true,
        Major,
    ),
    case(
        "integer enum value added",
        |s| schema(s, "Issue")["properties"]["priority"]["enum"] = yaml("[0, 1, 2, 3]"),
        "`Issue.priority`: enum value `3` added",
        false,
        Minor,
    ),
    case(
        "schema added",
        |s| {
            map(&mut s["components"]["schemas"]).insert("Milestone".into(), yaml("{type: object}"));
        },
        "`Milestone`: new schema (`object`)",
        false,
        Minor,
    ),
    case(
        "schema removed",
        |s| {
            map(&mut s["components"]["schemas"]).remove("Label");
        },
        "`Label`: removed",
        true,
        Major,
    ),
    case(
        "schema renamed",
        |s| {
            let label = map(&mut s["components"]["schemas"])
                .remove("Label")
                .unwrap();
            map(&mut s["components"]["schemas"]).insert("Tag".into(), label);
        },
        "`Label`: renamed to `Tag` (same definition)",
        true,
        Major,
    ),
    // Webhook events
    case(
        "webhook event added",
        |s| s["x-gitcode-webhooks"]["Note Hook"] = yaml("{$ref: '#/components/schemas/User'}"),
        "`Note Hook`: new event (payload `User`",
        false,
        Minor,
    ),
    case(
        "webhook event removed",
        |s| {
            map(&mut s["x-gitcode-webhooks"]).remove("Issue Hook");
        },
        "`Issue Hook`: removed (payload `Issue`)",
        true,
        Major,
    ),
    case(
        "webhook payload changed",
        |s| s["x-gitcode-webhooks"]["Issue Hook"] = yaml("{$ref: '#/components/schemas/User'}"),
        "`Issue Hook`: payload `Issue` → `User`",
        true,
        Major,
    ),
    // Extensions
    case(
        "extension added",
        |s| params(s)[0]["x-gitcode-keep-slashes"] = true.into(),
        "`list_issues/parameters/owner`: `x-gitcode-keep-slashes` added: `true`: may change generated code",
        false,
        Minor,
    ),
    case(
        "docs-only extension removed",
        |s| {
            map(op(s, "post")).remove("x-gitcode-unverified");
        },
        "`create_issue`: `x-gitcode-unverified` removed (was `true`): changes the generated docs only",
        false,
        Patch,
    ),
];

#[test]
fn every_kind_of_change_is_reported_with_its_impact() {
    let mut failures = Vec::new();
    for case in CASES {
        let diff = diff_with(case.edit);
        let lines: Vec<String> = diff
            .changes
            .iter()
            .map(|c| format!("{}: {}", c.subject, c.detail))
            .collect();
        let found = diff
            .changes
            .iter()
            .zip(&lines)
            .find(|(_, line)| line.contains(case.expect));
        match found {
            None => failures.push(format!(
                "{}: no line with {:?} in {lines:#?}",
                case.name, case.expect
            )),
            Some((change, line)) if change.breaking() != case.breaking => failures.push(format!(
                "{}: {line:?} should {}be breaking",
                case.name,
                if case.breaking { "" } else { "not " }
            )),
            Some(_) if diff.semver() != case.semver => failures.push(format!(
                "{}: semver {} instead of {} ({lines:#?})",
                case.name,
                diff.semver(),
                case.semver
            )),
            Some(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_renamed_operation_is_one_line_not_a_removal_and_an_addition() {
    let diff = diff_with(|s| op(s, "get")["operationId"] = "list_repo_issues".into());
    assert_eq!(diff.changes.len(), 1, "{:#?}", diff.changes);
}

#[test]
fn a_referenced_schema_change_is_reported_once_with_the_operations_reaching_it() {
    let diff = diff_with(|s| {
        map(&mut schema(s, "User")["properties"]).remove("login");
    });
    assert_eq!(diff.changes.len(), 1, "{:#?}", diff.changes);
    let change = &diff.changes[0];
    assert_eq!(change.subject, "`User.login`");
    assert_eq!(
        change.reached_by,
        ["create_issue", "event `Issue Hook`", "list_issues"]
    );
}

/// Only the document's shape changed: no operation, body or property line,
/// just the catch-all that asks for a look at the generated diff.
#[test]
fn an_inline_body_moved_to_a_component_of_its_generated_name_is_no_api_change() {
    let diff = diff_with(|s| {
        let inline = body(s).clone();
        schema(s, "CreateIssueBody").clone_from(&inline);
        *body(s) = yaml("{$ref: '#/components/schemas/CreateIssueBody'}");
    });
    assert_eq!(diff.changes.len(), 1, "{:#?}", diff.changes);
    assert_eq!(diff.changes[0].subject, "the spec");
    assert_eq!(diff.semver(), Minor);
}

#[test]
fn a_body_sent_as_a_form_instead_of_json_is_the_same_rust_body() {
    let diff = diff_with(|s| {
        let inline = body(s).clone();
        let content = &mut op(s, "post")["requestBody"]["content"];
        content["application/x-www-form-urlencoded"]["schema"] = inline;
        op(s, "post")["x-gitcode-send-as"] = "application/x-www-form-urlencoded".into();
    });
    assert_eq!(diff.changes.len(), 1, "{:#?}", diff.changes);
    let change = &diff.changes[0];
    assert_eq!(
        change.detail,
        "request body: content type `application/json` → `application/x-www-form-urlencoded`: \
         the same Rust body, sent in another encoding"
    );
    assert_eq!(diff.semver(), Minor);
}

#[test]
fn documentation_changes_are_counted_as_a_patch() {
    let diff = diff_with(|s| {
        op(s, "get")["description"] = "Every issue of the repository.".into();
        schema(s, "Issue")["description"] = "An issue or a task.".into();
        schema(s, "Issue")["properties"]["title"]["description"] = "Its title.".into();
    });
    assert!(diff.changes.is_empty(), "{:#?}", diff.changes);
    assert_eq!(diff.docs_changes, 3);
    assert_eq!(diff.semver(), Patch);
    let text = report::render(&diff, "old", "new");
    assert!(text.contains("3 description, summary"), "{text}");
    assert!(text.ends_with("Semver: patch\n"), "{text}");
}

#[test]
fn a_property_named_description_is_not_documentation() {
    let diff = diff_with(|s| {
        schema(s, "Issue")["properties"]["description"] = yaml("{type: string}");
    });
    assert_eq!(diff.docs_changes, 0);
    assert_eq!(diff.changes.len(), 1, "{:#?}", diff.changes);
}

#[test]
fn no_changes_say_so() {
    let diff = diff_with(|_| {});
    assert!(diff.is_empty());
    assert_eq!(
        report::render(&diff, "`HEAD`", "working tree"),
        "# API changes: `HEAD` → working tree\n\nNo API changes.\n\nSemver: patch\n"
    );
}

#[test]
fn the_report_has_a_summary_sections_and_the_semver_line() {
    let diff = diff_with(|s| {
        map(&mut schema(s, "Issue")["properties"]).remove("title");
        params(s).push(yaml("{name: since, in: query, schema: {type: string}}"));
        op(s, "get")["summary"] = "List every issue.".into();
    });
    let text = report::render(&diff, "`HEAD~1`", "working tree");
    let expected = "\
# API changes: `HEAD~1` → working tree

1 breaking, 1 addition(s), 0 other, 1 documentation-only.

## Parameters

- added `list_issues`: new query parameter `since` (`string`, optional)

## Schemas

- **breaking** `Issue.title`: removed (was `string`) (reached by `create_issue`, event `Issue Hook`, `list_issues`)

## Documentation

- docs: 1 description, summary, example or externalDocs change(s) (documentation only)

While `gitcode` is 0.x, Cargo reads a major change as a bump of the minor number (0.x.y → 0.(x+1).0).
Semver: major
";
    assert_eq!(text, expected);
}

#[test]
fn removing_a_response_property_of_the_real_spec_is_breaking() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let copy = spec_copy();
    let copied = copy.path().join("spec");
    let file = copied.join("components/issues.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let issue = text.find("\n    Issue:\n").expect("the Issue schema");
    let field = "        html_url:\n          type: string\n";
    let at = issue + text[issue..].find(field).expect("Issue.html_url");
    let edited = format!("{}{}", &text[..at], &text[at + field.len()..]);
    std::fs::write(&file, edited).unwrap();

    let old = Spec::load(&spec).unwrap();
    let new = Spec::load(&copied).unwrap();
    let diff = diff_specs(&old, &new);
    assert_eq!(diff.changes.len(), 1, "{:#?}", diff.changes);
    assert_eq!(diff.semver(), Major);
    let text = report::render(&diff, "old", "new");
    let line = text
        .lines()
        .find(|l| l.contains("`Issue.html_url`"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.starts_with("- **breaking** `Issue.html_url`: removed"),
        "{line}"
    );
    assert!(line.contains("`get_issue`"), "{line}");
}
