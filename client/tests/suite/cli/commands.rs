//! The generated commands: flags on the wire, pages, errors and exit codes.

use serde_json::json;

use super::{Cli, gitcode};
use crate::support::{self, Reply, Server};

#[tokio::test]
async fn a_get_with_path_and_query_parameters_prints_pretty_json() {
    let server = Server::start(vec![Reply::json(
        200,
        json!([{"number": "7", "title": "Crash", "state": "opened"}]),
    )])
    .await;
    let run = gitcode(
        &server,
        &[
            "list-repo-issues",
            "--owner",
            "my-org",
            "--repo",
            "app",
            "--state",
            "open",
            "--labels",
            "bug,p1",
            "--per-page",
            "20",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    assert_eq!(printed[0]["title"], json!("Crash"));
    assert!(
        run.stdout.contains("\n  {\n"),
        "pretty-printed: {}",
        run.stdout
    );

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), "/api/v5/repos/my-org/app/issues");
    let mut query: Vec<&str> = request.query().split('&').collect();
    query.sort();
    assert_eq!(query, ["labels=bug%2Cp1", "per_page=20", "state=open"]);
    assert_eq!(request.header("authorization"), Some("Bearer cli-s3cr3t"));
    assert!(!run.stdout.contains("cli-s3cr3t") && !run.stderr.contains("cli-s3cr3t"));
}

#[tokio::test]
async fn a_form_encoded_create_with_a_comma_list_field() {
    let server = Server::start(vec![Reply::json(201, json!({"number": 12}))]).await;
    let run = gitcode(
        &server,
        &[
            "create-pull-request",
            "--owner",
            "o",
            "--repo",
            "r",
            "--title",
            "Fix a & b",
            "--head",
            "me:fix",
            "--base",
            "main",
            "--assignees",
            "alice,bob",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = server.only_request();
    assert_eq!(request.method, "POST");
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
            "head=me%3Afix",
            "title=Fix+a+%26+b"
        ]
    );
}

#[tokio::test]
async fn a_json_body_from_stdin_file_and_flags() {
    let dir = std::env::temp_dir().join(format!("gitcode-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let body = dir.join("issue.json");
    std::fs::write(
        &body,
        r#"{"repo": "r", "title": "from file", "body": "text", "labels": "bug"}"#,
    )
    .unwrap();
    let server = Server::start(vec![Reply::json(200, json!({"number": "3"}))]).await;
    let run = gitcode(
        &server,
        &[
            "create-issue",
            "--owner",
            "o",
            "--json-body",
            body.to_str().unwrap(),
            "--title",
            "from flag",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sent: serde_json::Value = serde_json::from_slice(&server.only_request().body).unwrap();
    assert_eq!(sent["title"], json!("from flag"), "flags override the file");
    assert_eq!(sent["labels"], json!("bug"));
    assert_eq!(sent["repo"], json!("r"));
}

#[tokio::test]
async fn a_body_of_bytes_from_a_file() {
    let dir = std::env::temp_dir().join(format!("gitcode-cli-bytes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("app.tar.gz");
    let bytes = b"\x1f\x8b\x08\x00 not utf-8 \xff";
    std::fs::write(&file, bytes).unwrap();
    let server = Server::start(vec![Reply::json(
        201,
        json!({"id": 5, "name": "app.tar.gz"}),
    )])
    .await;
    let args = [
        "upload-release-asset",
        "--owner",
        "o",
        "--repo",
        "r",
        "--release-id",
        "9",
        "--name",
        "app.tar.gz",
        "--body-file",
        file.to_str().unwrap(),
    ];
    let run = gitcode(&server, &args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = server.only_request();
    assert_eq!(request.path(), "/api/v5/repos/o/r/releases/9/assets");
    assert_eq!(request.query(), "name=app.tar.gz");
    assert_eq!(request.body, bytes, "the file's bytes, as they are");

    let missing = gitcode(&server, &args[..args.len() - 2]).await;
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(missing.stderr.contains("--body-file"), "{}", missing.stderr);
}

#[tokio::test]
async fn a_nested_file_path_keeps_its_slashes() {
    let server = Server::start(vec![Reply::bytes(
        200,
        "application/octet-stream",
        b"fn main() {}\n",
    )])
    .await;
    let run = gitcode(
        &server,
        &[
            "get-repo-raw-file",
            "--owner",
            "o",
            "--repo",
            "r",
            "--path",
            "src/bin/main file.rs",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "fn main() {}\n", "raw bytes, not JSON");
    assert_eq!(
        server.only_request().path(),
        "/api/v5/repos/o/r/raw/src/bin/main%20file.rs"
    );
}

#[tokio::test]
async fn all_streams_every_page() {
    let page = |from: usize, n: usize| {
        json!(
            (from..from + n)
                .map(|i| json!({"number": i.to_string()}))
                .collect::<Vec<_>>()
        )
    };
    let server = Server::start(vec![
        Reply::json(200, page(1, 100)),
        Reply::json(200, page(101, 100)),
        Reply::json(200, page(201, 3)),
    ])
    .await;
    let run = gitcode(
        &server,
        &["list-repo-issues", "--owner", "o", "--repo", "r", "--all"],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let items: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("one JSON array");
    assert_eq!(items.len(), 203);
    assert_eq!(items[202]["number"], json!("203"));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn errors_print_one_line_and_exit_by_kind() {
    let server = Server::start(vec![Reply::json(
        404,
        json!({"error_code": 404, "error_code_name": "NOT_FOUND", "error_message": "Project Not Found", "trace_id": "tr-9"}),
    )])
    .await;
    let run = gitcode(
        &server,
        &["get-issue", "--owner", "o", "--repo", "r", "--number", "1"],
    )
    .await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    for part in ["404", "NOT_FOUND", "Project Not Found", "tr-9"] {
        assert!(
            run.stderr.contains(part),
            "{part} missing from {}",
            run.stderr
        );
    }

    // 429 on a POST: the server did not act, so it is sent again after the
    // wait asked for (here none), up to the retry limit; then exit 5.
    let server = Server::start(vec![
        Reply::json(429, json!({"message": "Too Many Requests"})).header("retry-after", "0"),
    ])
    .await;
    let run = gitcode(
        &server,
        &[
            "create-issue",
            "--owner",
            "o",
            "--repo",
            "r",
            "--title",
            "t",
            "--body",
            "b",
        ],
    )
    .await;
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stderr.contains("429") && run.stderr.contains("retry after 0s"),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests().len(), 4, "the first try and 3 retries");

    // Usage errors exit 2 before any request.
    let server = Server::start(vec![Reply::json(200, json!({}))]).await;
    let run = gitcode(&server, &["get-issue", "--owner", "o"]).await;
    assert_eq!(run.code, 2);
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn completions_are_generated() {
    let server = Server::start(vec![]).await;
    let run = gitcode(&server, &["completions", "bash"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("list-repo-issues"),
        "bash completion lists commands"
    );
}

#[tokio::test]
async fn all_follows_a_cursor() {
    let server = Server::start(vec![
        Reply::json(
            200,
            json!({"events": {"2024-09-06": [{"action_name": "pushed to"}]}, "next": "c2"}),
        ),
        Reply::json(
            200,
            json!({"events": {"2024-09-05": [{"action_name": "opened"}]}, "next": ""}),
        ),
    ])
    .await;
    let run = gitcode(
        &server,
        &["list-user-events", "--username", "alice", "--all"],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let answers: Vec<serde_json::Value> =
        serde_json::from_str(&run.stdout).expect("one JSON array");
    assert_eq!(answers.len(), 2);
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/api/v5/users/alice/events",
            "/api/v5/users/alice/events?next=c2"
        ]
    );
}

#[tokio::test]
async fn a_refused_connection_names_the_host_and_the_cause() {
    let addr = support::unused_addr();
    let run = Cli::new(&["get-authenticated-user"])
        .base_url(&format!("http://{addr}"))
        .token("cli-s3cr3t")
        .run()
        .await;
    let stderr = run.stderr;
    assert_eq!(run.code, 7, "{stderr}");
    assert!(stderr.contains(&addr), "{stderr}");
    assert!(stderr.contains("connection refused"), "{stderr}");
    assert!(!stderr.contains("cli-s3cr3t"), "{stderr}");
}

#[tokio::test]
async fn a_token_over_plain_http_is_refused_with_a_word_about_https() {
    let run = Cli::new(&["get-authenticated-user"])
        .base_url("http://gitcode.example.invalid")
        .token("cli-s3cr3t")
        .run()
        .await;
    let stderr = run.stderr;
    assert_eq!(run.code, 2, "{stderr}");
    assert!(stderr.contains("use an https:// base URL"), "{stderr}");
    assert!(!stderr.contains("cli-s3cr3t"), "{stderr}");
}

#[tokio::test]
async fn a_path_parameter_with_dot_segments_is_refused_before_sending() {
    let server = Server::start(vec![Reply::json(200, json!({}))]).await;
    let run = gitcode(
        &server,
        &[
            "get-repo-contents",
            "--owner",
            "o",
            "--repo",
            "r",
            "--path",
            "../../../../user",
        ],
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("path parameter `path`"),
        "{}",
        run.stderr
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn all_pages_of_repository_events_merge_into_one_array() {
    let server = Server::start(vec![
        Reply::json(
            200,
            json!({"events": [{"action_name": "opened"}, {"action_name": "closed"}], "has_next_page": true}),
        ),
        Reply::json(200, json!({"events": [{"action_name": "pushed"}], "has_next_page": false})),
        Reply::json(500, json!({"message": "must not be asked"})),
    ])
    .await;
    let run = gitcode(
        &server,
        &["list-repo-events", "--owner", "o", "--repo", "r", "--all"],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let names: Vec<&str> = printed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["opened", "closed", "pushed"]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn all_pages_of_a_wrapped_list_without_a_flag_merge_into_one_array() {
    let runs = |from: usize, n: usize| {
        json!({
            "total_count": 102,
            "workflow_runs": (from..from + n)
                .map(|i| json!({"workflow_run_id": i, "field_the_spec_lacks": i}))
                .collect::<Vec<_>>(),
        })
    };
    let server = Server::start(vec![
        Reply::json(200, runs(1, 100)),
        Reply::json(200, runs(101, 2)),
        Reply::json(500, json!({"message": "must not be asked"})),
    ])
    .await;
    let run = gitcode(
        &server,
        &[
            "list-repo-workflow-runs",
            "--owner",
            "o",
            "--repo",
            "r",
            "--all",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let items: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("one JSON array");
    assert_eq!(items.len(), 102);
    // The items as sent, fields the spec lacks too.
    assert_eq!(
        items[101],
        json!({"workflow_run_id": 102, "field_the_spec_lacks": 102})
    );
    assert_eq!(
        server.queries(),
        ["page=1&per_page=100", "page=2&per_page=100"]
    );
}

#[tokio::test]
async fn all_pages_of_pull_requests_merge_into_one_array() {
    let page = |from: usize, n: usize| {
        json!(
            (from..from + n)
                .map(|i| json!({"number": i, "title": format!("pr {i}")}))
                .collect::<Vec<_>>()
        )
    };
    let server = Server::start(vec![
        Reply::json(200, page(1, 100)),
        Reply::json(200, page(101, 1)),
        Reply::json(500, json!({"message": "must not be asked"})),
    ])
    .await;
    let run = gitcode(
        &server,
        &[
            "list-repo-pull-requests",
            "--owner",
            "o",
            "--repo",
            "r",
            "--all",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let items: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("one JSON array");
    assert_eq!(items.len(), 101);
    assert_eq!(items[100]["title"], json!("pr 101"));
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn all_ends_with_an_error_when_the_server_repeats_its_page() {
    // The server ignores `page`: the same full page, always.
    let page = json!(
        (1..=100)
            .map(|i| json!({"number": i.to_string()}))
            .collect::<Vec<_>>()
    );
    let server = Server::start(vec![Reply::json(200, page)]).await;
    let run = gitcode(
        &server,
        &["list-repo-issues", "--owner", "o", "--repo", "r", "--all"],
    )
    .await;
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("`list_repo_issues`")
            && run.stderr.contains("page 2 is the same as page 1"),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests().len(), 2);
}
