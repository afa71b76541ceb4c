//! Every tool's schema against the types its call decodes into: arguments
//! made from each schema pass the server's check and an independent
//! validator, and reach the wire; arguments of the wrong type fail both.

use serde_json::{Map, Value, json};

use super::{Session, is_error, selection, text};
use crate::support::{Reply, Server};

/// A value that fits `schema`: the first enum value, the first type, the
/// minimum; every property of an object.
fn sample(schema: &Value) -> Value {
    if let Some(Value::Array(values)) = schema.get("enum") {
        return values.first().cloned().unwrap_or(Value::Null);
    }
    if let Some(Value::Array(options)) = schema.get("anyOf") {
        return options.first().map(sample).unwrap_or(Value::Null);
    }
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ => "string",
    };
    match ty {
        "string" => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2026-01-02T03:04:05Z"),
            Some("date") => json!("2026-01-02"),
            _ if schema.get("contentEncoding").is_some() => json!("aGVsbG8="),
            _ if schema["description"]
                .as_str()
                .is_some_and(|d| d.contains("media type")) =>
            {
                json!("text/plain")
            }
            _ => json!("x1"),
        },
        "integer" => json!(
            schema
                .get("minimum")
                .and_then(Value::as_i64)
                .unwrap_or(1)
                .max(1)
        ),
        "number" => {
            let min = schema.get("minimum").and_then(Value::as_f64).unwrap_or(0.0);
            let max = schema.get("maximum").and_then(Value::as_f64).unwrap_or(1.0);
            json!((min + max) / 2.0)
        }
        "boolean" => json!(true),
        "array" => json!([sample(schema.get("items").unwrap_or(&json!({})))]),
        "object" => {
            let mut object = Map::new();
            for (name, property) in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                object.insert(name.clone(), sample(property));
            }
            Value::Object(object)
        }
        _ => Value::Null,
    }
}

/// The generated schemas use only the keywords the server's check knows.
#[test]
fn schemas_use_only_the_keywords_the_check_implements() {
    fn walk(schema: &Value, tool: &str) {
        let Some(object) = schema.as_object() else {
            return;
        };
        for (key, value) in object {
            assert!(
                gitcode_codegen::tables::mcp::KEYWORDS.contains(&key.as_str()),
                "`{tool}`: keyword `{key}`"
            );
            match key.as_str() {
                "items" | "additionalProperties" => walk(value, tool),
                "properties" => value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .for_each(|(_, p)| walk(p, tool)),
                "anyOf" | "allOf" => value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .for_each(|p| walk(p, tool)),
                _ => {}
            }
        }
    }
    for tool in gitcode::mcp::tools() {
        let schema: Value = serde_json::from_str(tool.input_schema).unwrap();
        walk(&schema, tool.name);
    }
}

#[tokio::test]
async fn every_tool_accepts_arguments_made_from_its_schema_and_sends_them() {
    let server = Server::start(vec![Reply::json(200, json!({}))]).await;
    // 281 calls and more: past the 50-a-minute limit the client keeps.
    let client = gitcode::Client::builder()
        .base_url(&server.url)
        .token(super::TOKEN)
        .no_rate_limit()
        .build()
        .unwrap();
    let session = Session::in_process(client, selection(&["all"], false, false)).await;
    let mut failures = Vec::new();
    for tool in gitcode::mcp::tools() {
        let schema: Value = serde_json::from_str(tool.input_schema).unwrap();
        let arguments = sample(&schema);
        let validator = jsonschema::draft202012::new(&schema).expect("a schema");
        if let Err(e) = validator.validate(&arguments) {
            failures.push(format!("`{}`: the sample does not fit: {e}", tool.name));
            continue;
        }
        let before = server.requests().len();
        let result = session.call(tool.name, arguments.clone()).await;
        if is_error(&result) && text(&result).contains("nothing was sent") {
            failures.push(format!(
                "`{}` refused {arguments}: {}",
                tool.name,
                text(&result)
            ));
        } else if server.requests().len() != before + 1 {
            failures.push(format!(
                "`{}` sent no request: {}",
                tool.name,
                text(&result)
            ));
        }

        // A property of the wrong type fails the independent validator and
        // the server's check alike, and sends nothing.
        if let Some((name, property)) = schema["properties"]
            .as_object()
            .and_then(|p| p.iter().next())
        {
            let wrong = if property.get("type") == Some(&json!("object")) {
                json!(7)
            } else {
                json!({"not": "this"})
            };
            let mut bad = arguments.as_object().unwrap().clone();
            bad.insert(name.clone(), wrong);
            let bad = Value::Object(bad);
            if validator.is_valid(&bad) {
                continue;
            }
            let before = server.requests().len();
            let result = session.call(tool.name, bad.clone()).await;
            if !is_error(&result) || server.requests().len() != before {
                failures.push(format!("`{}` accepted {bad}: {}", tool.name, text(&result)));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} tools:\n{}",
        failures.len(),
        failures.join("\n")
    );
    session.stop().await;
}
