//! `gitcode auth login | status | logout`: a token stored per host
//! ([`super::token_store`]), so that it need not be in the environment or
//! on the command line every time.
//!
//! Which token a command uses: `--token`, else `GITCODE_TOKEN`, else the
//! one stored for the base URL's host ([`resolve`]).

use std::io::{IsTerminal, Read};

use clap::{ArgAction, ArgMatches};

use super::token_store::{self, Login, TokenStore};
use crate::ErrorKind;
use crate::invoke::{CliError, Globals};
use crate::prelude::*;

// Its old path: `Globals`, shared with `gitcode mcp`, holds it (`crate::invoke`).
pub use crate::invoke::TokenSource;

/// The token for `base_url`: `--token` / `GITCODE_TOKEN` (read by clap),
/// else the stored one for its host. A broken token file is an error only
/// when the token would have come from it.
pub fn resolve(
    matches: &ArgMatches,
    base_url: &str,
    stored_token: bool,
) -> Result<(Option<String>, TokenSource), CliError> {
    if let Some(token) = matches.get_one::<String>("token").filter(|t| !t.is_empty()) {
        let source = match matches.value_source("token") {
            Some(clap::parser::ValueSource::EnvVariable) => TokenSource::Environment,
            _ => TokenSource::Flag,
        };
        return Ok((Some(token.clone()), source));
    }
    let Some(store) = TokenStore::locate().filter(|_| stored_token) else {
        return Ok((None, TokenSource::None));
    };
    let host = token_store::host_key(base_url).map_err(CliError::Usage)?;
    match store.get(&host).map_err(CliError::Usage)? {
        Some(login) => Ok((Some(login.token), TokenSource::Stored(host))),
        None => Ok((None, TokenSource::None)),
    }
}

/// What to tell a user whose token was refused (401).
pub fn hint(source: &TokenSource) -> String {
    match source {
        TokenSource::Stored(host) => format!(
            "hint: the token stored for {host} was refused; run `gitcode auth login --host {host}` again"
        ),
        TokenSource::Environment => {
            "hint: the token in GITCODE_TOKEN was refused; unset it or run `gitcode auth login`"
                .into()
        }
        TokenSource::Flag => "hint: the token given with --token was refused".into(),
        TokenSource::None => {
            "hint: no token was sent; run `gitcode auth login` (or set GITCODE_TOKEN)".into()
        }
    }
}

/// The `auth` command and its three subcommands.
pub fn command() -> clap::Command {
    let host = clap::Arg::new("host")
        .long("host")
        .value_name("HOST")
        .help("API host (default: the host of --base-url)");
    clap::Command::new("auth")
        .about("Log in, show the stored logins, log out")
        .subcommand_required(true)
        .subcommand(
            clap::Command::new("login")
                .about("Check a token with the server and store it for its host (mode 0600)")
                .arg(host.clone())
                .arg(
                    clap::Arg::new("with-token")
                        .long("with-token")
                        .action(ArgAction::SetTrue)
                        .help("Read the token from standard input instead of prompting"),
                ),
        )
        .subcommand(
            clap::Command::new("status")
                .about("Show the login and host of each stored token (never the token)"),
        )
        .subcommand(
            clap::Command::new("logout")
                .about("Remove the stored token of a host")
                .arg(host),
        )
}

/// Runs `gitcode auth ...`.
pub async fn run(globals: &Globals, matches: &ArgMatches) -> Result<(), CliError> {
    let store = TokenStore::locate().ok_or_else(|| {
        CliError::Usage(format!(
            "no config directory is known here; set {}",
            token_store::CONFIG_DIR_ENV
        ))
    })?;
    match matches.subcommand() {
        Some(("login", sub)) => login(globals, &store, sub).await,
        Some(("status", _)) => status(globals, &store),
        Some(("logout", sub)) => logout(globals, &store, sub),
        _ => Err(CliError::Usage("`gitcode auth` needs a subcommand".into())),
    }
}

/// The host to act on, and the API URL to reach it at.
fn target(globals: &Globals, sub: &ArgMatches) -> Result<(String, String), CliError> {
    let own = token_store::host_key(&globals.base_url).map_err(CliError::Usage)?;
    match sub.get_one::<String>("host") {
        Some(host) if *host != own => {
            let api_url = format!("https://{host}");
            // `host[:port]` and nothing else (no path, no user).
            if token_store::host_key(&api_url).ok().as_ref() != Some(host) {
                return Err(CliError::Usage(format!(
                    "--host {host}: expected a host name, such as api.gitcode.com"
                )));
            }
            Ok((host.clone(), api_url))
        }
        _ => Ok((own, globals.base_url.clone())),
    }
}

async fn login(globals: &Globals, store: &TokenStore, sub: &ArgMatches) -> Result<(), CliError> {
    let (host, api_url) = target(globals, sub)?;
    let token = if sub.get_flag("with-token") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text
    } else if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("Token for {host} (input hidden): "))?
    } else {
        return Err(CliError::Usage(
            "standard input is not a terminal: pipe the token in with `--with-token`".into(),
        ));
    };
    let token = token.trim();
    if token.is_empty() {
        return Err(CliError::Usage("no token was given".into()));
    }
    let client = globals.client(&api_url, Some(token))?;
    let me = client
        .get_authenticated_user()
        .send_raw()
        .await
        .map_err(|e| match e.kind() {
            ErrorKind::Unauthorized => CliError::Refused(format!(
                "{host} refused the token ({e}); nothing was stored"
            )),
            _ => CliError::Api(e),
        })?;
    let body = me.json()?;
    let name = body
        .get("login")
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            CliError::Refused(format!(
                "{host} accepted the token but its answer to GET /api/v5/user has no `login`; nothing was stored"
            ))
        })?
        .to_string();
    store
        .put(
            &host,
            Login {
                login: name.clone(),
                api_url,
                token: token.to_string(),
            },
        )
        .map_err(CliError::Usage)?;
    eprintln!(
        "Logged in to {host} as {name}; the token is stored in {}",
        store.path().display()
    );
    if std::env::var_os("GITCODE_TOKEN").is_some_and(|v| !v.is_empty()) {
        eprintln!("note: GITCODE_TOKEN is set, and takes precedence over the stored token");
    }
    Ok(())
}

fn status(globals: &Globals, store: &TokenStore) -> Result<(), CliError> {
    let logins = store.all().map_err(CliError::Usage)?;
    let current = token_store::host_key(&globals.base_url).map_err(CliError::Usage)?;
    let mut out = String::new();
    for (host, login) in &logins {
        out.push_str(&format!(
            "{host}\n  logged in as {} (API {})\n",
            login.login, login.api_url
        ));
        if *host == current {
            let used = match globals.token_source {
                TokenSource::Flag => "not used: --token takes precedence",
                TokenSource::Environment => "not used: GITCODE_TOKEN takes precedence",
                _ => "used for this base URL",
            };
            out.push_str(&format!("  {used}\n"));
        }
    }
    if logins.is_empty() {
        return Err(CliError::Refused(format!(
            "not logged in to any host (no tokens in {}); run `gitcode auth login`",
            store.path().display()
        )));
    }
    out.push_str(&format!(
        "tokens are stored in {}\n",
        store.path().display()
    ));
    print!("{out}");
    Ok(())
}

fn logout(globals: &Globals, store: &TokenStore, sub: &ArgMatches) -> Result<(), CliError> {
    let (host, _) = target(globals, sub)?;
    if store.remove(&host).map_err(CliError::Usage)? {
        eprintln!(
            "Logged out of {host}; its token is removed from {}",
            store.path().display()
        );
        Ok(())
    } else {
        Err(CliError::Refused(format!("not logged in to {host}")))
    }
}
