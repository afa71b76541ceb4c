//! The client does what GitCode's own CLI does. For user actions whose
//! requests `gc` was recorded sending (`fixtures/peer-wire/`, requests the
//! live server accepts), the generated client's request, captured on the
//! wire, fits the spec and carries the same fields as gc's: same method and
//! path, same query and body fields with the same values, whatever the
//! encoding (a JSON `"a,b"`, a form `a,b` and a form `x[]=a&x[]=b` are the
//! same list).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use crate::support::{Recorded, Reply, Server};
use gitcode::lenient::CommaList;
use gitcode::prelude::*;
use gitcode::types;
use gitcode_codegen::evidence::peer_wire::{Recording, hold, load};
use gitcode_codegen::spec::Spec;
use serde_json::{Value, json};

fn client(server: &Server) -> gitcode::Client {
    gitcode::Client::builder()
        .base_url(&server.url)
        .token("t0ken")
        .no_rate_limit()
        .build()
        .unwrap()
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The spec, loaded once for every test of this module.
fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| Spec::load(&root().join("spec")).unwrap_or_else(|e| panic!("{e}")))
}

/// gc's recorded requests, read once.
fn recordings() -> &'static [Recording] {
    static RECORDINGS: OnceLock<Vec<Recording>> = OnceLock::new();
    RECORDINGS.get_or_init(|| load(root()).unwrap_or_else(|e| panic!("{e}")))
}

/// Our request as a recording, to hold it against the spec like gc's.
fn as_recording(request: &Recorded, action: &str) -> Recording {
    Recording {
        command: format!("gitcode client: {action}"),
        method: request.method.clone(),
        path: request.path().to_string(),
        query: serde_urlencoded::from_str(request.query()).expect("a query string"),
        content_type: request.header("content-type").map(String::from),
        auth: request
            .header("authorization")
            .and_then(|a| a.split(' ').next())
            .map(String::from),
        body: request.body_text(),
        origin: "the wire".into(),
    }
}

/// Every field a request carries, query and body, each value as text and a
/// list as its items joined by commas. A field sent in both places
/// (`x-gitcode-body-in-query`) counts once when both say the same.
fn fields(recording: &Recording) -> BTreeMap<String, String> {
    fn add(map: &mut BTreeMap<String, String>, name: &str, value: String) {
        let name = name.strip_suffix("[]").unwrap_or(name).to_string();
        map.entry(name)
            .and_modify(|v| {
                v.push(',');
                v.push_str(&value);
            })
            .or_insert(value);
    }
    let mut query = BTreeMap::new();
    for (name, value) in &recording.query {
        add(&mut query, name, value.clone());
    }
    let mut body = BTreeMap::new();
    let text_body = recording.body.trim();
    if text_body.starts_with('{') {
        let object: serde_json::Map<String, Value> = serde_json::from_str(text_body).unwrap();
        for (name, value) in object {
            add(&mut body, &name, text(&value));
        }
    } else if !text_body.is_empty() {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(text_body).unwrap();
        for (name, value) in pairs {
            add(&mut body, &name, value);
        }
    }
    for (name, value) in body {
        match query.get(&name) {
            Some(same) if *same == value => {}
            Some(other) => {
                let both = format!("query {other:?}, body {value:?}");
                query.insert(name, both);
            }
            None => {
                query.insert(name, value);
            }
        }
    }
    query
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// gc's request for `command` with this method, from the fixtures.
fn gc_request(command: &str, method: &str) -> &'static Recording {
    recordings()
        .iter()
        .find(|r| r.command == command && r.method == method)
        .unwrap_or_else(|| panic!("no recorded {method} for `{command}`"))
}

/// Our request fits the spec and carries what gc's carries.
fn assert_does_what_gc_does(ours: &Recorded, command: &str) {
    let gc = gc_request(command, &ours.method);
    let ours = as_recording(ours, command);
    let held = hold(spec(), &ours);
    assert!(
        held.fits(),
        "{ours}\ndoes not fit the spec: {:#?}",
        held.disagreements
    );
    assert_eq!(ours.path, gc.path, "path, for `{command}`");
    assert_eq!(
        fields(&ours),
        fields(gc),
        "fields, for `{command}`\nours: {ours}\ngc:   {gc}"
    );
}

fn issue() -> Reply {
    Reply::json(
        200,
        json!({"number": "1", "title": "Inspector Gold Film", "state": "open"}),
    )
}

#[tokio::test]
async fn an_issue_created_with_a_title_only() {
    let server = Server::start(vec![issue()]).await;
    client(&server)
        .create_repo_issue()
        .owner("o")
        .repo("r")
        .body_map(|b| b.title("NoBody"))
        .send()
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(request.body_text(), "title=NoBody");
    assert_does_what_gc_does(&request, "gc issue create -R o/r --title NoBody");
}

#[tokio::test]
async fn an_issue_created_with_a_body_and_a_milestone() {
    let server = Server::start(vec![issue()]).await;
    client(&server)
        .create_repo_issue()
        .owner("o")
        .repo("r")
        .body_map(|b| {
            b.title("Bug2")
                .body(Some("Desc".to_string()))
                .milestone(Some(1))
        })
        .send()
        .await
        .unwrap();
    assert_does_what_gc_does(
        &server.only_request(),
        "gc issue create -R o/r --title Bug2 --body Desc --milestone 1",
    );
}

/// As gc's `CreateIssue` sends them (api/queries_issue.go): a list in a
/// form is one field per item. No recording shows it (gc's recorded create
/// with labels took the JSON route), so the request is held against the spec.
#[tokio::test]
async fn an_issue_created_with_labels_and_assignees_as_repeated_fields() {
    let server = Server::start(vec![issue()]).await;
    client(&server)
        .create_repo_issue()
        .owner("o")
        .repo("r")
        .body_map(|b| {
            b.title("Bug")
                .labels(["bug", "good first"])
                .assignee_ids([7, 8])
        })
        .send()
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(
        request.body_text(),
        "assignee_ids%5B%5D=7&assignee_ids%5B%5D=8&labels%5B%5D=bug&labels%5B%5D=good+first&title=Bug"
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let held = hold(
        spec(),
        &as_recording(&request, "create an issue with labels"),
    );
    assert!(held.fits(), "{:#?}", held.disagreements);
}

#[tokio::test]
async fn a_raw_form_sends_a_list_as_repeated_fields_too() {
    let server = Server::start(vec![issue()]).await;
    client(&server)
        .request(reqwest::Method::POST, "/api/v5/repos/o/r/issues")
        .form(&json!({"title": "Bug", "labels[]": ["a", "b"]}))
        .send_raw()
        .await
        .unwrap();
    assert_eq!(
        server.only_request().body_text(),
        "labels%5B%5D=a&labels%5B%5D=b&title=Bug"
    );
}

#[tokio::test]
async fn a_release_created_with_only_a_tag() {
    let server = Server::start(vec![Reply::json(200, json!({"tag_name": "v9.1.0"}))]).await;
    client(&server)
        .create_release()
        .owner("o")
        .repo("r")
        .body_map(|b| b.tag_name("v9.1.0"))
        .send()
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(request.body_text(), r#"{"tag_name":"v9.1.0"}"#);
    assert_does_what_gc_does(&request, "gc release create v9.1.0 -R o/r");
}

#[tokio::test]
async fn a_repository_edited_without_its_name() {
    let server = Server::start(vec![Reply::json(200, json!({"name": "r"}))]).await;
    client(&server)
        .update_repo()
        .owner("o")
        .repo("r")
        .body_map(|b| {
            b.description(Some("nd".to_string()))
                .homepage(Some("https://x.test".to_string()))
        })
        .send()
        .await
        .unwrap();
    assert_does_what_gc_does(
        &server.only_request(),
        "gc repo edit --description nd --homepage https://x.test -R o/r",
    );
}

#[tokio::test]
async fn a_label_created_with_its_fields_in_the_query() {
    let server = Server::start(vec![Reply::json(200, json!({"name": "bug2"}))]).await;
    client(&server)
        .create_repo_label()
        .owner("o")
        .repo("r")
        .name("bug2")
        .color("#ff0000")
        .description("d")
        .send()
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(
        request.query(),
        "color=%23ff0000&description=d&name=bug2",
        "where the server reads them"
    );
    assert!(request.body.is_empty(), "and no body: {:?}", request.body);
    assert_does_what_gc_does(
        &request,
        "gc label create bug2 --color '#ff0000' --description d -R o/r",
    );
}

#[tokio::test]
async fn a_release_deleted_by_its_tag() {
    let server = Server::start(vec![Reply::empty(204)]).await;
    client(&server)
        .delete_release()
        .owner("o")
        .repo("r")
        .tag("v1.0.0")
        .send()
        .await
        .unwrap();
    assert_does_what_gc_does(
        &server.only_request(),
        "gc release delete v1.0.0 --yes -R o/r",
    );
}

#[tokio::test]
async fn an_issue_reopened_and_labelled() {
    let server = Server::start(vec![issue()]).await;
    let client = client(&server);
    client
        .update_issue()
        .owner("o")
        .number("1")
        .body_map(|b| {
            b.repo("r")
                .title(Some("Inspector Gold Film".to_string()))
                .state(Some(types::UpdateIssueBodyState::Reopen))
        })
        .send()
        .await
        .unwrap();
    client
        .update_issue()
        .owner("o")
        .number("1")
        .body_map(|b| {
            b.repo("r")
                .title(Some("Inspector Gold Film".to_string()))
                .labels(Some(CommaList::from(["bug", "perf"])))
        })
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_does_what_gc_does(&requests[0], "gc issue reopen 1 --yes -R o/r");
    assert_does_what_gc_does(&requests[1], "gc issue label 1 --add bug,perf -R o/r");
}

#[tokio::test]
async fn pull_requests_closed_marked_draft_and_relabelled_as_forms() {
    let server = Server::start(vec![Reply::json(200, json!({"number": 1}))]).await;
    let client = client(&server);
    let update = || client.update_pull_request().owner("o").repo("r").number(1);
    update()
        .body_map(|b| b.state(Some(types::UpdatePullRequestBodyState::Closed)))
        .send()
        .await
        .unwrap();
    update()
        .body_map(|b| b.draft(Some(true)))
        .send()
        .await
        .unwrap();
    update()
        .body_map(|b| {
            b.title(Some("T2".to_string()))
                .labels(Some(CommaList::from(["label1", "bug"])))
        })
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(requests[0].body_text(), "state=closed");
    assert_does_what_gc_does(&requests[0], "gc pr close 1 --yes -R o/r");
    assert_does_what_gc_does(&requests[1], "gc pr ready 1 --wip --yes -R o/r");
    assert_does_what_gc_does(
        &requests[2],
        "gc pr edit 1 --title T2 --add-label bug --add-assignee octo --add-reviewer octo -R o/r",
    );
}

/// The spec names the labels of a new pull request once, as the docs'
/// comma-separated `labels` (a second property `labels[]` would cost the
/// Python client the whole operation: spec/README.md, "Other languages").
/// gc's `labels[]=bug` still fits it, read as the list `labels`, and our
/// `labels=bug` carries the same fields.
#[tokio::test]
async fn a_pull_request_created_with_labels() {
    let command =
        "gc pr create -R o/r --title Feat --body Desc --head feat --base main --labels bug";
    let gc = gc_request(command, "POST");
    assert_eq!(
        gc.body,
        "base=main&body=Desc&head=feat&labels%5B%5D=bug&title=Feat"
    );
    let held = hold(spec(), gc);
    assert!(held.fits(), "{:#?}", held.disagreements);

    let server = Server::start(vec![Reply::json(201, json!({"number": 12}))]).await;
    client(&server)
        .create_pull_request()
        .owner("o")
        .repo("r")
        .body_map(|b| {
            b.title("Feat")
                .body("Desc")
                .head("feat")
                .base("main")
                .labels(["bug"])
        })
        .send()
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(
        request.body_text(),
        "base=main&body=Desc&head=feat&labels=bug&title=Feat"
    );
    assert_does_what_gc_does(&request, command);
}

/// No recording clears labels, but gc's source states the rule
/// (api/queries_pr.go): `labels=` is rejected as a missing parameter, a lone
/// `,` clears them.
#[tokio::test]
async fn labels_cleared_with_a_lone_comma() {
    let server = Server::start(vec![Reply::json(200, json!({"number": 1}))]).await;
    client(&server)
        .update_pull_request()
        .owner("o")
        .repo("r")
        .number(1)
        .body_map(|b| b.labels(Some(CommaList::clear())))
        .send()
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(request.body_text(), "labels=%2C");
    let held = hold(spec(), &as_recording(&request, "clear the labels"));
    assert!(held.fits(), "{:?}", held.disagreements);
}

/// A value the spec does not list is sent as is, and decoded as is.
#[tokio::test]
async fn values_the_spec_does_not_list_still_go_through() {
    let server = Server::start(vec![Reply::json(200, json!({"number": 1}))]).await;
    client(&server)
        .update_issue()
        .owner("o")
        .number("1")
        .body_map(|b| b.repo("r").state(Some("closed".into())))
        .send()
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&server.only_request().body).unwrap();
    assert_eq!(body["state"], json!("closed"));

    let decoded: types::UpdateIssueBodyState = serde_json::from_value(json!("closed")).unwrap();
    assert_eq!(decoded, types::UpdateIssueBodyState::Other("closed".into()));
    assert_eq!(decoded.to_string(), "closed");
    let known: types::UpdateIssueBodyState = serde_json::from_value(json!("reopen")).unwrap();
    assert_eq!(known, types::UpdateIssueBodyState::Reopen);
    assert_eq!(
        types::UpdateIssueBodyState::from("close"),
        types::UpdateIssueBodyState::Close
    );
}
