//! A client that could not be built from its settings: [`BuildError`].

use super::ErrorKind;

/// A client could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the GitCode client: {0}")]
pub struct BuildError(String);

impl BuildError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        BuildError(message.into())
    }

    /// Always [`ErrorKind::InvalidConfig`],
    /// as for the [`Error::Build`](crate::Error::Build) it converts into.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidConfig
    }
}
