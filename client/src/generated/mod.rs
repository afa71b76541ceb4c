// This file is hand-written: it only includes the generated client.
#[allow(clippy::all, missing_docs, rustdoc::all)]
#[rustfmt::skip]
mod client;

pub(crate) use client::operation_path;
pub use client::*;
