//! Pagination memory: the peak heap while streaming a repository's issues
//! with `list_repo_issues().stream()` (100 a page) should not depend on how
//! many there are. Streams 100, 1,000 and 10,000 issues from the test server
//! and reports the peak bytes above the level before each stream started.
//!
//! Counted by the binary's global allocator; the server's thread is left
//! out, so the figures are the client's. One long-lived client streams all
//! of them, after a warm-up stream of the largest size, so its connection's
//! buffers have settled and are not counted in any run.

use std::hint::black_box;

use futures::TryStreamExt;
use gitcode::prelude::*;

use crate::HEAP;

pub const SMALL: u64 = 100;
pub const MIDDLE: u64 = 1_000;
pub const LARGE: u64 = 10_000;

/// The largest peak over the runs, in bytes above the starting level.
pub struct PaginationMemory {
    pub runs: usize,
    pub small: isize,
    pub middle: isize,
    pub large: isize,
}

/// Streams every issue of a repository of `total`; returns the peak heap
/// above the level at the start.
async fn peak_while_streaming(client: &gitcode::Client, total: u64) -> Result<isize, String> {
    let repo = format!("items-{total}");
    let base = HEAP.current();
    HEAP.reset_peak();
    let mut issues = client
        .list_repo_issues()
        .owner("bench")
        .repo(&repo)
        .stream();
    let mut seen = 0;
    while let Some(issue) = issues.try_next().await.map_err(|e| e.to_string())? {
        black_box(issue);
        seen += 1;
    }
    drop(issues);
    let peak = HEAP.peak() - base;
    if seen != total {
        return Err(format!("bench: streamed {seen} issues of {total}"));
    }
    Ok(peak)
}

pub fn run(base_url: &str, runs: usize) -> Result<PaginationMemory, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let client = gitcode::Client::builder()
            .base_url(base_url)
            .token("t")
            .no_rate_limit()
            .build()
            .map_err(|e| e.to_string())?;
        // Warm-up: the connection, its buffers and lazily built state exist
        // before the first measurement.
        peak_while_streaming(&client, LARGE).await?;
        let (mut small, mut middle, mut large) = (0, 0, 0);
        for _ in 0..runs {
            small = small.max(peak_while_streaming(&client, SMALL).await?);
            middle = middle.max(peak_while_streaming(&client, MIDDLE).await?);
            large = large.max(peak_while_streaming(&client, LARGE).await?);
        }
        Ok(PaginationMemory {
            runs,
            small,
            middle,
            large,
        })
    })
}
