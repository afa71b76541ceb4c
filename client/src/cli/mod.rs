//! The `gitcode` command line (feature `cli`): every operation of the API
//! as a subcommand, named after its `operationId` in kebab-case, and
//! `gitcode api` for any path, `gitcode auth` for a stored login and
//! `gitcode webhook parse` for a webhook delivery.
//!
//! The commands and the code that runs them are generated
//! (`generated/cli.rs`, from the same tree as the client, so every quirk
//! holds here too); this module builds the clap application from that
//! table, reads the global options and maps errors to exit codes. Every
//! command prints the body the server sent ([`output`]), filtered by
//! `--jq` ([`jq`]); `--strict` fails where tolerant decoding would have
//! left a value out.
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

pub use output::{Answer, Check, Output, PageItems, check};

use std::process::ExitCode;

use clap::{ArgAction, ArgMatches};

use crate::auth::AuthMode;
use crate::generated::cli::{COMMANDS, execute};
use crate::record::Recorder;
use crate::{Client, Error, ErrorKind};
use auth::TokenSource;

/// One generated command.
#[derive(Debug)]
pub struct Command {
    pub name: &'static str,
    pub operation_id: &'static str,
    pub tag: &'static str,
    pub about: &'static str,
    pub method: &'static str,
    pub path: &'static str,
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
    pub name: &'static str,
    pub required: bool,
    /// A field of the request body (else a path, query or header parameter).
    pub in_body: bool,
    pub help: &'static str,
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Api(#[from] Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A `--jq` expression failed on the answer, or the answer is not JSON.
    #[error("{0}")]
    Jq(String),
    /// Not logged in, a token the server refused at login, a webhook
    /// delivery that does not verify.
    #[error("{0}")]
    Refused(String),
    /// A body that does not decode (outside an API call: a webhook delivery).
    #[error("{0}")]
    Undecodable(String),
}

impl CliError {
    /// The process exit code (see the module docs).
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Io(_) | CliError::Jq(_) => 1,
            CliError::Refused(_) => 3,
            CliError::Undecodable(_) => 8,
            CliError::Api(e) => match e.kind() {
                ErrorKind::Unauthorized | ErrorKind::Forbidden => 3,
                ErrorKind::NotFound => 4,
                ErrorKind::RateLimited => 5,
                ErrorKind::ServerError => 6,
                ErrorKind::Transport | ErrorKind::RateLimitStore => 7,
                ErrorKind::Decode => 8,
                ErrorKind::InvalidRequest => 2,
                _ => 1,
            },
        }
    }
}

/// The arguments of the command being run, for the generated code: the
/// flags of a command line, or the arguments of an MCP tool call (named as
/// the flags, with `_` for `-`).
pub struct Args<'a> {
    source: Source<'a>,
}

enum Source<'a> {
    Flags(&'a ArgMatches),
    /// A tool call's arguments, already checked against the tool's schema.
    #[cfg(feature = "mcp")]
    Json(&'a serde_json::Map<String, serde_json::Value>),
}

impl<'a> Args<'a> {
    /// The flags of a parsed command line.
    pub(crate) fn flags(matches: &'a ArgMatches) -> Self {
        Args {
            source: Source::Flags(matches),
        }
    }

    /// The arguments of a tool call.
    #[cfg(feature = "mcp")]
    pub(crate) fn json(arguments: &'a serde_json::Map<String, serde_json::Value>) -> Self {
        Args {
            source: Source::Json(arguments),
        }
    }

    /// A flag's raw value, if given.
    fn flag(&self, name: &str) -> Option<&str> {
        match self.source {
            Source::Flags(matches) => matches.get_one::<String>(name).map(String::as_str),
            #[cfg(feature = "mcp")]
            Source::Json(_) => None,
        }
    }

    /// A tool call's argument for the flag `name`; `null` is no value.
    #[cfg(feature = "mcp")]
    fn argument(&self, name: &str) -> Option<&serde_json::Value> {
        match self.source {
            Source::Flags(_) => None,
            Source::Json(arguments) => arguments
                .get(&name.replace('-', "_"))
                .filter(|value| !value.is_null()),
        }
    }

    /// The value given for `name`, as `T`. A flag is read as JSON first
    /// (numbers, booleans, lists, objects), else as a JSON string (names,
    /// dates, comma lists); a tool call's argument is JSON already.
    pub fn get<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<Option<T>, CliError> {
        if let Some(raw) = self.flag(name) {
            return serde_json::from_str(raw)
                .or_else(|_| serde_json::from_value(serde_json::Value::String(raw.to_string())))
                .map(Some)
                .map_err(|e| CliError::Usage(format!("invalid value for --{name}: {e}")));
        }
        #[cfg(feature = "mcp")]
        if let Some(value) = self.argument(name) {
            return T::deserialize(value)
                .or_else(|e| match crate::mcp::arguments::other_form(value) {
                    Some(other) => T::deserialize(other).map_err(|_| e),
                    None => Err(e),
                })
                .map(Some)
                .map_err(|e| {
                    CliError::Usage(format!("argument `{}`: {e}", name.replace('-', "_")))
                });
        }
        Ok(None)
    }

    /// A file to upload: from its path on the command line; in a tool call,
    /// an object with `file_name`, `content_base64` and, optionally,
    /// `media_type` (an agent never names a file on the server's disk).
    pub fn file(&self, name: &str) -> Result<Option<crate::multipart::UploadFile>, CliError> {
        if let Some(path) = self.flag(name) {
            return crate::multipart::UploadFile::from_path(path)
                .map(Some)
                .map_err(|e| CliError::Usage(format!("--{name} {path}: {e}")));
        }
        #[cfg(feature = "mcp")]
        if let Some(value) = self.argument(name) {
            return crate::mcp::upload_file(&name.replace('-', "_"), value).map(Some);
        }
        Ok(None)
    }

    /// The request body from `--json-body FILE` (`-` for standard input),
    /// or a tool call's `json_body` object.
    pub fn json_body<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, CliError> {
        #[cfg(feature = "mcp")]
        if let Some(value) = self.argument("json-body") {
            return T::deserialize(value)
                .map(Some)
                .map_err(|e| CliError::Usage(format!("argument `json_body`: {e}")));
        }
        let Some(source) = self.flag("json-body") else {
            return Ok(None);
        };
        let bytes = read_source("--json-body", source)?;
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| CliError::Usage(format!("--json-body: not a valid request body: {e}")))
    }

    /// The request body from `--body-file FILE` (`-` for standard input),
    /// or a tool call's `body_base64`, sent as the bytes it holds.
    pub fn body_file(&self) -> Result<Option<Vec<u8>>, CliError> {
        #[cfg(feature = "mcp")]
        if let Some(value) = self.argument("body-base64") {
            return crate::mcp::base64_argument("body_base64", value).map(Some);
        }
        self.flag("body-file")
            .map(|source| read_source("--body-file", source))
            .transpose()
    }

    /// Whether `--all` was given, or a tool call's `all_pages: true`.
    pub fn all(&self) -> bool {
        match self.source {
            Source::Flags(matches) => matches.get_flag("all"),
            #[cfg(feature = "mcp")]
            Source::Json(arguments) => arguments
                .get(crate::mcp::arguments::ALL_PAGES)
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
        }
    }
}

/// The bytes of a file named on the command line, or of standard input for
/// `-`; `flag` names the flag in the error.
fn read_source(flag: &str, source: &str) -> Result<Vec<u8>, CliError> {
    if source == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(source).map_err(|e| CliError::Usage(format!("{flag} {source}: {e}")))
    }
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

/// The global options every command shares.
pub struct Globals {
    pub base_url: String,
    token: Option<String>,
    pub token_source: TokenSource,
    auth_mode: AuthMode,
    strict: bool,
    shared_limit: shared_limit::Choice,
    /// `--record`: shared by every client of the run.
    recorder: Option<Recorder>,
}

impl Globals {
    /// The global options; `stored_token`: fall back to the token stored
    /// for the base URL's host (not for `auth`, which reads the store itself).
    fn read(matches: &ArgMatches, stored_token: bool) -> Result<Globals, CliError> {
        let base_url = matches
            .get_one::<String>("base-url")
            .expect("has a default")
            .clone();
        let (token, token_source) = auth::resolve(matches, &base_url, stored_token)?;
        let auth_mode = match matches.get_one::<String>("auth-mode").map(String::as_str) {
            Some("private-token") => AuthMode::PrivateToken,
            Some("query") => AuthMode::QueryParameter,
            _ => AuthMode::Bearer,
        };
        Ok(Globals {
            base_url,
            token,
            token_source,
            auth_mode,
            strict: matches.get_flag("strict"),
            shared_limit: shared_limit::Choice::read(matches)?,
            recorder: matches
                .get_one::<String>("record")
                .map(|path| recorder(path)),
        })
    }

    /// A client for `base_url` with `token`, decoding as `--strict` says.
    pub fn client(&self, base_url: &str, token: Option<&str>) -> Result<Client, CliError> {
        let mut builder = Client::builder()
            .base_url(base_url)
            .auth_mode(self.auth_mode)
            .strict_decoding(self.strict);
        if let Some(token) = token {
            builder = builder.token(token);
        }
        builder = self.shared_limit.apply(builder)?;
        if let Some(recorder) = &self.recorder {
            builder = builder.record(recorder.clone());
        }
        builder.build().map_err(|e| CliError::Usage(e.to_string()))
    }

    /// The client every command uses: the base URL and its token.
    pub fn default_client(&self) -> Result<Client, CliError> {
        self.client(&self.base_url, self.token.as_deref())
    }
}

/// The recorder of `--record PATH`: a new file in `PATH` if it is a
/// directory, else the file `PATH`. Why it stopped, if it does before the
/// run ends (the cap, a path that cannot be written), is printed on
/// standard error; the command goes on.
fn recorder(path: &str) -> Recorder {
    let path = std::path::Path::new(path);
    let recorder = if path.is_dir() {
        Recorder::to_dir(path)
    } else {
        Recorder::to_file(path)
    };
    recorder.on_stop(|reason| eprintln!("warning: recording stopped: {reason}"))
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
    let globals = Globals::read(matches, name != "auth").map_err(|e| (e, None))?;
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
