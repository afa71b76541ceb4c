//! One exchange of a HAR file held against the spec: [`hold_entry`].
//!
//! In order:
//! 1. the host: an entry to an API host ([`Hosts`]) is held; one to another
//!    host only when its method and path are an operation served there
//!    (the OAuth endpoints on `gitcode.com`); the rest (a web app's own
//!    assets and calls) is skipped, as are `OPTIONS` preflights;
//! 2. the operation, by method and path ([`crate::spec::matching`]); where
//!    the recording names one (`_gitcode.operation_id`) whose template also
//!    matches, that one (an ambiguous path), else the disagreement is a
//!    finding;
//! 3. the request ([`crate::evidence::peer_wire::hold_matched`]): parameters, media
//!    type, body;
//! 4. the answer: its status is documented (or, at 400 and above, the
//!    spec's `ErrorBody` convention applies); its body decodes as the
//!    operation's answer says (JSON, or bytes, which are not checked) and
//!    fits the schema ([`crate::evidence::conformance::check_answer`]).
//!
//! Bodies are redacted ([`Redactor::value`]) before they are checked, so
//! that no message or example can hold a credential.

use openapiv3::{ReferenceOr, Schema, StatusCode};
use serde_json::Value;

use super::findings::{Direction, FindingKind, Observation};
use super::har::{Entry, Target};
use super::redact::Redactor;
use crate::error::Location;
use crate::evidence::conformance::{self, Mismatch, MismatchKind, SchemaField};
use crate::evidence::peer_wire::{Disagreement, SentRequest, hold_matched};
use crate::spec::matching::{PathMatch, match_operation, nearest_operation, path_parameters};
use crate::spec::operations::{operation_of, resolve_parameter};
use crate::spec::{OperationInfo, Spec};

/// The hosts of the API, whose every entry is held against the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosts {
    /// `(host, port)`: a port only where the base URL gave one.
    api: Vec<(String, Option<u16>)>,
    /// The base URL's path (`/gitcode` for `https://h/gitcode/api/v5`),
    /// stripped from paths before matching; empty for none.
    prefix: String,
}

/// The API's public hosts.
pub const API_HOSTS: &[&str] = &["api.gitcode.com", "api.atomgit.com"];

impl Hosts {
    /// [`API_HOSTS`], and the host (with its port) of `base_url` when given,
    /// whose path, without a trailing `/api/v5` or `/api/v8`, prefixes
    /// every path (as the client reads a base URL).
    pub fn new(base_url: Option<&str>) -> Result<Hosts, String> {
        let mut api: Vec<(String, Option<u16>)> =
            API_HOSTS.iter().map(|h| (h.to_string(), None)).collect();
        let mut prefix = String::new();
        if let Some(url) = base_url {
            let target = Target::parse(url)
                .ok_or_else(|| format!("--base-url `{url}` is not an absolute http(s) URL"))?;
            let path = target.path.trim_end_matches('/');
            let path = path
                .strip_suffix("/api/v5")
                .or_else(|| path.strip_suffix("/api/v8"))
                .unwrap_or(path);
            prefix = path.to_string();
            api.push((target.host.clone(), Some(target.port_or_default())));
        }
        Ok(Hosts { api, prefix })
    }

    fn is_api(&self, target: &Target) -> bool {
        self.api.iter().any(|(host, port)| {
            *host == target.host && port.is_none_or(|p| p == target.port_or_default())
        })
    }

    fn path<'t>(&self, target: &'t Target) -> &'t str {
        match target.path.strip_prefix(self.prefix.as_str()) {
            Some(rest) if !self.prefix.is_empty() && rest.starts_with('/') => rest,
            _ => &target.path,
        }
    }
}

/// What holding one entry gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not held: another host.
    OtherHost,
    /// Not held: an `OPTIONS` preflight.
    Preflight,
    /// Held.
    Held {
        /// The operation matched (`operationId`, method, template).
        operation: Option<(String, String, String)>,
        /// Every disagreement.
        observations: Vec<Observation>,
        /// What became of the answer's body.
        body: BodyState,
    },
}

/// Whether the answer's body was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyState {
    /// Checked, or nothing to check.
    Checked,
    /// No answer at all.
    NoResponse,
    /// The recording did not keep it.
    NotKept,
    /// The recording cut it short.
    Truncated,
}

/// What one entry is held against.
pub struct Context<'a> {
    /// The spec.
    pub spec: &'a Spec,
    /// The API hosts.
    pub hosts: &'a Hosts,
    /// The credentials of every recording read.
    pub redactor: &'a Redactor,
}

/// Holds one entry against the spec.
pub fn hold_entry(cx: &Context<'_>, entry: &Entry) -> Outcome {
    let request = &entry.request;
    if request.method == "OPTIONS" {
        return Outcome::Preflight;
    }
    let target = &request.target;
    let on_api = cx.hosts.is_api(target);
    let path = if on_api {
        cx.hosts.path(target)
    } else {
        &target.path
    };
    let matched = match_operation(cx.spec, &request.method, path);
    if !on_api {
        let served_here = matched.as_ref().is_ok_and(|m| {
            m.operation
                .servers
                .iter()
                .filter_map(|s| Target::parse(s))
                .any(|s| s.host == target.host)
        });
        if !served_here {
            return Outcome::OtherHost;
        }
    }
    let mut out = Vec::new();
    let found = match matched {
        Ok(found) => recorded_or(cx, entry, path, found, &mut out),
        Err(why) => {
            let recorded = entry
                .gitcode
                .as_ref()
                .and_then(|g| g.operation_id.as_deref())
                .map(|id| format!(" (the recording names `{id}`)"))
                .unwrap_or_default();
            let nearest = nearest_operation(cx.spec, &request.method, path);
            let near = nearest
                .map(|op| {
                    format!(
                        "; nearest: `{}` ({} {})",
                        op.operation_id,
                        op.method.to_uppercase(),
                        op.path
                    )
                })
                .unwrap_or_default();
            out.push(Observation {
                operation: None,
                direction: Direction::Request,
                kind: FindingKind::UnknownOperation,
                field: format!("{} {path}", request.method),
                message: format!("{why}{recorded}{near}"),
                example: Some(cx.redactor.example_text(&path_and_query(&request.url))),
                spec: nearest.and_then(|op| {
                    cx.spec
                        .bundle
                        .file_of_operation(&op.path, &op.method)
                        .map(|f| f.locate(&["paths", &op.path]))
                }),
            });
            return Outcome::Held {
                operation: None,
                observations: out,
                body: if entry.response.is_some() {
                    BodyState::Checked
                } else {
                    BodyState::NoResponse
                },
            };
        }
    };
    let op = found.operation;
    hold_request_part(cx, entry, &found, &mut out);
    let body = hold_response(cx, entry, op, &mut out);
    Outcome::Held {
        operation: Some((op.operation_id.clone(), op.method.clone(), op.path.clone())),
        observations: out,
        body,
    }
}

/// The path and query of a URL as written (`/api/v5/x?a=1`); the
/// `access_token` is the marker.
fn path_and_query(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let start = after_scheme.find('/').unwrap_or(after_scheme.len());
    let rest = &after_scheme[start..];
    let rest = rest.split('#').next().unwrap_or_default();
    let Some((path, query)) = rest.split_once('?') else {
        return rest.to_string();
    };
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if super::redact::is_credential_name(name) => {
                format!("{name}={}", super::redact::MARKER)
            }
            _ => pair.to_string(),
        })
        .collect();
    format!("{path}?{}", query.join("&"))
}

/// The operation `found` by method and path, or the one the recording
/// names where its template matches the path too; a disagreement between
/// the recording and the path is a finding.
fn recorded_or<'s>(
    cx: &Context<'s>,
    entry: &Entry,
    path: &str,
    found: PathMatch<'s>,
    out: &mut Vec<Observation>,
) -> PathMatch<'s> {
    let Some(meta) = &entry.gitcode else {
        return found;
    };
    let method = &entry.request.method;
    if let Some(id) = meta.operation_id.as_deref()
        && id != found.operation.operation_id
    {
        let named = cx.spec.operation(id).filter(|op| {
            op.method.eq_ignore_ascii_case(method)
                || (method == "HEAD" && op.method.eq_ignore_ascii_case("get"))
        });
        if let Some((op, parameters)) = named.and_then(|op| Some((op, path_parameters(op, path)?)))
        {
            return PathMatch {
                operation: op,
                parameters,
            };
        }
        out.push(recorded_differs(
            cx,
            &found,
            format!(
                "the recording names `{id}`{}; the method and path match `{}`",
                if cx.spec.operation(id).is_none() {
                    ", which the spec does not have"
                } else {
                    ""
                },
                found.operation.operation_id
            ),
            id,
        ));
    } else if let Some(template) = meta.path_template.as_deref()
        && meta.operation_id.is_some()
        && template != found.operation.path
    {
        out.push(recorded_differs(
            cx,
            &found,
            format!(
                "the recording's template is `{template}`; the spec's is `{}`",
                found.operation.path
            ),
            template,
        ));
    }
    found
}

fn recorded_differs(
    cx: &Context<'_>,
    found: &PathMatch<'_>,
    message: String,
    example: &str,
) -> Observation {
    let op = found.operation;
    Observation {
        operation: Some(op.operation_id.clone()),
        direction: Direction::Request,
        kind: FindingKind::RecordedOperationDiffers,
        field: "_gitcode".into(),
        message,
        example: Some(cx.redactor.example_text(example)),
        spec: operation_place(cx.spec, op, &[]),
    }
}

/// The request of `entry` against the operation `found`.
fn hold_request_part(
    cx: &Context<'_>,
    entry: &Entry,
    found: &PathMatch<'_>,
    out: &mut Vec<Observation>,
) {
    let request = &entry.request;
    let header = |name: &str| {
        request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let content_type = header("content-type")
        .or_else(|| request.body.as_ref().and_then(|b| b.mime_type.as_deref()));
    // The scheme, unless the recording redacted the whole value (some
    // tools do; the client's recorder keeps the scheme), which leaves no
    // scheme to hold.
    let auth = header("authorization")
        .and_then(|v| v.split_whitespace().next())
        .filter(|scheme| *scheme != super::redact::MARKER);
    let kept = request
        .body
        .as_ref()
        .is_none_or(|b| b.bytes.is_some() || b.params.is_some());
    let text = request
        .body
        .as_ref()
        .and_then(|b| b.bytes.as_deref())
        .map(|bytes| redacted_body(cx.redactor, content_type, bytes))
        .unwrap_or_default();
    let fields = request.body.as_ref().and_then(|b| {
        b.bytes.is_none().then_some(())?;
        b.params.as_ref()
    });
    let sent = SentRequest {
        method: &request.method,
        path: &request.target.path,
        query: &request.target.query,
        content_type,
        auth,
        body: &text,
        fields: fields.map(Vec::as_slice),
    };
    let op = found.operation;
    for disagreement in hold_matched(cx.spec, &sent, found).disagreements {
        let body_unknown = matches!(
            disagreement,
            Disagreement::MissingBody(_)
                | Disagreement::UnreadableBody(_)
                | Disagreement::BodyField { .. }
        );
        if !kept && body_unknown {
            continue; // the recording did not keep the body
        }
        out.push(request_observation(
            cx,
            op,
            &request.target.query,
            disagreement,
        ));
    }
}

/// A request body as text for the checks, with its credentials redacted
/// (a JSON body's values, a form's fields, any secret learnt).
fn redacted_body(redactor: &Redactor, content_type: Option<&str>, bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let media = content_type.unwrap_or_default().to_ascii_lowercase();
    if media.contains("json")
        && let Ok(value) = serde_json::from_str::<Value>(&text)
    {
        return redactor.value(&value).to_string();
    }
    if media.starts_with("application/x-www-form-urlencoded")
        && let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(&text)
    {
        let redacted: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(name, value)| {
                let value = if super::redact::is_credential_name(&name) {
                    super::redact::MARKER.to_string()
                } else {
                    redactor.text(&value)
                };
                (name, value)
            })
            .collect();
        if let Ok(encoded) = serde_urlencoded::to_string(&redacted) {
            return encoded;
        }
    }
    redactor.text(&text)
}

/// One disagreement of a request (whose query was `query`) as a finding.
fn request_observation(
    cx: &Context<'_>,
    op: &OperationInfo,
    query: &[(String, String)],
    disagreement: Disagreement,
) -> Observation {
    let spec = cx.spec;
    let message = disagreement.to_string();
    let (kind, field, example, place) = match &disagreement {
        Disagreement::NoOperation(_) | Disagreement::NotInPaths(_) => (
            FindingKind::UnknownOperation,
            op.operation_id.clone(),
            None,
            operation_place(spec, op, &[]),
        ),
        Disagreement::UndeclaredPathParameter(name) => (
            FindingKind::UndeclaredParameter,
            format!("path {name}"),
            None,
            operation_place(spec, op, &["parameters"]),
        ),
        Disagreement::UndeclaredQueryParameter { name, .. } => (
            FindingKind::UndeclaredParameter,
            format!("query {name}"),
            query
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| cx.redactor.example(Some(name), &Value::String(v.clone()))),
            operation_place(spec, op, &["parameters"]),
        ),
        Disagreement::ParameterValue {
            place, name, value, ..
        } => (
            FindingKind::ParameterValue,
            format!("{} {name}", place.trim_end_matches(" parameter")),
            Some(
                cx.redactor
                    .example(Some(name), &Value::String(value.clone())),
            ),
            parameter_place(spec, op, name),
        ),
        Disagreement::MissingQueryParameter(name) => (
            FindingKind::MissingParameter,
            format!("query {name}"),
            None,
            parameter_place(spec, op, name),
        ),
        Disagreement::AuthScheme(scheme) => (
            FindingKind::AuthScheme,
            "Authorization".into(),
            Some(cx.redactor.example_text(scheme)),
            spec.bundle
                .files
                .first()
                .map(|f| f.locate(&["components", "securitySchemes"])),
        ),
        Disagreement::BodyMediaType { sent, .. } => (
            FindingKind::RequestMediaType,
            "request body".into(),
            sent.as_deref().map(|s| cx.redactor.example_text(s)),
            operation_place(spec, op, &["requestBody", "content"]),
        ),
        Disagreement::MissingBody(_)
        | Disagreement::UnexpectedBody
        | Disagreement::UnreadableBody(_) => (
            FindingKind::RequestBody,
            "request body".into(),
            None,
            operation_place(spec, op, &["requestBody"]),
        ),
        Disagreement::BodyField {
            media_type,
            mismatch,
        } => {
            let base = ["requestBody", "content", media_type.as_str(), "schema"];
            (
                mismatch_kind(mismatch.kind),
                field_name(&mismatch.field),
                mismatch_example(cx, mismatch),
                field_place(spec, op, &base, &mismatch.field),
            )
        }
    };
    let message = match &disagreement {
        Disagreement::BodyField { mismatch, .. } => mismatch.to_string(),
        _ => message,
    };
    Observation {
        operation: Some(op.operation_id.clone()),
        direction: Direction::Request,
        kind,
        field,
        message,
        example,
        spec: place,
    }
}

/// The answer of `entry` against `op`.
fn hold_response(
    cx: &Context<'_>,
    entry: &Entry,
    op: &OperationInfo,
    out: &mut Vec<Observation>,
) -> BodyState {
    let Some(response) = &entry.response else {
        return BodyState::NoResponse;
    };
    let spec = cx.spec;
    let Some((_, operation)) = operation_of(&spec.openapi, op) else {
        return BodyState::Checked;
    };
    let status = response.status;
    let documented = operation
        .responses
        .responses
        .iter()
        .find(|(code, _)| **code == StatusCode::Code(status))
        .or_else(|| {
            operation
                .responses
                .responses
                .iter()
                .find(|(code, _)| **code == StatusCode::Range(status / 100))
        })
        .map(|(code, r)| (code.to_string(), r))
        .or_else(|| {
            operation
                .responses
                .default
                .as_ref()
                .map(|r| ("default".to_string(), r))
        });
    // (schema, YAML keys of the schema from the operation, or none for a
    // component, whether a body that is not JSON is a finding)
    let (schema, base, strict): (ReferenceOr<Schema>, Vec<String>, bool) = match documented {
        Some((key, ReferenceOr::Item(documented))) => {
            let Some((media, content)) = documented
                .content
                .iter()
                .find(|(media, _)| media.contains("json"))
            else {
                return BodyState::Checked; // no body, or bytes: nothing to hold
            };
            let Some(schema) = content.schema.clone() else {
                return BodyState::Checked;
            };
            let base = [
                "responses",
                key.as_str(),
                "content",
                media.as_str(),
                "schema",
            ]
            .map(String::from)
            .to_vec();
            (schema, base, true)
        }
        Some((_, ReferenceOr::Reference { .. })) => return BodyState::Checked,
        None if status >= 400 => match error_body(spec) {
            Some(schema) => (schema, Vec::new(), false),
            None => return BodyState::Checked,
        },
        None => {
            let body = response.body.bytes.as_deref().unwrap_or_default();
            out.push(Observation {
                operation: Some(op.operation_id.clone()),
                direction: Direction::Response,
                kind: FindingKind::UndocumentedStatus,
                field: format!("status {status}"),
                message: format!(
                    "status {status} is not documented (the spec has {})",
                    statuses(operation)
                ),
                example: (!body.is_empty())
                    .then(|| cx.redactor.example_text(&String::from_utf8_lossy(body))),
                spec: operation_place(spec, op, &["responses"]),
            });
            return BodyState::Checked;
        }
    };
    if entry.request.method == "HEAD" || status == 204 || status == 304 {
        return BodyState::Checked; // no body by HTTP's rules
    }
    let Some(bytes) = response.body.bytes.as_deref() else {
        return BodyState::NotKept;
    };
    let base: Vec<&str> = base.iter().map(String::as_str).collect();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        if strict {
            out.push(Observation {
                operation: Some(op.operation_id.clone()),
                direction: Direction::Response,
                kind: FindingKind::EmptyBody,
                field: format!("status {status}"),
                message: format!("an empty body; the spec describes JSON for status {status}"),
                example: None,
                spec: operation_place(spec, op, &base[..2]),
            });
        }
        return BodyState::Checked;
    }
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(_) if response.body.truncated() => return BodyState::Truncated,
        Err(_) if !strict => return BodyState::Checked, // an error page in HTML
        Err(e) => {
            out.push(Observation {
                operation: Some(op.operation_id.clone()),
                direction: Direction::Response,
                kind: FindingKind::UndecodableBody,
                field: format!("status {status}"),
                message: format!("the body is not JSON ({e}); the spec describes JSON"),
                example: Some(cx.redactor.example_text(&String::from_utf8_lossy(bytes))),
                spec: operation_place(spec, op, &base[..4]),
            });
            return BodyState::Checked;
        }
    };
    let value = cx.redactor.value(&value);
    for mismatch in conformance::check_answer(&spec.openapi, &schema, &value) {
        let place = if base.is_empty() {
            component_place(spec, &mismatch.field, "ErrorBody")
        } else {
            field_place(spec, op, &base, &mismatch.field)
        };
        out.push(Observation {
            operation: Some(op.operation_id.clone()),
            direction: Direction::Response,
            kind: mismatch_kind(mismatch.kind),
            field: match (&mismatch.field.schema, base.is_empty()) {
                (None, true) => "ErrorBody".into(),
                _ => field_name(&mismatch.field),
            },
            message: mismatch.to_string(),
            example: mismatch_example(cx, &mismatch),
            spec: place,
        });
    }
    BodyState::Checked
}

/// The spec's error body (`#/components/schemas/ErrorBody`), if it has one.
fn error_body(spec: &Spec) -> Option<ReferenceOr<Schema>> {
    spec.openapi
        .components
        .as_ref()?
        .schemas
        .contains_key("ErrorBody")
        .then(|| ReferenceOr::Reference {
            reference: "#/components/schemas/ErrorBody".into(),
        })
}

/// The statuses an operation documents: `200, 201`.
fn statuses(operation: &openapiv3::Operation) -> String {
    let mut codes: Vec<String> = operation
        .responses
        .responses
        .keys()
        .map(ToString::to_string)
        .collect();
    if operation.responses.default.is_some() {
        codes.push("default".into());
    }
    if codes.is_empty() {
        "none".into()
    } else {
        codes.join(", ")
    }
}

fn mismatch_kind(kind: MismatchKind) -> FindingKind {
    match kind {
        MismatchKind::UnknownProperty => FindingKind::UnknownField,
        MismatchKind::Null => FindingKind::UnexpectedNull,
        MismatchKind::Type => FindingKind::OtherType,
        MismatchKind::Enum => FindingKind::EnumValue,
        MismatchKind::MissingRequired => FindingKind::MissingField,
        MismatchKind::Unresolved => FindingKind::UnresolvedReference,
    }
}

/// A schema field as a finding names it: `Issue.labels[].name` in a
/// component, `body.title` (`body`, `body[].name`) in an operation's inline
/// schema.
fn field_name(field: &SchemaField) -> String {
    match (&field.schema, field.path.as_str()) {
        (Some(_), _) => field.display_name(),
        (None, "") => "body".into(),
        (None, path) if path.starts_with('[') => format!("body{path}"),
        (None, path) => format!("body.{path}"),
    }
}

/// The value a mismatch is about, as an example (none for a missing field).
fn mismatch_example(cx: &Context<'_>, mismatch: &Mismatch) -> Option<String> {
    if mismatch.kind == MismatchKind::MissingRequired {
        return None;
    }
    let name = mismatch
        .field
        .path
        .rsplit('.')
        .next()
        .map(|n| n.trim_end_matches("[]").trim_end_matches("{}"));
    Some(cx.redactor.example(name, &mismatch.value))
}

/// Where `op` is in its file, with `keys` below it.
fn operation_place(spec: &Spec, op: &OperationInfo, keys: &[&str]) -> Option<Location> {
    let file = spec.bundle.file_of_operation(&op.path, &op.method)?;
    let mut path = vec!["paths", op.path.as_str(), op.method.as_str()];
    path.extend_from_slice(keys);
    Some(file.locate(&path))
}

/// Where a schema field is: in its component's file, or below `base` in the
/// operation's.
fn field_place(
    spec: &Spec,
    op: &OperationInfo,
    base: &[&str],
    field: &SchemaField,
) -> Option<Location> {
    match &field.schema {
        Some(name) => component_place(spec, field, name),
        None => {
            let mut keys: Vec<&str> = base.to_vec();
            keys.extend(field.keys.iter().map(String::as_str));
            operation_place(spec, op, &keys)
        }
    }
}

/// Where a field of the component `fallback` (or of its own component) is.
fn component_place(spec: &Spec, field: &SchemaField, fallback: &str) -> Option<Location> {
    let name = field.schema.as_deref().unwrap_or(fallback);
    let file = spec.bundle.file_of_component("schemas", name)?;
    if field.schema.is_some() {
        let keys: Vec<&str> = field.keys.iter().map(String::as_str).collect();
        Some(file.locate(&keys))
    } else {
        Some(file.locate(&["components", "schemas", name]))
    }
}

/// Where the parameter `name` of `op` is declared: its shared component,
/// else the operation's `parameters`.
fn parameter_place(spec: &Spec, op: &OperationInfo, name: &str) -> Option<Location> {
    let (item, operation) = operation_of(&spec.openapi, op)?;
    let component = operation
        .parameters
        .iter()
        .chain(&item.parameters)
        .find_map(|p| match p {
            ReferenceOr::Reference { reference } => {
                let resolved = resolve_parameter(&spec.openapi, p)?;
                (resolved.parameter_data_ref().name == name)
                    .then(|| reference.strip_prefix("#/components/parameters/"))
                    .flatten()
            }
            ReferenceOr::Item(_) => None,
        });
    match component {
        Some(component) => spec
            .bundle
            .file_of_component("parameters", component)
            .map(|f| f.locate(&["components", "parameters", component])),
        None => operation_place(spec, op, &["parameters"]),
    }
}
