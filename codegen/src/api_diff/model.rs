//! The API of one version of the spec, reduced to facts that can be compared:
//! operations by `operationId`, shapes (component schemas and the inline
//! objects and enums of bodies, responses and parameters) by name,
//! webhook events, `x-gitcode-*` extensions by place, and documentation
//! text by place.
//!
//! It reads the merged document of the [`Bundle`](crate::spec::Bundle)
//! rather than the typed `openapiv3` one: every node is reached the same
//! way, and a `$ref` stays what the reader sees, a schema's name.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_yaml::{Mapping, Value};

use crate::spec::Spec;
use crate::spec::bundle::METHODS;
use crate::spec::extensions::{EVIDENCE, LENIENT, SEND_AS, SOURCES, WEBHOOKS};

/// Keys whose values only document: a change to them is "documentation only".
/// The evidence for a fact (`x-gitcode-evidence`, and the registry of its
/// sources) is documentation too: it changes no generated code but rustdoc.
pub const DOC_KEYS: [&str; 8] = [
    "description",
    "summary",
    "externalDocs",
    "example",
    "examples",
    "title",
    EVIDENCE,
    SOURCES,
];

/// Mappings whose keys are names chosen by the spec author (a property
/// called `description` is not documentation).
const NAME_KEYED: [&str; 8] = [
    "properties",
    "schemas",
    "parameters",
    "requestBodies",
    "responses",
    "headers",
    "securitySchemes",
    WEBHOOKS,
];

/// Where a shape's changes are listed in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Operations,
    Parameters,
    Schemas,
    WebhookEvents,
    Extensions,
    Other,
}

/// One version of the API.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// By `operationId`.
    pub operations: BTreeMap<String, Operation>,
    /// Component schemas by name (`Issue`); inline objects and enums by a
    /// path from their operation or schema: `create_issue/body`,
    /// `list_issues/200[]`, `list_issues/query/state`, `Issue.user`.
    pub shapes: BTreeMap<String, Shape>,
    /// Webhook event name → payload schema name.
    pub webhooks: BTreeMap<String, String>,
    /// `(place, extension)` → its value as JSON. `x-gitcode-webhooks` is
    /// compared as [`Api::webhooks`] instead.
    pub extensions: BTreeMap<(String, String), String>,
    /// Documentation text by place (`description`, `summary`, …).
    pub docs: BTreeMap<String, String>,
    /// The whole document without its documentation keys.
    pub skeleton: Value,
    /// Component schema → the operations and webhook events that reach it,
    /// directly or through other schemas.
    pub reached_by: BTreeMap<String, BTreeSet<String>>,
    /// Component schemas reached from a request (parameter or body).
    pub in_requests: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// `GET`.
    pub method: String,
    pub path: String,
    /// The docs category; each tag is one extension trait of the client.
    pub tag: String,
    /// By `(location, name)`: `("query", "state")`.
    pub parameters: BTreeMap<(String, String), Parameter>,
    pub body: Option<Body>,
    /// Status → the answer's type (`no content` when it has none).
    pub responses: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub required: bool,
    pub ty: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub content_type: String,
    pub required: bool,
    pub ty: String,
}

/// A schema with a name of its own: a component, or an inline object or
/// enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub component: bool,
    pub section: Section,
    pub ty: String,
    pub properties: BTreeMap<String, Property>,
    /// Enum values as written (`open`, `1`).
    pub enum_values: Vec<String>,
    /// A string enum: generated as an exhaustive Rust enum.
    pub string_enum: bool,
    /// `x-gitcode-lenient`: the hand-written type that replaces it.
    pub lenient: Option<String>,
    /// Part of a request (body or parameter).
    pub in_request: bool,
    /// The definition without documentation, to recognise a renamed schema.
    pub definition: Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub ty: String,
    pub required: bool,
}

impl Api {
    pub fn from_spec(spec: &Spec) -> Self {
        Self::from_document(&spec.bundle.document)
    }

    /// Reads a merged document (as bundled by [`crate::spec::bundle`]).
    pub fn from_document(doc: &Value) -> Self {
        let mut api = Api {
            skeleton: strip_docs(doc),
            ..Api::default()
        };
        let schemas = doc
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Value::as_mapping);
        for (name, schema) in schemas.into_iter().flatten() {
            let Some(name) = name.as_str() else { continue };
            api.walk(name.to_string(), schema, true, Section::Schemas);
        }
        for (path, method, op) in operations(doc) {
            api.read_operation(doc, path, method, op);
        }
        if let Some(events) = doc.get(WEBHOOKS).and_then(Value::as_mapping) {
            for (event, entry) in events {
                let (Some(event), Some(target)) =
                    (event.as_str(), entry.get("$ref").and_then(Value::as_str))
                else {
                    continue;
                };
                api.webhooks
                    .insert(event.to_string(), ref_name(target).to_string());
            }
        }
        collect_places(doc, &mut Vec::new(), &mut api, &place_names(doc));
        api.compute_reach(doc);
        let in_requests = api.in_requests.clone();
        for (name, shape) in &mut api.shapes {
            if in_requests.contains(name) {
                shape.in_request = true;
            }
        }
        api
    }

    fn read_operation(&mut self, doc: &Value, path: &str, method: &str, op: &Value) {
        let id = operation_id(path, method, op);
        let mut operation = Operation {
            method: method.to_uppercase(),
            path: path.to_string(),
            tag: op
                .get("tags")
                .and_then(Value::as_sequence)
                .and_then(|t| t.first())
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            parameters: BTreeMap::new(),
            body: None,
            responses: BTreeMap::new(),
        };
        let path_item = doc.get("paths").and_then(|p| p.get(path));
        let params = op
            .get("parameters")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .chain(
                path_item
                    .and_then(|i| i.get("parameters"))
                    .and_then(Value::as_sequence)
                    .into_iter()
                    .flatten(),
            );
        for param in params {
            let param = resolve(doc, param);
            let (Some(name), Some(location)) = (
                param.get("name").and_then(Value::as_str),
                param.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let key = (location.to_string(), name.to_string());
            if operation.parameters.contains_key(&key) {
                continue; // the operation's own wins over the path item's
            }
            let schema = param.get("schema").unwrap_or(&Value::Null);
            operation.parameters.insert(
                key,
                Parameter {
                    required: location == "path" || flag(param, "required"),
                    ty: describe(schema),
                },
            );
            self.walk_request(
                format!("{id}/{location}/{name}"),
                schema,
                Section::Parameters,
            );
        }
        if let Some(body) = op.get("requestBody") {
            let body = resolve(doc, body);
            // The content type the client sends: the one `x-gitcode-send-as`
            // names where the body lists several.
            let send_as = op.get(SEND_AS).and_then(Value::as_str);
            let content = body.get("content").and_then(Value::as_mapping);
            let chosen = content.and_then(|c| match send_as {
                Some(chosen) => c.iter().find(|(k, _)| k.as_str() == Some(chosen)),
                None => c.iter().next(),
            });
            if let Some((content_type, media)) = chosen {
                let schema = media.get("schema").unwrap_or(&Value::Null);
                // An inline body is generated as `<OperationId>Body`, the
                // name a component moved out of it keeps.
                let inline_name = format!("{}Body", id.to_upper_camel_case());
                let inline = schema.get("$ref").is_none();
                operation.body = Some(Body {
                    content_type: content_type.as_str().unwrap_or_default().to_string(),
                    required: flag(body, "required"),
                    ty: if inline {
                        inline_name.clone()
                    } else {
                        describe(schema)
                    },
                });
                self.walk_request(inline_name, schema, Section::Schemas);
            }
        }
        for (status, response) in op
            .get("responses")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
        {
            let status = yaml_scalar(status);
            let response = resolve(doc, response);
            let schema = response
                .get("content")
                .and_then(Value::as_mapping)
                .and_then(|c| c.values().next())
                .and_then(|media| media.get("schema"));
            let ty = schema.map_or_else(|| "no content".to_string(), describe);
            if let Some(schema) = schema {
                self.walk(format!("{id}/{status}"), schema, false, Section::Schemas);
            }
            operation.responses.insert(status, ty);
        }
        self.operations.insert(id, operation);
    }

    /// Like [`Api::walk`], marking the inline shapes found as request parts.
    fn walk_request(&mut self, name: String, schema: &Value, section: Section) {
        let before: BTreeSet<String> = self.shapes.keys().cloned().collect();
        self.walk(name, schema, false, section);
        for (name, shape) in &mut self.shapes {
            if !before.contains(name) {
                shape.in_request = true;
            }
        }
    }

    /// Records `schema` under `name` if it is a component, an object with
    /// properties or an enum, then the inline schemas inside it.
    fn walk(&mut self, name: String, schema: &Value, component: bool, section: Section) {
        if schema.get("$ref").is_some() && !component {
            return;
        }
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut properties = BTreeMap::new();
        for (prop, prop_schema) in schema
            .get("properties")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
        {
            let prop = yaml_scalar(prop);
            properties.insert(
                prop.clone(),
                Property {
                    ty: describe(prop_schema),
                    required: required.contains(prop.as_str()),
                },
            );
            self.walk(format!("{name}.{prop}"), prop_schema, false, section);
        }
        let enum_values: Vec<String> = schema
            .get("enum")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .map(yaml_scalar)
            .collect();
        if let Some(items) = schema.get("items") {
            self.walk(format!("{name}[]"), items, false, section);
        }
        if let Some(values) = schema
            .get("additionalProperties")
            .filter(|v| v.is_mapping())
        {
            self.walk(format!("{name}.*"), values, false, section);
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for (i, member) in schema
                .get(key)
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .enumerate()
            {
                self.walk(format!("{name}.{key}[{i}]"), member, false, section);
            }
        }
        if component || !properties.is_empty() || !enum_values.is_empty() {
            let string_enum = !enum_values.is_empty()
                && (schema.get("type").and_then(Value::as_str) == Some("string")
                    || schema
                        .get("enum")
                        .and_then(Value::as_sequence)
                        .is_some_and(|v| v.iter().all(Value::is_string)));
            self.shapes.insert(
                name,
                Shape {
                    component,
                    section,
                    ty: describe(schema),
                    properties,
                    enum_values,
                    string_enum,
                    lenient: schema
                        .get(LENIENT)
                        .and_then(Value::as_str)
                        .map(String::from),
                    in_request: false,
                    definition: strip_docs(schema),
                },
            );
        }
    }

    /// Which operations and webhook events reach each component schema,
    /// and which schemas are part of a request.
    fn compute_reach(&mut self, doc: &Value) {
        let schemas = doc
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Value::as_mapping);
        let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, schema) in schemas.into_iter().flatten() {
            edges.insert(yaml_scalar(name), schema_refs(schema));
        }
        let closure = |roots: Vec<String>| -> BTreeSet<String> {
            let mut seen = BTreeSet::new();
            let mut stack = roots;
            while let Some(name) = stack.pop() {
                if seen.insert(name.clone()) {
                    stack.extend(edges.get(&name).into_iter().flatten().cloned());
                }
            }
            seen
        };
        let mut reached_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut in_requests = BTreeSet::new();
        for (path, method, op) in operations(doc) {
            let id = operation_id(path, method, op);
            let resolved = |key: &str| -> Vec<Value> {
                match op.get(key) {
                    Some(Value::Sequence(items)) => {
                        items.iter().map(|p| resolve(doc, p).clone()).collect()
                    }
                    Some(Value::Mapping(map)) if key == "responses" => {
                        map.values().map(|r| resolve(doc, r).clone()).collect()
                    }
                    Some(other) => vec![resolve(doc, other).clone()],
                    None => Vec::new(),
                }
            };
            let request: Vec<String> = resolved("parameters")
                .iter()
                .chain(&resolved("requestBody"))
                .flat_map(schema_refs)
                .collect();
            let response: Vec<String> =
                resolved("responses").iter().flat_map(schema_refs).collect();
            let request = closure(request);
            for name in request.iter().chain(&closure(response)) {
                reached_by
                    .entry(name.clone())
                    .or_default()
                    .insert(id.clone());
            }
            in_requests.extend(request);
        }
        for (event, schema) in &self.webhooks {
            for name in closure(vec![schema.clone()]) {
                reached_by
                    .entry(name)
                    .or_default()
                    .insert(format!("event `{event}`"));
            }
        }
        self.reached_by = reached_by;
        self.in_requests = in_requests;
    }
}

/// A schema as a reviewer reads it: `string`, `integer(int64)`,
/// `array of Issue`, `map of string`, `oneOf(integer(int64), string)`,
/// `Issue (nullable)`. A `$ref` is named by its target.
pub fn describe(schema: &Value) -> String {
    let base = describe_base(schema);
    if flag(schema, "nullable") {
        format!("{base} (nullable)")
    } else {
        base
    }
}

fn describe_base(schema: &Value) -> String {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        return ref_name(target).to_string();
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(members) = schema.get(key).and_then(Value::as_sequence) {
            if key == "allOf" && members.len() == 1 {
                return describe(&members[0]);
            }
            let members: Vec<String> = members.iter().map(describe).collect();
            return format!("{key}({})", members.join(", "));
        }
    }
    let format = schema.get("format").and_then(Value::as_str);
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => format!(
            "array of {}",
            schema.get("items").map_or_else(|| "any".into(), describe)
        ),
        Some("object") | None if schema.get("properties").is_some() => "object".into(),
        Some("object") | None => match schema.get("additionalProperties") {
            Some(values) if values.is_mapping() => format!("map of {}", describe(values)),
            _ if schema.get("type").is_some() => "object".into(),
            _ => "any".into(),
        },
        // A string enum is its own Rust type, not a `String`.
        Some("string") if schema.get("enum").is_some() => "string enum".into(),
        Some(ty) => match format {
            Some(format) => format!("{ty}({format})"),
            None => ty.to_string(),
        },
    }
}

/// `#/components/schemas/Issue` → `Issue`; other targets as written.
pub fn ref_name(target: &str) -> &str {
    target
        .strip_prefix("#/components/schemas/")
        .unwrap_or(target)
}

/// The operations of a merged document: `(path, method, operation)`.
fn operations(doc: &Value) -> impl Iterator<Item = (&str, &str, &Value)> {
    doc.get("paths")
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(path, item)| Some((path.as_str()?, item.as_mapping()?)))
        .flat_map(|(path, item)| {
            item.iter().filter_map(move |(method, op)| {
                let method = method.as_str()?;
                METHODS.contains(&method).then_some((path, method, op))
            })
        })
}

fn operation_id(path: &str, method: &str, op: &Value) -> String {
    op.get("operationId")
        .and_then(Value::as_str)
        .map(String::from)
        .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()))
}

/// Follows `$ref`s to components other than schemas (a schema `$ref` is a
/// type name, kept as is).
fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..8 {
        let Some(target) = value.get("$ref").and_then(Value::as_str) else {
            break;
        };
        if target.starts_with("#/components/schemas/") {
            break;
        }
        let found = target
            .strip_prefix("#/")
            .and_then(|pointer| pointer.split('/').try_fold(doc, |node, key| node.get(key)));
        match found {
            Some(found) => value = found,
            None => break,
        }
    }
    value
}

/// The component schemas that `value` names with a `$ref`.
fn schema_refs(value: &Value) -> Vec<String> {
    let mut refs = Vec::new();
    crate::spec::check::collect_refs(value, &mut refs);
    refs.iter()
        .filter_map(|r| r.strip_prefix("#/components/schemas/"))
        .map(String::from)
        .collect()
}

fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// A scalar as written: `open`, `1`, `true`; anything else as YAML.
pub fn yaml_scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        other => to_json(other),
    }
}

fn to_json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}"))
}

/// `value` without documentation keys, at any depth.
pub fn strip_docs(value: &Value) -> Value {
    strip(value, false)
}

fn strip(value: &Value, name_keyed: bool) -> Value {
    match value {
        Value::Mapping(map) => {
            let mut out = Mapping::new();
            for (key, child) in map {
                let key_str = key.as_str().unwrap_or_default();
                if !name_keyed && DOC_KEYS.contains(&key_str) {
                    continue;
                }
                out.insert(key.clone(), strip(child, NAME_KEYED.contains(&key_str)));
            }
            Value::Mapping(out)
        }
        Value::Sequence(items) => Value::Sequence(items.iter().map(|v| strip(v, false)).collect()),
        other => other.clone(),
    }
}

/// `(path, method)` → operation id, to name the places under `paths`.
fn place_names(doc: &Value) -> BTreeMap<(String, String), String> {
    operations(doc)
        .map(|(path, method, op)| {
            (
                (path.to_string(), method.to_string()),
                operation_id(path, method, op),
            )
        })
        .collect()
}

/// Collects documentation text and `x-gitcode-*` extensions with their
/// place: `list_issues`, `list_issues/parameters/owner`, `Issue`,
/// `Issue/properties/state`.
fn collect_places(
    value: &Value,
    keys: &mut Vec<String>,
    api: &mut Api,
    ops: &BTreeMap<(String, String), String>,
) {
    let name_keyed = keys
        .last()
        .is_some_and(|k| NAME_KEYED.contains(&k.as_str()))
        && value.is_mapping();
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                let key = yaml_scalar(key);
                if !name_keyed && DOC_KEYS.contains(&key.as_str()) {
                    let text = match child {
                        Value::String(s) => s.clone(),
                        other => to_json(other),
                    };
                    api.docs.insert(format!("{}/{key}", place(keys, ops)), text);
                    continue;
                }
                if !name_keyed
                    && key.starts_with("x-gitcode-")
                    && !(keys.is_empty() && key == WEBHOOKS)
                {
                    api.extensions
                        .insert((place(keys, ops), key.clone()), to_json(child));
                    continue;
                }
                keys.push(key);
                collect_places(child, keys, api, ops);
                keys.pop();
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                let key = item
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or_else(|| i.to_string(), String::from);
                keys.push(key);
                collect_places(item, keys, api, ops);
                keys.pop();
            }
        }
        _ => {}
    }
}

fn place(keys: &[String], ops: &BTreeMap<(String, String), String>) -> String {
    let (head, rest): (String, &[String]) = match keys {
        [paths, path, method, rest @ ..] if paths == "paths" => {
            match ops.get(&(path.clone(), method.clone())) {
                Some(id) => (id.clone(), rest),
                None => (keys[..3].join("/"), rest),
            }
        }
        [components, schemas, name, rest @ ..]
            if components == "components" && schemas == "schemas" =>
        {
            (name.clone(), rest)
        }
        [] => ("(top level)".to_string(), &[]),
        _ => (keys[0].clone(), &keys[1..]),
    };
    if rest.is_empty() {
        head
    } else {
        format!("{head}/{}", rest.join("/"))
    }
}
