//! A downstream crate's test, written the way its authors would: a small
//! function against `gitcode::Client`, tested with the generated typed
//! mocks (feature `mock`), without a network.

use futures::TryStreamExt;
use gitcode::mock::MockServerExt;
use gitcode::prelude::*;
use gitcode::types;

/// The code under test: titles of a repository's open issues labelled `bug`.
async fn open_bug_titles(
    client: &gitcode::Client,
    owner: &str,
    repo: &str,
) -> Result<Vec<String>, gitcode::Error> {
    let issues: Vec<types::Issue> = client
        .list_repo_issues()
        .owner(owner)
        .repo(repo)
        .state("open")
        .labels(gitcode::lenient::CommaList::from(["bug"]))
        .stream()
        .try_collect()
        .await?;
    Ok(issues.into_iter().filter_map(|i| i.title).collect())
}

fn issue(title: &str) -> types::Issue {
    types::Issue::builder()
        .title(Some(title.to_string()))
        .try_into()
        .unwrap()
}

#[tokio::test]
async fn open_bug_titles_reads_every_page_of_the_filtered_listing() {
    let server = httpmock::MockServer::start_async().await;
    let page1: Vec<types::Issue> = (1..=100).map(|n| issue(&format!("bug {n}"))).collect();
    let bug = gitcode::lenient::CommaList::from(["bug"]);
    let first = server.list_repo_issues(|when, then| {
        when.owner("acme")
            .repo("app")
            .state(Some("open".into()))
            .labels(Some(&bug))
            .page(Some(1.try_into().unwrap()));
        then.ok(&page1);
    });
    let second = server.list_repo_issues(|when, then| {
        when.owner("acme")
            .repo("app")
            .page(Some(2.try_into().unwrap()));
        then.ok(&vec![issue("last bug")]);
    });
    let client = gitcode::Client::builder()
        .base_url(server.base_url())
        .token("t")
        .build()
        .unwrap();

    let titles = open_bug_titles(&client, "acme", "app").await.unwrap();

    assert_eq!(titles.len(), 101);
    assert_eq!(titles[0], "bug 1");
    assert_eq!(titles[100], "last bug");
    first.assert();
    second.assert();
}

#[tokio::test]
async fn open_bug_titles_reports_a_missing_repository() {
    let server = httpmock::MockServer::start_async().await;
    let mock = server.list_repo_issues(|when, then| {
        when.owner("acme").repo("gone");
        then.into_inner()
            .status(404)
            .json_body(serde_json::json!({"message": "404 Project Not Found"}));
    });
    let client = gitcode::Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    let e = open_bug_titles(&client, "acme", "gone").await.unwrap_err();
    assert_eq!(e.kind(), gitcode::ErrorKind::NotFound);
    mock.assert();
}
