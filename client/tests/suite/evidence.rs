//! What other tools' authors saw the live server answer (the
//! `x-gitcode-evidence` entries of the `probe`, `smoke-test` and `ci-log`
//! sources), each shown decoded by the client, against a recording
//! loopback server: the statuses and sparse bodies, the Actions forms, and
//! the error envelopes (also under a success status).

use crate::support::{Reply, Server};
use futures::TryStreamExt;
use gitcode::lenient::Id;
use gitcode::prelude::*;
use gitcode::{ErrorKind, types};
use serde_json::json;

fn client(server: &Server) -> gitcode::Client {
    gitcode::Client::builder()
        .base_url(&server.url)
        .token("gct_evidence_T0KEN")
        .no_rate_limit()
        .build()
        .unwrap()
}

const TRACE: &str = "131d9774cf6cddfe8bcfff96672c0544";

#[tokio::test]
async fn deleting_a_repository_answers_204_with_no_body() {
    let server = Server::start(vec![Reply::empty(204)]).await;
    let answer = client(&server)
        .delete_repo()
        .owner("o")
        .repo("r")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 204);
    let () = answer.into_inner();
    let request = server.only_request();
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.path(), "/api/v5/repos/o/r");
}

#[tokio::test]
async fn label_posts_on_issues_and_pull_requests_answer_201_with_an_array() {
    let labels = json!([
        {"id": 381445, "name": "bug", "color": "#d73a4a"},
        {"id": 381446, "name": "p1", "color": "#008672"}
    ]);
    let server = Server::start(vec![
        Reply::json(201, labels.clone()),
        Reply::json(201, labels),
    ])
    .await;
    let on_issue = client(&server)
        .add_issue_labels()
        .owner("o")
        .repo("r")
        .number("7")
        .body(vec!["bug".to_string(), "p1".to_string()])
        .send()
        .await
        .unwrap();
    assert_eq!(on_issue.status().as_u16(), 201);
    let names: Vec<_> = on_issue.iter().filter_map(|l| l.name.as_deref()).collect();
    assert_eq!(names, ["bug", "p1"]);

    let on_pull = client(&server)
        .add_pull_request_labels()
        .owner("o")
        .repo("r")
        .number(3)
        .body(vec!["bug".to_string(), "p1".to_string()])
        .send()
        .await
        .unwrap();
    assert_eq!(on_pull.len(), 2);
    assert_eq!(on_pull[1].id, Some(Id::from(381446)));
    let requests = server.requests();
    assert_eq!(requests[0].path(), "/api/v5/repos/o/r/issues/7/labels");
    assert_eq!(requests[1].path(), "/api/v5/repos/o/r/pulls/3/labels");
    assert_eq!(requests[1].body_text(), r#"["bug","p1"]"#);
}

#[tokio::test]
async fn a_pull_request_comment_answers_a_string_id_and_an_integer_note_id() {
    let server = Server::start(vec![Reply::json(
        201,
        json!({"id": "97219c08d421e55cfa841deca16a30f5d7269e10", "note_id": 163532, "body": "LGTM"}),
    )])
    .await;
    let comment = client(&server)
        .create_pull_request_comment()
        .owner("o")
        .repo("r")
        .number(3)
        .body_map(|b| b.body("LGTM"))
        .send()
        .await
        .unwrap();
    assert_eq!(comment.status().as_u16(), 201);
    assert_eq!(
        comment.id.as_ref().map(|id| id.to_string()).as_deref(),
        Some("97219c08d421e55cfa841deca16a30f5d7269e10")
    );
    assert_eq!(comment.note_id.as_ref().and_then(Id::as_i64), Some(163532));
    assert_eq!(comment.body.as_deref(), Some("LGTM"));
}

#[tokio::test]
async fn a_discussion_reply_answers_201_with_a_sparse_body() {
    let server = Server::start(vec![Reply::json(
        201,
        json!({"id": "5f1e0c2ab3", "note_id": 163533, "body": "done"}),
    )])
    .await;
    let reply = client(&server)
        .reply_pull_request_discussion()
        .owner("o")
        .repo("r")
        .number(3)
        .discussion_id("5f1e0c2ab3")
        .body_map(|b| b.body("done"))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 201);
    assert_eq!(reply.id, Some(Id::from("5f1e0c2ab3")));
    // The docs spell it `noteId`; the server's `note_id` lands in the same field.
    assert_eq!(reply.note_id, Some(Id::from(163533)));
    assert_eq!(reply.body.as_deref(), Some("done"));
    assert_eq!(
        server.only_request().path(),
        "/api/v5/repos/o/r/pulls/3/discussions/5f1e0c2ab3/comments"
    );
}

#[tokio::test]
async fn a_milestone_in_an_issue_list_may_have_a_number_and_no_id() {
    let server = Server::start(vec![Reply::json(
        200,
        json!([{
            "number": "12",
            "title": "Crash",
            "issue_state": "待办的",
            "milestone": {"number": 4, "title": "v1.0", "state": "active"}
        }]),
    )])
    .await;
    let issues = client(&server)
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .send()
        .await
        .unwrap();
    let milestone = issues[0].milestone.as_ref().expect("the milestone is kept");
    assert_eq!(milestone.id, None);
    assert_eq!(milestone.number, Some(Id::from(4)));
    assert_eq!(milestone.title.as_deref(), Some("v1.0"));
    assert_eq!(issues[0].issue_state.as_deref(), Some("待办的"));
}

#[tokio::test]
async fn repository_issue_comments_stop_at_the_total_page_header() {
    let comment = |id: i64| json!([{"id": id, "body": format!("comment {id}"), "target": {"issue": {"id": 900, "number": "7"}}}]);
    let server = Server::start(vec![
        Reply::json(200, comment(1))
            .header("total_count", "2")
            .header("total_page", "2"),
        Reply::json(200, comment(2))
            .header("total_count", "2")
            .header("total_page", "2"),
        Reply::json(500, json!({"message": "must not be asked"})),
    ])
    .await;
    let all: Vec<types::IssueComment> = client(&server)
        .list_repo_issue_comments()
        .owner("o")
        .repo("r")
        .stream()
        .try_collect()
        .await
        .unwrap();
    let bodies: Vec<_> = all.iter().filter_map(|c| c.body.as_deref()).collect();
    assert_eq!(bodies, ["comment 1", "comment 2"]);
    // Page 1 is short, yet page 2 is asked for: the header says there are
    // two; and not page 3.
    assert_eq!(
        server.queries(),
        ["page=1&per_page=100", "page=2&per_page=100"]
    );
}

#[tokio::test]
async fn workflow_runs_come_in_workflow_runs_with_upper_case_status() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({
            "total_count": 2,
            "workflow_runs": [
                {"workflow_run_id": "1529972623976972295", "run_number": 2, "status": "COMPLETED",
                 "event": "Manual", "workflow_name": "PILOT-BASIC", "message": null},
                {"workflow_run_id": "1529972623976972296", "run_number": 3, "status": "FAILED",
                 "event": "PUSH", "workflow_name": "PILOT-BASIC", "message": null}
            ]
        }),
    )])
    .await;
    let runs = client(&server)
        .list_repo_workflow_runs()
        .owner("o")
        .repo("r")
        .send()
        .await
        .unwrap();
    let runs = &runs.workflow_runs;
    assert_eq!(runs[0].status, Some(types::ActionsRunStatus::Completed));
    assert_eq!(runs[1].status, Some(types::ActionsRunStatus::Failed));
    assert_eq!(runs[1].event.as_deref(), Some("PUSH"));
    assert_eq!(runs[0].message, None);
    assert_eq!(runs[1].run_number, Some(Id::from(3)));

    // A status no source lists yet is kept, not dropped.
    assert_eq!(
        types::ActionsRunStatus::from("QUEUED"),
        types::ActionsRunStatus::Other("QUEUED".into())
    );
}

#[tokio::test]
async fn a_job_whose_id_is_an_empty_string_decodes_with_no_id() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({
            "total_count": 2,
            "jobs": [
                {"id": "", "name": "basic", "status": "COMPLETED"},
                {"id": "1530261569164677120", "name": "lint", "status": "FAILED"}
            ]
        }),
    )])
    .await;
    let jobs = client(&server)
        .list_workflow_run_jobs()
        .owner("o")
        .repo("r")
        .run_id("1529972623976972295")
        .send()
        .await
        .unwrap();
    let jobs = &jobs.jobs;
    assert_eq!(jobs.len(), 2, "the job with an empty id is kept");
    assert_eq!(jobs[0].id, None);
    assert_eq!(jobs[0].name.as_deref(), Some("basic"));
    assert_eq!(jobs[1].id, Some(Id::from("1530261569164677120")));
}

#[tokio::test]
async fn a_job_log_is_a_zip_behind_a_redirect() {
    let zip = b"PK\x03\x04\x14\x00\x00\x00one log per step";
    let server = Server::start(vec![
        Reply::empty(302).header("location", "/raw/logs/job-1.zip?sig=abc"),
        Reply::bytes(200, "application/zip", zip),
    ])
    .await;
    let bytes = client(&server)
        .download_workflow_job_log()
        .owner("o")
        .repo("r")
        .run_id("1529972623976972295")
        .job_id("1530261569164677120")
        .send_bytes()
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), zip);
    let requests = server.requests();
    assert_eq!(
        requests[0].path(),
        "/api/v8/repos/o/r/actions/runs/1529972623976972295/jobs/1530261569164677120/download_log"
    );
    assert_eq!(requests[1].target, "/raw/logs/job-1.zip?sig=abc");
}

#[tokio::test]
async fn a_non_numeric_artifact_id_is_a_400_bad_request() {
    let server = Server::start(vec![Reply::json(
        400,
        json!({"error_code": 400, "error_code_name": "BAD_REQUEST", "error_message": "参数类型错误", "trace_id": TRACE}),
    )])
    .await;
    let e = client(&server)
        .download_repo_artifact()
        .owner("o")
        .repo("r")
        .artifact_id("FORK_ARTIFACT_ID")
        .archive_format("zip")
        .send_bytes()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    let api = e.api().unwrap();
    assert_eq!(api.error_code_name.as_deref(), Some("BAD_REQUEST"));
    assert_eq!(api.error_message.as_deref(), Some("参数类型错误"));
    assert_eq!(api.trace_id.as_deref(), Some(TRACE));
    assert!(!api.success_status);
}

#[tokio::test]
async fn an_error_status_keeps_an_error_code_that_differs_from_it() {
    let server = Server::start(vec![Reply::json(
        400,
        json!({"error_code": 404, "error_code_name": "NOT_FOUND", "error_message": "project not found", "trace_id": TRACE}),
    )])
    .await;
    let e = client(&server)
        .get_repo()
        .owner("o")
        .repo("r")
        .send()
        .await
        .unwrap_err();
    // The status decides the kind; the server's own code is kept beside it.
    assert_eq!(e.status(), Some(400));
    assert_eq!(e.kind(), ErrorKind::Validation);
    let api = e.api().unwrap();
    assert_eq!(api.error_code, Some(404));
    assert_eq!(api.error_code_name.as_deref(), Some("NOT_FOUND"));
    let message = e.to_string();
    assert!(
        message.contains("status 400") && message.contains("error code 404"),
        "{message}"
    );
}

#[tokio::test]
async fn an_error_envelope_under_a_success_status_is_a_server_error() {
    let envelope = json!({
        "error_code": 200,
        "error_code_name": "Unknown",
        "error_message": "java.lang.NullPointerException",
        "trace_id": TRACE
    });
    let server = Server::start(vec![
        Reply::json(200, envelope.clone()),
        Reply::json(200, envelope.clone()),
        Reply::json(200, envelope),
    ])
    .await;

    // `send()` of an object answer: no empty `Repository`.
    let e = client(&server)
        .get_repo()
        .owner("o")
        .repo("r")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ServerError);
    assert_eq!(e.status(), Some(200));
    let api = e.api().unwrap();
    assert!(api.success_status);
    assert_eq!(api.error_code, Some(200));
    assert_eq!(api.trace_id.as_deref(), Some(TRACE));
    assert_eq!(
        api.error_message.as_deref(),
        Some("java.lang.NullPointerException")
    );
    let body: serde_json::Value = serde_json::from_slice(e.body().unwrap()).unwrap();
    assert_eq!(body["error_code"], json!(200));
    let message = e.to_string();
    assert!(message.contains("success status"), "{message}");
    assert!(message.contains(TRACE), "{message}");

    // A list answer and a raw answer alike.
    let e = client(&server)
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ServerError);
    let e = client(&server)
        .get_repo()
        .owner("o")
        .repo("r")
        .send_raw()
        .await
        .unwrap_err();
    assert_eq!(e.api().unwrap().trace_id.as_deref(), Some(TRACE));
}

#[tokio::test]
async fn a_success_body_with_more_than_the_envelope_decodes_as_usual() {
    // An object that also holds a field of the success schema is an answer,
    // whatever error-like keys it carries.
    let server = Server::start(vec![Reply::json(
        200,
        json!({"full_name": "o/r", "error_code": 0, "error_message": "ok"}),
    )])
    .await;
    let repo = client(&server)
        .get_repo()
        .owner("o")
        .repo("r")
        .send()
        .await
        .unwrap();
    assert_eq!(repo.full_name.as_deref(), Some("o/r"));

    // Only `error_code`, without a message, is not an envelope either.
    let server = Server::start(vec![Reply::json(200, json!({"error_code": 200}))]).await;
    let raw = client(&server)
        .delete_repo()
        .owner("o")
        .repo("r")
        .send_raw()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 200);
}
