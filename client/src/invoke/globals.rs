//! The global settings every operation runs with, and the client they
//! make ([`Globals`]): the base URL, the token and where it came from
//! ([`TokenSource`]), the auth mode, strict decoding, the shared rate
//! limit and the recorder. The command line reads them from its global
//! options (`gitcode::cli`); `gitcode mcp` serves with the client they make.

use crate::auth::AuthMode;
use crate::record::Recorder;
use crate::{Client, ClientBuilder};

use super::CliError;

/// Where the token a command sends came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// `--token`.
    Flag,
    /// `GITCODE_TOKEN`.
    Environment,
    /// Stored for this host by `gitcode auth login`.
    Stored(String),
    /// No token: requests go without one.
    None,
}

/// The global options every command shares.
pub struct Globals {
    /// The API server (`--base-url`).
    pub base_url: String,
    pub(crate) token: Option<String>,
    /// Where the token came from (for the hint after a 401).
    pub token_source: TokenSource,
    pub(crate) auth_mode: AuthMode,
    /// `--strict`: fail where tolerant decoding would leave a value out.
    pub(crate) strict: bool,
    pub(crate) shared_limit: SharedLimit,
    /// `--record`: shared by every client of the run.
    pub(crate) recorder: Option<Recorder>,
}

impl Globals {
    /// A client for `base_url` with `token`, decoding as `--strict` says,
    /// with the shared rate limit and the recorder of the run.
    pub fn client(&self, base_url: &str, token: Option<&str>) -> Result<Client, CliError> {
        let mut builder = Client::builder()
            .base_url(base_url)
            .auth_mode(self.auth_mode)
            .strict_decoding(self.strict);
        if let Some(token) = token {
            builder = builder.token(token);
        }
        builder = self.shared_limit.apply(builder);
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

/// The rate limit shared with other processes through a store, when one
/// was asked for (`--rate-limit-url`, feature `redis`); without the
/// feature there is none to ask for.
#[derive(Debug, Default)]
pub(crate) struct SharedLimit {
    #[cfg(feature = "redis")]
    pub(crate) limit: Option<crate::rate_limit::shared::SharedRateLimit>,
}

impl SharedLimit {
    /// `builder` with the shared limit, if one was asked for.
    fn apply(&self, builder: ClientBuilder) -> ClientBuilder {
        #[cfg(feature = "redis")]
        if let Some(limit) = &self.limit {
            return builder.shared_rate_limit(limit.clone());
        }
        builder
    }
}
