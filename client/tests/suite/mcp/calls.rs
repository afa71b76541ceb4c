//! tools/call: the body as sent, GitCode's encodings on the wire, argument
//! checks before sending, errors as tool errors, bytes, paging, the token.

use base64::Engine;
use serde_json::json;

use super::{Session, TOKEN, is_error, text};
use crate::support::{Reply, Server};

#[tokio::test]
async fn a_get_returns_the_body_as_sent_unknown_fields_and_nulls_kept() {
    let body = r#"{"zeta":1,"number":"7","title":"Crash","labels":[null,{"name":"bug","brand_new":true}],"not_in_spec":{"x":12345678901234567890}}"#;
    let server = Server::start(vec![Reply {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    }])
    .await;
    let session = Session::start(&server, &[]).await;
    let result = session
        .call(
            "get_issue",
            json!({"owner": "my-org", "repo": "app", "number": "7"}),
        )
        .await;
    assert!(!is_error(&result), "{}", text(&result));
    assert_eq!(text(&result), body, "the text is the body, byte for byte");
    let structured = result
        .structured_content
        .expect("an object answer is structured");
    assert_eq!(structured["labels"][0], serde_json::Value::Null);
    assert_eq!(structured["labels"][1]["brand_new"], true);
    assert!(structured["not_in_spec"].is_object());

    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), "/api/v5/repos/my-org/app/issues/7");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    session.stop().await;
}

#[tokio::test]
async fn a_json_post_sends_labels_as_one_comma_string() {
    let server = Server::start(vec![Reply::json(201, json!({"number": "12"}))]).await;
    let session = Session::start(&server, &[]).await;
    let result = session
        .call(
            "create_issue",
            json!({"owner": "o", "repo": "r", "title": "Crash", "labels": ["bug", "help wanted"]}),
        )
        .await;
    assert!(!is_error(&result), "{}", text(&result));
    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path(), "/api/v5/repos/o/issues");
    let sent: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(sent["labels"], "bug,help wanted");
    assert_eq!(sent["repo"], "r");
    assert_eq!(sent["title"], "Crash");
    session.stop().await;
}

#[tokio::test]
async fn a_form_post_sends_a_comma_list_form_encoded() {
    let server = Server::start(vec![Reply::json(201, json!({"number": 3}))]).await;
    let session = Session::start(&server, &[]).await;
    let result = session
        .call(
            "create_pull_request",
            json!({"owner": "o", "repo": "r", "title": "Fix a & b", "head": "me:fix", "base": "main", "assignees": ["alice", "bob"]}),
        )
        .await;
    assert!(!is_error(&result), "{}", text(&result));
    let request = server.only_request();
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
    session.stop().await;
}

#[tokio::test]
async fn arguments_that_do_not_fit_are_tool_errors_and_send_nothing() {
    let server = Server::start(vec![Reply::json(200, json!([]))]).await;
    let session = Session::start(&server, &[]).await;
    for (arguments, expected) in [
        (json!({"owner": "o"}), "argument `repo` is required"),
        (
            json!({"owner": "o", "repo": "r", "per_page": "ten"}),
            "argument `per_page`: expected an integer, got the string \"ten\"",
        ),
        (
            json!({"owner": "o", "repo": "r", "per_page": 1000}),
            "argument `per_page`: expected at most 100",
        ),
        (
            json!({"owner": "o", "repo": "r", "colour": "red"}),
            "no argument `colour`",
        ),
        (
            json!({"owner": ["o"], "repo": "r"}),
            "argument `owner`: expected a string, got an array",
        ),
    ] {
        let result = session.call("list_repo_issues", arguments.clone()).await;
        assert!(is_error(&result), "{arguments}: {}", text(&result));
        assert!(
            text(&result).contains(expected),
            "{arguments}: {}",
            text(&result)
        );
        assert!(
            text(&result).contains("nothing was sent"),
            "{}",
            text(&result)
        );
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    session.stop().await;
}

#[tokio::test]
async fn a_404_is_a_tool_error_with_gitcodes_message_and_the_next_call_is_served() {
    let server = Server::start(vec![
        Reply::json(
            404,
            json!({"error_code": 404, "error_code_name": "NOT_FOUND", "error_message": "Project Not Found", "trace_id": "t-1"}),
        ),
        Reply::json(200, json!({"number": "1", "title": "t"})),
    ])
    .await;
    let session = Session::start(&server, &[]).await;
    let missing = session
        .call(
            "get_issue",
            json!({"owner": "o", "repo": "app", "number": "404"}),
        )
        .await;
    assert!(is_error(&missing));
    assert!(text(&missing).contains("404"), "{}", text(&missing));
    assert!(
        text(&missing).contains("Project Not Found"),
        "{}",
        text(&missing)
    );
    let found = session
        .call(
            "get_issue",
            json!({"owner": "o", "repo": "app", "number": "1"}),
        )
        .await;
    assert!(!is_error(&found), "{}", text(&found));
    assert_eq!(server.requests().len(), 2);
    session.stop().await;
}

#[tokio::test]
async fn the_token_never_reaches_the_agent() {
    // A server that echoes the token in a success and in an error.
    let server = Server::start(vec![
        Reply::json(200, json!({"login": "me", "echo": TOKEN})),
        Reply::json(401, json!({"message": format!("bad token {TOKEN}")})),
    ])
    .await;
    let session = Session::start(&server, &["--toolsets", "users"]).await;
    // `Session::call` fails the test if any result holds the token.
    let echoed = session.call("get_authenticated_user", json!({})).await;
    assert!(text(&echoed).contains("[redacted]"), "{}", text(&echoed));
    let refused = session.call("get_authenticated_user", json!({})).await;
    assert!(is_error(&refused));
    assert!(text(&refused).contains("[redacted]"), "{}", text(&refused));
    session.stop().await;

    // Without a token nothing is sent as one.
    let server = Server::start(vec![Reply::json(200, json!({"login": "anon"}))]).await;
    let session = Session::start_with(&server.url, None, &["--toolsets", "users"]).await;
    let result = session.call("get_user", json!({"username": "anon"})).await;
    assert!(!is_error(&result), "{}", text(&result));
    assert_eq!(server.only_request().header("authorization"), None);
    session.stop().await;
}

#[tokio::test]
async fn bytes_come_back_as_base64_with_their_media_type_and_paths_keep_slashes() {
    let png = [0x89, b'P', b'N', b'G', 0, 0xff, 0xfe];
    let server = Server::start(vec![Reply::bytes(200, "image/png", &png)]).await;
    let session = Session::start(&server, &["--tools", "get_repo_raw_file"]).await;
    let result = session
        .call(
            "get_repo_raw_file",
            json!({"owner": "o", "repo": "r", "path": "docs/img/logo.png"}),
        )
        .await;
    assert!(!is_error(&result), "{result:?}");
    let resource = result.content[0]
        .as_resource()
        .expect("an embedded resource");
    let json = serde_json::to_value(&resource.resource).unwrap();
    assert_eq!(json["mimeType"], "image/png");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(json["blob"].as_str().unwrap())
        .unwrap();
    assert_eq!(bytes, png);
    let request = server.only_request();
    assert!(
        request.path().ends_with("/raw/docs/img/logo.png"),
        "{}",
        request.path()
    );
    session.stop().await;
}

#[tokio::test]
async fn a_list_says_which_page_it_is_and_how_to_get_the_next() {
    let server = Server::start(vec![
        Reply::json(200, json!([{"number": "1"}]))
            .header("total_page", "3")
            .header("total_count", "250"),
    ])
    .await;
    let session = Session::start(&server, &[]).await;
    let result = session
        .call(
            "list_repo_issues",
            json!({"owner": "o", "repo": "r", "page": 2, "per_page": 100}),
        )
        .await;
    assert!(!is_error(&result), "{}", text(&result));
    assert_eq!(text(&result), r#"[{"number":"1"}]"#);
    assert!(
        result.structured_content.is_none(),
        "a list is not an object"
    );
    let paging = result.content[1]
        .as_text()
        .expect("a paging line")
        .text
        .clone();
    assert_eq!(
        paging,
        "Page 2 of 3, 250 items in all. For the next, call again with page=3."
    );
    let request = server.only_request();
    let mut query: Vec<&str> = request.query().split('&').collect();
    query.sort();
    assert_eq!(query, ["page=2", "per_page=100"]);
    session.stop().await;
}

#[tokio::test]
async fn a_file_argument_uploads_its_base64_bytes_as_multipart() {
    let server = Server::start(vec![Reply::json(200, json!({"url": "x"}))]).await;
    let session = Session::start(&server, &["--toolsets", "repositories"]).await;
    let content = base64::engine::general_purpose::STANDARD.encode(b"hello, file");
    let result = session
        .call(
            "upload_repo_file",
            json!({"owner": "o", "repo": "r", "file": {"file_name": "notes.txt", "content_base64": content, "media_type": "text/plain"}}),
        )
        .await;
    assert!(!is_error(&result), "{}", text(&result));
    let request = server.only_request();
    assert!(
        request
            .header("content-type")
            .is_some_and(|t| t.starts_with("multipart/form-data")),
        "{:?}",
        request.header("content-type")
    );
    let body = request.body_text();
    assert!(body.contains("filename=\"notes.txt\""), "{body}");
    assert!(body.contains("hello, file"), "{body}");

    let bad = session
        .call(
            "upload_repo_file",
            json!({"owner": "o", "repo": "r", "file": {"file_name": "x", "content_base64": "%%%"}}),
        )
        .await;
    assert!(is_error(&bad));
    assert!(text(&bad).contains("not base64"), "{}", text(&bad));
    let bad_type = session
        .call(
            "upload_repo_file",
            json!({"owner": "o", "repo": "r", "file": {"file_name": "x", "content_base64": content, "media_type": "text plain"}}),
        )
        .await;
    assert!(is_error(&bad_type));
    assert!(
        text(&bad_type).contains("`text plain` is not a media type")
            && text(&bad_type).contains("nothing was sent"),
        "{}",
        text(&bad_type)
    );
    assert_eq!(server.requests().len(), 1, "the bad calls sent nothing");
    session.stop().await;
}
