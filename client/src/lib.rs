//! A client for the GitCode REST API (`api.gitcode.com`, also served as
//! `api.atomgit.com`), v5 and v8.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use gitcode::prelude::*;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = gitcode::Client::builder()
//!     .token(std::env::var("GITCODE_TOKEN")?)
//!     .build()?;
//! let issue = client.get_issue().owner("o").repo("r").number("7").send().await?;
//! println!("{:?}", issue.title);
//!
//! // Every list operation streams across pages.
//! let mut open = client.list_repo_issues().owner("o").repo("r").state("open").stream();
//! while let Some(issue) = open.try_next().await? {
//!     println!("{:?}", issue.title);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Setters take plain values ([`IntoValue`]): text as `&str`, an optional
//! field by its value, a name list as an array, an enum by its text, an id as
//! an answer gave it. `?` takes every error of the crate into [`Error`]:
//!
//! ```no_run
//! use gitcode::prelude::*;
//!
//! # async fn run() -> Result<(), gitcode::Error> {
//! let client = gitcode::Client::builder().token("...").build()?;
//! let issue = client
//!     .create_issue()
//!     .owner("o")
//!     .body_map(|b| b.repo("r").title("Crash").body("Steps: ...").labels(["bug", "p1"]))
//!     .send()
//!     .await?;
//! client
//!     .update_issue()
//!     .owner("o")
//!     .number(&issue.number)
//!     .body_map(|b| b.repo("r").state("close"))
//!     .send()
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! The operations are generated from a hand-curated OpenAPI description of
//! the API (`spec/` in the repository) and grouped by area in extension
//! traits (`ClientIssuesExt`, `ClientPullRequestsExt`, ...), all in
//! [`prelude`]. Each operation is a builder: set its parameters, then
//! `.send().await`.
//!
//! Around every call, with no code at the call site ([`runtime`]): the token
//! in the mode chosen ([`auth::AuthMode`]), a client-side rate limiter
//! ([`rate_limit`]), retries of transient failures of idempotent requests
//! ([`retry::RetryPolicy`]), a tracing span, and a typed [`Error`].
//!
//! The server's quirks are handled in one place each: lenient scalar types
//! in [`lenient`], multipart uploads in [`multipart`], file paths in URLs in
//! [`paths`].
//!
//! Nothing the server sends is lost: a value that does not fit the spec is
//! left out with a warning rather than failing the call ([`decode`]), every
//! builder's `send_raw()` returns the answer as sent ([`RawResponse`]), and
//! [`Client::request`] reaches any path the spec lacks ([`request`]).
//! [`ClientBuilder::record`] records every exchange as HAR 1.2, credentials
//! redacted ([`record`]): evidence of what the server really answered.
//!
//! The token goes only where the caller meant: path parameters cannot move
//! a request ([`paths`]), credentials never follow a redirect off the
//! origin ([`redirect`]), and plain HTTP to a remote host is refused
//! ([`ClientBuilder::danger_allow_token_over_plain_http`]).
//!
//! ## Features
//!
//! - One per API area (`issues`, `pull-requests`, `repositories`, ...;
//!   all of them: `full`, a default): a crate that uses a few areas
//!   compiles only their operations and types.
//! - TLS, one of: `rustls-aws-lc` (default; reqwest's own default),
//!   `rustls-ring` (the quickest to build), `native-tls`. With none,
//!   reqwest 0.13 uses the TLS backend the rest of the dependency tree
//!   turned on, so a crate that already has reqwest builds one TLS stack.
//!   With `rustls-ring` alone, building a client installs ring as the
//!   process's default rustls provider unless one is installed already; a
//!   program that builds other reqwest clients first installs one itself.
//! - `webhooks` (the receiving side), `mock` (typed `httpmock` mocks),
//!   `cli` (the `gitcode` command line), `redis` (a rate limit shared by
//!   many processes through Redis: `rate_limit::shared`). None is a
//!   default.
//!
//! Each item's documentation says which feature it needs.

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
