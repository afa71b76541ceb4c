//! `gitcode api`: any path, with fields, headers, a body, pages.

use serde_json::json;

use super::{Cli, gitcode};
use crate::support::{Reply, Server};

#[tokio::test]
async fn a_get_with_a_query_string_prints_the_body_as_sent() {
    let body = br#"[{"number":"7","title":"Crash","zz":null}]"#;
    let server = Server::start(vec![Reply::bytes(200, "application/json", body)]).await;
    let run = gitcode(
        &server,
        &["api", "/api/v5/repos/o/r/issues?state=open&labels=bug%2Cp1"],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "[\n  {\n    \"number\": \"7\",\n    \"title\": \"Crash\",\n    \"zz\": null\n  }\n]\n"
    );
    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), "/api/v5/repos/o/r/issues");
    assert_eq!(request.query(), "state=open&labels=bug%2Cp1");
    assert_eq!(request.header("authorization"), Some("Bearer cli-s3cr3t"));
    assert!(!run.stdout.contains("cli-s3cr3t") && !run.stderr.contains("cli-s3cr3t"));
}

#[tokio::test]
async fn get_fields_go_to_the_query() {
    let server = Server::start(vec![Reply::json(200, json!([]))]).await;
    let run = gitcode(
        &server,
        &[
            "api",
            "-X",
            "get",
            "/api/v5/user/repos",
            "-F",
            "per_page=5",
            "-f",
            "type=owner",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.query(), "per_page=5&type=owner");
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn a_post_with_typed_and_raw_fields_sends_a_json_body() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.md");
    std::fs::write(&notes, "# Steps\n1. run\n").unwrap();
    let server = Server::start(vec![Reply::json(201, json!({"number": "12"}))]).await;
    let body_field = format!("body=@{}", notes.display());
    let run = gitcode(
        &server,
        &[
            "api",
            "/api/v5/repos/o/issues",
            "-F",
            "repo=r",
            "-F",
            "title=Crash on start",
            "-F",
            "private=true",
            "-F",
            "weight=3",
            "-F",
            "milestone=null",
            "-F",
            &body_field,
            "-f",
            "labels=1,2",
            "-f",
            "number=42",
            "-H",
            "X-Trace: t-1",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = server.only_request();
    assert_eq!(request.method, "POST", "fields without -X make a POST");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("x-trace"), Some("t-1"));
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent,
        json!({
            "repo": "r",
            "title": "Crash on start",
            "private": true,
            "weight": 3,
            "milestone": null,
            "body": "# Steps\n1. run\n",
            "labels": "1,2",
            "number": "42",
        })
    );
    assert_eq!(run.stdout, "{\n  \"number\": \"12\"\n}\n");
}

#[tokio::test]
async fn input_from_stdin_is_the_body_byte_for_byte() {
    let server = Server::start(vec![Reply::json(200, json!({"ok": true}))]).await;
    let input = b"{\"title\": \"from stdin\",\n \"labels\": \"bug\"}";
    let run = Cli::new(&[
        "api",
        "-X",
        "PATCH",
        "/api/v5/repos/o/issues/3?repo=r",
        "--input",
        "-",
        "-f",
        "extra=q",
    ])
    .server(&server)
    .token("cli-s3cr3t")
    .stdin(input)
    .run()
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = server.only_request();
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.body, input);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.query(),
        "repo=r&extra=q",
        "with --input, fields go to the query"
    );
}

#[tokio::test]
async fn a_429_is_retried_after_the_wait_the_server_asks() {
    let server = Server::start(vec![
        Reply::json(429, json!({"message": "Too Many Requests"})).header("retry-after", "0"),
        Reply::json(200, json!({"login": "alice"})),
    ])
    .await;
    let run = gitcode(&server, &["api", "/api/v5/user", "--jq", ".login"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "alice\n");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn paginate_merges_three_pages() {
    let page = |from: usize, n: usize| {
        Reply::json(
            200,
            json!(
                (from..from + n)
                    .map(|i| json!({"id": i}))
                    .collect::<Vec<_>>()
            ),
        )
    };
    let server = Server::start(vec![page(1, 100), page(101, 100), page(201, 5)]).await;
    let run = gitcode(
        &server,
        &[
            "api",
            "/api/v5/repos/o/r/stargazers?sort=newest",
            "--paginate",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let items: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("one array");
    assert_eq!(items.len(), 205);
    assert_eq!(items[204], json!({"id": 205}));
    assert_eq!(
        server.queries(),
        [
            "sort=newest&page=1&per_page=100",
            "sort=newest&page=2&per_page=100",
            "sort=newest&page=3&per_page=100"
        ]
    );
}

#[tokio::test]
async fn an_error_status_prints_its_body_and_exits_by_kind() {
    let body = br#"{"error_code":404,"error_code_name":"NOT_FOUND","error_message":"Project Not Found","trace_id":"tr-1"}"#;
    let server = Server::start(vec![Reply::bytes(404, "application/json", body)]).await;
    let run = gitcode(&server, &["api", "/api/v5/repos/o/nope"]).await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed["trace_id"], json!("tr-1"));
    assert!(run.stderr.contains("Project Not Found"), "{}", run.stderr);
}

#[tokio::test]
async fn bad_arguments_are_usage_errors_before_any_request() {
    let server = Server::start(vec![Reply::json(200, json!({}))]).await;
    for (args, says) in [
        (&["api", "repos/o/r"][..], "must start with /api/v5/"),
        (
            &["api", "https://evil.example/api/v5/user"],
            "must start with /api/v5/",
        ),
        (&["api", "/api/v5/x", "-F", "novalue"], "expected key=value"),
        (
            &["api", "/api/v5/x", "-H", "NoColon"],
            "expected `Name: value`",
        ),
        (
            &["api", "-X", "POST", "/api/v5/x", "--paginate"],
            "--paginate",
        ),
        (&["api", "/api/v5/../../admin"], "segment"),
    ] {
        let run = gitcode(&server, args).await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn include_prints_the_status_and_headers_first() {
    let server = Server::start(vec![Reply::json(200, json!([])).header("total_count", "0")]).await;
    let run = gitcode(&server, &["api", "-i", "/api/v5/user/repos"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("HTTP 200 OK\n"), "{}", run.stdout);
    assert!(run.stdout.contains("\ntotal_count: 0\n"), "{}", run.stdout);
    assert!(run.stdout.ends_with("\n\n[]\n"), "{}", run.stdout);
}

#[tokio::test]
async fn a_form_content_type_sends_the_fields_form_encoded() {
    let server = Server::start(vec![Reply::json(201, json!({"number": 3}))]).await;
    let run = gitcode(
        &server,
        &[
            "api",
            "/api/v5/repos/o/r/pulls",
            "-f",
            "title=Fix a & b",
            "-f",
            "head=me:fix",
            "-F",
            "draft=false",
            "-H",
            "Content-Type: application/x-www-form-urlencoded",
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
    assert_eq!(
        request.body_text(),
        "title=Fix+a+%26+b&head=me%3Afix&draft=false"
    );
    let content_types = request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .count();
    assert_eq!(content_types, 1);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_written_byte_for_byte() {
    let bytes: Vec<u8> = (0..=255u8).chain(*b"no newline at the end").collect();
    let server = Server::start(vec![Reply::bytes(200, "application/octet-stream", &bytes)]).await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gitcode"))
        .args(["api", "/api/v5/repos/o/r/raw/logo.png"])
        .env("GITCODE_BASE_URL", &server.url)
        .env("GITCODE_CONFIG_DIR", "/nonexistent/gitcode-test")
        .env_remove("GITCODE_TOKEN")
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(output.stdout, bytes);
}
