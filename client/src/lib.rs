//! A client for the GitCode REST API (`api.gitcode.com`, also served as
//! `api.atomgit.com`), v5 and v8, generated from a hand-curated OpenAPI
//! description of every documented endpoint; the guide to using it as a
//! library. The command line, `gitcode mcp`, webhooks and the rest have guides
//! of their own in the repository ([more guides](#more-guides)).
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use gitcode::prelude::*;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let client = gitcode::Client::builder()
//!         .token(std::env::var("GITCODE_TOKEN")?)
//!         .build()?;
//!
//!     // One call.
//!     let issue = client.get_issue().owner("o").repo("r").number("7").send().await?;
//!     println!("{:?}", issue.title);
//!
//!     // Every list operation streams across pages (100 per request, lazily).
//!     let mut open = client.list_repo_issues().owner("o").repo("r").state("open").stream();
//!     while let Some(issue) = open.try_next().await? {
//!         println!("{:?}", issue.title);
//!     }
//!
//!     // A raw file, whole (`send()` streams its bytes instead).
//!     let readme = client.get_repo_raw_file().owner("o").repo("r").path("README.md").send_bytes().await?;
//!     println!("{} bytes", readme.len());
//!     Ok(())
//! }
//! ```
//!
//! # Using the client
//!
//! Operations are grouped by docs category in extension traits
//! (`ClientIssuesExt`, `ClientPullRequestsExt`, ...), all in [`prelude`]. Each
//! is a builder named after the spec's `operationId`: set its parameters, then
//! `.send().await`.
//!
//! "Every list" means every operation that takes `page` and `per_page`
//! (`perPage` on `list_authenticated_user_namespaces`) and answers a list: a
//! bare array, a list in a field of an object (`{total_count, workflow_runs:
//! [...]}` in the Actions lists, `{events, has_next_page}` on
//! `list_repo_events`), or the list arm of an answer that may also be something
//! else (`list_repo_pull_requests`, whose `send()` still answers counts with
//! `only_count`). Its items stream ([`pagination`]), and `gitcode ... --all`
//! prints them all.
//!
//! Writing takes values as they are: text as `&str`, an optional field by its
//! value (`None` to leave it out), a name list as an array or `Vec`, an enum by
//! its text or its variant, and an id straight from an answer or a webhook
//! payload (by value or by reference; `7` and `"7"` work too):
//!
//! ```no_run
//! use gitcode::prelude::*;
//!
//! async fn triage(client: &gitcode::Client, milestone: Option<i64>) -> Result<(), gitcode::Error> {
//!     let issue = client
//!         .create_issue()
//!         .owner("o")
//!         .body_map(|b| {
//!             b.repo("r")
//!                 .title("Crash on start")
//!                 .body("Steps: ...")
//!                 .milestone(milestone) // `None`: no milestone is sent
//!                 .labels(["bug", "p1"])
//!         })
//!         .send()
//!         .await?;
//!     client
//!         .update_issue()
//!         .owner("o")
//!         .number(&issue.number) // the `Option<Id>` the answer carried
//!         .body_map(|b| b.repo("r").state("close"))
//!         .send()
//!         .await?;
//!     Ok(())
//! }
//! ```
//!
//! Every setter takes `impl` [`IntoValue<T>`](IntoValue); its rustdoc says
//! what it accepts, and [`value`] lists every form. A value that does not fit
//! (`per_page(0)`, an id that is not a number where one is needed) fails
//! `send()` with [`ErrorKind::InvalidRequest`] naming the field, before anything
//! is sent. `?` takes every error of the crate into [`Error`]: `build()`'s, a
//! type builder's `try_into()`, and `send()`'s.
//!
//! ## Around every call
//!
//! With no code at the call site ([`runtime`]):
//!
//! | concern | default | configure with |
//! | --- | --- | --- |
//! | base URL | `https://api.gitcode.com` (`api.atomgit.com` and self-hosted URLs work; a trailing `/api/v5` is dropped) | `.base_url(..)` |
//! | auth | `Authorization: Bearer <token>` | `.auth_mode(AuthMode::PrivateToken / QueryParameter)` ([`auth::AuthMode`]) |
//! | rate limit | waits to stay under 50 requests a minute and 4000 an hour, shared by clones; a request holds its slot until its answer arrived, so no window of *arrival* times at the server holds more than the limit, whatever the latency and the burst; a 429 with `Retry-After` pauses every clone; `X-RateLimit-Remaining`/`-Reset` are followed until the reset ([`rate_limit`]; for many processes, [fleets]) | `.rate_limits(..)`, `.no_rate_limit()` (configured limits off; the server's word still followed) |
//! | retries | connection refused (nothing sent) and 429 (the server did not act): every method; 502, 503, 504, a reset or closed connection after sending, a timeout: GET/HEAD/PUT/DELETE/OPTIONS only — a POST or PATCH fails with an error that says the server may have acted on it ([`Error::may_have_acted`]); `Retry-After` or capped backoff with jitter, 3 retries | `.retry(RetryPolicy { .. })`, `RetryPolicy::none()` ([`retry::RetryPolicy`]) |
//! | pagination | a stream ends after the last page (the server's "more pages" flag where it sends one, else its `total_page` header, else a short or empty page), or with `Error::Pagination` naming the operation and the page when a page repeats the one before, when a cursor comes back that was already followed, or past 1000 pages (also `--all`) | `.stream().max_pages(n)`, `.raw_pages_up_to(n)` |
//! | decoding | tolerant: a value that does not fit the spec is left out with a warning ([below](#when-the-server-disagrees-with-the-spec)) | `.strict_decoding(true)` |
//! | web host | the OAuth endpoints go to `https://gitcode.com` (`https://atomgit.com` for `api.atomgit.com`; a self-hosted server is its own), without the token | `.web_base_url(..)` |
//! | errors | [`Error`]: `kind()` (not found, unauthorized, forbidden, rate limited, validation, server error, transport, decode), `api()` with `error_code`, `error_code_name`, `error_message`, `trace_id`, `retry_after()`; a transport error names the host and the cause (connection refused, timed out, DNS, TLS); a decode error keeps the whole body (`body()`) | |
//! | tracing | one `gitcode.request` span per request: operation, method, path template, status, attempt, latency; never the token | a `tracing` subscriber |
//! | HTTP client | rustls with aws-lc-rs ([features](#features)), 10 s connect and 60 s request timeouts, `gitcode-rs/<version>` user agent | `.reqwest_client(..)`, `.timeout(..)`, `.user_agent(..)` |
//! | recording | off: nothing is copied or buffered | [`ClientBuilder::record`]: every exchange as HAR 1.2, credentials redacted ([`record`]; what to do with it: [evidence]) |
//!
//! The server's quirks are handled in one place each: lenient scalar types in
//! [`lenient`], multipart uploads in [`multipart`], file paths in URLs in
//! [`paths`].
//!
//! The token never appears in `Debug` output, error messages or traces (a URL
//! with `access_token` is redacted), and it goes only where the caller meant:
//! path parameters cannot move a request ([`paths`]), credentials never follow
//! a redirect off the origin ([`redirect`]; a `reqwest::Client` of your own
//! should come from [`redirect::http_client_builder`]), and plain HTTP to a
//! remote host is refused
//! ([`ClientBuilder::danger_allow_token_over_plain_http`]). The whole account:
//! [security].
//!
//! ## Examples
//!
//! `client/examples/` in the repository holds complete programs, each run by a
//! test against a mock server that checks every request it sends
//! (`client/tests/suite/examples.rs`); each prints its usage, and takes the
//! token from `GITCODE_TOKEN` (`cargo run -p gitcode --example triage_bot --
//! OWNER REPO`):
//!
//! | example | what it does |
//! | --- | --- |
//! | `list_open_issues` | lists a repository's open issues, streaming across pages |
//! | `triage_bot` | opens an issue with labels, comments on it and closes it, with the number the answer gave |
//! | `review_bot` | streams the open pull requests; squash-merges the documentation-only ones, comments on the rest |
//! | `release_publisher` | creates a release for a tag and uploads a file to it as an asset |
//! | `org_mirror` | walks every repository of an organisation across pages and saves each README's raw bytes |
//! | `webhook_bot` | receives webhook deliveries and welcomes each new issue and pull request with a comment |
//! | `webhook_receiver` | verifies deliveries and prints each event |
//!
//! # Features
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `full` | yes | every API area; each area is also a feature of its own (`issues`, `pull-requests`, `repositories`, ...: the docs' categories), so a crate that uses a few compiles only their operations and types (`default-features = false, features = ["issues", "rustls-aws-lc"]`) |
//! | `rustls-aws-lc` | yes | TLS by rustls with aws-lc-rs, reqwest's own default |
//! | `rustls-ring` | | TLS by rustls with ring: the quickest TLS to build (see [measurements]) |
//! | `native-tls` | | the platform's TLS (OpenSSL on Linux; needs its headers to build) |
//! | `webhooks` | (in `full`) | the webhook management area, and `gitcode::webhooks`: typed events and signature checks ([webhooks]) |
//! | `mock` | | `gitcode::mock`: typed httpmock mocks of every operation ([below](#mocks-for-your-tests)) |
//! | `cli` | | the `gitcode` binary ([cli]) |
//! | `mcp` | | `gitcode mcp`, the MCP server for AI agents (with `cli`; adds rmcp and axum) ([mcp]) |
//! | `redis` | | a rate limit shared by many processes through Redis (`ClientBuilder::shared_rate_limit`, the CLI's `--rate-limit-url`; adds redis-rs, sha2 and rustls): see [fleets] |
//!
//! TLS: choose one of the three, or none. With none, reqwest 0.13 uses the TLS
//! backend that the rest of the dependency tree turned on, so a crate that
//! already depends on reqwest 0.13 with a TLS feature builds one TLS stack, not
//! two: `gitcode = { version = "0.1", default-features = false, features =
//! ["full"] }`. The default is aws-lc-rs, reqwest's own default, so that the
//! most common such crate (reqwest with its default features) builds one stack
//! even without that line. ring builds quicker (the dependencies in 31 s with
//! it, 44 s with aws-lc-rs, [measured][measurements]), but reqwest 0.13 offers
//! ring only as `rustls-no-provider`, which applies to every reqwest client of
//! the program: with `rustls-ring`, building a `gitcode` client installs ring
//! as the process's default rustls provider unless one is installed already,
//! and a program that builds another reqwest client before any of ours must
//! install a provider itself first (reqwest panics otherwise), for example
//! `rustls::crypto::ring::default_provider().install_default()`. We found this
//! when our own benchmark's plain reqwest client panicked.
//!
//! `cli`, `mcp`, `mock` and `redis` are never compiled unless asked for: a
//! build without them has the same dependency tree and code as before they
//! existed. On docs.rs every feature is documented, and each item says which
//! feature it needs.
//!
//! # When the server disagrees with the spec
//!
//! The spec is transcribed from docs that are often wrong, so a real answer may
//! hold a value the spec did not expect. The client degrades instead of
//! failing, and never loses what the server sent.
//!
//! **Tolerant decoding (the default).** A value that does not fit an optional
//! field (a string where a number was expected, an object where a string was,
//! ...) decodes as `None`; a list element that does not fit (a `null` in a list
//! of strings) is dropped; an object whose required field does not fit is left
//! out up to the nearest optional field or list element that holds it. The rest
//! of the answer is intact and the call succeeds. Each kind of value left out is
//! reported once per answer with `tracing::warn!` (target `gitcode::decode`):
//!
//! ```text
//! WARN gitcode::decode: left out a value that does not fit the spec operation="get_authenticated_user" path=top_languages[1] expected=invalid type: null, expected a string value=null count=1
//! ```
//!
//! Only the shape of the answer is never repaired: a top-level value of the
//! wrong type, a required field of the top-level object or an element of a
//! top-level list fails with [`Error::Decode`]. A body that fits costs what it
//! cost before: it decodes straight from the bytes, and only a body that does
//! not fit is decoded again ([`decode`] has the rules).
//!
//! **Strict decoding.** [`ClientBuilder::strict_decoding`]`(true)` turns every
//! repair into [`Error::Decode`], with the JSON path. The docs-example test
//! decodes strictly, so a mistake in the spec still fails CI.
//!
//! **The body is never lost.** [`Error::Decode`] keeps the status, the path and
//! the whole body:
//!
//! ```no_run
//! use gitcode::prelude::*;
//!
//! async fn title(client: &gitcode::Client) -> Result<(), gitcode::Error> {
//!     match client.get_issue().owner("o").repo("r").number("7").send().await {
//!         Ok(issue) => println!("{:?}", issue.title),
//!         Err(gitcode::Error::Decode(e)) => println!("{} at {}: {:?}", e.message, e.path, e.json()),
//!         Err(e) => return Err(e),
//!     }
//!     Ok(())
//! }
//! ```
//!
//! **Raw answers.** Every operation's builder has `send_raw()` beside `send()`:
//! the same request through the same runtime (token, rate limiter, retries,
//! tracing, `Error::Api` for error statuses), returning a [`RawResponse`] with
//! the status, the headers and the body as sent (`.json()`, `.decode::<T>()`,
//! `.body()`). An operation whose answer is bytes (raw files, archives, diffs,
//! logs) has `send_bytes()` too, the whole body as `bytes::Bytes` in one call,
//! where its `send()` streams it. Paged operations stream their pages as sent
//! with `.raw_pages()`:
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use gitcode::prelude::*;
//!
//! async fn raw(client: &gitcode::Client) -> Result<(), gitcode::Error> {
//!     let raw = client.get_authenticated_user().send_raw().await?;
//!     println!("{} {}", raw.status(), raw.json()?["a_field_the_spec_lacks"]);
//!
//!     let mut pages = client.list_repo_issues().owner("o").repo("r").raw_pages();
//!     while let Some(page) = pages.try_next().await? {
//!         println!("{}", page.text());
//!     }
//!     Ok(())
//! }
//! ```
//!
//! **Paths the spec lacks.** [`Client::request`]`(method, path)` sends any
//! `/api/v5/...` or `/api/v8/...` path (a query string allowed; a URL, another
//! prefix or a `..` segment is refused) with query parameters, headers and a
//! JSON or form body, through the same runtime ([`request`]); the answer comes
//! as `serde_json::Value` (`send_json`), a type of your own decoded tolerantly
//! (`send::<T>`), a [`RawResponse`] (`send_raw`), or a stream across
//! `page`/`per_page` pages (`stream::<T>`, `raw_pages`):
//!
//! ```no_run
//! use reqwest::Method;
//!
//! async fn create(client: &gitcode::Client) -> Result<serde_json::Value, gitcode::Error> {
//!     client
//!         .request(Method::POST, "/api/v5/repos/o/r/issues")
//!         .form(&[("title", "Crash on start"), ("labels", "bug")])
//!         .send_json()
//!         .await
//! }
//! ```
//!
//! **Bodies from elsewhere.** [`decode::from_slice`] decodes a body from
//! elsewhere (a queue, a file) the same way, and says what it left out:
//!
//! ```
//! use gitcode::decode::{DecodeMode, from_slice};
//! use gitcode::types::UserProfile;
//!
//! # fn main() -> Result<(), gitcode::decode::Failure> {
//! let body = br#"{"login": "ada", "top_languages": ["Rust", null]}"#;
//! let (user, repairs) = from_slice::<UserProfile>(body, DecodeMode::Tolerant)?;
//! assert_eq!(user.login.as_deref(), Some("ada"));
//! assert_eq!(user.top_languages, ["Rust"]);
//! assert_eq!(repairs[0].path, "top_languages[1]");
//! assert!(from_slice::<UserProfile>(body, DecodeMode::Strict).is_err());
//! # Ok(())
//! # }
//! ```
//!
//! # Mocks for your tests
//!
//! With `features = ["mock"]`, `gitcode::mock::MockServerExt` adds a typed mock
//! builder for every operation to an [`httpmock`](https://docs.rs/httpmock)
//! server, so code written against [`Client`] can be tested without a network
//! (`client/tests/suite/mocks.rs` does it the way a downstream crate would):
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use gitcode::mock::MockServerExt;
//! use gitcode::prelude::*;
//!
//! let answer: gitcode::types::Issue = gitcode::types::Issue::builder().title("Crash").try_into()?;
//! let server = httpmock::MockServer::start_async().await;
//! let mock = server.get_issue(|when, then| {
//!     when.owner("o").repo("r").number("7");
//!     then.ok(&answer);
//! });
//! let client = gitcode::Client::builder().base_url(server.base_url()).build()?;
//! // ... call the code under test with `client`; here, the call itself:
//! let issue = client.get_issue().owner("o").repo("r").number("7").send().await?;
//! assert_eq!(issue.title.as_deref(), Some("Crash"));
//! mock.assert();
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "mock"))]
//! # fn main() {}
//! ```
//!
//! # More guides
//!
//! In the repository, one guide per audience:
//!
//! - [cli]: the `gitcode` command line: output as sent, `--jq`, `gitcode api`,
//!   `gitcode auth`, exit codes;
//! - [mcp]: `gitcode mcp`, every operation as a tool for AI agents;
//! - [webhooks]: receiving and checking webhook deliveries;
//! - [fleets]: one token, many processes: a rate limit shared through Redis;
//! - [security]: what the client does with values it did not choose, and with
//!   the token;
//! - [evidence]: what the spec rests on beyond the docs; recording traffic and
//!   holding it against the spec;
//! - [measurements]: overhead per request, build time, `gitcode mcp`'s
//!   startup;
//! - [the README](https://gitcode.com/gitcode-rs/gitcode-rs/blob/main/README.md)
//!   and [the changelog](https://gitcode.com/gitcode-rs/gitcode-rs/blob/main/CHANGELOG.md).
//!
//! [cli]: https://gitcode.com/gitcode-rs/gitcode-rs/blob/main/docs/cli.md
//! [mcp]: https://gitcode.com/gitcode-rs/gitcode-rs/blob/main/docs/mcp.md
//! [webhooks]: https://gitcode.com/gitcode-rs/gitcode-rs/blob/main/docs/webhooks.md
//! [fleets]: https://gitcode.com/gitcode-rs/gitcode-rs/blob/main/docs/fleets.md
//! [security]: https://gitcode.com/gitcode-rs/gitcode-rs/blob/main/docs/security.md
//! [evidence]: https://gitcode.com/gitcode-rs/gitcode-rs/blob/main/docs/evidence.md
//! [measurements]: https://gitcode.com/gitcode-rs/gitcode-rs/blob/main/docs/measurements.md

#![cfg_attr(docsrs, feature(doc_cfg))]

// The path of a call, one folder a stage: building the request, sending
// it, reading the answer; paging asks for the next page. Every module keeps
// its name at the crate root (`gitcode::runtime`, `crate::decode`, ...): the
// folders say where a file belongs, the names are what callers and the
// generated code use. ARCHITECTURE.md has the map and the rules
// (`cargo xtask check` holds the imports to them).
mod build;
mod read;
mod send;

pub use build::{form, multipart, paths, value};
use read::de;
pub use read::{decode, lenient, response};
pub use send::{auth, rate_limit, record, redirect, retry, runtime};
use send::{origin, redact, tls};

pub mod error;
pub mod pagination;
pub mod request;
mod text;

// Generated from the spec by `cargo xtask regen`: the operations, the
// types, the CLI's and the MCP server's tables, the mocks.
mod generated;

// The front ends.
#[cfg(feature = "cli")]
pub mod cli;
// What the CLI and the MCP server share: running an operation from
// arguments, the answer as sent, the errors both report.
#[cfg(feature = "cli")]
mod invoke;
#[cfg(feature = "mcp")]
pub mod mcp;
#[cfg(feature = "webhooks")]
pub mod webhooks;

pub use error::{ApiError, DecodeError, Error, ErrorKind};
pub use generated::*;
pub use request::Request;
#[doc(no_inline)]
pub use response::RawResponse;
#[doc(no_inline)]
pub use runtime::{BuildError, ClientBuilder};
#[doc(no_inline)]
pub use value::{IntoValue, InvalidValue};

/// Typed [`httpmock`](https://docs.rs/httpmock) mocks of every operation,
/// for testing code written against [`Client`] without a network
/// (feature `mock`).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use gitcode::mock::MockServerExt;
/// use gitcode::prelude::*;
///
/// let server = httpmock::MockServer::start_async().await;
/// let mock = server.get_issue(|when, then| {
///     when.owner("o").repo("r").number("7");
///     then.ok(&gitcode::types::Issue::builder().title("Crash").try_into().unwrap());
/// });
/// let client = gitcode::Client::builder().base_url(server.base_url()).build().unwrap();
/// let issue = client.get_issue().owner("o").repo("r").number("7").send().await.unwrap();
/// assert_eq!(issue.title.as_deref(), Some("Crash"));
/// mock.assert();
/// # }
/// ```
#[cfg(feature = "mock")]
pub use generated::mock;

/// The traits that put every operation on [`Client`], and the page streams.
pub mod prelude {
    pub use crate::generated::prelude::*;
    pub use crate::pagination::{CursorPaginated, PaginateExt};
}

/// The repository's Markdown guides, whose Rust snippets `cargo test` compiles
/// (and runs, where they are not `no_run`) as doctests of this crate, so that
/// none of them can go stale. One item per file, gated by the features its
/// snippets need; each exists only under `cfg(doctest)`, so the files, which
/// are outside the package, are never read by a build of it.
#[cfg(doctest)]
pub mod guides {
    #[doc = include_str!("../../README.md")]
    pub struct Readme;
    #[doc = include_str!("../../ARCHITECTURE.md")]
    pub struct Architecture;
    #[doc = include_str!("../../docs/cli.md")]
    pub struct Cli;
    #[doc = include_str!("../../docs/evidence.md")]
    pub struct Evidence;
    #[cfg(feature = "redis")]
    #[doc = include_str!("../../docs/fleets.md")]
    pub struct Fleets;
    #[doc = include_str!("../../docs/maintaining.md")]
    pub struct Maintaining;
    #[doc = include_str!("../../docs/mcp.md")]
    pub struct Mcp;
    #[doc = include_str!("../../docs/measurements.md")]
    pub struct Measurements;
    #[doc = include_str!("../../docs/security.md")]
    pub struct Security;
    #[cfg(feature = "webhooks")]
    #[doc = include_str!("../../docs/webhooks.md")]
    pub struct Webhooks;
}
