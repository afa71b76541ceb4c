//! Generates the `gitcode` client from the hand-curated OpenAPI spec.
//!
//! The pipeline, one module a step:
//! 1. [`spec`]: load the YAML files, merge them, check them (errors name file and line);
//! 2. [`settings`] + progenitor: generate the client's tokens;
//! 3. [`passes`]: named post-processing passes on the syntax tree;
//! 4. [`render`]: format with prettyplease;
//! 5. [`output`]: write atomically, or compare with the checked-in files
//!    (beside the client: [`bundled`], the spec as one standard document).
//!
//! Beside the pipeline, [`traffic`] holds recorded exchanges (HAR files)
//! against the spec: `cargo xtask conformance`; [`probe`] plans the read-only
//! calls of `cargo xtask probe`, which records such exchanges.

pub mod api_diff;
pub mod bundled;
pub mod cli;
pub mod conformance;
pub mod coverage;
pub mod decoders;
pub mod docs;
pub mod docs_fixtures;
pub mod error;
pub mod fixtures;
pub mod generate;
pub mod gitcode_cli;
pub mod mcp;
pub mod output;
pub mod passes;
pub mod peer_wire;
pub mod prepare;
pub mod probe;
pub mod render;
pub mod settings;
pub mod spec;
pub mod split;
pub mod traffic;
pub mod webhooks;

pub use error::{Error, Result, SpecError};
pub use generate::{generate, generate_from};
pub use output::{Drift, GeneratedFile};
