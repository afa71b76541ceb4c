//! What a recording shows against the spec, grouped: [`Report`].
//!
//! Each exchange yields [`Observation`]s; a [`Collector`] groups them by
//! operation, direction, kind and schema field, counts the exchanges that
//! show each, and keeps the first example and the first place seen. The
//! order is fixed: operations by `operationId` (exchanges that match none
//! last), then request before response, then kind (in [`FindingKind`]'s
//! order), then field.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::redact::Redactor;
use crate::error::Location;

/// Which part of an exchange a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The HAR entry itself (it could not be read).
    Entry,
    /// What was sent.
    Request,
    /// What came back.
    Response,
}

/// What kind of disagreement a finding is. Its text (`as_str`, and the
/// JSON form) is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum FindingKind {
    /// A HAR entry that could not be read (no `request.url`, bad base64).
    #[serde(rename = "unreadable entry")]
    UnreadableEntry,
    /// No operation of the spec has the method and path.
    #[serde(rename = "unknown operation")]
    UnknownOperation,
    /// `_gitcode` names another operation or template than the method and
    /// path match.
    #[serde(rename = "recorded operation differs")]
    RecordedOperationDiffers,
    /// A path or query parameter the operation does not declare.
    #[serde(rename = "undeclared parameter")]
    UndeclaredParameter,
    /// A parameter value that does not fit its schema.
    #[serde(rename = "parameter value")]
    ParameterValue,
    /// A required query parameter not sent.
    #[serde(rename = "missing parameter")]
    MissingParameter,
    /// An `Authorization` scheme the spec does not declare.
    #[serde(rename = "auth scheme")]
    AuthScheme,
    /// A request body of a media type the operation does not accept.
    #[serde(rename = "request media type")]
    RequestMediaType,
    /// A request body missing, unexpected or unreadable.
    #[serde(rename = "request body")]
    RequestBody,
    /// A status the operation does not document (an error status is
    /// documented by the spec's convention: `ErrorBody`).
    #[serde(rename = "undocumented status")]
    UndocumentedStatus,
    /// An answer that is not JSON where the spec describes JSON.
    #[serde(rename = "undecodable body")]
    UndecodableBody,
    /// An empty answer where the spec describes a JSON body.
    #[serde(rename = "empty body")]
    EmptyBody,
    /// A field the schema does not list.
    #[serde(rename = "unknown field")]
    UnknownField,
    /// `null` where the schema allows none.
    #[serde(rename = "unexpected null")]
    UnexpectedNull,
    /// A value of another type than the schema says.
    #[serde(rename = "other type")]
    OtherType,
    /// A string the schema's `enum` does not list.
    #[serde(rename = "enum value not listed")]
    EnumValue,
    /// A field the schema requires, missing.
    #[serde(rename = "missing required field")]
    MissingField,
    /// A `$ref` of the spec that names no schema.
    #[serde(rename = "unresolved reference")]
    UnresolvedReference,
}

impl FindingKind {
    /// The kind's text, as the JSON report writes it (`unknown field`).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::UnreadableEntry => "unreadable entry",
            FindingKind::UnknownOperation => "unknown operation",
            FindingKind::RecordedOperationDiffers => "recorded operation differs",
            FindingKind::UndeclaredParameter => "undeclared parameter",
            FindingKind::ParameterValue => "parameter value",
            FindingKind::MissingParameter => "missing parameter",
            FindingKind::AuthScheme => "auth scheme",
            FindingKind::RequestMediaType => "request media type",
            FindingKind::RequestBody => "request body",
            FindingKind::UndocumentedStatus => "undocumented status",
            FindingKind::UndecodableBody => "undecodable body",
            FindingKind::EmptyBody => "empty body",
            FindingKind::UnknownField => "unknown field",
            FindingKind::UnexpectedNull => "unexpected null",
            FindingKind::OtherType => "other type",
            FindingKind::EnumValue => "enum value not listed",
            FindingKind::MissingField => "missing required field",
            FindingKind::UnresolvedReference => "unresolved reference",
        }
    }
}

/// One disagreement seen in one exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// The operation (`None`: the exchange matched none).
    pub operation: Option<String>,
    /// What part of the exchange.
    pub direction: Direction,
    /// What kind.
    pub kind: FindingKind,
    /// The schema field (`Issue.labels[].name`), parameter (`query state`),
    /// status (`status 418`) or request (`GET /api/v5/x`) it is about.
    pub field: String,
    /// What disagrees, in a sentence.
    pub message: String,
    /// An example value, already redacted and cut.
    pub example: Option<String>,
    /// The place in the spec to change.
    pub spec: Option<Location>,
}

/// Which exchange: a file (by its index among the files read) and an
/// entry of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExchangeId {
    /// The file's index among the files read.
    pub file: usize,
    /// The entry's index in its `log.entries`.
    pub entry: usize,
}

/// One grouped finding of a [`Report`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The operation (`null`: the exchanges matched none).
    pub operation: Option<String>,
    /// `entry`, `request` or `response`.
    pub direction: Direction,
    /// What kind ([`FindingKind::as_str`]).
    pub kind: FindingKind,
    /// The schema field, parameter, status or request it is about.
    pub field: String,
    /// What disagrees, as the first exchange showed it.
    pub message: String,
    /// How many exchanges show it.
    pub exchanges: usize,
    /// One example value (redacted, at most 80 characters and `…`).
    pub example: Option<String>,
    /// The spec file and line to change (`spec/components/issues.yaml:120`).
    pub spec: Option<String>,
    /// The first exchange that shows it: `FILE#INDEX` (`log.entries[INDEX]`).
    pub first_seen: String,
}

/// An operation the recordings reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationSeen {
    /// Its `operationId`.
    pub operation: String,
    /// `GET`, upper case.
    pub method: String,
    /// Its path template.
    pub path: String,
    /// How many exchanges matched it.
    pub exchanges: usize,
}

/// What was read, and what was skipped and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// HAR files read.
    pub files: usize,
    /// Entries in them.
    pub entries: usize,
    /// Entries held against the spec (to an API host, or an operation's
    /// own host).
    pub checked: usize,
    /// Entries skipped: another host (a web app's own assets).
    pub other_hosts: usize,
    /// Entries skipped: `OPTIONS` preflights.
    pub preflights: usize,
    /// Entries that could not be read (each is also a finding).
    pub unreadable: usize,
    /// Checked entries that got no answer (status 0): only the request held.
    pub without_response: usize,
    /// Answers whose body the recording did not keep: not checked.
    pub bodies_not_kept: usize,
    /// Answers whose body the recording cut short: not checked.
    pub bodies_truncated: usize,
    /// Checked entries with at least one finding (an unreadable entry is
    /// counted in `unreadable`).
    pub exchanges_with_findings: usize,
    /// Grouped findings.
    pub findings: usize,
}

/// The grouped findings of some recordings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The files read, as given, in order.
    pub files: Vec<String>,
    /// Counts.
    pub summary: Summary,
    /// Every operation reached, by `operationId`.
    pub operations: Vec<OperationSeen>,
    /// The findings, in the order the module's documentation gives.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether anything disagrees (what `--check` fails on).
    pub fn has_findings(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// (no operation last, operation, direction, kind, field)
type Key = (bool, String, Direction, FindingKind, String);

struct Group {
    first: Observation,
    first_seen: ExchangeId,
    exchanges: BTreeSet<ExchangeId>,
}

/// Builds a [`Report`] from observations, one exchange at a time.
#[derive(Default)]
pub struct Collector {
    files: Vec<String>,
    summary: Summary,
    groups: BTreeMap<Key, Group>,
    operations: BTreeMap<String, OperationSeen>,
    with_findings: BTreeSet<ExchangeId>,
}

impl Collector {
    /// A collector for the files named `files` (indexes of [`ExchangeId`]).
    pub fn new(files: Vec<String>) -> Self {
        Collector {
            summary: Summary {
                files: files.len(),
                ..Summary::default()
            },
            files,
            ..Collector::default()
        }
    }

    /// The counts, to update as entries are read and skipped.
    pub fn summary(&mut self) -> &mut Summary {
        &mut self.summary
    }

    /// `exchange` matched `operation` (`GET`, its template).
    pub fn reached(&mut self, operation: &str, method: &str, path: &str) {
        self.operations
            .entry(operation.to_string())
            .or_insert_with(|| OperationSeen {
                operation: operation.to_string(),
                method: method.to_uppercase(),
                path: path.to_string(),
                exchanges: 0,
            })
            .exchanges += 1;
    }

    /// Adds what `exchange` showed; its texts pass through `redactor`.
    pub fn add(&mut self, exchange: ExchangeId, redactor: &Redactor, observation: Observation) {
        let observation = Observation {
            field: redactor.text(&observation.field),
            message: redactor.text(&observation.message),
            example: observation.example.map(|e| redactor.text(&e)),
            ..observation
        };
        if observation.direction != Direction::Entry {
            self.with_findings.insert(exchange);
        }
        let key = (
            observation.operation.is_none(),
            observation.operation.clone().unwrap_or_default(),
            observation.direction,
            observation.kind,
            observation.field.clone(),
        );
        self.groups
            .entry(key)
            .or_insert_with(|| Group {
                first: observation,
                first_seen: exchange,
                exchanges: BTreeSet::new(),
            })
            .exchanges
            .insert(exchange);
    }

    /// The report.
    pub fn finish(self) -> Report {
        let files = self.files;
        let findings: Vec<Finding> = self
            .groups
            .into_values()
            .map(|group| Finding {
                operation: group.first.operation,
                direction: group.first.direction,
                kind: group.first.kind,
                field: group.first.field,
                message: group.first.message,
                exchanges: group.exchanges.len(),
                example: group.first.example,
                spec: group
                    .first
                    .spec
                    .map(|l| format!("{}:{}", l.file.display(), l.line)),
                first_seen: format!(
                    "{}#{}",
                    files.get(group.first_seen.file).map_or("?", String::as_str),
                    group.first_seen.entry
                ),
            })
            .collect();
        Report {
            summary: Summary {
                exchanges_with_findings: self.with_findings.len(),
                findings: findings.len(),
                ..self.summary
            },
            files,
            operations: self.operations.into_values().collect(),
            findings,
        }
    }
}
