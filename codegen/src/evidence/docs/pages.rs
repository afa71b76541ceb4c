//! Reading the official docs pages (`gitcode-docs/en/*.md`): the response
//! examples they show, which the spec must accept.
//!
//! A page's `## Responses` section has a level-3 heading per status (the
//! code in backticks), a level-4 heading per media type, then `Example:` followed by one
//! JSON block, or `Examples:` followed by a JSON map of named examples
//! (`{"1": {"summary": ..., "value": ...}}`).

/// One JSON response example of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseExample {
    pub status: String,
    pub content_type: String,
    /// The example's name within an `Examples:` map, if it came from one.
    pub name: Option<String>,
    pub value: serde_json::Value,
}

impl ResponseExample {
    /// The body this example stands for. The docs site renders a list
    /// response's example as one item (an `Examples:` map has one entry per
    /// item), so a non-array example, for an operation whose documented
    /// schema is an array, stands for a one-item list.
    pub fn body(&self, expects_array: bool) -> serde_json::Value {
        if expects_array && !self.value.is_array() && !self.value.is_null() {
            serde_json::Value::Array(vec![self.value.clone()])
        } else {
            self.value.clone()
        }
    }
}

/// Where an operation's page lives: the last segment of its docs URL.
pub fn page_slug(url: &str) -> Option<&str> {
    let slug = url.trim_end_matches('/').rsplit('/').next()?;
    (!slug.is_empty() && url.contains("/docs/apis/")).then_some(slug)
}

/// One JSON response example of a page as the page gives it: the JSON text
/// of the body (for an entry of an `Examples:` map, the text of its `value`),
/// with the line of the page where its block starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawExample {
    pub status: String,
    pub content_type: String,
    /// The example's name within an `Examples:` map, if it came from one.
    pub name: Option<String>,
    /// The body's JSON text, cut from the page (valid JSON; key order and
    /// number text as on the page).
    pub json: String,
    /// The line (from 1) of the page where the example's ```json block opens.
    pub line: usize,
}

impl RawExample {
    /// The example as a value.
    pub fn parse(&self) -> Result<ResponseExample, serde_json::Error> {
        Ok(ResponseExample {
            status: self.status.clone(),
            content_type: self.content_type.clone(),
            name: self.name.clone(),
            value: serde_json::from_str(&self.json)?,
        })
    }
}

/// A page that cannot be read: the line (from 1) and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Every JSON response example in a page's text, as text. An example that is
/// not valid JSON is an error naming the page's line of the fault.
pub fn raw_response_examples(page: &str) -> Result<Vec<RawExample>, PageError> {
    let mut out = Vec::new();
    let mut in_responses = false;
    let mut status = String::new();
    let mut content_type = String::new();
    let mut lines = page.lines().enumerate().map(|(i, l)| (i + 1, l));
    while let Some((number, line)) = lines.next() {
        if line.starts_with("## ") {
            in_responses = line.trim() == "## Responses";
            continue;
        }
        if !in_responses {
            continue;
        }
        if let Some(rest) = line.strip_prefix("### ") {
            status = rest.trim().trim_matches('`').to_string();
        } else if let Some(rest) = line.strip_prefix("#### ") {
            content_type = rest.trim().trim_matches('`').to_string();
        } else if line == "Example:" || line == "Examples:" {
            let (opening, block) = json_block(&mut lines).ok_or_else(|| PageError {
                line: number,
                message: format!("status {status}: `{line}` is not followed by a ```json block"),
            })?;
            let value: serde_json::Value = serde_json::from_str(&block).map_err(|e| PageError {
                line: opening + e.line().max(1),
                message: format!(
                    "status {status}: example is not JSON: {} at column {}",
                    json_error_kind(&e),
                    e.column()
                ),
            })?;
            let example = |name: Option<String>, json: &str| RawExample {
                status: status.clone(),
                content_type: content_type.clone(),
                name,
                json: dedent(json),
                line: opening,
            };
            if line == "Example:" {
                out.push(example(None, &block));
            } else if value.is_object() {
                let members = object_members(&block).ok_or_else(|| PageError {
                    line: opening,
                    message: format!("status {status}: cannot split the `Examples:` map"),
                })?;
                for (name, entry) in members {
                    // An entry is `{"summary": ..., "value": ...}`: the body
                    // is its `value` (the last, as a JSON reader takes it).
                    let body = object_members(entry)
                        .and_then(|m| m.into_iter().rev().find(|(k, _)| k == "value"))
                        .map_or(entry, |(_, v)| v);
                    out.push(example(Some(name), body));
                }
            }
        }
    }
    Ok(out)
}

/// A JSON error without serde_json's own "at line L column C" (which counts
/// within the block, not the page).
fn json_error_kind(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The line number of the opening fence and the text of the next fenced
/// ```json block.
fn json_block<'a>(lines: &mut impl Iterator<Item = (usize, &'a str)>) -> Option<(usize, String)> {
    let (number, opening) = lines.next()?;
    if !opening.trim_start().starts_with("```") {
        return None;
    }
    let mut block = String::new();
    for (_, line) in lines {
        if line.trim_start().starts_with("```") {
            return Some((number, block));
        }
        block.push_str(line);
        block.push('\n');
    }
    None
}

/// JSON text with its lines' common indentation (after the first line)
/// removed and trailing blanks trimmed. JSON strings hold no line breaks, so
/// this changes whitespace between tokens only.
fn dedent(json: &str) -> String {
    let json = json.trim();
    let mut lines = json.lines();
    let first = lines.next().unwrap_or_default().trim_end();
    let rest: Vec<&str> = lines.map(str::trim_end).collect();
    let indent = rest
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = first.to_string();
    for line in rest {
        out.push('\n');
        out.push_str(line.get(indent..).unwrap_or(line.trim_start()));
    }
    out
}

/// The members of a JSON object, as (key, text of the value), in the
/// order written. `None` if `json` is not an object (or not valid JSON).
pub fn object_members(json: &str) -> Option<Vec<(String, &str)>> {
    let bytes = json.as_bytes();
    let mut i = skip_blank(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_blank(bytes, i + 1);
    let mut members = Vec::new();
    if bytes.get(i) == Some(&b'}') {
        return Some(members);
    }
    loop {
        let key_end = skip_value(bytes, i)?;
        let key: String = serde_json::from_str(&json[i..key_end]).ok()?;
        i = skip_blank(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_blank(bytes, i + 1);
        let end = skip_value(bytes, start)?;
        members.push((key, &json[start..end]));
        i = skip_blank(bytes, end);
        match bytes.get(i)? {
            b',' => i = skip_blank(bytes, i + 1),
            b'}' => return Some(members),
            _ => return None,
        }
    }
}

fn skip_blank(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// The end of the JSON value starting at `i`.
fn skip_value(bytes: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                i += 1;
                loop {
                    match *bytes.get(i)? {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            b',' | b':' if depth == 0 => return None,
            b if depth == 0 && (b.is_ascii_alphanumeric() || b"+-.".contains(&b)) => {
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b"+-.".contains(b))
                {
                    i += 1;
                }
            }
            _ => i += 1,
        }
        if depth == 0 {
            return Some(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"# Title
Source: [https://docs.gitcode.com/en/docs/apis/get-x](https://docs.gitcode.com/en/docs/apis/get-x)
## Request Body
Example:
```json
{"request": true}
```
## Responses
### `200`
Successful Response
#### `application/json`
Schema:
```json
{"type": "object"}
```
Example:
```json
{"id": 1}
```
### `201`
#### `application/json`
Examples:
```json
{"1": {"summary": "ok", "value": [1, 2]}}
```
## Raw OpenAPI Operation
Example:
```json
{"ignored": true}
```
"#;

    #[test]
    fn reads_single_and_named_examples_of_the_responses_section_only() {
        let examples: Vec<ResponseExample> = raw_response_examples(PAGE)
            .unwrap()
            .iter()
            .map(|raw| raw.parse().unwrap())
            .collect();
        assert_eq!(examples.len(), 2, "{examples:#?}");
        assert_eq!(examples[0].status, "200");
        assert_eq!(examples[0].content_type, "application/json");
        assert_eq!(examples[0].value, serde_json::json!({"id": 1}));
        assert_eq!(examples[1].status, "201");
        assert_eq!(examples[1].name.as_deref(), Some("1"));
        assert_eq!(examples[1].value, serde_json::json!([1, 2]));
    }

    #[test]
    fn raw_examples_keep_key_order_and_number_text_and_name_their_line() {
        let page = "## Responses\n### `200`\n#### `application/json`\nExamples:\n```json\n{\n  \"b\": {\n    \"summary\": \"x\",\n    \"value\": {\n      \"z\": 1.50,\n      \"a\": [\"}\\\"\"]\n    }\n  },\n  \"a\": {\"value\": null}\n}\n```\n";
        let raw = raw_response_examples(page).unwrap();
        assert_eq!(raw.len(), 2, "{raw:#?}");
        assert_eq!(raw[0].name.as_deref(), Some("b"));
        assert_eq!(raw[0].json, "{\n  \"z\": 1.50,\n  \"a\": [\"}\\\"\"]\n}");
        assert_eq!(raw[0].line, 5);
        assert_eq!(raw[1].name.as_deref(), Some("a"));
        assert_eq!(raw[1].json, "null");

        let broken = "## Responses\n### `404`\nExample:\n```json\n{\n  \"a\": 1,\n}\n```\n";
        let err = raw_response_examples(broken).unwrap_err();
        assert_eq!(err.line, 7, "{err}");
        assert!(
            err.message.starts_with("status 404: example is not JSON"),
            "{err}"
        );
    }

    #[test]
    fn slug_is_the_last_url_segment() {
        assert_eq!(
            page_slug("https://docs.gitcode.com/en/docs/apis/get-x"),
            Some("get-x")
        );
        assert_eq!(
            page_slug("https://docs.gitcode.com/en/docs/apis/"),
            Some("apis")
        );
        assert_eq!(page_slug("https://example.com/"), None);
    }
}
