//! A rate limit shared by every process and machine that uses one token
//! (feature `redis`): the guarantee of [`crate::rate_limit`], kept in a
//! store that all of them count in.
//!
//! ```no_run
//! # fn run() -> Result<(), gitcode::BuildError> {
//! use std::time::Duration;
//! use gitcode::rate_limit::shared::{OnStoreFailure, SharedRateLimit};
//!
//! let client = gitcode::Client::builder()
//!     .token("...")
//!     .shared_rate_limit(
//!         SharedRateLimit::redis("redis://10.0.0.5:6379")?
//!             .name("ci-bot")
//!             .on_failure(OnStoreFailure::FallbackLocal { share: 4 }),
//!     )
//!     .build()?;
//! # Ok(())
//! # }
//! ```
//!
//! # The guarantee, across processes
//!
//! Every process that shares the store counts its requests in it: a
//! request takes a slot there before it goes (atomically, on the store,
//! with the store's clock, so the machines' clocks do not matter) and holds
//! it until its answer arrived, then for one window more, exactly as the
//! in-process limiter does. So no window of arrival times at the server
//! holds more than the limit, over all the processes together. A 429 with
//! `Retry-After` pauses every process, and the server's
//! `X-RateLimit-Remaining`/`-Reset` are shared too: what one process reads
//! caps what all of them let go until the reset. The limits themselves are
//! each process's own ([`ClientBuilder::rate_limits`](crate::ClientBuilder::rate_limits));
//! processes that share a store should configure the same ones.
//!
//! Which requests share a count: those of the same name
//! ([`SharedRateLimit::name`]), or, without one, of the same token (by a
//! SHA-256 hash of it; the token itself is never stored or logged).
//!
//! # A process that dies
//!
//! A slot in flight is a lease that its process renews every second; if the
//! process dies mid-request, the lease runs out within [`LEASE`] and its
//! slot then counts as answered at that moment, so it is free again one
//! window later. Every key the store holds expires by itself once nobody
//! uses it (after the longest window plus the lease).
//!
//! # When the store fails
//!
//! The caller chooses ([`OnStoreFailure`]): wait for the store, retrying it,
//! and fail the call after a bounded time (the default: retry every 0.5 s,
//! give up after 60 s); fall back to a local limiter at a safe share of each
//! limit, with one warning; or fail the call at once. A failed call is
//! [`Error::RateLimitStore`](crate::Error::RateLimitStore)
//! ([`ErrorKind::RateLimitStore`](crate::ErrorKind::RateLimitStore)); its
//! request was never sent. Each attempt on the store is bounded by
//! [`SharedRateLimit::store_timeout`]. Nothing waits without a bound, and
//! the limit is never silently dropped.
//!
//! A store that loses its data (a Redis restarted without persistence) is
//! found out by its count's epoch: the first process that knew the old
//! epoch and finds none pauses every process for 2 s, and each process
//! that sees the new epoch counts there again what it sent in the longest
//! window and what it has in flight (looking at least every second while
//! it has such requests), pausing them all again. A process started in the
//! moment after the loss, before any process that knew the old count came
//! back, does not know to pause.

use std::sync::Arc;
use std::time::Duration;

use super::Limit;
use crate::BuildError;

mod limiter;
mod store;

pub(crate) use limiter::{RECOUNT_PAUSE, SharedLimiter, SharedSlot};
pub(crate) use store::{Answer, Attempt, OpenStore, Record, SlotStore};

/// How long a slot in flight is held without its process renewing it: a
/// process that dies mid-request frees its slots this long after its last
/// renewal, plus one window. Renewed every third of it.
pub const LEASE: Duration = Duration::from_secs(3);

/// What to do when the store cannot be used (down, unreachable, too slow).
/// Every choice is bounded in time; none drops the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnStoreFailure {
    /// Retry the store every `retry_every` until it answers, and fail the
    /// call with [`Error::RateLimitStore`](crate::Error::RateLimitStore)
    /// once `give_up_after` has passed since its first failure. The
    /// default, with 0.5 s and 60 s: the safest for a fleet, which then
    /// sends nothing the store has not counted.
    Wait {
        /// The pause between two tries.
        retry_every: Duration,
        /// How long one call waits in all before failing.
        give_up_after: Duration,
    },
    /// Hold the calls with a limiter in this process at `1/share` of every
    /// limit (at least one request per window), with one warning (target
    /// `gitcode::rate_limit`); set `share` to the number of processes that
    /// share the limit, so that together they stay under it. What the store
    /// let go before it failed is not known, so the share starts one window
    /// (of the shortest limit) after the failure. The store is tried again
    /// every second; when it answers, the requests this process sent
    /// meanwhile are counted in it, and for one more window (at least 2 s)
    /// its requests pass both the store and the share, while the other
    /// processes count theirs too.
    FallbackLocal {
        /// How many processes share the limit (0 is taken as 1).
        share: u32,
    },
    /// Fail the call at once with [`Error::RateLimitStore`](crate::Error::RateLimitStore).
    Fail,
}

impl Default for OnStoreFailure {
    fn default() -> Self {
        OnStoreFailure::Wait {
            retry_every: Duration::from_millis(500),
            give_up_after: Duration::from_secs(60),
        }
    }
}

/// A rate limit kept in a store shared by many processes, for
/// [`ClientBuilder::shared_rate_limit`](crate::ClientBuilder::shared_rate_limit)
/// (see the [module](self) for what it guarantees).
#[derive(Clone, Debug)]
#[must_use]
pub struct SharedRateLimit {
    store: Arc<dyn OpenStore>,
    name: Option<String>,
    on_failure: OnStoreFailure,
}

impl SharedRateLimit {
    /// A limit shared through the store that `store` opens.
    pub(crate) fn with_store(store: Arc<dyn OpenStore>) -> Self {
        SharedRateLimit {
            store,
            name: None,
            on_failure: OnStoreFailure::default(),
        }
    }

    /// The name the processes share the count under, instead of the
    /// token's hash: 1 to 64 letters, digits, `.`, `_`, `-` or `:` (checked
    /// at [`build`](crate::ClientBuilder::build)). Use one when workers
    /// with different tokens of one account share its limit, or to keep
    /// two fleets on one token apart.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// What to do when the store fails (default:
    /// [`OnStoreFailure::Wait`], 0.5 s and 60 s).
    pub fn on_failure(mut self, policy: OnStoreFailure) -> Self {
        self.on_failure = policy;
        self
    }

    /// Each use of the store bounded by `timeout` (see
    /// [`SharedRateLimit::store_timeout`]).
    pub(crate) fn with_timeout(mut self, timeout: Duration) -> Self {
        self.store = self.store.with_timeout(timeout);
        self
    }

    /// The store's URL, with its password replaced by `***`.
    pub fn store(&self) -> String {
        self.store.shown()
    }

    /// Opens the limit for a client with `limits` and `token`.
    pub(crate) fn open(
        self,
        limits: &[Limit],
        token: Option<&str>,
    ) -> Result<Arc<SharedLimiter>, BuildError> {
        let identity = match &self.name {
            Some(name) => checked_name(name)?,
            None => match token {
                Some(token) => token_identity(token),
                None => "anonymous".to_string(),
            },
        };
        let limits: Vec<Limit> = limits.iter().copied().filter(|l| l.requests > 0).collect();
        let share = match self.on_failure {
            OnStoreFailure::FallbackLocal { share } => share.max(1),
            // The calls that cannot fail (`Limiter::acquire_holding`) fall back
            // at the safest share: one request per window.
            _ => u32::MAX,
        };
        let fallback = limits
            .iter()
            .map(|l| Limit::new((l.requests / share).max(1), l.per))
            .collect::<Vec<_>>();
        Ok(Arc::new(SharedLimiter::new(
            self.store.open(&identity),
            limits,
            &fallback,
            self.on_failure,
        )))
    }
}

/// A name the store's keys may hold (see [`SharedRateLimit::name`]).
fn checked_name(name: &str) -> Result<String, BuildError> {
    let fits = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':'));
    if fits {
        Ok(name.to_string())
    } else {
        Err(BuildError::new(format!(
            "shared rate limit name `{name}`: use 1 to 64 letters, digits, `.`, `_`, `-` or `:`"
        )))
    }
}

/// The count's name for a token: `token-` and the first 16 hex digits of
/// its SHA-256, so that the token is in no key.
fn token_identity(token: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(token.as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("token-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_tokens_hashed() {
        assert_eq!(checked_name("ci-bot.v2:eu").unwrap(), "ci-bot.v2:eu");
        for bad in ["", "a}b", "with space", &"x".repeat(65)] {
            let error = checked_name(bad).unwrap_err().to_string();
            assert!(error.contains("shared rate limit name"), "{error}");
        }
        let identity = token_identity("s3cr3t");
        assert_eq!(identity.len(), "token-".len() + 16);
        assert!(!identity.contains("s3cr3t"));
        assert_eq!(identity, token_identity("s3cr3t"));
        assert_ne!(identity, token_identity("other"));
    }
}
