//! Many tasks sharing one client, against a server that enforces its limit
//! on arrival and injects faults ([`crate::support::load`]). Every test
//! asserts outcomes and counts, never timings.

use std::collections::HashSet;
use std::time::Duration;

use crate::support::load::{Behaviour, Every, Fault, LoadServer};
use crate::support::{Logs, Reply, Server};
use futures::{StreamExt, TryStreamExt};
use gitcode::prelude::*;
use gitcode::rate_limit::Limit;
use gitcode::retry::RetryPolicy;
use gitcode::{ErrorKind, types};
use serde_json::json;

const TASKS: usize = 20;

fn retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        jitter: false,
    }
}

async fn get_user(client: &gitcode::Client) -> Result<types::UserProfile, gitcode::Error> {
    client
        .get_user()
        .username("alice")
        .send()
        .await
        .map(|r| r.into_inner())
}

async fn create_issue(
    client: &gitcode::Client,
    title: &str,
) -> Result<types::Issue, gitcode::Error> {
    client
        .create_issue()
        .owner("o")
        .body_map(|b| b.repo("r").title(title).body(Some("b".to_string())))
        .send()
        .await
        .map(|r| r.into_inner())
}

/// `requests` GETs from [`TASKS`] tasks, each with its clone of `client`;
/// the outcome of each.
async fn gets_from_tasks(
    client: &gitcode::Client,
    requests: usize,
) -> Vec<Result<types::UserProfile, gitcode::Error>> {
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let client = client.clone();
        let mine = (task..requests).step_by(TASKS).count();
        tasks.push(tokio::spawn(async move {
            let mut results = Vec::new();
            for _ in 0..mine {
                results.push(get_user(&client).await);
            }
            results
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("a task panicked"));
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_hundred_requests_from_twenty_tasks_earn_no_429() {
    // The server's limit and the client's are the same, scaled to a second.
    let limit = Limit::new(100, Duration::from_secs(1));
    let server = LoadServer::start(Behaviour {
        limit: Some((limit.requests as usize, limit.per)),
        fault: None,
    })
    .await;
    let client = gitcode::Client::builder()
        .base_url(&server.url)
        .token("t")
        .rate_limits([limit])
        .build()
        .unwrap();
    let results = gets_from_tasks(&client, 300).await;
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failed.is_empty(), "{failed:?}");
    let counts = server.counts();
    assert_eq!(counts.over_limit, 0, "429s answered: {counts:?}");
    assert_eq!(counts.arrived, 300, "no retries were needed");
    assert_eq!(client.rate_limiter().in_flight(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_429_with_retry_after_pauses_every_clone() {
    // The first request is answered 429 with `Retry-After: 1`; the server
    // then answers 429 to anything arriving in that second.
    let server = LoadServer::start(Behaviour {
        limit: None,
        fault: Some((Fault::RateLimited { seconds: 1 }, Every::First(1))),
    })
    .await;
    let client = gitcode::Client::builder()
        .base_url(&server.url)
        .token("t")
        .no_rate_limit()
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = get_user(&client).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    // Twenty tasks on clones: they wait for the pause instead of earning
    // 429s of their own.
    let results = gets_from_tasks(&client, 100).await;
    assert!(results.iter().all(Result::is_ok));
    let counts = server.counts();
    assert_eq!((counts.faults, counts.over_limit), (1, 0), "{counts:?}");
    assert_eq!(counts.arrived, 101);
}

/// Sends 200 GETs and 40 POSTs (titles `issue 0` ...) from [`TASKS`]
/// tasks; the POSTs' outcomes by title.
async fn mixed_load(
    client: &gitcode::Client,
) -> (usize, Vec<(String, Result<(), gitcode::Error>)>) {
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut gets = 0;
            let mut posts = Vec::new();
            for i in 0..12 {
                if i < 10 {
                    get_user(&client)
                        .await
                        .expect("a GET is retried until it succeeds");
                    gets += 1;
                } else {
                    let title = format!("issue {}", task * 2 + i - 10);
                    let outcome = create_issue(&client, &title).await.map(|_| ());
                    posts.push((title, outcome));
                }
            }
            (gets, posts)
        }));
    }
    let mut gets = 0;
    let mut posts = Vec::new();
    for task in tasks {
        let (g, p) = task.await.expect("a task panicked");
        gets += g;
        posts.extend(p);
    }
    (gets, posts)
}

/// Checks that no POST was acted on twice and that the client reported
/// exactly what the server did: a success for each issue created and
/// answered, a "may have acted" error for each one created without an
/// answer. Returns the number of POSTs that failed.
fn client_report_matches_server(
    server: &LoadServer,
    posts: &[(String, Result<(), gitcode::Error>)],
    acted_without_answer: bool,
) -> usize {
    let created = server.counts().created;
    for (title, times) in &created {
        assert_eq!(*times, 1, "`{title}` created {times} times");
    }
    let created: HashSet<&str> = created.keys().map(String::as_str).collect();
    let mut failed = 0;
    for (title, outcome) in posts {
        match outcome {
            Ok(()) => assert!(created.contains(title.as_str()), "{title} reported created"),
            Err(e) => {
                failed += 1;
                assert_eq!(
                    created.contains(title.as_str()),
                    acted_without_answer,
                    "{title}: {e}"
                );
            }
        }
    }
    failed
}

fn fault_client(server: &LoadServer) -> gitcode::Client {
    gitcode::Client::builder()
        .base_url(&server.url)
        .token("t")
        .no_rate_limit()
        .retry(retries(10))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_fifth_request_503_retries_gets_and_never_posts() {
    let server = LoadServer::start(Behaviour {
        limit: None,
        fault: Some((Fault::Status(503), Every::Kth(5))),
    })
    .await;
    let client = fault_client(&server);
    let (gets, posts) = mixed_load(&client).await;
    assert_eq!((gets, posts.len()), (200, 40));
    let failed = client_report_matches_server(&server, &posts, false);
    for (_, outcome) in &posts {
        if let Err(e) = outcome {
            assert_eq!(e.status(), Some(503), "{e}");
        }
    }
    let counts = server.counts();
    assert!(counts.faults > 0, "{counts:?}");
    // Each POST was sent once: created, or answered 503 and not sent again.
    assert_eq!(counts.posts, 40, "{counts:?}");
    assert_eq!(counts.created.len() + failed, 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reset_before_the_request_was_read_fails_a_post_that_says_so() {
    let server = LoadServer::start(Behaviour {
        limit: None,
        fault: Some((Fault::ResetBeforeRead, Every::Kth(4))),
    })
    .await;
    let client = fault_client(&server);
    let (gets, posts) = mixed_load(&client).await;
    assert_eq!(gets, 200);
    let failed = client_report_matches_server(&server, &posts, false);
    // A POST reset before it was read is not sent again: it fails (one in
    // four requests is reset, so some of the 40 POSTs are).
    assert!(failed > 0);
    assert_eq!(server.counts().posts as usize + failed, 40);
    for (_, outcome) in &posts {
        if let Err(e) = outcome {
            assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
            assert!(e.may_have_acted(), "{e}");
            assert!(e.to_string().contains("may have acted on it"), "{e}");
        }
    }
    assert!(server.counts().faults > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reset_after_the_request_was_read_is_not_sent_again_for_a_post() {
    let server = LoadServer::start(Behaviour {
        limit: None,
        fault: Some((Fault::ResetAfterRead, Every::Kth(4))),
    })
    .await;
    let client = fault_client(&server);
    let (gets, posts) = mixed_load(&client).await;
    assert_eq!(gets, 200);
    // The server acted on each failed POST once: the error said it may have.
    let failed = client_report_matches_server(&server, &posts, true);
    for (_, outcome) in &posts {
        if let Err(e) = outcome {
            assert!(e.may_have_acted(), "{e}");
        }
    }
    let counts = server.counts();
    assert_eq!(counts.posts, 40, "each POST was sent once");
    assert_eq!(counts.created.len(), 40, "{failed} failed");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_and_holds_no_slot() {
    let server = LoadServer::start(Behaviour {
        limit: None,
        fault: Some((Fault::NeverAnswer, Every::First(4))),
    })
    .await;
    let client = gitcode::Client::builder()
        .base_url(&server.url)
        .token("t")
        .timeout(Duration::from_millis(300))
        .rate_limits([Limit::new(2, Duration::from_millis(200))])
        .retry(retries(2))
        .build()
        .unwrap();
    let host = server.url.trim_start_matches("http://").to_string();

    // A GET is sent three times, then fails naming the host.
    let e = get_user(&client).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    let text = e.to_string();
    assert!(text.contains(&host) && text.contains("timed out"), "{text}");
    assert_eq!(server.counts().arrived, 3);
    assert_eq!(client.rate_limiter().in_flight(), 0);

    // A POST is sent once; the server acted on it.
    let e = create_issue(&client, "hung").await.unwrap_err();
    assert!(e.may_have_acted(), "{e}");
    let counts = server.counts();
    assert_eq!(counts.arrived, 4);
    assert_eq!(counts.created.get("hung"), Some(&1));
    assert_eq!(client.rate_limiter().in_flight(), 0);

    // The next calls run normally.
    for _ in 0..3 {
        get_user(&client).await.unwrap();
    }
    assert_eq!(server.counts().answered, 3);
}

#[tokio::test]
async fn dropping_a_calls_future_leaks_nothing() {
    let server = LoadServer::start(Behaviour {
        limit: None,
        fault: Some((Fault::NeverAnswer, Every::First(3))),
    })
    .await;
    // One slot at a time: a slot that leaked would block every later call.
    let client = gitcode::Client::builder()
        .base_url(&server.url)
        .token("t")
        .rate_limits([Limit::new(1, Duration::from_millis(50))])
        .build()
        .unwrap();
    for _ in 0..3 {
        let call = tokio::time::timeout(Duration::from_millis(200), get_user(&client)).await;
        assert!(call.is_err(), "the caller's own timeout ends the call");
        assert_eq!(client.rate_limiter().in_flight(), 0);
    }
    let next = tokio::time::timeout(Duration::from_secs(30), async {
        for _ in 0..3 {
            get_user(&client).await.unwrap();
        }
    })
    .await;
    assert!(next.is_ok(), "the next calls did not run");
    assert_eq!(server.counts().answered, 3);
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_every_method() {
    let client = gitcode::Client::builder()
        .base_url(format!("http://{}", crate::support::unused_addr()))
        .token("t")
        .no_rate_limit()
        .retry(retries(2))
        .build()
        .unwrap();
    let (logs, _guard) = Logs::capture(tracing::Level::DEBUG);
    let e = get_user(&client).await.unwrap_err();
    assert!(e.to_string().contains("connection refused"), "{e}");
    assert!(!e.may_have_acted(), "{e}");
    assert_eq!(logs.lines_with("retrying").len(), 2, "{}", logs.text());
    let e = create_issue(&client, "t").await.unwrap_err();
    assert!(!e.may_have_acted(), "{e}");
    assert!(!e.to_string().contains("may have acted"), "{e}");
    assert_eq!(logs.lines_with("retrying").len(), 4, "{}", logs.text());
}

fn issues(from: usize, count: usize) -> serde_json::Value {
    json!(
        (from..from + count)
            .map(|n| json!({"number": n.to_string(), "title": format!("issue {n}")}))
            .collect::<Vec<_>>()
    )
}

#[tokio::test]
async fn a_page_repeating_the_one_before_ends_the_stream() {
    // The server ignores `page`: the same full page, always.
    let server = Server::start(vec![Reply::json(200, issues(1, 100))]).await;
    let client = gitcode::Client::builder()
        .base_url(&server.url)
        .no_rate_limit()
        .build()
        .unwrap();
    let mut stream = client.list_repo_issues().owner("o").repo("r").stream();
    let mut items = 0;
    let e = loop {
        match stream.try_next().await {
            Ok(Some(_)) => items += 1,
            Ok(None) => panic!("the stream ended without an error"),
            Err(e) => break e,
        }
    };
    assert_eq!(items, 100);
    assert_eq!(e.kind(), ErrorKind::Pagination);
    let text = e.to_string();
    assert!(
        text.contains("`list_repo_issues`") && text.contains("page 2 is the same as page 1"),
        "{text}"
    );
    assert_eq!(server.requests().len(), 2);

    // The raw pages end the same way.
    let pages: Vec<_> = client
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .raw_pages()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].as_ref().unwrap_err().kind(), ErrorKind::Pagination);
}

#[tokio::test]
async fn a_page_past_the_cap_ends_the_stream() {
    // Pages that differ, forever.
    let server = Server::start(
        (0..10)
            .map(|page| Reply::json(200, issues(page * 100 + 1, 100)))
            .collect(),
    )
    .await;
    let client = gitcode::Client::builder()
        .base_url(&server.url)
        .no_rate_limit()
        .build()
        .unwrap();
    let result: Result<Vec<types::Issue>, _> = client
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .stream()
        .max_pages(3)
        .try_collect()
        .await;
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Pagination);
    assert!(e.to_string().contains("page 4: more than 3 pages"), "{e}");
    assert_eq!(server.requests().len(), 3);

    let pages: Vec<_> = client
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .raw_pages_up_to(2)
        .collect::<Vec<_>>()
        .await;
    assert_eq!(pages.len(), 3);
    assert!(
        pages[2]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("more than 2 pages")
    );
}

fn events(day: &str, next: &str) -> serde_json::Value {
    serde_json::json!({"events": {day: [{"action_name": "pushed to"}]}, "next": next})
}

#[tokio::test]
async fn a_cursor_stream_ends_on_a_cursor_already_followed_or_a_repeated_answer() {
    // The cursor comes round again: c1, c2, then c1.
    let server = Server::start(vec![
        Reply::json(200, events("2024-09-06", "c1")),
        Reply::json(200, events("2024-09-05", "c2")),
        Reply::json(200, events("2024-09-04", "c1")),
        Reply::json(200, events("2024-09-03", "")),
    ])
    .await;
    let client = gitcode::Client::builder()
        .base_url(&server.url)
        .no_rate_limit()
        .build()
        .unwrap();
    let answers: Vec<_> = client
        .list_user_events()
        .username("alice")
        .pages()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(answers.len(), 4, "three answers, then the error");
    let e = answers[3].as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Pagination);
    assert!(
        e.to_string().contains("`list_user_events`") && e.to_string().contains("`c1` again"),
        "{e}"
    );
    assert_eq!(server.requests().len(), 3, "c1 is not asked for twice");

    // A server that ignores the cursor: the same answer again.
    let server = Server::start(vec![Reply::json(200, events("2024-09-06", "c1"))]).await;
    let client = gitcode::Client::builder()
        .base_url(&server.url)
        .no_rate_limit()
        .build()
        .unwrap();
    let answers: Vec<_> = client
        .list_user_events()
        .username("alice")
        .raw_pages()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(answers.len(), 2);
    let e = answers[1].as_ref().unwrap_err();
    assert!(e.to_string().contains("is the same as page 1"), "{e}");
}
