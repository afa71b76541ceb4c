//! Every paged list streams, whatever its answer looks like: a list arm of
//! an enum (`list_repo_pull_requests`), a list in a field with no "more
//! pages" flag (the Actions lists), a page size spelled `perPage`
//! (`list_authenticated_user_namespaces`), a search that serves fewer items
//! a page and no page past 100. Against a recording loopback server: the
//! query each page sends, and where the stream ends.

use crate::support::{Reply, Server};
use futures::TryStreamExt;
use gitcode::pagination::Paginated;
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

/// A page of `count` items numbered from `from`, each made by `item`.
fn listed(
    from: usize,
    count: usize,
    item: impl Fn(usize) -> serde_json::Value,
) -> serde_json::Value {
    serde_json::Value::Array((from..from + count).map(item).collect())
}

fn numbered(from: usize, count: usize, key: &str) -> serde_json::Value {
    listed(
        from,
        count,
        |n| json!({ key: n, "title": format!("item {n}") }),
    )
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
    let namespaces =
        |from, count| listed(from, count, |n| json!({"id": n, "path": format!("ns-{n}")}));
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

/// The docs cap the searches at 20 (repositories) or 50 (issues, users)
/// items a page. Against a server that cuts each page to that (as this one
/// does), a stream that asked for 100 would read the first page of 20 as a
/// short last page and stop there. Each stream asks for the operation's own
/// page size, from the spec.
#[tokio::test]
async fn searches_stream_at_the_page_size_the_server_serves() {
    let repositories = |from, count| {
        listed(
            from,
            count,
            |n| json!({"id": n, "full_name": format!("o/r{n}")}),
        )
    };
    let server = Server::start(vec![
        Reply::json(200, repositories(1, 20)),
        Reply::json(200, repositories(21, 20)),
        Reply::json(200, repositories(41, 5)),
        NOT_ASKED(),
    ])
    .await;
    let all: Vec<types::Repository> = client(&server)
        .search_repositories()
        .q("rust")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 45);
    assert_eq!(all[44].full_name.as_deref(), Some("o/r45"));
    assert_eq!(
        server.queries(),
        [
            "page=1&per_page=20&q=rust",
            "page=2&per_page=20&q=rust",
            "page=3&per_page=20&q=rust"
        ]
    );
    assert_eq!(
        <gitcode::builder::SearchIssues<'static> as Paginated<'static>>::MAX_PER_PAGE,
        50
    );
    assert_eq!(
        <gitcode::builder::ListRepoIssues<'static> as Paginated<'static>>::MAX_PER_PAGE,
        100
    );

    // A page size asked for is held to the same cap, and raw pages and
    // every other way of reading pages use it too.
    let server = Server::start(vec![Reply::json(200, json!([]))]).await;
    let none: Vec<types::Repository> = client(&server)
        .search_repositories()
        .q("rust")
        .stream_pages_of(100)
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(server.queries(), ["page=1&per_page=20&q=rust"]);
    let server = Server::start(vec![Reply::json(200, json!([]))]).await;
    let pages: Vec<gitcode::RawResponse> = client(&server)
        .search_users()
        .q("ann")
        .raw_pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(server.queries(), ["page=1&per_page=50&q=ann"]);
}

/// The searches serve no page past 100: after a full page 100 the stream
/// ends with `Error::Pagination` saying so, without asking for page 101,
/// and every item before it has been yielded.
#[tokio::test]
async fn a_search_stream_stops_at_the_last_page_the_server_serves() {
    let issues = |page: usize| {
        listed(
            (page - 1) * 50 + 1,
            50,
            |n| json!({"id": n, "number": n.to_string(), "title": format!("item {n}")}),
        )
    };
    let mut replies: Vec<Reply> = (1..=100)
        .map(|page| Reply::json(200, issues(page)))
        .collect();
    replies.push(NOT_ASKED());
    let server = Server::start(replies).await;
    let first = client(&server);
    let mut stream = first.search_issues().q("bug").stream();
    let mut read = 0;
    let error = loop {
        match stream.try_next().await {
            Ok(Some(_)) => read += 1,
            Ok(None) => panic!("the stream ended quietly after {read} items"),
            Err(e) => break e,
        }
    };
    assert_eq!(read, 5000);
    match &error {
        gitcode::Error::Pagination {
            operation, page, ..
        } => {
            assert_eq!((*operation, *page), ("search_issues", 101));
        }
        other => panic!("expected a pagination error, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("no page past 100") && message.contains("narrow the query"),
        "{message}"
    );
    let queries = server.queries();
    assert_eq!(queries.len(), 100, "page 101 was asked for");
    assert_eq!(queries[99], "page=100&per_page=50&q=bug");

    // A list that ends before the last served page ends as any list does.
    let server = Server::start(vec![
        Reply::json(200, issues(1)),
        Reply::json(200, json!([])),
    ])
    .await;
    let all: Vec<types::Issue> = client(&server)
        .search_issues()
        .q("bug")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 50);
}
