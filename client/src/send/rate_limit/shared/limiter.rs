//! The shared limit of one client and its clones ([`SharedLimiter`]): the
//! waiting, the failure policy, the local fallback, the leases renewed and
//! the count given again to a store that lost it, whatever the store (see
//! the [parent module](super) for what it guarantees).

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::time::Instant;

use super::store::{Answer, Attempt, Record, SlotStore};
use super::{LEASE, OnStoreFailure};
use crate::rate_limit::{Limit, Permit, RateLimiter, StoreError};

/// How often a request that waits for an answer in flight (every slot of a
/// window held by a request not yet answered) asks the store again.
const POLL: Duration = Duration::from_millis(20);

/// The longest a request sleeps between two looks at the store.
const LONGEST_NAP: Duration = Duration::from_secs(5);

/// How often a process on its local fallback tries the store again.
const PROBE_EVERY: Duration = Duration::from_secs(1);

/// How long every process pauses when one finds that the store lost the
/// count (a Redis restarted without persistence): long enough for the
/// others, which look at least every [`LEASE`]` / 3` while they have recent
/// requests, to count those there again.
pub(crate) const RECOUNT_PAUSE: Duration = Duration::from_secs(2);

/// The shared limit of one client and its clones.
#[derive(Debug)]
pub(crate) struct SharedLimiter {
    store: Arc<dyn SlotStore>,
    limits: Vec<Limit>,
    shortest: Duration,
    longest: Duration,
    policy: OnStoreFailure,
    renewing: AtomicBool,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// The count's epoch in the store, as this process last saw it.
    epoch: String,
    /// When this process's store slots ended, for the longest window:
    /// counted in the store again if it lost the count.
    history: VecDeque<Instant>,
    /// The store's ids of this process's slots in flight, renewed.
    in_flight: HashSet<String>,
    /// The current outage was logged.
    outage_reported: bool,
    fallback: Fallback,
}

/// The local limiter of [`OnStoreFailure::FallbackLocal`].
#[derive(Debug)]
struct Fallback {
    limiter: RateLimiter,
    active: bool,
    /// Back on the store since a moment ago: until then every slot also
    /// passes the fallback limiter, while the other processes count in the
    /// store what they sent on theirs.
    probation_until: Option<Instant>,
    next_probe: Instant,
    /// Fallback slots not ended yet.
    in_flight: usize,
    /// When fallback slots ended, for the longest window: counted in the
    /// store when it answers again.
    answered: VecDeque<Instant>,
    /// Store ids taken for the fallback slots in flight when the store came
    /// back; each such slot releases one when it ends.
    adopted: Vec<String>,
}

/// A request's slot in the shared limit.
#[derive(Debug)]
pub(crate) struct SharedSlot {
    limiter: Arc<SharedLimiter>,
    kind: Option<Kind>,
    /// The fallback limiter's slot of a store slot taken on probation.
    probation: Option<Permit>,
}

#[derive(Debug)]
enum Kind {
    /// Held in the store under this id.
    Store(String),
    /// Held by the local fallback.
    Fallback(Permit),
}

impl SharedLimiter {
    /// A limiter keeping `limits` in `store`, holding calls with a local
    /// limiter of `fallback` limits when `policy` says so.
    pub(crate) fn new(
        store: Arc<dyn SlotStore>,
        limits: Vec<Limit>,
        fallback: &[Limit],
        policy: OnStoreFailure,
    ) -> SharedLimiter {
        SharedLimiter {
            store,
            shortest: limits.iter().map(|l| l.per).min().unwrap_or_default(),
            longest: limits.iter().map(|l| l.per).max().unwrap_or_default(),
            limits,
            policy,
            renewing: AtomicBool::new(false),
            state: Mutex::new(State {
                epoch: String::new(),
                history: VecDeque::new(),
                in_flight: HashSet::new(),
                outage_reported: false,
                fallback: Fallback {
                    limiter: RateLimiter::new(fallback),
                    active: false,
                    probation_until: None,
                    next_probe: Instant::now(),
                    in_flight: 0,
                    answered: VecDeque::new(),
                    adopted: Vec::new(),
                },
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for a slot; fails as the policy says when the store fails.
    pub(crate) async fn acquire(self: &Arc<Self>) -> Result<SharedSlot, StoreError> {
        self.acquire_under(self.policy).await
    }

    /// Waits for a slot, falling back to the local limiter when the store
    /// fails, whatever the policy (see [`super::Limiter::acquire_holding`]).
    pub(crate) async fn acquire_holding(self: &Arc<Self>) -> SharedSlot {
        let policy = match self.policy {
            fallback @ OnStoreFailure::FallbackLocal { .. } => fallback,
            // The fallback limiter of these policies allows one request
            // per window (`SharedRateLimit::open`).
            _ => OnStoreFailure::FallbackLocal { share: u32::MAX },
        };
        loop {
            // `FallbackLocal` fails no call: this runs once.
            if let Ok(slot) = self.acquire_under(policy).await {
                return slot;
            }
        }
    }

    async fn acquire_under(
        self: &Arc<Self>,
        policy: OnStoreFailure,
    ) -> Result<SharedSlot, StoreError> {
        self.start_renewing();
        let falls_back = matches!(policy, OnStoreFailure::FallbackLocal { .. });
        let mut failing_since: Option<Instant> = None;
        let mut probation: Option<Permit> = None;
        loop {
            if falls_back && self.lock().fallback.active {
                if self.rejoin().await {
                    continue;
                }
                return Ok(self.fallback_slot().await);
            }
            // Kept while the store makes this request wait.
            if probation.is_none() {
                probation = self.probation_permit().await;
            }
            let epoch = self.lock().epoch.clone();
            match self.store.acquire(&self.limits, LEASE, &epoch).await {
                Ok(attempt) => {
                    failing_since = None;
                    self.store_answered();
                    match attempt {
                        Attempt::Granted(id) => {
                            self.lock().in_flight.insert(id.clone());
                            let mut slot = self.slot(Kind::Store(id));
                            slot.probation = probation.take();
                            return Ok(slot);
                        }
                        Attempt::Wait(wait) => tokio::time::sleep(wait.min(LONGEST_NAP)).await,
                        Attempt::UntilAnswered => tokio::time::sleep(POLL).await,
                        Attempt::NewEpoch(epoch) => self.recount(Some(epoch)).await,
                    }
                }
                Err(cause) => {
                    let error = StoreError::new(self.store.shown(), cause);
                    match policy {
                        OnStoreFailure::Fail => return Err(error),
                        OnStoreFailure::Wait {
                            retry_every,
                            give_up_after,
                        } => {
                            let since = *failing_since.get_or_insert_with(Instant::now);
                            let waited = since.elapsed();
                            if waited >= give_up_after {
                                return Err(error.after(waited));
                            }
                            self.report_outage(&error, "waiting for it");
                            tokio::time::sleep(retry_every.min(give_up_after - waited)).await;
                        }
                        OnStoreFailure::FallbackLocal { .. } => {
                            let mut state = self.lock();
                            if !state.fallback.active {
                                state.fallback.active = true;
                                state.fallback.next_probe = Instant::now() + PROBE_EVERY;
                                // What the store let go in the last window
                                // is not known here: the share starts when
                                // that window has passed.
                                state.fallback.limiter.pause_for(self.shortest);
                                tracing::warn!(
                                    target: "gitcode::rate_limit",
                                    store = %self.store.shown(),
                                    cause = error.cause(),
                                    "the shared rate limit's store failed: this process falls back \
                                     to its share of the limit until the store answers again"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    fn slot(self: &Arc<Self>, kind: Kind) -> SharedSlot {
        SharedSlot {
            limiter: self.clone(),
            kind: Some(kind),
            probation: None,
        }
    }

    /// The fallback limiter's slot, while on probation after the store came
    /// back (see [`Fallback::probation_until`]).
    async fn probation_permit(&self) -> Option<Permit> {
        let limiter = {
            let mut state = self.lock();
            let fallback = &mut state.fallback;
            match fallback.probation_until {
                Some(until) if Instant::now() < until => fallback.limiter.clone(),
                Some(_) => {
                    fallback.probation_until = None;
                    return None;
                }
                None => return None,
            }
        };
        Some(limiter.acquire().await)
    }

    /// The store answered: an outage in progress is over.
    fn store_answered(&self) {
        let mut state = self.lock();
        if state.outage_reported {
            state.outage_reported = false;
            tracing::info!(target: "gitcode::rate_limit", store = %self.store.shown(),
                "the shared rate limit's store answers again");
        }
    }

    /// Warns once per outage.
    fn report_outage(&self, error: &StoreError, doing: &str) {
        let mut state = self.lock();
        if !state.outage_reported {
            state.outage_reported = true;
            tracing::warn!(target: "gitcode::rate_limit", store = %error.store(),
                cause = error.cause(), "the shared rate limit's store failed: {doing}");
        }
    }

    /// A slot of the local fallback.
    async fn fallback_slot(self: &Arc<Self>) -> SharedSlot {
        let limiter = self.lock().fallback.limiter.clone();
        let permit = limiter.acquire().await;
        self.lock().fallback.in_flight += 1;
        self.slot(Kind::Fallback(permit))
    }

    /// On the fallback, when it is time: tries the store, counting there
    /// what was sent without it. `true` when back on the store. Tried by
    /// the requests and, every second, by the renewing task, so that an
    /// idle process counts its fallback's requests soon too.
    async fn rejoin(&self) -> bool {
        let (ages, in_flight) = {
            let mut state = self.lock();
            let now = Instant::now();
            let fallback = &mut state.fallback;
            if now < fallback.next_probe {
                return false;
            }
            fallback.next_probe = now + PROBE_EVERY;
            forget_before(&mut fallback.answered, now, self.longest);
            let ages: Vec<Duration> = fallback.answered.iter().map(|&t| now - t).collect();
            (ages, fallback.in_flight)
        };
        let record = Record {
            ages: ages.clone(),
            new_in_flight: in_flight,
            ..Record::default()
        };
        let Ok((epoch, ids)) = self.store.record(&record, &self.limits, LEASE).await else {
            return false;
        };
        let lost = self.lock().epoch != epoch;
        let (surplus, late) = {
            let mut state = self.lock();
            let state = &mut *state;
            state.in_flight.extend(ids.iter().cloned());
            let fallback = &mut state.fallback;
            fallback.active = false;
            fallback.probation_until = Some(Instant::now() + self.shortest.max(PROBE_EVERY * 2));
            fallback.adopted.extend(ids);
            // Fallback slots that ended while the store was being told: as
            // many ids as ended are surplus, and the answers are new. Both
            // are counted (some twice, which is on the safe side).
            let now = Instant::now();
            let late: Vec<Duration> = fallback
                .answered
                .drain(..)
                .skip(ages.len())
                .map(|t| now - t)
                .collect();
            let surplus = fallback.adopted.len().saturating_sub(fallback.in_flight);
            let ids: Vec<String> = fallback.adopted.drain(..surplus).collect();
            for id in &ids {
                state.in_flight.remove(id);
            }
            (ids, late)
        };
        for id in &surplus {
            let _ = self
                .store
                .release(id, &self.limits, Answer::default())
                .await;
        }
        if !late.is_empty() {
            let late = Record {
                ages: late,
                ..Record::default()
            };
            let _ = self.store.record(&late, &self.limits, LEASE).await;
        }
        if lost {
            // The store lost the count while it was down: what this
            // process sent through it before is to be counted too.
            self.recount(None).await;
        }
        tracing::info!(target: "gitcode::rate_limit", store = %self.store.shown(),
            "the shared rate limit's store answers again: this process is back on it");
        true
    }

    /// The store has a new epoch (`Some`, from [`SlotStore::acquire`]; or
    /// one to learn, `None`): it lost the count, or the count expired. This
    /// process counts there again what it sent through the store in the
    /// longest window and what it has in flight, pausing every process for
    /// [`RECOUNT_PAUSE`] so that the others do too. With nothing to count,
    /// it takes the new epoch as it is.
    async fn recount(&self, epoch: Option<String>) {
        let record = {
            let mut state = self.lock();
            let now = Instant::now();
            forget_before(&mut state.history, now, self.longest);
            let record = Record {
                ages: state.history.iter().map(|&t| now - t).collect(),
                in_flight: state.in_flight.iter().cloned().collect(),
                new_in_flight: 0,
                pause: RECOUNT_PAUSE,
            };
            if record.ages.is_empty() && record.in_flight.is_empty() {
                if let Some(epoch) = epoch {
                    state.epoch = epoch;
                }
                return;
            }
            record
        };
        match self.store.record(&record, &self.limits, LEASE).await {
            Ok((epoch, _)) => {
                tracing::warn!(target: "gitcode::rate_limit", store = %self.store.shown(),
                    answered = record.ages.len(), in_flight = record.in_flight.len(),
                    "the shared rate limit's store lost its count: this process counted its \
                     recent requests there again");
                self.lock().epoch = epoch;
            }
            Err(cause) => {
                tracing::debug!(target: "gitcode::rate_limit", cause, "counting again failed");
            }
        }
    }

    /// Renews this process's leases while it lives, and brings it back from
    /// its fallback (started on the first request, in the runtime that
    /// sends it).
    fn start_renewing(self: &Arc<Self>) {
        if self.renewing.swap(true, Ordering::AcqRel) {
            return;
        }
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(LEASE / 3).await;
                let Some(limiter) = weak.upgrade() else {
                    return;
                };
                if limiter.lock().fallback.active {
                    limiter.rejoin().await;
                }
                let (ids, known, recent) = {
                    let state = limiter.lock();
                    let recent = state
                        .history
                        .back()
                        .is_some_and(|&t| t.elapsed() < limiter.longest);
                    let ids: Vec<String> = state.in_flight.iter().cloned().collect();
                    (ids, state.epoch.clone(), recent)
                };
                // With slots in flight or answered in the window, the
                // store's count matters: look whether it still has it.
                if ids.is_empty() && !recent {
                    continue;
                }
                match limiter.store.renew(&ids, &limiter.limits, LEASE).await {
                    Ok(epoch) if epoch != known => limiter.recount(None).await,
                    Ok(_) => {}
                    Err(cause) => {
                        tracing::debug!(target: "gitcode::rate_limit", cause, "renewing leases failed");
                    }
                }
            }
        });
    }

    /// Ends a slot with `answer` (empty: failed or dropped).
    async fn end(self: Arc<Self>, ended: Ended, answer: Answer) {
        let id = match ended {
            Ended::Store(id) => {
                let mut state = self.lock();
                let now = Instant::now();
                state.in_flight.remove(&id);
                forget_before(&mut state.history, now, self.longest);
                state.history.push_back(now);
                Some(id)
            }
            Ended::Fallback => {
                let mut state = self.lock();
                let state = &mut *state;
                state.fallback.in_flight = state.fallback.in_flight.saturating_sub(1);
                if state.fallback.active {
                    state.fallback.answered.push_back(Instant::now());
                    return;
                }
                // Back on the store since this slot went: it ends the store
                // slot taken for it, or, if it went while the store was
                // being told, it is counted there now.
                let id = state.fallback.adopted.pop();
                if let Some(id) = &id {
                    state.in_flight.remove(id);
                }
                id
            }
        };
        let result = match id {
            Some(id) => self.store.release(&id, &self.limits, answer).await,
            None => {
                let record = Record {
                    ages: vec![Duration::ZERO],
                    ..Record::default()
                };
                self.store
                    .record(&record, &self.limits, LEASE)
                    .await
                    .map(drop)
            }
        };
        if let Err(cause) = result {
            // A lease runs out instead: the slot is held a little longer.
            tracing::debug!(target: "gitcode::rate_limit", cause, "ending a slot in the store failed");
        }
    }
}

/// Drops the times of `ended` that are `window` or more before `now`.
fn forget_before(ended: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while ended
        .front()
        .is_some_and(|&t| now.duration_since(t) >= window)
    {
        ended.pop_front();
    }
}

/// How a slot ended, for [`SharedLimiter::end`].
enum Ended {
    Store(String),
    Fallback,
}

impl Kind {
    /// Ends a fallback slot's local permit (with the answer, when there is
    /// one); what is left to tell the store.
    fn ended(self, answer: Option<(u16, &HeaderMap)>) -> Ended {
        match self {
            Kind::Store(id) => Ended::Store(id),
            Kind::Fallback(permit) => {
                match answer {
                    Some((status, headers)) => permit.finish(status, headers),
                    None => drop(permit),
                }
                Ended::Fallback
            }
        }
    }
}

impl SharedSlot {
    /// The answer arrived: the store counts the slot from now and shares
    /// the answer's pause and budget (the local fallback follows them too).
    pub(crate) async fn finish(mut self, status: u16, headers: &HeaderMap) {
        if let Some(permit) = self.probation.take() {
            permit.finish(status, headers);
        }
        if let Some(kind) = self.kind.take() {
            let ended = kind.ended(Some((status, headers)));
            self.limiter
                .clone()
                .end(ended, Answer::of(status, headers))
                .await;
        }
    }
}

impl Drop for SharedSlot {
    fn drop(&mut self) {
        let Some(kind) = self.kind.take() else {
            return;
        };
        let ended = kind.ended(None);
        // Outside a runtime (one shutting down), the lease runs out instead.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(self.limiter.clone().end(ended, Answer::default()));
        }
    }
}

#[cfg(test)]
mod tests {
    use futures::future::BoxFuture;

    use super::*;
    use crate::rate_limit::shared::{OpenStore, SharedRateLimit};

    /// A store that grants every slot, counts what it was told, and can be
    /// made to fail.
    #[derive(Debug, Default)]
    struct Memory {
        state: Mutex<MemoryState>,
    }

    #[derive(Debug, Default)]
    struct MemoryState {
        down: bool,
        /// Changed to make the store lose its count.
        epoch: String,
        next: u64,
        in_flight: HashSet<String>,
        released: u64,
        recorded_answered: usize,
        recorded_in_flight: usize,
        pauses: Vec<Duration>,
    }

    impl Memory {
        fn set_down(&self, down: bool) {
            self.state.lock().unwrap().down = down;
        }
        fn check(&self) -> Result<MutexGuard<'_, MemoryState>, String> {
            let state = self.state.lock().unwrap();
            if state.down {
                Err("connection refused".into())
            } else {
                Ok(state)
            }
        }
    }

    impl SlotStore for Memory {
        fn shown(&self) -> String {
            "memory://".into()
        }
        fn acquire<'a>(
            &'a self,
            _: &'a [Limit],
            _: Duration,
            epoch: &'a str,
        ) -> BoxFuture<'a, Result<Attempt, String>> {
            Box::pin(async move {
                let mut state = self.check()?;
                if epoch != state.epoch {
                    return Ok(Attempt::NewEpoch(state.epoch.clone()));
                }
                state.next += 1;
                let id = state.next.to_string();
                state.in_flight.insert(id.clone());
                Ok(Attempt::Granted(id))
            })
        }
        fn release<'a>(
            &'a self,
            id: &'a str,
            _: &'a [Limit],
            answer: Answer,
        ) -> BoxFuture<'a, Result<(), String>> {
            Box::pin(async move {
                let mut state = self.check()?;
                state.in_flight.remove(id);
                state.released += 1;
                state.pauses.extend(answer.retry_after);
                Ok(())
            })
        }
        fn renew<'a>(
            &'a self,
            _: &'a [String],
            _: &'a [Limit],
            _: Duration,
        ) -> BoxFuture<'a, Result<String, String>> {
            Box::pin(async move { self.check().map(|state| state.epoch.clone()) })
        }
        fn record<'a>(
            &'a self,
            record: &'a Record,
            _: &'a [Limit],
            _: Duration,
        ) -> BoxFuture<'a, Result<(String, Vec<String>), String>> {
            Box::pin(async move {
                let mut state = self.check()?;
                state.recorded_answered += record.ages.len();
                state.recorded_in_flight += record.new_in_flight + record.in_flight.len();
                if !record.pause.is_zero() {
                    state.pauses.push(record.pause);
                }
                let ids: Vec<String> = (0..record.new_in_flight).map(|i| format!("r{i}")).collect();
                state.in_flight.extend(ids.iter().cloned());
                state.in_flight.extend(record.in_flight.iter().cloned());
                Ok((state.epoch.clone(), ids))
            })
        }
    }

    #[derive(Debug)]
    struct Opens(Arc<Memory>);

    impl OpenStore for Opens {
        fn open(&self, _: &str) -> Arc<dyn SlotStore> {
            self.0.clone()
        }
        fn shown(&self) -> String {
            "memory://".into()
        }
        fn with_timeout(&self, _: Duration) -> Arc<dyn OpenStore> {
            Arc::new(Opens(self.0.clone()))
        }
    }

    fn limiter(
        memory: &Arc<Memory>,
        policy: OnStoreFailure,
        limits: &[Limit],
    ) -> Arc<SharedLimiter> {
        SharedRateLimit::with_store(Arc::new(Opens(memory.clone())))
            .on_failure(policy)
            .open(limits, Some("t"))
            .unwrap()
    }

    const WAIT: OnStoreFailure = OnStoreFailure::Wait {
        retry_every: Duration::from_secs(1),
        give_up_after: Duration::from_secs(5),
    };

    #[tokio::test(start_paused = true)]
    async fn a_slot_is_released_in_the_store_with_the_answers_pause() {
        let memory = Arc::new(Memory::default());
        let shared = limiter(&memory, OnStoreFailure::Fail, &[]);
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "7".parse().unwrap());
        shared.acquire().await.unwrap().finish(429, &headers).await;
        let dropped = shared.acquire().await.unwrap();
        assert_eq!(memory.state.lock().unwrap().in_flight.len(), 1);
        drop(dropped);
        tokio::task::yield_now().await;
        let state = memory.state.lock().unwrap();
        assert_eq!((state.released, state.in_flight.len()), (2, 0));
        assert_eq!(state.pauses, [Duration::from_secs(7)]);
    }

    #[tokio::test(start_paused = true)]
    async fn fail_fails_at_once_and_names_the_store() {
        let memory = Arc::new(Memory::default());
        memory.set_down(true);
        let error = limiter(&memory, OnStoreFailure::Fail, &[])
            .acquire()
            .await
            .unwrap_err();
        assert_eq!(error.waited(), None);
        assert_eq!(
            error.to_string(),
            "the shared rate limit's store memory:// failed: connection refused; the request was not sent"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn wait_gives_up_after_its_bound() {
        let memory = Arc::new(Memory::default());
        memory.set_down(true);
        let started = Instant::now();
        let error = limiter(&memory, WAIT, &[]).acquire().await.unwrap_err();
        assert_eq!(error.waited(), Some(Duration::from_secs(5)));
        assert_eq!(started.elapsed(), Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn wait_goes_on_when_the_store_is_back() {
        let memory = Arc::new(Memory::default());
        memory.set_down(true);
        let shared = limiter(&memory, WAIT, &[]);
        let back = memory.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(2500)).await;
            back.set_down(false);
        });
        let slot = shared.acquire().await.unwrap();
        assert!(matches!(slot.kind, Some(Kind::Store(_))));
    }

    #[tokio::test(start_paused = true)]
    async fn fallback_holds_a_share_and_counts_it_in_the_store_when_back() {
        let memory = Arc::new(Memory::default());
        memory.set_down(true);
        let limits = [Limit::new(8, Duration::from_secs(60))];
        let shared = limiter(&memory, OnStoreFailure::FallbackLocal { share: 4 }, &limits);
        // What the store let go before it failed is unknown: the share
        // starts one window later. A quarter of 8 then; the third waits.
        let started = Instant::now();
        let first = shared.acquire().await.unwrap();
        assert!(matches!(first.kind, Some(Kind::Fallback(_))));
        assert_eq!(started.elapsed(), Duration::from_secs(60));
        first.finish(200, &HeaderMap::new()).await;
        let in_flight = shared.acquire().await.unwrap();
        let third = tokio::time::timeout(Duration::from_secs(30), shared.acquire()).await;
        assert!(third.is_err(), "a third slot within the window");
        // The store is back: the next request counts the two fallback
        // slots there (one answered, one in flight) and goes through it.
        memory.set_down(false);
        tokio::time::sleep(PROBE_EVERY).await;
        let next = shared.acquire().await.unwrap();
        assert!(matches!(next.kind, Some(Kind::Store(_))));
        {
            let state = memory.state.lock().unwrap();
            assert_eq!((state.recorded_answered, state.recorded_in_flight), (1, 1));
            assert_eq!(state.in_flight.len(), 2);
        }
        // The fallback slot in flight ends the store slot taken for it.
        in_flight.finish(200, &HeaderMap::new()).await;
        next.finish(200, &HeaderMap::new()).await;
        assert_eq!(memory.state.lock().unwrap().in_flight.len(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_store_that_lost_the_count_gets_this_processs_recent_requests_again() {
        let memory = Arc::new(Memory::default());
        let limits = [Limit::new(10, Duration::from_secs(60))];
        let shared = limiter(&memory, OnStoreFailure::Fail, &limits);
        for _ in 0..3 {
            shared
                .acquire()
                .await
                .unwrap()
                .finish(200, &HeaderMap::new())
                .await;
        }
        let in_flight = shared.acquire().await.unwrap();
        // Long enough ago for one of the three to have left the window.
        tokio::time::sleep(Duration::from_secs(30)).await;
        shared
            .acquire()
            .await
            .unwrap()
            .finish(200, &HeaderMap::new())
            .await;
        tokio::time::sleep(Duration::from_secs(31)).await;
        memory.state.lock().unwrap().epoch = "reborn".into();
        let next = shared.acquire().await.unwrap();
        {
            let state = memory.state.lock().unwrap();
            // The one answered 31 s ago and the one in flight, not the
            // three answered 61 s ago; every process paused meanwhile.
            assert_eq!((state.recorded_answered, state.recorded_in_flight), (1, 1));
            assert_eq!(state.pauses, [RECOUNT_PAUSE]);
        }
        next.finish(200, &HeaderMap::new()).await;
        in_flight.finish(200, &HeaderMap::new()).await;
        // Counted once: the next slot is taken in the new epoch at once.
        drop(shared.acquire().await.unwrap());
        assert_eq!(memory.state.lock().unwrap().recorded_answered, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_that_cannot_fail_falls_back_to_one_request_per_window() {
        let memory = Arc::new(Memory::default());
        memory.set_down(true);
        let limits = [Limit::new(50, Duration::from_secs(60))];
        let shared = limiter(&memory, OnStoreFailure::Fail, &limits);
        assert!(shared.acquire().await.is_err());
        drop(shared.acquire_holding().await);
        let second = tokio::time::timeout(Duration::from_secs(59), shared.acquire_holding()).await;
        assert!(second.is_err(), "a second slot within the window");
    }
}
