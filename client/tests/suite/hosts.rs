//! Where requests go and what a failed connection says: the OAuth
//! endpoints on the web host, no `api-version` header, and transport errors
//! that name the host and the cause.

use crate::support::{Reply, Server};
use gitcode::prelude::*;
use gitcode::retry::RetryPolicy;
use gitcode::{ErrorKind, types};
use serde_json::json;

fn token_answer() -> Reply {
    Reply::json(
        200,
        json!({"access_token": "new", "token_type": "bearer", "expires_in": 3600}),
    )
}

async fn exchange(client: &gitcode::Client) -> Result<types::OAuthToken, gitcode::Error> {
    client
        .create_oauth_token()
        .grant_type("authorization_code")
        .code("c0de")
        .client_id("app")
        .body(types::OAuthTokenRequest::builder().client_secret(Some("s".into())))
        .send()
        .await
        .map(|r| r.into_inner())
}

/// `api.gitcode.com` and `gitcode.com` resolved to two loopback servers on
/// the same port, so the client builds its URLs exactly as it would for the
/// real hosts.
#[tokio::test]
async fn the_oauth_token_exchange_goes_to_the_web_host() {
    let api = Server::start(vec![Reply::json(200, json!({"login": "alice"}))]).await;
    let port = api.url.rsplit(':').next().unwrap().to_string();
    let Ok(web) = Server::start_at(&format!("127.0.0.2:{port}"), vec![token_answer()]).await else {
        eprintln!("skipped: 127.0.0.2:{port} cannot be bound here");
        return;
    };
    let http = reqwest::Client::builder()
        .resolve(
            "api.gitcode.com",
            format!("127.0.0.1:{port}").parse().unwrap(),
        )
        .resolve("gitcode.com", format!("127.0.0.2:{port}").parse().unwrap())
        .build()
        .unwrap();
    let client = gitcode::Client::builder()
        .base_url(format!("http://api.gitcode.com:{port}"))
        .token("personal-token")
        // Plain HTTP to a name that is not loopback: only for this test,
        // whose names resolve to loopback addresses.
        .danger_allow_token_over_plain_http()
        .reqwest_client(http)
        .no_rate_limit()
        .build()
        .unwrap();

    let token = exchange(&client).await.unwrap();
    assert_eq!(token.access_token.as_deref(), Some("new"));
    client.get_authenticated_user().send().await.unwrap();

    let at_web = web.only_request();
    assert_eq!(at_web.method, "POST");
    assert_eq!(at_web.path(), "/oauth/token");
    assert_eq!(at_web.header("host"), Some(&*format!("gitcode.com:{port}")));
    // The endpoint takes no token (`security: []`): the personal one stays home.
    assert_eq!(at_web.header("authorization"), None);
    let at_api = api.only_request();
    assert_eq!(at_api.path(), "/api/v5/user");
    assert_eq!(
        at_api.header("host"),
        Some(&*format!("api.gitcode.com:{port}"))
    );
    assert_eq!(
        at_api.header("authorization"),
        Some("Bearer personal-token")
    );
}

#[tokio::test]
async fn a_self_hosted_server_can_name_its_web_host() {
    let api = Server::start(vec![Reply::json(200, json!({}))]).await;
    let web = Server::start(vec![token_answer()]).await;
    let client = gitcode::Client::builder()
        .base_url(&api.url)
        .web_base_url(&web.url)
        .no_rate_limit()
        .build()
        .unwrap();
    exchange(&client).await.unwrap();
    assert_eq!(web.only_request().path(), "/oauth/token");
    assert!(api.requests().is_empty());

    // Without it, a self-hosted server is its own web host.
    let both = Server::start(vec![token_answer()]).await;
    let client = gitcode::Client::builder()
        .base_url(format!("{}/api/v5", both.url))
        .no_rate_limit()
        .build()
        .unwrap();
    exchange(&client).await.unwrap();
    assert_eq!(both.only_request().path(), "/oauth/token");
}

#[tokio::test]
async fn no_request_carries_an_api_version_header() {
    let server = Server::start(vec![
        Reply::json(200, json!({})),
        Reply::json(200, json!([])),
        Reply::json(201, json!({})),
    ])
    .await;
    let client = gitcode::Client::builder()
        .base_url(&server.url)
        .token("t")
        .no_rate_limit()
        .build()
        .unwrap();
    client.get_authenticated_user().send().await.unwrap();
    client
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .send()
        .await
        .unwrap();
    client
        .create_issue()
        .owner("o")
        .body_map(|b| b.repo("r").title("t").body(Some("b".to_string())))
        .send_raw()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in requests {
        assert_eq!(request.header("api-version"), None, "{request:?}");
    }
}

#[tokio::test]
async fn a_refused_connection_names_the_host_and_the_cause() {
    let addr = crate::support::unused_addr();
    let client = gitcode::Client::builder()
        .base_url(format!("http://{addr}"))
        .token("s3cr3t-in-query")
        .auth_mode(gitcode::auth::AuthMode::QueryParameter)
        .retry(RetryPolicy::none())
        .no_rate_limit()
        .build()
        .unwrap();
    let err = client.get_authenticated_user().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    let text = err.to_string();
    assert!(text.contains(&addr), "{text}");
    assert!(text.contains("connection refused"), "{text}");
    assert!(!text.contains("s3cr3t"), "{text}");
    assert!(!format!("{err:?}").contains("s3cr3t"));
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_post() {
    // Nothing was sent, so a create cannot happen twice: the POST is tried
    // again, and reaches the server once it listens.
    let addr = crate::support::unused_addr();
    let client = gitcode::Client::builder()
        .base_url(format!("http://{addr}"))
        .retry(RetryPolicy {
            max_retries: 5,
            base_delay: std::time::Duration::from_millis(100),
            max_delay: std::time::Duration::from_millis(200),
            jitter: false,
        })
        .no_rate_limit()
        .build()
        .unwrap();
    let later = tokio::spawn({
        let addr = addr.clone();
        async move {
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            Server::start_at(&addr, vec![Reply::json(201, json!({"number": "1"}))])
                .await
                .unwrap()
        }
    });
    let created = client
        .create_issue()
        .owner("o")
        .body_map(|b| b.repo("r").title("t").body(Some("b".to_string())))
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.number.as_ref().map(|n| n.to_string()).as_deref(),
        Some("1")
    );
    let server = later.await.unwrap();
    assert_eq!(server.only_request().method, "POST");
}

#[tokio::test]
async fn a_failed_name_lookup_says_so() {
    // `.invalid` never resolves (RFC 2606), with or without a network.
    let client = gitcode::Client::builder()
        .base_url("https://api.gitcode.invalid")
        .retry(RetryPolicy::none())
        .no_rate_limit()
        .build()
        .unwrap();
    let err = client.get_authenticated_user().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    let text = err.to_string();
    assert!(
        text.starts_with(
            "`get_authenticated_user`: request to api.gitcode.invalid failed: DNS lookup failed"
        ),
        "{text}"
    );
}
