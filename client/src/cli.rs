//! The `gitcode` command line (feature `cli`): every operation of the API
//! as a subcommand, named after its `operationId` in kebab-case.
//!
//! The commands and the code that runs them are generated
//! (`generated/cli.rs`, from the same tree as the client, so every quirk
//! holds here too); this module builds the clap application from that
//! table, reads the global options, prints results and maps errors to exit
//! codes:
//!
//! | exit | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | another API error (validation, conflict, ...) |
//! | 2 | usage error (bad flags, missing token or arguments) |
//! | 3 | authentication or permission (401, 403) |
//! | 4 | not found (404) |
//! | 5 | rate limited (429) |
//! | 6 | server error (5xx) |
//! | 7 | network error (no answer) |
//! | 8 | the answer could not be decoded |

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{ArgAction, ArgMatches};
use futures::{Stream, TryStreamExt};

use crate::auth::AuthMode;
use crate::generated::cli::{COMMANDS, execute};
use crate::{ByteStream, Error, ErrorKind, ResponseValue};

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
}

impl CliError {
    /// The process exit code (see the module docs).
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Io(_) => 1,
            CliError::Api(e) => match e.kind() {
                ErrorKind::Unauthorized | ErrorKind::Forbidden => 3,
                ErrorKind::NotFound => 4,
                ErrorKind::RateLimited => 5,
                ErrorKind::ServerError => 6,
                ErrorKind::Transport => 7,
                ErrorKind::Decode => 8,
                ErrorKind::InvalidRequest => 2,
                _ => 1,
            },
        }
    }
}

/// The parsed flags of the command being run (used by the generated code).
pub struct Args<'a> {
    matches: &'a ArgMatches,
}

impl Args<'_> {
    /// A flag's raw value, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.matches.get_one::<String>(name).map(String::as_str)
    }

    /// Parses a flag's value as `T`: as JSON first (numbers, booleans, lists,
    /// objects), else as a JSON string (names, dates, comma lists).
    pub fn parse<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
        raw: &str,
    ) -> Result<T, CliError> {
        serde_json::from_str(raw)
            .or_else(|_| serde_json::from_value(serde_json::Value::String(raw.to_string())))
            .map_err(|e| CliError::Usage(format!("invalid value for --{name}: {e}")))
    }

    /// A file to upload, from its path.
    pub fn file(&self, name: &str, path: &str) -> Result<crate::multipart::UploadFile, CliError> {
        crate::multipart::UploadFile::from_path(path)
            .map_err(|e| CliError::Usage(format!("--{name} {path}: {e}")))
    }

    /// The request body from `--json-body FILE` (`-` for standard input).
    pub fn json_body<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, CliError> {
        let Some(source) = self.value("json-body") else {
            return Ok(None);
        };
        let text = if source == "-" {
            std::io::read_to_string(std::io::stdin())?
        } else {
            std::fs::read_to_string(source)
                .map_err(|e| CliError::Usage(format!("--json-body {source}: {e}")))?
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| CliError::Usage(format!("--json-body: not a valid request body: {e}")))
    }

    /// Whether `--all` was given.
    pub fn all(&self) -> bool {
        self.matches.get_flag("all")
    }
}

/// Where results go: pretty JSON (or raw bytes) on standard output.
pub struct Output {
    stdout: std::io::StdoutLock<'static>,
    progress: bool,
}

impl Output {
    fn new() -> Self {
        Output {
            stdout: std::io::stdout().lock(),
            progress: std::io::stderr().is_terminal(),
        }
    }

    pub fn json<T: serde::Serialize>(&mut self, value: &T) -> Result<(), CliError> {
        serde_json::to_writer_pretty(&mut self.stdout, value).map_err(std::io::Error::from)?;
        writeln!(self.stdout)?;
        Ok(())
    }

    pub fn empty(&mut self, _: ResponseValue<()>) -> Result<(), CliError> {
        Ok(())
    }

    /// Writes a raw body as it arrives.
    pub async fn bytes(&mut self, response: ResponseValue<ByteStream>) -> Result<(), CliError> {
        let mut stream = response.into_inner().into_inner();
        while let Some(chunk) = stream
            .try_next()
            .await
            .map_err(|e| Error::transport("download", e))?
        {
            self.stdout.write_all(&chunk)?;
        }
        self.stdout.flush()?;
        Ok(())
    }

    /// Writes every item of a page stream as one JSON array, as it arrives.
    pub async fn stream<T: serde::Serialize>(
        &mut self,
        mut items: impl Stream<Item = Result<T, Error>> + Unpin,
    ) -> Result<(), CliError> {
        write!(self.stdout, "[")?;
        let mut count = 0usize;
        while let Some(item) = items.try_next().await? {
            if count > 0 {
                write!(self.stdout, ",")?;
            }
            writeln!(self.stdout)?;
            let text = serde_json::to_string_pretty(&item).map_err(std::io::Error::from)?;
            for (i, line) in text.lines().enumerate() {
                if i > 0 {
                    writeln!(self.stdout)?;
                }
                write!(self.stdout, "  {line}")?;
            }
            count += 1;
            if self.progress && count.is_multiple_of(100) {
                eprint!("\r{count} items…");
            }
        }
        if self.progress && count >= 100 {
            eprintln!("\r{count} items.  ");
        }
        writeln!(self.stdout, "{}]", if count > 0 { "\n" } else { "" })?;
        self.stdout.flush()?;
        Ok(())
    }
}

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
                .long("token")
                .global(true)
                .env("GITCODE_TOKEN")
                .hide_env_values(true)
                .help("Personal access token (never printed)"),
        )
        .arg(
            clap::Arg::new("base-url")
                .long("base-url")
                .global(true)
                .env("GITCODE_BASE_URL")
                .default_value(crate::runtime::DEFAULT_BASE_URL)
                .help("API server"),
        )
        .arg(
            clap::Arg::new("auth-mode")
                .long("auth-mode")
                .global(true)
                .value_parser(["bearer", "private-token", "query"])
                .default_value("bearer")
                .help("How the token is sent"),
        )
        .help_template(help_template())
        .subcommand(
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
    text.push_str("\nOther:\n  completions  Print a shell completion script\n");
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
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

async fn dispatch(matches: &ArgMatches) -> Result<(), CliError> {
    let (name, sub) = matches
        .subcommand()
        .ok_or_else(|| CliError::Usage("no command given".into()))?;
    if name == "completions" {
        let shell = *sub
            .get_one::<clap_complete::Shell>("shell")
            .expect("required");
        clap_complete::generate(shell, &mut app(), "gitcode", &mut std::io::stdout());
        return Ok(());
    }
    let mut builder = crate::Client::builder().base_url(
        matches
            .get_one::<String>("base-url")
            .expect("has a default"),
    );
    if let Some(token) = matches.get_one::<String>("token") {
        builder = builder.token(token);
    }
    builder = builder.auth_mode(
        match matches.get_one::<String>("auth-mode").map(String::as_str) {
            Some("private-token") => AuthMode::PrivateToken,
            Some("query") => AuthMode::QueryParameter,
            _ => AuthMode::Bearer,
        },
    );
    let client = builder
        .build()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let mut out = Output::new();
    execute(&client, name, &Args { matches: sub }, &mut out).await
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
