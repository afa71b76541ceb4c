//! Does a JSON value fit a schema of the spec, as the generated client will
//! decode it?
//!
//! A quick, compile-free approximation of the generated serde types, used by
//! `cargo xtask spec-check` to point a spec author at the field of a docs
//! example that the spec does not accept, by the peer-wire tests for request
//! bodies, and by `cargo xtask conformance` ([`crate::evidence::traffic`]) for the
//! answers a server really sent. The authoritative test decodes the examples
//! with the generated types (`client/tests/suite/docs_examples.rs`).
//!
//! Three sets of rules, one walk:
//! - [`check`], as the client decodes an answer: a missing or `null`
//!   property is fine, unknown properties are ignored, a `x-gitcode-lenient`
//!   schema accepts what its runtime type accepts, a string `enum` only its
//!   values;
//! - [`check_request`], as the client could send a body: the same, and a
//!   property the schema does not list (where it takes no others) is a
//!   mismatch;
//! - [`check_answer`], an answer held as evidence against the spec: the
//!   same as [`check_request`], and a `null` is a mismatch where the schema
//!   allows none. It allows one where it says `nullable: true`, where it is
//!   lenient (its runtime type reads `null` as none), where it is `{}` (any
//!   JSON), and for a list or a map, which the client reads as empty (pass
//!   `lenient_optional_fields`).
//!
//! Every [`Mismatch`] says what kind it is, the value it is about, and the
//! schema field it is at ([`SchemaField`]): the nearest named component
//! schema and the YAML keys within it, so that a caller holding the spec's
//! files can name the line to change.

use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use crate::spec::extensions::LENIENT;

/// What kind of disagreement a [`Mismatch`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MismatchKind {
    /// A property the schema does not list (only [`check_request`] and
    /// [`check_answer`] report it).
    UnknownProperty,
    /// A `null` where the schema allows none (only [`check_answer`]).
    Null,
    /// A value of another type than the schema says (a lenient type that
    /// does not take it, a value that fits no alternative of a `oneOf`).
    Type,
    /// A string the schema's `enum` does not list.
    Enum,
    /// A property the schema requires is missing.
    MissingRequired,
    /// A `$ref` that names no schema of the spec.
    Unresolved,
}

/// Where in the spec a mismatch is: a field of a schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaField {
    /// The component schema (`#/components/schemas/<name>`) the field
    /// belongs to: the last `$ref` followed on the way to it. `None` while
    /// still in the schema given to the check (an inline schema).
    pub schema: Option<String>,
    /// The YAML keys of the field: from the file's root for a component
    /// (`components`, `schemas`, `Issue`, `properties`, `title`), else from
    /// the schema given to the check (`items`, `properties`, `title`). For an
    /// unknown property, the keys of the `properties` it would be added to.
    pub keys: Vec<String>,
    /// The field within the schema, lists written `[]`: `labels[].name`;
    /// empty for the schema itself.
    pub path: String,
}

impl SchemaField {
    /// The field as a maintainer names it: `Issue.labels[].name`, `Issue`,
    /// `labels[].name` in an inline schema, `$` for an inline schema itself.
    pub fn display_name(&self) -> String {
        match (&self.schema, self.path.is_empty()) {
            (Some(schema), true) => schema.clone(),
            (Some(schema), false) if self.path.starts_with('[') => {
                format!("{schema}{}", self.path)
            }
            (Some(schema), false) => format!("{schema}.{}", self.path),
            (None, true) => "$".into(),
            (None, false) => self.path.clone(),
        }
    }

    fn property(&self, name: &str) -> SchemaField {
        let mut keys = self.keys.clone();
        keys.extend(["properties".to_string(), name.to_string()]);
        SchemaField {
            schema: self.schema.clone(),
            keys,
            path: join_field(&self.path, name),
        }
    }

    fn child(&self, key: &str, suffix: &str) -> SchemaField {
        let mut keys = self.keys.clone();
        keys.push(key.to_string());
        SchemaField {
            schema: self.schema.clone(),
            keys,
            path: format!("{}{suffix}", self.path),
        }
    }

    fn component(name: &str) -> SchemaField {
        SchemaField {
            schema: Some(name.to_string()),
            keys: vec!["components".into(), "schemas".into(), name.to_string()],
            path: String::new(),
        }
    }
}

fn join_field(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// One place where the value does not fit, as a JSON path (`$.user.id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Where in the value: a JSON path from `$`. For an unknown or missing
    /// property, the object that has (or lacks) it.
    pub path: String,
    /// What does not fit, in a sentence.
    pub message: String,
    /// What kind of disagreement it is.
    pub kind: MismatchKind,
    /// The schema field it is at.
    pub field: SchemaField,
    /// The value that does not fit (an unknown property's value; `null` for
    /// a missing property).
    pub value: Value,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Which disagreements a walk reports.
#[derive(Debug, Clone, Copy)]
struct Rules {
    /// Properties the schema does not list are mismatches.
    unknown_properties: bool,
    /// `null` where the schema allows none is a mismatch.
    nulls: bool,
}

const DECODE: Rules = Rules {
    unknown_properties: false,
    nulls: false,
};

/// Every mismatch between `value` and `schema`, as the generated client
/// decodes an answer: unknown properties and `null`s are fine.
pub fn check(spec: &OpenAPI, schema: &ReferenceOr<Schema>, value: &Value) -> Vec<Mismatch> {
    walk(spec, schema, value, DECODE)
}

/// Every mismatch between a request body `value` and `schema`: as [`check`],
/// and a property the schema does not have (where it lists its properties
/// and takes no others) is a mismatch too, since the generated client could
/// not send it.
pub fn check_request(spec: &OpenAPI, schema: &ReferenceOr<Schema>, value: &Value) -> Vec<Mismatch> {
    walk(
        spec,
        schema,
        value,
        Rules {
            unknown_properties: true,
            nulls: false,
        },
    )
}

/// Every disagreement between an answer the server sent, `value`, and the
/// `schema` the spec gives it: as [`check_request`], and a `null` where the
/// schema allows none (see the module's documentation for where it does).
///
/// ```
/// # use gitcode_codegen::evidence::conformance::{check_answer, MismatchKind};
/// let spec: openapiv3::OpenAPI = serde_yaml::from_str(
///     "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    User:\n      type: object\n      properties:\n        login: {type: string}\n",
/// ).unwrap();
/// let user = openapiv3::ReferenceOr::Reference { reference: "#/components/schemas/User".into() };
/// let found = check_answer(&spec, &user, &serde_json::json!({"login": null, "plan": "pro"}));
/// let kinds: Vec<_> = found.iter().map(|m| (m.kind, m.field.display_name())).collect();
/// assert_eq!(kinds, [
///     (MismatchKind::UnknownProperty, "User.plan".to_string()),
///     (MismatchKind::Null, "User.login".to_string()),
/// ]);
/// ```
pub fn check_answer(spec: &OpenAPI, schema: &ReferenceOr<Schema>, value: &Value) -> Vec<Mismatch> {
    walk(
        spec,
        schema,
        value,
        Rules {
            unknown_properties: true,
            nulls: true,
        },
    )
}

fn walk(
    spec: &OpenAPI,
    schema: &ReferenceOr<Schema>,
    value: &Value,
    rules: Rules,
) -> Vec<Mismatch> {
    let mut out = Vec::new();
    Checker {
        spec,
        out: &mut out,
        rules,
    }
    .visit(schema, value, "$".into(), &SchemaField::default(), 0);
    out
}

struct Checker<'a> {
    spec: &'a OpenAPI,
    out: &'a mut Vec<Mismatch>,
    rules: Rules,
}

impl Checker<'_> {
    fn fail(
        &mut self,
        kind: MismatchKind,
        path: &str,
        field: &SchemaField,
        value: &Value,
        message: String,
    ) {
        self.out.push(Mismatch {
            path: path.to_string(),
            message,
            kind,
            field: field.clone(),
            value: value.clone(),
        });
    }

    /// The mismatches of `value` against `schema` under `rules`, collected
    /// apart (to weigh the alternatives of a `oneOf`).
    fn scratch(
        &self,
        rules: Rules,
        schema: &ReferenceOr<Schema>,
        value: &Value,
        path: &str,
        field: &SchemaField,
        depth: usize,
    ) -> Vec<Mismatch> {
        let mut out = Vec::new();
        Checker {
            spec: self.spec,
            out: &mut out,
            rules,
        }
        .visit(schema, value, path.to_string(), field, depth);
        out
    }

    fn visit(
        &mut self,
        schema: &ReferenceOr<Schema>,
        value: &Value,
        path: String,
        field: &SchemaField,
        depth: usize,
    ) {
        if depth > 64 {
            return; // recursive schema; the value is deep enough
        }
        let spec = self.spec;
        let Some((name, schema)) = resolve_named(spec, schema) else {
            self.fail(
                MismatchKind::Unresolved,
                &path,
                field,
                value,
                "schema reference does not resolve".into(),
            );
            return;
        };
        // A type or a `null` is changed where the value's field is declared
        // (`field`, which may `$ref` a shared schema); an enum's values, the
        // properties and the items where the schema followed lists them.
        let named = name.map(SchemaField::component);
        let inside = named.as_ref().unwrap_or(field);
        let lenient = schema
            .schema_data
            .extensions
            .get(LENIENT)
            .and_then(|v| v.as_str());
        if value.is_null() {
            if self.rules.nulls && lenient.is_none() && !allows_null(schema) {
                self.fail(
                    MismatchKind::Null,
                    &path,
                    field,
                    value,
                    format!(
                        "`null`, but the schema ({}) is not `nullable`",
                        kind_name(schema)
                    ),
                );
            }
            return; // optional fields decode `null` as `None`
        }
        if let Some(lenient) = lenient {
            if let Err(message) = lenient_accepts(lenient, value) {
                self.fail(MismatchKind::Type, &path, field, value, message);
            }
            return;
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => match value {
                Value::String(text) => {
                    let allowed: Vec<&str> =
                        s.enumeration.iter().flatten().map(String::as_str).collect();
                    if !allowed.is_empty() && !allowed.contains(&text.as_str()) {
                        self.fail(
                            MismatchKind::Enum,
                            &path,
                            inside,
                            value,
                            format!("`{text}` is not one of the enum values {allowed:?}"),
                        );
                    }
                }
                other => self.fail(
                    MismatchKind::Type,
                    &path,
                    field,
                    value,
                    format!("expected a string, found {}", describe(other)),
                ),
            },
            SchemaKind::Type(Type::Integer(_)) => {
                if !(value.is_i64() || value.is_u64()) {
                    self.fail(
                        MismatchKind::Type,
                        &path,
                        field,
                        value,
                        format!("expected an integer, found {}", describe(value)),
                    );
                }
            }
            SchemaKind::Type(Type::Number(_)) => {
                if !value.is_number() {
                    self.fail(
                        MismatchKind::Type,
                        &path,
                        field,
                        value,
                        format!("expected a number, found {}", describe(value)),
                    );
                }
            }
            SchemaKind::Type(Type::Boolean(_)) => {
                if !value.is_boolean() {
                    self.fail(
                        MismatchKind::Type,
                        &path,
                        field,
                        value,
                        format!("expected a boolean, found {}", describe(value)),
                    );
                }
            }
            SchemaKind::Type(Type::Array(array)) => match value {
                Value::Array(items) => {
                    if let Some(item_schema) = &array.items {
                        let item_schema = item_schema.clone().unbox();
                        let item_field = inside.child("items", "[]");
                        for (i, item) in items.iter().enumerate() {
                            self.visit(
                                &item_schema,
                                item,
                                format!("{path}[{i}]"),
                                &item_field,
                                depth + 1,
                            );
                        }
                    }
                }
                other => self.fail(
                    MismatchKind::Type,
                    &path,
                    field,
                    value,
                    format!("expected an array, found {}", describe(other)),
                ),
            },
            SchemaKind::Type(Type::Object(object)) => match value {
                Value::Object(fields) => {
                    let others = match &object.additional_properties {
                        None => None,
                        Some(AdditionalProperties::Any(true)) => Some(None),
                        Some(AdditionalProperties::Any(false)) => None,
                        Some(AdditionalProperties::Schema(s)) => Some(Some(s.as_ref())),
                    };
                    for (name, extra) in fields
                        .iter()
                        .filter(|(name, _)| !object.properties.contains_key(*name))
                    {
                        match others {
                            Some(Some(schema)) => self.visit(
                                schema,
                                extra,
                                format!("{path}.{name}"),
                                &inside.child("additionalProperties", "{}"),
                                depth + 1,
                            ),
                            Some(None) => {}
                            None if self.rules.unknown_properties => {
                                let known: Vec<&str> =
                                    object.properties.keys().map(String::as_str).collect();
                                self.unknown(&path, inside, name, extra, &known);
                            }
                            None => {}
                        }
                    }
                    for (name, property) in &object.properties {
                        let property = property.clone().unbox();
                        match fields.get(name) {
                            Some(value) => self.visit(
                                &property,
                                value,
                                format!("{path}.{name}"),
                                &inside.property(name),
                                depth + 1,
                            ),
                            None if object.required.contains(name) => self.fail(
                                MismatchKind::MissingRequired,
                                &path,
                                &inside.property(name),
                                &Value::Null,
                                format!("required property `{name}` is missing"),
                            ),
                            None => {}
                        }
                    }
                }
                other => self.fail(
                    MismatchKind::Type,
                    &path,
                    field,
                    value,
                    format!("expected an object, found {}", describe(other)),
                ),
            },
            SchemaKind::OneOf { one_of: options } | SchemaKind::AnyOf { any_of: options } => {
                let key = match &schema.schema_kind {
                    SchemaKind::OneOf { .. } => "oneOf",
                    _ => "anyOf",
                };
                let option_field = inside.child(key, "");
                // The alternatives the client would decode the value as;
                // of those, the one that disagrees least under these rules.
                let best = options
                    .iter()
                    .filter(|option| {
                        self.scratch(DECODE, option, value, &path, &option_field, depth + 1)
                            .is_empty()
                    })
                    .map(|option| {
                        self.scratch(self.rules, option, value, &path, &option_field, depth + 1)
                    })
                    .min_by_key(Vec::len);
                match best {
                    Some(found) => self.out.extend(found),
                    None => self.fail(
                        MismatchKind::Type,
                        &path,
                        field,
                        value,
                        format!("{} fits none of the alternatives", describe(value)),
                    ),
                }
            }
            SchemaKind::AllOf { all_of } => {
                // Each part describes some of the properties: a property is
                // unknown only when no part has it, so the parts are visited
                // without that rule and it is applied here, to their union.
                if self.rules.unknown_properties
                    && let Value::Object(fields) = value
                {
                    let known = properties_of_all(spec, all_of);
                    let listed: Vec<&str> = known.iter().copied().collect();
                    for (name, extra) in fields.iter().filter(|(n, _)| !known.contains(n.as_str()))
                    {
                        self.unknown(&path, &inside.child("allOf", ""), name, extra, &listed);
                    }
                }
                let part_field = inside.child("allOf", "");
                for part in all_of {
                    Checker {
                        spec,
                        out: &mut *self.out,
                        rules: Rules {
                            unknown_properties: false,
                            ..self.rules
                        },
                    }
                    .visit(part, value, path.clone(), &part_field, depth + 1);
                }
            }
            SchemaKind::Not { .. } | SchemaKind::Any(_) => {}
        }
    }

    /// `name` (holding `value`) is in the object at `path` but not among the
    /// `known` properties of the schema at `field`.
    fn unknown(
        &mut self,
        path: &str,
        field: &SchemaField,
        name: &str,
        value: &Value,
        known: &[&str],
    ) {
        let mut at = field.property(name);
        at.keys.pop(); // where it would be added: the `properties`
        self.fail(
            MismatchKind::UnknownProperty,
            path,
            &at,
            value,
            format!(
                "`{name}` is not a property of the schema (it has {})",
                listing(known)
            ),
        );
    }
}

/// The names of `known`, the first [`LISTED`] of them where there are more.
fn listing(known: &[&str]) -> String {
    if known.len() <= LISTED {
        known.join(", ")
    } else {
        format!("{}, … ({} in all)", known[..LISTED].join(", "), known.len())
    }
}

/// How many property names a message lists.
const LISTED: usize = 8;

/// Whether a schema takes `null` by the spec's own word or by how the
/// client reads it: `nullable: true`, `{}`, a list, a map.
fn allows_null(schema: &Schema) -> bool {
    schema.schema_data.nullable
        || match &schema.schema_kind {
            SchemaKind::Any(_) | SchemaKind::Not { .. } => true,
            SchemaKind::Type(Type::Array(_)) => true,
            SchemaKind::Type(Type::Object(object)) => object.properties.is_empty(),
            _ => false,
        }
}

/// What a schema describes, in a word, for messages.
fn kind_name(schema: &Schema) -> &'static str {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => "an enum",
        SchemaKind::Type(Type::String(_)) => "a string",
        SchemaKind::Type(Type::Integer(_)) => "an integer",
        SchemaKind::Type(Type::Number(_)) => "a number",
        SchemaKind::Type(Type::Boolean(_)) => "a boolean",
        SchemaKind::Type(Type::Object(_)) => "an object",
        SchemaKind::Type(Type::Array(_)) => "an array",
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => "alternatives",
        SchemaKind::AllOf { .. } => "an allOf",
        SchemaKind::Not { .. } | SchemaKind::Any(_) => "a schema",
    }
}

/// What each hand-written lenient type in `gitcode::lenient` decodes.
fn lenient_accepts(name: &str, value: &Value) -> Result<(), String> {
    let ok = match name {
        "Id" => value.is_string() || value.is_i64() || value.is_u64(),
        "Timestamp" => value.is_string() || value.is_i64(),
        "Flag" => value.is_boolean() || value.is_i64() || value.is_string(),
        "State" => value.is_string(),
        "CommaList" => {
            value.is_string()
                || value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string))
        }
        _ => return Err(format!("unknown lenient type `{name}`")),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{name} does not accept {}", describe(value)))
    }
}

fn describe(value: &Value) -> String {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    let mut snippet = value.to_string();
    if snippet.len() > 40 {
        let mut cut = 40;
        while !snippet.is_char_boundary(cut) {
            cut -= 1;
        }
        snippet.truncate(cut);
        snippet.push('…');
    }
    format!("{kind} `{snippet}`")
}

/// The property names of every object part of an `allOf`, nested `allOf`s
/// included.
fn properties_of_all<'s>(
    spec: &'s OpenAPI,
    parts: &'s [ReferenceOr<Schema>],
) -> std::collections::BTreeSet<&'s str> {
    let mut names = std::collections::BTreeSet::new();
    for part in parts {
        match resolve(spec, part).map(|s| &s.schema_kind) {
            Some(SchemaKind::Type(Type::Object(object))) => {
                names.extend(object.properties.keys().map(String::as_str));
            }
            Some(SchemaKind::AllOf { all_of }) => names.extend(properties_of_all(spec, all_of)),
            _ => {}
        }
    }
    names
}

/// Follows `$ref`s to the schema they name.
pub fn resolve<'s>(spec: &'s OpenAPI, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
    resolve_named(spec, schema).map(|(_, schema)| schema)
}

/// Follows `$ref`s to the schema they name, with the name of the last
/// component followed (`None` for a schema given inline).
pub fn resolve_named<'s>(
    spec: &'s OpenAPI,
    schema: &'s ReferenceOr<Schema>,
) -> Option<(Option<&'s str>, &'s Schema)> {
    let mut current = schema;
    let mut name = None;
    for _ in 0..64 {
        match current {
            ReferenceOr::Item(s) => return Some((name, s)),
            ReferenceOr::Reference { reference } => {
                let target = reference.strip_prefix("#/components/schemas/")?;
                name = Some(target);
                current = spec.components.as_ref()?.schemas.get(target)?;
            }
        }
    }
    None // a cycle of references
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> OpenAPI {
        serde_yaml::from_str(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Id:
      x-gitcode-lenient: Id
      oneOf: [{type: integer}, {type: string}]
    User:
      type: object
      properties:
        id: {$ref: '#/components/schemas/Id'}
        login: {type: string}
        state: {type: string, enum: [open, closed]}
        labels:
          type: array
          items: {type: object, properties: {name: {type: string}}}
"#,
        )
        .unwrap()
    }

    fn user() -> ReferenceOr<Schema> {
        ReferenceOr::Reference {
            reference: "#/components/schemas/User".into(),
        }
    }

    #[test]
    fn lenient_ids_nulls_and_unknown_fields_fit() {
        let spec = spec();
        for value in [
            serde_json::json!({"id": 1, "login": "a", "extra": [1]}),
            serde_json::json!({"id": "65f0", "login": null}),
            serde_json::json!({}),
        ] {
            assert_eq!(check(&spec, &user(), &value), [], "{value}");
        }
    }

    #[test]
    fn mismatches_name_the_json_path() {
        let spec = spec();
        let value = serde_json::json!({"id": true, "state": "opened", "labels": [{"name": 3}]});
        let found: Vec<String> = check(&spec, &user(), &value)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "$.id: Id does not accept a boolean `true`",
                "$.state: `opened` is not one of the enum values [\"open\", \"closed\"]",
                "$.labels[0].name: expected a string, found an integer `3`",
            ]
        );
    }

    #[test]
    fn a_request_fits_an_all_of_when_every_property_is_in_some_part() {
        let spec = spec();
        let form: ReferenceOr<Schema> = serde_yaml::from_str(
            "allOf:\n  - $ref: '#/components/schemas/User'\n  - type: object\n    properties:\n      labels[]: {type: array, items: {type: string}}\n",
        )
        .unwrap();
        let fits = serde_json::json!({"login": "a", "labels[]": ["bug", "p1"]});
        assert_eq!(check_request(&spec, &form, &fits), []);
        let found: Vec<String> = check_request(
            &spec,
            &form,
            &serde_json::json!({"login": "a", "labelz": "bug", "labels[]": [1]}),
        )
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            found,
            [
                "$: `labelz` is not a property of the schema (it has id, labels, labels[], login, state)",
                "$.labels[][0]: expected a string, found an integer `1`",
            ]
        );
    }

    fn answer_spec() -> OpenAPI {
        serde_yaml::from_str(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Id:
      x-gitcode-lenient: Id
      oneOf: [{type: integer}, {type: string}]
    Timestamp:
      x-gitcode-lenient: Timestamp
      type: string
    Issue:
      type: object
      properties:
        number: {$ref: '#/components/schemas/Id'}
        closed_at: {$ref: '#/components/schemas/Timestamp'}
        title: {type: string}
        body: {type: string, nullable: true}
        state: {type: string, enum: [open, closed]}
        labels:
          type: array
          items: {type: object, properties: {name: {type: string}}}
        meta: {type: object, additionalProperties: {type: integer}}
        user: {$ref: '#/components/schemas/User'}
    User:
      type: object
      properties:
        login: {type: string}
"#,
        )
        .unwrap()
    }

    fn issue() -> ReferenceOr<Schema> {
        ReferenceOr::Reference {
            reference: "#/components/schemas/Issue".into(),
        }
    }

    /// (kind, field, JSON path, YAML keys) of each mismatch.
    fn summary(found: &[Mismatch]) -> Vec<(MismatchKind, String, String, String)> {
        found
            .iter()
            .map(|m| {
                (
                    m.kind,
                    m.field.display_name(),
                    m.path.clone(),
                    m.field.keys.join("/"),
                )
            })
            .collect()
    }

    #[test]
    fn an_answer_fits_where_the_spec_or_the_client_allows_it() {
        let spec = answer_spec();
        let value = serde_json::json!({
            "number": "7", "closed_at": "", "body": null, "labels": null, "meta": {"a": 1},
            "title": "t", "state": "open", "user": {"login": "u"},
        });
        assert_eq!(check_answer(&spec, &issue(), &value), []);
        let lenient_null = serde_json::json!({"number": null, "closed_at": null, "user": {}});
        assert_eq!(check_answer(&spec, &issue(), &lenient_null), []);
    }

    #[test]
    fn an_answer_names_each_kind_of_disagreement_and_its_schema_field() {
        let spec = answer_spec();
        let value = serde_json::json!({
            "number": true, "title": null, "state": "merged", "extra": {"x": 1},
            "labels": [{"name": "bug", "color": "red"}, {"name": 3}],
            "meta": {"a": "one"}, "user": {"login": null},
        });
        let found = check_answer(&spec, &issue(), &value);
        assert_eq!(
            summary(&found),
            [
                (
                    MismatchKind::UnknownProperty,
                    "Issue.extra".into(),
                    "$".into(),
                    "components/schemas/Issue/properties".into()
                ),
                (
                    MismatchKind::Type,
                    "Issue.number".into(),
                    "$.number".into(),
                    "components/schemas/Issue/properties/number".into()
                ),
                (
                    MismatchKind::Null,
                    "Issue.title".into(),
                    "$.title".into(),
                    "components/schemas/Issue/properties/title".into()
                ),
                (
                    MismatchKind::Enum,
                    "Issue.state".into(),
                    "$.state".into(),
                    "components/schemas/Issue/properties/state".into()
                ),
                (
                    MismatchKind::UnknownProperty,
                    "Issue.labels[].color".into(),
                    "$.labels[0]".into(),
                    "components/schemas/Issue/properties/labels/items/properties".into()
                ),
                (
                    MismatchKind::Type,
                    "Issue.labels[].name".into(),
                    "$.labels[1].name".into(),
                    "components/schemas/Issue/properties/labels/items/properties/name".into()
                ),
                (
                    MismatchKind::Type,
                    "Issue.meta{}".into(),
                    "$.meta.a".into(),
                    "components/schemas/Issue/properties/meta/additionalProperties".into()
                ),
                (
                    MismatchKind::Null,
                    "User.login".into(),
                    "$.user.login".into(),
                    "components/schemas/User/properties/login".into()
                ),
            ]
        );
        // The value each is about: an unknown property's own value.
        assert_eq!(found[0].value, serde_json::json!({"x": 1}));
        assert_eq!(found[4].value, serde_json::json!("red"));
        // The client's own rules report only the types and the enum.
        let decoded: Vec<MismatchKind> = check(&spec, &issue(), &value)
            .iter()
            .map(|m| m.kind)
            .collect();
        assert_eq!(
            decoded,
            [
                MismatchKind::Type,
                MismatchKind::Enum,
                MismatchKind::Type,
                MismatchKind::Type
            ]
        );
    }

    #[test]
    fn one_of_is_held_to_the_alternative_the_client_would_decode() {
        let spec = answer_spec();
        let either: ReferenceOr<Schema> = serde_yaml::from_str(
            "oneOf:\n  - {$ref: '#/components/schemas/User'}\n  - {type: array, items: {$ref: '#/components/schemas/User'}}\n",
        )
        .unwrap();
        let found = check_answer(
            &spec,
            &either,
            &serde_json::json!([{"login": "a", "id": 1}]),
        );
        assert_eq!(
            summary(&found),
            [(
                MismatchKind::UnknownProperty,
                "User.id".into(),
                "$[0]".into(),
                "components/schemas/User/properties".into()
            )]
        );
        let none = check_answer(&spec, &either, &serde_json::json!(3));
        assert_eq!(none.len(), 1);
        assert_eq!(none[0].kind, MismatchKind::Type);
        assert_eq!(
            none[0].message,
            "an integer `3` fits none of the alternatives"
        );
    }

    #[test]
    fn a_reference_cycle_or_a_missing_schema_is_reported_not_followed() {
        let spec: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
        )
        .unwrap();
        for name in ["A", "Missing"] {
            let schema = ReferenceOr::Reference {
                reference: format!("#/components/schemas/{name}"),
            };
            let found = check_answer(&spec, &schema, &serde_json::json!({}));
            assert_eq!(found.len(), 1, "{name}");
            assert_eq!(found[0].kind, MismatchKind::Unresolved, "{name}");
        }
    }
}
