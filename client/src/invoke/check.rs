//! The typed check of an answer: the decode a command's answer must pass
//! before it is printed or returned to an agent (the generated commands
//! name one of [`value`], [`list`], [`nothing`] as their
//! [`Check`]), and the warning for what tolerant decoding
//! left out of the typed value (the answer as sent keeps it).

use serde::de::DeserializeOwned;

use crate::decode::Repair;
use crate::{Error, RawResponse};

/// The typed decode a command's answer must pass: what it left out, or why
/// it failed (the functions of `gitcode::cli::check`).
pub type Check = fn(&RawResponse) -> Result<Vec<Repair>, Error>;

/// The answer decodes as `T`.
pub fn value<T: DeserializeOwned>(raw: &RawResponse) -> Result<Vec<Repair>, Error> {
    raw.decode_with_repairs::<T>().map(|(_, repairs)| repairs)
}

/// The answer is a list of `T`, each element decoded on its own.
pub fn list<T: DeserializeOwned>(raw: &RawResponse) -> Result<Vec<Repair>, Error> {
    raw.decode_list_with_repairs::<T>()
        .map(|(_, repairs)| repairs)
}

/// Nothing to check (an answer whose body the spec ignores, `gitcode api`).
pub fn nothing(_: &RawResponse) -> Result<Vec<Repair>, Error> {
    Ok(Vec::new())
}

/// One warning line on standard error per kind of value tolerant decoding
/// left out of the typed value of `operation`'s answer.
pub(crate) fn warn(operation: &str, repairs: &[Repair]) {
    for (first, count) in crate::decode::grouped(repairs) {
        let path = if first.path.is_empty() {
            "the body"
        } else {
            &first.path
        };
        let more = match count {
            1 => String::new(),
            n => format!(", nor do {} more like it", n - 1),
        };
        eprintln!(
            "warning: {operation}: `{path}` does not fit the spec{more} ({}); left out of the typed value",
            first.reason
        );
    }
}

/// Runs `check` on `raw` and warns what tolerant decoding left out; the
/// error is the decode's when the check fails (a strict client).
pub(crate) fn run(raw: &RawResponse, check: Check) -> Result<(), Error> {
    warn(raw.operation(), &check(raw)?);
    Ok(())
}
