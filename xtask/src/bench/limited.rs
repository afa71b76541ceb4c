//! Limited throughput: 300 GETs from 20 tasks sharing clones of one client,
//! against a loopback server that enforces the same limit on each request's
//! *arrival*, as GitCode does. Two figures: the run's time against the
//! least time the limit allows (`(300 - 1) / limit` whole windows: the
//! first `limit` requests may all go at once, the last batch one window per
//! earlier batch later), and how many 429s the server sent.
//!
//! The server is the one of the load tests
//! (`client/tests/suite/support/load.rs`), included here by path so that the
//! benchmark and the tests hold the client against the same server.

use std::time::{Duration, Instant};

use gitcode::prelude::*;
use gitcode::rate_limit::Limit;

#[path = "../../../client/tests/suite/support/load.rs"]
#[allow(dead_code)] // the fault injection serves the tests
pub(super) mod load_server;

use load_server::{Behaviour, LoadServer};

pub const REQUESTS: usize = 300;
pub const TASKS: usize = 20;

/// One run under `limit`.
pub struct Limited {
    pub limit: Limit,
    /// The least time the limit allows for [`REQUESTS`].
    pub least: Duration,
    pub elapsed: Duration,
    /// 429s the server answered.
    pub too_many: u64,
    /// Calls that failed (any error).
    pub failed: usize,
}

pub fn run(limit: Limit) -> Result<Limited, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("bench: tokio runtime: {e}"))?;
    runtime.block_on(async {
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
            .map_err(|e| e.to_string())?;
        let started = Instant::now();
        let failed = get_from_tasks(&client, REQUESTS, TASKS).await?;
        let elapsed = started.elapsed();
        let batches_after_the_first = (REQUESTS as u32 - 1) / limit.requests;
        Ok(Limited {
            limit,
            least: limit.per * batches_after_the_first,
            elapsed,
            too_many: server.counts().over_limit,
            failed,
        })
    })
}

/// Sends `requests` GETs of a small object from `tasks` tasks sharing clones
/// of `client` (the load of this row, and of each process of
/// [`super::shared_limited`]); how many failed.
pub async fn get_from_tasks(
    client: &gitcode::Client,
    requests: usize,
    tasks: usize,
) -> Result<usize, String> {
    let mut spawned = Vec::new();
    for task in 0..tasks {
        let client = client.clone();
        let mine = (task..requests).step_by(tasks).count();
        spawned.push(tokio::spawn(async move {
            let mut failed = 0;
            for _ in 0..mine {
                let answer = client.get_user().username("alice").send().await;
                failed += usize::from(answer.is_err());
            }
            failed
        }));
    }
    let mut failed = 0;
    for task in spawned {
        failed += task
            .await
            .map_err(|e| format!("bench: a task failed: {e}"))?;
    }
    Ok(failed)
}
