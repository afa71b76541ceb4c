//! The bots of `client/examples/`, each run against a mock server that
//! checks every request it sends: the path, the query and the exact body.
//! They are written against the public API alone, the way a downstream
//! crate would write them.

use gitcode::lenient::Id;
use gitcode::mock::MockServerExt;
use gitcode::types;
use serde_json::json;

#[path = "../../examples/triage_bot.rs"]
#[allow(dead_code)]
mod triage_bot;

#[path = "../../examples/review_bot.rs"]
#[allow(dead_code)]
mod review_bot;

#[path = "../../examples/release_publisher.rs"]
#[allow(dead_code)]
mod release_publisher;

#[path = "../../examples/org_mirror.rs"]
#[allow(dead_code)]
mod org_mirror;

#[path = "../../examples/webhook_bot.rs"]
#[allow(dead_code)]
mod webhook_bot;

/// A client of the mock server. The bots make a few hundred requests here;
/// GitCode's limit (50 a minute) would make the test wait for minutes.
fn client(server: &httpmock::MockServer) -> gitcode::Client {
    gitcode::Client::builder()
        .base_url(server.base_url())
        .token("t")
        .no_rate_limit()
        .build()
        .unwrap()
}

#[tokio::test]
async fn triage_bot_opens_comments_and_closes_with_the_number_it_was_given() {
    let server = httpmock::MockServer::start_async().await;
    let opened: types::Issue = types::Issue::builder()
        .number("12")
        .title("Crash on start")
        .state("open")
        .try_into()
        .unwrap();
    let create = server.create_issue(|when, then| {
        when.owner("acme").into_inner().json_body(json!({
            "repo": "app",
            "title": "Crash on start",
            "body": "Run `app --start` on an empty config: it panics.",
            "labels": "bug,p1",
        }));
        then.ok(&opened);
    });
    let comment = server.create_issue_comment(|when, then| {
        when.owner("acme")
            .repo("app")
            .number(Id::from("12"))
            .into_inner()
            .json_body(json!({"body": "Reproduced on main; the fix is in review."}));
        then.ok(&types::IssueComment::builder().id(1).try_into().unwrap());
    });
    let close = server.update_issue(|when, then| {
        when.owner("acme")
            .number(Id::from("12"))
            .into_inner()
            .json_body(json!({"repo": "app", "state": "close"}));
        then.ok(&types::Issue::builder()
            .number("12")
            .state("closed")
            .try_into()
            .unwrap());
    });

    let closed = triage_bot::triage(&client(&server), "acme", "app")
        .await
        .unwrap();

    assert_eq!(closed.state, Some(gitcode::lenient::State::Closed));
    create.assert();
    comment.assert();
    close.assert();
}

fn pull(number: i64, title: &str) -> types::PullRequest {
    types::PullRequest::builder()
        .number(number)
        .title(title)
        .try_into()
        .unwrap()
}

fn file(name: &str, additions: i64) -> types::PullRequestFile {
    types::PullRequestFile::builder()
        .filename(name)
        .additions(additions)
        .try_into()
        .unwrap()
}

#[tokio::test]
async fn review_bot_reads_every_page_then_merges_docs_and_comments_on_code() {
    let server = httpmock::MockServer::start_async().await;
    // A full first page (100), then a short one: the stream reads both.
    let mut first: Vec<types::PullRequest> = (1..=100).map(|n| pull(n, "code")).collect();
    first[0] = pull(1, "Fix the install guide");
    let page1 = server.mock(|when, then| {
        when.method("GET")
            .path("/api/v5/repos/acme/app/pulls")
            .query_param("state", "open")
            .query_param("page", "1")
            .query_param("per_page", "100");
        then.status(200)
            .json_body(serde_json::to_value(&first).unwrap());
    });
    let page2 = server.mock(|when, then| {
        when.method("GET")
            .path("/api/v5/repos/acme/app/pulls")
            .query_param("page", "2");
        then.status(200).json_body(json!([]));
    });
    let docs_files = server.list_pull_request_files(|when, then| {
        when.owner("acme").repo("app").number(Id::from(1));
        then.ok(&vec![file("docs/install.md", 3), file("README.md", 1)]);
    });
    let code_files = server.mock(|when, then| {
        when.method("GET").path_matches(
            regex::Regex::new(r"^/api/v5/repos/acme/app/pulls/([2-9]|[1-9][0-9]|100)/files$")
                .unwrap(),
        );
        then.status(200).json_body(
            serde_json::to_value(vec![file("src/main.rs", 40), file("src/lib.rs", 2)]).unwrap(),
        );
    });
    let docs_comment = server.mock(|when, then| {
        when.method("POST")
            .path("/api/v5/repos/acme/app/pulls/1/comments")
            .json_body(json!({"body": "Documentation only: merging."}));
        then.status(201).json_body(json!({"id": 1}));
    });
    let merge = server.mock(|when, then| {
        when.method("PUT")
            .path("/api/v5/repos/acme/app/pulls/1/merge")
            .json_body(json!({"merge_method": "squash", "title": "Fix the install guide"}));
        then.status(200).json_body(json!({"merged": true}));
    });
    let code_comment = server.mock(|when, then| {
        when.method("POST")
            .path("/api/v5/repos/acme/app/pulls/2/comments")
            .json_body(json!({"body": "2 files, 42 lines added: needs a human review."}));
        then.status(201).json_body(json!({"id": 2}));
    });
    let other_comments = server.mock(|when, then| {
        when.method("POST").path_matches(
            regex::Regex::new(r"^/api/v5/repos/acme/app/pulls/([3-9]|[1-9][0-9]|100)/comments$")
                .unwrap(),
        );
        then.status(201).json_body(json!({"id": 3}));
    });

    let done = review_bot::review_open(&client(&server), "acme", "app")
        .await
        .unwrap();

    assert_eq!(done.len(), 100);
    assert_eq!(done[0], review_bot::Review::Merged("1".into()));
    assert_eq!(done[1], review_bot::Review::Commented("2".into()));
    page1.assert();
    page2.assert();
    docs_files.assert();
    code_files.assert_calls(99);
    docs_comment.assert();
    merge.assert();
    code_comment.assert();
    other_comments.assert_calls(98);
}

#[tokio::test]
async fn release_publisher_creates_the_release_and_uploads_to_its_id() {
    let server = httpmock::MockServer::start_async().await;
    let create = server.create_release(|when, then| {
        when.owner("acme")
            .repo("app")
            .into_inner()
            .json_body(json!({
                "tag_name": "v1.2.0",
                "name": "Release v1.2.0",
                "body": "Built by CI from the tagged commit.",
                "prerelease": false,
            }));
        then.ok(&types::Release::builder()
            .id(77)
            .tag_name("v1.2.0")
            .try_into()
            .unwrap());
    });
    let upload = server.mock(|when, then| {
        when.method("POST")
            .path("/api/v5/repos/acme/app/releases/77/assets")
            .query_param("name", "app-linux.tar.gz")
            .body("the built archive");
        then.status(201).json_body(json!({
            "id": 5,
            "name": "app-linux.tar.gz",
            "browser_download_url": "https://gitcode.com/acme/app/releases/download/v1.2.0/app-linux.tar.gz",
        }));
    });

    let url = release_publisher::publish(
        &client(&server),
        "acme",
        "app",
        "v1.2.0",
        "app-linux.tar.gz",
        b"the built archive".to_vec(),
    )
    .await
    .unwrap();

    assert_eq!(
        url.as_deref(),
        Some("https://gitcode.com/acme/app/releases/download/v1.2.0/app-linux.tar.gz")
    );
    create.assert();
    upload.assert();
}

#[tokio::test]
async fn org_mirror_walks_every_page_and_saves_each_readme_as_sent() {
    let server = httpmock::MockServer::start_async().await;
    let repo = |path: &str| -> types::Repository {
        types::Repository::builder().path(path).try_into().unwrap()
    };
    let mut first: Vec<types::Repository> = (0..100).map(|n| repo(&format!("r{n}"))).collect();
    first[0] = repo("docs");
    let page1 = server.mock(|when, then| {
        when.method("GET")
            .path("/api/v5/orgs/acme/repos")
            .query_param("page", "1")
            .query_param("per_page", "100");
        then.status(200)
            .json_body(serde_json::to_value(&first).unwrap());
    });
    let page2 = server.mock(|when, then| {
        when.method("GET")
            .path("/api/v5/orgs/acme/repos")
            .query_param("page", "2");
        then.status(200)
            .json_body(serde_json::to_value(vec![repo("last")]).unwrap());
    });
    // Bytes as stored, not text: a BOM and a byte that is not UTF-8.
    let readme: &[u8] = b"\xEF\xBB\xBF# docs\n\xFF\n";
    let docs = server.mock(|when, then| {
        when.method("GET")
            .path("/api/v5/repos/acme/docs/raw/README.md");
        then.status(200).body(readme);
    });
    let last = server.mock(|when, then| {
        when.method("GET")
            .path("/api/v5/repos/acme/last/raw/README.md");
        then.status(200).body("# last\n");
    });
    let missing = server.mock(|when, then| {
        when.method("GET").path_matches(
            regex::Regex::new(r"^/api/v5/repos/acme/r[0-9]+/raw/README\.md$").unwrap(),
        );
        then.status(404)
            .json_body(json!({"message": "404 File Not Found"}));
    });
    let out = tempfile::tempdir().unwrap();

    let done = org_mirror::mirror(&client(&server), "acme", out.path())
        .await
        .unwrap();

    assert_eq!(done.saved, vec!["docs".to_string(), "last".to_string()]);
    assert_eq!(done.without_readme.len(), 99);
    assert_eq!(std::fs::read(out.path().join("docs.md")).unwrap(), readme);
    page1.assert();
    page2.assert();
    docs.assert();
    last.assert();
    missing.assert_calls(99);
}

#[tokio::test]
async fn webhook_bot_answers_a_new_issue_and_pull_request_with_the_delivered_number() {
    use gitcode::webhooks::{Receiver, Secret};

    let server = httpmock::MockServer::start_async().await;
    let issue_comment = server.mock(|when, then| {
        when.method("POST")
            .path("/api/v5/repos/ibforuorg/test1/issues/4/comments")
            .json_body(
                json!({"body": "Thanks for the report! A maintainer will triage it this week."}),
            );
        then.status(201).json_body(json!({"id": 9}));
    });
    let pr_comment = server.mock(|when, then| {
        when.method("POST")
            .path("/api/v5/repos/ibforuorg/test1/pulls/4/comments")
            .json_body(
                json!({"body": "Thanks! CI runs now; a reviewer is assigned automatically."}),
            );
        then.status(201).json_body(json!({"id": 10}));
    });
    const KEY: &[u8] = b"bot key";
    let bot = webhook_bot::Bot {
        receiver: Receiver::new(Secret::SigningKey(KEY.to_vec())).unwrap(),
        client: client(&server),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, webhook_bot::router(bot)).await });

    let fixture = |name: &str| {
        std::fs::read(format!(
            "{}/tests/fixtures/webhooks/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    for (event, body) in [
        ("Issue Hook", fixture("issue_delivery.json")),
        ("Merge Request Hook", fixture("merge_request_delivery.json")),
        ("Push Hook", fixture("push_delivery.json")),
    ] {
        let status = reqwest::Client::new()
            .post(&url)
            .header("X-GitCode-Event", event)
            .header(
                "X-GitCode-Signature-256",
                gitcode::webhooks::sign(KEY, &body),
            )
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 204, "{event}");
    }
    // A forged delivery is refused and answers nothing.
    let forged = reqwest::Client::new()
        .post(&url)
        .header("X-GitCode-Event", "Issue Hook")
        .header("X-GitCode-Signature-256", "sha256=00")
        .body(fixture("issue_delivery.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);

    issue_comment.assert_calls(1);
    pr_comment.assert_calls(1);
}
