//! Finds the line of a key in a block-style YAML file.
//!
//! `serde_yaml` values carry no positions, so after a semantic check finds a
//! problem (a duplicate `operationId`, an unknown `$ref`) we find where it is
//! by walking the text: a key path such as `["paths", "/api/v5/user", "get"]`
//! is matched one indentation level at a time. The spec is hand-written block
//! YAML, which is all this needs to understand; when a key cannot be found the
//! nearest enclosing key found is returned, so a message always has a line.

/// Position (1-based line and column) of the deepest key of `path` found in
/// `text`; `(1, 1)` when not even the first key is found.
pub fn key_position(text: &str, path: &[&str]) -> (usize, usize) {
    let mut best = (1, 1);
    let mut parent_indent: Option<usize> = None;
    let mut start = 0;
    let lines: Vec<&str> = text.lines().collect();

    'keys: for key in path {
        let mut child_indent: Option<usize> = None;
        for (index, line) in lines.iter().enumerate().skip(start) {
            let Some((indent, found)) = mapping_key(line) else {
                continue;
            };
            if parent_indent.is_some_and(|parent| indent <= parent) {
                break; // left the parent's block
            }
            // Only keys at the first indentation seen below the parent are
            // children; deeper ones belong to a sibling's value.
            let level = *child_indent.get_or_insert(indent);
            if indent == level && found == *key {
                best = (index + 1, indent + 1);
                parent_indent = Some(indent);
                start = index + 1;
                continue 'keys;
            }
        }
        break;
    }
    best
}

/// Line (1-based) of the first line at or after `from_line` containing
/// `needle`, used to point at a value such as a `$ref` target.
pub fn find_text(text: &str, needle: &str, from_line: usize) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .skip(from_line.saturating_sub(1))
        .find_map(|(index, line)| line.find(needle).map(|col| (index + 1, col + 1)))
}

/// Indentation and unquoted key of a `key:` line (also `- key:` list items).
fn mapping_key(line: &str) -> Option<(usize, String)> {
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    let mut indent = line.len() - trimmed.len();
    let mut rest = trimmed;
    if let Some(item) = rest.strip_prefix("- ") {
        indent += 2;
        rest = item.trim_start();
    }
    let key = if let Some(quoted) = rest.strip_prefix('\'') {
        let end = quoted.find("':")?;
        quoted[..end].replace("''", "'")
    } else if let Some(quoted) = rest.strip_prefix('"') {
        let end = quoted.find("\":")?;
        quoted[..end].to_string()
    } else {
        let end = rest.find(':')?;
        let after = &rest[end + 1..];
        if !(after.is_empty() || after.starts_with(' ')) {
            return None;
        }
        rest[..end].to_string()
    };
    Some((indent, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
paths:
  /api/v5/user:
    get:
      operationId: get_user
    post:
      summary: x
  '/api/v5/users/{username}':
    get:
      operationId: get_a_user
components:
  schemas:
    get:
      type: object
";

    #[test]
    fn finds_nested_keys_by_path() {
        assert_eq!(
            key_position(DOC, &["paths", "/api/v5/user", "post"]),
            (5, 5)
        );
        assert_eq!(
            key_position(
                DOC,
                &["paths", "/api/v5/users/{username}", "get", "operationId"]
            ),
            (9, 7)
        );
        assert_eq!(
            key_position(DOC, &["components", "schemas", "get"]),
            (12, 5)
        );
    }

    #[test]
    fn does_not_match_keys_of_a_sibling_block() {
        // `get` under `/api/v5/user` must not satisfy a lookup under another path.
        assert_eq!(key_position(DOC, &["paths", "/missing", "get"]), (1, 1));
    }

    #[test]
    fn falls_back_to_the_deepest_key_found() {
        assert_eq!(
            key_position(DOC, &["paths", "/api/v5/user", "delete"]),
            (2, 3)
        );
    }

    #[test]
    fn finds_text_from_a_line() {
        assert_eq!(find_text(DOC, "operationId", 6), Some((9, 7)));
    }
}
