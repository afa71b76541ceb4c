//! A client for the GitCode REST API (`api.gitcode.com`, also served as
//! `api.atomgit.com`), v5 and v8.
//!
//! The operations are generated from a hand-curated OpenAPI description of
//! the API (`spec/` in the repository) and grouped by area in extension
//! traits (`ClientIssuesExt`, `ClientPullRequestsExt`, ...); bring them into
//! scope with `use gitcode::prelude::*`. Each operation is a builder: set its
//! parameters, then `.send().await`.
//!
//! The server's quirks are handled in one place each: lenient scalar types
//! in [`lenient`], multipart uploads in [`multipart`], file paths in URLs in
//! [`paths`].

#![doc(html_root_url = "https://docs.rs/gitcode/0.1.0")]

mod generated;

pub mod lenient;
pub mod multipart;
pub mod paths;

pub use generated::*;
