//! Errors of a generation run, written for the person who edits the spec.
//!
//! A [`SpecError`] prints like a compiler diagnostic: what is wrong, then
//! `--> file:line:column`, then optional notes (where a duplicate was first
//! defined, how to fix it).

use std::fmt;
use std::path::PathBuf;

/// A place in a spec file. Lines and columns count from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One problem in the spec, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub message: String,
    pub location: Location,
    pub notes: Vec<String>,
}

impl SpecError {
    pub fn new(message: impl Into<String>, location: Location) -> Self {
        Self {
            message: message.into(),
            location,
            notes: Vec::new(),
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}\n  --> {}", self.message, self.location)?;
        for note in &self.notes {
            write!(f, "\n   = note: {note}")?;
        }
        Ok(())
    }
}

/// Everything that can stop a generation run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec is broken; every problem found is listed.
    #[error("{}\n\n{} error(s) in the spec; the client was not written", display_all(.0), .0.len())]
    Spec(Vec<SpecError>),
    /// progenitor refused the (valid-looking) bundled spec.
    #[error("progenitor could not generate the client: {0}")]
    Progenitor(String),
    /// A post-processing pass failed.
    #[error("pass `{pass}` failed: {message}")]
    Pass { pass: &'static str, message: String },
    /// The generated tokens are not valid Rust (a bug in a pass).
    #[error("generated code does not parse as Rust ({file}): {message}")]
    Syntax { file: String, message: String },
    /// A docs snapshot or a docs fixture that cannot be read as one.
    #[error("{}{}: {message}", .path.display(), .line.map(|l| format!(":{l}")).unwrap_or_default())]
    Docs {
        path: PathBuf,
        /// The line (from 1), when the problem has one.
        line: Option<usize>,
        message: String,
    },
    /// The merged spec could not be serialized as a standalone document.
    #[error("the bundled spec could not be written as {format}: {message}")]
    Bundle {
        format: &'static str,
        message: String,
    },
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn display_all(errors: &[SpecError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n\n")
}

impl Error {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

impl Error {
    pub(crate) fn docs(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Error::Docs {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_error_reads_like_a_compiler_diagnostic() {
        let err = SpecError::new(
            "duplicate operationId `get_repo`",
            Location {
                file: "spec/paths/repositories.yaml".into(),
                line: 12,
                column: 7,
            },
        )
        .with_note("first defined at spec/paths/users.yaml:40:7");
        assert_eq!(
            err.to_string(),
            "error: duplicate operationId `get_repo`\n  --> spec/paths/repositories.yaml:12:7\n   = note: first defined at spec/paths/users.yaml:40:7"
        );
    }
}
