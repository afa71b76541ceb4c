//! Setters take plain values (`gitcode::IntoValue`): every form a value can
//! be given in puts the same bytes on the wire as the form progenitor's
//! setters took, a value that does not fit is an error naming its field
//! before anything is sent, and `?` takes every error of the crate into
//! `gitcode::Error`.

use crate::support::{Recorded, Reply, Server};
use gitcode::lenient::{CommaList, Id};
use gitcode::prelude::*;
use gitcode::types;
use serde_json::json;

fn client(server: &Server) -> gitcode::Client {
    gitcode::Client::builder()
        .base_url(&server.url)
        .build()
        .unwrap()
}

/// The request line and body of each request, for comparing two runs.
fn wire(requests: &[Recorded]) -> Vec<(String, String, Vec<u8>)> {
    requests
        .iter()
        .map(|r| (r.method.clone(), r.target.clone(), r.body.clone()))
        .collect()
}

fn issue_reply() -> Reply {
    Reply::json(201, json!({"number": "12", "title": "Crash"}))
}

#[tokio::test]
async fn a_body_sends_the_same_bytes_whether_values_are_plain_or_options() {
    let plain = Server::start(vec![issue_reply()]).await;
    client(&plain)
        .create_issue()
        .owner("acme")
        .body_map(|b| {
            b.repo("app")
                .title("Crash")
                .body("steps")
                .labels(["bug", "p1"])
                .milestone(3)
        })
        .send()
        .await
        .unwrap();
    let options = Server::start(vec![issue_reply()]).await;
    client(&options)
        .create_issue()
        .owner("acme".to_string())
        .body_map(|b| {
            b.repo(Some("app".to_string()))
                .title("Crash".to_string())
                .body(Some("steps".to_string()))
                .labels(Some(CommaList::from(["bug", "p1"])))
                .milestone(Some(3i64))
                .assignee(None)
        })
        .send()
        .await
        .unwrap();

    assert_eq!(wire(&plain.requests()), wire(&options.requests()));
    let body: serde_json::Value = serde_json::from_slice(&plain.only_request().body).unwrap();
    assert_eq!(
        body,
        json!({"repo": "app", "title": "Crash", "body": "steps", "labels": "bug,p1", "milestone": 3})
    );
}

#[tokio::test]
async fn an_enum_field_takes_its_variant_or_its_text() {
    let by_text = Server::start(vec![issue_reply()]).await;
    client(&by_text)
        .update_issue()
        .owner("acme")
        .number("12")
        .body_map(|b| b.repo("app").state("close"))
        .send()
        .await
        .unwrap();
    let by_variant = Server::start(vec![issue_reply()]).await;
    client(&by_variant)
        .update_issue()
        .owner("acme")
        .number(12)
        .body_map(|b| b.repo("app").state(types::UpdateIssueBodyState::Close))
        .send()
        .await
        .unwrap();
    assert_eq!(wire(&by_text.requests()), wire(&by_variant.requests()));
    assert_eq!(
        by_text.only_request().target,
        "/api/v5/repos/acme/issues/12"
    );
}

#[tokio::test]
async fn an_id_goes_in_as_an_answer_or_a_literal_gave_it() {
    let server = Server::start(vec![Reply::json(200, json!({"id": 1}))]).await;
    let client = client(&server);
    let from_answer: types::Issue = serde_json::from_value(json!({"number": "12"})).unwrap();
    let pr: types::PullRequest = serde_json::from_value(json!({"number": 12})).unwrap();
    let id = Id::from(12);
    for number in [
        Id::from("12"),
        Id::from(12),
        from_answer.number.clone().unwrap(),
        pr.number.clone().unwrap(),
    ] {
        client
            .get_issue()
            .owner("o")
            .repo("r")
            .number(&number)
            .send_raw()
            .await
            .unwrap();
    }
    client
        .get_issue()
        .owner("o")
        .repo("r")
        .number(12)
        .send_raw()
        .await
        .unwrap();
    client
        .get_issue()
        .owner("o")
        .repo("r")
        .number("12")
        .send_raw()
        .await
        .unwrap();
    client
        .get_issue()
        .owner("o")
        .repo("r")
        .number(12u64)
        .send_raw()
        .await
        .unwrap();
    client
        .get_issue()
        .owner("o")
        .repo("r")
        .number(&from_answer.number)
        .send_raw()
        .await
        .unwrap();
    client
        .get_issue()
        .owner("o")
        .repo("r")
        .number(from_answer.number)
        .send_raw()
        .await
        .unwrap();
    client
        .get_pull_request()
        .owner("o")
        .repo("r")
        .number(&id)
        .send_raw()
        .await
        .unwrap();
    client
        .get_pull_request()
        .owner("o")
        .repo("r")
        .number("12")
        .send_raw()
        .await
        .unwrap();
    client
        .get_pull_request()
        .owner("o")
        .repo("r")
        .number(pr.number)
        .send_raw()
        .await
        .unwrap();

    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets[..9],
        vec!["/api/v5/repos/o/r/issues/12".to_string(); 9][..]
    );
    assert_eq!(
        targets[9..],
        vec!["/api/v5/repos/o/r/pulls/12".to_string(); 3][..]
    );
}

#[tokio::test]
async fn a_value_that_does_not_fit_names_its_field_and_nothing_is_sent() {
    let server = Server::start(vec![Reply::json(200, json!([]))]).await;
    let client = client(&server);
    let e = client
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .per_page(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), gitcode::ErrorKind::InvalidRequest);
    assert!(
        e.to_string()
            .contains("`per_page`: 0 is not a whole number of at least 1"),
        "{e}"
    );

    let e = client
        .create_issue()
        .owner("o")
        .body_map(|b| b.repo("r").title("t").milestone(Id::from("m-1")))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), gitcode::ErrorKind::InvalidRequest);
    assert!(
        e.to_string()
            .contains("`milestone`: the id `m-1` is not an integer"),
        "{e}"
    );

    let e = client
        .create_issue()
        .owner("o")
        .body_map(|b| b.repo("r").title(None::<String>))
        .send()
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("`title` is required, but was given `None`"),
        "{e}"
    );
    assert!(server.requests().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn type_builders_take_plain_values_and_builders_of_nested_types() {
    let issue: types::Issue = types::Issue::builder()
        .title("Crash")
        .number(7)
        .labels([types::IssueLabelEntry::String("bug".into())])
        .user(types::User::builder().login("octo"))
        .try_into()
        .unwrap();
    assert_eq!(issue.title.as_deref(), Some("Crash"));
    assert_eq!(issue.number, Some(Id::from("7")));
    assert_eq!(issue.labels, [types::IssueLabelEntry::String("bug".into())]);
    assert_eq!(issue.user.and_then(|u| u.login).as_deref(), Some("octo"));
}

/// One function returning `gitcode::Error`, with `?` on each kind of error
/// the crate has.
async fn every_error_converts(base: &str, port: u32) -> Result<types::Issue, gitcode::Error> {
    let client = gitcode::Client::builder().base_url(base).build()?;
    let _: types::Issue = types::Issue::builder().title("x").try_into()?;
    let _: Option<i64> = gitcode::IntoValue::<i64>::into_value(Id::from(port))?;
    Ok(client
        .get_issue()
        .owner("o")
        .repo("r")
        .number(1)
        .send()
        .await?
        .into_inner())
}

#[tokio::test]
async fn question_mark_takes_build_conversion_and_send_errors_with_their_kind() {
    let e = every_error_converts("not a url", 0).await.unwrap_err();
    assert!(matches!(e, gitcode::Error::Build(_)), "{e:?}");
    assert_eq!(e.kind(), gitcode::ErrorKind::InvalidConfig);
    let build = gitcode::Client::builder()
        .base_url("ftp://x")
        .build()
        .unwrap_err();
    assert_eq!(build.kind(), gitcode::Error::from(build).kind());

    let conversion: Result<types::CreateIssueCommentBody, _> =
        types::CreateIssueCommentBody::builder().try_into();
    let e = gitcode::Error::from(conversion.unwrap_err());
    assert_eq!(e.kind(), gitcode::ErrorKind::InvalidRequest);
    assert!(e.to_string().contains("body"), "{e}");

    let server = Server::start(vec![Reply::json(404, json!({"message": "404 Not Found"}))]).await;
    let e = every_error_converts(&server.url, 1).await.unwrap_err();
    assert_eq!(e.kind(), gitcode::ErrorKind::NotFound);
}
