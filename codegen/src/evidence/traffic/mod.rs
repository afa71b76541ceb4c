//! Recorded traffic held against the spec: `cargo xtask conformance`.
//!
//! A HAR file (`gitcode --record`'s, a browser's export of the GitCode web
//! app's calls, mitmproxy's, Charles's) holds what the server really
//! answered. [`check_files`] reads any number of them and holds every
//! exchange with an API host against the spec: is there an operation for
//! its method and path, are its query parameters declared, does its body
//! fit the request schema; is its status documented, does its answer decode
//! and fit the response schema, which fields the spec lacks, which values
//! are `null` or of another type, which enum values it does not list. The
//! [`Report`] groups what disagrees by operation and schema field, with how
//! many exchanges show it, one example value (never a credential:
//! [`redact`]) and the spec file and line to change.
//!
//! The modules: [`har`] (reading a HAR file), [`redact`] (credentials out
//! of everything printed), [`exchange`] (one exchange against the spec),
//! [`findings`] (grouping), [`report`] (Markdown and JSON).
//!
//! What the spec allows is not a finding: a lenient value
//! (`x-gitcode-lenient`: an id as a string or an integer, a time as `""`),
//! a `null` where the client reads it as none or empty (see
//! [`crate::evidence::conformance`]), an error status (400 and above: the spec's
//! convention is `ErrorBody` for all), a body of bytes where the operation
//! answers bytes.

pub mod exchange;
pub mod findings;
pub mod har;
pub mod redact;
pub mod report;

use std::path::PathBuf;

pub use exchange::{API_HOSTS, Hosts};
pub use findings::{Finding, FindingKind, Report};
pub use har::{HarError, HarFile};

use crate::spec::Spec;
use exchange::{BodyState, Context, Outcome, hold_entry};
use findings::{Collector, Direction, ExchangeId, Observation};
use redact::Redactor;

/// Reads the HAR files at `paths` and holds every exchange against `spec`.
/// A file that cannot be read as a HAR is an error (naming the file, the
/// line and the entry); an entry that cannot be read is a finding of kind
/// `unreadable entry`, and the others are still held.
pub fn check_files(spec: &Spec, paths: &[PathBuf], hosts: &Hosts) -> Result<Report, HarError> {
    let files = paths
        .iter()
        .map(|path| har::read(path))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(check(spec, &files, hosts))
}

/// Holds every exchange of `files` against `spec`.
///
/// ```
/// # let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
/// # let spec = gitcode_codegen::spec::Spec::load(&root).unwrap();
/// use gitcode_codegen::evidence::traffic::{check, har, Hosts, FindingKind};
/// let file = har::parse("a.har".as_ref(), r#"{"log": {"entries": [{
///   "request": {"method": "GET", "url": "https://api.gitcode.com/api/v5/users/octo",
///               "headers": [{"name": "Authorization", "value": "Bearer s3cret"}]},
///   "response": {"status": 200, "content": {"mimeType": "application/json",
///                "text": "{\"login\": \"octo\", \"plan_token\": \"s3cret\"}"}}}]}}"#).unwrap();
/// let report = check(&spec, &[file], &Hosts::new(None).unwrap());
/// let finding = &report.findings[0];
/// assert_eq!(finding.kind, FindingKind::UnknownField);
/// assert_eq!(finding.field, "UserProfile.plan_token");
/// assert_eq!(finding.example.as_deref(), Some("\"[redacted]\""));
/// ```
pub fn check(spec: &Spec, files: &[HarFile], hosts: &Hosts) -> Report {
    let mut redactor = Redactor::default();
    redactor.learn(
        files
            .iter()
            .flat_map(|f| &f.entries)
            .filter_map(|e| e.as_ref().ok()),
    );
    let cx = Context {
        spec,
        hosts,
        redactor: &redactor,
    };
    let mut collector =
        Collector::new(files.iter().map(|f| f.path.display().to_string()).collect());
    for (file_index, file) in files.iter().enumerate() {
        collector.summary().entries += file.entries.len();
        for entry in &file.entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    collector.summary().unreadable += 1;
                    let id = ExchangeId {
                        file: file_index,
                        entry: e.index,
                    };
                    let observation = Observation {
                        operation: None,
                        direction: Direction::Entry,
                        kind: FindingKind::UnreadableEntry,
                        field: format!("{} log.entries[{}]", file.path.display(), e.index),
                        message: e.message.clone(),
                        example: None,
                        spec: None,
                    };
                    collector.add(id, &redactor, observation);
                    continue;
                }
            };
            let id = ExchangeId {
                file: file_index,
                entry: entry.index,
            };
            match hold_entry(&cx, entry) {
                Outcome::OtherHost => collector.summary().other_hosts += 1,
                Outcome::Preflight => collector.summary().preflights += 1,
                Outcome::Held {
                    operation,
                    observations,
                    body,
                } => {
                    let summary = collector.summary();
                    summary.checked += 1;
                    match body {
                        BodyState::Checked => {}
                        BodyState::NoResponse => summary.without_response += 1,
                        BodyState::NotKept => summary.bodies_not_kept += 1,
                        BodyState::Truncated => summary.bodies_truncated += 1,
                    }
                    if let Some((operation, method, path)) = &operation {
                        collector.reached(operation, method, path);
                    }
                    for observation in observations {
                        collector.add(id, &redactor, observation);
                    }
                }
            }
        }
    }
    collector.finish()
}
