//! The runtime around every generated call, against a recording loopback
//! server: auth on the wire, typed errors, retries, pagination, tracing.

use std::time::Duration;

use crate::support::{Reply, Server, SharedBuffer};
use futures::TryStreamExt;
use gitcode::auth::AuthMode;
use gitcode::prelude::*;
use gitcode::retry::RetryPolicy;
use gitcode::{ErrorKind, types};
use serde_json::json;

const TOKEN: &str = "gct_s3cr3t_T0KEN";

fn builder(server: &Server) -> gitcode::ClientBuilder {
    gitcode::Client::builder()
        .base_url(&server.url)
        .token(TOKEN)
        .no_rate_limit()
}

fn quick_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        jitter: false,
    }
}

async fn get_user(client: &gitcode::Client) -> Result<types::UserProfile, gitcode::Error> {
    client
        .get_user()
        .username("alice")
        .send()
        .await
        .map(|r| r.into_inner())
}

#[tokio::test]
async fn each_auth_mode_puts_the_token_where_the_server_reads_it() {
    for (mode, check) in [
        (AuthMode::Bearer, "authorization: Bearer"),
        (AuthMode::PrivateToken, "private-token:"),
        (AuthMode::QueryParameter, "access_token="),
    ] {
        let server = Server::start(vec![Reply::json(200, json!({"login": "alice"}))]).await;
        let client = builder(&server).auth_mode(mode).build().unwrap();
        get_user(&client).await.expect("decodes");
        let request = server.only_request();
        match mode {
            AuthMode::Bearer => {
                assert_eq!(
                    request.header("authorization"),
                    Some(format!("Bearer {TOKEN}").as_str()),
                    "{check}"
                );
                assert_eq!(request.header("private-token"), None);
                assert_eq!(request.query(), "");
            }
            AuthMode::PrivateToken => {
                assert_eq!(request.header("private-token"), Some(TOKEN), "{check}");
                assert_eq!(request.header("authorization"), None);
            }
            AuthMode::QueryParameter => {
                assert_eq!(
                    request.target,
                    format!("/api/v5/users/alice?access_token={TOKEN}"),
                    "{check}"
                );
                assert_eq!(request.header("authorization"), None);
            }
        }
        assert!(
            request
                .header("user-agent")
                .unwrap()
                .starts_with("gitcode-rs/")
        );
    }
}

#[tokio::test]
async fn the_token_is_absent_from_debug_errors_and_traces() {
    // Tracing output of a failing and a succeeding request, with the token
    // in the query string (the mode most likely to leak it).
    let logs = SharedBuffer::default();
    let writer = {
        let logs = logs.clone();
        move || logs.clone()
    };
    let subscriber = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Server::start(vec![
        Reply::json(404, json!({"message": "404 Not Found"})),
        Reply::json(200, json!({"login": "alice"})),
    ])
    .await;
    let client = builder(&server)
        .auth_mode(AuthMode::QueryParameter)
        .build()
        .unwrap();
    // Another test may have registered the span's callsite while this
    // thread's subscriber was being set: `tracing` caches "not interested"
    // for it then. Ask every callsite again, now that the subscriber is in.
    tracing::callsite::rebuild_interest_cache();
    let err = get_user(&client).await.unwrap_err();
    get_user(&client).await.unwrap();

    // A transport error, from a port nobody listens on.
    let closed = gitcode::Client::builder()
        .base_url("http://127.0.0.1:9")
        .token(TOKEN)
        .auth_mode(AuthMode::QueryParameter)
        .retry(RetryPolicy::none())
        .no_rate_limit()
        .build()
        .unwrap();
    let transport = get_user(&closed).await.unwrap_err();
    assert_eq!(transport.kind(), ErrorKind::Transport);

    let logs = String::from_utf8(logs.bytes()).unwrap();
    for text in [
        format!("{client:?}"),
        format!("{err} {err:?}"),
        format!("{transport} {transport:?}"),
        logs.clone(),
    ] {
        assert!(!text.contains(TOKEN), "token leaked in: {text}");
    }
    assert!(logs.contains("gitcode.request"), "{logs}");
    assert!(logs.contains("operation=\"get_user\""), "{logs}");
    assert!(logs.contains("path=\"/api/v5/users/{username}\""), "{logs}");
    assert!(
        logs.contains("status=404") && logs.contains("status=200"),
        "{logs}"
    );
    assert!(logs.contains("attempt=1"), "{logs}");
}

#[tokio::test]
async fn every_error_body_form_is_decoded() {
    let server = Server::start(vec![
        Reply::json(
            422,
            json!({"error_code": 422, "error_code_name": "VALIDATION_ERROR", "error_message": "title too long", "trace_id": "t-1"}),
        ),
        Reply::json(404, json!({"message": "404 Project Not Found"})),
        Reply::bytes(502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
        Reply::json(401, json!({"message": "401 Unauthorized"})),
        Reply::json(403, json!({"error_code": 403, "error_code_name": "FORBIDDEN", "error_message": "no", "trace_id": "t-2"})),
    ])
    .await;
    let client = builder(&server).retry(RetryPolicy::none()).build().unwrap();

    let e = get_user(&client).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    let api = e.api().unwrap();
    assert_eq!((api.status, api.error_code), (422, Some(422)));
    assert_eq!(api.error_code_name.as_deref(), Some("VALIDATION_ERROR"));
    assert_eq!(api.error_message.as_deref(), Some("title too long"));
    assert_eq!(api.trace_id.as_deref(), Some("t-1"));
    assert_eq!(api.operation, "get_user");

    let e = get_user(&client).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(
        e.api().unwrap().message.as_deref(),
        Some("404 Project Not Found")
    );

    let e = get_user(&client).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ServerError);
    assert!(e.to_string().contains("<h1>502 Bad Gateway</h1>"), "{e}");

    assert_eq!(
        get_user(&client).await.unwrap_err().kind(),
        ErrorKind::Unauthorized
    );
    assert_eq!(
        get_user(&client).await.unwrap_err().kind(),
        ErrorKind::Forbidden
    );
}

#[tokio::test]
async fn a_malformed_body_names_the_field_in_strict_mode() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({"name": "Alice", "login": ["not", "a", "string"]}),
    )])
    .await;
    let client = builder(&server).strict_decoding(true).build().unwrap();
    let e = get_user(&client).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    let text = e.to_string();
    assert!(text.contains("at `login`"), "{text}");
    assert!(
        text.contains(r#"body starts: {"login":["not","a","string"]"#)
            || text.contains(r#""name":"Alice""#),
        "{text}"
    );
}

#[tokio::test]
async fn a_429_on_get_is_retried_after_retry_after() {
    let server = Server::start(vec![
        Reply::json(429, json!({"message": "too many"})).header("retry-after", "1"),
        Reply::json(200, json!({"login": "alice"})),
    ])
    .await;
    let client = builder(&server).build().unwrap();
    let user = get_user(&client).await.expect("the retry succeeds");
    assert_eq!(user.login.as_deref(), Some("alice"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // The second attempt came no sooner than the server asked.
    assert!(requests[1].at.duration_since(requests[0].at) >= Duration::from_secs(1));
}

async fn create_issue(client: &gitcode::Client) -> Result<types::Issue, gitcode::Error> {
    client
        .create_issue()
        .owner("o")
        .body_map(|b| b.repo("r").title("t").body(Some("b".to_string())))
        .send()
        .await
        .map(|r| r.into_inner())
}

#[tokio::test]
async fn a_429_on_post_is_sent_again_after_retry_after_and_a_503_is_not() {
    // The server did not act on a request it answered 429: sending it again
    // cannot create twice.
    let server = Server::start(vec![
        Reply::json(429, json!({"message": "too many"})).header("retry-after", "1"),
        Reply::json(201, json!({"number": "12", "title": "t"})),
    ])
    .await;
    let client = builder(&server).build().unwrap();
    let issue = create_issue(&client).await.expect("the retry succeeds");
    assert_eq!(issue.number.map(|n| n.to_string()).as_deref(), Some("12"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method, "POST");
    assert_eq!(requests[1].body, requests[0].body, "the same request again");
    assert!(requests[1].at.duration_since(requests[0].at) >= Duration::from_secs(1));

    // A 503 may come after the server acted: a POST is not sent again.
    let server = Server::start(vec![Reply::json(503, json!({"message": "busy"}))]).await;
    let client = builder(&server).retry(quick_retries(3)).build().unwrap();
    let e = create_issue(&client).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ServerError);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn server_errors_are_retried_up_to_the_bound() {
    let server = Server::start(vec![Reply::json(503, json!({"message": "busy"}))]).await;
    let client = builder(&server).retry(quick_retries(2)).build().unwrap();
    let e = get_user(&client).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ServerError);
    assert_eq!(server.requests().len(), 3, "one attempt and two retries");

    let server = Server::start(vec![Reply::json(500, json!({"message": "bug"}))]).await;
    let client = builder(&server).retry(quick_retries(2)).build().unwrap();
    get_user(&client).await.unwrap_err();
    assert_eq!(server.requests().len(), 1, "500 is not transient");
}

#[tokio::test]
async fn undocumented_success_statuses_and_empty_bodies_are_accepted() {
    let server = Server::start(vec![
        Reply::json(201, json!({"login": "alice"})),
        Reply::empty(200),
    ])
    .await;
    let client = builder(&server).build().unwrap();
    assert_eq!(
        get_user(&client).await.unwrap().login.as_deref(),
        Some("alice")
    );
    let empty = get_user(&client)
        .await
        .expect("an empty body is an empty object");
    assert_eq!(empty.login, None);
}

fn issues(from: usize, count: usize) -> serde_json::Value {
    json!(
        (from..from + count)
            .map(|n| json!({"number": n.to_string(), "title": format!("issue {n}")}))
            .collect::<Vec<_>>()
    )
}

#[tokio::test]
async fn a_three_page_listing_streams_with_exactly_three_requests() {
    let server = Server::start(vec![
        Reply::json(200, issues(1, 100)),
        Reply::json(200, issues(101, 100)),
        Reply::json(200, issues(201, 5)),
    ])
    .await;
    let client = builder(&server).build().unwrap();
    let all: Vec<types::Issue> = client
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .state("open")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 205);
    assert_eq!(all[204].title.as_deref(), Some("issue 205"));
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(targets.len(), 3, "{targets:?}");
    for (i, target) in targets.iter().enumerate() {
        assert!(
            target.contains(&format!("page={}", i + 1)) && target.contains("per_page=100"),
            "{target}"
        );
        assert!(target.contains("state=open"), "{target}");
    }
}

#[tokio::test]
async fn total_page_headers_end_the_stream_and_collect_all_caps() {
    let server = Server::start(vec![
        Reply::json(200, issues(1, 2)).header("total_page", "2"),
        Reply::json(200, issues(3, 2)).header("total_page", "2"),
    ])
    .await;
    let client = builder(&server).build().unwrap();
    let request = client.list_repo_issues().owner("o").repo("r");
    let all: Vec<types::Issue> = request
        .clone()
        .stream_pages_of(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(server.requests().len(), 2);

    let server = Server::start(vec![
        Reply::json(200, issues(1, 100)),
        Reply::json(200, issues(101, 100)),
    ])
    .await;
    let client = builder(&server).build().unwrap();
    let e = client
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .collect_all(150)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("more than 150 items"), "{e}");
}

#[tokio::test]
async fn a_cursor_listing_follows_next_until_it_is_empty() {
    let server = Server::start(vec![
        Reply::json(200, json!({"events": {"2024-09-06": [{"action_name": "pushed to"}]}, "next": "2024-09-05T13:48:47.370Z"})),
        Reply::json(200, json!({"events": {"2024-09-05": [{"action_name": "opened"}]}, "next": ""})),
    ])
    .await;
    let client = builder(&server).build().unwrap();
    let pages: Vec<types::UserEventList> = client
        .list_user_events()
        .username("alice")
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    let requests = server.requests();
    assert_eq!(requests[0].target, "/api/v5/users/alice/events");
    assert_eq!(
        requests[1].target,
        "/api/v5/users/alice/events?next=2024-09-05T13%3A48%3A47.370Z"
    );
}
