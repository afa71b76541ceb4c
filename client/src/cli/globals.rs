//! The global options of the command line read into the [`Globals`] every
//! command (and `gitcode mcp`) makes its client with: `--base-url`, the
//! token (`--token`, `GITCODE_TOKEN`, else the stored one: [`super::auth`]),
//! `--auth-mode`, `--strict`, the shared rate limit
//! ([`super::shared_limit`]) and `--record`.

use clap::ArgMatches;

use super::{auth, shared_limit};
use crate::auth::AuthMode;
use crate::invoke::{CliError, Globals};
use crate::record::Recorder;

/// The global options; `stored_token`: fall back to the token stored for
/// the base URL's host (not for `auth`, which reads the store itself).
pub(crate) fn read(matches: &ArgMatches, stored_token: bool) -> Result<Globals, CliError> {
    let base_url = matches
        .get_one::<String>("base-url")
        .ok_or_else(|| CliError::Usage("--base-url: no API server given".into()))?
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
        shared_limit: shared_limit::read(matches)?,
        recorder: matches
            .get_one::<String>("record")
            .map(|path| recorder(path)),
    })
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
