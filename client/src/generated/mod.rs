// This file is hand-written: it only includes the generated client.
#[allow(clippy::all, missing_docs, rustdoc::all)]
#[rustfmt::skip]
mod client;

#[cfg(feature = "cli")]
#[rustfmt::skip]
pub(crate) mod cli;

#[cfg(feature = "mcp")]
#[rustfmt::skip]
pub(crate) mod mcp;

#[cfg(feature = "webhooks")]
#[rustfmt::skip]
pub(crate) mod webhooks;

/// Typed `httpmock` mocks for every operation (feature `mock`).
#[cfg(feature = "mock")]
#[allow(clippy::all, missing_docs, rustdoc::all, unused_imports)]
#[rustfmt::skip]
pub mod mock;

pub(crate) use client::operation_meta;
pub use client::*;
