//! What the generated client puts on the wire, checked against a loopback
//! server that records each request exactly as received.

use crate::support::{Reply, Server};
use gitcode::prelude::*;
use gitcode::types;
use serde_json::json;

fn client(server: &Server) -> gitcode::Client {
    gitcode::Client::builder()
        .base_url(&server.url)
        .build()
        .unwrap()
}

#[tokio::test]
async fn get_with_path_and_query_parameters() {
    let server = Server::start(vec![Reply::json(200, json!([]))]).await;
    let issues = client(&server)
        .list_repo_issues()
        .owner("my-org")
        .repo("my repo")
        .state("open")
        .labels(gitcode::lenient::CommaList::from(["bug", "help wanted"]))
        .page(2)
        .per_page(100)
        .send()
        .await
        .expect("the empty list decodes");
    assert!(issues.into_inner().is_empty());

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), "/api/v5/repos/my-org/my%20repo/issues");
    let mut query: Vec<&str> = request.query().split('&').collect();
    query.sort();
    assert_eq!(
        query,
        [
            "labels=bug%2Chelp+wanted",
            "page=2",
            "per_page=100",
            "state=open"
        ]
    );
    assert_eq!(request.header("accept"), Some("application/json"));
}

#[tokio::test]
async fn json_body_sends_name_lists_as_one_comma_separated_string() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({"number": "7", "title": "t", "created_at": "2024-04-15T21:58:21.188+08:00", "finished_at": ""}),
    )])
    .await;
    let issue = client(&server)
        .create_issue()
        .owner("o")
        .body_map(|b| {
            b.repo("r")
                .title("Crash on start")
                .body(Some("Steps: ...".to_string()))
                .labels(Some(["bug", "p1"].into()))
        })
        .send()
        .await
        .expect("created")
        .into_inner();
    assert_eq!(issue.number, Some(gitcode::lenient::Id::from(7)));
    assert_eq!(issue.finished_at, None);

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path(), "/api/v5/repos/o/issues");
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["labels"], json!("bug,p1"));
    assert_eq!(body["repo"], json!("r"));
    assert_eq!(body["title"], json!("Crash on start"));
}

#[tokio::test]
async fn pull_request_creation_is_form_encoded() {
    let server = Server::start(vec![Reply::json(
        201,
        json!({"number": 12, "state": "opened"}),
    )])
    .await;
    let pr = client(&server)
        .create_pull_request()
        .owner("o")
        .repo("r")
        .body(
            types::CreatePullRequestBody::builder()
                .title("Fix: a & b")
                .head("me:feature/x")
                .base("main")
                .assignees(Some(["alice", "bob"].into())),
        )
        .send()
        .await
        .expect("created")
        .into_inner();
    assert_eq!(pr.number, Some(gitcode::lenient::Id::from(12)));

    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path(), "/api/v5/repos/o/r/pulls");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let mut fields: Vec<String> = request.body_text().split('&').map(String::from).collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "assignees=alice%2Cbob",
            "base=main",
            "head=me%3Afeature%2Fx",
            "title=Fix%3A+a+%26+b"
        ]
    );
}

#[tokio::test]
async fn file_paths_keep_their_slashes_and_escape_the_rest() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({"type": "file", "name": "a b#1.md"}),
    )])
    .await;
    client(&server)
        .get_repo_contents()
        .owner("o")
        .repo("r")
        .path("docs/guide/a b#1.md")
        .ref_("release/1.0")
        .send()
        .await
        .expect("decodes");
    let request = server.only_request();
    assert_eq!(
        request.target,
        "/api/v5/repos/o/r/contents/docs/guide/a%20b%231.md?ref=release%2F1.0"
    );
}

#[tokio::test]
async fn compare_keeps_the_literal_three_dots() {
    let server = Server::start(vec![Reply::json(200, json!({}))]).await;
    client(&server)
        .compare_commits()
        .owner("o")
        .repo("r")
        .base("main")
        .head("v1.2")
        .send()
        .await
        .expect("decodes");
    assert_eq!(
        server.only_request().path(),
        "/api/v5/repos/o/r/compare/main...v1.2"
    );
}

#[tokio::test]
async fn uploads_are_multipart_with_a_file_part() {
    let server = Server::start(vec![Reply::json(200, json!({}))]).await;
    client(&server)
        .classify_audio()
        .model("some/model")
        .body_map(|b| {
            b.file(gitcode::multipart::UploadFile::new(
                "a.wav",
                &b"RIFF1234"[..],
            ))
        })
        .send()
        .await
        .expect("sent");
    let request = server.only_request();
    assert_eq!(request.method, "POST");
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart content type");
    let body = request.body_text();
    assert!(body.starts_with(&format!("--{boundary}\r\n")), "{body}");
    assert!(
        body.contains("Content-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"),
        "{body}"
    );
    assert!(body.contains("\r\n\r\nRIFF1234\r\n"), "{body}");
    assert!(body.ends_with(&format!("--{boundary}--\r\n")), "{body}");
}
