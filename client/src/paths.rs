//! URL path encoding for parameters that are repository file paths.

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
