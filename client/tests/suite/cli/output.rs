//! What commands print: the body as sent, warnings, `--strict`, `--jq`.

use serde_json::json;

use super::gitcode;
use crate::support::{Reply, Server};

/// A body whose key order a re-serialised model would not keep, with a
/// field the spec lacks, a `null` and a number longer than `u64`.
const PROFILE: &str = r#"{"login":"alice","zz_new_field":{"b":1,"a":[null,2]},"id":"5f3a","name":null,"big":123456789012345678901234}"#;

#[tokio::test]
async fn a_field_the_spec_lacks_and_a_null_print_as_sent() {
    let server = Server::start(vec![Reply::bytes(
        200,
        "application/json",
        PROFILE.as_bytes(),
    )])
    .await;
    let run = gitcode(&server, &["get-authenticated-user"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        r#"{
  "login": "alice",
  "zz_new_field": {
    "b": 1,
    "a": [
      null,
      2
    ]
  },
  "id": "5f3a",
  "name": null,
  "big": 123456789012345678901234
}
"#
    );
    assert_eq!(run.stderr, "", "a body that fits warns about nothing");
}

#[tokio::test]
async fn a_mismatch_is_one_warning_and_fails_under_strict() {
    let body = br#"{"login":"alice","name":{"first":"Alice"},"email":"a@example.com"}"#;
    let server = Server::start(vec![Reply::bytes(200, "application/json", body)]).await;

    let run = gitcode(&server, &["get-authenticated-user"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        printed["name"],
        json!({"first": "Alice"}),
        "printed as sent, not as repaired"
    );
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with("warning: get_authenticated_user: `name` does not fit the spec"),
        "{}",
        run.stderr
    );

    let run = gitcode(&server, &["--strict", "get-authenticated-user"]).await;
    assert_eq!(run.code, 8, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("at `name`"), "{}", run.stderr);
}

#[tokio::test]
async fn jq_prints_one_value() {
    let server = Server::start(vec![Reply::bytes(
        200,
        "application/json",
        PROFILE.as_bytes(),
    )])
    .await;
    let run = gitcode(&server, &["get-authenticated-user", "--jq", ".login"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "alice\n");

    let run = gitcode(
        &server,
        &[
            "--jq",
            ".zz_new_field | keys_unsorted",
            "get-authenticated-user",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout, "[\"b\",\"a\"]\n",
        "compact on a pipe, in the order sent"
    );
}

#[tokio::test]
async fn an_invalid_jq_expression_is_a_usage_error_before_any_request() {
    let server = Server::start(vec![Reply::json(200, json!({"login": "alice"}))]).await;
    let run = gitcode(&server, &["get-authenticated-user", "--jq", ".login |"]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: invalid --jq expression: expected"),
        "{}",
        run.stderr
    );
    assert!(server.requests().is_empty());

    // A filter that fails on the answer is exit 1, after the request.
    let run = gitcode(&server, &["get-authenticated-user", "--jq", ".login.x"]).await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("jq: cannot index"), "{}", run.stderr);
}

/// A JSON list of `n` items numbered from `from`, each `item`'s text as
/// written, so that fields and numbers reach the CLI exactly so.
fn list_as_sent(from: usize, n: usize, item: impl Fn(usize) -> String) -> Reply {
    let items: Vec<String> = (from..from + n).map(item).collect();
    Reply::bytes(
        200,
        "application/json",
        format!("[{}]", items.join(",")).as_bytes(),
    )
}

#[tokio::test]
async fn all_with_jq_filters_the_merged_array() {
    let page = |from, n| list_as_sent(from, n, |i| format!(r#"{{"number":"{i}","extra":{i}}}"#));
    let server = Server::start(vec![page(1, 100), page(101, 2)]).await;
    let run = gitcode(
        &server,
        &[
            "list-repo-issues",
            "--owner",
            "o",
            "--repo",
            "r",
            "--all",
            "--jq",
            "length, .[101].extra",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout, "102\n102\n",
        "fields the spec lacks survive the merge"
    );
}

/// `--all` on a search reads it at the page size the search serves (20
/// repositories a page), so a page of 20 is not taken for the last.
#[tokio::test]
async fn all_reads_a_search_at_its_own_page_size() {
    let page = |from, n| list_as_sent(from, n, |i| format!(r#"{{"id":{i},"full_name":"o/r{i}"}}"#));
    let server = Server::start(vec![page(1, 20), page(21, 3)]).await;
    let run = gitcode(
        &server,
        &[
            "search-repositories",
            "--q",
            "rust",
            "--all",
            "--jq",
            "length",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "23\n");
    assert_eq!(
        server.queries(),
        ["page=1&per_page=20&q=rust", "page=2&per_page=20&q=rust"]
    );
}

#[tokio::test]
async fn a_delete_prints_what_the_server_sent_if_anything() {
    let server = Server::start(vec![Reply::empty(204)]).await;
    let run = gitcode(
        &server,
        &[
            "delete-repo-label",
            "--owner",
            "o",
            "--repo",
            "r",
            "--label-name",
            "bug",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");

    let server = Server::start(vec![Reply::bytes(
        200,
        "application/json",
        br#"{"deleted":true}"#,
    )])
    .await;
    let run = gitcode(
        &server,
        &[
            "delete-repo-label",
            "--owner",
            "o",
            "--repo",
            "r",
            "--label-name",
            "bug",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "{\n  \"deleted\": true\n}\n");
}
