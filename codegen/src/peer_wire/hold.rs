//! A recorded request held against the spec: [`hold`].
//!
//! The request fits when:
//! - an operation has its method and path;
//! - every path and query parameter is declared, and its value fits the
//!   parameter's schema; the required query parameters are there;
//! - its body is of a content type the operation accepts, every field of
//!   the body is a property of the body's schema and fits it (form values
//!   read as the property's type: `1` an integer, `true` a boolean, `a[]`
//!   the items of a list), and the fields the schema requires are there.
//!   Fields that `x-gitcode-body-in-query` names count as body fields when
//!   sent in the query;
//! - its `Authorization` scheme is one the spec declares.

use openapiv3::{
    OpenAPI, Parameter, ReferenceOr, RequestBody, Schema, SchemaKind, SecurityScheme, Type,
};
use serde_json::{Map, Value};

use crate::conformance::{self, resolve};
use crate::spec::extensions::LENIENT;
use crate::spec::operations::{resolve_parameter, resolve_request_body};
use crate::spec::{OperationInfo, Spec};

use super::Recording;

/// How a recorded request fits the spec.
#[derive(Debug, Clone)]
pub struct Held<'s> {
    /// The operation its method and path match, if any.
    pub operation: Option<&'s OperationInfo>,
    /// What the spec says otherwise than the request; empty when it fits.
    pub disagreements: Vec<String>,
}

impl Held<'_> {
    pub fn fits(&self) -> bool {
        self.operation.is_some() && self.disagreements.is_empty()
    }
}

/// Holds `recording` against `spec`.
pub fn hold<'s>(spec: &'s Spec, recording: &Recording) -> Held<'s> {
    let mut out = Vec::new();
    let Some((op, path_values)) =
        find_operation(spec, &recording.method, &recording.path, &mut out)
    else {
        return Held {
            operation: None,
            disagreements: out,
        };
    };
    let openapi = &spec.openapi;
    let Some((item, operation)) = operation_of(openapi, op) else {
        out.push(format!("`{}` is not in the spec's paths", op.operation_id));
        return Held {
            operation: Some(op),
            disagreements: out,
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
        &path_values,
        &recording.query,
        &mut out,
    );
    let body_schema = resolve_request_body(openapi, operation);
    check_body(openapi, op, body_schema, recording, query_body, &mut out);
    check_auth(openapi, recording, &mut out);
    Held {
        operation: Some(op),
        disagreements: out,
    }
}

/// The path and query parameters against their declarations; returns the
/// body fields sent in the query (`x-gitcode-body-in-query`).
fn check_parameters(
    openapi: &OpenAPI,
    op: &OperationInfo,
    parameters: &[&Parameter],
    path_values: &[(String, String)],
    query: &[(String, String)],
    out: &mut Vec<String>,
) -> Map<String, Value> {
    for (name, value) in path_values {
        match parameters
            .iter()
            .find(|p| matches!(p, Parameter::Path { .. }) && p.parameter_data_ref().name == *name)
        {
            Some(p) => check_value(openapi, p, value, "path parameter", out),
            None => out.push(format!("path parameter `{name}` is not declared")),
        }
    }

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
            None => out.push(format!(
                "query parameter `{name}` is not declared (declared: {})",
                names(
                    parameters
                        .iter()
                        .filter(|p| matches!(p, Parameter::Query { .. }))
                )
            )),
        }
    }

    for p in parameters
        .iter()
        .filter(|p| matches!(p, Parameter::Query { .. }) && p.parameter_data_ref().required)
    {
        let name = &p.parameter_data_ref().name;
        if !query.iter().any(|(n, _)| n == name) {
            out.push(format!("required query parameter `{name}` is missing"));
        }
    }

    query_body
}

/// The operation of `spec` at `method` and `path` (a path as sent, or a
/// template whose `{placeholders}` stand for values), preferring the
/// template with the most literal text; else why none is.
pub fn operation_at<'s>(
    spec: &'s Spec,
    method: &str,
    path: &str,
) -> Result<&'s OperationInfo, String> {
    let mut out = Vec::new();
    find_operation(spec, method, path, &mut out)
        .map(|(op, _)| op)
        .ok_or_else(|| out.join("; "))
}

/// The operation whose method and path template match, preferring the
/// template with the most literal text (`releases/tags/{tag}` over
/// `releases/{tag}`), with its path parameters' values (decoded).
fn find_operation<'s>(
    spec: &'s Spec,
    method: &str,
    path: &str,
    out: &mut Vec<String>,
) -> Option<(&'s OperationInfo, Vec<(String, String)>)> {
    // (literal text of the template, operation, parameter values)
    type Candidate<'s> = (usize, &'s OperationInfo, Vec<(String, String)>);
    let mut best: Option<Candidate<'s>> = None;
    let mut other_methods = Vec::new();
    for op in &spec.operations {
        let Some(values) = match_template(&op.path, path, &op.keep_slashes) else {
            continue;
        };
        if !op.method.eq_ignore_ascii_case(method) {
            other_methods.push(format!(
                "{} ({})",
                op.method.to_uppercase(),
                op.operation_id
            ));
            continue;
        }
        let literal = literal_len(&op.path);
        if best.as_ref().is_none_or(|(l, _, _)| literal > *l) {
            best = Some((literal, op, values));
        }
    }
    match best {
        Some((_, op, values)) => Some((op, values)),
        None => {
            out.push(if other_methods.is_empty() {
                format!("no operation of the spec has the path `{path}`")
            } else {
                format!(
                    "no `{}` operation at this path; the spec has {} there",
                    method.to_uppercase(),
                    other_methods.join(", ")
                )
            });
            None
        }
    }
}

fn literal_len(template: &str) -> usize {
    template.len()
        - template
            .split('{')
            .skip(1)
            .map(|s| s.find('}').map_or(0, |e| e + 2))
            .sum::<usize>()
}

/// Matches a path as sent (percent-encoded) against a template
/// (`/repos/{owner}/{repo}/compare/{base}...{head}`): each `{name}` takes at
/// least one character and no `/` (any character when its slashes are
/// kept), the text between them must be there as written. Returns the
/// parameters' decoded values.
fn match_template(
    template: &str,
    path: &str,
    keep_slashes: &[String],
) -> Option<Vec<(String, String)>> {
    // The literal head, then (parameter, the literal after it) pairs.
    let head_end = template.find('{').unwrap_or(template.len());
    let head = &template[..head_end];
    let mut rest = &template[head_end..];
    let mut pieces: Vec<(&str, &str)> = Vec::new();
    while let Some(stripped) = rest.strip_prefix('{') {
        let close = stripped.find('}')?;
        let name = &stripped[..close];
        let after = &stripped[close + 1..];
        let lit_end = after.find('{').unwrap_or(after.len());
        pieces.push((name, &after[..lit_end]));
        rest = &after[lit_end..];
    }
    let mut at = path.strip_prefix(head)?;
    let mut values = Vec::new();
    for (i, &(name, literal)) in pieces.iter().enumerate() {
        let last = i == pieces.len() - 1;
        let slashes = keep_slashes.iter().any(|k| k == name);
        // The parameter's value ends where the literal after it starts: the
        // last such place for the final piece, else the first after one
        // character.
        let end = if literal.is_empty() {
            if last { at.len() } else { return None }
        } else if last {
            let end = at.len().checked_sub(literal.len())?;
            (at.get(end..)? == literal).then_some(end)?
        } else {
            at.get(1..)?.find(literal)? + 1
        };
        let value = &at[..end];
        if value.is_empty() || (!slashes && value.contains('/')) {
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(value)
            .decode_utf8_lossy()
            .into_owned();
        values.push((name.to_string(), decoded));
        at = &at[end + literal.len()..];
    }
    at.is_empty().then_some(values)
}

/// The path item and operation `op` was collected from.
fn operation_of<'s>(
    openapi: &'s OpenAPI,
    op: &OperationInfo,
) -> Option<(&'s openapiv3::PathItem, &'s openapiv3::Operation)> {
    let item = openapi.paths.paths.get(&op.path)?.as_item()?;
    item.iter()
        .find(|(method, _)| method.eq_ignore_ascii_case(&op.method))
        .map(|(_, operation)| (item, operation))
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
fn check_value(openapi: &OpenAPI, p: &Parameter, text: &str, what: &str, out: &mut Vec<String>) {
    let data = p.parameter_data_ref();
    let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
        return;
    };
    let value = typed(openapi, schema, text);
    for mismatch in conformance::check(openapi, schema, &value) {
        out.push(format!("{what} `{}`: {}", data.name, mismatch.message));
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
    recording: &Recording,
    query_fields: Map<String, Value>,
    out: &mut Vec<String>,
) {
    let sent_body = !recording.body.is_empty();
    let Some(body_spec) = body_spec else {
        if sent_body {
            out.push("sends a body, but the operation takes none".into());
        }
        return;
    };
    let media = recording.content_type.as_deref().map(|c| {
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
                out.push(format!(
                    "sends its body as `{}`; the spec accepts {}",
                    other.unwrap_or("(no content type)"),
                    op.body_content_types.join(", ")
                ));
                return;
            }
        }
    } else if query_fields.is_empty() {
        if body_spec.required {
            out.push(format!(
                "sends no body; the spec requires one ({})",
                op.body_content_types.join(", ")
            ));
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
    let value = if !sent_body {
        Value::Object(Map::new())
    } else if content_type == "application/x-www-form-urlencoded" {
        match serde_urlencoded::from_str::<Vec<(String, String)>>(&recording.body) {
            Ok(pairs) => form_object(openapi, schema, &pairs),
            Err(e) => {
                out.push(format!("the form body does not parse: {e}"));
                return;
            }
        }
    } else if content_type == "application/json" {
        match serde_json::from_str(&recording.body) {
            Ok(value) => value,
            Err(e) => {
                out.push(format!("the JSON body does not parse: {e}"));
                return;
            }
        }
    } else {
        return; // multipart and raw bodies: the content type is all there is to check
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
        out.push(format!("body {mismatch}"));
    }
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
fn check_auth(openapi: &OpenAPI, recording: &Recording, out: &mut Vec<String>) {
    let Some(scheme) = &recording.auth else {
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
        out.push(format!(
            "sends `Authorization: {scheme} ...`; the spec declares no such scheme"
        ));
    }
}
