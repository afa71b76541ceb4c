// This file is hand-written: it only includes the generated client.
#[allow(clippy::all, missing_docs, rustdoc::all)]
#[rustfmt::skip]
mod client;

#[cfg(feature = "cli")]
#[rustfmt::skip]
pub(crate) mod cli;

pub(crate) use client::operation_path;
pub use client::*;
