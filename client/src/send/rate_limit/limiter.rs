//! The seam between the runtime and where the limit is kept: the runtime
//! asks a [`Limiter`] for a [`Slot`] before each request and finishes the
//! slot with the answer, whatever holds the count.
//!
//! A `Limiter` always holds the in-process [`RateLimiter`], which every
//! clone of a client shares. With a shared limit (feature `redis`,
//! [`SharedRateLimit`](super::shared::SharedRateLimit)) it also holds the
//! store that every process sharing the limit counts in; a request then
//! takes its slot in both, the in-process one first. The in-process count
//! is part of the shared one (every request of this process is in both),
//! so it never holds a request that the shared count would let go; it keeps
//! [`Client::rate_limiter`](crate::Client::rate_limiter) meaningful and
//! pauses the clones of this process at once on a 429.

use reqwest::header::HeaderMap;

use super::{Limit, Permit, RateLimiter, StoreError};

/// What a client asks before each request (see the [module](self)).
#[derive(Clone, Debug)]
pub(crate) struct Limiter {
    local: RateLimiter,
    #[cfg(feature = "redis")]
    shared: Option<std::sync::Arc<super::shared::SharedLimiter>>,
}

impl Limiter {
    /// The in-process limiter alone.
    pub(crate) fn local(limits: &[Limit]) -> Self {
        Limiter {
            local: RateLimiter::new(limits),
            #[cfg(feature = "redis")]
            shared: None,
        }
    }

    /// The in-process limiter in front of the shared store `shared`.
    #[cfg(feature = "redis")]
    pub(crate) fn shared(
        limits: &[Limit],
        shared: std::sync::Arc<super::shared::SharedLimiter>,
    ) -> Self {
        Limiter {
            local: RateLimiter::new(limits),
            shared: Some(shared),
        }
    }

    /// The in-process limiter, shared by the clones of the client.
    pub(crate) fn in_process(&self) -> &RateLimiter {
        &self.local
    }

    /// Waits until one more request fits, then lets it go. Fails only
    /// with a shared limit whose store fails, as its policy says.
    pub(crate) async fn acquire(&self) -> Result<Slot, StoreError> {
        let local = self.local.acquire().await;
        Ok(Slot {
            #[cfg(feature = "redis")]
            shared: match &self.shared {
                Some(shared) => Some(shared.acquire().await?),
                None => None,
            },
            local,
        })
    }

    /// [`acquire`](Self::acquire) for a caller that cannot report a
    /// [`StoreError`] (progenitor's `ClientHooks::exec`, whose error is a
    /// `reqwest::Error`): a failing store holds the request with the
    /// shared limit's local fallback instead.
    pub(crate) async fn acquire_holding(&self) -> Slot {
        let local = self.local.acquire().await;
        Slot {
            #[cfg(feature = "redis")]
            shared: match &self.shared {
                Some(shared) => Some(shared.acquire_holding().await),
                None => None,
            },
            local,
        }
    }
}

/// A request's slot in every count that holds it, until its answer.
/// Dropping it (a failure, a dropped future) ends it at that moment, as
/// for a [`Permit`].
#[derive(Debug)]
#[must_use = "the slot counts as in flight until it is finished or dropped"]
pub(crate) struct Slot {
    local: Permit,
    #[cfg(feature = "redis")]
    shared: Option<super::shared::SharedSlot>,
}

impl Slot {
    /// The answer arrived with `status` and `headers` (see
    /// [`Permit::finish`]); a shared slot tells the store before this
    /// returns, so that a 429's pause reaches the other processes first.
    pub(crate) async fn finish(self, status: u16, headers: &HeaderMap) {
        self.local.finish(status, headers);
        #[cfg(feature = "redis")]
        if let Some(shared) = self.shared {
            shared.finish(status, headers).await;
        }
    }
}
