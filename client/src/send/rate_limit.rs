//! A client-side rate limiter that keeps a client (and its clones) under
//! GitCode's limits, 50 requests a minute and 4000 an hour, by waiting.
//!
//! # The guarantee
//!
//! The server counts a request when it *arrives*; the client only knows
//! when it *sent* it and when the answer *came back*, and the arrival lies
//! somewhere between. So each request holds a slot of every window from the
//! moment it is let go ([`RateLimiter::acquire`]) until its answer arrived
//! (or it failed, or its future was dropped), and then for `per` more,
//! counted from that moment. A request may go when fewer than `requests`
//! slots are held. Then **no window of length `per` of arrival times at the
//! server holds more than `requests` requests, whatever the latency and the
//! burst**: of the requests arriving in one such window, the last one sent
//! found every other one still in flight or answered less than `per` before
//! (an answer comes after its arrival, which is inside the window), so it
//! found them all counted.
//!
//! The cost is throughput: a slot is free again `per` plus one round trip
//! after the request went, not `per`. On a 10 s window and round trips of a
//! few milliseconds that is well under 1 %.
//!
//! # The server's word
//!
//! Shared by every clone of a client, with or without configured limits:
//!
//! - a 429 with `Retry-After` pauses every request until then, not only the
//!   one that got it;
//! - `X-RateLimit-Remaining` with `X-RateLimit-Reset` (or `RateLimit-*`;
//!   header names are case-insensitive; the reset in seconds from now or
//!   as a Unix time) caps the requests let go until the reset at what the
//!   server says remains, less the requests still in flight. Without both
//!   headers only the configured limits apply.
//!
//! # Across processes
//!
//! All of the above holds inside one process. With feature `redis`, a
//! client built with `ClientBuilder::shared_rate_limit` keeps the same
//! guarantee for every process and machine that shares one store (modules
//! `shared` and `redis`); the runtime asks for its slots through one seam,
//! whatever holds the count (`limiter`).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::sync::Notify;
use tokio::time::Instant;

mod limiter;
#[cfg(feature = "redis")]
pub mod redis;
#[cfg(feature = "redis")]
pub mod shared;
mod store_error;

pub(crate) use limiter::{Limiter, Slot};
pub use store_error::StoreError;

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

/// Shared by all clones of a client (see the [module](self) for what it
/// guarantees).
#[derive(Clone, Debug)]
pub struct RateLimiter {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    /// Woken when a request in flight is answered.
    answered: Notify,
}

#[derive(Debug)]
struct State {
    windows: Vec<Window>,
    /// Requests let go and not answered yet.
    in_flight: usize,
    /// Set by a 429 with `Retry-After`.
    paused_until: Option<Instant>,
    /// What the server's rate-limit headers said.
    server: Option<ServerBudget>,
}

#[derive(Debug)]
struct Window {
    limit: Limit,
    /// When each answered request of the last `per` was answered.
    answered: VecDeque<Instant>,
}

#[derive(Clone, Copy, Debug)]
struct ServerBudget {
    remaining: u64,
    reset: Instant,
}

/// Why a request may not go yet.
enum Blocked {
    /// Until this much time has passed (or an answer arrives).
    For(Duration),
    /// Until a request in flight is answered.
    UntilAnswered,
}

/// A request's slot, held while it is in flight. [`finish`](Self::finish)
/// it with the answer's headers; dropping it (a failure, a dropped future)
/// ends it too, at that moment. Either way the slot then ages out of the
/// window like any other.
#[derive(Debug)]
#[must_use = "the slot counts as in flight until the permit is finished or dropped"]
pub struct Permit {
    shared: Option<Arc<Shared>>,
}

impl Permit {
    /// The answer arrived with `status` and `headers`: the slot is counted
    /// from now, a 429 with `Retry-After` pauses every clone, and the
    /// server's rate-limit headers are followed.
    pub fn finish(mut self, status: u16, headers: &HeaderMap) {
        if let Some(shared) = self.shared.take() {
            shared.release(Some((status, headers)));
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.take() {
            shared.release(None);
        }
    }
}

impl RateLimiter {
    /// A limiter keeping every limit of `limits` (those of zero requests
    /// are ignored; none at all still follows the server's word).
    pub fn new(limits: &[Limit]) -> Self {
        let windows = limits
            .iter()
            .filter(|l| l.requests > 0)
            .map(|&limit| Window {
                limit,
                answered: VecDeque::with_capacity(limit.requests.min(4096) as usize),
            })
            .collect();
        RateLimiter {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    windows,
                    in_flight: 0,
                    paused_until: None,
                    server: None,
                }),
                answered: Notify::new(),
            }),
        }
    }

    /// Waits until one more request fits every limit, then lets it go: the
    /// returned [`Permit`] holds its slot until the answer.
    pub async fn acquire(&self) -> Permit {
        loop {
            let answered = self.shared.answered.notified();
            futures::pin_mut!(answered);
            // Registered before looking, so that an answer arriving between
            // the look and the wait is not missed.
            answered.as_mut().enable();
            match self.shared.try_acquire(Instant::now()) {
                Ok(()) => {
                    return Permit {
                        shared: Some(self.shared.clone()),
                    };
                }
                Err(Blocked::UntilAnswered) => answered.await,
                Err(Blocked::For(wait)) => {
                    let sleep = tokio::time::sleep(wait);
                    futures::pin_mut!(sleep);
                    futures::future::select(sleep, answered).await;
                }
            }
        }
    }

    /// Pauses every request until `wait` from now (a 429's `Retry-After`).
    pub fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut state = self.shared.lock();
        state.paused_until = Some(state.paused_until.map_or(until, |p| p.max(until)));
    }

    /// The requests let go and not answered yet.
    pub fn in_flight(&self) -> usize {
        self.shared.lock().in_flight
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent whatever panicked while holding it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Lets a request go at `now` if it fits; otherwise why not.
    fn try_acquire(&self, now: Instant) -> Result<(), Blocked> {
        let mut state = self.lock();
        let mut wait = Duration::ZERO;
        let mut until_answered = false;
        if let Some(until) = state.paused_until {
            if until > now {
                wait = until - now;
            } else {
                state.paused_until = None;
            }
        }
        if let Some(budget) = state.server {
            if budget.reset <= now {
                state.server = None;
            } else if budget.remaining == 0 {
                wait = wait.max(budget.reset - now);
            }
        }
        let in_flight = state.in_flight;
        for window in state.windows.iter_mut() {
            let per = window.limit.per;
            while window
                .answered
                .front()
                .is_some_and(|&t| now.duration_since(t) >= per)
            {
                window.answered.pop_front();
            }
            if window.answered.len() + in_flight >= window.limit.requests as usize {
                match window.answered.front() {
                    Some(&oldest) => wait = wait.max(per - now.duration_since(oldest)),
                    None => until_answered = true,
                }
            }
        }
        if !wait.is_zero() {
            return Err(Blocked::For(wait));
        }
        if until_answered {
            return Err(Blocked::UntilAnswered);
        }
        state.in_flight += 1;
        if let Some(budget) = &mut state.server {
            budget.remaining -= 1;
        }
        Ok(())
    }

    /// A request in flight ended (answered with `response`, or not).
    fn release(&self, response: Option<(u16, &HeaderMap)>) {
        let now = Instant::now();
        {
            let mut state = self.lock();
            state.in_flight = state.in_flight.saturating_sub(1);
            for window in state.windows.iter_mut() {
                window.answered.push_back(now);
            }
            if let Some((status, headers)) = response {
                if status == 429
                    && let Some(after) = crate::retry::retry_after(headers)
                {
                    let until = now + after;
                    state.paused_until = Some(state.paused_until.map_or(until, |p| p.max(until)));
                }
                if let Some((remaining, reset)) = server_budget(headers, now) {
                    // The requests still in flight may already be counted
                    // by the server, or not: assume they are not.
                    let remaining = remaining.saturating_sub(state.in_flight as u64);
                    let budget = match state.server {
                        // Answers arrive out of order: within one reset
                        // period, the lowest count is the latest.
                        Some(old) if old.reset.max(reset) - old.reset.min(reset) < SAME_RESET => {
                            ServerBudget {
                                remaining: remaining.min(old.remaining),
                                reset: old.reset.max(reset),
                            }
                        }
                        _ => ServerBudget { remaining, reset },
                    };
                    state.server = Some(budget);
                }
            }
        }
        self.answered.notify_waiters();
    }
}

/// Two resets this close are the same reset, read at different times.
const SAME_RESET: Duration = Duration::from_secs(2);

/// The requests the server says remain, and when its count resets, from
/// `X-RateLimit-Remaining` and `X-RateLimit-Reset` (or `RateLimit-*`). The
/// reset is seconds from now, or a Unix time for values past 10^9.
fn server_budget(headers: &HeaderMap, now: Instant) -> Option<(u64, Instant)> {
    server_budget_for(headers).map(|(remaining, reset)| (remaining, now + reset))
}

/// [`server_budget`] with the reset as the time from now: what a shared
/// store is told, since its clock is not this process's.
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
pub(crate) fn server_budget_for(headers: &HeaderMap) -> Option<(u64, Duration)> {
    let number = |names: [&str; 2]| {
        names.iter().find_map(|name| {
            headers
                .get(*name)?
                .to_str()
                .ok()?
                .trim()
                .parse::<u64>()
                .ok()
        })
    };
    let remaining = number(["x-ratelimit-remaining", "ratelimit-remaining"])?;
    let reset = number(["x-ratelimit-reset", "ratelimit-reset"])?;
    let seconds = if reset >= 1_000_000_000 {
        let unix_now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        reset.saturating_sub(unix_now)
    } else {
        reset
    };
    // A reset further than a day off is not believed.
    let seconds = seconds.min(86_400);
    Some((remaining, Duration::from_secs(seconds)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(
                reqwest::header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        map
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_is_held_to_the_configured_rate() {
        let limiter = RateLimiter::new(&[Limit::new(5, Duration::from_secs(10))]);
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..12 {
            // Answered at once.
            drop(limiter.acquire().await);
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
    async fn a_slot_is_held_until_the_answer_and_counted_from_it() {
        let limiter = RateLimiter::new(&[Limit::new(2, Duration::from_secs(10))]);
        let start = Instant::now();
        let first = limiter.acquire().await;
        let second = limiter.acquire().await;
        assert_eq!(limiter.in_flight(), 2);
        // The first answer comes after 3 s: its slot is free 10 s later.
        let answer = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(3)).await;
            first.finish(200, &HeaderMap::new());
        });
        drop(second);
        let third = limiter.acquire().await;
        assert_eq!((Instant::now() - start).as_secs(), 10, "the second's slot");
        drop(third);
        answer.await.unwrap();
        drop(limiter.acquire().await);
        assert_eq!((Instant::now() - start).as_secs(), 13, "the first's slot");
        assert_eq!(limiter.in_flight(), 0);
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
            drop(clone.acquire().await);
        }
        drop(limiter.acquire().await);
        assert_eq!((Instant::now() - start).as_secs(), 3600);
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_with_retry_after_pauses_every_clone() {
        let limiter = RateLimiter::new(&[]);
        let clone = limiter.clone();
        let start = Instant::now();
        limiter
            .acquire()
            .await
            .finish(429, &headers(&[("retry-after", "7")]));
        drop(clone.acquire().await);
        assert_eq!((Instant::now() - start).as_secs(), 7);
    }

    #[tokio::test(start_paused = true)]
    async fn the_servers_remaining_count_is_followed_until_its_reset() {
        let limiter = RateLimiter::new(&[Limit::new(100, Duration::from_secs(60))]);
        let start = Instant::now();
        limiter.acquire().await.finish(
            200,
            &headers(&[("X-RateLimit-Remaining", "2"), ("X-RateLimit-Reset", "30")]),
        );
        for _ in 0..2 {
            drop(limiter.acquire().await);
        }
        assert_eq!((Instant::now() - start).as_secs(), 0);
        drop(limiter.acquire().await);
        assert_eq!((Instant::now() - start).as_secs(), 30, "until the reset");
        // Without the headers, the configured limits alone.
        limiter.acquire().await.finish(200, &HeaderMap::new());
        assert_eq!((Instant::now() - start).as_secs(), 30);
    }

    #[test]
    fn reset_headers_in_seconds_or_unix_time() {
        let now = Instant::now();
        let (remaining, reset) = server_budget(
            &headers(&[("x-ratelimit-remaining", "5"), ("x-ratelimit-reset", "12")]),
            now,
        )
        .unwrap();
        assert_eq!((remaining, reset - now), (5, Duration::from_secs(12)));
        let unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let (_, reset) = server_budget(
            &headers(&[
                ("ratelimit-remaining", "0"),
                ("ratelimit-reset", &(unix + 40).to_string()),
            ]),
            now,
        )
        .unwrap();
        assert!((39..=40).contains(&(reset - now).as_secs()));
        assert!(server_budget(&headers(&[("x-ratelimit-remaining", "5")]), now).is_none());
        assert!(
            server_budget(
                &headers(&[("x-ratelimit-remaining", "x"), ("x-ratelimit-reset", "1")]),
                now
            )
            .is_none()
        );
    }
}
