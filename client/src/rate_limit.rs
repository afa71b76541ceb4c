//! A client-side rate limiter that keeps a client (and its clones) under
//! GitCode's limits, 50 requests a minute and 4000 an hour, by waiting.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// One limit: at most `requests` in any `per` window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub requests: u32,
    pub per: Duration,
}

impl Limit {
    pub const fn new(requests: u32, per: Duration) -> Self {
        Limit { requests, per }
    }
}

/// GitCode's documented limits.
pub const GITCODE_LIMITS: [Limit; 2] = [
    Limit::new(50, Duration::from_secs(60)),
    Limit::new(4000, Duration::from_secs(3600)),
];

/// Shared by all clones of a client. Each limit keeps the times of its
/// last `requests` requests (a sliding window): a request may go when fewer
/// than `requests` were sent in the last `per`, so no window of that length
/// ever holds more, whatever the burst.
#[derive(Clone, Debug)]
pub struct RateLimiter {
    windows: Arc<Mutex<Vec<Window>>>,
}

#[derive(Debug)]
struct Window {
    limit: Limit,
    sent: VecDeque<Instant>,
}

impl RateLimiter {
    pub fn new(limits: &[Limit]) -> Self {
        let windows = limits
            .iter()
            .filter(|l| l.requests > 0)
            .map(|&limit| Window {
                limit,
                sent: VecDeque::with_capacity(limit.requests.min(4096) as usize),
            })
            .collect();
        RateLimiter {
            windows: Arc::new(Mutex::new(windows)),
        }
    }

    /// Waits until one more request fits every limit, then counts it.
    pub async fn acquire(&self) {
        while let Some(wait) = self.try_acquire(Instant::now()) {
            tokio::time::sleep(wait).await;
        }
    }

    /// Counts a request at `now` if it fits every limit; otherwise how long to wait.
    fn try_acquire(&self, now: Instant) -> Option<Duration> {
        let mut windows = self.windows.lock().expect("rate limiter poisoned");
        let mut wait = Duration::ZERO;
        for window in windows.iter_mut() {
            while window
                .sent
                .front()
                .is_some_and(|&t| now.duration_since(t) >= window.limit.per)
            {
                window.sent.pop_front();
            }
            if window.sent.len() >= window.limit.requests as usize {
                let oldest = window.sent[0];
                wait = wait.max(window.limit.per - now.duration_since(oldest));
            }
        }
        if !wait.is_zero() {
            return Some(wait);
        }
        for window in windows.iter_mut() {
            window.sent.push_back(now);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_is_held_to_the_configured_rate() {
        let limiter = RateLimiter::new(&[Limit::new(5, Duration::from_secs(10))]);
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..12 {
            limiter.acquire().await;
            times.push((Instant::now() - start).as_secs_f64());
        }
        // Five at once, then the next five when the first leave the window.
        assert_eq!(
            times,
            [
                0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 10.0, 10.0, 10.0, 10.0, 20.0, 20.0
            ]
        );
        // Never more than 5 in any 10 s window.
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..].iter().filter(|u| **u < t + 10.0).count();
            assert!(in_window <= 5, "{times:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn clones_share_the_budget_and_the_tighter_limit_wins() {
        let limiter = RateLimiter::new(&[
            Limit::new(50, Duration::from_secs(60)),
            Limit::new(3, Duration::from_secs(3600)),
        ]);
        let clone = limiter.clone();
        let start = Instant::now();
        for _ in 0..3 {
            clone.acquire().await;
        }
        limiter.acquire().await;
        assert_eq!((Instant::now() - start).as_secs(), 3600);
    }
}
