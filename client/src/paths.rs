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
