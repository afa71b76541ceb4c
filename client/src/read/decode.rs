//! How a success body becomes a typed value, and what happens when the
//! server sends a value the spec did not expect.
//!
//! The spec is transcribed from docs that are often wrong, so a real body
//! may hold a value that does not fit its field: a `null` inside a list of
//! strings, a string where a number was expected, an object where a string
//! was. In [`DecodeMode::Tolerant`] (the default) such a value is left out:
//!
//! - an optional field whose value does not fit decodes as `None` (as if the
//!   server had not sent it);
//! - a list element that does not fit is dropped from its list;
//! - an object whose required field does not fit is left out in turn, up to
//!   the nearest optional field or list element that holds it.
//!
//! The rest of the body decodes as usual, and every value left out is
//! reported with `tracing::warn!` (target `gitcode::decode`): operation,
//! JSON path, what was expected and the value, cut short. Only the shape of
//! the body itself is never repaired: a top-level value that does not fit,
//! a required field of the top-level object, or an element of a top-level
//! list fails the call with [`Error::Decode`](crate::Error::Decode), which
//! keeps the whole body.
//!
//! [`DecodeMode::Strict`] (`ClientBuilder::strict_decoding`) turns every
//! repair into that error instead; the project's own docs-example test runs
//! strict, so that a mistake in the spec still fails.
//!
//! Cost: a body that fits decodes exactly as before, straight from the
//! bytes; only a body that does not fit is parsed into a
//! `serde_json::Value` and decoded again after each repair.
//!
//! Compile cost: each type is decoded by two deserializers only, the one
//! over bytes (the fast path) and the path-tracking one over a `Value` (every
//! slow path: repairs, list elements, the error of a body that does not
//! fit). Each deserializer is a copy of every type's decoding code in the
//! caller's binary, so no third one is added lightly.

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

/// What to do with a value that does not fit its field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeMode {
    /// Leave it out and warn (see the module docs).
    #[default]
    Tolerant,
    /// Fail the call with `Error::Decode`.
    Strict,
}

impl DecodeMode {
    /// [`Strict`](DecodeMode::Strict) when `strict`, else the default.
    pub(crate) fn from_strict(strict: bool) -> DecodeMode {
        if strict {
            DecodeMode::Strict
        } else {
            DecodeMode::Tolerant
        }
    }
}

/// One value the tolerant decoder left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repair {
    /// Where the value was: its JSON path (`[3].labels[1]`, `user`).
    pub path: String,
    /// Why: the first value under `path` that did not fit, with its own path
    /// and what was expected there.
    pub reason: String,
    /// The value left out, cut short.
    pub snippet: String,
}

/// A body that could not be decoded, even tolerantly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// JSON path of the value at fault; empty for the body as a whole.
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for Failure {}

/// Decodes a JSON body as `T` the way the client decodes answers: for
/// bodies that do not come from a [`Client`](crate::Client) call (a stored
/// answer, a queue message). Returns the value and what was left out
/// (always nothing in [`DecodeMode::Strict`]); nothing is logged.
pub fn from_slice<T: DeserializeOwned>(
    bytes: &[u8],
    mode: DecodeMode,
) -> Result<(T, Vec<Repair>), Failure> {
    if let Some(empty) = empty_body(bytes) {
        return empty.map(|v| (v, Vec::new()));
    }
    // The fast path: a body that fits decodes straight from the bytes.
    if let Ok(value) = serde_json::from_slice::<T>(bytes) {
        return Ok((value, Vec::new()));
    }
    let value = parse(bytes)?;
    let mut repairs = Vec::new();
    let decoded = repair::<T>(value, "", mode, &mut repairs)?;
    Ok((decoded, repairs))
}

/// Like [`from_slice`] for a body that is a list of `T`: each element is
/// repaired on its own, so that many bad elements cost no more than one
/// each, and an element of the list itself is never dropped.
pub fn list_from_slice<T: DeserializeOwned>(
    bytes: &[u8],
    mode: DecodeMode,
) -> Result<(Vec<T>, Vec<Repair>), Failure> {
    if let Some(empty) = empty_body(bytes) {
        return empty.map(|v| (v, Vec::new()));
    }
    if let Ok(value) = serde_json::from_slice::<Vec<T>>(bytes) {
        return Ok((value, Vec::new()));
    }
    let elements = match parse(bytes)? {
        Value::Array(elements) => elements,
        // The shape itself is wrong: say so in serde's words.
        other => return Err(strict_failure::<Vec<T>>(&other)),
    };
    let mut repairs = Vec::new();
    let mut out = Vec::with_capacity(elements.len());
    for (index, element) in elements.into_iter().enumerate() {
        match serde_path_to_error::deserialize::<_, T>(&element) {
            Ok(value) => out.push(value),
            Err(_) => out.push(repair::<T>(
                element,
                &format!("[{index}]"),
                mode,
                &mut repairs,
            )?),
        }
    }
    Ok((out, repairs))
}

/// An empty body, or one of whitespace only.
pub(crate) fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// An empty body reads as `null`, `{}` or `[]`, whichever `T` accepts.
fn empty_body<T: DeserializeOwned>(bytes: &[u8]) -> Option<Result<T, Failure>> {
    if !is_blank(bytes) {
        return None;
    }
    for empty in ["null", "{}", "[]"] {
        if let Ok(value) = serde_json::from_slice(empty.as_bytes()) {
            return Some(Ok(value));
        }
    }
    Some(Err(Failure {
        path: String::new(),
        message: "the body is empty".into(),
    }))
}

fn parse(bytes: &[u8]) -> Result<Value, Failure> {
    serde_json::from_slice(bytes).map_err(|e| Failure {
        path: String::new(),
        message: format!("not JSON: {e}"),
    })
}

/// Why `value` does not decode as `T`, in serde's words, at its path.
fn strict_failure<T: DeserializeOwned>(value: &Value) -> Failure {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => Failure {
            path: String::new(),
            message: "the body does not fit".into(),
        },
        Err(e) => Failure {
            path: segments_text(&e.path().iter().cloned().collect::<Vec<_>>()),
            message: e.inner().to_string(),
        },
    }
}

/// A removal made to get a body to decode, and the failure that caused it.
struct Removal {
    at: Vec<Segment>,
    cause: Failure,
    snippet: String,
}

/// Decodes `value` as `T`, removing each value that does not fit until the
/// rest does. `prefix` is the path of `value` in the whole body.
fn repair<T: DeserializeOwned>(
    mut value: Value,
    prefix: &str,
    mode: DecodeMode,
    repairs: &mut Vec<Repair>,
) -> Result<T, Failure> {
    let mut removals: Vec<Removal> = Vec::new();
    // Elements removed so far, by list (original path) and original index:
    // paths are reported as they were in the body the server sent.
    let mut dropped: Vec<(Vec<Segment>, usize)> = Vec::new();
    loop {
        let error = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(decoded) => {
                repairs.extend(removals.into_iter().map(|r| {
                    let path = join(prefix, &segments_text(&r.at));
                    let reason = if r.cause.path == path {
                        r.cause.message
                    } else {
                        format!("at `{}`: {}", r.cause.path, r.cause.message)
                    };
                    Repair {
                        path,
                        reason,
                        snippet: r.snippet,
                    }
                }));
                return Ok(decoded);
            }
            Err(e) => e,
        };
        let current: Vec<Segment> = error.path().iter().cloned().collect();
        let at = original_path(&current, &dropped);
        let here = Failure {
            path: join(prefix, &segments_text(&at)),
            message: error.inner().to_string(),
        };
        // A failure at an ancestor of values already removed (a required
        // field now missing) is caused by the first of them.
        let cause = removals
            .iter()
            .find(|r| is_strict_prefix(&at, &r.at))
            .map(|r| r.cause.clone())
            .unwrap_or(here);
        if mode == DecodeMode::Strict {
            return Err(cause);
        }
        let Some(removed) = remove(&mut value, &current) else {
            return Err(cause);
        };
        if let Some((Segment::Seq { index }, list)) = at.split_last() {
            dropped.push((list.to_vec(), *index));
        }
        // This removal supersedes those under it.
        removals.retain(|r| !is_strict_prefix(&at, &r.at));
        removals.push(Removal {
            at,
            cause,
            snippet: crate::text::snippet(&removed.to_string(), 80),
        });
    }
}

/// `path` (in the body as it is now) as it was in the body as sent, given
/// the list elements removed so far.
fn original_path(path: &[Segment], dropped: &[(Vec<Segment>, usize)]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(path.len());
    for segment in path {
        let translated = match segment {
            Segment::Seq { index } => {
                let mut removed: Vec<usize> = dropped
                    .iter()
                    .filter(|(list, _)| list.len() == out.len() && is_prefix(list, &out))
                    .map(|(_, i)| *i)
                    .collect();
                removed.sort_unstable();
                let mut original = *index;
                for r in removed {
                    if r <= original {
                        original += 1;
                    }
                }
                Segment::Seq { index: original }
            }
            other => other.clone(),
        };
        out.push(translated);
    }
    out
}

/// Removes the value at `path` from its parent object or list. Returns
/// `None` for the root, for an element of a top-level list, and for paths
/// that cannot be followed.
fn remove(root: &mut Value, path: &[Segment]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut parent = &mut *root;
    for segment in parents {
        parent = match (segment, parent) {
            (Segment::Seq { index }, Value::Array(items)) => items.get_mut(*index)?,
            (Segment::Map { key } | Segment::Enum { variant: key }, Value::Object(map)) => {
                map.get_mut(key.as_str())?
            }
            _ => return None,
        };
    }
    match (last, parent) {
        (Segment::Seq { index }, Value::Array(items)) if !parents.is_empty() => {
            (*index < items.len()).then(|| items.remove(*index))
        }
        (Segment::Map { key } | Segment::Enum { variant: key }, Value::Object(map)) => {
            map.remove(key.as_str())
        }
        _ => None,
    }
}

fn is_prefix(prefix: &[Segment], path: &[Segment]) -> bool {
    prefix.len() <= path.len() && prefix.iter().zip(path).all(|(a, b)| same(a, b))
}

fn is_strict_prefix(prefix: &[Segment], path: &[Segment]) -> bool {
    prefix.len() < path.len() && is_prefix(prefix, path)
}

fn same(a: &Segment, b: &Segment) -> bool {
    match (a, b) {
        (Segment::Seq { index: x }, Segment::Seq { index: y }) => x == y,
        (
            Segment::Map { key: x } | Segment::Enum { variant: x },
            Segment::Map { key: y } | Segment::Enum { variant: y },
        ) => x == y,
        _ => false,
    }
}

/// `user.labels[1]`; empty for the root.
fn segments_text(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push('?');
            }
        }
    }
    out
}

fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (_, true) => prefix.to_string(),
        (true, false) => path.to_string(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

/// Reports the repairs of one response: one warning per kind of value left
/// out (the same field of every element of a page is one kind).
pub(crate) fn report(operation: &'static str, repairs: &[Repair]) {
    for (first, count) in grouped(repairs) {
        tracing::warn!(
            target: "gitcode::decode",
            operation,
            path = %first.path,
            expected = %first.reason,
            value = %first.snippet,
            count,
            "left out a value that does not fit the spec"
        );
    }
}

/// The repairs by kind (the same path once list indices are erased): the
/// first of each kind and how many there were, in body order.
pub(crate) fn grouped(repairs: &[Repair]) -> Vec<(&Repair, usize)> {
    let mut groups: Vec<(String, &Repair, usize)> = Vec::new();
    for repair in repairs {
        let shape = shape_of(&repair.path);
        match groups.iter_mut().find(|(s, _, _)| *s == shape) {
            Some((_, _, count)) => *count += 1,
            None => groups.push((shape, repair, 1)),
        }
    }
    groups
        .into_iter()
        .map(|(_, first, count)| (first, count))
        .collect()
}

/// A path with its list indices erased: `[3].labels[1]` → `[].labels[]`.
fn shape_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Issue {
        number: String,
        title: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
        user: Option<User>,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct User {
        login: String,
        id: Option<i64>,
    }

    fn tolerant<T: DeserializeOwned>(body: &str) -> Result<(T, Vec<Repair>), Failure> {
        from_slice::<T>(body.as_bytes(), DecodeMode::Tolerant)
    }

    fn paths(repairs: &[Repair]) -> Vec<&str> {
        repairs.iter().map(|r| r.path.as_str()).collect()
    }

    #[test]
    fn a_body_that_fits_needs_no_repair() {
        let (issue, repairs) =
            tolerant::<Issue>(r#"{"number": "1", "tags": ["a"], "user": {"login": "x"}}"#).unwrap();
        assert!(repairs.is_empty());
        assert_eq!(issue.user.unwrap().login, "x");
    }

    #[test]
    fn every_odd_element_of_a_list_is_dropped_and_reported_where_it_was() {
        let (issue, repairs) =
            tolerant::<Issue>(r#"{"number": "1", "tags": [null, "a", 5, null, "b", {}]}"#).unwrap();
        assert_eq!(issue.tags, ["a", "b"]);
        // Paths as in the body the server sent, not as it was after removals.
        assert_eq!(
            paths(&repairs),
            ["tags[0]", "tags[2]", "tags[3]", "tags[5]"]
        );
        assert_eq!(repairs[1].snippet, "5");
        assert!(
            repairs[1].reason.contains("expected a string"),
            "{:?}",
            repairs[1]
        );
    }

    #[test]
    fn a_nested_object_missing_a_required_field_goes_with_the_first_cause() {
        let (issue, repairs) =
            tolerant::<Issue>(r#"{"number": "1", "title": "t", "user": {"login": 42, "id": 7}}"#)
                .unwrap();
        assert_eq!(issue.user, None);
        assert_eq!(issue.title.as_deref(), Some("t"));
        // One repair: the user, because of its login.
        assert_eq!(paths(&repairs), ["user"]);
        assert!(
            repairs[0]
                .reason
                .starts_with("at `user.login`: invalid type: integer `42`"),
            "{:?}",
            repairs[0]
        );
        assert!(repairs[0].snippet.contains("\"id\":7"), "{:?}", repairs[0]);
    }

    #[test]
    fn a_required_top_level_field_is_never_repaired() {
        let failure = tolerant::<Issue>(r#"{"number": 5, "title": "t"}"#).unwrap_err();
        assert_eq!(failure.path, "number");
        assert!(failure.message.contains("expected a string"), "{failure:?}");
        let failure = tolerant::<Issue>(r#"{"title": "t"}"#).unwrap_err();
        assert_eq!(failure.path, "");
        assert!(
            failure.message.contains("missing field `number`"),
            "{failure:?}"
        );
    }

    #[test]
    fn strict_mode_fails_on_the_first_odd_value_with_its_path() {
        let failure = from_slice::<Issue>(
            br#"{"number": "1", "tags": ["a", null]}"#,
            DecodeMode::Strict,
        )
        .unwrap_err();
        assert_eq!(failure.path, "tags[1]");
    }

    #[test]
    fn lists_are_repaired_element_by_element_and_keep_their_elements() {
        let body =
            r#"[{"number": "1", "tags": [null]}, {"number": "2"}, {"number": "3", "user": "x"}]"#;
        let (issues, repairs) =
            list_from_slice::<Issue>(body.as_bytes(), DecodeMode::Tolerant).unwrap();
        assert_eq!(issues.len(), 3);
        assert_eq!(paths(&repairs), ["[0].tags[0]", "[2].user"]);
        // A top-level element is never dropped: its failure is the call's.
        let failure = list_from_slice::<Issue>(
            br#"[{"number": "1"}, {"title": "no number"}]"#,
            DecodeMode::Tolerant,
        )
        .unwrap_err();
        assert_eq!(failure.path, "[1]");
        // Nor is the shape repaired.
        let failure =
            list_from_slice::<Issue>(br#"{"number": "1"}"#, DecodeMode::Tolerant).unwrap_err();
        assert!(
            failure.message.contains("expected a sequence"),
            "{failure:?}"
        );
    }

    #[test]
    fn empty_bodies_and_non_json() {
        assert_eq!(
            from_slice::<serde_json::Value>(b"", DecodeMode::Strict)
                .unwrap()
                .0,
            Value::Null
        );
        assert!(
            from_slice::<Vec<u8>>(b" ", DecodeMode::Tolerant)
                .unwrap()
                .0
                .is_empty()
        );
        let failure = from_slice::<Issue>(b"<html>", DecodeMode::Tolerant).unwrap_err();
        assert!(failure.message.starts_with("not JSON"), "{failure:?}");
    }

    #[test]
    fn shapes_erase_list_indices() {
        assert_eq!(shape_of("[3].labels[12].name"), "[].labels[].name");
        assert_eq!(shape_of("user"), "user");
    }
}
