//! When and how long to wait before trying a request again.

use std::time::Duration;

/// Retries of transient failures, safe for every method:
///
/// - a 429 means the server did not act on the request: it is sent again,
///   after `Retry-After`, whatever the method (POST and PATCH included);
/// - so is a request whose connection failed (refused, DNS, TLS): nothing
///   was sent;
/// - 502, 503, 504, timeouts and failures after the request went out are
///   retried for idempotent methods only (GET, HEAD, PUT, DELETE, OPTIONS):
///   the server may have acted, and a create must not create twice.
///
/// The wait before retry `n` (from 1) is `Retry-After` when the server sent
/// one, else `base * 2^(n-1)` capped at `max_delay`, with up to half of it
/// replaced by random jitter.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 switches retries off.
    pub max_retries: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// Spread the waits of clients that failed together.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Whether a request with `method` may be sent again.
    pub fn is_idempotent(method: &reqwest::Method) -> bool {
        use reqwest::Method;
        [
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ]
        .contains(method)
    }

    /// Whether a response status is worth another try (for an idempotent
    /// method; see [`retries_status`](Self::retries_status)).
    pub fn is_retryable_status(status: u16) -> bool {
        matches!(status, 429 | 502 | 503 | 504)
    }

    /// Whether a request with `method` answered `status` is sent again.
    pub fn retries_status(&self, method: &reqwest::Method, status: u16) -> bool {
        self.max_retries > 0
            && (status == 429 || (Self::is_idempotent(method) && Self::is_retryable_status(status)))
    }

    /// Whether a request with `method` that failed with `error` is sent
    /// again.
    pub fn retries_transport(&self, method: &reqwest::Method, error: &reqwest::Error) -> bool {
        self.max_retries > 0
            && (error.is_connect()
                || (Self::is_idempotent(method) && (error.is_timeout() || error.is_request())))
    }

    /// The wait before retry number `retry` (1 for the first retry).
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            // The server's word wins, even past `max_delay`: retrying sooner
            // would only earn another 429.
            return after;
        }
        let exponent = retry.saturating_sub(1).min(20);
        let backoff = self
            .base_delay
            .saturating_mul(1 << exponent)
            .min(self.max_delay);
        if self.jitter {
            let half = backoff / 2;
            half + half.mul_f64(random_unit())
        } else {
            backoff
        }
    }
}

/// A number in [0, 1) from the clock and a counter; jitter needs spread, not
/// cryptographic randomness.
fn random_unit() -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or_default();
    let mut x = COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ nanos;
    // splitmix64 finaliser
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// `Retry-After` as seconds (GitCode's form) or an HTTP date; a date in the
/// past is no wait.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = when.signed_duration_since(chrono::Utc::now());
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        let delays: Vec<u64> = (1..=8)
            .map(|n| policy.delay(n, None).as_millis() as u64)
            .collect();
        assert_eq!(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    }

    #[test]
    fn jitter_stays_between_half_and_full_backoff() {
        let policy = RetryPolicy::default();
        for n in 1..=5 {
            let full = RetryPolicy {
                jitter: false,
                ..policy.clone()
            }
            .delay(n, None);
            for _ in 0..50 {
                let d = policy.delay(n, None);
                assert!(d >= full / 2 && d <= full, "{d:?} vs {full:?}");
            }
        }
    }

    #[test]
    fn retry_after_wins() {
        assert_eq!(
            RetryPolicy::default().delay(1, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        // Even past the backoff cap.
        assert_eq!(
            RetryPolicy::default().delay(1, Some(Duration::from_secs(90))),
            Duration::from_secs(90)
        );
    }

    #[test]
    fn only_idempotent_methods_and_transient_statuses() {
        assert!(RetryPolicy::is_idempotent(&reqwest::Method::GET));
        assert!(RetryPolicy::is_idempotent(&reqwest::Method::DELETE));
        assert!(!RetryPolicy::is_idempotent(&reqwest::Method::POST));
        assert!(!RetryPolicy::is_idempotent(&reqwest::Method::PATCH));
        for s in [429, 502, 503, 504] {
            assert!(RetryPolicy::is_retryable_status(s));
        }
        for s in [400, 401, 404, 500, 501] {
            assert!(!RetryPolicy::is_retryable_status(s));
        }
    }

    #[test]
    fn a_429_is_retried_for_every_method_a_503_only_for_idempotent_ones() {
        use reqwest::Method;
        let policy = RetryPolicy::default();
        for method in [Method::GET, Method::POST, Method::PATCH, Method::DELETE] {
            assert!(policy.retries_status(&method, 429), "{method}");
        }
        assert!(policy.retries_status(&Method::GET, 503));
        assert!(!policy.retries_status(&Method::POST, 503));
        assert!(!policy.retries_status(&Method::PATCH, 502));
        assert!(!policy.retries_status(&Method::GET, 500));
        assert!(!RetryPolicy::none().retries_status(&Method::GET, 429));
    }
}
