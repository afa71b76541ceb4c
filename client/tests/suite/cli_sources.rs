//! The operations another CLI's source is the only evidence for (ag-cli,
//! `x-gitcode-undocumented` with `weak`): the request each sends, on the
//! wire, fits the spec, and the answer comes back as ag-cli reads it (a
//! diff as bytes, a step log's page decoded, the root's entries decoded).

use std::path::Path;
use std::sync::OnceLock;

use crate::support::{Recorded, Reply, Server};
use gitcode::prelude::*;
use gitcode_codegen::evidence::peer_wire::{Recording, hold};
use gitcode_codegen::spec::Spec;
use serde_json::{Value, json};

fn client(server: &Server) -> gitcode::Client {
    gitcode::Client::builder()
        .base_url(&server.url)
        .token("t0ken")
        .no_rate_limit()
        .build()
        .unwrap()
}

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        Spec::load(&root.join("spec")).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The request held against the spec: it is `operation` and fits it.
fn assert_fits(request: &Recorded, operation: &str) {
    let recording = Recording {
        command: format!("gitcode client: {operation}"),
        method: request.method.clone(),
        path: request.path().to_string(),
        query: serde_urlencoded::from_str(request.query()).expect("a query string"),
        content_type: request.header("content-type").map(String::from),
        auth: request
            .header("authorization")
            .and_then(|a| a.split(' ').next())
            .map(String::from),
        body: request.body_text(),
        origin: "the wire".into(),
    };
    let held = hold(spec(), &recording);
    assert_eq!(
        held.operation.map(|op| op.operation_id.as_str()),
        Some(operation),
        "{recording}"
    );
    assert!(held.fits(), "{recording}: {:?}", held.disagreements);
}

#[tokio::test]
async fn a_pull_request_diff_comes_back_as_the_bytes_sent() {
    let diff = b"diff --git a/src/lib.rs b/src/lib.rs\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-old\n+new \xe2\x9c\x93\n";
    let server = Server::start(vec![Reply::bytes(200, "text/plain; charset=utf-8", diff)]).await;
    let body = client(&server)
        .get_pull_request_raw_diff()
        .owner("o")
        .repo("r")
        .number(7)
        .send_bytes()
        .await
        .unwrap();
    assert_eq!(&body[..], &diff[..]);
    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/api/v5/repos/o/r/pulls/7/diff");
    assert!(request.body.is_empty());
    assert_fits(&request, "get_pull_request_raw_diff");
}

#[tokio::test]
async fn a_step_log_page_is_asked_for_in_a_json_post_and_decoded() {
    let page = json!({"has_more": true, "start_offset": 0, "end_offset": 1000, "log": "Run cargo test\nok\n"});
    let server = Server::start(vec![Reply::json(200, page)]).await;
    let answer = client(&server)
        .get_workflow_job_step_log()
        .owner("o")
        .repo("r")
        .run_id(11)
        .job_id("22")
        .body_map(|b| b.step_id("3").offset(0).limit(1000).sort("asc"))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer.log.as_deref(), Some("Run cargo test\nok\n"));
    assert_eq!(answer.end_offset, Some(1000));
    assert_eq!(answer.start_offset, Some(0));
    assert!(answer.has_more.is_some_and(|f| f.0));
    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target,
        "/api/v8/repos/o/r/actions/runs/11/jobs/22/logs"
    );
    assert_eq!(
        request
            .header("content-type")
            .map(|c| c.starts_with("application/json")),
        Some(true)
    );
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent,
        json!({"step_id": "3", "offset": 0, "limit": 1000, "sort": "asc"})
    );
    assert_fits(&request, "get_workflow_job_step_log");
}

#[tokio::test]
async fn the_root_of_a_repository_is_listed_at_contents_without_a_path() {
    let entries = json!([
        {"type": "dir", "name": "src", "path": "src", "sha": "a1"},
        {"type": "file", "name": "README.md", "path": "README.md", "sha": "b2", "size": 12}
    ]);
    let server = Server::start(vec![Reply::json(200, entries)]).await;
    let listed = client(&server)
        .list_repo_root_contents()
        .owner("o")
        .repo("r")
        .ref_("main")
        .send()
        .await
        .unwrap()
        .into_inner();
    let names: Vec<_> = listed.iter().map(|e| e.name.as_deref()).collect();
    assert_eq!(names, vec![Some("src"), Some("README.md")]);
    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/api/v5/repos/o/r/contents?ref=main");
    assert_fits(&request, "list_repo_root_contents");
}
