//! End to end: the client records its exchanges with a loopback server
//! that disagrees with the spec in known ways (`gitcode::record`), and
//! `cargo xtask conformance`'s library holds the recording against the
//! spec: exactly those disagreements, and no token anywhere.

use std::path::Path;

use crate::support::{Reply, Server};
use gitcode::prelude::*;
use gitcode::record::Recorder;
use gitcode_codegen::evidence::traffic::report::{json, markdown};
use gitcode_codegen::evidence::traffic::{Hosts, check, har};
use gitcode_codegen::spec::Spec;
use serde_json::json;

const TOKEN: &str = "e2e-token-0123456789";

#[tokio::test]
async fn a_recording_of_the_client_shows_exactly_the_servers_disagreements() {
    let server = Server::start(vec![
        // A field the spec lacks, echoing the token; a `null` for a string.
        Reply::json(
            200,
            json!({"number": "7", "title": null, "state": "opened", "mirror_of": format!("Bearer {TOKEN}")}),
        ),
        // An enum value the spec does not list.
        Reply::json(200, json!({"workflow_run_id": 5, "status": "QUEUED"})),
        // A status the operation does not document.
        Reply::json(299, json!({"number": "8", "title": "t"})),
        // A path the spec lacks.
        Reply::json(200, json!({})),
        // What the spec allows: an error envelope.
        Reply::json(404, json!({"error_code": 404, "error_message": "not found"})),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("evidence.har");
    let recorder = Recorder::to_file(&file);
    let client = gitcode::Client::builder()
        .base_url(&server.url)
        .token(TOKEN)
        .no_rate_limit()
        .retry(gitcode::retry::RetryPolicy::none())
        .record(recorder.clone())
        .build()
        .unwrap();

    client
        .get_issue()
        .owner("o")
        .repo("r")
        .number("7")
        .send()
        .await
        .unwrap();
    client
        .get_repo_workflow_run()
        .owner("o")
        .repo("r")
        .run_id("5")
        .send()
        .await
        .unwrap();
    client
        .get_issue()
        .owner("o")
        .repo("r")
        .number("8")
        .send()
        .await
        .unwrap();
    client
        .request(reqwest::Method::GET, "/api/v5/repos/o/r/nothing-here")
        .send_json()
        .await
        .unwrap();
    let missing = client
        .get_issue()
        .owner("o")
        .repo("r")
        .number("9")
        .send()
        .await;
    assert_eq!(missing.unwrap_err().kind(), gitcode::ErrorKind::NotFound);
    drop(client);
    recorder.flush().unwrap();
    assert_eq!(recorder.entries(), 5);

    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(TOKEN), "{text}");
    let recording = har::read(&file).unwrap_or_else(|e| panic!("{e}"));
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let spec = Spec::load(&root.join("spec")).unwrap_or_else(|e| panic!("{e}"));
    let report = check(&spec, &[recording], &Hosts::new(Some(&server.url)).unwrap());
    let found: Vec<(Option<&str>, &str, &str, usize)> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.operation.as_deref(),
                f.kind.as_str(),
                f.field.as_str(),
                f.exchanges,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (Some("get_issue"), "undocumented status", "status 299", 1),
            (Some("get_issue"), "unknown field", "Issue.mirror_of", 1),
            (Some("get_issue"), "unexpected null", "Issue.title", 1),
            (
                Some("get_repo_workflow_run"),
                "enum value not listed",
                "ActionsRunStatus",
                1
            ),
            (
                None,
                "unknown operation",
                "GET /api/v5/repos/o/r/nothing-here",
                1
            ),
        ]
    );
    let mirror = &report.findings[1];
    assert_eq!(mirror.example.as_deref(), Some("\"Bearer [redacted]\""));
    assert_eq!(report.summary.checked, 5);
    for output in [markdown(&report), json(&report)] {
        assert!(!output.contains(TOKEN), "{output}");
    }
}
