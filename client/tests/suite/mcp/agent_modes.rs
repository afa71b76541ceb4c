//! What an agent meets across tools: one rule for ids (an integer or a
//! string, everywhere), every page of a list in one call (`all_pages`, with
//! its cap), and the middle mode `--no-destructive`.

use serde_json::{Value, json};

use super::{Session, is_error, selection, text};
use crate::support::{Reply, Server};

/// Every id or number argument of every tool takes an integer and a
/// string, in `anyOf` branches of one type each (no `type` list anywhere).
#[tokio::test]
async fn every_id_argument_takes_an_integer_or_a_string_in_single_type_branches() {
    let server = Server::start(Vec::new()).await;
    let session = Session::start(&server, &["--toolsets", "all"]).await;
    let tools = session.tools().await;
    assert_eq!(tools.len(), gitcode::mcp::tools().len());
    let mut ids = 0;
    for tool in &tools {
        let schema = Value::Object((*tool.input_schema).clone());
        no_type_lists(&schema, tool.name.as_ref());
        for (name, property) in schema["properties"].as_object().unwrap() {
            let is_id = matches!(name.as_str(), "number" | "id" | "iid")
                || name.ends_with("_id")
                || name.ends_with("_number");
            if !is_id {
                continue;
            }
            ids += 1;
            let branches: Vec<&str> = property["anyOf"]
                .as_array()
                .unwrap_or_else(|| panic!("{}.{name}: no anyOf: {property}", tool.name))
                .iter()
                .filter_map(|b| b["type"].as_str())
                .collect();
            assert!(
                branches.contains(&"integer") && branches.contains(&"string"),
                "{}.{name}: {property}",
                tool.name
            );
        }
    }
    assert!(ids > 100, "{ids} id arguments");
    session.stop().await;
}

fn no_type_lists(schema: &Value, at: &str) {
    match schema {
        Value::Object(object) => {
            assert!(
                !object.get("type").is_some_and(Value::is_array),
                "{at}: a type list: {schema}"
            );
            for (key, value) in object {
                no_type_lists(value, &format!("{at}.{key}"));
            }
        }
        Value::Array(list) => list.iter().for_each(|v| no_type_lists(v, at)),
        _ => {}
    }
}

/// The operation takes a string (`role_id`), an integer
/// (`milestone_number`, given as digits), or either (`number`): each form
/// the agent sends is taken, and reaches the wire as the operation takes it.
#[tokio::test]
async fn an_id_sent_in_the_other_form_goes_out_as_the_operation_takes_it() {
    let server = Server::start(vec![
        Reply::json(200, json!({"number": "7"})),
        Reply::json(200, json!({"number": 8})),
        Reply::json(200, json!({})),
    ])
    .await;
    let session = Session::start(&server, &["--toolsets", "all"]).await;
    let issue = session
        .call("get_issue", json!({"owner": "o", "repo": "r", "number": 7}))
        .await;
    assert!(!is_error(&issue), "{}", text(&issue));
    let pr = session
        .call(
            "update_pull_request",
            json!({"owner": "o", "repo": "r", "number": "8", "milestone_number": "3"}),
        )
        .await;
    assert!(!is_error(&pr), "{}", text(&pr));
    let invite = session
        .call(
            "invite_org_member",
            json!({"org": "acme", "username": "ann", "permission": "customized", "role_id": 12}),
        )
        .await;
    assert!(!is_error(&invite), "{}", text(&invite));
    let requests = server.requests();
    assert_eq!(requests[0].path(), "/api/v5/repos/o/r/issues/7");
    assert_eq!(requests[1].path(), "/api/v5/repos/o/r/pulls/8");
    // A form (as gc sends it): the integer the typed body took, as digits.
    assert!(
        requests[1]
            .body_text()
            .split('&')
            .any(|field| field == "milestone_number=3"),
        "{}",
        requests[1].body_text()
    );
    let body: Value = serde_json::from_str(&requests[2].body_text()).unwrap();
    assert_eq!(body["role_id"], json!("12"), "{body}");

    // Digits are the only string an integer takes.
    let refused = session
        .call(
            "update_pull_request",
            json!({"owner": "o", "repo": "r", "number": 8, "milestone_number": "three"}),
        )
        .await;
    assert!(is_error(&refused));
    assert!(
        text(&refused).contains("argument `milestone_number`")
            && text(&refused).contains("nothing was sent"),
        "{}",
        text(&refused)
    );
    assert_eq!(server.requests().len(), 3);
    session.stop().await;
}

fn issues(from: usize, count: usize) -> Value {
    Value::Array(
        (from..from + count)
            .map(|n| json!({"number": n.to_string(), "id": n as u64 * 1000}))
            .collect(),
    )
}

fn numbers(result: &rmcp::model::CallToolResult) -> Vec<String> {
    let items: Vec<Value> = serde_json::from_str(&text(result)).expect("a JSON array");
    items
        .iter()
        .map(|i| i["number"].as_str().unwrap().to_string())
        .collect()
}

fn last_line(result: &rmcp::model::CallToolResult) -> String {
    result.content[1].as_text().expect("a line").text.clone()
}

#[tokio::test]
async fn all_pages_answers_one_array_of_every_page() {
    let server = Server::start(vec![
        Reply::json(200, issues(1, 100)).header("total_page", "3"),
        Reply::json(200, issues(101, 100)).header("total_page", "3"),
        Reply::json(200, issues(201, 20)).header("total_page", "3"),
    ])
    .await;
    let session = Session::start(&server, &[]).await;
    let result = session
        .call(
            "list_repo_issues",
            json!({"owner": "o", "repo": "r", "all_pages": true, "state": "all"}),
        )
        .await;
    assert!(!is_error(&result), "{}", text(&result));
    let got = numbers(&result);
    assert_eq!(got.len(), 220);
    assert_eq!(got.first().unwrap(), "1");
    assert_eq!(got.last().unwrap(), "220");
    assert_eq!(last_line(&result), "All 220 items, from 3 pages.");
    let queries = server.queries();
    assert_eq!(queries.len(), 3, "{queries:?}");
    for (i, query) in queries.iter().enumerate() {
        assert!(query.contains(&format!("page={}", i + 1)), "{query}");
        assert!(query.contains("per_page=100"), "{query}");
        assert!(query.contains("state=all"), "{query}");
    }
    session.stop().await;
}

#[tokio::test]
async fn max_items_cuts_the_list_reads_no_page_past_it_and_says_so() {
    // 150 of 300: two pages read, the third never asked for.
    let server = Server::start(vec![
        Reply::json(200, issues(1, 100)),
        Reply::json(200, issues(101, 100)),
        Reply::json(200, issues(201, 100)),
    ])
    .await;
    let session = Session::start(&server, &[]).await;
    let result = session
        .call(
            "list_repo_issues",
            json!({"owner": "o", "repo": "r", "all_pages": true, "max_items": 150}),
        )
        .await;
    assert!(!is_error(&result), "{}", text(&result));
    assert_eq!(numbers(&result).len(), 150);
    assert_eq!(numbers(&result).last().unwrap(), "150");
    let line = last_line(&result);
    assert!(
        line.starts_with("Cut at max_items=150: the list goes on (page 2 of 100 items had more)."),
        "{line}"
    );
    assert_eq!(server.requests().len(), 2);

    // A cap met at a page's end: the next page says whether the list goes on.
    let server = Server::start(vec![
        Reply::json(200, issues(1, 100)),
        Reply::json(200, json!([])),
    ])
    .await;
    let session_two = Session::start(&server, &[]).await;
    let exact = session_two
        .call(
            "list_repo_issues",
            json!({"owner": "o", "repo": "r", "all_pages": true, "max_items": 100}),
        )
        .await;
    assert_eq!(numbers(&exact).len(), 100);
    assert_eq!(last_line(&exact), "All 100 items, from 2 pages.");

    // `page` with `all_pages` is refused before anything is sent.
    let refused = session
        .call(
            "list_repo_issues",
            json!({"owner": "o", "repo": "r", "all_pages": true, "page": 3}),
        )
        .await;
    assert!(is_error(&refused));
    assert!(
        text(&refused).contains("argument `page`") && text(&refused).contains("nothing was sent"),
        "{}",
        text(&refused)
    );
    let over = session
        .call(
            "list_repo_issues",
            json!({"owner": "o", "repo": "r", "all_pages": true, "max_items": 0}),
        )
        .await;
    assert!(
        text(&over).contains("argument `max_items`: expected at least 1"),
        "{}",
        text(&over)
    );
    session.stop().await;
    session_two.stop().await;
}

/// Without `max_items`, `all_pages` stops at the default the tool's schema
/// states, after reading one page past it to tell that the list goes on.
#[tokio::test]
async fn all_pages_without_max_items_stops_at_the_schemas_default() {
    let replies = (0..11).map(|page| Reply::json(200, issues(page * 100 + 1, 100)));
    let server = Server::start(replies.collect()).await;
    let session = Session::start(&server, &[]).await;
    let tools = session.tools().await;
    let list = tools.iter().find(|t| t.name == "list_repo_issues").unwrap();
    let default = list.input_schema["properties"]["max_items"]["default"]
        .as_u64()
        .expect("a default in the schema");
    let result = session
        .call(
            "list_repo_issues",
            json!({"owner": "o", "repo": "r", "all_pages": true}),
        )
        .await;
    assert!(!is_error(&result), "{}", text(&result));
    assert_eq!(numbers(&result).len() as u64, default);
    let line = last_line(&result);
    assert!(
        line.starts_with(&format!("Cut at max_items={default}: the list goes on")),
        "{line}"
    );
    assert_eq!(server.requests().len() as u64, default / 100 + 1);
    session.stop().await;
}

/// A search serves 50 issues a page: `all_pages` asks for 50, reads on
/// past a page of 50, and the cut line names the page size it read with.
#[tokio::test]
async fn all_pages_reads_a_search_at_the_page_size_it_serves() {
    let server = Server::start(vec![
        Reply::json(200, issues(1, 50)),
        Reply::json(200, issues(51, 50)),
        Reply::json(200, issues(101, 50)),
    ])
    .await;
    let session = Session::start(&server, &["--tools", "search_issues"]).await;
    let result = session
        .call(
            "search_issues",
            json!({"q": "bug", "all_pages": true, "max_items": 70}),
        )
        .await;
    assert!(!is_error(&result), "{}", text(&result));
    assert_eq!(numbers(&result).len(), 70);
    let line = last_line(&result);
    assert_eq!(
        line,
        "Cut at max_items=70: the list goes on (page 2 of 50 items had more). Raise \
         max_items, or read on from page=2 with per_page=50 without all_pages."
    );
    assert_eq!(
        server.queries(),
        ["page=1&per_page=50&q=bug", "page=2&per_page=50&q=bug"]
    );
    session.stop().await;
}

#[tokio::test]
async fn a_page_that_fails_fails_the_call_with_the_servers_answer() {
    let server = Server::start(vec![
        Reply::json(200, issues(1, 100)),
        Reply::json(
            403,
            json!({"error_code": 403, "error_code_name": "FORBIDDEN", "error_message": "no access"}),
        ),
    ])
    .await;
    let session = Session::start(&server, &[]).await;
    let result = session
        .call(
            "list_repo_issues",
            json!({"owner": "o", "repo": "r", "all_pages": true}),
        )
        .await;
    assert!(is_error(&result));
    assert!(text(&result).contains("no access"), "{}", text(&result));
    session.stop().await;
}

#[tokio::test]
async fn the_list_tools_schema_offers_all_pages_with_the_servers_default_cap() {
    let server = Server::start(Vec::new()).await;
    let session = Session::start(&server, &[]).await;
    let tools = session.tools().await;
    let list = tools.iter().find(|t| t.name == "list_repo_issues").unwrap();
    let properties = &list.input_schema["properties"];
    assert_eq!(properties["all_pages"]["type"], "boolean");
    assert_eq!(properties["max_items"]["default"], json!(1000));
    assert!(list.description.as_deref().unwrap().contains("all_pages"));
    let get = tools.iter().find(|t| t.name == "get_issue").unwrap();
    assert!(get.input_schema["properties"].get("all_pages").is_none());
    session.stop().await;
}

#[tokio::test]
async fn no_destructive_lists_and_calls_no_delete_with_any_other_choice() {
    let server = Server::start(vec![Reply::json(200, json!({"name": "bug"}))]).await;
    for args in [
        vec!["--toolsets", "all", "--no-destructive"],
        vec![
            "--toolsets",
            "search",
            "--tools",
            "delete_repo,get_repo_label",
            "--no-destructive",
        ],
    ] {
        let session = Session::start(&server, &args).await;
        let tools = session.tools().await;
        assert!(!tools.is_empty());
        for tool in &tools {
            let annotations = tool.annotations.as_ref().unwrap();
            assert_ne!(
                annotations.destructive_hint,
                Some(true),
                "{args:?}: {}",
                tool.name
            );
        }
        assert!(!tools.iter().any(|t| t.name == "delete_repo"));
        let refused = session
            .call("delete_repo", json!({"owner": "o", "repo": "r"}))
            .await;
        assert!(is_error(&refused));
        assert!(
            text(&refused).contains("no destructive tool (--no-destructive)")
                && text(&refused).contains("this tool deletes (DELETE)")
                && text(&refused).contains("nothing was sent"),
            "{}",
            text(&refused)
        );
        // A transfer deletes nothing, but cannot be undone by the caller:
        // the spec marks it, and it is refused the same.
        assert!(!tools.iter().any(|t| t.name == "transfer_repo"));
        let refused = session
            .call(
                "transfer_repo",
                json!({"owner": "o", "repo": "r", "new_owner": "elsewhere"}),
            )
            .await;
        assert!(is_error(&refused));
        assert!(
            text(&refused).contains("no destructive tool (--no-destructive)")
                && text(&refused).contains("does what cannot be undone")
                && text(&refused).contains("(POST); nothing was sent"),
            "{}",
            text(&refused)
        );
        session.stop().await;
    }
    assert!(server.requests().is_empty());

    // Writes that delete nothing are served; with --dynamic too.
    let session = Session::in_process(
        gitcode::Client::builder()
            .base_url(&server.url)
            .token(super::TOKEN)
            .build()
            .unwrap(),
        selection(&[], false, true).no_destructive(true),
    )
    .await;
    let enabled = session
        .call("enable_toolset", json!({"toolset": "labels"}))
        .await;
    assert!(!is_error(&enabled), "{}", text(&enabled));
    let listed = session
        .call("get_toolset_tools", json!({"toolset": "labels"}))
        .await;
    assert!(!text(&listed).contains("\"DELETE\""), "{}", text(&listed));
    let tools = session.tools().await;
    assert!(tools.iter().any(|t| t.name == "create_repo_label"));
    assert!(!tools.iter().any(|t| t.name == "delete_repo_label"));
    let label = session
        .call(
            "get_repo_label",
            json!({"owner": "o", "repo": "r", "label_name": "bug"}),
        )
        .await;
    assert!(!is_error(&label), "{}", text(&label));
    assert_eq!(server.requests().len(), 1);
    session.stop().await;
}
