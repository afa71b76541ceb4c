//! `gitcode api`: any path of the API, as `gh api` does it.
//!
//! ```text
//! gitcode api [-X METHOD] PATH [-F key=value]... [-f key=value]... [-H 'Name: value']...
//!             [--input FILE|-] [--paginate] [-i]
//! ```
//!
//! `PATH` is `/api/v5/...` or `/api/v8/...`, a query string allowed. `-F`
//! adds a typed field (a number, `true`, `false`, `null`, `@file` for a
//! file's contents, `@-` for standard input; anything else a string), `-f`
//! a string as written, `key[]=value` an element of a list. Fields go to
//! the query for GET and DELETE (and when `--input` gives the body), else
//! into a JSON object body (form-encoded instead when `-H` sets that
//! content type, as GitCode's pull request and label creation want).
//! Without `-X` the method is GET, or POST when fields or `--input` are
//! given. The request runs through the same client
//! as every command: token, rate limiter, retries, typed errors and exit
//! codes; an error status also prints the body the server sent.

use clap::{ArgAction, ArgMatches};
use reqwest::Method;
use serde_json::{Map, Value};

use super::Output;
use crate::Error;
use crate::invoke::{CliError, Globals, PageItems, check, read_source};

/// The `api` command.
pub fn command() -> clap::Command {
    clap::Command::new("api")
        .about("Call any API path (like `gh api`): /api/v5/... or /api/v8/...")
        .arg(
            clap::Arg::new("path")
                .required(true)
                .value_name("PATH")
                .help("/api/v5/... or /api/v8/..., a query string allowed"),
        )
        .arg(
            clap::Arg::new("method")
                .short('X')
                .long("method")
                .value_name("METHOD")
                .help("HTTP method (default GET, or POST with fields or --input)"),
        )
        .arg(
            clap::Arg::new("field")
                .short('F')
                .long("field")
                .value_name("KEY=VALUE")
                .action(ArgAction::Append)
                .help("A typed field: number, true, false, null, @file, @- (standard input), else a string"),
        )
        .arg(
            clap::Arg::new("raw-field")
                .short('f')
                .long("raw-field")
                .value_name("KEY=VALUE")
                .action(ArgAction::Append)
                .help("A string field, as written"),
        )
        .arg(super::header_arg("An extra request header"))
        .arg(
            clap::Arg::new("input")
                .long("input")
                .value_name("FILE")
                .help("The request body from FILE, or - for standard input (fields then go to the query)"),
        )
        .arg(
            clap::Arg::new("paginate")
                .long("paginate")
                .action(ArgAction::SetTrue)
                .help("Follow page/per_page to the last page and print one merged JSON array"),
        )
        .arg(
            clap::Arg::new("include")
                .short('i')
                .long("include")
                .action(ArgAction::SetTrue)
                .help("Print the status line and headers before the body"),
        )
}

/// A field's value.
#[derive(Debug, Clone, PartialEq)]
enum Field {
    One(String, Value),
    /// `key[]=value`: appended to the list `key`.
    Element(String, Value),
}

/// Runs `gitcode api ...`.
pub async fn run(globals: &Globals, sub: &ArgMatches, out: &mut Output) -> Result<(), CliError> {
    let path = sub.get_one::<String>("path").expect("required");
    if !(path.starts_with("/api/v5/") || path.starts_with("/api/v8/")) {
        let bare = path.trim_start_matches('/');
        return Err(CliError::Usage(format!(
            "PATH must start with /api/v5/ or /api/v8/ (for example /api/v5/{bare})"
        )));
    }
    // Fields in command-line order, `-F` and `-f` alike.
    let mut given = Vec::new();
    for (name, typed) in [("field", true), ("raw-field", false)] {
        let indices = sub.indices_of(name).into_iter().flatten();
        for (index, raw) in indices.zip(values(sub, name)) {
            given.push((index, raw, typed));
        }
    }
    given.sort_by_key(|(index, _, _)| *index);
    let fields = given
        .into_iter()
        .map(|(_, raw, typed)| field(raw, typed))
        .collect::<Result<Vec<_>, _>>()?;
    let input = match sub.get_one::<String>("input") {
        Some(source) => Some(read_source("--input", source)?),
        None => None,
    };
    let method = match sub.get_one::<String>("method") {
        Some(m) => Method::from_bytes(m.to_ascii_uppercase().as_bytes())
            .map_err(|_| CliError::Usage(format!("-X {m}: not an HTTP method")))?,
        None if !fields.is_empty() || input.is_some() => Method::POST,
        None => Method::GET,
    };
    let paginate = sub.get_flag("paginate");
    if paginate && method != Method::GET {
        return Err(CliError::Usage(format!(
            "--paginate follows pages of a GET, not a {method}"
        )));
    }

    let client = globals.default_client()?;
    let mut request = client.request(method.clone(), path);
    let mut content_type = None;
    for (name, value) in super::headers_given(sub)? {
        if name.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.to_string());
        } else {
            request = request.header(name, value);
        }
    }
    let in_query = input.is_some() || method == Method::GET || method == Method::DELETE;
    if in_query {
        request = request.query(&query_pairs(&fields));
    }
    let body = match input {
        Some(bytes) => Some(bytes),
        None if in_query || fields.is_empty() => None,
        // GitCode wants some bodies form-encoded (pull requests, labels).
        None if content_type
            .as_deref()
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded")) =>
        {
            let form = serde_urlencoded::to_string(query_pairs(&fields))
                .map_err(|e| CliError::Usage(format!("the fields do not form-encode: {e}")))?;
            Some(form.into_bytes())
        }
        None => Some(serde_json::to_vec(&json_body(fields)?).expect("JSON values serialise")),
    };
    match (body, content_type) {
        (Some(bytes), content_type) => {
            let content_type = content_type.as_deref().unwrap_or("application/json");
            request = request.body(content_type, bytes);
        }
        (None, Some(content_type)) => request = request.header("Content-Type", &content_type),
        (None, None) => {}
    }

    if paginate {
        return out
            .pages(request.raw_pages(), PageItems::List, check::nothing)
            .await;
    }
    match request.send_raw().await {
        Ok(raw) => {
            if sub.get_flag("include") {
                out.head(&raw)?;
            }
            out.answer(raw, check::nothing)
        }
        Err(Error::Api(e)) => {
            // Like `gh api`: the error body goes to standard output too.
            out.body(&e.body)?;
            Err(CliError::Api(Error::Api(e)))
        }
        Err(e) => Err(e.into()),
    }
}

fn values<'a>(matches: &'a ArgMatches, name: &str) -> impl Iterator<Item = &'a String> {
    matches.get_many::<String>(name).into_iter().flatten()
}

/// Parses `key=value` (`-F` typed, `-f` as a string).
fn field(raw: &str, typed: bool) -> Result<Field, CliError> {
    let flag = if typed { "-F" } else { "-f" };
    let (key, value) = raw
        .split_once('=')
        .ok_or_else(|| CliError::Usage(format!("{flag} {raw}: expected key=value")))?;
    if key.is_empty() {
        return Err(CliError::Usage(format!("{flag} {raw}: the key is empty")));
    }
    let value = if typed {
        typed_value(value)?
    } else {
        Value::String(value.to_string())
    };
    match key.strip_suffix("[]") {
        Some(list) if !list.is_empty() && !list.contains(['[', ']']) => {
            Ok(Field::Element(list.to_string(), value))
        }
        _ if key.contains(['[', ']']) => Err(CliError::Usage(format!(
            "{flag} {raw}: only `key[]` (a list element) is supported, not nested keys"
        ))),
        _ => Ok(Field::One(key.to_string(), value)),
    }
}

/// `-F`'s value: a JSON scalar when it reads as one, a file's contents for
/// `@file`, else the text.
fn typed_value(text: &str) -> Result<Value, CliError> {
    if let Some(source) = text.strip_prefix('@') {
        let bytes = read_source("-F", source)?;
        return String::from_utf8(bytes)
            .map(Value::String)
            .map_err(|_| CliError::Usage(format!("-F @{source}: the file is not UTF-8 text")));
    }
    match text {
        "true" => return Ok(Value::Bool(true)),
        "false" => return Ok(Value::Bool(false)),
        "null" => return Ok(Value::Null),
        _ => {}
    }
    if let Ok(n) = text.parse::<i64>() {
        return Ok(n.into());
    }
    if let Ok(x) = text.parse::<f64>()
        && x.is_finite()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || "+-.eE".contains(c))
    {
        return Ok(x.into());
    }
    Ok(Value::String(text.to_string()))
}

/// Fields as query pairs, in the order given (`null` as an empty value).
fn query_pairs(fields: &[Field]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|f| {
            let (key, value) = match f {
                Field::One(k, v) => (k.clone(), v),
                Field::Element(k, v) => (format!("{k}[]"), v),
            };
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (key, text)
        })
        .collect()
}

/// Fields as one JSON object; `key[]` fields collect into a list.
fn json_body(fields: Vec<Field>) -> Result<Value, CliError> {
    let mut body = Map::new();
    for f in fields {
        match f {
            Field::One(k, v) => {
                body.insert(k, v);
            }
            Field::Element(k, v) => match body
                .entry(k.clone())
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                Value::Array(list) => list.push(v),
                _ => {
                    return Err(CliError::Usage(format!(
                        "`{k}` is given both as a value and as a list (`{k}[]`)"
                    )));
                }
            },
        }
    }
    Ok(Value::Object(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_fields_read_as_json_scalars() {
        let f = |raw| field(raw, true).unwrap();
        assert_eq!(f("n=42"), Field::One("n".into(), json!(42)));
        assert_eq!(f("x=-1.5"), Field::One("x".into(), json!(-1.5)));
        assert_eq!(f("b=true"), Field::One("b".into(), json!(true)));
        assert_eq!(f("z=null"), Field::One("z".into(), Value::Null));
        assert_eq!(f("s=hello"), Field::One("s".into(), json!("hello")));
        assert_eq!(f("s=inf"), Field::One("s".into(), json!("inf")));
        assert_eq!(f("s=1e3x"), Field::One("s".into(), json!("1e3x")));
        assert_eq!(f("l[]=7"), Field::Element("l".into(), json!(7)));
        assert_eq!(
            field("n=42", false).unwrap(),
            Field::One("n".into(), json!("42"))
        );
    }

    #[test]
    fn a_typed_field_reads_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("body.md");
        std::fs::write(&path, "# Notes\n").unwrap();
        assert_eq!(
            field(&format!("body=@{}", path.display()), true).unwrap(),
            Field::One("body".into(), json!("# Notes\n"))
        );
        let error = field("body=@/no/such/file", true).unwrap_err();
        assert!(error.to_string().contains("/no/such/file"), "{error}");
    }

    #[test]
    fn bad_fields_are_usage_errors() {
        for bad in ["novalue", "=x", "a[b]=1", "[]=1"] {
            let error = field(bad, true).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{bad}: {error}");
        }
    }

    #[test]
    fn fields_become_a_body_or_a_query() {
        let fields = vec![
            Field::One("title".into(), json!("Bug")),
            Field::Element("labels".into(), json!("a")),
            Field::Element("labels".into(), json!("b")),
            Field::One("draft".into(), json!(false)),
        ];
        assert_eq!(
            json_body(fields.clone()).unwrap(),
            json!({"title": "Bug", "labels": ["a", "b"], "draft": false})
        );
        assert_eq!(
            query_pairs(&fields),
            [
                ("title".to_string(), "Bug".to_string()),
                ("labels[]".into(), "a".into()),
                ("labels[]".into(), "b".into()),
                ("draft".into(), "false".into()),
            ]
        );
        assert!(
            json_body(vec![
                Field::One("l".into(), json!(1)),
                Field::Element("l".into(), json!(2))
            ])
            .is_err()
        );
    }
}
