//! Does a JSON value fit a schema of the spec, as the generated client will
//! decode it?
//!
//! A quick, compile-free approximation of the generated serde types, used by
//! `cargo xtask spec-check` to point a spec author at the field of a docs
//! example that the spec does not accept. The authoritative test decodes the
//! examples with the generated types (`client/tests/suite/docs_examples.rs`).
//!
//! Rules follow the generated code: a missing or `null` optional property is
//! fine, unknown properties are ignored, a `x-gitcode-lenient` schema accepts
//! what its runtime type accepts, a string `enum` only its values.

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use crate::spec::extensions::LENIENT;

/// One place where the value does not fit, as a JSON path (`$.user.id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every mismatch between `value` and `schema`, as the generated client
/// decodes an answer: unknown properties are fine.
pub fn check(spec: &OpenAPI, schema: &ReferenceOr<Schema>, value: &Value) -> Vec<Mismatch> {
    let mut out = Vec::new();
    Checker {
        spec,
        out: &mut out,
        strict: false,
    }
    .visit(schema, value, "$".into(), 0);
    out
}

/// Every mismatch between a request body `value` and `schema`: as [`check`],
/// and a property the schema does not have (where it lists its properties
/// and takes no others) is a mismatch too, since the generated client could
/// not send it.
pub fn check_request(spec: &OpenAPI, schema: &ReferenceOr<Schema>, value: &Value) -> Vec<Mismatch> {
    let mut out = Vec::new();
    Checker {
        spec,
        out: &mut out,
        strict: true,
    }
    .visit(schema, value, "$".into(), 0);
    out
}

struct Checker<'a> {
    spec: &'a OpenAPI,
    out: &'a mut Vec<Mismatch>,
    /// Unknown properties are mismatches.
    strict: bool,
}

impl Checker<'_> {
    fn fail(&mut self, path: &str, message: String) {
        self.out.push(Mismatch {
            path: path.to_string(),
            message,
        });
    }

    fn visit(&mut self, schema: &ReferenceOr<Schema>, value: &Value, path: String, depth: usize) {
        if depth > 64 {
            return; // recursive schema; the value is deep enough
        }
        let spec = self.spec;
        let Some(schema) = resolve(spec, schema) else {
            self.fail(&path, "schema reference does not resolve".into());
            return;
        };
        if value.is_null() {
            return; // optional fields decode `null` as `None`
        }
        if let Some(lenient) = schema
            .schema_data
            .extensions
            .get(LENIENT)
            .and_then(|v| v.as_str())
        {
            if let Err(message) = lenient_accepts(lenient, value) {
                self.fail(&path, message);
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
                            &path,
                            format!("`{text}` is not one of the enum values {allowed:?}"),
                        );
                    }
                }
                other => self.fail(
                    &path,
                    format!("expected a string, found {}", describe(other)),
                ),
            },
            SchemaKind::Type(Type::Integer(_)) => {
                if !(value.is_i64() || value.is_u64()) {
                    self.fail(
                        &path,
                        format!("expected an integer, found {}", describe(value)),
                    );
                }
            }
            SchemaKind::Type(Type::Number(_)) => {
                if !value.is_number() {
                    self.fail(
                        &path,
                        format!("expected a number, found {}", describe(value)),
                    );
                }
            }
            SchemaKind::Type(Type::Boolean(_)) => {
                if !value.is_boolean() {
                    self.fail(
                        &path,
                        format!("expected a boolean, found {}", describe(value)),
                    );
                }
            }
            SchemaKind::Type(Type::Array(array)) => match value {
                Value::Array(items) => {
                    if let Some(item_schema) = &array.items {
                        let item_schema = item_schema.clone().unbox();
                        for (i, item) in items.iter().enumerate() {
                            self.visit(&item_schema, item, format!("{path}[{i}]"), depth + 1);
                        }
                    }
                }
                other => self.fail(
                    &path,
                    format!("expected an array, found {}", describe(other)),
                ),
            },
            SchemaKind::Type(Type::Object(object)) => match value {
                Value::Object(fields) => {
                    if self.strict && object.additional_properties.is_none() {
                        for name in fields.keys() {
                            if !object.properties.contains_key(name) {
                                let known: Vec<&str> =
                                    object.properties.keys().map(String::as_str).collect();
                                self.fail(
                                    &path,
                                    format!(
                                        "`{name}` is not a property of the schema (it has {})",
                                        known.join(", ")
                                    ),
                                );
                            }
                        }
                    }
                    for (name, property) in &object.properties {
                        let property = property.clone().unbox();
                        match fields.get(name) {
                            Some(field) => {
                                self.visit(&property, field, format!("{path}.{name}"), depth + 1)
                            }
                            None if object.required.contains(name) => {
                                self.fail(&path, format!("required property `{name}` is missing"))
                            }
                            None => {}
                        }
                    }
                }
                other => self.fail(
                    &path,
                    format!("expected an object, found {}", describe(other)),
                ),
            },
            SchemaKind::OneOf { one_of: options } | SchemaKind::AnyOf { any_of: options } => {
                let fits = options.iter().any(|option| {
                    let mut scratch = Vec::new();
                    Checker {
                        spec: self.spec,
                        out: &mut scratch,
                        strict: self.strict,
                    }
                    .visit(option, value, path.clone(), depth + 1);
                    scratch.is_empty()
                });
                if !fits {
                    self.fail(
                        &path,
                        format!("{} fits none of the alternatives", describe(value)),
                    );
                }
            }
            SchemaKind::AllOf { all_of } => {
                // Each part describes some of the properties: a property is
                // unknown only when no part has it, so the parts are visited
                // without that rule and it is applied here, to their union.
                if self.strict
                    && let Value::Object(fields) = value
                {
                    let known = properties_of_all(spec, all_of);
                    for name in fields.keys().filter(|n| !known.contains(n.as_str())) {
                        let listed: Vec<&str> = known.iter().copied().collect();
                        self.fail(
                            &path,
                            format!(
                                "`{name}` is not a property of the schema (it has {})",
                                listed.join(", ")
                            ),
                        );
                    }
                }
                for part in all_of {
                    Checker {
                        spec,
                        out: &mut *self.out,
                        strict: false,
                    }
                    .visit(part, value, path.clone(), depth + 1);
                }
            }
            SchemaKind::Not { .. } | SchemaKind::Any(_) => {}
        }
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

/// Follows `$ref`s to the schema they name.
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

pub fn resolve<'s>(spec: &'s OpenAPI, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
    match schema {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/schemas/")?;
            resolve(spec, spec.components.as_ref()?.schemas.get(name)?)
        }
    }
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
}
