//! One limit shared by several OS processes through one real Redis
//! ([`gitcode::rate_limit::shared`]), against the loopback server of the
//! load tests, which enforces its limit on each request's arrival and
//! counts arrivals per token ([`crate::support::load`]).
//!
//! Each process is this test binary run again with [`WORKER`] set: it runs
//! [`worker_process`] (ignored otherwise), which sends its GETs through its
//! own client and prints one line of counts. Every test asserts counts,
//! never timings.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gitcode::ErrorKind;
use gitcode::prelude::*;
use gitcode::rate_limit::Limit;
use gitcode::rate_limit::shared::{OnStoreFailure, SharedRateLimit};
use gitcode::retry::RetryPolicy;
use serde::{Deserialize, Serialize};

use crate::support::Logs;
use crate::support::load::{Behaviour, Counts, Every, Fault, LoadServer};
use crate::support::redis::RedisServer;

/// The variable that makes this binary a worker, holding its [`Job`].
const WORKER: &str = "GITCODE_SHARED_LIMIT_WORKER";

/// The longest a worker waits for one call.
const CALL_BOUND: Duration = Duration::from_secs(60);

/// The limit of these tests, on both sides: small, to keep them quick.
const LIMIT: Limit = Limit::new(10, Duration::from_secs(2));

/// What one worker process does.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Job {
    base_url: String,
    /// No shared limit when `None` (the control).
    redis_url: Option<String>,
    /// The shared count's name; else the token's hash.
    name: Option<String>,
    token: String,
    gets: usize,
    tasks: usize,
    /// `None`: no configured limit (the server's word only).
    limit: Option<(u32, u64)>,
    policy: Policy,
    retries: u32,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
enum Policy {
    Wait { retry_ms: u64, give_up_ms: u64 },
    Local(u32),
    Fail,
}

/// What a worker reports.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Report {
    ok: usize,
    /// Calls failed with `ErrorKind::RateLimitStore`.
    store_failed: usize,
    /// Calls failed otherwise, with the first such error.
    other_failed: usize,
    other_error: Option<String>,
    /// Warnings that the process fell back to its local share.
    fallback_warnings: usize,
}

impl Job {
    fn new(server: &LoadServer, redis: &RedisServer, gets: usize) -> Job {
        Job {
            base_url: server.url.clone(),
            redis_url: Some(redis.url()),
            name: None,
            token: "fleet-token".into(),
            gets,
            tasks: 2,
            limit: Some((LIMIT.requests, LIMIT.per.as_millis() as u64)),
            policy: Policy::Fail,
            retries: 0,
        }
    }

    /// Starts a worker process running this job.
    fn spawn(&self) -> Worker {
        let child = Command::new(std::env::current_exe().expect("the test binary"))
            .args([
                "--exact",
                "shared_limit::worker_process",
                "--ignored",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env(WORKER, serde_json::to_string(self).unwrap())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start a worker process");
        Worker { child }
    }
}

struct Worker {
    child: Child,
}

impl Worker {
    /// Waits for the worker to end; its report.
    fn report(self) -> Report {
        let output = self.child.wait_with_output().expect("wait for a worker");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("WORKER ").map(|(_, report)| report))
            .unwrap_or_else(|| panic!("a worker printed no report ({}): {stdout}", output.status));
        serde_json::from_str(line).unwrap_or_else(|e| panic!("a worker's report {line}: {e}"))
    }
}

/// Waits until `ready` holds (bounded: a test that would hang fails).
async fn until(what: &str, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready() {
        assert!(Instant::now() < deadline, "waited 60 s for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn server(fault: Option<(Fault, Every)>) -> LoadServer {
    LoadServer::start(Behaviour {
        limit: Some((LIMIT.requests as usize, LIMIT.per)),
        fault,
    })
    .await
}

/// Waits for every worker (off the runtime, which serves them).
async fn wait_for(workers: Vec<Worker>) -> Vec<Report> {
    tokio::task::spawn_blocking(move || workers.into_iter().map(Worker::report).collect())
        .await
        .expect("the workers' reports")
}

fn total(reports: &[Report], count: impl Fn(&Report) -> usize) -> usize {
    reports.iter().map(count).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_share_one_limit_and_earn_no_429() {
    let Some(redis) = RedisServer::start("four_processes_share_one_limit_and_earn_no_429") else {
        return;
    };
    // The control: four processes with the same limit each, not shared,
    // go over the server's.
    let control = server(None).await;
    let mut alone = Job::new(&control, &redis, 10);
    alone.redis_url = None;
    let reports = wait_for((0..4).map(|_| alone.spawn()).collect()).await;
    assert!(control.counts().over_limit > 0, "{:?}", control.counts());
    assert_eq!(
        total(&reports, |r| r.ok) + total(&reports, |r| r.other_failed),
        40
    );

    // Shared, by the token's hash: every call succeeds, none over the limit.
    let server = server(None).await;
    let job = Job::new(&server, &redis, 10);
    let reports = wait_for((0..4).map(|_| job.spawn()).collect()).await;
    let counts = server.counts();
    assert_eq!(total(&reports, |r| r.ok), 40, "{reports:?}");
    assert_eq!((counts.arrived, counts.over_limit), (40, 0), "{counts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_process_frees_its_slots_and_the_others_go_on() {
    let Some(redis) = RedisServer::start("a_killed_process_frees_its_slots_and_the_others_go_on")
    else {
        return;
    };
    // The victim's requests are never answered: it holds half the slots.
    let held = LIMIT.requests as usize / 2;
    let server = server(Some((Fault::HangFor { token: "victim" }, Every::Kth(1)))).await;
    let mut victim = Job::new(&server, &redis, held);
    victim.name = Some("fleet".into());
    victim.token = "victim".into();
    victim.tasks = held;
    let mut victim = victim.spawn();
    until("the victim's requests", || {
        server.counts().per_token.get("victim").copied() == Some(held as u64)
    })
    .await;
    victim.child.kill().expect("kill the victim");
    let _ = victim.child.wait();

    let mut job = Job::new(&server, &redis, 10);
    job.name = Some("fleet".into());
    job.token = "survivor".into();
    let reports = wait_for((0..3).map(|_| job.spawn()).collect()).await;
    let counts = server.counts();
    assert_eq!(total(&reports, |r| r.ok), 30, "{reports:?}");
    assert_eq!(counts.per_token.get("survivor").copied(), Some(30));
    assert_eq!(counts.over_limit, 0, "{counts:?}");
    // The dead process's slots came free: some window held more of the
    // others' requests than the half it left them.
    let most = counts.most_in_window("survivor", LIMIT.per);
    assert!(most > held, "at most {most} in a window");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_to_one_process_pauses_the_others() {
    let Some(redis) = RedisServer::start("a_429_to_one_process_pauses_the_others") else {
        return;
    };
    // No configured limit: only the server's word holds the processes. The
    // 20th arrival gets a 429 with `Retry-After: 4`, and every arrival in
    // those 4 s gets one too (with `Retry-After: 1`, which by itself would
    // let a process that did not share the pause come back each second).
    let server = LoadServer::start(Behaviour {
        limit: None,
        fault: Some((Fault::RateLimited { seconds: 4 }, Every::Nth(20))),
    })
    .await;
    let mut job = Job::new(&server, &redis, 15);
    job.limit = None;
    job.tasks = 1;
    job.retries = 5;
    let reports = wait_for((0..4).map(|_| job.spawn()).collect()).await;
    let counts = server.counts();
    assert_eq!(total(&reports, |r| r.ok), 60, "{reports:?}");
    // Of the other three processes, a request let go before the pause was
    // shared may still arrive in it: at most two each. Without sharing,
    // each would come back every second: four or more each.
    assert!(counts.over_limit <= 6, "{counts:?}");
}

/// What happens to Redis once 8 requests arrived.
enum Outage {
    /// Killed for good.
    Killed,
    /// Frozen (it answers nothing, and keeps its data) for this long.
    Frozen(Duration),
    /// Killed, and started again empty this much later.
    Restarted(Duration),
}

/// Four workers under `policy`, with an `outage` of Redis mid-run.
async fn redis_stops_mid_run(
    test: &str,
    policy: Policy,
    outage: Outage,
) -> Option<(Vec<Report>, Counts)> {
    let mut redis = RedisServer::start(test)?;
    let server = server(None).await;
    let mut job = Job::new(&server, &redis, 10);
    job.policy = policy;
    job.name = Some("fleet".into());
    let workers: Vec<Worker> = (0..4)
        .map(|i| {
            let mut job = job.clone();
            job.token = format!("worker-{i}");
            job.spawn()
        })
        .collect();
    // Every process has used the store (and knows its count) before the
    // outage: one that had not would be a new process, which cannot tell a
    // store that lost its count from a new one.
    until("a request of every process, 8 in all", || {
        let counts = server.counts();
        counts.arrived >= 8 && counts.per_token.len() == 4
    })
    .await;
    match outage {
        Outage::Killed => redis.stop(),
        Outage::Frozen(after) => {
            redis.freeze();
            tokio::time::sleep(after).await;
            redis.thaw();
        }
        Outage::Restarted(after) => {
            redis.stop();
            tokio::time::sleep(after).await;
            redis.restart();
        }
    }
    let reports = wait_for(workers).await;
    Some((reports, server.counts()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_mid_run_fails_the_calls_under_fail() {
    let Some((reports, counts)) = redis_stops_mid_run(
        "redis_stopped_mid_run_fails_the_calls_under_fail",
        Policy::Fail,
        Outage::Killed,
    )
    .await
    else {
        return;
    };
    assert_eq!(total(&reports, |r| r.other_failed), 0, "{reports:?}");
    assert!(total(&reports, |r| r.store_failed) > 0, "{reports:?}");
    assert_eq!(
        total(&reports, |r| r.ok) + total(&reports, |r| r.store_failed),
        40
    );
    // What was not sent did not arrive.
    assert_eq!(counts.arrived as usize, total(&reports, |r| r.ok));
    assert_eq!(counts.over_limit, 0, "{counts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_frozen_mid_run_is_waited_for_under_wait() {
    let wait = Policy::Wait {
        retry_ms: 100,
        give_up_ms: 30_000,
    };
    let Some((reports, counts)) = redis_stops_mid_run(
        "redis_frozen_mid_run_is_waited_for_under_wait",
        wait,
        Outage::Frozen(Duration::from_millis(1500)),
    )
    .await
    else {
        return;
    };
    assert_eq!(total(&reports, |r| r.ok), 40, "{reports:?}");
    assert_eq!(counts.over_limit, 0, "{counts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restarted_empty_mid_run_gets_the_recent_requests_again_under_wait() {
    let wait = Policy::Wait {
        retry_ms: 100,
        give_up_ms: 30_000,
    };
    let Some((reports, counts)) = redis_stops_mid_run(
        "redis_restarted_empty_mid_run_gets_the_recent_requests_again_under_wait",
        wait,
        Outage::Restarted(Duration::from_millis(700)),
    )
    .await
    else {
        return;
    };
    // Without the recount, the empty store would let a whole window more go
    // at once, and the server would answer 429s.
    assert_eq!(total(&reports, |r| r.ok), 40, "{reports:?}");
    assert_eq!(counts.over_limit, 0, "{counts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_for_good_gives_up_after_the_bound_under_wait() {
    let wait = Policy::Wait {
        retry_ms: 100,
        give_up_ms: 500,
    };
    let Some((reports, counts)) = redis_stops_mid_run(
        "redis_stopped_for_good_gives_up_after_the_bound_under_wait",
        wait,
        Outage::Killed,
    )
    .await
    else {
        return;
    };
    assert_eq!(total(&reports, |r| r.other_failed), 0, "{reports:?}");
    assert!(total(&reports, |r| r.store_failed) > 0, "{reports:?}");
    assert_eq!(counts.arrived as usize, total(&reports, |r| r.ok));
    assert_eq!(counts.over_limit, 0, "{counts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_mid_run_falls_back_to_a_share_under_local() {
    let Some((reports, counts)) = redis_stops_mid_run(
        "redis_stopped_mid_run_falls_back_to_a_share_under_local",
        Policy::Local(4),
        Outage::Killed,
    )
    .await
    else {
        return;
    };
    // A quarter of the limit each: together under it.
    assert_eq!(total(&reports, |r| r.ok), 40, "{reports:?}");
    assert_eq!(counts.over_limit, 0, "{counts:?}");
    // One warning per process that fell back (those that finished before
    // Redis stopped had none to give).
    assert!(
        reports.iter().all(|r| r.fallback_warnings <= 1),
        "{reports:?}"
    );
    assert!(total(&reports, |r| r.fallback_warnings) >= 1, "{reports:?}");
}

#[cfg(feature = "cli")]
#[tokio::test]
async fn the_cli_counts_in_the_store_of_its_rate_limit_url_by_the_tokens_hash() {
    use crate::support::{Reply, Server};
    let Some(redis) =
        RedisServer::start("the_cli_counts_in_the_store_of_its_rate_limit_url_by_the_tokens_hash")
    else {
        return;
    };
    let server = Server::start(vec![Reply::json(
        200,
        serde_json::json!({"login": "alice"}),
    )])
    .await;
    let run = crate::cli::Cli::new(&["get-user", "--username", "alice"])
        .server(&server)
        .token("cli-s3cr3t")
        .env("GITCODE_RATE_LIMIT_URL", &redis.url())
        .run()
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let keys = redis.keys("gitcode:rl:*");
    assert!(
        keys.iter().any(|k| k.starts_with("gitcode:rl:{token-")),
        "{keys:?}"
    );
    assert!(!keys.iter().any(|k| k.contains("s3cr3t")), "{keys:?}");
}

#[cfg(feature = "cli")]
#[tokio::test]
async fn a_store_that_fails_ends_the_cli_with_exit_7_and_no_password() {
    use crate::support::{Reply, Server};
    let server = Server::start(vec![Reply::json(
        200,
        serde_json::json!({"login": "alice"}),
    )])
    .await;
    let run = crate::cli::Cli::new(&[
        "--rate-limit-on-failure",
        "fail",
        "get-user",
        "--username",
        "alice",
    ])
    .server(&server)
    .token("t")
    .env(
        "GITCODE_RATE_LIMIT_URL",
        &format!("redis://:hunter2@{}", crate::support::unused_addr()),
    )
    .run()
    .await;
    assert_eq!(run.code, 7, "{}", run.stderr);
    assert!(run.stderr.contains(":***@"), "{}", run.stderr);
    assert!(
        run.stderr.contains("the request was not sent"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    assert!(server.requests().is_empty());
}

/// One worker process (run by the tests above with [`WORKER`] set).
#[tokio::test]
#[ignore = "a worker process of the shared-limit tests, which start it themselves"]
async fn worker_process() {
    let job: Job = match std::env::var(WORKER) {
        Ok(job) => serde_json::from_str(&job).expect("the worker's job"),
        Err(_) => panic!("a worker process: run by the shared-limit tests, with {WORKER} set"),
    };
    let (logs, _guard) = Logs::capture(tracing::Level::WARN);
    let mut builder = gitcode::Client::builder()
        .base_url(&job.base_url)
        .token(&job.token)
        .retry(RetryPolicy {
            max_retries: job.retries,
            ..RetryPolicy::default()
        });
    builder = match job.limit {
        Some((requests, per_ms)) => {
            builder.rate_limits([Limit::new(requests, Duration::from_millis(per_ms))])
        }
        None => builder.no_rate_limit(),
    };
    if let Some(url) = &job.redis_url {
        let mut shared = SharedRateLimit::redis(url)
            .expect("the Redis URL")
            .store_timeout(Duration::from_millis(500))
            .on_failure(match job.policy {
                Policy::Wait {
                    retry_ms,
                    give_up_ms,
                } => OnStoreFailure::Wait {
                    retry_every: Duration::from_millis(retry_ms),
                    give_up_after: Duration::from_millis(give_up_ms),
                },
                Policy::Local(share) => OnStoreFailure::FallbackLocal { share },
                Policy::Fail => OnStoreFailure::Fail,
            });
        if let Some(name) = &job.name {
            shared = shared.name(name);
        }
        builder = builder.shared_rate_limit(shared);
    }
    let client = builder.build().expect("the worker's client");
    let mut tasks = Vec::new();
    for task in 0..job.tasks {
        let client = client.clone();
        let mine = (task..job.gets).step_by(job.tasks).count();
        tasks.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for _ in 0..mine {
                // Bounded, so that a slot never freed fails the test.
                let call = client.get_user().username("alice").send();
                outcomes.push(match tokio::time::timeout(CALL_BOUND, call).await {
                    Ok(answer) => answer.map(drop).map_err(Some),
                    Err(_) => Err(None),
                });
            }
            outcomes
        }));
    }
    let mut report = Report::default();
    for task in tasks {
        for outcome in task.await.expect("a worker task") {
            match outcome {
                Ok(()) => report.ok += 1,
                Err(Some(e)) if e.kind() == ErrorKind::RateLimitStore => report.store_failed += 1,
                Err(e) => {
                    report.other_failed += 1;
                    report.other_error.get_or_insert(match e {
                        Some(e) => e.to_string(),
                        None => format!("no answer within {CALL_BOUND:?}"),
                    });
                }
            }
        }
    }
    report.fallback_warnings = logs.lines_with("falls back").len();
    println!("WORKER {}", serde_json::to_string(&report).unwrap());
}
