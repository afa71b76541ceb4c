//! Why running an operation failed, as both front ends report it:
//! [`CliError`], and the process exit code the command line maps it to
//! (the MCP server reports the same error as a tool error instead).

use crate::{Error, ErrorKind};

/// Why a command (or a tool call) failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad flags or arguments: nothing was sent.
    #[error("{0}")]
    Usage(String),
    /// The client's error: from the server, the network or the decode.
    #[error("{0}")]
    Api(#[from] Error),
    /// Reading a file or standard input, or writing the output.
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
    /// The process exit code (the table in [`crate::cli`]'s docs).
    ///
    /// ```
    /// use gitcode::cli::CliError;
    ///
    /// assert_eq!(CliError::Usage("no command given".into()).exit_code(), 2);
    /// assert_eq!(CliError::Undecodable("not JSON".into()).exit_code(), 8);
    /// ```
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
