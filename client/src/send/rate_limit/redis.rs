//! The shared rate limit's store on Redis (feature `redis`):
//! [`SharedRateLimit::redis`].
//!
//! The client is [redis-rs](https://docs.rs/redis) (the `redis` crate), the
//! maintained Rust client of the Redis project's own organisation: a
//! multiplexed connection that reconnects by itself (its
//! `ConnectionManager`), scripts sent by hash with `EVALSHA` and again in
//! full when the server does not know them yet, and `rediss://` over rustls,
//! the same TLS library the HTTP client uses by default, so no second TLS
//! stack is built.
//!
//! The connection is made at the first request, in the Tokio runtime that
//! sends it, and kept for the client and its clones; a client whose runtime
//! ended is built again in the next one. Each use of the server is bounded
//! by [`SharedRateLimit::store_timeout`], connecting included.
//!
//! # What the store holds
//!
//! Each count lives under `gitcode:rl:{ID}:`, where `ID` is the name given
//! ([`SharedRateLimit::name`]) or `token-` and 16 hex digits of the token's
//! SHA-256 (the braces are a hash tag: on a Redis Cluster, every key of one
//! count is on one node, as its scripts need):
//!
//! | key | type | holds | expires |
//! | --- | --- | --- | --- |
//! | `…:f` | sorted set | the slots in flight, scored by their lease's end | lease + longest window after the last write |
//! | `…:w:<ms>` | sorted set | the slots answered in the window of `<ms>` milliseconds, scored by the answer's time | one window after the last write |
//! | `…:p` | string | a 429's pause | when the pause ends |
//! | `…:s` | hash | the server's `remaining` count and its `reset` | at the reset |
//! | `…:n` | counter | the sequence of slot ids | lease + longest window |
//! | `…:e` | string | the count's epoch: the store's time when it began | lease + longest window after the last slot |
//!
//! Four Lua scripts do the accounting, each in one round trip and
//! atomically, with the Redis server's clock (`TIME`): take a slot or say how
//! long to wait (`acquire.lua`); end a slot with its answer (`release.lua`);
//! renew the leases of a process's slots in flight (`renew.lua`); count
//! requests the store does not know (`record.lua`): those a process sent on
//! its local fallback, and, when the store lost the count (a new epoch),
//! those each process sent in the last window and has in flight.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use futures::future::BoxFuture;

use super::Limit;
use super::shared::{
    Answer, Attempt, OpenStore, RECOUNT_PAUSE, Record, SharedRateLimit, SlotStore,
};
use crate::BuildError;

impl SharedRateLimit {
    /// A limit shared through the Redis server at `url`: `redis://` or
    /// `rediss://` (TLS), with a user and password if the server wants
    /// them (`redis://:PASSWORD@host:6379/0`), or `redis+unix:///path` for
    /// a Unix socket. Nothing is connected until the first request.
    ///
    /// Fails on a URL that is not one of those, and on `rediss://` in a
    /// build whose TLS is not rustls (feature `native-tls` alone) where no
    /// rustls crypto provider is installed. The error never shows the
    /// password.
    pub fn redis(url: &str) -> Result<SharedRateLimit, BuildError> {
        let shown = redact(url);
        let invalid =
            |why: String| BuildError::new(format!("shared rate limit: Redis URL `{shown}`: {why}"));
        let parsed = reqwest::Url::parse(url).map_err(|e| invalid(e.to_string()))?;
        match parsed.scheme() {
            "redis" | "redis+unix" | "unix" => {}
            "rediss" => crate::tls::rustls_provider_for_redis().map_err(invalid)?,
            other => {
                return Err(invalid(format!(
                    "`{other}://` is not a Redis URL (use redis://, rediss:// or redis+unix://)"
                )));
            }
        }
        let client =
            ::redis::Client::open(url).map_err(|e| invalid(redact_in(&e.to_string(), url)))?;
        Ok(SharedRateLimit::with_store(Arc::new(Redis {
            client,
            shown,
            timeout: DEFAULT_TIMEOUT,
        })))
    }

    /// How long one use of the store may take, connecting included
    /// (default 2 s), before it counts as failed and the
    /// [`OnStoreFailure`](super::shared::OnStoreFailure) applies.
    pub fn store_timeout(self, timeout: Duration) -> SharedRateLimit {
        self.with_timeout(timeout)
    }
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// The Redis server of a [`SharedRateLimit`], before a count is opened.
#[derive(Clone)]
pub(crate) struct Redis {
    client: ::redis::Client,
    shown: String,
    timeout: Duration,
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redis").field("url", &self.shown).finish()
    }
}

impl OpenStore for Redis {
    fn open(&self, identity: &str) -> Arc<dyn SlotStore> {
        let prefix = format!("gitcode:rl:{{{identity}}}:");
        Arc::new(RedisStore {
            redis: self.clone(),
            keys: Keys {
                in_flight: format!("{prefix}f"),
                pause: format!("{prefix}p"),
                budget: format!("{prefix}s"),
                sequence: format!("{prefix}n"),
                epoch: format!("{prefix}e"),
                prefix,
            },
            connection: tokio::sync::OnceCell::new(),
        })
    }

    fn shown(&self) -> String {
        self.shown.clone()
    }

    fn with_timeout(&self, timeout: Duration) -> Arc<dyn OpenStore> {
        Arc::new(Redis {
            timeout,
            ..self.clone()
        })
    }
}

/// The keys of one count (see the [module](self)).
#[derive(Debug)]
struct Keys {
    prefix: String,
    in_flight: String,
    pause: String,
    budget: String,
    sequence: String,
    epoch: String,
}

impl Keys {
    fn window(&self, limit: &Limit) -> String {
        format!("{}w:{}", self.prefix, limit.per.as_millis())
    }
}

/// One count on a Redis server.
struct RedisStore {
    redis: Redis,
    keys: Keys,
    /// Made on first use, in the runtime that uses it.
    connection: tokio::sync::OnceCell<ConnectionManager>,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("url", &self.redis.shown)
            .field("keys", &self.keys.prefix)
            .finish()
    }
}

/// Each script, after the clock they all read.
fn script(body: &str) -> ::redis::Script {
    ::redis::Script::new(&format!("{}\n{body}", include_str!("redis/common.lua")))
}

static ACQUIRE: LazyLock<::redis::Script> =
    LazyLock::new(|| script(include_str!("redis/acquire.lua")));
static RELEASE: LazyLock<::redis::Script> =
    LazyLock::new(|| script(include_str!("redis/release.lua")));
static RENEW: LazyLock<::redis::Script> = LazyLock::new(|| script(include_str!("redis/renew.lua")));
static RECORD: LazyLock<::redis::Script> =
    LazyLock::new(|| script(include_str!("redis/record.lua")));

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

impl RedisStore {
    /// A script invocation with every key of the count, the windows last.
    fn invocation<'a>(
        &self,
        script: &'a ::redis::Script,
        limits: &[Limit],
    ) -> ::redis::ScriptInvocation<'a> {
        let mut invocation = script.prepare_invoke();
        invocation
            .key(&self.keys.in_flight)
            .key(&self.keys.pause)
            .key(&self.keys.budget)
            .key(&self.keys.sequence)
            .key(&self.keys.epoch);
        for limit in limits {
            invocation.key(self.keys.window(limit));
        }
        invocation
    }

    /// Runs `invocation`, bounded by the store's timeout.
    async fn run<T: ::redis::FromRedisValue>(
        &self,
        invocation: ::redis::ScriptInvocation<'_>,
    ) -> Result<T, String> {
        let attempt = async {
            let connection = self
                .connection
                .get_or_try_init(|| async {
                    let config = ConnectionManagerConfig::new()
                        .set_connection_timeout(Some(self.redis.timeout))
                        .set_response_timeout(Some(self.redis.timeout))
                        .set_number_of_retries(1);
                    ConnectionManager::new_lazy_with_config(self.redis.client.clone(), config)
                })
                .await
                .map_err(|e| self.describe(&e))?;
            let mut connection = connection.clone();
            invocation
                .invoke_async::<T>(&mut connection)
                .await
                .map_err(|e| self.describe(&e))
        };
        match tokio::time::timeout(self.redis.timeout, attempt).await {
            Ok(result) => result,
            Err(_) => Err(format!(
                "no answer within {:.1} s",
                self.redis.timeout.as_secs_f64()
            )),
        }
    }

    /// A Redis error's text, with no password in it.
    fn describe(&self, error: &::redis::RedisError) -> String {
        let text = error.to_string();
        match self
            .redis
            .client
            .get_connection_info()
            .redis_settings()
            .password()
        {
            Some(password) if !password.is_empty() => text.replace(password, "***"),
            _ => text,
        }
    }
}

impl SlotStore for RedisStore {
    fn shown(&self) -> String {
        self.redis.shown.clone()
    }

    fn acquire<'a>(
        &'a self,
        limits: &'a [Limit],
        lease: Duration,
        epoch: &'a str,
    ) -> BoxFuture<'a, Result<Attempt, String>> {
        Box::pin(async move {
            let mut invocation = self.invocation(&ACQUIRE, limits);
            invocation
                .arg(millis(lease))
                .arg(epoch)
                .arg(millis(RECOUNT_PAUSE))
                .arg(limits.len());
            for limit in limits {
                invocation.arg(limit.requests).arg(millis(limit.per));
            }
            let (id, wait, epoch): (String, i64, String) = self.run(invocation).await?;
            Ok(match wait {
                0 => Attempt::Granted(id),
                -2 => Attempt::NewEpoch(epoch),
                wait if wait < 0 => Attempt::UntilAnswered,
                wait => Attempt::Wait(Duration::from_millis(wait.unsigned_abs())),
            })
        })
    }

    fn release<'a>(
        &'a self,
        id: &'a str,
        limits: &'a [Limit],
        answer: Answer,
    ) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let mut invocation = self.invocation(&RELEASE, limits);
            let (remaining, reset) = match answer.budget {
                Some((remaining, reset)) => {
                    (i64::try_from(remaining).unwrap_or(i64::MAX), millis(reset))
                }
                None => (-1, -1),
            };
            invocation
                .arg(id)
                .arg(answer.retry_after.map_or(-1, millis))
                .arg(remaining)
                .arg(reset)
                .arg(limits.len());
            for limit in limits {
                invocation.arg(millis(limit.per));
            }
            self.run::<i64>(invocation).await.map(drop)
        })
    }

    fn renew<'a>(
        &'a self,
        ids: &'a [String],
        limits: &'a [Limit],
        lease: Duration,
    ) -> BoxFuture<'a, Result<String, String>> {
        Box::pin(async move {
            let mut invocation = RENEW.prepare_invoke();
            invocation
                .key(&self.keys.in_flight)
                .key(&self.keys.epoch)
                .arg(millis(lease))
                .arg(millis(longest(limits)));
            for id in ids {
                invocation.arg(id);
            }
            self.run(invocation).await
        })
    }

    fn record<'a>(
        &'a self,
        record: &'a Record,
        limits: &'a [Limit],
        lease: Duration,
    ) -> BoxFuture<'a, Result<(String, Vec<String>), String>> {
        Box::pin(async move {
            let mut invocation = self.invocation(&RECORD, limits);
            invocation
                .arg(millis(lease))
                .arg(millis(record.pause))
                .arg(limits.len());
            for limit in limits {
                invocation.arg(millis(limit.per));
            }
            invocation
                .arg(record.new_in_flight)
                .arg(record.in_flight.len());
            for id in &record.in_flight {
                invocation.arg(id);
            }
            for age in &record.ages {
                invocation.arg(millis(*age));
            }
            let mut answer: Vec<String> = self.run(invocation).await?;
            if answer.is_empty() {
                return Err("the record script answered nothing".into());
            }
            let epoch = answer.remove(0);
            Ok((epoch, answer))
        })
    }
}

fn longest(limits: &[Limit]) -> Duration {
    limits.iter().map(|l| l.per).max().unwrap_or_default()
}

/// `url` as it may be shown: its password replaced by `***` (and the whole
/// URL hidden when it does not parse, as it might hold one anywhere).
pub(crate) fn redact(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "<not a URL>".to_string(),
    }
}

/// `text` with the password of `url`, if any, replaced by `***`.
fn redact_in(text: &str, url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(parsed) => match parsed.password() {
            Some(password) if !password.is_empty() => text.replace(password, "***"),
            _ => text.to_string(),
        },
        Err(_) => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_their_password() {
        assert_eq!(
            redact("redis://:hunter2@10.0.0.5:6379/0"),
            "redis://:***@10.0.0.5:6379/0"
        );
        assert_eq!(
            redact("rediss://bot:hunter2@cache.example:6380"),
            "rediss://bot:***@cache.example:6380"
        );
        assert_eq!(redact("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
        assert_eq!(redact("::hunter2"), "<not a URL>");
    }

    #[test]
    fn bad_urls_fail_with_what_and_where_and_no_password() {
        for (url, expected) in [
            ("http://:hunter2@host", "`http://` is not a Redis URL"),
            ("hunter2", "Redis URL `<not a URL>`"),
        ] {
            let error = SharedRateLimit::redis(url).unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
            assert!(!error.contains("hunter2"), "{error}");
        }
        // TLS: rustls finds its provider (the build's TLS feature) or the
        // URL is refused with what to turn on.
        let tls = SharedRateLimit::redis("rediss://:hunter2@cache.example:6380");
        #[cfg(any(feature = "rustls-aws-lc", feature = "rustls-ring"))]
        assert_eq!(tls.unwrap().store(), "rediss://:***@cache.example:6380");
        #[cfg(not(any(feature = "rustls-aws-lc", feature = "rustls-ring")))]
        assert!(tls.unwrap_err().to_string().contains("rustls-aws-lc"));
        let limit = SharedRateLimit::redis("redis://:hunter2@127.0.0.1:1/0").unwrap();
        assert_eq!(limit.store(), "redis://:***@127.0.0.1:1/0");
        assert!(!format!("{limit:?}").contains("hunter2"));
    }
}
