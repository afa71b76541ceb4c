//! The answer as the server sent it: `send_raw()` on every builder, raw
//! page streams, and `Client::request` for paths the spec lacks, all
//! through the same runtime (token, retries, typed errors).

use std::time::Duration;

use crate::support::{Reply, Server};
use futures::TryStreamExt;
use gitcode::ErrorKind;
use gitcode::prelude::*;
use reqwest::Method;
use serde_json::json;

const TOKEN: &str = "gct_raw_T0KEN";

fn client(server: &Server) -> gitcode::Client {
    gitcode::Client::builder()
        .base_url(&server.url)
        .token(TOKEN)
        .no_rate_limit()
        .build()
        .unwrap()
}

fn bearer(request: &crate::support::Recorded) -> Option<&str> {
    request.header("authorization")
}

#[tokio::test]
async fn send_raw_returns_every_field_status_and_headers() {
    let body = json!({"login": "alice", "field_the_spec_lacks": {"x": [1, null]}, "name": null});
    let server = Server::start(vec![
        Reply::json(200, body.clone()).header("x-request-id", "abc"),
    ])
    .await;
    let raw = client(&server)
        .get_user()
        .username("alice")
        .send_raw()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.headers()["x-request-id"], "abc");
    assert_eq!(raw.json().unwrap(), body);
    assert_eq!(raw.body().as_ref(), body.to_string().as_bytes());
    // The typed view is still one call away.
    let user: gitcode::types::UserProfile = raw.decode().unwrap();
    assert_eq!(user.login.as_deref(), Some("alice"));
    let request = server.only_request();
    assert_eq!(request.path(), "/api/v5/users/alice");
    assert_eq!(bearer(&request), Some(&*format!("Bearer {TOKEN}")));
}

#[tokio::test]
async fn send_raw_types_error_statuses_and_retries_a_429() {
    let server = Server::start(vec![
        Reply::json(429, json!({"message": "slow down"})).header("retry-after", "1"),
        Reply::json(
            404,
            json!({"error_code": 404, "error_code_name": "NOT_FOUND", "error_message": "no such user"}),
        ),
    ])
    .await;
    let err = client(&server)
        .get_user()
        .username("ghost")
        .send_raw()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(
        err.api().unwrap().error_message.as_deref(),
        Some("no such user")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the 429 was retried");
    assert!(requests[1].at.duration_since(requests[0].at) >= Duration::from_secs(1));
    assert!(requests.iter().all(|r| bearer(r).is_some()));
}

#[tokio::test]
async fn raw_pages_follow_the_same_paging_as_the_stream() {
    let page = |from: usize, n: usize| {
        json!(
            (from..from + n)
                .map(|i| json!({"number": i.to_string(), "odd": [null]}))
                .collect::<Vec<_>>()
        )
    };
    let server = Server::start(vec![
        Reply::json(200, page(0, 100)),
        Reply::json(200, page(100, 100)),
        Reply::json(200, page(200, 7)),
    ])
    .await;
    let pages: Vec<gitcode::RawResponse> = client(&server)
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .raw_pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2].json().unwrap().as_array().unwrap().len(), 7);
    // Fields the spec lacks are there, as sent.
    assert_eq!(pages[0].json().unwrap()[0]["odd"], json!([null]));
    assert_eq!(
        server.queries(),
        [
            "page=1&per_page=100",
            "page=2&per_page=100",
            "page=3&per_page=100"
        ]
    );
}

#[tokio::test]
async fn repository_events_stream_until_the_server_says_there_are_no_more() {
    let event = |id: u32| json!({"action_name": "opened", "project_id": id});
    let server = Server::start(vec![
        Reply::json(
            200,
            json!({"events": [event(1), event(2)], "has_next_page": true}),
        ),
        Reply::json(200, json!({"events": [event(3)], "has_next_page": 0})),
        Reply::json(500, json!({"message": "must not be asked"})),
    ])
    .await;
    let events: Vec<gitcode::types::RepoEvent> = client(&server)
        .list_repo_events()
        .owner("o")
        .repo("r")
        .before(chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(events.len(), 3);
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "stopped on has_next_page = 0");
    assert_eq!(requests[1].query(), "before=2025-01-01&page=2&per_page=100");

    // The raw pages stop at the same place.
    let server = Server::start(vec![
        Reply::json(200, json!({"events": [event(1)], "has_next_page": "true"})),
        Reply::json(200, json!({"events": [event(2)], "has_next_page": false})),
        Reply::json(500, json!({"message": "must not be asked"})),
    ])
    .await;
    let pages: Vec<gitcode::RawResponse> = client(&server)
        .list_repo_events()
        .owner("o")
        .repo("r")
        .raw_pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
}

#[tokio::test]
async fn send_bytes_returns_the_whole_body_exactly_as_sent() {
    // Not UTF-8, with a NUL and a lone continuation byte: bytes, not text.
    let bytes: &[u8] = b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x80 end";
    let server = Server::start(vec![
        Reply::bytes(200, "application/octet-stream", bytes),
        Reply::json(404, json!({"error_message": "no such file"})),
    ])
    .await;
    let client = client(&server);
    let body: bytes::Bytes = client
        .get_repo_raw_file()
        .owner("o")
        .repo("r")
        .path("assets/logo.png")
        .ref_("main")
        .send_bytes()
        .await
        .unwrap();
    assert_eq!(body.as_ref(), bytes);
    let request = &server.requests()[0];
    assert_eq!(
        request.target,
        "/api/v5/repos/o/r/raw/assets/logo.png?ref=main"
    );
    assert_eq!(bearer(request), Some(&*format!("Bearer {TOKEN}")));

    // An error status is still a typed error, not a body of bytes.
    let err = client
        .get_repo_raw_file()
        .owner("o")
        .repo("r")
        .path("missing.bin")
        .send_bytes()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(
        err.api().unwrap().error_message.as_deref(),
        Some("no such file")
    );
}

#[tokio::test]
async fn the_generic_request_carries_the_token_query_and_body() {
    let server = Server::start(vec![
        Reply::json(200, json!({"ok": true, "new_field": 1})),
        Reply::json(201, json!({"id": 9})),
        Reply::json(200, json!({})),
    ])
    .await;
    let client = client(&server);
    let answer = client
        .request(Method::GET, "/api/v5/repos/o/r/undocumented?x=1")
        .query(&[("state", "open")])
        .header("x-extra", "yes")
        .send_json()
        .await
        .unwrap();
    assert_eq!(answer, json!({"ok": true, "new_field": 1}));

    let created = client
        .request(Method::POST, "/api/v8/orgs/acme/things")
        .json(&json!({"name": "n", "labels": "a,b"}))
        .send_raw()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);

    client
        .request(Method::PUT, "/api/v5/repos/o/r/settings")
        .form(&[("merge_method", "squash")])
        .send_raw()
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(
        requests[0].target,
        "/api/v5/repos/o/r/undocumented?x=1&state=open"
    );
    assert_eq!(requests[0].header("x-extra"), Some("yes"));
    assert_eq!(requests[1].method, "POST");
    assert_eq!(requests[1].header("content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&requests[1].body).unwrap(),
        json!({"name": "n", "labels": "a,b"})
    );
    assert_eq!(
        requests[2].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(requests[2].body_text(), "merge_method=squash");
    assert!(
        requests
            .iter()
            .all(|r| bearer(r) == Some(&*format!("Bearer {TOKEN}")))
    );
    assert!(requests.iter().all(|r| r.header("api-version").is_none()));
}

#[tokio::test]
async fn the_generic_request_retries_a_429_and_types_a_404() {
    let server = Server::start(vec![
        Reply::json(429, json!({"message": "slow down"})).header("retry-after", "1"),
        Reply::json(404, json!({"message": "404 Not Found"})),
    ])
    .await;
    let err = client(&server)
        .request(Method::POST, "/api/v5/repos/o/r/undocumented")
        .json(&json!({}))
        .send_json()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.api().unwrap().message.as_deref(), Some("404 Not Found"));
    assert_eq!(err.api().unwrap().operation, "request");
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the POST answered 429 was sent again");
    assert!(requests[1].at.duration_since(requests[0].at) >= Duration::from_secs(1));
}

#[tokio::test]
async fn the_generic_request_streams_pages() {
    let page = |from: u32, n: u32| {
        json!(
            (from..from + n)
                .map(|i| json!({"id": i}))
                .collect::<Vec<_>>()
        )
    };
    let server = Server::start(vec![
        Reply::json(200, page(0, 100)).header("total_page", "3"),
        Reply::json(200, page(100, 100)).header("total_page", "3"),
        Reply::json(200, page(200, 100)).header("total_page", "3"),
        Reply::json(500, json!({"message": "must not be asked"})),
    ])
    .await;
    #[derive(serde::Deserialize)]
    struct Item {
        id: u32,
    }
    let items: Vec<Item> = client(&server)
        .request(Method::GET, "/api/v5/user/repos?page=9")
        .stream::<Item>()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 300);
    assert_eq!(items[299].id, 299);
    assert_eq!(
        server.queries(),
        [
            "page=1&per_page=100",
            "page=2&per_page=100",
            "page=3&per_page=100"
        ],
        "the caller's own `page` is replaced"
    );

    let server = Server::start(vec![Reply::json(200, page(0, 2))]).await;
    let pages: Vec<gitcode::RawResponse> = client(&server)
        .request(Method::GET, "/api/v5/user/repos")
        .raw_pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
}

#[tokio::test]
async fn the_generic_request_refuses_paths_outside_the_api() {
    let server = Server::start(vec![Reply::json(200, json!({}))]).await;
    let client = client(&server);
    for path in [
        "https://elsewhere.example/api/v5/user",
        "/api/v5/../../admin",
        "/api/v5/repos/%2E%2E/%2e%2e/user",
        "/internal/metrics",
    ] {
        let err = client
            .request(Method::GET, path)
            .send_raw()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{path}");
    }
    assert!(server.requests().is_empty(), "nothing was sent");
}
