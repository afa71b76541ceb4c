//! `gitcode mcp --http`: streamable HTTP, and the bearer secret.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

/// Starts `gitcode mcp --http ADDRESS ARGS`; its URL on loopback (from the
/// line it prints on standard error) and the child, killed on drop.
async fn start(
    address: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> (String, tokio::process::Child) {
    let config = tempfile::tempdir().expect("a temporary directory");
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_gitcode"));
    command
        .args(["mcp", "--http", address])
        .args(args)
        .env_remove("GITCODE_TOKEN")
        .env("GITCODE_BASE_URL", "http://127.0.0.1:9")
        .env("GITCODE_CONFIG_DIR", config.path())
        .env("HOME", config.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the binary runs");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("the server starts")
        .unwrap()
        .expect("a line on stderr");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .replace("0.0.0.0", "127.0.0.1");
    (url, child)
}

async fn initialize(url: &str, bearer: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("accept", "application/json, text/event-stream")
        .header("content-type", "application/json")
        .body(
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#,
        );
    if let Some(secret) = bearer {
        request = request.bearer_auth(secret);
    }
    request.send().await.expect("an answer")
}

#[tokio::test]
async fn http_serves_initialize_on_loopback() {
    let (url, _child) = start("127.0.0.1:0", &[], &[]).await;
    assert!(url.ends_with("/mcp"), "{url}");
    let answer = initialize(&url, None).await;
    assert_eq!(answer.status(), 200);
    let body = answer.text().await.unwrap();
    assert!(body.contains("\"serverInfo\""), "{body}");
    assert!(body.contains("\"gitcode\""), "{body}");
}

#[tokio::test]
async fn with_a_secret_requests_without_it_get_401() {
    let secret = "a-long-bearer-secret-for-the-test";
    let (url, _child) = start(
        "127.0.0.1:0",
        &["--http-secret-env", "GITCODE_MCP_TEST_SECRET"],
        &[("GITCODE_MCP_TEST_SECRET", secret)],
    )
    .await;
    assert_eq!(initialize(&url, None).await.status(), 401);
    assert_eq!(initialize(&url, Some("wrong")).await.status(), 401);
    let answer = initialize(&url, Some(secret)).await;
    assert_eq!(answer.status(), 200);
    let body = answer.text().await.unwrap();
    assert!(!body.contains(secret), "{body}");
}

#[tokio::test]
async fn a_remote_server_needs_the_secret() {
    let secret = "another-bearer-secret-for-the-test";
    let (url, _child) = start(
        "0.0.0.0:0",
        &[
            "--http-allow-remote",
            "--http-secret-env",
            "GITCODE_MCP_TEST_SECRET",
        ],
        &[("GITCODE_MCP_TEST_SECRET", secret)],
    )
    .await;
    assert_eq!(initialize(&url, None).await.status(), 401);
    assert_eq!(initialize(&url, Some(secret)).await.status(), 200);
}
