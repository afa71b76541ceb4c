//! A recorded request held against the spec: [`hold`] (a request of gc's
//! recordings), [`hold_request`] (any request, as [`SentRequest`]).
//!
//! The request fits when:
//! - an operation has its method and path ([`crate::spec::matching`]);
//! - every path and query parameter is declared, and its value fits the
//!   parameter's schema; the required query parameters are there. The
//!   `access_token` query parameter of the spec's query auth scheme is the
//!   token, not a parameter;
//! - its body is of a content type the operation accepts, every field of
//!   the body is a property of the body's schema and fits it (form and
//!   multipart values read as the property's type: `1` an integer, `true` a
//!   boolean, `a[]` the items of a list; a multipart file part as its file
//!   name), and the fields the schema requires are there. Fields that
//!   `x-gitcode-body-in-query` names count as body fields when sent in the
//!   query;
//! - its `Authorization` scheme is one the spec declares.

use openapiv3::{
    APIKeyLocation, OpenAPI, Parameter, ReferenceOr, RequestBody, Schema, SchemaKind,
    SecurityScheme, Type,
};
use serde_json::{Map, Value};

use crate::evidence::conformance::{self, Mismatch, resolve};
use crate::spec::extensions::LENIENT;
use crate::spec::matching::PathMatch;
use crate::spec::matching::{NoMatch, match_operation};
use crate::spec::operations::{operation_of, resolve_parameter, resolve_request_body};
use crate::spec::{OperationInfo, Spec};

use super::Recording;

/// A request as sent, whatever recorded it.
#[derive(Debug, Clone, Copy)]
pub struct SentRequest<'a> {
    /// The method (`GET`).
    pub method: &'a str,
    /// The path as sent (percent-encoded), without the query.
    pub path: &'a str,
    /// The query parameters (decoded), in the order sent.
    pub query: &'a [(String, String)],
    /// The `Content-Type` header, if one was sent.
    pub content_type: Option<&'a str>,
    /// The `Authorization` scheme (`Bearer`), if one was sent.
    pub auth: Option<&'a str>,
    /// The body as text (lossy where it was not UTF-8); empty when none.
    pub body: &'a str,
    /// The body's fields, where the recording kept them instead of the text
    /// (a HAR's `postData.params`, for a form or a multipart body).
    pub fields: Option<&'a [(String, String)]>,
}

impl Recording {
    /// This recording as a [`SentRequest`].
    pub fn sent(&self) -> SentRequest<'_> {
        SentRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            content_type: self.content_type.as_deref(),
            auth: self.auth.as_deref(),
            body: &self.body,
            fields: None,
        }
    }
}

/// What the spec says otherwise than a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disagreement {
    /// No operation has its method and path.
    NoOperation(NoMatch),
    /// The operation matched is not among the spec's paths (a spec bug).
    NotInPaths(String),
    /// A path parameter the operation does not declare.
    UndeclaredPathParameter(String),
    /// A query parameter the operation does not declare; with the declared
    /// ones.
    UndeclaredQueryParameter {
        /// The parameter sent.
        name: String,
        /// The query parameters declared, as `` `a`, `b` `` or `none`.
        declared: String,
    },
    /// A path or query parameter's value does not fit its schema.
    ParameterValue {
        /// `path parameter` or `query parameter`.
        place: &'static str,
        /// The parameter.
        name: String,
        /// The value as sent.
        value: String,
        /// What does not fit.
        message: String,
    },
    /// A required query parameter was not sent.
    MissingQueryParameter(String),
    /// The body's content type is not one the operation accepts.
    BodyMediaType {
        /// The media type sent (`None`: no `Content-Type`).
        sent: Option<String>,
        /// The media types the spec accepts.
        accepted: Vec<String>,
    },
    /// No body, where the spec requires one.
    MissingBody(Vec<String>),
    /// A body, where the operation takes none.
    UnexpectedBody,
    /// The body does not parse as its content type says.
    UnreadableBody(String),
    /// A field of the body does not fit the body's schema; with the media
    /// type whose schema it was held against.
    BodyField {
        /// The media type (`application/json`).
        media_type: String,
        /// Where and what.
        mismatch: Mismatch,
    },
    /// An `Authorization` scheme the spec does not declare.
    AuthScheme(String),
}

impl std::fmt::Display for Disagreement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Disagreement::NoOperation(why) => write!(f, "{why}"),
            Disagreement::NotInPaths(id) => write!(f, "`{id}` is not in the spec's paths"),
            Disagreement::UndeclaredPathParameter(name) => {
                write!(f, "path parameter `{name}` is not declared")
            }
            Disagreement::UndeclaredQueryParameter { name, declared } => write!(
                f,
                "query parameter `{name}` is not declared (declared: {declared})"
            ),
            Disagreement::ParameterValue {
                place,
                name,
                message,
                ..
            } => write!(f, "{place} `{name}`: {message}"),
            Disagreement::MissingQueryParameter(name) => {
                write!(f, "required query parameter `{name}` is missing")
            }
            Disagreement::BodyMediaType { sent, accepted } => write!(
                f,
                "sends its body as `{}`; the spec accepts {}",
                sent.as_deref().unwrap_or("(no content type)"),
                accepted.join(", ")
            ),
            Disagreement::MissingBody(accepted) => write!(
                f,
                "sends no body; the spec requires one ({})",
                accepted.join(", ")
            ),
            Disagreement::UnexpectedBody => write!(f, "sends a body, but the operation takes none"),
            Disagreement::UnreadableBody(why) => write!(f, "{why}"),
            Disagreement::BodyField { mismatch, .. } => write!(f, "body {mismatch}"),
            Disagreement::AuthScheme(scheme) => write!(
                f,
                "sends `Authorization: {scheme} ...`; the spec declares no such scheme"
            ),
        }
    }
}

/// How a recorded request fits the spec.
#[derive(Debug, Clone)]
pub struct Held<'s> {
    /// The operation its method and path match, if any.
    pub operation: Option<&'s OperationInfo>,
    /// What the spec says otherwise than the request; empty when it fits.
    pub disagreements: Vec<Disagreement>,
}

impl Held<'_> {
    /// An operation matched and nothing disagrees.
    pub fn fits(&self) -> bool {
        self.operation.is_some() && self.disagreements.is_empty()
    }
}

/// Holds `recording` against `spec`.
pub fn hold<'s>(spec: &'s Spec, recording: &Recording) -> Held<'s> {
    hold_request(spec, &recording.sent())
}

/// Holds `request` against `spec`.
pub fn hold_request<'s>(spec: &'s Spec, request: &SentRequest<'_>) -> Held<'s> {
    match match_operation(spec, request.method, request.path) {
        Ok(found) => hold_matched(spec, request, &found),
        Err(why) => Held {
            operation: None,
            disagreements: vec![Disagreement::NoOperation(why)],
        },
    }
}

/// Holds `request` against the operation `found` (which its method and path
/// matched: [`match_operation`] or [`crate::spec::matching::path_parameters`]).
pub fn hold_matched<'s>(
    spec: &'s Spec,
    request: &SentRequest<'_>,
    found: &PathMatch<'s>,
) -> Held<'s> {
    let mut out = Vec::new();
    let op = found.operation;
    let openapi = &spec.openapi;
    let Some((item, operation)) = operation_of(openapi, op) else {
        return Held {
            operation: Some(op),
            disagreements: vec![Disagreement::NotInPaths(op.operation_id.clone())],
        };
    };
    // The operation's own parameters, then those of its path.
    let parameters: Vec<&Parameter> = operation
        .parameters
        .iter()
        .chain(&item.parameters)
        .filter_map(|p| resolve_parameter(openapi, p))
        .collect();

    let query_body = check_parameters(
        openapi,
        op,
        &parameters,
        &found.parameters,
        request.query,
        &mut out,
    );
    let body_schema = resolve_request_body(openapi, operation);
    check_body(openapi, op, body_schema, request, query_body, &mut out);
    check_auth(openapi, request, &mut out);
    Held {
        operation: Some(op),
        disagreements: out,
    }
}

/// The name of the spec's query auth parameter (`access_token`), if it
/// declares one: the token, never a parameter of an operation.
fn query_credential(openapi: &OpenAPI) -> Option<&str> {
    openapi
        .components
        .as_ref()?
        .security_schemes
        .values()
        .filter_map(ReferenceOr::as_item)
        .find_map(|s| match s {
            SecurityScheme::APIKey {
                location: APIKeyLocation::Query,
                name,
                ..
            } => Some(name.as_str()),
            _ => None,
        })
}

/// The path and query parameters against their declarations; returns the
/// body fields sent in the query (`x-gitcode-body-in-query`).
fn check_parameters(
    openapi: &OpenAPI,
    op: &OperationInfo,
    parameters: &[&Parameter],
    path_values: &[(String, String)],
    query: &[(String, String)],
    out: &mut Vec<Disagreement>,
) -> Map<String, Value> {
    for (name, value) in path_values {
        match parameters
            .iter()
            .find(|p| matches!(p, Parameter::Path { .. }) && p.parameter_data_ref().name == *name)
        {
            Some(p) => check_value(openapi, p, value, "path parameter", out),
            None => out.push(Disagreement::UndeclaredPathParameter(name.clone())),
        }
    }

    let credential = query_credential(openapi);
    let mut query_body = Map::new();
    for (name, value) in query {
        let declared = parameters
            .iter()
            .find(|p| matches!(p, Parameter::Query { .. }) && p.parameter_data_ref().name == *name);
        match declared {
            Some(p) => check_value(openapi, p, value, "query parameter", out),
            None if op.body_in_query.contains(name) => {
                query_body.insert(name.clone(), Value::String(value.clone()));
            }
            None if credential == Some(name.as_str()) => {}
            None => out.push(Disagreement::UndeclaredQueryParameter {
                name: name.clone(),
                declared: names(
                    parameters
                        .iter()
                        .filter(|p| matches!(p, Parameter::Query { .. })),
                ),
            }),
        }
    }

    for p in parameters
        .iter()
        .filter(|p| matches!(p, Parameter::Query { .. }) && p.parameter_data_ref().required)
    {
        let name = &p.parameter_data_ref().name;
        if !query.iter().any(|(n, _)| n == name) {
            out.push(Disagreement::MissingQueryParameter(name.clone()));
        }
    }

    query_body
}

fn names<'a>(parameters: impl Iterator<Item = &'a &'a Parameter>) -> String {
    let names: Vec<String> = parameters
        .map(|p| format!("`{}`", p.parameter_data_ref().name))
        .collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// A parameter's value against the parameter's schema.
fn check_value(
    openapi: &OpenAPI,
    p: &Parameter,
    text: &str,
    place: &'static str,
    out: &mut Vec<Disagreement>,
) {
    let data = p.parameter_data_ref();
    let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
        return;
    };
    let value = typed(openapi, schema, text);
    for mismatch in conformance::check(openapi, schema, &value) {
        out.push(Disagreement::ParameterValue {
            place,
            name: data.name.clone(),
            value: text.to_string(),
            message: mismatch.message,
        });
    }
}

/// A text (a parameter, a form value) read as the type its schema says,
/// where it reads as one; else the text, which the schema check then
/// reports.
fn typed(openapi: &OpenAPI, schema: &ReferenceOr<Schema>, text: &str) -> Value {
    let fallback = Value::String(text.to_string());
    let Some(schema) = resolve(openapi, schema) else {
        return fallback;
    };
    if schema.schema_data.extensions.contains_key(LENIENT) {
        return fallback;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(_)) => text.parse::<i64>().map_or(fallback, Value::from),
        SchemaKind::Type(Type::Number(_)) => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(fallback, Value::Number),
        SchemaKind::Type(Type::Boolean(_)) => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => fallback,
        },
        _ => fallback,
    }
}

/// The body (and the body fields sent in the query) against the request
/// body's schema for the content type sent.
fn check_body(
    openapi: &OpenAPI,
    op: &OperationInfo,
    body_spec: Option<&RequestBody>,
    request: &SentRequest<'_>,
    query_fields: Map<String, Value>,
    out: &mut Vec<Disagreement>,
) {
    let sent_body = !request.body.is_empty() || request.fields.is_some_and(|f| !f.is_empty());
    let Some(body_spec) = body_spec else {
        if sent_body {
            out.push(Disagreement::UnexpectedBody);
        }
        return;
    };
    let media = request.content_type.map(|c| {
        c.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    });
    let content_type = if sent_body {
        match media.as_deref() {
            Some(m) if op.body_content_types.iter().any(|c| c == m) => m.to_string(),
            other => {
                out.push(Disagreement::BodyMediaType {
                    sent: other.map(String::from),
                    accepted: op.body_content_types.clone(),
                });
                return;
            }
        }
    } else if query_fields.is_empty() {
        if body_spec.required {
            out.push(Disagreement::MissingBody(op.body_content_types.clone()));
        }
        return;
    } else {
        match &op.body_content_type {
            Some(c) => c.clone(),
            None => return,
        }
    };
    let Some(schema) = body_spec
        .content
        .get(&content_type)
        .and_then(|m| m.schema.as_ref())
    else {
        return;
    };
    let pairs = |parsed: Result<Vec<(String, String)>, String>| match request.fields {
        Some(fields) => Ok(fields.to_vec()),
        None => parsed,
    };
    let value = if !sent_body {
        Value::Object(Map::new())
    } else if content_type == "application/x-www-form-urlencoded" {
        let parsed = serde_urlencoded::from_str::<Vec<(String, String)>>(request.body)
            .map_err(|e| format!("the form body does not parse: {e}"));
        match pairs(parsed) {
            Ok(pairs) => form_object(openapi, schema, &pairs),
            Err(why) => {
                out.push(Disagreement::UnreadableBody(why));
                return;
            }
        }
    } else if content_type == "multipart/form-data" {
        let parsed = multipart_fields(request.content_type.unwrap_or_default(), request.body);
        match pairs(parsed) {
            Ok(pairs) => form_object(openapi, schema, &pairs),
            Err(why) => {
                out.push(Disagreement::UnreadableBody(why));
                return;
            }
        }
    } else if content_type == "application/json" {
        match serde_json::from_str(request.body) {
            Ok(value) => value,
            Err(e) => {
                out.push(Disagreement::UnreadableBody(format!(
                    "the JSON body does not parse: {e}"
                )));
                return;
            }
        }
    } else {
        return; // raw bodies: the content type is all there is to check
    };
    let value = match value {
        Value::Object(mut fields) => {
            for (name, text) in query_fields {
                let text = text.as_str().unwrap_or_default().to_string();
                let typed = property(openapi, schema, &name)
                    .map_or(Value::String(text.clone()), |p| typed(openapi, &p, &text));
                fields.entry(name).or_insert(typed);
            }
            Value::Object(fields)
        }
        other => other,
    };
    for mismatch in conformance::check_request(openapi, schema, &value) {
        out.push(Disagreement::BodyField {
            media_type: content_type.clone(),
            mismatch,
        });
    }
}

/// The fields of a `multipart/form-data` body: each part's name, with its
/// text, or its file name for a file part (whose bytes say nothing of the
/// schema). `content_type` carries the boundary.
fn multipart_fields(content_type: &str, body: &str) -> Result<Vec<(String, String)>, String> {
    let boundary = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty())
        .ok_or("the multipart body's content type names no boundary")?;
    let delimiter = format!("--{boundary}");
    let mut fields = Vec::new();
    let mut parts = body.split(delimiter.as_str());
    parts.next(); // the preamble
    for part in parts {
        if part.starts_with("--") {
            return Ok(fields); // the closing delimiter
        }
        let part = part.strip_prefix("\r\n").unwrap_or(part);
        let (headers, content) = part
            .split_once("\r\n\r\n")
            .ok_or("a part of the multipart body has no blank line after its headers")?;
        let disposition = headers
            .split("\r\n")
            .find_map(|h| {
                let (name, value) = h.split_once(':')?;
                name.trim()
                    .eq_ignore_ascii_case("content-disposition")
                    .then_some(value)
            })
            .ok_or("a part of the multipart body has no Content-Disposition")?;
        let parameter = |key: &str| {
            disposition.split(';').find_map(|p| {
                let (k, v) = p.trim().split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
            })
        };
        let name = parameter("name").ok_or("a part of the multipart body has no name")?;
        let value = parameter("filename")
            .unwrap_or_else(|| content.strip_suffix("\r\n").unwrap_or(content).to_string());
        fields.push((name, value));
    }
    Err("the multipart body has no closing boundary".into())
}

/// The schema of property `name` of an object schema.
fn property(
    openapi: &OpenAPI,
    schema: &ReferenceOr<Schema>,
    name: &str,
) -> Option<ReferenceOr<Schema>> {
    match &resolve(openapi, schema)?.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            object.properties.get(name).map(|p| p.clone().unbox())
        }
        SchemaKind::AllOf { all_of } => all_of.iter().find_map(|p| property(openapi, p, name)),
        _ => None,
    }
}

/// The schema of one item of a list property: its `items`, or the property
/// itself where it is not an array (a `CommaList` takes its items as text).
fn item_schema(openapi: &OpenAPI, property: ReferenceOr<Schema>) -> ReferenceOr<Schema> {
    match resolve(openapi, &property).map(|s| &s.schema_kind) {
        Some(SchemaKind::Type(Type::Array(array))) => match &array.items {
            Some(items) => items.clone().unbox(),
            None => property,
        },
        _ => property,
    }
}

/// A form body as the JSON object its schema describes: each value read as
/// its property's type; `name[]=a&name[]=b` as the list `name[]: [a, b]`
/// where the schema has a property `name[]` (a list sent as repeated
/// fields), else as the list `name: [a, b]`.
fn form_object(
    openapi: &OpenAPI,
    schema: &ReferenceOr<Schema>,
    pairs: &[(String, String)],
) -> Value {
    let mut fields = Map::new();
    for (name, text) in pairs {
        let list = if name.ends_with("[]") && property(openapi, schema, name).is_some() {
            Some(name.as_str())
        } else {
            name.strip_suffix("[]")
        };
        let Some(list) = list else {
            let value = property(openapi, schema, name)
                .map_or(Value::String(text.clone()), |p| typed(openapi, &p, text));
            fields.insert(name.clone(), value);
            continue;
        };
        let item = property(openapi, schema, list).map_or(Value::String(text.clone()), |p| {
            typed(openapi, &item_schema(openapi, p), text)
        });
        match fields
            .entry(list.to_string())
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(items) => items.push(item),
            // `name=x` then `name[]=y`: both kept, as a list.
            single => *single = Value::Array(vec![single.take(), item]),
        }
    }
    Value::Object(fields)
}

/// The `Authorization` scheme sent is one the spec declares.
fn check_auth(openapi: &OpenAPI, request: &SentRequest<'_>, out: &mut Vec<Disagreement>) {
    let Some(scheme) = request.auth else {
        return;
    };
    let declared = openapi
        .components
        .as_ref()
        .into_iter()
        .flat_map(|c| c.security_schemes.values())
        .filter_map(ReferenceOr::as_item)
        .any(|s| matches!(s, SecurityScheme::HTTP { scheme: declared, .. } if declared.eq_ignore_ascii_case(scheme)));
    if !declared {
        out.push(Disagreement::AuthScheme(scheme.to_string()));
    }
}
