//! The spec held against the world: every source of what the GitCode
//! server really does, read, kept as fixtures and compared with the spec.
//! Nothing here generates code; the tests, `cargo xtask spec-check`,
//! `coverage`, `conformance`, `probe` and the `import-*` commands use it.
//!
//! - [`docs`]: the official docs: their pages' response examples, the facts
//!   kept in `fixtures/gitcode-docs/`, the spec's coverage of their index;
//! - [`peer_wire`]: the requests gc (GitCode's own CLI) was recorded
//!   sending (`fixtures/peer-wire/`), and how one request is held against the
//!   spec;
//! - [`gitcode_cli`]: every request of gc's `api/` package, scanned from its
//!   Go source, mapped to an operation (`fixtures/gitcode-cli/`);
//! - [`traffic`]: HAR recordings of any tool held against the spec (`cargo
//!   xtask conformance`), credentials redacted from every report;
//! - [`probe`]: which read-only calls `cargo xtask probe` makes, and with
//!   which parameters, so that their recorded answers become evidence;
//! - [`conformance`]: does a JSON value fit a schema of the spec, as the
//!   client decodes it (shared by the docs examples, the recorded requests
//!   and the HAR answers);
//! - [`fixtures`]: a fixtures folder imported from a source kept beside the
//!   checkout ([`fixtures::FixtureSet`]): write, drift, compare.
//!
//! Where to look: a value the spec is wrongly said to reject is
//! [`conformance`]; a request wrongly said not to fit its operation is
//! `peer_wire/hold.rs` (the HAR checks use it too); which operation a method
//! and path are is [`crate::spec::matching`], shared by all sources. A new
//! source of evidence gets its own module here: an `import` from where
//! maintainers keep it to a fixtures folder (a [`fixtures::FixtureSet`], with
//! its `cargo xtask import-*` command in `xtask/src/main.rs`), a reader of
//! those fixtures, and a test in `codegen/tests/` holding each fact against
//! the spec; its kind, if new, joins `SOURCE_KINDS` in
//! [`crate::spec::extensions`] so that `x-gitcode-sources` can name it.

pub mod conformance;
pub mod docs;
pub mod fixtures;
pub mod gitcode_cli;
pub mod peer_wire;
pub mod probe;
pub mod traffic;
