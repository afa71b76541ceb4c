//! Limited throughput across processes: the load of [`super::limited`]
//! (300 GETs, the same limit on both sides) sent by [`PROCESSES`] OS
//! processes of [`PER_PROCESS`] GETs each, every one with its own client,
//! sharing the limit through one `redis-server` that the benchmark starts
//! (`gitcode::rate_limit::shared`). The same two figures: the run's time
//! against the least time the limit allows, and the 429s the server sent.
//!
//! Each process is this binary again, started with [`WORKER_FLAG`]; the
//! load server and the Redis server are those of the tests
//! (`client/tests/suite/support/`), included by path.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gitcode::rate_limit::Limit;
use gitcode::rate_limit::shared::SharedRateLimit;

#[path = "../../../client/tests/suite/support/redis.rs"]
#[allow(dead_code)] // freezing and reading keys serve the tests
mod redis_server;

use super::limited::load_server::{Behaviour, LoadServer};

pub const PROCESSES: usize = 4;
pub const PER_PROCESS: usize = 75;
/// Tasks in each process (20 in all, as in the in-process row).
pub const TASKS: usize = 5;

/// The first argument of a worker process.
pub const WORKER_FLAG: &str = "--shared-limit-worker";

/// One run under `limit`, or `None` when `redis-server` is not installed.
pub struct SharedLimited {
    pub limit: Limit,
    /// The least time the limit allows for the 300 GETs.
    pub least: Duration,
    pub elapsed: Duration,
    /// 429s the server answered.
    pub too_many: u64,
    /// Calls that failed (any error), over every process.
    pub failed: usize,
}

pub fn run(limit: Limit) -> Result<Option<SharedLimited>, String> {
    let Some(redis) = redis_server::RedisServer::start("bench: shared limited throughput") else {
        return Ok(None);
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("bench: tokio runtime: {e}"))?;
    let server = runtime.block_on(LoadServer::start(Behaviour {
        limit: Some((limit.requests as usize, limit.per)),
        fault: None,
    }));
    let exe = std::env::current_exe().map_err(|e| format!("bench: this binary: {e}"))?;
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..PROCESSES {
        let worker = Command::new(&exe)
            .arg(WORKER_FLAG)
            .args([
                server.url.clone(),
                redis.url(),
                limit.requests.to_string(),
                limit.per.as_millis().to_string(),
            ])
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("bench: cannot start a worker process: {e}"))?;
        workers.push(worker);
    }
    let mut failed = 0;
    for worker in workers {
        let output = worker
            .wait_with_output()
            .map_err(|e| format!("bench: a worker process: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        failed += stdout
            .trim()
            .strip_prefix("failed ")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| {
                format!(
                    "bench: a worker process ({}) printed no count: {stdout}",
                    output.status
                )
            })?;
    }
    let elapsed = started.elapsed();
    let requests = (PROCESSES * PER_PROCESS) as u32;
    Ok(Some(SharedLimited {
        limit,
        least: limit.per * ((requests - 1) / limit.requests),
        elapsed,
        too_many: server.counts().over_limit,
        failed,
    }))
}

/// A worker process: `--shared-limit-worker BASE_URL REDIS_URL REQUESTS
/// PER_MS`; sends [`PER_PROCESS`] GETs from [`TASKS`] tasks and prints
/// `failed N`.
pub fn worker(args: &[String]) -> Result<(), String> {
    let [base_url, redis_url, requests, per_ms] = args else {
        return Err(format!(
            "usage: gitcode-bench {WORKER_FLAG} BASE_URL REDIS_URL REQUESTS PER_MS"
        ));
    };
    let number = |what: &str, text: &str| {
        text.parse::<u64>()
            .map_err(|e| format!("bench worker: {what} `{text}`: {e}"))
    };
    let limit = Limit::new(
        u32::try_from(number("requests", requests)?)
            .map_err(|e| format!("bench worker: requests: {e}"))?,
        Duration::from_millis(number("window (ms)", per_ms)?),
    );
    let shared = SharedRateLimit::redis(redis_url).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("bench worker: tokio runtime: {e}"))?;
    let failed = runtime.block_on(async {
        let client = gitcode::Client::builder()
            .base_url(base_url)
            .token("t")
            .rate_limits([limit])
            .shared_rate_limit(shared)
            .build()
            .map_err(|e| e.to_string())?;
        super::limited::get_from_tasks(&client, PER_PROCESS, TASKS).await
    })?;
    println!("failed {failed}");
    Ok(())
}
