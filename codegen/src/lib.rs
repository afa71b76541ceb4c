//! Generates the `gitcode` client from the hand-curated OpenAPI spec.
//!
//! The pipeline, one folder a step ([`generate()`] runs them in this order):
//! 1. [`spec`]: load the YAML files, merge them, check them (errors name file and line);
//! 2. [`generate`](mod@generate): the run itself; progenitor generates the
//!    client's tokens from [`generate::settings`] and the spec as
//!    [`generate::prepare`] edits it for progenitor;
//! 3. [`passes`]: named post-processing passes on the syntax tree;
//! 4. [`tables`]: the tables beside the client, read off the final tree or
//!    the spec: the CLI's commands, the MCP tools, the webhook events, the
//!    response decoders of the docs-example test;
//! 5. [`output`]: the client split into files ([`output::split`]), formatted
//!    ([`output::render`]) and written atomically, or compared with the
//!    checked-in files (beside the client: [`output::bundled`], the spec as
//!    one standard document).
//!
//! Beside the pipeline:
//! - [`evidence`]: the spec held against the world (the official docs, gc's
//!   recorded requests and its source, HAR recordings of any tool, the plan
//!   of `cargo xtask probe`);
//! - [`api_diff`]: the spec held against its own earlier version (`cargo
//!   xtask diff`, the semver bump);
//! - [`error`]: the errors of all of them, which name the spec file and line.

pub mod api_diff;
pub mod error;
pub mod evidence;
pub mod generate;
pub mod output;
pub mod passes;
pub mod spec;
pub mod tables;

pub use error::{Error, Result, SpecError};
pub use generate::{generate, generate_from};
pub use output::{Drift, GeneratedFile};
