//! `gitcode mcp` (feature `mcp`): every operation of the API as a typed
//! tool for AI agents, over the Model Context Protocol.
//!
//! The tools are generated from the spec (`generated/mcp.rs`, one per
//! operation): a tool's name is its `operationId`, its arguments are the
//! flags of the CLI command of the same operation (with `_` for `-`), and
//! its `inputSchema` is the JSON Schema of those arguments. A call is
//! checked against that schema before anything is sent ([`arguments`]),
//! then goes through the same generated `execute` as the command line, so
//! the client's runtime (auth, rate limits, retries) and every wire quirk
//! (comma lists, forms, multipart, kept slashes) hold for agents too. The
//! answer comes back as the server sent it (`answer.rs`).
//!
//! What the server shares with the command line (the arguments of a call,
//! the answer as sent, the errors, the settings that make the client) is
//! in a module of its own (`src/invoke/`); this module never uses the
//! command line's internals. The CLI hosts it as `gitcode mcp` (`command()`
//! and `run()` are what it calls).
//!
//! Which tools are listed is the [`Selection`]: toolsets (the spec's tags in
//! kebab-case), single tools, read-only mode, no destructive tools, dynamic
//! discovery. The server itself is [`Server`], an rmcp `ServerHandler`,
//! served over stdio or streamable HTTP (`http.rs`) by `gitcode mcp`.
//!
//! Besides the tools, the server has resource templates ([`resources`]):
//! a file at a ref, a README, an issue with its comments, a pull request
//! with its changed files, read with GETs through the same client, also
//! under `--read-only`.

mod answer;
pub mod arguments;
mod http;
pub mod resources;
mod selection;
mod server;

pub use answer::MAX_BYTES;
pub use resources::{MAX_LIST_ITEMS, resource_templates};
pub use selection::{DEFAULT_TOOLSETS, Refusal, Selection, SelectionError, toolset_names};
pub use server::{NEWEST_PROTOCOL_VERSION, Server};

use clap::{ArgAction, ArgMatches};

use crate::invoke::{CliError, Globals};

/// One generated tool: an operation as an agent sees it.
///
/// Only the generated table makes them; more fields may be added (hence
/// `#[non_exhaustive]`).
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Tool {
    /// The `operationId` (`create_repo_issue`).
    pub name: &'static str,
    /// The CLI command that runs it (`create-repo-issue`).
    pub command: &'static str,
    /// The toolset: the spec's tag in kebab-case (`issues`).
    pub toolset: &'static str,
    /// The HTTP method (`GET`).
    pub method: &'static str,
    /// What the tool does, for the agent: the operation's summary and docs.
    pub description: &'static str,
    /// The `inputSchema`, as JSON text.
    pub input_schema: &'static str,
    /// Lists one page per call (`page` and `per_page`).
    pub pages: bool,
    /// Does what cannot be undone: a DELETE, or an operation the spec marks
    /// `x-gitcode-destructive` (a transfer, a replacement of a whole set);
    /// the tool's description then says what.
    pub destructive: bool,
}

impl Tool {
    /// Reads and changes nothing (a GET).
    pub fn read_only(&self) -> bool {
        self.method == "GET"
    }

    /// Does what cannot be undone ([`Tool::destructive`](#structfield.destructive):
    /// every DELETE, a transfer, a replacement of a whole set): the tool's
    /// `destructiveHint`, and what `--no-destructive` leaves out.
    pub fn destructive(&self) -> bool {
        self.destructive
    }
}

/// Every tool, in spec order.
pub fn tools() -> &'static [Tool] {
    crate::generated::mcp::TOOLS
}

/// The `mcp` subcommand.
pub(crate) fn command() -> clap::Command {
    clap::Command::new("mcp")
        .about("Serve every operation as a tool for AI agents (Model Context Protocol)")
        .long_about(
            "Serve every operation as a tool for AI agents, over the Model Context \
             Protocol: on standard input and output (the default), or over \
             streamable HTTP with --http. The token, base URL and auth mode are \
             the global options'. See docs/mcp.md in the repository.",
        )
        .arg(
            clap::Arg::new("toolsets")
                .long("toolsets")
                .value_name("LIST")
                .value_delimiter(',')
                .default_value("default")
                .help(format!(
                    "Toolsets to serve (comma-separated): toolset names, `all`, `default` ({})",
                    DEFAULT_TOOLSETS.join(", ")
                )),
        )
        .arg(
            clap::Arg::new("tools")
                .long("tools")
                .value_name("LIST")
                .value_delimiter(',')
                .help("Single tools to serve besides the toolsets (operationIds, comma-separated)"),
        )
        .arg(
            clap::Arg::new("read-only")
                .long("read-only")
                .action(ArgAction::SetTrue)
                .help("List only tools that read (GET); refuse every other call by name"),
        )
        .arg(
            clap::Arg::new("no-destructive")
                .long("no-destructive")
                .action(ArgAction::SetTrue)
                .help("List no destructive tool (a DELETE, or a tool whose description says what it does that cannot be undone); refuse them by name"),
        )
        .arg(
            clap::Arg::new("dynamic")
                .long("dynamic")
                .action(ArgAction::SetTrue)
                .help("Start with three discovery tools; the agent enables toolsets as it needs them"),
        )
        .arg(
            clap::Arg::new("list-tools")
                .long("list-tools")
                .action(ArgAction::SetTrue)
                .help("Print the selected tools (name, toolset, method) and exit"),
        )
        .arg(
            clap::Arg::new("http")
                .long("http")
                .value_name("ADDR")
                .help("Serve streamable HTTP on ADDR (`127.0.0.1:8808`) at /mcp, instead of stdio"),
        )
        .arg(
            clap::Arg::new("http-allow-remote")
                .long("http-allow-remote")
                .action(ArgAction::SetTrue)
                .requires("http")
                .requires("http-secret-env")
                .help("Allow --http on an address that is not loopback (needs --http-secret-env)"),
        )
        .arg(
            clap::Arg::new("http-secret-env")
                .long("http-secret-env")
                .value_name("NAME")
                .requires("http")
                .help("Require `Authorization: Bearer <secret>`, the secret read from the environment variable NAME"),
        )
}

/// Runs `gitcode mcp`.
pub(crate) async fn run(globals: &Globals, matches: &ArgMatches) -> Result<(), CliError> {
    let names = |id: &str| -> Vec<String> {
        matches
            .get_many::<String>(id)
            .into_iter()
            .flatten()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let selection = Selection::new(
        &names("toolsets"),
        &names("tools"),
        matches.get_flag("read-only"),
        matches.get_flag("dynamic"),
    )
    .map_err(|e| CliError::Usage(e.to_string()))?
    .no_destructive(matches.get_flag("no-destructive"));
    if matches.get_flag("list-tools") {
        for tool in selection.listed() {
            println!("{}\t{}\t{}", tool.name, tool.toolset, tool.method);
        }
        return Ok(());
    }
    let client = globals.default_client()?;
    let server = Server::new(client, selection);
    match matches.get_one::<String>("http") {
        None => server.serve_stdio().await,
        Some(address) => {
            let options = http::Options::read(
                address,
                matches.get_flag("http-allow-remote"),
                matches
                    .get_one::<String>("http-secret-env")
                    .map(String::as_str),
            )?;
            http::serve(server, options).await
        }
    }
}
