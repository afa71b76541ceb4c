//! The official GitCode docs as evidence: reading their pages, the facts
//! of them kept as fixtures, and how much of them the spec covers.
//!
//! Where to look: how a page's Markdown is read (a new heading form, an
//! example the reader misses) is [`pages`]; which facts are kept and how a
//! snapshot becomes fixture files is `import.rs`, how the tests read them
//! back is `facts.rs` ([`DocsFacts`]); `cargo xtask coverage` (the spec
//! against the docs' index, the undocumented operations) is [`coverage`].
//!
//! The facts of the official docs that the tests read are kept in the
//! repository as fixtures (`fixtures/gitcode-docs/`), so that a clone is whole
//! without the docs beside it.
//!
//! [`import()`] turns a docs snapshot (`endpoints.tsv`, `en/*.md`,
//! `webhooks.md`) into the fixture files; [`DOCS`] (a [`FixtureSet`])
//! writes them for `cargo xtask import-docs DIR` and compares them with the
//! docs beside the checkout.
//! [`DocsFacts::load`] reads them back. Only facts are kept, never the pages'
//! prose:
//!
//! - `endpoints.tsv`: the index of endpoints: method, path, category and the
//!   URL of the page (empty when there is no English page);
//! - `webhook_events.tsv`: the `X-GitCode-Event` values of the webhooks table,
//!   with the help page of each;
//! - `examples/<page>.json`, one per endpoint page: its URL, method and path,
//!   and each JSON response example (status, media type, name within an
//!   `Examples:` map, and the body as the page gives it, key order and number
//!   text included). One file a page, so that a change of the docs shows in
//!   the diff as the pages it touched.
//!
//! The modules: [`pages`] (a page's response examples), `import.rs` (a
//! snapshot to fixture files), `facts.rs` (reading the fixtures),
//! [`coverage`] (the spec against the index).

pub mod coverage;
mod facts;
mod import;
pub mod pages;

pub use facts::{DocsFacts, IndexEntry, PageExamples, WebhookEvent};
pub use import::{import, webhook_events_table};

use super::fixtures::FixtureSet;

/// Where the fixtures live, relative to the workspace root.
pub const FIXTURES_DIR: &str = "fixtures/gitcode-docs";

/// Where maintainers keep the docs snapshot, relative to the workspace root.
pub const DOCS_BESIDE: &str = "../shared/gitcode-docs";

/// The docs fixtures: [`FIXTURES_DIR`], imported from the docs snapshot
/// beside the checkout by [`import()`].
pub const DOCS: FixtureSet = FixtureSet {
    dir: FIXTURES_DIR,
    beside: DOCS_BESIDE,
    command: "import-docs",
    import,
};

const README: &str = "\
# Facts of the official GitCode docs

Written by `cargo xtask import-docs DIR` from a snapshot of the docs; do not edit by hand. The tests, \
`cargo xtask coverage` and `cargo xtask spec-check` read these files. Only facts are kept, never the \
pages' prose:

- `endpoints.tsv`: every documented endpoint: method, path, category, page URL (empty: no English page);
- `webhook_events.tsv`: the `X-GitCode-Event` values, with their help page (under `.../webhook/webhook-stepup/`);
- `examples/<page>.json`: per endpoint page, its URL, method, path and every JSON response example
  (status, media type, name in an `Examples:` map, body as the page shows it).
";

/// The header rows of the two index files.
const ENDPOINTS_HEADER: &str = "method\tpath\tcategory\tpage";
const WEBHOOKS_HEADER: &str = "event\thelp_page";
