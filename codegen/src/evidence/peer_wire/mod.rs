//! The requests of GitCode's own CLI, kept as evidence of what the live
//! server accepts beside the docs.
//!
//! `gc` (the Go CLI published on PyPI as `gitcode-cli`) is used against
//! api.gitcode.com every day; its requests for everyday commands were
//! recorded against a local stand-in (`../shared/peer-wire/*.jsonl`, one JSON
//! object a request). [`PEER_WIRE`] copies them into `fixtures/peer-wire/`
//! (`cargo xtask import-peer-wire DIR`) and checks the copy against the
//! recordings beside the checkout; [`load`] reads the copy back; [`hold`]
//! holds one request against the spec and names every disagreement.
//!
//! The modules: `recording.rs` (the request record and the import),
//! `hold.rs` (a request against the spec, also any request of a HAR file:
//! [`crate::evidence::traffic`]).

mod hold;
mod recording;

pub use hold::{Disagreement, Held, SentRequest, hold, hold_matched, hold_request};
pub use recording::{Recording, import, load};

use super::fixtures::FixtureSet;

/// Where the fixtures live, relative to the workspace root.
pub const FIXTURES_DIR: &str = "fixtures/peer-wire";

/// Where maintainers keep the recordings, relative to the workspace root.
pub const PEER_WIRE_BESIDE: &str = "../shared/peer-wire";

/// The recordings as a fixture set: [`FIXTURES_DIR`], copied from
/// [`PEER_WIRE_BESIDE`] by [`import()`].
pub const PEER_WIRE: FixtureSet = FixtureSet {
    dir: FIXTURES_DIR,
    beside: PEER_WIRE_BESIDE,
    command: "import-peer-wire",
    import,
};

const README: &str = "\
# Requests of GitCode's own CLI

Written by `cargo xtask import-peer-wire DIR` from the recordings beside the checkout; do not edit by hand.

Each `*.jsonl` file holds, one JSON object a line, the HTTP requests that a version of `gc` (GitCode's \
CLI, `gitcode-cli` on PyPI) sent for everyday commands, recorded against a local stand-in of the API: \
`command` (the `gc` command line), `method`, `path` (not decoded), `query` (`[name, value]` pairs in the \
order sent), `content_type`, `auth` (the scheme only) and `body` (raw, `\"\"` when none). The test \
`codegen/tests/peer_wire.rs` holds every request against the spec.
";
