//! A scan of gc's Go package `api/` for the requests each function sends:
//! [`scan`].
//!
//! No Go toolchain: the files are gofmt'ed, so a careful lexical scan
//! suffices. Comments are blanked (strings kept), every top-level `func` is
//! cut out by matching its braces, and its body is read statement by
//! statement in the order written:
//! - an assignment to one name (`path := ...`, `path += ...`,
//!   `endpoint = ...`) evaluates its right side as a path template and keeps
//!   it under that name;
//! - a call of one of `Client`'s request methods (`client.Get(path, ..)`,
//!   `client.RawREST("POST", endpoint, ..)`) on a `*Client` parameter is a
//!   request: its method (from the primitive, or the literal it is given)
//!   and its path, evaluated;
//! - a call of another function of the package is remembered, so that a
//!   function that only composes others (`CloseIssue`: `GetIssue`, then
//!   `UpdateIssue`) is credited with their requests.
//!
//! A path evaluates term by term (`+`): string literals as written,
//! `url.PathEscape(x)`, `strconv.Itoa(x)` and the like as their argument,
//! `fmt.Sprintf` by its verbs, a package helper (`escapedRepoPath(owner,
//! repo)`) by its first `return` with its parameters bound, a name by what it
//! was last assigned, and anything else as the placeholder `{name}`. The
//! query (from the first `?`, also a `newQueryBuilder()` chain) is cut off.

use std::collections::BTreeMap;

/// One request a function sends itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, ... (upper case); `{method}` when the caller chooses it.
    pub method: String,
    /// The path as gc writes it, with the prefix its `Client` adds
    /// (`/api/v5/repos/{owner}/{repo}/issues/{number}`), without the query.
    pub path: String,
}

/// One function (or method) of the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// `GetIssue`, or `Client.Get` for a method.
    pub name: String,
    /// `api/queries_issue.go`.
    pub file: String,
    /// The line of its `func` (from 1).
    pub line: usize,
    pub exported: bool,
    /// One of `Client`'s request methods: it sends whatever path its
    /// caller passes.
    pub primitive: bool,
    /// The requests it sends itself, in the order written.
    pub requests: Vec<Request>,
    /// The functions of the package it calls, in the order written.
    pub calls: Vec<String>,
    parameters: Vec<String>,
    /// Its body, comments blanked.
    body: String,
}

/// `Client`'s request methods: the method each sends (`None`: its first
/// argument says) and whether it prefixes `/api/<DefaultAPIVersion>`
/// (`RawREST` only when the path does not start with `/api/`; `UploadToURL`
/// never: it takes a whole URL).
const PRIMITIVES: &[(&str, Option<&str>, Prefix)] = &[
    ("REST", None, Prefix::Always),
    ("RawREST", None, Prefix::UnlessApi),
    ("Get", Some("GET"), Prefix::Always),
    ("GetText", Some("GET"), Prefix::Always),
    ("Post", Some("POST"), Prefix::Always),
    ("PostForm", Some("POST"), Prefix::Always),
    ("Put", Some("PUT"), Prefix::Always),
    ("Patch", Some("PATCH"), Prefix::Always),
    ("PatchForm", Some("PATCH"), Prefix::Always),
    ("Delete", Some("DELETE"), Prefix::Always),
    ("UploadAsset", Some("POST"), Prefix::Always),
    ("UploadToURL", Some("PUT"), Prefix::Never),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    Always,
    UnlessApi,
    Never,
}

/// Scans the package's files (`(path, text)`, `_test.go` files left out by
/// the caller). Fails, naming the file and line, on what the scan cannot
/// read: a `func` without a body, a `Client` method that sends requests but
/// is not one of the primitives it knows, a missing `DefaultAPIVersion`.
pub fn scan(files: &[(String, String)]) -> Result<Vec<Function>, String> {
    let mut functions = Vec::new();
    let mut version = None;
    for (file, text) in files {
        let code = blank_comments(text);
        if version.is_none() {
            version = api_version(&code);
        }
        functions.extend(functions_of(file, &code)?);
    }
    let version = version.ok_or("no `DefaultAPIVersion = \"...\"` constant in the package")?;
    let prefix = format!("/api/{version}");
    let names: BTreeMap<String, usize> = functions
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.name.contains('.'))
        .map(|(i, f)| (f.name.clone(), i))
        .collect();
    for f in &functions {
        if let Some(method) = f.name.strip_prefix("Client.") {
            let sends = f.body.contains(".Do(")
                || PRIMITIVES
                    .iter()
                    .any(|(p, ..)| f.body.contains(&format!(".{p}(")));
            let known = PRIMITIVES.iter().any(|(p, ..)| *p == method);
            if sends && !known && f.exported {
                return Err(format!(
                    "{}:{}: `Client.{method}` sends requests but is not a request method the scan knows; add it to PRIMITIVES in codegen/src/evidence/gitcode_cli/scan.rs",
                    f.file, f.line
                ));
            }
        }
    }
    let snapshot = functions.clone();
    for f in &mut functions {
        if f.name.contains('.') {
            f.primitive = f
                .name
                .strip_prefix("Client.")
                .is_some_and(|m| PRIMITIVES.iter().any(|(p, ..)| *p == m));
            continue;
        }
        let (requests, calls) = read_body(f, &snapshot, &names, &prefix);
        f.requests = requests;
        f.calls = calls;
    }
    Ok(functions)
}

/// The request of a primitive, for its own row: its method (or `{method}`)
/// and its caller's path with the prefix it adds (`/api/v5{path}`;
/// `{endpoint}` for `RawREST`, which adds it only to paths outside `/api/`;
/// `{uploadURL}` for a whole URL).
pub fn primitive_request(name: &str, prefix_version: &str) -> Option<Request> {
    let method = name.strip_prefix("Client.")?;
    let (_, fixed, prefix) = PRIMITIVES.iter().find(|(p, ..)| *p == method)?;
    Some(Request {
        method: fixed.unwrap_or("{method}").to_string(),
        path: match prefix {
            Prefix::Always => format!("/api/{prefix_version}{{path}}"),
            Prefix::UnlessApi => "{endpoint}".to_string(),
            Prefix::Never => "{uploadURL}".to_string(),
        },
    })
}

/// The value of `DefaultAPIVersion = "v5"`.
pub fn api_version(code: &str) -> Option<String> {
    let at = code.find("DefaultAPIVersion")?;
    let rest = code[at + "DefaultAPIVersion".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// `text` with every comment replaced by spaces (newlines kept), strings and
/// runes untouched.
pub fn blank_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' | b'\'' | b'`' => {
                let end = literal_end(bytes, i);
                out.extend_from_slice(&bytes[i..end]);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out.push(b' ');
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
                for &c in &bytes[i..end] {
                    out.push(if c == b'\n' { b'\n' } else { b' ' });
                }
                i = end;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    // Only ASCII bytes were replaced, and by ASCII: still UTF-8.
    String::from_utf8(out).expect("blanking comments keeps UTF-8")
}

/// The end (exclusive) of the string or rune literal starting at `start`.
fn literal_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote != b'`' => i += 2,
            c if c == quote => return i + 1,
            b'\n' if quote != b'`' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The top-level functions of a file (comments blanked).
fn functions_of(file: &str, code: &str) -> Result<Vec<Function>, String> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut line_start = 0;
    for (number, line) in code.split_inclusive('\n').enumerate() {
        let start = line_start;
        line_start += line.len();
        let Some(rest) = line.strip_prefix("func ") else {
            continue;
        };
        let at = |msg: &str| format!("{file}:{}: {msg}", number + 1);
        let mut cursor = start + "func ".len();
        // The receiver: `(c *Client)`.
        let mut receiver = None;
        if rest.starts_with('(') {
            let close = matching(bytes, cursor).ok_or_else(|| at("unclosed receiver"))?;
            let text = &code[cursor + 1..close];
            receiver = text
                .split_whitespace()
                .last()
                .map(|t| t.trim_start_matches('*').to_string());
            cursor = close + 1;
        }
        let tail = &code[cursor..];
        let name_start = cursor + (tail.len() - tail.trim_start().len());
        let name_len = code[name_start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .ok_or_else(|| at("no function name"))?;
        let bare = &code[name_start..name_start + name_len];
        // Generic functions (`func F[T any](..)`) are not used in the package.
        let open = name_start + name_len;
        if bytes.get(open) != Some(&b'(') {
            return Err(at(&format!("`{bare}`: expected `(` after the name")));
        }
        let close = matching(bytes, open).ok_or_else(|| at("unclosed parameter list"))?;
        let parameters = parameter_names(&code[open + 1..close]);
        let client_params: Vec<String> = split_top(&code[open + 1..close], b',')
            .iter()
            .filter(|p| p.trim().ends_with("*Client"))
            .filter_map(|p| p.split_whitespace().next().map(str::to_string))
            .collect();
        let body_open =
            body_start(bytes, close + 1).ok_or_else(|| at(&format!("`{bare}` has no body")))?;
        let body_close =
            matching(bytes, body_open).ok_or_else(|| at(&format!("`{bare}`: unclosed body")))?;
        let name = match &receiver {
            Some(r) => format!("{r}.{bare}"),
            None => bare.to_string(),
        };
        let mut parameters = parameters;
        // Remember which parameters are clients, by a marker the body scan reads.
        for c in &client_params {
            parameters.push(format!("*{c}"));
        }
        out.push(Function {
            name,
            file: file.to_string(),
            line: number + 1,
            exported: bare.starts_with(|c: char| c.is_ascii_uppercase()),
            primitive: false,
            requests: Vec::new(),
            calls: Vec::new(),
            parameters,
            body: code[body_open + 1..body_close].to_string(),
        });
    }
    Ok(out)
}

/// The names of a parameter list (`client *Client, owner, repo string`).
fn parameter_names(list: &str) -> Vec<String> {
    split_top(list, b',')
        .iter()
        .filter_map(|p| p.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The `{` that opens a body, from `from` on: the first one, outside
/// parentheses, that does not open an empty `interface{}`/`struct{}`.
fn body_start(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' | b'`' => {
                i = literal_end(bytes, i);
                continue;
            }
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b'{' if depth == 0 => {
                let next = bytes[i + 1..].iter().find(|c| !c.is_ascii_whitespace());
                if next != Some(&b'}') {
                    return Some(i);
                }
            }
            b'\n' if depth == 0 && i > from && bytes[i - 1] != b',' => {
                // A declaration without a body ends its line.
                let before = bytes[from..i]
                    .iter()
                    .rev()
                    .find(|c| !c.is_ascii_whitespace());
                if before.is_some_and(|&c| c != b'{' && c != b',' && c != b'(') {
                    return None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the bracket closing the one at `open`.
fn matching(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' | b'`' => {
                i = literal_end(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `text` split at `sep` outside brackets and literals, each piece trimmed.
fn split_top(text: &str, sep: u8) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' | b'`' => {
                i = literal_end(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            c if c == sep && depth == 0 => {
                out.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let last = text[start..].trim();
    if !last.is_empty() || !out.is_empty() {
        out.push(last);
    }
    out.retain(|p| !p.is_empty());
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Reads a body in order: assignments, requests, calls of package functions.
fn read_body(
    f: &Function,
    all: &[Function],
    names: &BTreeMap<String, usize>,
    prefix: &str,
) -> (Vec<Request>, Vec<String>) {
    let clients: Vec<&str> = f
        .parameters
        .iter()
        .filter_map(|p| p.strip_prefix('*'))
        .collect();
    let body = f.body.as_str();
    let bytes = body.as_bytes();
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    let mut requests: Vec<Request> = Vec::new();
    let mut calls: Vec<String> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if matches!(c, b'"' | b'\'' | b'`') {
            i = literal_end(bytes, i);
            continue;
        }
        if !is_ident(c) || (i > 0 && (is_ident(bytes[i - 1]) || bytes[i - 1] == b'.')) {
            i += 1;
            continue;
        }
        let len = body[i..]
            .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
            .unwrap_or(body.len() - i);
        let word = &body[i..i + len];
        let after = i + len;
        // `client.Method(`: a request.
        if clients.contains(&word) && bytes.get(after) == Some(&b'.') {
            let m_start = after + 1;
            let m_len = body[m_start..]
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .unwrap_or(0);
            let method = &body[m_start..m_start + m_len];
            let open = m_start + m_len;
            if let (Some((_, fixed, pfx)), Some(b'(')) = (
                PRIMITIVES.iter().find(|(p, ..)| *p == method),
                bytes.get(open),
            ) && let Some(close) = matching(bytes, open)
            {
                let args = split_top(&body[open + 1..close], b',');
                let (verb, path_arg) = match fixed {
                    Some(v) => (v.to_string(), args.first().copied()),
                    None => (
                        args.first().map_or("{method}".into(), |a| {
                            let v = eval(a, &env, all, names, 0);
                            v.to_uppercase()
                        }),
                        args.get(1).copied(),
                    ),
                };
                let raw = path_arg.map_or("{?}".to_string(), |a| eval(a, &env, all, names, 0));
                let path = raw.split('?').next().unwrap_or_default().to_string();
                let path = match pfx {
                    Prefix::Always => format!("{prefix}{path}"),
                    Prefix::UnlessApi if path.starts_with("/api/") => path,
                    Prefix::UnlessApi => format!("{prefix}{path}"),
                    Prefix::Never => path,
                };
                let request = Request { method: verb, path };
                if !requests.contains(&request) {
                    requests.push(request);
                }
                i = close + 1;
                continue;
            }
        }
        // `name := expr`, `name = expr`, `name += expr`.
        let rest = &body[after..];
        let trimmed = rest.trim_start_matches([' ', '\t']);
        let op = [":=", "+=", "="]
            .into_iter()
            .find(|op| trimmed.starts_with(op) && !trimmed.starts_with("=="));
        let at_statement_start = body[..i]
            .trim_end_matches([' ', '\t'])
            .ends_with(['\n', '{', ';'])
            || body[..i].trim().is_empty();
        if let Some(op) = op
            && at_statement_start
        {
            let expr_start = after + (rest.len() - trimmed.len()) + op.len();
            let expr_end = expression_end(bytes, expr_start);
            let expr = &body[expr_start..expr_end];
            let value = eval(expr, &env, all, names, 0);
            let value = if op == "+=" {
                format!("{}{value}", env.get(word).cloned().unwrap_or_default())
            } else {
                value
            };
            env.insert(word.to_string(), value);
            // The right side is scanned too (it may call a function or send).
            i = expr_start;
            continue;
        }
        // `Name(`: a call of a package function.
        if bytes.get(after) == Some(&b'(')
            && names.contains_key(word)
            && word != f.name
            && !calls.iter().any(|c| c == word)
        {
            calls.push(word.to_string());
        }
        i = after;
    }
    (requests, calls)
}

/// Where an expression starting at `start` ends: a newline outside
/// brackets, unless the line ends with an operator that continues it.
fn expression_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0i32;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' | b'`' => {
                i = literal_end(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                if depth == 0 {
                    return i;
                }
                depth -= 1;
            }
            b'\n' | b';' if depth == 0 => {
                let last = bytes[start..i]
                    .iter()
                    .rev()
                    .find(|c| !c.is_ascii_whitespace());
                if !last.is_some_and(|c| matches!(c, b'+' | b'.' | b',' | b'|' | b'&')) {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Functions of the standard library whose value, in a path, is their first
/// argument's.
const PASS_THROUGH: &[&str] = &[
    "url.PathEscape",
    "url.QueryEscape",
    "strconv.Itoa",
    "strconv.FormatInt",
    "strconv.FormatUint",
    "strings.TrimSpace",
    "fmt.Sprint",
    "string",
];

/// The path template an expression builds.
fn eval(
    expr: &str,
    env: &BTreeMap<String, String>,
    all: &[Function],
    names: &BTreeMap<String, usize>,
    depth: usize,
) -> String {
    split_top(expr, b'+')
        .into_iter()
        .map(|term| eval_term(term, env, all, names, depth))
        .collect()
}

fn eval_term(
    term: &str,
    env: &BTreeMap<String, String>,
    all: &[Function],
    names: &BTreeMap<String, usize>,
    depth: usize,
) -> String {
    let term = term.trim();
    if term.starts_with('"') || term.starts_with('`') {
        return unquote(term);
    }
    if term.starts_with("newQueryBuilder(") {
        return "?query".into();
    }
    if let Some(inner) = term.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        return eval(inner, env, all, names, depth);
    }
    let ident_len = term
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(term.len());
    let callee = &term[..ident_len];
    if term[ident_len..].starts_with('(') {
        let Some(close) = matching(term.as_bytes(), ident_len) else {
            return "{?}".into();
        };
        let args = split_top(&term[ident_len + 1..close], b',');
        if PASS_THROUGH.contains(&callee) {
            return args
                .first()
                .map_or_else(String::new, |a| eval(a, env, all, names, depth));
        }
        if callee == "fmt.Sprintf" {
            let Some(format) = args.first() else {
                return "{?}".into();
            };
            return sprintf(&unquote(format), &args[1..], env, all, names, depth);
        }
        if let Some(&index) = names.get(callee)
            && depth < 8
        {
            return helper(&all[index], &args, env, all, names, depth + 1);
        }
        return format!("{{{callee}}}");
    }
    if ident_len == term.len() && !term.is_empty() {
        return env
            .get(term)
            .cloned()
            .unwrap_or_else(|| format!("{{{term}}}"));
    }
    "{?}".into()
}

/// A package helper's first `return`, its parameters bound to the
/// arguments' values.
fn helper(
    f: &Function,
    args: &[&str],
    env: &BTreeMap<String, String>,
    all: &[Function],
    names: &BTreeMap<String, usize>,
    depth: usize,
) -> String {
    let Some(at) = f.body.find("return ") else {
        return format!("{{{}}}", f.name);
    };
    let start = at + "return ".len();
    let end = expression_end(f.body.as_bytes(), start);
    let mut bound = BTreeMap::new();
    for (name, arg) in f
        .parameters
        .iter()
        .filter(|p| !p.starts_with('*'))
        .zip(args)
    {
        bound.insert(name.clone(), eval(arg, env, all, names, depth));
    }
    eval(&f.body[start..end], &bound, all, names, depth)
}

/// `fmt.Sprintf`: each verb (`%s`, `%d`, `%v`, ...) replaced by the next
/// argument's value; `%%` is `%`.
fn sprintf(
    format: &str,
    args: &[&str],
    env: &BTreeMap<String, String>,
    all: &[Function],
    names: &BTreeMap<String, usize>,
    depth: usize,
) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        // Flags and width, then the verb letter.
        while chars.peek().is_some_and(|c| !c.is_ascii_alphabetic()) {
            chars.next();
        }
        chars.next();
        out.push_str(
            &args
                .next()
                .map_or("{?}".into(), |a| eval(a, env, all, names, depth)),
        );
    }
    out
}

/// A Go string literal's text (the common escapes only).
fn unquote(literal: &str) -> String {
    if let Some(raw) = literal.strip_prefix('`') {
        return raw.strip_suffix('`').unwrap_or(raw).to_string();
    }
    let inner = literal.strip_prefix('"').unwrap_or(literal);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanned(src: &str) -> Vec<Function> {
        let consts = "package api\nconst (\n\tDefaultAPIVersion = \"v5\"\n)\n";
        scan(&[
            ("api/client.go".into(), consts.into()),
            ("api/x.go".into(), src.into()),
        ])
        .unwrap()
    }

    fn find<'a>(fs: &'a [Function], name: &str) -> &'a Function {
        fs.iter().find(|f| f.name == name).unwrap()
    }

    #[test]
    fn paths_are_evaluated_through_helpers_literals_and_query_builders() {
        let src = r#"package api
func escapedRepoPath(owner, repo string) string {
	return "/repos/" + url.PathEscape(owner) + "/" + url.PathEscape(repo)
}

// GetIssue gets one. client.Get("/not/this", nil) in a comment is no request.
func GetIssue(client *Client, owner, repo string, number int) (*Issue, error) {
	path := escapedRepoPath(owner, repo) + "/issues/" + strconv.Itoa(number)
	path += newQueryBuilder().Set("a", "b").String()
	var issue Issue
	err := client.Get(path, &issue)
	return &issue, err
}

func Run(client *Client, owner, repo, id string, body map[string]interface{}) error {
	endpoint := "/api/v8/repos/" + url.PathEscape(owner) + "/" + url.PathEscape(repo) +
		"/actions/workflows/" + url.PathEscape(id) + "/dispatches"
	_, err := client.RawREST("POST", endpoint, nil, nil)
	return client.Put(fmt.Sprintf("/users/%s/x?y=%d", id, 3), map[string]int{"a": 1}, nil)
}

func CloseIssue(client *Client, owner, repo string, number int) error {
	_, err := GetIssue(client, owner, repo, number)
	return err
}
"#;
        let fs = scanned(src);
        let get = find(&fs, "GetIssue");
        assert_eq!(
            get.requests,
            vec![Request {
                method: "GET".into(),
                path: "/api/v5/repos/{owner}/{repo}/issues/{number}".into()
            }]
        );
        let run = find(&fs, "Run");
        assert_eq!(run.requests[0].method, "POST");
        assert_eq!(
            run.requests[0].path,
            "/api/v8/repos/{owner}/{repo}/actions/workflows/{id}/dispatches"
        );
        assert_eq!(run.requests[1].method, "PUT");
        assert_eq!(run.requests[1].path, "/api/v5/users/{id}/x");
        let close = find(&fs, "CloseIssue");
        assert!(close.requests.is_empty());
        assert_eq!(close.calls, vec!["GetIssue".to_string()]);
        assert!(!find(&fs, "escapedRepoPath").exported);
    }

    #[test]
    fn an_unknown_client_method_that_sends_is_refused() {
        let src = "package api\nfunc (c *Client) Head(path string) error {\n\t_, err := c.httpClient.Do(nil)\n\treturn err\n}\n";
        let consts = "package api\nconst DefaultAPIVersion = \"v5\"\n";
        let err = scan(&[
            ("api/client.go".into(), consts.into()),
            ("api/x.go".into(), src.into()),
        ])
        .unwrap_err();
        assert!(
            err.contains("api/x.go:2") && err.contains("Client.Head"),
            "{err}"
        );
    }

    #[test]
    fn comments_are_blanked_but_strings_kept() {
        assert_eq!(
            blank_comments("a // b\n\"//c\" /* d\n*/e"),
            "a     \n\"//c\"     \n  e"
        );
    }
}
