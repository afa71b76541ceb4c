//! The MCP tools of `gitcode mcp`, generated from the spec: one tool per
//! operation, as a table (`client/src/generated/mcp.rs`).
//!
//! A tool is a CLI command seen by an agent (`crate::tables::cli::CommandModel`):
//! its arguments are the command's flags, named with `_` for `-`, so the
//! server sends a call through the same generated `execute` as the command
//! line, and every quirk the client handles holds for agents too. What this
//! module adds is what an agent reads before calling:
//!
//! - the description: the summary, what the agent must know to call it
//!   (undocumented, known issues, one page per call, bytes), the docs link;
//! - the `inputSchema`, a JSON Schema (2020-12, the MCP default dialect) of
//!   the path and query parameters and the request body's fields, converted
//!   from the spec's OpenAPI 3.0 schemas (`InputSchemas`).
//!
//! The schemas use only the keywords listed in [`KEYWORDS`]; the server's
//! argument check (`client/src/mcp/arguments.rs`) implements exactly those.
//! Every `type` is one type name, never a list: a value that may take
//! several types is an `anyOf` of single-type branches (`single_types`),
//! the form every model provider's schema dialect reads. Every id or
//! number argument ([`is_id_argument`]) takes an integer or a string, one
//! rule an agent can learn; the server converts the one to the other
//! where the operation takes the other.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value, json};

use super::cli::{BodyInput, CommandModel, Flag};
use crate::passes::area_features::feature_name;
use crate::spec::{OperationInfo, Spec};

/// Where the tool table goes, relative to the workspace root.
pub const MCP_FILE: &str = "client/src/generated/mcp.rs";

/// Every JSON Schema keyword a generated `inputSchema` may use.
pub const KEYWORDS: &[&str] = &[
    "type",
    "enum",
    "anyOf",
    "allOf",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "description",
    "default",
    "format",
    "contentEncoding",
];

/// How deep `$ref`s are followed into a body's nested objects; deeper
/// values are described, not typed.
const MAX_DEPTH: usize = 6;

/// Builds the tool table from the commands.
pub(crate) fn tools(commands: &[CommandModel<'_>], spec: &Spec) -> Result<syn::File, String> {
    let document = serde_json::to_value(&spec.bundle.document)
        .map_err(|e| format!("the spec is not JSON: {e}"))?;
    let schemas = InputSchemas {
        document: &document,
    };
    let rows = commands
        .iter()
        .map(|command| tool_row(command, &schemas))
        .collect::<Result<Vec<_>, _>>()?;
    let default_max_items = proc_macro2::Literal::usize_unsuffixed(DEFAULT_MAX_ITEMS as usize);
    Ok(syn::parse_quote! {
        //! The tools of `gitcode mcp` (see `crate::mcp`), one per operation.
        use crate::mcp::Tool;

        /// The argument of a list tool that caps how many items `all_pages`
        /// answers.
        pub const MAX_ITEMS: &str = #MAX_ITEMS;

        /// How many items `all_pages` answers when `max_items` is not
        /// given: the `default` every list tool's schema states.
        pub(crate) const DEFAULT_MAX_ITEMS: usize = #default_max_items;

        /// Every operation as a tool, in spec order.
        pub(crate) const TOOLS: &[Tool] = &[#(#rows)*];
    })
}

fn tool_row(command: &CommandModel<'_>, schemas: &InputSchemas<'_>) -> Result<TokenStream, String> {
    let op = command.op;
    let name = &op.operation_id;
    let cli = &command.command;
    let toolset = feature_name(&op.tag);
    let method = op.method.to_uppercase();
    let description = description(command);
    let schema = schemas.input_schema(command)?;
    let schema = serde_json::to_string(&schema).map_err(|e| e.to_string())?;
    let pages = pages_by_number(command);
    let destructive = op.method.eq_ignore_ascii_case("delete") || op.destructive.is_some();
    Ok(quote! {
        Tool {
            name: #name,
            command: #cli,
            toolset: #toolset,
            method: #method,
            description: #description,
            input_schema: #schema,
            pages: #pages,
            destructive: #destructive,
        },
    })
}

/// What an agent reads before calling: the summary, what it must know,
/// the docs link.
fn description(command: &CommandModel<'_>) -> String {
    let op = command.op;
    let mut parts = vec![format!("{}.", op.summary.trim_end_matches('.'))];
    if let Some(what) = &op.destructive {
        parts.push(format!("Destructive: {}", fold(what)));
    }
    if let Some(undocumented) = &op.undocumented {
        parts.push(format!(
            "Undocumented: GitCode's docs lack this operation; {} sends it ({}).",
            undocumented.client, undocumented.source
        ));
    }
    if op.unverified {
        parts.push("Unverified: the docs are all that is known of it.".into());
    }
    if let Some(issue) = &op.known_issue {
        parts.push(format!("Known issue: {}", fold(issue)));
    }
    if pages_by_number(command) {
        parts.push(
            "One page per call (`page`, `per_page`; the result's last line says what follows), \
             or every page with `all_pages` (up to `max_items`)."
                .into(),
        );
    }
    if let Some(cursor) = &op.cursor {
        parts.push(format!(
            "One answer per call: pass the answer's `{cursor}` back as `{cursor}` for the next."
        ));
    }
    if command.raw {
        parts.push("Answers with bytes, returned as base64 with their media type.".into());
    }
    for name in &op.keep_slashes {
        parts.push(format!("`{name}` may hold slashes (`dir/file.txt`)."));
    }
    if let Some(url) = &op.docs_url {
        parts.push(format!("Docs: {url}"));
    }
    parts.join(" ")
}

/// A list read one numbered page per call (`page`, `per_page`), not by a
/// cursor: its tool has `all_pages` and says how it pages.
fn pages_by_number(command: &CommandModel<'_>) -> bool {
    command.paginated && command.op.cursor.is_none()
}

/// Text on one line.
fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// JSON Schemas of a command's arguments, from the merged spec.
struct InputSchemas<'a> {
    document: &'a Value,
}

impl InputSchemas<'_> {
    /// The `inputSchema` of a command: one property per flag.
    fn input_schema(&self, command: &CommandModel<'_>) -> Result<Value, String> {
        let op = command.op;
        let operation = self
            .document
            .pointer(&format!(
                "/paths/{}/{}",
                pointer_escape(&op.path),
                op.method
            ))
            .ok_or_else(|| format!("`{}`: not in the merged spec", op.operation_id))?;
        let parameters = self.parameters(op, operation);
        let body = self.body(op, operation);
        let pages = pages_by_number(command);

        let mut properties = Map::new();
        let mut required = Vec::new();
        for flag in &command.flags {
            let argument = flag.name.replace('-', "_");
            let key = rust_name(flag);
            let (mut schema, needed) = if flag.in_body {
                let body = body.as_ref().ok_or_else(|| {
                    format!(
                        "`{}`: body field `{argument}` but no body schema",
                        op.operation_id
                    )
                })?;
                let (name, property) = body
                    .properties
                    .iter()
                    .find(|(name, _)| name.to_snake_case() == key)
                    .ok_or_else(|| {
                        format!("`{}`: no body property for `{argument}`", op.operation_id)
                    })?;
                let mut schema = self.convert(property, 0);
                if flag.is_file() {
                    let text = schema["description"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    schema = file_schema();
                    set_description(
                        &mut schema,
                        &format!("{text} A file to upload, with its bytes in base64."),
                    );
                }
                (schema, body.required.contains(name))
            } else {
                let (_, parameter) = parameters
                    .iter()
                    .find(|(name, _)| name.to_snake_case() == key)
                    .ok_or_else(|| {
                        format!("`{}`: no parameter for `{argument}`", op.operation_id)
                    })?;
                let mut schema = parameter
                    .get("schema")
                    .map(|s| self.convert(s, 0))
                    .unwrap_or_else(|| json!({}));
                if let Some(text) = parameter.get("description").and_then(Value::as_str) {
                    set_description(&mut schema, text);
                }
                (schema, flag.required)
            };
            if is_id_argument(&argument) {
                schema = integer_or_string(schema);
            }
            // `page` and `per_page` of a paged list: the tool's description
            // says how paging goes, and the schema's limits say the rest.
            if pages
                && matches!(argument.as_str(), "page" | "per_page")
                && let Some(object) = schema.as_object_mut()
            {
                object.remove("description");
            }
            if needed {
                required.push(Value::from(argument.clone()));
            }
            properties.insert(argument, schema);
        }
        if pages {
            properties.insert(ALL_PAGES.into(), all_pages_schema());
            properties.insert(MAX_ITEMS.into(), max_items_schema());
        }
        match &command.body {
            BodyInput::Json(_) if !command.flags.iter().any(|f| f.in_body) => {
                if let Some(body) = &body {
                    let mut schema = self.convert(&body.schema, 0);
                    if schema.get("description").is_none() {
                        set_description(&mut schema, "The request body.");
                    }
                    if body.required_body {
                        required.push("json_body".into());
                    }
                    properties.insert("json_body".into(), schema);
                }
            }
            BodyInput::Bytes => {
                properties.insert(
                    "body_base64".into(),
                    json!({
                        "type": "string",
                        "contentEncoding": "base64",
                        "description": "The request body: the bytes to send, base64-encoded.",
                    }),
                );
                required.push("body_base64".into());
            }
            _ => {}
        }
        let mut schema = json!({
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        });
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        Ok(schema)
    }

    /// The operation's parameters (its own, then its path's), by name.
    fn parameters(&self, op: &OperationInfo, operation: &Value) -> Vec<(String, Value)> {
        let path_level = self
            .document
            .pointer(&format!("/paths/{}/parameters", pointer_escape(&op.path)));
        let mut out: Vec<(String, Value)> = Vec::new();
        for list in [operation.get("parameters"), path_level]
            .into_iter()
            .flatten()
        {
            for parameter in list.as_array().into_iter().flatten() {
                let parameter = self.resolve(parameter);
                if let Some(name) = parameter.get("name").and_then(Value::as_str)
                    && !out.iter().any(|(n, _)| n == name)
                {
                    out.push((name.to_string(), parameter.clone()));
                }
            }
        }
        out
    }

    /// The schema of the body the client sends, if any.
    fn body(&self, op: &OperationInfo, operation: &Value) -> Option<Body> {
        let body = self.resolve(operation.get("requestBody")?);
        let content_type = op.body_content_type.as_deref()?;
        let schema = body
            .get("content")?
            .get(content_type)?
            .get("schema")?
            .clone();
        let resolved = self.resolve(&schema);
        let properties = resolved
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        let required = resolved
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        Some(Body {
            required_body: body.get("required").and_then(Value::as_bool) == Some(true),
            schema,
            properties,
            required,
        })
    }

    /// Follows a local `$ref` (`#/components/...`) to what it names.
    fn resolve<'v>(&'v self, value: &'v Value) -> &'v Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference
                .strip_prefix('#')
                .and_then(|pointer| self.document.pointer(pointer))
                .map(|target| self.resolve(target))
                .unwrap_or(value),
            None => value,
        }
    }

    /// An OpenAPI 3.0 schema as JSON Schema 2020-12, with `$ref`s inlined
    /// and only [`KEYWORDS`].
    fn convert(&self, schema: &Value, depth: usize) -> Value {
        let Some(object) = schema.as_object() else {
            return json!({});
        };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let target = self.resolve(schema);
            let mut out = match target.get("x-gitcode-lenient").and_then(Value::as_str) {
                Some(kind) => lenient(kind, target),
                None if depth >= MAX_DEPTH => json!({}),
                None if std::ptr::eq(target, schema) => json!({}),
                None => self.convert(target, depth + 1),
            };
            if target.get("x-gitcode-lenient").is_none() && depth >= MAX_DEPTH {
                let name = reference.rsplit('/').next().unwrap_or(reference);
                set_description(&mut out, &format!("A `{name}` object."));
            }
            // OpenAPI 3.0 ignores a `$ref`'s siblings; the spec uses a
            // sibling `description` to say what this use of it means.
            if let Some(text) = object.get("description").and_then(Value::as_str) {
                set_description(&mut out, text);
            }
            if target.get("x-gitcode-lenient").and_then(Value::as_str) == Some("CommaList") {
                // The use's own words, else the type's (which speak of
                // answers too): then the forms an argument takes.
                let text = object
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("Names.");
                set_description(
                    &mut out,
                    &format!(
                        "{}. An array, or one comma-separated string.",
                        fold(text).trim_end_matches('.')
                    ),
                );
            }
            return out;
        }
        let mut out = Map::new();
        for (key, value) in object {
            let converted = match key.as_str() {
                "type" | "enum" | "minimum" | "maximum" | "minLength" | "maxLength"
                | "minItems" | "maxItems" | "default" | "required" => value.clone(),
                "description" => Value::from(fold(value.as_str().unwrap_or_default())),
                "format" if is_standard_format(value) => value.clone(),
                "items" => self.convert(value, depth + 1),
                "additionalProperties" if value.is_boolean() => value.clone(),
                "additionalProperties" => self.convert(value, depth + 1),
                "properties" => {
                    let mut properties = Map::new();
                    for (name, property) in value.as_object().into_iter().flatten() {
                        let target = self.resolve(property);
                        if target.get("readOnly").and_then(Value::as_bool) == Some(true) {
                            continue;
                        }
                        properties.insert(name.clone(), self.convert(property, depth + 1));
                    }
                    Value::Object(properties)
                }
                "oneOf" | "anyOf" | "allOf" => {
                    let list = value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|s| self.convert(s, depth + 1))
                        .collect();
                    let key = if key == "allOf" { "allOf" } else { "anyOf" };
                    out.insert(key.to_string(), Value::Array(list));
                    continue;
                }
                _ => continue,
            };
            out.insert(key.clone(), converted);
        }
        if object.get("nullable").and_then(Value::as_bool) == Some(true) {
            return nullable(out);
        }
        Value::Object(out)
    }
}

/// A request body: its schema, and its top-level properties and `required`.
struct Body {
    required_body: bool,
    schema: Value,
    properties: Vec<(String, Value)>,
    required: Vec<String>,
}

/// The schema of an argument that takes one of the hand-written lenient
/// types (`x-gitcode-lenient`): every form that type accepts.
fn lenient(kind: &str, target: &Value) -> Value {
    let mut schema = match kind {
        "Id" => single_types(&["string", "integer"]),
        "Flag" => single_types(&["boolean", "integer", "string"]),
        "CommaList" => json!({
            "anyOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "string"},
            ],
        }),
        _ => json!({"type": "string"}),
    };
    if let Some(text) = target.get("description").and_then(Value::as_str) {
        set_description(&mut schema, text);
    }
    schema
}

/// The argument that asks a list tool for every page, and its cap.
pub const ALL_PAGES: &str = "all_pages";
pub const MAX_ITEMS: &str = "max_items";
/// How many items `all_pages` returns unless `max_items` says otherwise,
/// and the most it may say.
pub const DEFAULT_MAX_ITEMS: u64 = 1000;
pub const MOST_MAX_ITEMS: u64 = 10_000;

fn all_pages_schema() -> Value {
    json!({
        "type": "boolean",
        "description": "Every page's items in one array, from page 1.",
    })
}

/// Its name says what it is; `all_pages` and the tool's description say
/// what it does.
fn max_items_schema() -> Value {
    json!({
        "type": "integer",
        "minimum": 1,
        "maximum": MOST_MAX_ITEMS,
        "default": DEFAULT_MAX_ITEMS,
    })
}

/// An id or number argument: `number`, `id`, `iid`, or a name ending in
/// `_id` or `_number`. Each takes an integer or a string.
pub fn is_id_argument(name: &str) -> bool {
    matches!(name, "number" | "id" | "iid") || name.ends_with("_id") || name.ends_with("_number")
}

/// `anyOf` one branch per type name, each `{"type": name}`.
fn single_types(names: &[&str]) -> Value {
    json!({ "anyOf": names.iter().map(|t| json!({"type": t})).collect::<Vec<_>>() })
}

/// An id or number argument's schema, made to take an integer or a
/// string: a schema of one of the two becomes an `anyOf` of both, the
/// constraints kept on the branch they belong to; one that takes both
/// already (the lenient `Id`) is left as it is.
fn integer_or_string(schema: Value) -> Value {
    let Value::Object(mut object) = schema else {
        return schema;
    };
    let ty = object.get("type").and_then(Value::as_str).map(String::from);
    if !matches!(ty.as_deref(), Some("string" | "integer")) || object.contains_key("enum") {
        return Value::Object(object);
    }
    object.remove("type");
    let mut integer = Map::from_iter([("type".to_string(), json!("integer"))]);
    let mut string = Map::from_iter([("type".to_string(), json!("string"))]);
    for key in ["minimum", "maximum"] {
        if let Some(value) = object.remove(key) {
            integer.insert(key.into(), value);
        }
    }
    for key in ["minLength", "maxLength", "format"] {
        if let Some(value) = object.remove(key) {
            string.insert(key.into(), value);
        }
    }
    // The type the operation takes comes first.
    let branches = if ty.as_deref() == Some("integer") {
        [integer, string]
    } else {
        [string, integer]
    };
    object.insert(
        "anyOf".into(),
        Value::Array(branches.into_iter().map(Value::Object).collect()),
    );
    Value::Object(object)
}

/// A nullable schema (OpenAPI 3.0's `nullable: true`): an `anyOf` of the
/// schema and `{"type": "null"}`, with the description and default outside.
fn nullable(mut schema: Map<String, Value>) -> Value {
    let mut outer = Map::new();
    for key in ["description", "default"] {
        if let Some(value) = schema.remove(key) {
            outer.insert(key.into(), value);
        }
    }
    let null = json!({"type": "null"});
    let mut branches = match schema.remove("anyOf") {
        Some(Value::Array(list)) if schema.is_empty() => list,
        Some(any) => {
            schema.insert("anyOf".into(), any);
            vec![Value::Object(schema)]
        }
        None if schema.is_empty() => Vec::new(),
        None => vec![Value::Object(schema)],
    };
    if branches.is_empty() {
        // `{}` takes `null` already.
        return Value::Object(outer);
    }
    if !branches.contains(&null) {
        branches.push(null);
    }
    outer.insert("anyOf".into(), Value::Array(branches));
    Value::Object(outer)
}

/// The schema of a file to upload.
fn file_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "file_name": {"type": "string", "description": "The file's name."},
            "content_base64": {
                "type": "string",
                "contentEncoding": "base64",
                "description": "The file's bytes, base64-encoded.",
            },
            "media_type": {"type": "string", "description": "The file's media type (optional)."},
        },
        "required": ["file_name", "content_base64"],
        "additionalProperties": false,
    })
}

/// Sets (or replaces) a schema's description, on one line.
fn set_description(schema: &mut Value, text: &str) {
    if let Some(object) = schema.as_object_mut() {
        object.insert("description".into(), Value::from(fold(text)));
    }
}

/// JSON Schema's own formats (OpenAPI's `int64`, `binary` and the like are
/// dropped: 2020-12 does not know them).
fn is_standard_format(format: &Value) -> bool {
    matches!(
        format.as_str(),
        Some("date-time" | "date" | "time" | "email" | "uri" | "uuid")
    )
}

/// The builder setter's name as the spec names the value (`type_` → `type`).
fn rust_name(flag: &Flag) -> String {
    flag.setter
        .to_string()
        .trim_start_matches("r#")
        .trim_end_matches('_')
        .to_string()
}

/// A JSON pointer token (`/` → `~1`, `~` → `~0`).
fn pointer_escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(document: &Value, schema: Value) -> Value {
        InputSchemas { document }.convert(&schema, 0)
    }

    #[test]
    fn openapi_3_0_becomes_json_schema_2020_12() {
        let document = json!({});
        assert_eq!(
            convert(
                &document,
                json!({"type": "integer", "format": "int64", "nullable": true, "minimum": 1,
                       "example": 3, "description": "Page\n  number."})
            ),
            json!({"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}],
                   "description": "Page number."})
        );
        assert_eq!(
            convert(
                &document,
                json!({"type": "string", "enum": ["a", "b"], "nullable": true})
            ),
            json!({"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "null"}]})
        );
        assert_eq!(
            convert(
                &document,
                json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
            ),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(
            convert(&document, json!({"type": "string", "format": "binary"})),
            json!({"type": "string"})
        );
    }

    #[test]
    fn id_arguments_take_an_integer_or_a_string() {
        for name in ["number", "id", "iid", "role_id", "milestone_number"] {
            assert!(is_id_argument(name), "{name}");
        }
        for name in ["numbers", "identity", "per_page", "valid"] {
            assert!(!is_id_argument(name), "{name}");
        }
        assert_eq!(
            integer_or_string(json!({"type": "integer", "minimum": 1, "description": "Its id."})),
            json!({"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string"}],
                   "description": "Its id."})
        );
        assert_eq!(
            integer_or_string(json!({"type": "string", "maxLength": 40})),
            json!({"anyOf": [{"type": "string", "maxLength": 40}, {"type": "integer"}]})
        );
        let both = single_types(&["string", "integer"]);
        assert_eq!(integer_or_string(both.clone()), both);
        let listed = json!({"type": "string", "enum": ["a"]});
        assert_eq!(integer_or_string(listed.clone()), listed);
    }

    #[test]
    fn a_nullable_lenient_or_combined_schema_is_one_anyof() {
        let document = json!({"components": {"schemas": {
            "Id": {"x-gitcode-lenient": "Id", "type": "string"},
        }}});
        assert_eq!(
            convert(&document, json!({"$ref": "#/components/schemas/Id"})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(
            convert(
                &document,
                json!({"nullable": true, "description": "Either.",
                       "oneOf": [{"type": "string"}, {"type": "integer"}]})
            ),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}],
                   "description": "Either."})
        );
        assert_eq!(convert(&document, json!({"nullable": true})), json!({}));
    }

    #[test]
    fn refs_are_inlined_read_only_fields_dropped_and_cycles_stop() {
        let document = json!({"components": {"schemas": {
            "Labels": {"x-gitcode-lenient": "CommaList", "type": "string", "description": "Names."},
            "Node": {"type": "object", "properties": {
                "id": {"type": "integer", "readOnly": true},
                "name": {"type": "string"},
                "child": {"$ref": "#/components/schemas/Node"},
            }},
        }}});
        let labels = convert(
            &document,
            json!({"$ref": "#/components/schemas/Labels", "description": "Label names."}),
        );
        assert_eq!(labels["anyOf"][0]["type"], "array");
        assert_eq!(
            labels["description"],
            "Label names. An array, or one comma-separated string."
        );
        let node = convert(&document, json!({"$ref": "#/components/schemas/Node"}));
        assert!(node["properties"].get("id").is_none(), "{node}");
        assert_eq!(node["properties"]["name"]["type"], "string");
        let mut depth = 0;
        let mut at = &node;
        while let Some(child) = at["properties"].get("child") {
            depth += 1;
            at = child;
        }
        assert!(depth <= MAX_DEPTH, "{depth}");
        assert_eq!(
            convert(&document, json!({"$ref": "#/components/schemas/Missing"})),
            json!({})
        );
    }
}
