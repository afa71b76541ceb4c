//! The integration tests of `gitcode`, one module per subject, linked into
//! one test binary.
//!
//! One binary instead of one per file: the client (all features, with its
//! generated code) is linked once, not a dozen times, which saves most of
//! the suite's link time and gigabytes of disk in `target/`. Add a test to
//! the module of its subject, or a new module here.

mod support;

#[cfg(feature = "cli")]
mod cli;
mod cli_sources;
mod conformance;
mod docs;
mod docs_examples;
mod evidence;
#[cfg(feature = "mock")]
mod examples;
mod generated_is_fresh;
mod hosts;
mod load;
#[cfg(feature = "mcp")]
mod mcp;
#[cfg(feature = "mock")]
mod mocks;
mod peer_wire;
mod quirks;
mod raw_access;
mod record;
mod runtime;
mod security;
mod setters;
#[cfg(feature = "redis")]
mod shared_limit;
mod streams;
mod tolerant;
#[cfg(feature = "webhooks")]
mod webhook_receiver;
#[cfg(feature = "webhooks")]
mod webhooks;
mod wire;
