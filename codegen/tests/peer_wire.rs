//! The requests of GitCode's own CLI (`fixtures/peer-wire/`) against the
//! spec: each matches an operation and fits it. And the fixtures against the
//! recordings beside the checkout, when they are there.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gitcode_codegen::evidence::peer_wire::{FIXTURES_DIR, PEER_WIRE, Recording, hold, load};
use gitcode_codegen::spec::Spec;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn every_recorded_request_fits_the_spec() {
    let root = root();
    let spec = Spec::load(&root.join("spec")).unwrap_or_else(|e| panic!("{e}"));
    let recordings = load(&root).unwrap_or_else(|e| panic!("{e}"));
    assert!(!recordings.is_empty(), "no recordings in {FIXTURES_DIR}");
    let mut failures = Vec::new();
    let mut distinct = BTreeSet::new();
    for recording in &recordings {
        let held = hold(&spec, recording);
        if let Some(op) = held.operation {
            distinct.insert((recording.method.clone(), op.operation_id.clone()));
        }
        if !held.fits() {
            failures.push(format!(
                "{recording}\n{}",
                held.disagreements
                    .iter()
                    .map(|d| format!("  - {d}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
    }
    eprintln!(
        "{} recorded request(s), {} distinct (method, operation), {} do not fit",
        recordings.len(),
        distinct.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} recorded request(s) do not fit the spec:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn fixtures_are_up_to_date_with_the_recordings_beside_the_checkout() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match PEER_WIRE.check_beside_summary(&root) {
        Ok(line) => eprintln!("{line}"),
        Err(message) => panic!("{message}"),
    }
}

fn recording(
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    content_type: &str,
    body: &str,
) -> Recording {
    Recording {
        command: "gc test".into(),
        method: method.into(),
        path: path.into(),
        query: query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        content_type: Some(content_type.into()),
        auth: Some("Bearer".into()),
        body: body.into(),
        origin: "test:1".into(),
    }
}

/// Each kind of disagreement is found and named: the check can fail.
#[test]
fn disagreements_are_named() {
    let spec = Spec::load(&root().join("spec")).unwrap_or_else(|e| panic!("{e}"));
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";
    let cases: [(Recording, &[&str]); 10] = [
        (
            recording("GET", "/api/v5/search/issues", &[], json, ""),
            &["required query parameter `q` is missing"],
        ),
        (
            recording("PUT", "/api/v5/nowhere", &[], json, ""),
            &["no operation of the spec has the path `/api/v5/nowhere`"],
        ),
        (
            recording("PUT", "/api/v5/repos/o/r/issues", &[], json, ""),
            &[
                "no `PUT` operation at this path; the spec has GET (list_repo_issues), POST (create_repo_issue) there",
            ],
        ),
        (
            recording(
                "GET",
                "/api/v5/repos/o/r/issues",
                &[("bogus", "1"), ("per_page", "many")],
                json,
                "",
            ),
            &[
                "query parameter `bogus` is not declared",
                "query parameter `per_page`: expected an integer, found a string `\"many\"`",
            ],
        ),
        (
            recording(
                "PATCH",
                "/api/v5/repos/o/r/pulls/1",
                &[],
                form,
                "draft=maybe&colour=red",
            ),
            &[
                "body $: `colour` is not a property of the schema",
                "body $.draft: expected a boolean, found a string `\"maybe\"`",
            ],
        ),
        (
            recording(
                "PATCH",
                "/api/v5/repos/o/r/pulls/1",
                &[],
                form,
                "state=merged",
            ),
            &["body $.state: `merged` is not one of the enum values [\"open\", \"closed\"]"],
        ),
        (
            recording(
                "POST",
                "/api/v5/repos/o/r/releases",
                &[],
                json,
                "{\"name\":\"T\"}",
            ),
            &["body $: required property `tag_name` is missing"],
        ),
        (
            recording(
                "POST",
                "/api/v5/repos/o/r/releases",
                &[],
                "text/plain",
                "v1",
            ),
            &["sends its body as `text/plain`; the spec accepts application/json"],
        ),
        (
            recording("POST", "/api/v5/repos/o/r/releases", &[], json, ""),
            &["sends no body; the spec requires one (application/json)"],
        ),
        (
            Recording {
                auth: Some("Basic".into()),
                ..recording("GET", "/api/v5/user", &[], json, "")
            },
            &["sends `Authorization: Basic ...`; the spec declares no such scheme"],
        ),
    ];
    for (request, expected) in cases {
        let held = hold(&spec, &request);
        assert!(!held.fits(), "{request} fits, but should not");
        for want in expected {
            assert!(
                held.disagreements
                    .iter()
                    .any(|d| d.to_string().starts_with(want)),
                "{request}: no disagreement starting {want:?} in {:#?}",
                held.disagreements
            );
        }
    }
}

/// Paths as sent match templates with literal text between parameters,
/// files with slashes, and the most specific template.
#[test]
fn paths_match_the_most_specific_template() {
    let spec = Spec::load(&root().join("spec")).unwrap_or_else(|e| panic!("{e}"));
    for (method, path, operation) in [
        (
            "GET",
            "/api/v5/repos/o/r/releases/tags/v1.0",
            "get_release_by_tag",
        ),
        ("GET", "/api/v5/repos/o/r/releases/v1.0", "get_release"),
        (
            "GET",
            "/api/v5/repos/o/r/pulls/1/files.json",
            "get_pull_request_diff",
        ),
        (
            "GET",
            "/api/v5/repos/o/r/compare/main...feat%2Fx",
            "compare_commits",
        ),
        (
            "GET",
            "/api/v5/repos/o/r/raw/docs/a%20b.md",
            "get_repo_raw_file",
        ),
        // Not encoded, and cut inside a character by a literal's length:
        // no match there, and no panic.
        ("GET", "/api/v5/repos/o/r/pulls/üüüüüü", "get_pull_request"),
    ] {
        let held = hold(&spec, &recording(method, path, &[], "application/json", ""));
        assert_eq!(
            held.operation.map(|op| op.operation_id.as_str()),
            Some(operation),
            "{method} {path}: {:?}",
            held.disagreements
        );
    }
}

/// A multipart body is held by its parts' names (a file part by its file
/// name), and the query auth scheme's `access_token` is not a parameter.
#[test]
fn multipart_parts_are_held_by_name_and_the_query_token_is_no_parameter() {
    let spec = Spec::load(&root().join("spec")).unwrap_or_else(|e| panic!("{e}"));
    let multipart = "multipart/form-data; boundary=XyZ";
    let body = |names: &[&str]| {
        let mut text = String::new();
        for name in names {
            text.push_str(&format!(
                "--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u{1}PNG\r\n"
            ));
        }
        text + "--XyZ--\r\n"
    };
    let path = "/api/v5/repos/o/r/file/upload";
    let upload = |names: &[&str]| Recording {
        query: vec![("access_token".into(), "t0k".into())],
        ..recording("POST", path, &[], multipart, &body(names))
    };
    let held = hold(&spec, &upload(&["file"]));
    assert!(held.fits(), "{:?}", held.disagreements);
    let held = hold(&spec, &upload(&["attachment"]));
    let found: Vec<String> = held.disagreements.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "body $: `attachment` is not a property of the schema (it has file)",
            "body $: required property `file` is missing",
        ]
    );
    let cut = Recording {
        body: "--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc".into(),
        ..upload(&[])
    };
    let found: Vec<String> = hold(&spec, &cut)
        .disagreements
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(found, ["the multipart body has no closing boundary"]);
}
