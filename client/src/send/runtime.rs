//! The hand-written layer every generated call goes through: client
//! construction, authentication, rate limiting, retries, tracing and, when
//! asked for, recording ([`crate::record`]).
//!
//! [`Runtime`] is the generated `Client`'s inner value; the
//! `progenitor_client::ClientHooks` implementation below runs for every
//! request, so call sites need no extra code.

use std::time::Duration;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use tracing::Instrument;

use crate::Client;
use crate::auth::{AuthMode, Token, authorize};
use crate::decode::DecodeMode;
pub use crate::error::BuildError;
use crate::rate_limit::{GITCODE_LIMITS, Limit, Limiter, RateLimiter, Slot, StoreError};
use crate::record::{Hop, Recorder};
use crate::retry::RetryPolicy;

/// The default API host. `https://api.atomgit.com` is the same service.
pub const DEFAULT_BASE_URL: &str = "https://api.gitcode.com";

/// What a [`Client`] carries besides its `reqwest::Client`.
#[derive(Clone, Debug)]
pub struct Runtime {
    token: Option<Token>,
    auth_mode: AuthMode,
    retry: RetryPolicy,
    /// Always present: without configured limits it still follows the
    /// server's word (429 pauses, rate-limit headers).
    limiter: Limiter,
    decode_mode: DecodeMode,
    web_base_url: String,
    /// Off (`None`) unless [`ClientBuilder::record`] was called: then each
    /// request sent is recorded, and clones share the recorder.
    recorder: Option<Recorder>,
}

impl Runtime {
    /// How success bodies are decoded ([`crate::decode`]).
    pub fn decode_mode(&self) -> DecodeMode {
        self.decode_mode
    }

    /// The web host, which serves the OAuth endpoints
    /// ([`ClientBuilder::web_base_url`]).
    pub fn web_base_url(&self) -> &str {
        &self.web_base_url
    }

    /// The token's text, for code that must keep it out of what it shows
    /// (the MCP server redacts it from every result).
    #[cfg(feature = "mcp")]
    pub(crate) fn token_text(&self) -> Option<&str> {
        self.token.as_ref().map(|t| t.expose())
    }
}

/// The web base URL of `client` (generated code of web-host operations).
pub fn web_base_url(client: &Client) -> &str {
    use progenitor_client::ClientInfo;
    client.inner().web_base_url()
}

/// Where an operation is served and whether it takes the token (read from
/// the spec's `servers` and `security` by pass `operation_servers`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationMeta {
    /// The path template, for tracing.
    pub path: &'static str,
    /// Served by the web host (`https://gitcode.com`), not the API host.
    pub web_host: bool,
    /// Takes no token (`security: []`): none is sent.
    pub anonymous: bool,
}

/// Builds a [`Client`]: `gitcode::Client::builder().token(t).build()`.
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    token: Option<Token>,
    auth_mode: AuthMode,
    user_agent: String,
    connect_timeout: Duration,
    timeout: Duration,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    limits: Option<Vec<Limit>>,
    #[cfg(feature = "redis")]
    shared_limit: Option<crate::rate_limit::shared::SharedRateLimit>,
    decode_mode: DecodeMode,
    web_base_url: Option<String>,
    allow_plain_http: bool,
    recorder: Option<Recorder>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.into(),
            token: None,
            auth_mode: AuthMode::default(),
            user_agent: concat!("gitcode-rs/", env!("CARGO_PKG_VERSION")).into(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            http: None,
            retry: RetryPolicy::default(),
            limits: Some(GITCODE_LIMITS.to_vec()),
            #[cfg(feature = "redis")]
            shared_limit: None,
            decode_mode: DecodeMode::default(),
            web_base_url: None,
            allow_plain_http: false,
            recorder: None,
        }
    }
}

impl ClientBuilder {
    /// The server: `https://api.gitcode.com` (default), `https://api.atomgit.com`
    /// or a self-hosted URL. A trailing `/api/v5` or `/api/v8` is dropped: every
    /// operation's path carries its own version.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The personal access token.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Token::new(token));
        self
    }

    /// How the token is sent (default: `Authorization: Bearer`).
    pub fn auth_mode(mut self, mode: AuthMode) -> Self {
        self.auth_mode = mode;
        self
    }

    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Time allowed to connect (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole request (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Uses an existing `reqwest::Client` (its own timeouts, proxy, TLS and
    /// user agent then apply; those set here are ignored). Build it from
    /// [`crate::redirect::http_client_builder`], which follows no redirect
    /// and sends no `Referer`, so that the runtime's redirect rule (no
    /// credentials off the origin) applies rather than reqwest's.
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Retries of transient failures ([`RetryPolicy::none`] switches them off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Client-side rate limits (default: 50 a minute and 4000 an hour).
    pub fn rate_limits(mut self, limits: impl IntoIterator<Item = Limit>) -> Self {
        self.limits = Some(limits.into_iter().collect());
        self
    }

    /// No configured client-side limits. The server's word is still
    /// followed ([`crate::rate_limit`]: a 429's `Retry-After` pauses every
    /// clone, rate-limit headers cap the requests until their reset).
    pub fn no_rate_limit(mut self) -> Self {
        self.limits = None;
        self
    }

    /// Shares the client-side limits ([`rate_limits`](Self::rate_limits))
    /// and the server's word with every process that uses the same store
    /// and token (or name): see [`crate::rate_limit::shared`] (feature
    /// `redis`).
    ///
    /// ```no_run
    /// # fn run() -> Result<(), gitcode::BuildError> {
    /// use gitcode::rate_limit::shared::SharedRateLimit;
    /// let client = gitcode::Client::builder()
    ///     .token("...")
    ///     .shared_rate_limit(SharedRateLimit::redis("redis://127.0.0.1:6379")?)
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "redis")]
    pub fn shared_rate_limit(mut self, limit: crate::rate_limit::shared::SharedRateLimit) -> Self {
        self.shared_limit = Some(limit);
        self
    }

    /// Fail a call with [`Error::Decode`](crate::Error::Decode) on any
    /// value that does not fit the spec, instead of leaving the value out
    /// with a warning (the default; see [`crate::decode`]).
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.decode_mode = DecodeMode::from_strict(strict);
        self
    }

    /// The web host, which serves the OAuth endpoints (`/oauth/token`,
    /// `/oauth/authorize`). By default `https://gitcode.com` for
    /// `api.gitcode.com`, `https://atomgit.com` for `api.atomgit.com`, and
    /// the base URL itself for any other server; set it for a self-hosted
    /// server whose web host differs.
    pub fn web_base_url(mut self, url: impl Into<String>) -> Self {
        self.web_base_url = Some(url.into());
        self
    }

    /// Sends the token even over plain `http://` to a host that is not
    /// loopback, where anyone on the path can read it. Without this, such a
    /// client is refused at [`build`](Self::build).
    pub fn danger_allow_token_over_plain_http(mut self) -> Self {
        self.allow_plain_http = true;
        self
    }

    /// Records every request this client and its clones send, with its
    /// answer, as HAR 1.2 (to a file, a directory or a writer), with every
    /// credential redacted, this client's token included; see
    /// [`crate::record`]. A failure to record never fails a call. Off by
    /// default, and free when off.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), gitcode::BuildError> {
    /// let client = gitcode::Client::builder()
    ///     .token("...")
    ///     .record(gitcode::record::Recorder::to_file("evidence.har"))
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn record(mut self, recorder: Recorder) -> Self {
        self.recorder = Some(recorder);
        self
    }

    pub fn build(self) -> Result<Client, BuildError> {
        let base = normalize_base_url(&self.base_url)?;
        if self.token.is_some() && !self.allow_plain_http {
            refuse_plain_http(&base)?;
        }
        let web_base_url = match &self.web_base_url {
            Some(url) => normalize_base_url(url)?,
            None => web_url_for(&base),
        };
        let http = match self.http {
            Some(http) => http,
            None => crate::redirect::http_client_builder()
                .user_agent(self.user_agent)
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .build()
                .map_err(|e| BuildError::new(e.to_string()))?,
        };
        let limits = self.limits.as_deref().unwrap_or_default();
        #[cfg(feature = "redis")]
        let limiter = match self.shared_limit {
            Some(shared) => Limiter::shared(
                limits,
                shared.open(limits, self.token.as_ref().map(|t| t.expose()))?,
            ),
            None => Limiter::local(limits),
        };
        #[cfg(not(feature = "redis"))]
        let limiter = Limiter::local(limits);
        if let (Some(recorder), Some(token)) = (&self.recorder, &self.token) {
            recorder.add_secret(token.expose());
        }
        let runtime = Runtime {
            token: self.token,
            auth_mode: self.auth_mode,
            retry: self.retry,
            limiter,
            decode_mode: self.decode_mode,
            web_base_url,
            recorder: self.recorder,
        };
        Ok(Client::new_with_client(&base, http, runtime))
    }
}

fn normalize_base_url(url: &str) -> Result<String, BuildError> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| BuildError::new(format!("invalid base URL `{url}`: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(BuildError::new(format!("base URL `{url}` is not http(s)")));
    }
    let mut base = url.trim_end_matches('/').to_string();
    for version in ["/api/v5", "/api/v8"] {
        if let Some(stripped) = base.strip_suffix(version) {
            base = stripped.to_string();
        }
    }
    Ok(base)
}

/// A token sent over plain HTTP can be read by anyone on the path: refuse
/// it, unless the host is loopback (tests, local proxies). Decided from the
/// URL alone, with no DNS look-up.
fn refuse_plain_http(base: &str) -> Result<(), BuildError> {
    let url = reqwest::Url::parse(base).map_err(|e| BuildError::new(e.to_string()))?;
    if url.scheme() != "http" {
        return Ok(());
    }
    let host = url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => {
            let name = bare.to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    };
    if loopback {
        return Ok(());
    }
    Err(BuildError::new(format!(
        "refusing to send the token in clear text to `{}`: use an https:// base URL \
         (or, knowingly, ClientBuilder::danger_allow_token_over_plain_http)",
        url.host_str().unwrap_or_default()
    )))
}

/// The web host of an API host: `api.gitcode.com` → `gitcode.com`,
/// `api.atomgit.com` → `atomgit.com`; any other server is its own web host.
fn web_url_for(api_base: &str) -> String {
    let Ok(mut url) = reqwest::Url::parse(api_base) else {
        return api_base.to_string();
    };
    let web = match url.host_str() {
        Some("api.gitcode.com") => "gitcode.com",
        Some("api.atomgit.com") => "atomgit.com",
        _ => return api_base.to_string(),
    };
    if url.set_host(Some(web)).is_err() {
        return api_base.to_string();
    }
    url.as_str().trim_end_matches('/').to_string()
}

impl Client {
    /// A builder with GitCode's defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The rate limiter this client shares with its clones
    /// ([`crate::rate_limit`]). With a shared limit
    /// (`ClientBuilder::shared_rate_limit`, feature `redis`), the part of it in this
    /// process: its requests in flight, its pauses.
    pub fn rate_limiter(&self) -> &RateLimiter {
        self.inner().limiter.in_process()
    }

    /// A client for `https://api.gitcode.com` with `token` and the defaults.
    pub fn with_token(token: impl Into<String>) -> Self {
        ClientBuilder::default()
            .token(token)
            .build()
            .expect("the default configuration is valid")
    }
}

/// Sends an operation's request, built by its builder, through the hooks
/// below (the token, the limiter, retries, tracing): the one step every
/// generated `send()` and `send_raw()` shares, so that it is compiled once
/// rather than once per operation.
pub(crate) async fn send_operation(
    client: &Client,
    operation_id: &'static str,
    request: Result<reqwest::Request, progenitor_client::Error<()>>,
) -> crate::response::Sent {
    let convert = |e| crate::error::convert(operation_id, e);
    let mut request = request.map_err(convert)?;
    let info = OperationInfo { operation_id };
    client.pre(&mut request, &info).await.map_err(convert)?;
    let path = crate::generated::operation_meta(operation_id).map_or("?", |m| m.path);
    execute(client, request, operation_id, path).await
}

impl ClientHooks<Runtime> for Client {
    /// Adds the token to the request, in the configured mode, unless the
    /// operation takes none (`security: []`, the OAuth endpoints).
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let anonymous =
            crate::generated::operation_meta(info.operation_id).is_some_and(|meta| meta.anonymous);
        if !anonymous {
            self.inner()
                .authorize(request)
                .map_err(progenitor_client::Error::InvalidRequest)?;
        }
        Ok(())
    }

    /// Sends the request under the rate limiter, retrying transient failures
    /// ([`RetryPolicy`]) and following redirects ([`crate::redirect`]), in a
    /// tracing span that never holds the token. The operations of this
    /// crate do not take this hook (their errors are [`crate::Error`]);
    /// since its error can only be a `reqwest::Error`, a shared limit's
    /// store that fails holds the request with a local limiter of one
    /// request per window instead of failing it
    /// (`gitcode::rate_limit::shared`).
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let path = crate::generated::operation_meta(info.operation_id).map_or("?", |m| m.path);
        match send_in_span::<Holding>(self, request, info.operation_id, path).await {
            Ok(response) => Ok(response),
            Err(Failure::Transport(e)) => Err(e),
            Err(Failure::Store(never)) => match never {},
        }
    }
}

impl Runtime {
    /// Adds the token to `request`, in the configured mode.
    pub(crate) fn authorize(&self, request: &mut reqwest::Request) -> Result<(), String> {
        match &self.token {
            Some(token) => authorize(request, token, self.auth_mode),
            None => Ok(()),
        }
    }
}

/// Sends `request` under the rate limiter, with retries, in a tracing span
/// that records the path template `path` (never the URL, which may hold a
/// token). A transport error names the host, not the URL.
pub(crate) async fn execute(
    client: &Client,
    request: reqwest::Request,
    operation: &'static str,
    path: &str,
) -> Result<reqwest::Response, crate::Error> {
    send_in_span::<MayFail>(client, request, operation, path)
        .await
        .map_err(|failure| match failure {
            Failure::Transport(e) => crate::Error::transport(operation, e),
            Failure::Store(source) => crate::Error::RateLimitStore { operation, source },
        })
}

/// Why a request got no answer: the transport, or (with a shared limit
/// whose policy fails calls) the limit's store, before anything was sent.
enum Failure<E> {
    Transport(reqwest::Error),
    Store(E),
}

/// How a request takes its slot: with an error when the shared limit's
/// store fails and its policy says so ([`MayFail`]), or never failing
/// ([`Holding`], for progenitor's hook, whose error is a `reqwest::Error`).
trait SlotSource {
    type Error;
    fn slot(limiter: &Limiter) -> impl Future<Output = Result<Slot, Self::Error>> + Send;
}

struct MayFail;

impl SlotSource for MayFail {
    type Error = StoreError;
    async fn slot(limiter: &Limiter) -> Result<Slot, StoreError> {
        limiter.acquire().await
    }
}

struct Holding;

impl SlotSource for Holding {
    type Error = std::convert::Infallible;
    async fn slot(limiter: &Limiter) -> Result<Slot, Self::Error> {
        Ok(limiter.acquire_holding().await)
    }
}

async fn send_in_span<S: SlotSource>(
    client: &Client,
    request: reqwest::Request,
    operation: &str,
    path: &str,
) -> Result<reqwest::Response, Failure<S::Error>> {
    let span = tracing::info_span!(
        "gitcode.request",
        operation,
        method = %request.method(),
        path,
        status = tracing::field::Empty,
        attempt = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    send_with_retries::<S>(client.client(), client.inner(), request, operation)
        .instrument(span)
        .await
}

/// Sends `request` (of `operation`, for the recorder), retrying as the
/// policy says.
async fn send_with_retries<S: SlotSource>(
    http: &reqwest::Client,
    runtime: &Runtime,
    mut request: reqwest::Request,
    operation: &str,
) -> Result<reqwest::Response, Failure<S::Error>> {
    let policy = &runtime.retry;
    let method = request.method().clone();
    let span = tracing::Span::current();
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let slot = S::slot(&runtime.limiter).await.map_err(Failure::Store)?;
        let next = if attempt <= policy.max_retries {
            request.try_clone()
        } else {
            None
        };
        let started = tokio::time::Instant::now();
        let hop = Hop {
            operation,
            attempt,
            redirect_of: None,
        };
        let result =
            send_following_redirects::<S>(http, runtime, request, next.as_ref(), slot, hop).await;
        span.record("attempt", attempt);
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        let wait = match &result {
            Ok(response) => {
                let status = response.status().as_u16();
                span.record("status", status);
                policy
                    .retries_status(&method, status)
                    .then(|| policy.delay(attempt, crate::retry::retry_after(response.headers())))
            }
            Err(Failure::Transport(e)) => policy
                .retries_transport(&method, e)
                .then(|| policy.delay(attempt, None)),
            Err(Failure::Store(_)) => None,
        };
        match (wait, next) {
            (Some(wait), Some(next)) => {
                tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
                drop(result);
                tokio::time::sleep(wait).await;
                request = next;
            }
            // The URL may hold the token in its query: keep only the origin
            // and path, for the error to name the host.
            _ => {
                return result.map_err(|failure| match failure {
                    Failure::Transport(e) => Failure::Transport(without_query(e)),
                    store => store,
                });
            }
        }
    }
}

/// Sends `request`, following redirects under the rule of
/// [`crate::redirect`]: credentials never leave the caller's origin.
/// `spare` is a copy of `request` kept for a retry, if any: it also serves
/// to follow a first redirect, so that a request that is not redirected is
/// copied no more than for its retry. `slot` is the limiter's slot of the
/// first request: each hop's slot ends when its answer arrives (or, on a
/// failure or a dropped future, when the slot drops). `hop` says which
/// call this is, for the recorder, when there is one: every request sent
/// here, each hop of a redirect, passes it.
async fn send_following_redirects<S: SlotSource>(
    http: &reqwest::Client,
    runtime: &Runtime,
    mut request: reqwest::Request,
    spare: Option<&reqwest::Request>,
    slot: Slot,
    mut hop: Hop<'_>,
) -> Result<reqwest::Response, Failure<S::Error>> {
    use crate::redirect::Next;
    let origin = crate::origin::origin_text(request.url());
    let mut hops = 0;
    let mut slot = Some(slot);
    loop {
        let first = hops == 0 && spare.is_some();
        let copy = if first { None } else { request.try_clone() };
        let response = match &runtime.recorder {
            None => http.execute(request).await.map_err(Failure::Transport)?,
            Some(recorder) => {
                let (response, entry) = recorder
                    .send(http, request, hop)
                    .await
                    .map_err(Failure::Transport)?;
                hop.redirect_of = entry;
                response
            }
        };
        if let Some(slot) = slot.take() {
            slot.finish(response.status().as_u16(), response.headers())
                .await;
        }
        let sent = || match spare {
            Some(spare) if first => spare.try_clone(),
            _ => copy,
        };
        match crate::redirect::next(response, sent, &origin, hops) {
            Next::Done(response) => return Ok(response),
            Next::Follow {
                request: next,
                same_origin,
                authorized,
            } => {
                hops += 1;
                tracing::debug!(hops, same_origin, "following a redirect");
                request = next;
                if authorized {
                    // Cannot fail: the same token was added to the first request.
                    let _ = runtime.authorize(&mut request);
                }
                if same_origin {
                    slot = Some(S::slot(&runtime.limiter).await.map_err(Failure::Store)?);
                }
            }
        }
    }
}

fn without_query(error: reqwest::Error) -> reqwest::Error {
    match error.url().cloned() {
        Some(mut url) => {
            url.set_query(None);
            url.set_fragment(None);
            let _ = url.set_password(None);
            let _ = url.set_username("");
            error.with_url(url)
        }
        None => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised() {
        for (input, expected) in [
            ("https://api.gitcode.com", "https://api.gitcode.com"),
            ("https://api.gitcode.com/", "https://api.gitcode.com"),
            ("https://api.atomgit.com/api/v5", "https://api.atomgit.com"),
            (
                "https://git.example.com/gitcode/api/v8/",
                "https://git.example.com/gitcode",
            ),
        ] {
            assert_eq!(normalize_base_url(input).unwrap(), expected);
        }
        assert!(normalize_base_url("ftp://x").is_err());
        assert!(normalize_base_url("not a url").is_err());
    }

    #[test]
    fn debug_output_hides_the_token() {
        let client = Client::builder().token("s3cr3t-token").build().unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
}
