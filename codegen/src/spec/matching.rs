//! Which operation of the spec a request is: its method and its path as
//! sent, matched against the path templates.
//!
//! One place for the rules, used by the peer-wire tests, the gitcode-cli
//! audit and `cargo xtask conformance`:
//! - each `{name}` of a template takes at least one character and no `/`,
//!   but any character when the parameter keeps its slashes
//!   (`x-gitcode-keep-slashes`, a file path); the text between parameters
//!   must be there as written (`compare/{base}...{head}`);
//! - where several templates match, the one with the most literal text wins
//!   (`releases/tags/{tag}` over `releases/{tag}`);
//! - a `HEAD` request is the `GET` operation at its path where the spec has
//!   no `HEAD` one (HTTP: the same answer without its body).

use super::{OperationInfo, Spec};

/// An operation a request matched, with its path parameters' values
/// (percent-decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatch<'s> {
    /// The operation.
    pub operation: &'s OperationInfo,
    /// `(name, value)` of each path parameter, in template order.
    pub parameters: Vec<(String, String)>,
}

/// Why no operation matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoMatch {
    /// No template of the spec matches the path.
    NoPath {
        /// The path as sent.
        path: String,
    },
    /// Templates match, but for other methods: each `METHOD (operation_id)`.
    OtherMethods {
        /// The method sent.
        method: String,
        /// The operations at the path, as `GET (list_repo_issues)`.
        there: Vec<String>,
    },
}

impl std::fmt::Display for NoMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoMatch::NoPath { path } => write!(f, "no operation of the spec has the path `{path}`"),
            NoMatch::OtherMethods { method, there } => write!(
                f,
                "no `{}` operation at this path; the spec has {} there",
                method.to_uppercase(),
                there.join(", ")
            ),
        }
    }
}

/// The operation of `spec` at `method` and `path` (a path as sent, or a
/// template whose `{placeholders}` stand for values), preferring the
/// template with the most literal text; else why none is.
pub fn operation_at<'s>(
    spec: &'s Spec,
    method: &str,
    path: &str,
) -> Result<&'s OperationInfo, String> {
    match_operation(spec, method, path)
        .map(|found| found.operation)
        .map_err(|why| why.to_string())
}

/// The operation whose method and path template match `method` and `path`
/// (percent-encoded, without the query), with its parameters' values.
///
/// ```
/// # let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
/// # let spec = gitcode_codegen::spec::Spec::load(&root).unwrap();
/// use gitcode_codegen::spec::matching::match_operation;
/// let found = match_operation(&spec, "GET", "/api/v5/repos/o/r/compare/main...feat%2Fx").unwrap();
/// assert_eq!(found.operation.operation_id, "compare_commits");
/// assert_eq!(found.parameters[3], ("head".to_string(), "feat/x".to_string()));
/// ```
pub fn match_operation<'s>(
    spec: &'s Spec,
    method: &str,
    path: &str,
) -> Result<PathMatch<'s>, NoMatch> {
    match best_match(spec, method, path) {
        Err(NoMatch::OtherMethods { .. }) if method.eq_ignore_ascii_case("head") => {
            best_match(spec, "get", path).map_err(|_| NoMatch::OtherMethods {
                method: method.to_string(),
                there: others_at(spec, method, path),
            })
        }
        found => found,
    }
}

fn best_match<'s>(spec: &'s Spec, method: &str, path: &str) -> Result<PathMatch<'s>, NoMatch> {
    // (literal text of the template, the match)
    let mut best: Option<(usize, PathMatch<'s>)> = None;
    let mut any_path = false;
    for op in &spec.operations {
        let Some(parameters) = path_parameters(op, path) else {
            continue;
        };
        any_path = true;
        if !op.method.eq_ignore_ascii_case(method) {
            continue;
        }
        let literal = literal_len(&op.path);
        if best.as_ref().is_none_or(|(l, _)| literal > *l) {
            best = Some((
                literal,
                PathMatch {
                    operation: op,
                    parameters,
                },
            ));
        }
    }
    match best {
        Some((_, found)) => Ok(found),
        None if any_path => Err(NoMatch::OtherMethods {
            method: method.to_string(),
            there: others_at(spec, method, path),
        }),
        None => Err(NoMatch::NoPath {
            path: path.to_string(),
        }),
    }
}

/// `METHOD (operation_id)` of every operation whose template matches `path`
/// for another method than `method`.
fn others_at(spec: &Spec, method: &str, path: &str) -> Vec<String> {
    spec.operations
        .iter()
        .filter(|op| !op.method.eq_ignore_ascii_case(method))
        .filter(|op| path_parameters(op, path).is_some())
        .map(|op| format!("{} ({})", op.method.to_uppercase(), op.operation_id))
        .collect()
}

/// The operation whose template shares the most leading segments with
/// `path` (a `{parameter}` segment matching any, the first segment the same
/// text), preferring `method`, then the shorter template (the parent
/// resource); the place to add an operation the spec lacks.
/// `None` when not even the first segment is shared.
pub fn nearest_operation<'s>(
    spec: &'s Spec,
    method: &str,
    path: &str,
) -> Option<&'s OperationInfo> {
    let sent: Vec<&str> = path.trim_matches('/').split('/').collect();
    let shared = |template: &str| {
        let segments: Vec<&str> = template.trim_matches('/').split('/').collect();
        if segments.first() != sent.first() {
            return 0; // the first segment must be the same text
        }
        segments
            .iter()
            .zip(&sent)
            .take_while(|(t, s)| t == s || (t.starts_with('{') && t.ends_with('}')))
            .count()
    };
    // (shared segments, same method, fewer segments): the most of each wins,
    // and of equals the first in document order.
    let rank = |op: &OperationInfo| {
        let segments = op.path.trim_matches('/').split('/').count();
        (
            shared(&op.path),
            op.method.eq_ignore_ascii_case(method),
            std::cmp::Reverse(segments),
        )
    };
    spec.operations
        .iter()
        .map(|op| (rank(op), op))
        .filter(|((n, _, _), _)| *n > 0)
        .fold(None, |best: Option<(_, &OperationInfo)>, next| match best {
            Some(b) if b.0 >= next.0 => Some(b),
            _ => Some(next),
        })
        .map(|(_, op)| op)
}

/// The values of `op`'s path parameters when `path` matches its template.
pub fn path_parameters(op: &OperationInfo, path: &str) -> Option<Vec<(String, String)>> {
    match_template(&op.path, path, &op.keep_slashes)
}

fn literal_len(template: &str) -> usize {
    template.len()
        - template
            .split('{')
            .skip(1)
            .map(|s| s.find('}').map_or(0, |e| e + 2))
            .sum::<usize>()
}

/// Matches a path as sent (percent-encoded) against a template
/// (`/repos/{owner}/{repo}/compare/{base}...{head}`): each `{name}` takes at
/// least one character and no `/` (any character when its slashes are
/// kept), the text between them must be there as written. Returns the
/// parameters' decoded values.
fn match_template(
    template: &str,
    path: &str,
    keep_slashes: &[String],
) -> Option<Vec<(String, String)>> {
    // The literal head, then (parameter, the literal after it) pairs.
    let head_end = template.find('{').unwrap_or(template.len());
    let head = &template[..head_end];
    let mut rest = &template[head_end..];
    let mut pieces: Vec<(&str, &str)> = Vec::new();
    while let Some(stripped) = rest.strip_prefix('{') {
        let close = stripped.find('}')?;
        let name = &stripped[..close];
        let after = &stripped[close + 1..];
        let lit_end = after.find('{').unwrap_or(after.len());
        pieces.push((name, &after[..lit_end]));
        rest = &after[lit_end..];
    }
    let mut at = path.strip_prefix(head)?;
    let mut values = Vec::new();
    for (i, &(name, literal)) in pieces.iter().enumerate() {
        let last = i == pieces.len() - 1;
        let slashes = keep_slashes.iter().any(|k| k == name);
        // The parameter's value ends where the literal after it starts: the
        // last such place for the final piece, else the first after one
        // character.
        let end = if literal.is_empty() {
            if last { at.len() } else { return None }
        } else if last {
            let end = at.len().checked_sub(literal.len())?;
            (at.get(end..)? == literal).then_some(end)?
        } else {
            at.get(1..)?.find(literal)? + 1
        };
        let value = &at[..end];
        if value.is_empty() || (!slashes && value.contains('/')) {
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(value)
            .decode_utf8_lossy()
            .into_owned();
        values.push((name.to_string(), decoded));
        at = &at[end + literal.len()..];
    }
    at.is_empty().then_some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        Spec::load(&root).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn head_is_the_get_at_its_path() {
        let spec = spec();
        let found = match_operation(&spec, "HEAD", "/api/v5/repos/o/r").unwrap();
        assert_eq!(found.operation.operation_id, "get_repo");
        assert_eq!(
            match_operation(&spec, "HEAD", "/api/v5/nowhere"),
            Err(NoMatch::NoPath {
                path: "/api/v5/nowhere".into()
            })
        );
    }

    #[test]
    fn file_paths_span_slashes_and_other_parameters_do_not() {
        let spec = spec();
        let found = match_operation(&spec, "GET", "/api/v5/repos/o/r/raw/docs/a%20b.md").unwrap();
        assert_eq!(found.operation.operation_id, "get_repo_raw_file");
        assert!(
            found
                .parameters
                .contains(&("path".to_string(), "docs/a b.md".to_string())),
            "{found:?}"
        );
        assert!(match_operation(&spec, "GET", "/api/v5/repos/o/x/y/r").is_err());
    }

    #[test]
    fn the_nearest_operation_shares_the_most_leading_segments() {
        let spec = spec();
        let near = nearest_operation(&spec, "GET", "/api/v5/repos/o/r/issues/7/nothing").unwrap();
        assert_eq!(near.operation_id, "get_issue");
        let near = nearest_operation(&spec, "GET", "/api/v5/repos/o/r/nothing").unwrap();
        assert_eq!(near.operation_id, "get_repo");
        assert_eq!(nearest_operation(&spec, "GET", "/elsewhere/x"), None);
    }
}
