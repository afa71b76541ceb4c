//! GitCode's quirks, each shown on the wire (what the client sends) or in a
//! decoded body (what it accepts). The "GitCode quirks" table of docs/maintaining.md points
//! here; `wire.rs`, `runtime.rs` and `lenient.rs` hold the others.

use crate::support::{Reply, Server};
use gitcode::lenient::{CommaList, Id, State};
use gitcode::prelude::*;
use gitcode::{ErrorKind, types};
use serde_json::json;

fn client(server: &Server) -> gitcode::Client {
    gitcode::Client::builder()
        .base_url(&server.url)
        .no_rate_limit()
        .build()
        .unwrap()
}

fn json_body(request: &crate::support::Recorded) -> serde_json::Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

#[tokio::test]
async fn branch_names_with_slashes_are_one_path_segment() {
    let server = Server::start(vec![Reply::json(200, json!({"name": "feature/login"}))]).await;
    client(&server)
        .get_branch()
        .owner("o")
        .repo("r")
        .branch("feature/login")
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.only_request().path(),
        "/api/v5/repos/o/r/branches/feature%2Flogin"
    );
}

#[tokio::test]
async fn bracketed_keys_are_sent_as_the_server_names_them() {
    let server = Server::start(vec![Reply::json(201, json!({}))]).await;
    client(&server)
        .create_repo_file()
        .owner("o")
        .repo("r")
        .path("docs/new file.md")
        .body_map(|b| {
            b.content("aGVsbG8=")
                .message("add docs")
                .author_name(Some("Ada".into()))
                .author_email(Some("ada@example.com".into()))
                .committer_name(Some("Bot".into()))
        })
        .send()
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path(),
        "/api/v5/repos/o/r/contents/docs/new%20file.md"
    );
    let body = json_body(&request);
    assert_eq!(body["author[name]"], json!("Ada"));
    assert_eq!(body["author[email]"], json!("ada@example.com"));
    assert_eq!(body["committer[name]"], json!("Bot"));
    assert!(body.get("author_name").is_none(), "{body}");
}

#[tokio::test]
async fn the_current_sha_is_required_to_update_a_file() {
    let server = Server::start(vec![Reply::json(200, json!({}))]).await;
    let e = client(&server)
        .update_repo_file()
        .owner("o")
        .repo("r")
        .path("README.md")
        .body_map(|b| b.content("aGk=").message("edit"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert!(e.to_string().contains("sha"), "{e}");
    assert!(
        server.requests().is_empty(),
        "nothing is sent without the sha"
    );
}

#[tokio::test]
async fn milestone_due_dates_are_days() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({"number": 1, "due_on": "2024-05-01", "state": "active"}),
    )])
    .await;
    let milestone = client(&server)
        .create_repo_milestone()
        .owner("o")
        .repo("r")
        .body_map(|b| {
            b.title("v1")
                .due_on(chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap())
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        json_body(&server.only_request())["due_on"],
        json!("2024-05-01")
    );
    assert_eq!(
        milestone.due_on.unwrap().to_string(),
        "2024-05-01T00:00:00+08:00"
    );
}

#[tokio::test]
async fn name_lists_can_be_cleared() {
    let server = Server::start(vec![Reply::json(200, json!({"number": "3"}))]).await;
    client(&server)
        .update_issue()
        .owner("o")
        .number("3")
        .body_map(|b| {
            b.repo("r")
                .labels(Some(CommaList::clear()))
                .assignee(Some(CommaList::from(["ada", "bob"])))
        })
        .send()
        .await
        .unwrap();
    let body = json_body(&server.only_request());
    assert_eq!(body["labels"], json!(","), "a lone comma clears the labels");
    assert_eq!(body["assignee"], json!("ada,bob"));
}

#[tokio::test]
async fn raw_files_are_bytes_not_json() {
    let bytes = b"\x89PNG\r\n\x1a\n\x00binary";
    let server = Server::start(vec![Reply::bytes(200, "application/octet-stream", bytes)]).await;
    let response = client(&server)
        .get_repo_raw_file()
        .owner("o")
        .repo("r")
        .path("assets/logo.png")
        .send()
        .await
        .unwrap();
    let mut stream = response.into_inner().into_inner();
    let mut received = Vec::new();
    use futures::TryStreamExt;
    while let Some(chunk) = stream.try_next().await.unwrap() {
        received.extend_from_slice(&chunk);
    }
    assert_eq!(received, bytes);
    assert!(
        server
            .only_request()
            .path()
            .ends_with("/raw/assets/logo.png")
    );
}

#[test]
fn contents_are_one_type_for_a_file_and_a_directory() {
    let file: types::RepoContents = serde_json::from_value(
        json!({"type": "file", "name": "a.md", "content": "aGk=", "encoding": "base64"}),
    )
    .unwrap();
    assert!(
        matches!(file, types::RepoContents::RepoContentEntry(ref e) if e.name.as_deref() == Some("a.md"))
    );
    let dir: types::RepoContents = serde_json::from_value(
        json!([{"type": "file", "name": "a.md"}, {"type": "dir", "name": "src"}]),
    )
    .unwrap();
    assert!(matches!(dir, types::RepoContents::Array(ref entries) if entries.len() == 2));
}

#[test]
fn issue_and_pull_request_numbers_are_the_same_kind_of_value() {
    let issue: types::Issue =
        serde_json::from_value(json!({"number": "3", "state": "opened"})).unwrap();
    let pr: types::PullRequest =
        serde_json::from_value(json!({"number": 3, "state": "merged"})).unwrap();
    assert_eq!(issue.number, pr.number);
    assert_eq!(issue.number, Some(Id::from(3)));
    assert_eq!(issue.state, Some(State::Open));
    assert_eq!(pr.state, Some(State::Merged));
}

#[test]
fn a_misspelt_key_is_reachable_under_the_correct_name() {
    let pr: types::PullRequest = serde_json::from_value(
        json!({"number": 1, "closed__at": "2024-04-19T10:00:00+08:00", "merged_at": ""}),
    )
    .unwrap();
    assert_eq!(
        pr.closed_at.unwrap().to_string(),
        "2024-04-19T10:00:00+08:00"
    );
    assert_eq!(pr.merged_at, None, "an empty date is none");
    let pr: types::PullRequest =
        serde_json::from_value(json!({"closed_at": "2024-04-19 10:00"})).unwrap();
    assert!(pr.closed_at.is_some());
}

#[test]
fn unknown_states_decode_instead_of_failing() {
    let issue: types::Issue = serde_json::from_value(json!({"state": "progressing"})).unwrap();
    assert_eq!(issue.state, Some(State::Other("progressing".into())));
}

#[test]
fn known_server_problems_reach_the_rustdoc() {
    let generated = include_str!("../../src/generated/client.rs");
    let at = generated
        .find("fn create_branch(&self)")
        .expect("the trait method");
    // The doc comment right above the method.
    let docs = &generated[generated[..at].rfind("/**").expect("a doc comment")..at];
    assert!(
        docs.contains("Sends a `POST` request to `/api/v5/repos/{owner}/{repo}/branches`"),
        "{docs}"
    );
    assert!(docs.contains("**Known issue:**"), "{docs}");
}

#[tokio::test]
async fn tag_creation_sends_its_fields_in_the_query_too() {
    let server = Server::start(vec![Reply::json(201, json!({"name": "v1.0"}))]).await;
    client(&server)
        .create_repo_tag()
        .owner("o")
        .repo("r")
        .body_map(|b| b.tag_name("v1.0").refs("release/1.0"))
        .send()
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target,
        "/api/v5/repos/o/r/tags?tag_name=v1.0&refs=release%2F1.0"
    );
    let body = json_body(&request);
    assert_eq!(body, json!({"tag_name": "v1.0", "refs": "release/1.0"}));
}
