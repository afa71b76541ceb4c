//! The error of a shared rate limit's store: [`StoreError`].

use std::fmt;
use std::time::Duration;

/// The shared rate limit's store could not be used, and its policy
/// (`rate_limit::shared::OnStoreFailure`, feature `redis`)
/// said to fail the call rather than wait longer or fall back. The request
/// was not sent.
///
/// It never shows a password: the store is named by its URL with the
/// password replaced by `***`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError {
    store: String,
    cause: String,
    waited: Option<Duration>,
}

impl StoreError {
    /// An error of the store named `store` (a URL without its password).
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn new(store: impl Into<String>, cause: impl Into<String>) -> Self {
        StoreError {
            store: store.into(),
            cause: cause.into(),
            waited: None,
        }
    }

    /// The same error, after waiting `waited` for the store to answer.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn after(mut self, waited: Duration) -> Self {
        self.waited = Some(waited);
        self
    }

    /// The store, as its URL with the password replaced by `***`.
    pub fn store(&self) -> &str {
        &self.store
    }

    /// What failed, as the store's client said.
    pub fn cause(&self) -> &str {
        &self.cause
    }

    /// How long the call waited for the store before giving up
    /// (`OnStoreFailure::Wait`); `None` when it failed at once.
    pub fn waited(&self) -> Option<Duration> {
        self.waited
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the shared rate limit's store {} failed: {}",
            self.store, self.cause
        )?;
        if let Some(waited) = self.waited {
            write!(f, " (gave up after waiting {:.1} s)", waited.as_secs_f64())?;
        }
        f.write_str("; the request was not sent")
    }
}

impl std::error::Error for StoreError {}
