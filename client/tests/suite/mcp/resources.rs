//! resources/templates/list and resources/read: the requests each template
//! sends, the contents and media types that come back, blobs, comments
//! across pages, the cap, errors, and the token.

use base64::Engine;
use rmcp::ServiceError;
use rmcp::model::{ErrorData, ReadResourceRequestParams, ResourceContents};
use serde_json::{Value, json};

use super::{Session, TOKEN};
use crate::support::{Reply, Server};

/// Reads `uri`; no answer may hold the token.
async fn read(session: &Session, uri: &str) -> Result<ResourceContents, ErrorData> {
    let answer = session
        .client
        .read_resource(ReadResourceRequestParams::new(uri))
        .await;
    let printed = format!("{answer:?}");
    assert!(
        !printed.contains(TOKEN),
        "the token in an answer: {printed}"
    );
    match answer {
        Ok(mut result) => {
            assert_eq!(result.contents.len(), 1, "{result:?}");
            Ok(result.contents.remove(0))
        }
        Err(ServiceError::McpError(error)) => Err(error),
        Err(other) => panic!("{uri}: not an MCP answer: {other}"),
    }
}

/// The text, `mimeType` and `uri` of text contents.
fn text_of(contents: &ResourceContents) -> (String, String, String) {
    match contents {
        ResourceContents::TextResourceContents {
            text,
            mime_type,
            uri,
            ..
        } => (
            text.clone(),
            mime_type.clone().unwrap_or_default(),
            uri.clone(),
        ),
        other => panic!("expected text contents, got {other:?}"),
    }
}

fn document(contents: &ResourceContents) -> (String, Value) {
    let (text, mime_type, _) = text_of(contents);
    assert_eq!(mime_type, "application/json");
    let value = serde_json::from_str(&text).expect("the document is JSON");
    (text, value)
}

#[tokio::test]
async fn the_templates_are_listed_with_names_titles_and_media_types_also_read_only() {
    let server = Server::start(vec![Reply::empty(500)]).await;
    for args in [&[][..], &["--read-only"][..]] {
        let session = Session::start(&server, args).await;
        let info = session.client.peer_info().expect("initialized");
        assert!(info.capabilities.resources.is_some(), "{args:?}");
        let templates = session
            .client
            .list_all_resource_templates()
            .await
            .expect("resources/templates/list");
        let listed: Vec<(String, String, Option<String>)> = templates
            .iter()
            .map(|t| (t.uri_template.clone(), t.name.clone(), t.mime_type.clone()))
            .collect();
        let json = Some("application/json".to_string());
        assert_eq!(
            listed,
            [
                (
                    "gitcode://{owner}/{repo}/contents/{+path}?ref={ref}".into(),
                    "file".into(),
                    None
                ),
                (
                    "gitcode://{owner}/{repo}/readme?ref={ref}".into(),
                    "readme".into(),
                    None
                ),
                (
                    "gitcode://{owner}/{repo}/issues/{number}".into(),
                    "issue".into(),
                    json.clone()
                ),
                (
                    "gitcode://{owner}/{repo}/pulls/{number}".into(),
                    "pull_request".into(),
                    json
                ),
            ],
            "{args:?}"
        );
        for template in &templates {
            assert!(template.title.is_some(), "{}", template.name);
            assert!(
                template
                    .description
                    .as_deref()
                    .is_some_and(|d| d.contains("GitCode")),
                "{}",
                template.name
            );
        }
        // The listed resources are none: every resource is a template's.
        let resources = session.client.list_all_resources().await.expect("list");
        assert!(resources.is_empty(), "{resources:?}");
        session.stop().await;
    }
    assert!(server.requests().is_empty(), "listing sends nothing");
}

#[tokio::test]
async fn a_file_is_read_at_a_ref_with_its_slashes_kept_and_the_token_sent() {
    let markdown = "# Intro\n\nÜber alles, `code`.\n";
    let server = Server::start(vec![
        Reply::bytes(200, "text/plain; charset=utf-8", markdown.as_bytes()),
        Reply::bytes(200, "application/octet-stream", markdown.as_bytes()),
    ])
    .await;
    let session = Session::start(&server, &[]).await;
    let uri = "gitcode://my-org/app/contents/docs/guide/intro.md?ref=release%2F1.0";
    let (text, mime_type, sent_uri) = text_of(&read(&session, uri).await.expect("read"));
    assert_eq!(text, markdown);
    assert_eq!(mime_type, "text/plain; charset=utf-8", "the server's type");
    assert_eq!(sent_uri, uri);

    // The level 1 form of the same path (slashes as %2F), no ref: the
    // default branch; the server says only "bytes", the extension says more.
    let encoded = "gitcode://my-org/app/contents/docs%2Fguide%2Fintro.md?ref=";
    let (text, mime_type, _) = text_of(&read(&session, encoded).await.expect("read"));
    assert_eq!(text, markdown);
    assert_eq!(mime_type, "text/markdown");

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    for request in &requests {
        assert_eq!(request.method, "GET");
        assert_eq!(
            request.path(),
            "/api/v5/repos/my-org/app/raw/docs/guide/intro.md"
        );
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
    assert_eq!(requests[0].query(), "ref=release%2F1.0");
    assert_eq!(requests[1].query(), "", "no ref: the default branch");
    session.stop().await;
}

#[tokio::test]
async fn a_binary_file_comes_back_as_a_base64_blob() {
    let png = [
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0xff, 0xfe,
    ];
    let server = Server::start(vec![
        Reply::bytes(200, "image/png", &png),
        Reply::bytes(200, "application/octet-stream", &png),
    ])
    .await;
    let session = Session::start(&server, &["--read-only"]).await;
    for (uri, expected_type) in [
        ("gitcode://o/r/contents/assets/logo.png", "image/png"),
        (
            "gitcode://o/r/contents/bin/tool",
            "application/octet-stream",
        ),
    ] {
        match read(&session, uri).await.expect("read") {
            ResourceContents::BlobResourceContents {
                blob,
                mime_type,
                uri: sent,
                ..
            } => {
                assert_eq!(mime_type.as_deref(), Some(expected_type), "{uri}");
                assert_eq!(sent, uri);
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(blob)
                    .expect("base64");
                assert_eq!(bytes, png, "{uri}");
            }
            other => panic!("{uri}: expected a blob, got {other:?}"),
        }
    }
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v5/repos/o/r/raw/assets/logo.png",
            "/api/v5/repos/o/r/raw/bin/tool"
        ]
    );
    session.stop().await;
}

#[tokio::test]
async fn the_readme_is_found_at_the_root_and_read() {
    let readme = "Read me first.\n";
    let server = Server::start(vec![
        Reply::json(
            200,
            json!([
                {"type": "dir", "name": "README.d", "path": "README.d"},
                {"type": "file", "name": "readme.rst", "path": "readme.rst"},
                {"type": "file", "name": "README.md", "path": "README.md"},
                {"type": "file", "name": "main.rs", "path": "main.rs"},
            ]),
        ),
        Reply::bytes(200, "application/octet-stream", readme.as_bytes()),
        Reply::json(200, json!([{"type": "file", "name": "main.rs"}])),
    ])
    .await;
    let session = Session::start(&server, &[]).await;
    let (text, mime_type, _) = text_of(
        &read(&session, "gitcode://o/r/readme?ref=v2")
            .await
            .expect("read"),
    );
    assert_eq!(text, readme);
    assert_eq!(mime_type, "text/markdown");
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/api/v5/repos/o/r/contents?ref=v2",
            "/api/v5/repos/o/r/raw/README.md?ref=v2"
        ]
    );

    let missing = read(&session, "gitcode://o/r/readme")
        .await
        .expect_err("no README");
    assert_eq!(missing.code.0, -32002);
    assert!(
        missing.message.contains("no README") && missing.message.contains("o/r"),
        "{}",
        missing.message
    );
    assert_eq!(server.requests().len(), 3, "no file read without a README");
    session.stop().await;
}

/// `count` comments, numbered from `from`.
fn comments(from: usize, count: usize) -> Value {
    Value::Array(
        (from..from + count)
            .map(|i| json!({"id": i, "body": format!("comment {i}")}))
            .collect(),
    )
}

#[tokio::test]
async fn an_issue_comes_with_every_page_of_its_comments_as_sent_and_redacted() {
    // The issue's body as sent: key order, a number past u64, the token.
    let issue = format!(
        r#"{{"zeta":1,"number":"7","title":"Crash","big":123456789012345678901234567890,"echo":"{TOKEN}"}}"#
    );
    let server = Server::start(vec![
        Reply::bytes(200, "application/json", issue.as_bytes()),
        Reply::json(200, comments(1, 100)).header("total_page", "2"),
        Reply::json(200, comments(101, 3)).header("total_page", "2"),
    ])
    .await;
    let session = Session::start(&server, &["--read-only"]).await;
    let uri = "gitcode://my-org/app/issues/7";
    let contents = read(&session, uri).await.expect("read");
    let (text, value) = document(&contents);
    let expected_issue = issue.replace(TOKEN, "[redacted]");
    assert!(
        text.starts_with(&format!("{{\"issue\":{expected_issue},\"comments\":[")),
        "{text}"
    );
    assert_eq!(value["comments"].as_array().unwrap().len(), 103);
    assert_eq!(value["comments"][102]["body"], "comment 103");
    assert_eq!(value["comments_complete"], true);
    assert!(value.get("comments_note").is_none());

    let requests = server.requests();
    let targets: Vec<&str> = requests.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/api/v5/repos/my-org/app/issues/7",
            "/api/v5/repos/my-org/app/issues/7/comments?page=1&per_page=100",
            "/api/v5/repos/my-org/app/issues/7/comments?page=2&per_page=100",
        ]
    );
    assert!(requests.iter().all(|r| r.method == "GET"));
    session.stop().await;
}

#[tokio::test]
async fn comments_past_the_cap_are_cut_and_the_document_says_so() {
    let mut replies = vec![Reply::json(200, json!({"number": "9"}))];
    for page in 0..10 {
        replies.push(Reply::json(200, comments(page * 100 + 1, 100)).header("total_page", "12"));
    }
    let server = Server::start(replies).await;
    let session = Session::start(&server, &[]).await;
    let (_, value) = document(
        &read(&session, "gitcode://o/r/issues/9")
            .await
            .expect("read"),
    );
    assert_eq!(
        value["comments"].as_array().unwrap().len(),
        gitcode::mcp::MAX_LIST_ITEMS
    );
    assert_eq!(value["comments_complete"], false);
    let note = value["comments_note"].as_str().expect("a note");
    assert!(
        note.contains("first 1000 comments") && note.contains("page=11"),
        "{note}"
    );
    assert_eq!(server.requests().len(), 11, "the issue and ten pages");
    session.stop().await;
}

#[tokio::test]
async fn a_pull_request_comes_with_its_changed_files() {
    let pull = r#"{"number":3,"title":"Fix","head":{"ref":"fix"}}"#;
    let files = r#"[{"filename":"src/a.rs","additions":"2","patch":"@@ -1 +1,2 @@\n+x, y"},{"filename":"b.md"}]"#;
    let server = Server::start(vec![
        Reply::bytes(200, "application/json", pull.as_bytes()),
        Reply::bytes(200, "application/json", files.as_bytes()),
        Reply::json(200, json!({"number": 4})),
        Reply::json(
            400,
            json!({"error_message": "Invalid header parameter: private-token, required"}),
        ),
    ])
    .await;
    let session = Session::start(&server, &[]).await;
    let (text, _) = document(&read(&session, "gitcode://o/r/pulls/3").await.expect("read"));
    assert_eq!(
        text,
        format!(r#"{{"pull_request":{pull},"files":{files},"files_complete":true}}"#)
    );

    // The files fail, the pull request is still read; the note says why.
    let (_, value) = document(&read(&session, "gitcode://o/r/pulls/4").await.expect("read"));
    assert_eq!(value["pull_request"]["number"], 4);
    assert_eq!(value["files"], json!([]));
    assert_eq!(value["files_complete"], false);
    let note = value["files_note"].as_str().expect("a note");
    assert!(
        note.contains("could not be listed") && note.contains("400"),
        "{note}"
    );

    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v5/repos/o/r/pulls/3",
            "/api/v5/repos/o/r/pulls/3/files",
            "/api/v5/repos/o/r/pulls/4",
            "/api/v5/repos/o/r/pulls/4/files",
        ]
    );
    session.stop().await;
}

#[tokio::test]
async fn uris_that_fit_no_template_or_not_its_values_are_errors_that_say_why() {
    let server = Server::start(vec![Reply::empty(500)]).await;
    let session = Session::start(&server, &[]).await;
    for (uri, code, says) in [
        ("https://gitcode.com/o/r", -32002, "not a `gitcode://` URI"),
        ("gitcode://o/r/wiki/home", -32002, "no resource"),
        (
            "gitcode://app/issues/7",
            -32602,
            "no owner or no repository",
        ),
        ("gitcode:///app/issues/7", -32602, "the owner is empty"),
        (
            "gitcode://o/app/issues/seven",
            -32602,
            "`seven` is not a number",
        ),
        (
            "gitcode://o/app/pulls/3/files",
            -32602,
            "nothing may follow the number",
        ),
        (
            "gitcode://o/app/contents/a.md?branch=x",
            -32602,
            "no query parameter `branch`",
        ),
        // The request builder refuses a `..` segment: nothing is sent.
        (
            "gitcode://o/app/contents/docs/../../x",
            -32602,
            "invalid request",
        ),
    ] {
        let error = read(&session, uri).await.expect_err(uri);
        assert_eq!(error.code.0, code, "{uri}: {}", error.message);
        assert!(
            error.message.contains(uri) && error.message.contains(says),
            "{uri}: {}",
            error.message
        );
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    session.stop().await;
}

#[tokio::test]
async fn a_404_is_resource_not_found_with_gitcodes_message_redacted() {
    let server = Server::start(vec![
        Reply::json(
            404,
            json!({"error_code": 404, "error_message": format!("Project Not Found for {TOKEN}")}),
        ),
        Reply::json(200, json!({"number": "1"})),
        Reply::json(200, json!([])),
    ])
    .await;
    let session = Session::start(&server, &[]).await;
    let error = read(&session, "gitcode://o/gone/issues/1")
        .await
        .expect_err("a 404");
    assert_eq!(error.code.0, -32002, "{}", error.message);
    for part in [
        "gitcode://o/gone/issues/1",
        "issue 1 of o/gone",
        "404",
        "Project Not Found for [redacted]",
    ] {
        assert!(error.message.contains(part), "{part}: {}", error.message);
    }
    // The next read is served.
    let (_, value) = document(
        &read(&session, "gitcode://o/app/issues/1")
            .await
            .expect("read"),
    );
    assert_eq!(value["comments_complete"], true);
    assert_eq!(server.requests().len(), 3);
    session.stop().await;
}

#[tokio::test]
async fn a_file_that_holds_the_token_comes_back_redacted() {
    let text = format!("token = \"{TOKEN}\"\n");
    let mut binary = vec![0xff, 0xfe, 0];
    binary.extend_from_slice(TOKEN.as_bytes());
    let server = Server::start(vec![
        Reply::bytes(200, "text/plain", text.as_bytes()),
        Reply::bytes(200, "application/octet-stream", &binary),
    ])
    .await;
    let session = Session::start(&server, &[]).await;
    // `read` fails the test if an answer holds the token.
    let (got, _, _) = text_of(&read(&session, "gitcode://o/r/contents/.env").await.unwrap());
    assert_eq!(got, "token = \"[redacted]\"\n");
    let (got, _, _) = text_of(
        &read(&session, "gitcode://o/r/contents/x.bin")
            .await
            .unwrap(),
    );
    assert!(got.ends_with("[redacted]"), "{got}");
    session.stop().await;
}
