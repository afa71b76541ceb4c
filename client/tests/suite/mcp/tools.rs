//! tools/list: every operation, the default set, read-only, dynamic.

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::json;

use super::{Session, is_error, text};
use crate::support::{Reply, Server};

fn spec_operations() -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let spec = gitcode_codegen::spec::Spec::load(&dir).expect("the spec loads");
    spec.operations
        .iter()
        .map(|op| op.operation_id.clone())
        .collect()
}

fn method_of(name: &str) -> String {
    gitcode::mcp::tools()
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.method.to_string())
        .unwrap_or_default()
}

/// The operations the spec marks `x-gitcode-destructive`, read from the
/// bundled document rather than the generated table.
fn marked_destructive() -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/bundled/openapi.json");
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the bundled spec")).unwrap();
    let mut marked = BTreeSet::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if op.get("x-gitcode-destructive").is_some() {
                marked.insert(op["operationId"].as_str().unwrap().to_string());
            }
        }
    }
    marked
}

#[tokio::test]
async fn all_lists_every_operation_with_a_valid_schema_and_annotations() {
    let server = Server::start(vec![Reply::empty(500)]).await;
    let session = Session::start(&server, &["--toolsets", "all"]).await;
    let info = session.client.peer_info().expect("initialized");
    assert_eq!(
        info.server_info.as_ref().map(|i| i.name.as_str()),
        Some("gitcode")
    );
    assert!(info.capabilities.tools.is_some());

    let tools = session.tools().await;
    let names: BTreeSet<String> = tools.iter().map(|t| t.name.to_string()).collect();
    let marked = marked_destructive();
    assert!(
        marked.contains("transfer_repo") && marked.contains("replace_repo_labels"),
        "{marked:?}"
    );
    assert_eq!(names, spec_operations());
    assert_eq!(names.len(), tools.len(), "no tool listed twice");

    for tool in &tools {
        let schema = serde_json::Value::Object((*tool.input_schema).clone());
        if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
            panic!("`{}`: not a valid 2020-12 schema: {e}\n{schema}", tool.name);
        }
        assert_eq!(schema["type"], "object", "{}", tool.name);
        let description = tool.description.as_deref().unwrap_or_default();
        assert!(
            description.contains("https://docs.gitcode.com/")
                || description.contains("Undocumented"),
            "`{}`: no docs link: {description}",
            tool.name
        );
        let a = tool.annotations.as_ref().expect("annotations");
        let method = method_of(&tool.name);
        assert_eq!(a.read_only_hint, Some(method == "GET"), "{}", tool.name);
        let is_marked = marked.contains(tool.name.as_ref());
        assert_eq!(
            a.destructive_hint,
            Some(method == "DELETE" || is_marked),
            "{}",
            tool.name
        );
        assert_eq!(
            description.contains("Destructive: "),
            is_marked,
            "`{}`: a marked tool says what it does that cannot be undone: {description}",
            tool.name
        );
        assert_eq!(
            a.idempotent_hint,
            Some(matches!(method.as_str(), "GET" | "PUT" | "DELETE")),
            "{}",
            tool.name
        );
        assert_eq!(a.open_world_hint, Some(true), "{}", tool.name);
    }

    let undocumented = tools
        .iter()
        .find(|t| t.name == "delete_release")
        .expect("an undocumented operation is listed");
    assert!(
        undocumented
            .description
            .as_deref()
            .unwrap_or_default()
            .starts_with("Delete")
            && undocumented
                .description
                .as_deref()
                .unwrap_or_default()
                .contains("Undocumented: GitCode's docs lack this operation"),
        "{:?}",
        undocumented.description
    );
    let list = tools.iter().find(|t| t.name == "list_repo_issues").unwrap();
    let list_schema = &list.input_schema;
    assert!(list_schema["properties"]["page"].is_object());
    assert!(list_schema["properties"]["per_page"].is_object());
    assert!(
        list.description
            .as_deref()
            .unwrap_or_default()
            .contains("One page per call (`page`, `per_page`; the result's last line says what follows), or every page with `all_pages` (up to `max_items`).")
    );
    assert!(server.requests().is_empty(), "listing sends nothing");
    session.stop().await;
}

#[tokio::test]
async fn the_default_set_is_the_everyday_toolsets_in_at_most_100_tools() {
    let server = Server::start(vec![Reply::empty(500)]).await;
    let session = Session::start(&server, &[]).await;
    let tools = session.tools().await;
    assert!(tools.len() <= 100, "{} tools", tools.len());
    let names: BTreeSet<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    for name in [
        "list_repo_issues",
        "create_issue",
        "create_pull_request",
        "merge_pull_request",
        "compare_commits",
        "search_repositories",
    ] {
        assert!(names.contains(name), "{name} not in the default set");
    }
    assert!(!names.contains("delete_repo"));
    session.stop().await;

    // `--tools` adds single operations to it.
    let session = Session::start(&server, &["--tools", "get_repo_contents"]).await;
    let more = session.tools().await;
    assert_eq!(more.len(), tools.len() + 1);
    session.stop().await;
}

#[tokio::test]
async fn read_only_lists_only_gets_and_refuses_a_write_sending_nothing() {
    let server = Server::start(vec![Reply::json(201, json!({"number": "1"}))]).await;
    let session = Session::start(&server, &["--toolsets", "all", "--read-only"]).await;
    let tools = session.tools().await;
    assert!(!tools.is_empty());
    for tool in &tools {
        assert_eq!(
            tool.annotations.as_ref().and_then(|a| a.read_only_hint),
            Some(true),
            "{} is listed in read-only mode",
            tool.name
        );
    }
    let result = session
        .call(
            "create_issue",
            json!({"owner": "o", "repo": "r", "title": "t"}),
        )
        .await;
    assert!(is_error(&result));
    assert!(text(&result).contains("read-only"), "{}", text(&result));
    assert!(
        text(&result).contains("nothing was sent"),
        "{}",
        text(&result)
    );
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    session.stop().await;
}

#[tokio::test]
async fn dynamic_starts_with_discovery_and_grows_on_enable() {
    let server = Server::start(vec![Reply::json(200, json!([]))]).await;
    let session = Session::start(&server, &["--dynamic"]).await;
    let first: Vec<String> = session
        .tools()
        .await
        .iter()
        .map(|t| t.name.to_string())
        .collect();
    assert_eq!(
        first,
        [
            "list_available_toolsets",
            "get_toolset_tools",
            "enable_toolset"
        ]
    );

    let toolsets = session.call("list_available_toolsets", json!({})).await;
    let listed = toolsets.structured_content.expect("structured");
    let labels = listed["toolsets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "labels")
        .expect("a labels toolset");
    assert_eq!(labels["enabled"], false);

    let shown = session
        .call("get_toolset_tools", json!({"toolset": "labels"}))
        .await;
    assert!(
        text(&shown).contains("list_repo_labels"),
        "{}",
        text(&shown)
    );

    // Not enabled yet: refused by name.
    let refused = session
        .call("list_repo_labels", json!({"owner": "o", "repo": "r"}))
        .await;
    assert!(is_error(&refused));
    assert!(
        text(&refused).contains("enable_toolset"),
        "{}",
        text(&refused)
    );

    let enabled = session
        .call("enable_toolset", json!({"toolset": "labels"}))
        .await;
    assert!(!is_error(&enabled), "{}", text(&enabled));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while session.agent.list_changed.load(Ordering::SeqCst) == 0 {
        assert!(tokio::time::Instant::now() < deadline, "no list_changed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let after = session.tools().await;
    assert!(after.len() > 3);
    assert!(after.iter().any(|t| t.name == "list_repo_labels"));

    let served = session
        .call("list_repo_labels", json!({"owner": "o", "repo": "r"}))
        .await;
    assert!(!is_error(&served), "{}", text(&served));
    assert_eq!(server.requests().len(), 1);

    let unknown = session
        .call("enable_toolset", json!({"toolset": "nope"}))
        .await;
    assert!(is_error(&unknown));
    session.stop().await;
}

#[tokio::test]
async fn bad_flags_are_usage_errors() {
    let run = crate::cli::Cli::new(&["mcp", "--toolsets", "isues"])
        .run()
        .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no toolset `isues`"), "{}", run.stderr);
    let run = crate::cli::Cli::new(&["mcp", "--tools", "get_isue"])
        .run()
        .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = crate::cli::Cli::new(&["mcp", "--http", "0.0.0.0:0"])
        .run()
        .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("not a loopback address"),
        "{}",
        run.stderr
    );
    let run = crate::cli::Cli::new(&["mcp", "--http", "0.0.0.0:0", "--http-allow-remote"])
        .run()
        .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// A client that prefers the newest protocol it knows (rmcp's own default,
/// 2026-07-28, which has no `initialize`) is served at the newest version
/// the server has.
#[tokio::test]
async fn a_client_preferring_a_newer_protocol_is_served_at_the_newest_served() {
    #[derive(Clone)]
    struct Newest;
    impl rmcp::ClientHandler for Newest {
        fn get_info(&self) -> rmcp::model::ClientConfig {
            rmcp::model::ClientConfig::default()
        }
    }
    let server = Server::start(vec![Reply::json(200, json!({"number": "1"}))]).await;
    let client = gitcode::Client::builder()
        .base_url(&server.url)
        .build()
        .unwrap();
    let (server_end, client_end) = tokio::io::duplex(1 << 20);
    let mcp = gitcode::mcp::Server::new(client, super::selection(&["default"], false, false));
    tokio::spawn(async move {
        if let Ok(running) = rmcp::ServiceExt::serve(mcp, server_end).await {
            let _ = running.waiting().await;
        }
    });
    let agent = rmcp::ServiceExt::serve(Newest, client_end)
        .await
        .expect("initialize succeeds");
    assert_eq!(
        agent.peer_info().map(|i| i.protocol_version.clone()),
        Some(gitcode::mcp::NEWEST_PROTOCOL_VERSION)
    );
    let result = agent
        .call_tool(
            rmcp::model::CallToolRequestParams::new("get_issue").with_arguments(
                json!({"owner": "o", "repo": "r", "number": "1"})
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
        )
        .await
        .expect("tools/call answers");
    assert!(!is_error(&result), "{}", text(&result));
    let _ = agent.cancel().await;
}
