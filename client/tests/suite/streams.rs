//! Every paged list streams, whatever its answer looks like: a list arm of
//! an enum (`list_repo_pull_requests`), a list in a field with no "more
//! pages" flag (the Actions lists), a page size spelled `perPage`
//! (`list_authenticated_user_namespaces`). Against a recording loopback
//! server: the query each page sends, and where the stream ends.

use crate::support::{Reply, Server};
use futures::TryStreamExt;
use gitcode::prelude::*;
use gitcode::types;
use serde_json::json;

fn client(server: &Server) -> gitcode::Client {
    gitcode::Client::builder()
        .base_url(&server.url)
        .token("gct_streams_T0KEN")
        .no_rate_limit()
        .build()
        .unwrap()
}

fn numbered(from: usize, count: usize, key: &str) -> Vec<serde_json::Value> {
    (from..from + count)
        .map(|n| json!({ key: n, "title": format!("item {n}") }))
        .collect()
}

const NOT_ASKED: fn() -> Reply = || Reply::json(500, json!({"message": "must not be asked"}));

#[tokio::test]
async fn pull_requests_stream_the_list_arm_and_end_after_a_short_page() {
    let server = Server::start(vec![
        Reply::json(200, json!(numbered(1, 100, "number"))),
        Reply::json(200, json!(numbered(101, 3, "number"))),
        NOT_ASKED(),
    ])
    .await;
    let all: Vec<types::PullRequest> = client(&server)
        .list_repo_pull_requests()
        .owner("o")
        .repo("r")
        .state("open")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 103);
    assert_eq!(all[102].title.as_deref(), Some("item 103"));
    assert_eq!(
        server.queries(),
        [
            "page=1&per_page=100&state=open",
            "page=2&per_page=100&state=open"
        ]
    );

    // `send()` still answers the enum, so the counts stay reachable.
    let server = Server::start(vec![Reply::json(
        200,
        json!({"all": 5, "opened": 2, "closed": 1, "merged": 2}),
    )])
    .await;
    let counts = client(&server)
        .list_repo_pull_requests()
        .owner("o")
        .repo("r")
        .only_count(true)
        .send()
        .await
        .unwrap()
        .into_inner();
    match counts {
        types::ListRepoPullRequestsResponse::PullRequestCounts(counts) => {
            assert_eq!(counts.all.and_then(|n| n.as_i64()), Some(5));
        }
        other => panic!("expected the counts, got {other:?}"),
    }
    assert_eq!(server.only_request().query(), "only_count=true");
}

#[tokio::test]
async fn a_wrapped_list_without_a_flag_streams_its_field_until_a_short_page() {
    let runs = |from: usize, count: usize| {
        json!({
            "total_count": 150,
            "workflow_runs": numbered(from, count, "workflow_run_id"),
        })
    };
    let server = Server::start(vec![
        Reply::json(200, runs(1, 100)),
        Reply::json(200, runs(101, 50)),
        NOT_ASKED(),
    ])
    .await;
    let all: Vec<types::ActionsWorkflowRun> = client(&server)
        .list_repo_workflow_runs()
        .owner("o")
        .repo("r")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 150);
    assert_eq!(
        all[149].workflow_run_id.as_ref().and_then(|id| id.as_i64()),
        Some(150)
    );
    assert_eq!(
        server.queries(),
        ["page=1&per_page=100", "page=2&per_page=100"]
    );

    // The raw pages end at the same place.
    let server = Server::start(vec![
        Reply::json(200, runs(1, 100)),
        Reply::json(200, runs(101, 50)),
        NOT_ASKED(),
    ])
    .await;
    let pages: Vec<gitcode::RawResponse> = client(&server)
        .list_repo_workflow_runs()
        .owner("o")
        .repo("r")
        .raw_pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].json().unwrap()["total_count"], json!(150));
}

#[tokio::test]
async fn a_wrapped_list_without_a_flag_ends_on_a_null_list_or_the_total_page_header() {
    // A full page, then `null` where the list should be (which the spec
    // says the server may send): the end, not an error.
    let server = Server::start(vec![
        Reply::json(
            200,
            json!({"total_count": 100, "jobs": numbered(1, 100, "id")}),
        ),
        Reply::json(200, json!({"total_count": 100, "jobs": null})),
        NOT_ASKED(),
    ])
    .await;
    let jobs: Vec<types::ActionsJob> = client(&server)
        .list_workflow_run_jobs()
        .owner("o")
        .repo("r")
        .run_id("7")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(jobs.len(), 100);
    assert_eq!(server.requests().len(), 2);

    // Full pages, but the server says how many there are.
    let page = |from| json!({"total_count": 4, "runners": numbered(from, 2, "id")});
    let server = Server::start(vec![
        Reply::json(200, page(1)).header("total_page", "2"),
        Reply::json(200, page(3)).header("total_page", "2"),
        NOT_ASKED(),
    ])
    .await;
    let runners: Vec<types::ActionsRunner> = client(&server)
        .list_repo_runners()
        .owner("o")
        .repo("r")
        .stream_pages_of(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(runners.len(), 4);
    assert_eq!(server.queries(), ["page=1&per_page=2", "page=2&per_page=2"]);
}

#[tokio::test]
async fn namespaces_stream_with_the_page_size_in_camel_case() {
    let namespaces = |from: usize, count: usize| {
        json!(
            (from..from + count)
                .map(|n| json!({"id": n, "path": format!("ns-{n}")}))
                .collect::<Vec<_>>()
        )
    };
    let server = Server::start(vec![
        Reply::json(200, namespaces(1, 100)),
        Reply::json(200, namespaces(101, 1)),
        NOT_ASKED(),
    ])
    .await;
    let all: Vec<types::Namespace> = client(&server)
        .list_authenticated_user_namespaces()
        .mode("all")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 101);
    assert_eq!(all[100].path.as_deref(), Some("ns-101"));
    assert_eq!(
        server.queries(),
        ["mode=all&page=1&perPage=100", "mode=all&page=2&perPage=100"]
    );
}
