//! The check of a tool call's arguments against the tool's `inputSchema`,
//! before anything is sent.
//!
//! The generated schemas use a small part of JSON Schema 2020-12 (the
//! keywords codegen's `tables::mcp::KEYWORDS` lists, checked by a test); this module
//! implements exactly that part, so that an error names the argument and
//! says what was expected in words an agent can act on. Annotations
//! (`description`, `default`, `format`, `contentEncoding`) are not checked.
//! A top-level `null` is taken as "not given", as many agents send it for
//! optional arguments; a required argument cannot be `null`.

use serde_json::{Map, Value};

// How the generated code reads an argument that passed this check is shared
// with the command line (`crate::invoke`); these are their old paths.
pub use crate::invoke::{ALL_PAGES, other_form};

/// The argument of a list tool that caps how many items `all_pages`
/// answers, as the generated schemas name it.
pub use crate::generated::mcp::MAX_ITEMS;

/// Checks `arguments` against `schema` (a tool's `inputSchema`). The error
/// names the argument (`per_page`, `labels[2]`) and what was expected.
pub fn check(schema: &Value, arguments: &Map<String, Value>) -> Result<(), String> {
    let properties = schema.get("properties").and_then(Value::as_object);
    for name in required(schema) {
        if arguments.get(name).is_none_or(Value::is_null) {
            return Err(format!("argument `{name}` is required"));
        }
    }
    for (name, value) in arguments {
        match properties.and_then(|p| p.get(name)) {
            Some(_) if value.is_null() => {}
            Some(property) => value_fits(property, value, name)?,
            None => {
                let mut known: Vec<&str> = properties
                    .into_iter()
                    .flat_map(|p| p.keys().map(String::as_str))
                    .collect();
                known.sort_unstable();
                return Err(format!(
                    "no argument `{name}`; this tool takes {}",
                    if known.is_empty() {
                        "no arguments".to_string()
                    } else {
                        known
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ));
            }
        }
    }
    Ok(())
}

fn required(schema: &Value) -> impl Iterator<Item = &str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// Whether `value` fits `schema`; the error names `at`.
fn value_fits(schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let Some(schema) = schema.as_object() else {
        return Ok(());
    };
    if let Some(types) = schema.get("type") {
        let names: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !names.iter().any(|t| is_type(value, t)) {
            return Err(format!(
                "argument `{at}`: expected {}, got {}",
                names
                    .iter()
                    .map(|t| article(t))
                    .collect::<Vec<_>>()
                    .join(" or "),
                describe(value)
            ));
        }
    }
    if let Some(Value::Array(allowed)) = schema.get("enum")
        && !allowed.contains(value)
    {
        let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
        return Err(format!(
            "argument `{at}`: expected one of {}, got {}",
            list.join(", "),
            value
        ));
    }
    if let Some(number) = value.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
            && number < min
        {
            return Err(format!(
                "argument `{at}`: expected at least {min}, got {value}"
            ));
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
            && number > max
        {
            return Err(format!(
                "argument `{at}`: expected at most {max}, got {value}"
            ));
        }
    }
    if let Some(text) = value.as_str() {
        let length = text.chars().count() as u64;
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
            && length < min
        {
            return Err(format!(
                "argument `{at}`: expected at least {min} characters, got {length}"
            ));
        }
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
            && length > max
        {
            return Err(format!(
                "argument `{at}`: expected at most {max} characters, got {length}"
            ));
        }
    }
    if let Some(items) = value.as_array() {
        let count = items.len() as u64;
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
            && count < min
        {
            return Err(format!(
                "argument `{at}`: expected at least {min} items, got {count}"
            ));
        }
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
            && count > max
        {
            return Err(format!(
                "argument `{at}`: expected at most {max} items, got {count}"
            ));
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                value_fits(item_schema, item, &format!("{at}[{i}]"))?;
            }
        }
    }
    if let Some(object) = value.as_object() {
        object_fits(schema, object, at)?;
    }
    if let Some(Value::Array(all)) = schema.get("allOf") {
        for part in all {
            value_fits(part, value, at)?;
        }
    }
    if let Some(Value::Array(any)) = schema.get("anyOf") {
        any_fits(any, value, at)?;
    }
    Ok(())
}

/// `anyOf`: one option must fit. The error is the one of the option of the
/// value's own type (`labels[1]: expected a string`), else a list of the
/// types the options take.
fn any_fits(options: &[Value], value: &Value, at: &str) -> Result<(), String> {
    let mut errors = Vec::new();
    for option in options {
        match value_fits(option, value, at) {
            Ok(()) => return Ok(()),
            Err(e) => errors.push(e),
        }
    }
    let same_type = options.iter().position(|o| {
        o.get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| is_type(value, t))
    });
    if let Some(i) = same_type {
        return Err(errors.swap_remove(i));
    }
    let kinds: Vec<String> = options
        .iter()
        .filter_map(|o| o.get("type").and_then(Value::as_str))
        .map(article)
        .collect();
    if kinds.len() == options.len() {
        Err(format!(
            "argument `{at}`: expected {}, got {}",
            kinds.join(" or "),
            describe(value)
        ))
    } else {
        Err(errors.swap_remove(0))
    }
}

/// The object keywords: `properties`, `required`, `additionalProperties`.
fn object_fits(
    schema: &Map<String, Value>,
    object: &Map<String, Value>,
    at: &str,
) -> Result<(), String> {
    let properties = schema.get("properties").and_then(Value::as_object);
    if let Some(Value::Array(required)) = schema.get("required") {
        for name in required.iter().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                return Err(format!("argument `{at}`: `{name}` is required"));
            }
        }
    }
    for (name, value) in object {
        let inner = format!("{at}.{name}");
        match (
            properties.and_then(|p| p.get(name)),
            schema.get("additionalProperties"),
        ) {
            (Some(property), _) => value_fits(property, value, &inner)?,
            (None, Some(Value::Bool(false))) => {
                return Err(format!("argument `{at}`: unexpected field `{name}`"));
            }
            (None, Some(extra @ Value::Object(_))) => value_fits(extra, value, &inner)?,
            (None, _) => {}
        }
    }
    Ok(())
}

fn is_type(value: &Value, name: &str) -> bool {
    match name {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64() || is_whole(value),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    }
}

/// `2.0` is an integer in JSON Schema.
fn is_whole(value: &Value) -> bool {
    value.as_f64().is_some_and(|f| f.fract() == 0.0)
}

fn article(type_name: &str) -> String {
    match type_name {
        "integer" | "array" | "object" => format!("an {type_name}"),
        "null" => "null".into(),
        other => format!("a {other}"),
    }
}

/// What a value is, in a few words (`the string "abc"`).
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            let more = if short.len() < s.len() { "…" } else { "" };
            format!("the string {:?}{more}", short)
        }
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "owner": {"type": "string"},
                "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
                "state": {"type": "string", "enum": ["open", "closed"]},
                "labels": {"anyOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {"type": "string"},
                ]},
                "file": {
                    "type": "object",
                    "properties": {"file_name": {"type": "string"}},
                    "required": ["file_name"],
                    "additionalProperties": false,
                },
            },
            "required": ["owner"],
            "additionalProperties": false,
        })
    }

    fn checked(arguments: Value) -> Result<(), String> {
        check(&schema(), arguments.as_object().unwrap())
    }

    #[test]
    fn an_id_of_either_form_fits_and_the_error_names_both() {
        let schema = json!({"type": "object", "properties": {
            "number": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string"}]},
        }});
        let at = |v: Value| check(&schema, json!({ "number": v }).as_object().unwrap());
        assert_eq!(at(json!(7)), Ok(()));
        assert_eq!(at(json!("7")), Ok(()));
        assert_eq!(
            at(json!(0)),
            Err("argument `number`: expected at least 1, got 0".into())
        );
        assert_eq!(
            at(json!(true)),
            Err("argument `number`: expected an integer or a string, got the boolean true".into())
        );
    }

    #[test]
    fn arguments_that_fit_pass() {
        assert_eq!(
            checked(json!({"owner": "a", "per_page": 100, "state": "open", "labels": ["x"]})),
            Ok(())
        );
        assert_eq!(checked(json!({"owner": "a", "labels": "x,y"})), Ok(()));
        assert_eq!(checked(json!({"owner": "a", "per_page": null})), Ok(()));
    }

    #[test]
    fn each_error_names_the_argument_and_what_was_expected() {
        let error = |v: Value| checked(v).unwrap_err();
        assert_eq!(error(json!({})), "argument `owner` is required");
        assert_eq!(
            error(json!({"owner": null})),
            "argument `owner` is required"
        );
        assert_eq!(
            error(json!({"owner": "a", "per_page": "ten"})),
            "argument `per_page`: expected an integer, got the string \"ten\""
        );
        assert_eq!(
            error(json!({"owner": "a", "per_page": 500})),
            "argument `per_page`: expected at most 100, got 500"
        );
        assert_eq!(
            error(json!({"owner": "a", "state": "merged"})),
            "argument `state`: expected one of \"open\", \"closed\", got \"merged\""
        );
        assert_eq!(
            error(json!({"owner": "a", "labels": 3})),
            "argument `labels`: expected an array or a string, got the number 3"
        );
        assert_eq!(
            error(json!({"owner": "a", "labels": ["x", 2]})),
            "argument `labels[1]`: expected a string, got the number 2"
        );
        assert_eq!(
            error(json!({"owner": "a", "file": {}})),
            "argument `file`: `file_name` is required"
        );
        assert_eq!(
            error(json!({"owner": "a", "file": {"file_name": "x", "path": "/etc/passwd"}})),
            "argument `file`: unexpected field `path`"
        );
        assert!(
            error(json!({"owner": "a", "ownr": "b"}))
                .starts_with("no argument `ownr`; this tool takes `file`, `labels`, `owner`")
        );
    }
}
