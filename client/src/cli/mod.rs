//! The `gitcode` command line (feature `cli`): every operation of the API
//! as a subcommand, named after its `operationId` in kebab-case, and
//! `gitcode api` for any path, `gitcode auth` for a stored login and
//! `gitcode webhook parse` for a webhook delivery.
//!
//! The commands and the code that runs them are generated
//! (`generated/cli.rs`, from the same tree as the client, so every quirk
//! holds here too); this module builds the clap application from that
//! table, reads the global options (`globals.rs`) and maps errors to exit
//! codes. Every command prints the body the server sent ([`output`]),
//! filtered by `--jq` ([`jq`]); `--strict` fails where tolerant decoding
//! would have left a value out.
//!
//! What the command line shares with `gitcode mcp` (the arguments an
//! operation runs with, its answer as sent, the errors and the settings
//! that make the client: [`Args`], [`Answer`], [`CliError`], [`Globals`]) is
//! in a module of its own (`src/invoke/`) that both depend on; it is
//! re-exported here under its public names. This module depends on
//! `gitcode::mcp` only to host its subcommand.
//!
//! | exit | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | another API error (validation, conflict, ...), a `--jq` error |
//! | 2 | usage error (bad flags, missing arguments, an invalid `--jq`) |
//! | 3 | authentication or permission (401, 403, not logged in, a webhook delivery that does not verify) |
//! | 4 | not found (404) |
//! | 5 | rate limited (429) |
//! | 6 | server error (5xx) |
//! | 7 | network error (no answer), or the store of the shared rate limit (`--rate-limit-url`) failed |
//! | 8 | the answer (or a webhook body) could not be decoded, or, with `--strict`, did not fit |

pub mod api;
pub mod auth;
pub mod jq;
pub mod output;
pub mod shared_limit;
pub mod token_store;
pub mod webhook;

mod globals;

// Shared with `gitcode mcp` (`crate::invoke`); public here, their paths since
// before the split.
pub use crate::invoke::{Answer, Args, Check, CliError, Globals, PageItems, check};
pub use output::Output;

use std::process::ExitCode;

use clap::{ArgAction, ArgMatches};

use crate::ErrorKind;
use crate::generated::cli::COMMANDS;
use crate::invoke::execute;

/// One generated command.
#[derive(Debug)]
pub struct Command {
    /// The subcommand: the `operationId` in kebab-case (`get-issue`).
    pub name: &'static str,
    /// The `operationId` (`get_issue`).
    pub operation_id: &'static str,
    /// The docs category the help lists it under (`Issues`).
    pub tag: &'static str,
    /// One line of help: the operation's summary.
    pub about: &'static str,
    /// The HTTP method (`GET`).
    pub method: &'static str,
    /// The path template (`/api/v5/repos/{owner}/{repo}/issues/{number}`).
    pub path: &'static str,
    /// Its flags, one per parameter and body field.
    pub args: &'static [Arg],
    /// Takes a JSON request body (`--json-body`).
    pub json_body: bool,
    /// Takes a request body of bytes (`--body-file`).
    pub raw_body: bool,
    /// Lists across pages with `--all` (page numbers or a cursor).
    pub paginated: bool,
}

/// One flag of a generated command.
#[derive(Debug)]
pub struct Arg {
    /// The flag without its dashes (`per-page`).
    pub name: &'static str,
    /// The command fails without it.
    pub required: bool,
    /// A field of the request body (else a path, query or header parameter).
    pub in_body: bool,
    /// Its help: the parameter's description (may be empty).
    pub help: &'static str,
}

/// `-H 'Name: value'`, repeatable (`gitcode api`, `gitcode webhook parse`).
fn header_arg(help: &'static str) -> clap::Arg {
    clap::Arg::new("header")
        .short('H')
        .long("header")
        .value_name("NAME: VALUE")
        .action(ArgAction::Append)
        .help(help)
}

/// The `-H` values as `(name, value)`, trimmed.
fn headers_given(matches: &ArgMatches) -> Result<Vec<(&str, &str)>, CliError> {
    matches
        .get_many::<String>("header")
        .into_iter()
        .flatten()
        .map(|raw| {
            raw.split_once(':')
                .map(|(name, value)| (name.trim(), value.trim()))
                .ok_or_else(|| CliError::Usage(format!("-H {raw}: expected `Name: value`")))
        })
        .collect()
}

/// The help heading of the options every command takes.
const GLOBAL: &str = "Global options";

/// The clap application: global options, one subcommand per operation
/// (help grouped by tag), and `completions`.
pub fn app() -> clap::Command {
    let mut app = clap::Command::new("gitcode")
        .about("Every GitCode API operation from the command line")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            clap::Arg::new("token")
                .help_heading(GLOBAL)
                .long("token")
                .global(true)
                .env("GITCODE_TOKEN")
                .hide_env_values(true)
                .help("Personal access token (never printed); else GITCODE_TOKEN, else the one stored by `gitcode auth login`"),
        )
        .arg(
            clap::Arg::new("base-url")
                .help_heading(GLOBAL)
                .long("base-url")
                .global(true)
                .env("GITCODE_BASE_URL")
                .default_value(crate::runtime::DEFAULT_BASE_URL)
                .help("API server"),
        )
        .arg(
            clap::Arg::new("auth-mode")
                .help_heading(GLOBAL)
                .long("auth-mode")
                .global(true)
                .value_parser(["bearer", "private-token", "query"])
                .default_value("bearer")
                .help("How the token is sent"),
        )
        .arg(
            clap::Arg::new("jq")
                .help_heading(GLOBAL)
                .long("jq")
                .global(true)
                .value_name("EXPR")
                .help("Filter the output with a jq expression (strings print without quotes)"),
        )
        .arg(
            clap::Arg::new("record")
                .help_heading(GLOBAL)
                .long("record")
                .global(true)
                .env("GITCODE_RECORD")
                .value_name("FILE")
                .value_parser(clap::builder::NonEmptyStringValueParser::new())
                .help("Record every request and answer as HAR 1.2 in FILE (in a new file if FILE is a directory), credentials redacted"),
        )
        .arg(
            clap::Arg::new("strict")
                .help_heading(GLOBAL)
                .long("strict")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Fail (exit 8) when an answer does not fit the spec, instead of warning"),
        )
        .arg(
            clap::Arg::new("rate-limit-url")
                .help_heading(GLOBAL)
                .long("rate-limit-url")
                .global(true)
                .value_name("URL")
                .env("GITCODE_RATE_LIMIT_URL")
                .hide_env_values(true)
                .help("Share the rate limit with every process using this Redis (redis:// or rediss://; the password is never printed)"),
        )
        .arg(
            clap::Arg::new("rate-limit-on-failure")
                .help_heading(GLOBAL)
                .long("rate-limit-on-failure")
                .global(true)
                .value_name("POLICY")
                .env("GITCODE_RATE_LIMIT_ON_FAILURE")
                .default_value("wait")
                .help("When that Redis fails: `wait` (retry it, fail after 60 s), `fail`, or `local:N` (a local limit at 1/N, for N processes)"),
        )
        .help_template(help_template())
        .subcommand(api::command())
        .subcommand(auth::command())
        .subcommand(webhook::command());
    #[cfg(feature = "mcp")]
    {
        app = app.subcommand(crate::mcp::command());
    }
    app = app.subcommand(
        clap::Command::new("completions")
            .about("Print a shell completion script")
            .arg(
                clap::Arg::new("shell")
                    .required(true)
                    .value_parser(clap::value_parser!(clap_complete::Shell)),
            ),
    );
    for command in COMMANDS {
        app = app.subcommand(subcommand(command));
    }
    app
}

fn subcommand(command: &Command) -> clap::Command {
    let mut sub = clap::Command::new(command.name)
        .about(command.about)
        .long_about(format!(
            "{}.\n\n{} {}  (operationId `{}`)",
            command.about, command.method, command.path, command.operation_id
        ));
    for arg in command.args {
        let mut flag = clap::Arg::new(arg.name).long(arg.name).value_name("VALUE");
        if !arg.help.is_empty() {
            flag = flag.help(arg.help);
        }
        if arg.required {
            flag = flag.required(true);
        }
        if arg.in_body {
            flag = flag.help_heading("Body fields");
        }
        sub = sub.arg(flag);
    }
    if command.json_body {
        sub = sub.arg(
            clap::Arg::new("json-body")
                .long("json-body")
                .value_name("FILE")
                .help("Request body as JSON from FILE, or - for standard input; body-field flags override it"),
        );
    }
    if command.raw_body {
        sub = sub.arg(
            clap::Arg::new("body-file")
                .long("body-file")
                .value_name("FILE")
                .required(true)
                .help("Request body: the bytes of FILE, or - for standard input"),
        );
    }
    if command.paginated {
        sub = sub.arg(
            clap::Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Fetch every page and print all items (or, for cursor-paged operations, all answers) as one JSON array"),
        );
    }
    sub
}

/// `--help` lists the commands under their docs category.
fn help_template() -> String {
    let mut tags: Vec<&str> = Vec::new();
    for command in COMMANDS {
        if !tags.contains(&command.tag) {
            tags.push(command.tag);
        }
    }
    tags.sort_unstable();
    let width = COMMANDS.iter().map(|c| c.name.len()).max().unwrap_or(10);
    let mut text =
        String::from("{about-with-newline}\n{usage-heading} {usage}\n\nOptions:\n{options}\n");
    for tag in tags {
        text.push_str(&format!("\n{tag}:\n"));
        for command in COMMANDS.iter().filter(|c| c.tag == tag) {
            text.push_str(&format!("  {:width$}  {}\n", command.name, command.about));
        }
    }
    text.push_str(&format!(
        "\nOther:\n  {:width$}  Call any API path (like `gh api`)\n  {:width$}  Log in, show the stored logins, log out\n  {:width$}  Check and read webhook deliveries\n  {:width$}  Print a shell completion script\n",
        "api", "auth", "webhook", "completions"
    ));
    if cfg!(feature = "mcp") {
        text.push_str(&format!(
            "  {:width$}  Serve every operation as a tool for AI agents (MCP)\n",
            "mcp"
        ));
    }
    text.replace('{', "{{")
        .replace('}', "}}")
        .replace("{{about-with-newline}}", "{about-with-newline}")
        .replace("{{usage-heading}}", "{usage-heading}")
        .replace("{{usage}}", "{usage}")
        .replace("{{options}}", "{options}")
}

/// Runs the command line with the process's arguments.
pub async fn main() -> ExitCode {
    run(std::env::args_os()).await
}

/// Runs the command line with `args` (the first is the program name).
pub async fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = match app().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match dispatch(&matches).await {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`gitcode ... | head`) is not an error.
        Err((CliError::Io(e), _)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err((e, hint)) => {
            eprintln!("error: {e}");
            if let Some(hint) = hint {
                eprintln!("{hint}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// Runs the command line with `args`; the error and the hint to print.
async fn dispatch(matches: &ArgMatches) -> Result<(), (CliError, Option<String>)> {
    let (name, sub) = matches
        .subcommand()
        .ok_or_else(|| (CliError::Usage("no command given".into()), None))?;
    if name == "completions" {
        let shell = *sub
            .get_one::<clap_complete::Shell>("shell")
            .expect("required");
        clap_complete::generate(shell, &mut app(), "gitcode", &mut std::io::stdout());
        return Ok(());
    }
    // A bad expression costs no request.
    let jq = match matches.get_one::<String>("jq") {
        Some(code) => Some(jq::Jq::compile(code).map_err(|e| (CliError::Usage(e), None))?),
        None => None,
    };
    let mut out = Output::new(jq);
    let result = match name {
        // No server and no token: nothing else to read.
        "webhook" => webhook::run(sub, matches.get_flag("strict"), &mut out).map_err(|e| (e, None)),
        _ => call(matches, name, sub, &mut out).await,
    };
    // What was printed before a failure is kept.
    let flushed = out.flush();
    result?;
    flushed.map_err(|e| (e.into(), None))
}

/// Runs a command that talks to the server; a 401 comes with a hint on the
/// token that was refused.
async fn call(
    matches: &ArgMatches,
    name: &str,
    sub: &ArgMatches,
    out: &mut Output,
) -> Result<(), (CliError, Option<String>)> {
    let globals = globals::read(matches, name != "auth").map_err(|e| (e, None))?;
    let result = match name {
        "api" => api::run(&globals, sub, out).await,
        "auth" => auth::run(&globals, sub).await,
        #[cfg(feature = "mcp")]
        "mcp" => crate::mcp::run(&globals, sub).await,
        _ => match globals.default_client() {
            Ok(client) => match execute(&client, name, &Args::flags(sub)).await {
                Ok(answer) => out.write(answer).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        },
    };
    result.map_err(|e| {
        let hint = match &e {
            CliError::Api(api) if api.kind() == ErrorKind::Unauthorized && name != "auth" => {
                Some(auth::hint(&globals.token_source))
            }
            _ => None,
        };
        (e, hint)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_is_consistent() {
        app().debug_assert();
    }

    #[test]
    fn help_groups_commands_by_tag() {
        let help = app().render_help().to_string();
        let section = |tag: &str| -> String {
            let start = help
                .find(&format!("\n{tag}:\n"))
                .unwrap_or_else(|| panic!("no {tag} heading in {help}"));
            let rest = &help[start + 1..];
            rest[..rest.find("\n\n").unwrap_or(rest.len())].to_string()
        };
        assert!(section("Issues").contains("\n  get-issue "), "{help}");
        assert!(
            section("Pull Requests").contains("\n  create-pull-request "),
            "{help}"
        );
        assert!(!section("Issues").contains("create-pull-request"), "{help}");
    }
}
