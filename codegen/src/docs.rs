//! Reading the official docs pages (`gitcode-docs/en/*.md`): the response
//! examples they show, which the spec must accept.
//!
//! A page's `## Responses` section has a level-3 heading per status (the
//! code in backticks), a level-4 heading per media type, then `Example:` followed by one
//! JSON block, or `Examples:` followed by a JSON map of named examples
//! (`{"1": {"summary": ..., "value": ...}}`).

use std::path::{Path, PathBuf};

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

/// The page file for `url` under `docs_dir` (`gitcode-docs/en`), if it exists.
pub fn page_for_url(docs_dir: &Path, url: &str) -> Option<PathBuf> {
    let path = docs_dir.join(format!("{}.md", page_slug(url)?));
    path.is_file().then_some(path)
}

/// Every JSON response example in a page's text. An example that is not
/// valid JSON is returned as an error naming its status.
pub fn response_examples(page: &str) -> Result<Vec<ResponseExample>, String> {
    let mut out = Vec::new();
    let mut in_responses = false;
    let mut status = String::new();
    let mut content_type = String::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
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
            let block = json_block(&mut lines).ok_or_else(|| {
                format!("status {status}: `{line}` is not followed by a ```json block")
            })?;
            let value: serde_json::Value = serde_json::from_str(&block)
                .map_err(|e| format!("status {status}: example is not JSON: {e}"))?;
            if line == "Example:" {
                out.push(ResponseExample {
                    status: status.clone(),
                    content_type: content_type.clone(),
                    name: None,
                    value,
                });
            } else if let serde_json::Value::Object(named) = value {
                for (name, example) in named {
                    let value = example.get("value").cloned().unwrap_or(example);
                    out.push(ResponseExample {
                        status: status.clone(),
                        content_type: content_type.clone(),
                        name: Some(name),
                        value,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// The text of the next fenced ```json block.
fn json_block<'a>(lines: &mut impl Iterator<Item = &'a str>) -> Option<String> {
    let opening = lines.next()?;
    if !opening.trim_start().starts_with("```") {
        return None;
    }
    let mut block = String::new();
    for line in lines {
        if line.trim_start().starts_with("```") {
            return Some(block);
        }
        block.push_str(line);
        block.push('\n');
    }
    None
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
        let examples = response_examples(PAGE).unwrap();
        assert_eq!(examples.len(), 2, "{examples:#?}");
        assert_eq!(examples[0].status, "200");
        assert_eq!(examples[0].content_type, "application/json");
        assert_eq!(examples[0].value, serde_json::json!({"id": 1}));
        assert_eq!(examples[1].status, "201");
        assert_eq!(examples[1].name.as_deref(), Some("1"));
        assert_eq!(examples[1].value, serde_json::json!([1, 2]));
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
