//! When the server disagrees with the spec: tolerant decoding (the
//! default) leaves out a value that does not fit and warns once; strict
//! decoding fails with the path; a decode error keeps the whole body.

use crate::support::{Logs, Reply, Server};
use gitcode::prelude::*;
use gitcode::{ErrorKind, types};
use serde_json::{Value, json};

const WARNING: &str = "left out a value that does not fit the spec";

fn client(server: &Server, strict: bool) -> gitcode::Client {
    gitcode::Client::builder()
        .base_url(&server.url)
        .token("t")
        .no_rate_limit()
        .strict_decoding(strict)
        .build()
        .unwrap()
}

async fn me(client: &gitcode::Client) -> Result<types::UserProfile, gitcode::Error> {
    client
        .get_authenticated_user()
        .send()
        .await
        .map(|r| r.into_inner())
}

async fn issue(client: &gitcode::Client) -> Result<types::Issue, gitcode::Error> {
    client
        .get_issue()
        .owner("o")
        .repo("r")
        .number("7")
        .send()
        .await
        .map(|r| r.into_inner())
}

/// The one warning line, checked to name the operation and the path.
fn the_warning(logs: &Logs, operation: &str, path: &str) -> String {
    let lines = logs.lines_with(WARNING);
    assert_eq!(lines.len(), 1, "exactly one warning: {}", logs.text());
    let line = lines.into_iter().next().unwrap();
    assert!(line.contains("WARN"), "{line}");
    assert!(
        line.contains(&format!("operation=\"{operation}\"")),
        "{line}"
    );
    assert!(line.contains(&format!("path={path} ")), "{line}");
    line
}

/// Strict decoding fails with the path, and the error keeps the body.
async fn strict_fails_at(server_body: &Value, path: &str, call: StrictCall) {
    let server = Server::start(vec![Reply::json(200, server_body.clone())]).await;
    let strict = client(&server, true);
    let err = match call {
        StrictCall::Me => me(&strict).await.map(drop),
        StrictCall::Issue => issue(&strict).await.map(drop),
    }
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    let gitcode::Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path, path, "{err}");
    assert_eq!(decode.status, 200);
    assert!(err.to_string().contains(&format!("at `{path}`")), "{err}");
    // Nothing the server sent is lost.
    assert_eq!(decode.json().as_ref(), Some(server_body));
    assert_eq!(
        err.into_body().unwrap(),
        server_body.to_string().into_bytes()
    );
}

#[derive(Clone, Copy)]
enum StrictCall {
    Me,
    Issue,
}

#[tokio::test]
async fn a_null_inside_a_list_of_strings_is_dropped() {
    let body = json!({"login": "alice", "top_languages": ["Rust", null, "Go"], "name": "Alice"});
    let server = Server::start(vec![Reply::json(200, body.clone())]).await;
    let (logs, _guard) = Logs::capture(tracing::Level::WARN);
    let user = me(&client(&server, false)).await.unwrap();
    assert_eq!(user.top_languages, ["Rust", "Go"]);
    assert_eq!(user.login.as_deref(), Some("alice"));
    assert_eq!(user.name.as_deref(), Some("Alice"));
    let line = the_warning(&logs, "get_authenticated_user", "top_languages[1]");
    assert!(line.contains("value=null"), "{line}");
    assert!(line.contains("expected a string"), "{line}");
    drop(_guard);
    strict_fails_at(&body, "top_languages[1]", StrictCall::Me).await;
}

#[tokio::test]
async fn a_string_where_a_number_is_expected_is_left_out() {
    // A generated type: the languages of a repository, in percent.
    let body = json!({"Rust": 80.5, "Go": "n/a", "Shell": 19.5});
    let server = Server::start(vec![Reply::json(200, body.clone())]).await;
    let (logs, _guard) = Logs::capture(tracing::Level::WARN);
    let languages = client(&server, false)
        .get_repo_languages()
        .owner("o")
        .repo("r")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(languages.0.len(), 2);
    assert_eq!(languages.0["Rust"], 80.5);
    let line = the_warning(&logs, "get_repo_languages", "Go");
    assert!(line.contains("\"n/a\""), "{line}");

    // A type of the caller's own, through the generic request: an optional
    // integer field that holds a string.
    #[derive(serde::Deserialize, Debug)]
    struct Counts {
        open: Option<i64>,
        closed: Option<i64>,
        title: String,
    }
    let body = json!({"open": "many", "closed": 3, "title": "x"});
    let server = Server::start(vec![Reply::json(200, body.clone())]).await;
    let (logs, _guard) = Logs::capture(tracing::Level::WARN);
    let counts = client(&server, false)
        .request(reqwest::Method::GET, "/api/v5/repos/o/r/issue_counts")
        .send::<Counts>()
        .await
        .unwrap()
        .into_inner();
    assert_eq!((counts.open, counts.closed), (None, Some(3)));
    assert_eq!(counts.title, "x");
    let line = the_warning(&logs, "request", "open");
    assert!(line.contains("expected i64"), "{line}");

    let server = Server::start(vec![Reply::json(200, body.clone())]).await;
    let err = client(&server, true)
        .request(reqwest::Method::GET, "/api/v5/repos/o/r/issue_counts")
        .send::<Counts>()
        .await
        .unwrap_err();
    let gitcode::Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path, "open");
    assert_eq!(decode.json(), Some(body));
}

#[tokio::test]
async fn an_object_where_a_string_is_expected_is_left_out() {
    let body = json!({"login": "alice", "name": {"first": "A", "last": "L"}, "id": 5});
    let server = Server::start(vec![Reply::json(200, body.clone())]).await;
    let (logs, _guard) = Logs::capture(tracing::Level::WARN);
    let user = me(&client(&server, false)).await.unwrap();
    assert_eq!(user.name, None);
    assert_eq!(user.login.as_deref(), Some("alice"));
    assert_eq!(user.id.and_then(|i| i.as_i64()), Some(5));
    let line = the_warning(&logs, "get_authenticated_user", "name");
    assert!(line.contains("invalid type: map"), "{line}");
    drop(_guard);
    strict_fails_at(&body, "name", StrictCall::Me).await;
}

#[tokio::test]
async fn an_unknown_shape_in_a_nested_optional_object_is_left_out() {
    // `milestone` is an object in the spec; here it is a list.
    let body = json!({
        "number": "7",
        "title": "Crash",
        "milestone": [1, 2],
        "user": {"login": "bob", "name": ["not", "a", "name"]}
    });
    let server = Server::start(vec![Reply::json(200, body.clone())]).await;
    let (logs, _guard) = Logs::capture(tracing::Level::WARN);
    let issue = issue(&client(&server, false)).await.unwrap();
    assert!(issue.milestone.is_none());
    assert_eq!(issue.title.as_deref(), Some("Crash"));
    let user = issue.user.expect("the rest of the nested object is kept");
    assert_eq!(user.login.as_deref(), Some("bob"));
    assert_eq!(user.name, None);
    // Two values left out, two kinds: one warning each.
    let lines = logs.lines_with(WARNING);
    assert_eq!(lines.len(), 2, "{}", logs.text());
    assert!(lines[0].contains("path=milestone "), "{}", lines[0]);
    assert!(lines[1].contains("path=user.name "), "{}", lines[1]);
    drop(_guard);
    strict_fails_at(&body, "milestone", StrictCall::Issue).await;
}

#[tokio::test]
async fn a_page_with_the_same_odd_field_in_every_item_warns_once() {
    let odd = |n: u32| json!({"number": n.to_string(), "title": "t", "milestone": "none"});
    let body = json!([odd(1), odd(2), odd(3)]);
    let server = Server::start(vec![Reply::json(200, body)]).await;
    let (logs, _guard) = Logs::capture(tracing::Level::WARN);
    let issues = client(&server, false)
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(issues.len(), 3);
    assert!(issues.iter().all(|i| i.milestone.is_none()));
    let lines = logs.lines_with(WARNING);
    assert_eq!(lines.len(), 1, "{}", logs.text());
    assert!(lines[0].contains("path=[0].milestone "), "{}", lines[0]);
    assert!(lines[0].contains("count=3"), "{}", lines[0]);
}

#[tokio::test]
async fn the_shape_of_the_body_is_never_repaired() {
    // An object where the operation answers with a list.
    let server = Server::start(vec![Reply::json(200, json!({"message": "ok"}))]).await;
    let err = client(&server, false)
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("expected a sequence"), "{err}");
    assert_eq!(err.body().unwrap().as_ref(), br#"{"message":"ok"}"#);

    // A body that is not JSON at all.
    let server = Server::start(vec![Reply::bytes(
        200,
        "text/html",
        b"<html>maintenance</html>",
    )])
    .await;
    let err = me(&client(&server, false)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("not JSON"), "{err}");
    assert_eq!(
        err.into_body().unwrap().as_ref(),
        b"<html>maintenance</html>"
    );
}

#[tokio::test]
async fn a_body_that_fits_warns_nothing() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({"login": "alice", "top_languages": ["Rust"], "name": null}),
    )])
    .await;
    let (logs, _guard) = Logs::capture(tracing::Level::WARN);
    me(&client(&server, false)).await.unwrap();
    me(&client(&server, true)).await.unwrap();
    assert_eq!(logs.text(), "");
}
