//! How [`Args`](super::Args) reads an MCP tool call's JSON arguments where
//! they differ from flags (feature `mcp`): an id or number in the form the
//! agent did not send ([`other_form`]), `all_pages` ([`ALL_PAGES`]), a file
//! to upload as an object with its bytes in base64 ([`upload_file`]), and a
//! body of bytes in base64 ([`base64_argument`]). An agent never names a
//! file on the server's disk.

use base64::Engine;
use serde_json::Value;

use super::CliError;
use crate::multipart::UploadFile;

/// The argument of a list tool that asks for every page (codegen's
/// `mcp::ALL_PAGES`, which writes it into the schemas).
pub const ALL_PAGES: &str = "all_pages";

/// The other form of an id or number argument, for an operation that takes
/// the one the agent did not send: an integer as its digits (`7` → `"7"`),
/// a string of digits as the integer (`"7"` → `7`). The schemas let every
/// id argument be either (`anyOf` integer, string); this is where the
/// server makes the two the same. `None` for any other value.
///
/// ```
/// use gitcode::mcp::arguments::other_form;
/// use serde_json::json;
///
/// assert_eq!(other_form(&json!(7)), Some(json!("7")));
/// assert_eq!(other_form(&json!("7")), Some(json!(7)));
/// assert_eq!(other_form(&json!("seven")), None);
/// ```
pub fn other_form(value: &Value) -> Option<Value> {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(Value::String(n.to_string())),
        Value::String(text) => {
            let text = text.trim();
            if let Ok(n) = text.parse::<u64>() {
                Some(Value::from(n))
            } else {
                text.parse::<i64>().ok().map(Value::from)
            }
        }
        _ => None,
    }
}

/// A tool call's file argument `name`: `{file_name, content_base64,
/// media_type?}`. The error names the argument and what is missing.
pub(crate) fn upload_file(name: &str, value: &Value) -> Result<UploadFile, CliError> {
    let field = |key: &str| value.get(key).and_then(Value::as_str);
    let file_name = field("file_name").ok_or_else(|| {
        CliError::Usage(format!(
            "argument `{name}`: expected an object with `file_name` and `content_base64`"
        ))
    })?;
    let content = value
        .get("content_base64")
        .ok_or_else(|| CliError::Usage(format!("argument `{name}`: no `content_base64`")))?;
    let bytes = base64_argument(&format!("{name}.content_base64"), content)?;
    let mut file = UploadFile::new(file_name, bytes);
    // A media type that is not one is refused, before sending, by the
    // multipart form the request builds (`crate::multipart`).
    if let Some(media_type) = field("media_type") {
        file = file.content_type(media_type);
    }
    Ok(file)
}

/// The bytes of the base64 string argument `name`.
pub(crate) fn base64_argument(name: &str, value: &Value) -> Result<Vec<u8>, CliError> {
    let text = value
        .as_str()
        .ok_or_else(|| CliError::Usage(format!("argument `{name}`: expected a base64 string")))?;
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|e| CliError::Usage(format!("argument `{name}`: not base64 ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_id_has_one_other_form() {
        assert_eq!(other_form(&json!(7)), Some(json!("7")));
        assert_eq!(other_form(&json!(" 42 ")), Some(json!(42)));
        assert_eq!(other_form(&json!("-3")), Some(json!(-3)));
        assert_eq!(
            other_form(&json!("18446744073709551615")),
            Some(json!(u64::MAX))
        );
        assert_eq!(other_form(&json!("7a")), None);
        assert_eq!(other_form(&json!(1.5)), None);
        assert_eq!(other_form(&json!(true)), None);
    }

    #[test]
    fn a_file_argument_names_what_is_missing_or_wrong() {
        let error = |value: Value| upload_file("file", &value).unwrap_err().to_string();
        assert_eq!(
            error(json!({"content_base64": "aGk="})),
            "argument `file`: expected an object with `file_name` and `content_base64`"
        );
        assert_eq!(
            error(json!({"file_name": "a.txt"})),
            "argument `file`: no `content_base64`"
        );
        assert_eq!(
            error(json!({"file_name": "a.txt", "content_base64": 7})),
            "argument `file.content_base64`: expected a base64 string"
        );
        assert!(
            error(json!({"file_name": "a.txt", "content_base64": "%%"}))
                .starts_with("argument `file.content_base64`: not base64 (")
        );
        let file = upload_file(
            "file",
            &json!({"file_name": "a.txt", "content_base64": " aGk= "}),
        )
        .unwrap();
        assert_eq!(
            (file.file_name(), file.bytes().as_ref()),
            ("a.txt", &b"hi"[..])
        );
        assert_eq!(
            base64_argument("body_base64", &json!("aGk=")).unwrap(),
            b"hi"
        );
    }
}
