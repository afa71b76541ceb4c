//! The tables generated beside the client, which the hand-written front
//! ends and tests read: step 4 of the pipeline, after the passes.
//!
//! Each module generates one file from the final client tree (so it follows
//! whatever names progenitor and the passes chose) or from the spec:
//!
//! - [`cli`]: the `gitcode` command line's `COMMANDS` table and `execute`
//!   (`client/src/generated/cli.rs`), one command per operation, read off
//!   the builders;
//! - [`mcp`]: the MCP tools of `gitcode mcp` (`client/src/generated/mcp.rs`):
//!   the CLI's commands with the descriptions and `inputSchema`s an agent
//!   reads;
//! - [`webhooks`]: the webhook `Event` enum (`client/src/generated/webhooks.rs`)
//!   from `x-gitcode-webhooks`;
//! - [`decoders`]: the response-decoder table of the docs-example test
//!   (`client/tests/generated/response_decoders.rs`).
//!
//! Where to look: a flag, a command name or how a body reaches the command
//! line is [`cli`]; a tool's description, its argument schema or the JSON
//! Schema keywords it may use is [`mcp`] (the server's check of those
//! keywords is `client/src/mcp/arguments.rs`); a webhook event is the spec's
//! `x-gitcode-webhooks` (read by [`crate::spec::webhooks`]), its generated
//! enum [`webhooks`]. What the hand-written side does with a table (clap,
//! the rmcp server, signature checks) is in `client/src/`, never here.

pub mod cli;
pub mod decoders;
pub mod mcp;
pub mod webhooks;
