//! Running one operation from arguments, for both front ends (feature
//! `cli`): the command line (`gitcode::cli`) and the MCP server
//! (`gitcode::mcp`, feature `mcp`) each depend on this module, never on
//! each other's internals.
//!
//! | file | what it holds |
//! | --- | --- |
//! | `args.rs` | [`Args`]: the flags of a command line or a tool call's JSON arguments, one set of getters |
//! | `tool_arguments.rs` | how a tool call's JSON differs from a flag: an id's other form, `all_pages`, files and bodies in base64 (feature `mcp`) |
//! | `globals.rs` | [`Globals`]: the settings that make the client, and [`TokenSource`] |
//! | `answer.rs` | [`Answer`]: the answer as sent, [`PageItems`], [`Check`], a list read page by page |
//! | `check.rs` | the typed checks generated commands name, and the warning for what they left out |
//! | `json.rs` | writing JSON with key order and number text as sent |
//! | `error.rs` | [`CliError`] and its exit codes |
//!
//! The generated `execute` (in `generated/cli.rs`) is the table from a
//! command's name to the builder calls that run it; both front ends call
//! it through [`execute`]. The public paths of these items are those of
//! `gitcode::cli` (and `gitcode::mcp::arguments` for `other_form` and
//! `ALL_PAGES`), which re-export them.

mod answer;
mod args;
pub mod check;
mod error;
mod globals;
pub(crate) mod json;
#[cfg(feature = "mcp")]
mod tool_arguments;

pub(crate) use answer::PageReader;
pub use answer::{Answer, PageItems};
pub use args::Args;
pub(crate) use args::read_source;
pub use check::Check;
pub use error::CliError;
pub(crate) use globals::SharedLimit;
pub use globals::{Globals, TokenSource};
#[cfg(feature = "mcp")]
pub use tool_arguments::{ALL_PAGES, other_form};

/// Runs the operation of the command named `command` (`get-issue`) with
/// `args` on `client`: the generated table from every command to the
/// builder calls that run it.
pub(crate) use crate::generated::cli::execute;
