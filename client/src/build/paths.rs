//! Path parameters in URLs: checked, then encoded.
//!
//! Every path parameter of every generated operation goes through
//! [`segment`] or, for repository file paths (`x-gitcode-keep-slashes`),
//! [`file_path`] (pass `checked_path_parameters`). Both refuse a value that
//! is, or holds, a `.` or `..` segment, also percent-encoded (`%2e%2e`):
//! URL parsing resolves such segments, so `owner("..")` would send the
//! request, with the token, to another endpoint. Names that merely contain
//! dots (`my..repo`, `.github/file..txt`) pass.

/// Encodes a file path for use in a URL path: each `/`-separated segment is
/// percent-encoded as progenitor encodes a path parameter (spaces, `#`, `?`,
/// `%`, non-ASCII, ...), and the `/` between them are kept, so that
/// `docs/a b.md` becomes `docs/a%20b.md`, not `docs%2Fa%20b.md`.
///
/// Used by the pass `keep_path_slashes` for parameters marked
/// `x-gitcode-keep-slashes` in the spec.
pub fn encode_path_keep_slashes(path: &str) -> String {
    path.split('/')
        .map(progenitor_client::encode_path)
        .collect::<Vec<_>>()
        .join("/")
}

/// Checks and encodes one path parameter (`name` is for the error): the
/// value must not be a dot segment; it is sent as one segment, with `/`
/// escaped.
pub fn segment(name: &str, value: &str) -> Result<String, String> {
    if is_dot_segment(value) {
        return Err(dot_segment_error(name, value));
    }
    Ok(escape_backslashes(progenitor_client::encode_path(value)))
}

/// URL parsing reads `\` as `/` in http(s) URLs, so an unescaped `\` would
/// split a segment in two (and `..\..` would climb); progenitor's encoder
/// leaves it as is.
fn escape_backslashes(encoded: String) -> String {
    if encoded.contains('\\') {
        encoded.replace('\\', "%5C")
    } else {
        encoded
    }
}

/// Checks and encodes a repository file path: no `/`-separated segment may
/// be a dot segment; the `/` are kept.
pub fn file_path(name: &str, value: &str) -> Result<String, String> {
    if has_dot_segment(value) {
        return Err(dot_segment_error(name, value));
    }
    Ok(escape_backslashes(encode_path_keep_slashes(value)))
}

/// Whether any segment of the `/`-separated `path` is a dot segment
/// ([`is_dot_segment`]). URL parsing reads `\\` as `/`, so it separates
/// segments here too.
pub fn has_dot_segment(path: &str) -> bool {
    path.split(['/', '\\']).any(is_dot_segment)
}

/// Whether `segment` is `.` or `..` once percent-decoded (repeatedly, so
/// that `%252e` counts too). A segment that decodes to something holding
/// `/` or `\\` is checked part by part.
pub fn is_dot_segment(segment: &str) -> bool {
    let mut text = std::borrow::Cow::Borrowed(segment);
    for _ in 0..4 {
        if text == "." || text == ".." {
            return true;
        }
        let decoded = percent_encoding::percent_decode_str(&text)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == text {
            return false;
        }
        if decoded.contains(['/', '\\']) {
            return has_dot_segment(&decoded);
        }
        text = std::borrow::Cow::Owned(decoded);
    }
    text == "." || text == ".."
}

fn dot_segment_error(name: &str, value: &str) -> String {
    let name = name.trim_end_matches('_');
    format!(
        "path parameter `{name}` is or holds a `.` or `..` segment ({:?}), which would send the \
         request elsewhere; refused before sending",
        crate::text::snippet(value, 60)
    )
}

/// The `fields` of a typed body as query pairs (absent and `null` fields
/// left out), for endpoints that read body parameters from the query
/// (pass `body_fields_in_query`).
#[allow(clippy::result_large_err)] // the error type is the generated send()'s
pub fn body_query<T: serde::Serialize, E>(
    body: &T,
    fields: &[&str],
) -> Result<Vec<(String, String)>, progenitor_client::Error<E>> {
    let value = serde_json::to_value(body).map_err(|e| {
        progenitor_client::Error::InvalidRequest(format!("failed to serialize body: {e}"))
    })?;
    Ok(fields
        .iter()
        .filter_map(|field| {
            let text = match value.get(field)? {
                serde_json::Value::Null => return None,
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some((field.to_string(), text))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_are_refused_in_every_form() {
        for bad in [".", "..", "%2e", "%2E%2e", "%252e%252e", ".%2e"] {
            assert!(is_dot_segment(bad), "{bad}");
            assert!(segment("owner", bad).is_err(), "{bad}");
        }
        for good in ["...", "a..b", ".github", "..x", "x..", "%2e%2e%2e", ""] {
            assert!(!is_dot_segment(good), "{good}");
        }
        let err = segment("ref_", "..").unwrap_err();
        assert!(err.starts_with("path parameter `ref` is or holds"), "{err}");
        assert_eq!(segment("repo", "a/b").unwrap(), "a%2Fb");
        // A backslash would be read as a slash.
        assert_eq!(segment("head", "a\\b").unwrap(), "a%5Cb");
        assert!(segment("owner", "%2e%2e%2fx").is_err());
        assert!(file_path("path", "docs\\..\\..\\user").is_err());

        assert!(file_path("path", "../../../../user").is_err());
        assert!(file_path("path", "docs/%2e%2e/x").is_err());
        assert!(file_path("path", "docs/./x").is_err());
        assert_eq!(
            file_path("path", ".github/file..txt").unwrap(),
            ".github/file..txt"
        );
    }

    #[test]
    fn keeps_slashes_and_escapes_the_rest() {
        assert_eq!(encode_path_keep_slashes("src/lib.rs"), "src/lib.rs");
        assert_eq!(
            encode_path_keep_slashes("docs/a b#1?.md"),
            "docs/a%20b%231%3F.md"
        );
        assert_eq!(
            encode_path_keep_slashes("100%/中文.txt"),
            "100%25/%E4%B8%AD%E6%96%87.txt"
        );
    }
}
