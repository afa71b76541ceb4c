//! The token goes only where the caller meant: dot segments in path
//! parameters, redirects to other origins, plain HTTP.

use crate::support::{Recorded, Reply, Server};
use gitcode::auth::AuthMode;
use gitcode::prelude::*;
use gitcode::{ErrorKind, types};
use proptest::prelude::*;
use serde_json::json;

const TOKEN: &str = "gct_S3CRET_token";

fn client(server: &Server, mode: AuthMode) -> gitcode::Client {
    gitcode::Client::builder()
        .base_url(&server.url)
        .token(TOKEN)
        .auth_mode(mode)
        .no_rate_limit()
        .build()
        .unwrap()
}

/// Whether `request` carries the token anywhere.
fn carries_token(request: &Recorded) -> bool {
    request.target.contains(TOKEN)
        || request
            .headers
            .iter()
            .any(|(_, value)| value.contains(TOKEN))
}

fn assert_refused(err: &gitcode::Error, operation: &str, parameter: &str) {
    assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{err}");
    let text = err.to_string();
    assert!(text.starts_with(&format!("`{operation}`")), "{text}");
    assert!(
        text.contains(&format!("path parameter `{parameter}`")),
        "{text}"
    );
    assert!(!text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn dot_segments_in_path_parameters_are_refused_before_sending() {
    let server = Server::start(vec![Reply::json(200, json!([]))]).await;
    let client = client(&server, AuthMode::Bearer);

    let err = client
        .list_repo_issues()
        .owner("..")
        .repo("..")
        .send()
        .await
        .unwrap_err();
    assert_refused(&err, "list_repo_issues", "owner");

    for owner in ["%2e%2e", "%2E%2e", ".", "%252e%252e"] {
        let err = client
            .get_repo()
            .owner(owner)
            .repo("r")
            .send_raw()
            .await
            .unwrap_err();
        assert_refused(&err, "get_repo", "owner");
    }
    let err = client
        .get_repo()
        .owner("o")
        .repo("%2e%2e")
        .send()
        .await
        .unwrap_err();
    assert_refused(&err, "get_repo", "repo");

    // A file path keeps its slashes, so every one of its segments counts.
    for path in [
        "../../../../user",
        "docs/../../../user",
        "a/%2e%2e/b",
        "./x",
    ] {
        let err = client
            .get_repo_contents()
            .owner("o")
            .repo("r")
            .path(path)
            .send()
            .await
            .unwrap_err();
        assert_refused(&err, "get_repo_contents", "path");
    }
    let err = client
        .delete_repo_file()
        .owner("o")
        .repo("r")
        .path("../../../../user")
        .body(types::DeleteRepoFileBody {
            branch: None,
            message: "m".into(),
            sha: "s".into(),
        })
        .send()
        .await
        .unwrap_err();
    assert_refused(&err, "delete_repo_file", "path");

    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn names_that_merely_hold_dots_pass() {
    let server = Server::start(vec![Reply::bytes(200, "text/plain", b"ok")]).await;
    let client = client(&server, AuthMode::Bearer);
    client
        .get_repo_raw_file()
        .owner("my.org")
        .repo("app..v2")
        .path(".github/file..txt")
        .send_raw()
        .await
        .unwrap();
    client
        .get_repo()
        .owner("o")
        .repo("...")
        .send_raw()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].path(),
        "/api/v5/repos/my.org/app..v2/raw/.github/file..txt"
    );
    assert_eq!(requests[1].path(), "/api/v5/repos/o/...");
}

/// A redirect from the API server to a second server, in every auth mode:
/// the second server sees no credential, the first one did.
#[tokio::test]
async fn a_redirect_to_another_origin_carries_no_credential() {
    for mode in [
        AuthMode::Bearer,
        AuthMode::PrivateToken,
        AuthMode::QueryParameter,
    ] {
        let storage = Server::start(vec![Reply::bytes(200, "text/plain", b"file body")]).await;
        let api = Server::start(vec![
            Reply::empty(302).header("location", &format!("{}/blob/1?sig=abc", storage.url)),
        ])
        .await;
        let raw = client(&api, mode)
            .get_repo_raw_file()
            .owner("o")
            .repo("r")
            .path("README.md")
            .send_raw()
            .await
            .unwrap();
        assert_eq!(raw.body().as_ref(), b"file body", "{mode:?}");
        assert!(carries_token(&api.only_request()), "{mode:?}");
        let at_storage = storage.only_request();
        assert_eq!(at_storage.target, "/blob/1?sig=abc", "{mode:?}");
        assert!(!carries_token(&at_storage), "{mode:?}: {at_storage:?}");
        for header in ["authorization", "private-token", "referer", "cookie"] {
            assert_eq!(at_storage.header(header), None, "{mode:?}: {header}");
        }
    }
}

#[tokio::test]
async fn a_same_origin_redirect_keeps_the_credentials() {
    for mode in [
        AuthMode::Bearer,
        AuthMode::PrivateToken,
        AuthMode::QueryParameter,
    ] {
        let api = Server::start(vec![
            Reply::empty(301).header("location", "/api/v5/repos/o/renamed"),
            Reply::json(200, json!({"full_name": "o/renamed"})),
        ])
        .await;
        let repo = client(&api, mode)
            .get_repo()
            .owner("o")
            .repo("r")
            .send()
            .await
            .unwrap();
        assert_eq!(repo.full_name.as_deref(), Some("o/renamed"));
        let requests = api.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[1].path(), "/api/v5/repos/o/renamed");
        assert!(carries_token(&requests[1]), "{mode:?}: {:?}", requests[1]);
    }
}

#[tokio::test]
async fn a_redirect_loop_ends_with_an_error() {
    let api = Server::start(vec![Reply::empty(302).header("location", "/api/v5/user")]).await;
    let err = client(&api, AuthMode::Bearer)
        .get_authenticated_user()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Redirect, "{err}");
    assert!(err.to_string().contains("redirects"), "{err}");
    assert_eq!(api.requests().len(), 1 + gitcode::redirect::MAX_REDIRECTS);
}

#[test]
fn a_token_over_plain_http_to_another_host_is_refused() {
    for url in [
        "http://api.gitcode.com",
        "http://10.0.0.5:8080",
        "http://gitcode.example.invalid/api/v5",
    ] {
        let err = gitcode::Client::builder()
            .base_url(url)
            .token(TOKEN)
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("use an https:// base URL"), "{err}");
        assert!(!err.contains(TOKEN), "{err}");
        // Knowingly, it can be done.
        gitcode::Client::builder()
            .base_url(url)
            .token(TOKEN)
            .danger_allow_token_over_plain_http()
            .build()
            .unwrap();
        // Without a token there is nothing to leak.
        gitcode::Client::builder().base_url(url).build().unwrap();
    }
    for url in [
        "http://127.0.0.1:8080",
        "http://localhost:3000",
        "http://[::1]:80",
        "https://api.gitcode.com",
    ] {
        gitcode::Client::builder()
            .base_url(url)
            .token(TOKEN)
            .build()
            .unwrap_or_else(|e| panic!("{url}: {e}"));
    }
}

#[tokio::test]
async fn the_token_stays_out_of_errors_in_every_mode() {
    for mode in [
        AuthMode::Bearer,
        AuthMode::PrivateToken,
        AuthMode::QueryParameter,
    ] {
        let server = Server::start(vec![Reply::json(404, json!({"message": "nope"}))]).await;
        let client = client(&server, mode);
        let err = client.get_authenticated_user().send().await.unwrap_err();
        let refused = client
            .get_repo()
            .owner("..")
            .repo("r")
            .send()
            .await
            .unwrap_err();
        for text in [
            format!("{err} {err:?}"),
            format!("{refused} {refused:?}"),
            format!("{client:?}"),
        ] {
            assert!(!text.contains(TOKEN), "{mode:?}: {text}");
        }
    }
}

/// The path template of an operation as a pattern over the request target
/// as sent: a parameter is one segment (`[^/]*`), a slash-keeping one any
/// number of segments, none of them a dot segment.
fn stays_inside(template: &str, slash_keeping: &[&str], path: &str) -> bool {
    let mut pattern = String::from("^");
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        pattern.push_str(&regex_escape(&rest[..open]));
        let close = open + rest[open..].find('}').unwrap();
        let name = &rest[open + 1..close];
        pattern.push_str(if slash_keeping.contains(&name) {
            "[^?#]*"
        } else {
            "[^/?#]*"
        });
        rest = &rest[close + 1..];
    }
    pattern.push_str(&regex_escape(rest));
    pattern.push('$');
    let matches = regex::Regex::new(&pattern).unwrap().is_match(path);
    // What a URL parser takes for a dot segment (WHATWG URL: `.`, `..` and
    // their forms with `%2e`), in the path as sent.
    let no_dot_segments = path.split('/').all(|segment| {
        let lower = segment.to_ascii_lowercase().replace("%2e", ".");
        lower != "." && lower != ".."
    });
    matches && no_dot_segments
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if "\\.+*?()|[]{}^$".contains(c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}

/// Any string, with the characters that matter here (dots, slashes, `%`)
/// made likely.
fn parameter() -> impl Strategy<Value = String> {
    prop_oneof![
        "[./%2eE]{0,8}",
        "[a-z./%]{0,12}",
        "(\\.\\.|\\.|%2e|%2E|[a-z]{1,3})(/(\\.\\.|\\.|%2e%2e|[a-z]{1,3})){0,4}",
        any::<String>(),
    ]
}

proptest! {
    // No regression files: cases found once (a `\\` read as `/`) are unit
    // tests of `gitcode::paths`.
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_request_sent_stays_inside_its_path_template(
        owner in parameter(),
        repo in parameter(),
        path in parameter(),
        base in parameter(),
        head in parameter(),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let server = Server::start(vec![Reply::json(200, json!({}))]).await;
            let client = client(&server, AuthMode::Bearer);
            let mut sent = 0;
            let results = [
                client.get_repo().owner(owner.as_str()).repo(repo.as_str()).send_raw().await,
                client
                    .get_repo_contents()
                    .owner(owner.as_str())
                    .repo(repo.as_str())
                    .path(path.as_str())
                    .send_raw()
                    .await,
                client
                    .compare_commits()
                    .owner(owner.as_str())
                    .repo(repo.as_str())
                    .base(base.as_str())
                    .head(head.as_str())
                    .send_raw()
                    .await,
            ];
            for result in &results {
                match result {
                    Ok(_) => sent += 1,
                    Err(e) => prop_assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{}", e),
                }
            }
            let requests = server.requests();
            prop_assert_eq!(requests.len(), sent);
            let templates: [(&str, &[&str]); 3] = [
                ("/api/v5/repos/{owner}/{repo}", &[]),
                ("/api/v5/repos/{owner}/{repo}/contents/{path}", &["path"]),
                ("/api/v5/repos/{owner}/{repo}/compare/{base}...{head}", &[]),
            ];
            for request in &requests {
                let inside = templates
                    .iter()
                    .any(|(template, keep)| stays_inside(template, keep, request.path()));
                prop_assert!(inside, "{} left its template", request.target);
            }
            Ok(())
        })?;
    }
}
