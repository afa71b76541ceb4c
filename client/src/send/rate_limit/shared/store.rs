//! The seam a shared store fills ([`SlotStore`]), and what passes through
//! it. The Redis store is [`crate::rate_limit::redis`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use reqwest::header::HeaderMap;

use crate::rate_limit::Limit;

/// Opens a store for one count (the Redis one: [`super::redis`]).
pub(crate) trait OpenStore: Send + Sync + fmt::Debug {
    /// The store for the count named `identity`.
    fn open(&self, identity: &str) -> Arc<dyn SlotStore>;
    /// The store's URL with its password replaced.
    fn shown(&self) -> String;
    /// The same store, each use of it bounded by `timeout`.
    fn with_timeout(&self, timeout: Duration) -> Arc<dyn OpenStore>;
}

/// What a store answers to a request for a slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// The request may go; the slot's id in the store.
    Granted(String),
    /// Not before this much time has passed.
    Wait(Duration),
    /// Not before a request in flight is answered.
    UntilAnswered,
    /// The count began again under this epoch (the store lost it, or it
    /// expired): the process first counts its recent requests in it
    /// ([`SlotStore::record`]).
    NewEpoch(String),
}

/// What an answer says that every process must follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Answer {
    /// A 429's `Retry-After`.
    pub(crate) retry_after: Option<Duration>,
    /// The server's remaining count and the time until its reset.
    pub(crate) budget: Option<(u64, Duration)>,
}

impl Answer {
    pub(crate) fn of(status: u16, headers: &HeaderMap) -> Answer {
        Answer {
            retry_after: (status == 429)
                .then(|| crate::retry::retry_after(headers))
                .flatten(),
            budget: crate::rate_limit::server_budget_for(headers),
        }
    }
}

/// The seam a shared store fills: the slot accounting, done atomically on
/// the store, with the store's clock. An `Err` is the store's own message
/// (with no password in it).
pub(crate) trait SlotStore: Send + Sync + fmt::Debug {
    /// The store, as shown in errors (no password).
    fn shown(&self) -> String;
    /// A slot for one more request, if it fits every limit, no pause and
    /// the server's budget, in the count of `epoch`; else how long to wait,
    /// or the count's new epoch. A granted slot is in flight for `lease`,
    /// unless renewed.
    fn acquire<'a>(
        &'a self,
        limits: &'a [Limit],
        lease: Duration,
        epoch: &'a str,
    ) -> BoxFuture<'a, Result<Attempt, String>>;
    /// The slot `id` ended (answered, or failed when `answer` is empty):
    /// it counts from now in every window, and the answer's pause and
    /// budget are shared.
    fn release<'a>(
        &'a self,
        id: &'a str,
        limits: &'a [Limit],
        answer: Answer,
    ) -> BoxFuture<'a, Result<(), String>>;
    /// The slots `ids` are still in flight: held for `lease` from now.
    /// The count's epoch (empty when the count is gone).
    fn renew<'a>(
        &'a self,
        ids: &'a [String],
        limits: &'a [Limit],
        lease: Duration,
    ) -> BoxFuture<'a, Result<String, String>>;
    /// Counts requests the store does not know ([`Record`]); the count's
    /// epoch, and the ids of the new slots in flight.
    fn record<'a>(
        &'a self,
        record: &'a Record,
        limits: &'a [Limit],
        lease: Duration,
    ) -> BoxFuture<'a, Result<(String, Vec<String>), String>>;
}

/// Requests to count in the store, for [`SlotStore::record`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Record {
    /// Answered this long ago.
    pub(crate) ages: Vec<Duration>,
    /// Still in flight, under these ids (held for the lease).
    pub(crate) in_flight: Vec<String>,
    /// Still in flight, with no id yet: as many new slots are made.
    pub(crate) new_in_flight: usize,
    /// When anything is counted, pause every process this long, so that
    /// the others count theirs too before a slot goes.
    pub(crate) pause: Duration,
}
