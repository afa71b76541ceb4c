//! Reading a HAR 1.2 file, from any tool: [`parse`], [`read`].
//!
//! HAR (<http://www.softwareishard.com/blog/har-12-spec/>) is what browsers'
//! developer tools, mitmproxy, Charles and `gitcode --record` write: one JSON
//! object `{"log": {"entries": [...]}}`, each entry a request and its
//! response. What this reader takes from an entry:
//! - `request.method` and `request.url` (both required), `request.headers`,
//!   `request.cookies`, `request.postData` (`mimeType`, `text` or `params`;
//!   `"encoding": "base64"` for a body that is not text);
//! - `response.status` (`0`, or no `response`: the request got no answer,
//!   Chrome's `_error`), `response.headers`, `response.cookies`,
//!   `response.content` (`mimeType`, `size`, `text`, `encoding`); a `text`
//!   that is absent is a body the tool did not keep;
//! - `_gitcode` (`gitcode --record`'s own field): the operation the client
//!   meant, its path template and the attempt.
//!
//! Everything else (`pages`, `timings`, `_initiator`, `_resourceType`,
//! sizes) is ignored. A file that is not JSON, is cut off, or is not a HAR
//! is a [`HarError`] naming the file, the line and column, and the entry it
//! ends in; an entry that cannot be read is an [`EntryError`] of its own, so
//! that the file's other entries are still read.

use std::cell::Cell;
use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A HAR file that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HarError {
    /// The file.
    pub path: PathBuf,
    /// The entry (`log.entries[n]`) the problem is in, when it is in one.
    pub entry: Option<usize>,
    /// The line and column (from 1) where the JSON parser stopped.
    pub position: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for HarError {
    /// `FILE:LINE:COLUMN: in log.entries[N]: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(entry) = self.entry {
            write!(f, ": in log.entries[{entry}]")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for HarError {}

/// An entry that could not be read; the file's other entries still are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    /// Its index in `log.entries`.
    pub index: usize,
    /// What is wrong (`request.url is missing`).
    pub message: String,
}

/// A HAR file, read.
#[derive(Debug, Clone)]
pub struct HarFile {
    /// Where it was read from (as given).
    pub path: PathBuf,
    /// `log.creator.name` and `version`, when given (`gitcode-rs 0.1.0`).
    pub creator: Option<String>,
    /// Every entry, in file order: read, or why not.
    pub entries: Vec<Result<Entry, EntryError>>,
}

/// One exchange of a HAR file.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its index in `log.entries`.
    pub index: usize,
    /// What was sent.
    pub request: Request,
    /// What came back; `None` when nothing did (status 0, no `response`).
    pub response: Option<Response>,
    /// `_gitcode`, when the recording is `gitcode --record`'s.
    pub gitcode: Option<GitcodeMeta>,
}

/// The request of an entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The method, upper case.
    pub method: String,
    /// The URL as written in the file.
    pub url: String,
    /// The URL's parts.
    pub target: Target,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// `request.cookies`: `(name, value)`.
    pub cookies: Vec<(String, String)>,
    /// `request.postData`, when there is a body.
    pub body: Option<Content>,
}

/// The response of an entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// `response.cookies`: `(name, value)`.
    pub cookies: Vec<(String, String)>,
    /// `response.content`.
    pub body: Content,
}

/// A body as the file holds it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Content {
    /// `mimeType`, when given.
    pub mime_type: Option<String>,
    /// The bytes (`text`, decoded when base64); `None` when the tool did
    /// not keep them.
    pub bytes: Option<Vec<u8>>,
    /// `postData.params` (`name`, and `value` or `fileName`), when given.
    pub params: Option<Vec<(String, String)>>,
    /// `content.size`: the size the tool says the body had (`None` when
    /// absent or `-1`).
    pub size: Option<u64>,
}

impl Content {
    /// The bytes kept are fewer than the size the tool gives: the body was
    /// cut short.
    pub fn truncated(&self) -> bool {
        matches!((&self.bytes, self.size), (Some(bytes), Some(size)) if (bytes.len() as u64) < size)
    }
}

/// `_gitcode`: what `gitcode --record` knew of the exchange.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitcodeMeta {
    /// The spec operation the client sent (`None`: a path of its own).
    pub operation_id: Option<String>,
    /// That operation's path template.
    pub path_template: Option<String>,
    /// The attempt, from 1 (a retry is 2, ...).
    pub attempt: Option<u64>,
}

/// A URL, in parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// `http` or `https`, lower case.
    pub scheme: String,
    /// The host, lower case (an IPv6 address without its brackets).
    pub host: String,
    /// The port written in the URL.
    pub port: Option<u16>,
    /// The path as sent (percent-encoded), `/` at least.
    pub path: String,
    /// The query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
}

impl Target {
    /// Splits an absolute `http(s)` URL; `None` if it is not one.
    pub fn parse(url: &str) -> Option<Target> {
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return None;
        }
        let rest = rest.split('#').next().unwrap_or_default();
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(authority_end);
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
            let (host, after) = v6.split_once(']')?;
            (host, after.strip_prefix(':'))
        } else {
            match host_port.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (host_port, None),
            }
        };
        if host.is_empty() {
            return None;
        }
        let port = match port {
            Some(p) if !p.is_empty() => Some(p.parse().ok()?),
            _ => None,
        };
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        Some(Target {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            path: if path.is_empty() {
                "/".into()
            } else {
                path.into()
            },
            query: decode_query(query),
        })
    }

    /// The port, or the scheme's default.
    pub fn port_or_default(&self) -> u16 {
        self.port
            .unwrap_or(if self.scheme == "https" { 443 } else { 80 })
    }
}

/// `a=1&b=x%20y&c` as `[(a, 1), (b, x y), (c, "")]` (`+` is a space).
fn decode_query(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Reads and parses the HAR file at `path`.
pub fn read(path: &Path) -> Result<HarFile, HarError> {
    let bytes = std::fs::read(path).map_err(|e| HarError {
        path: path.to_path_buf(),
        entry: None,
        position: None,
        message: format!("cannot read the file: {e}"),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| HarError {
        path: path.to_path_buf(),
        entry: None,
        position: None,
        message: format!(
            "not a HAR file: not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ),
    })?;
    parse(path, &text)
}

/// Parses `text`, the contents of the HAR file `path`.
///
/// ```
/// use gitcode_codegen::evidence::traffic::har::parse;
/// let text = r#"{"log": {"version": "1.2", "entries": [
///   {"request": {"method": "GET", "url": "https://api.gitcode.com/api/v5/user"},
///    "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{}"}}},
///   {"request": {"method": "GET"}}
/// ]}}"#;
/// let har = parse("a.har".as_ref(), text).unwrap();
/// assert_eq!(har.entries[0].as_ref().unwrap().request.target.path, "/api/v5/user");
/// assert_eq!(har.entries[1].as_ref().unwrap_err().message, "request.url is missing");
///
/// let cut = parse("b.har".as_ref(), &text[..120]).unwrap_err();
/// assert_eq!(cut.entry, Some(0));
/// assert!(cut.to_string().starts_with("b.har:3:1: in log.entries[0]: the JSON ends early"), "{cut}");
/// ```
pub fn parse(path: &Path, text: &str) -> Result<HarFile, HarError> {
    let progress = Progress::default();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = Root {
        progress: &progress,
    }
    .deserialize(&mut deserializer)
    .and_then(|log| deserializer.end().map(|()| log));
    let log = parsed.map_err(|e| {
        let entry = progress.in_entries.get().then(|| progress.read.get());
        let message = match e.classify() {
            serde_json::error::Category::Eof => {
                "the JSON ends early: the file is cut off".to_string()
            }
            serde_json::error::Category::Syntax => format!("not valid JSON: {}", plain(&e)),
            serde_json::error::Category::Data => format!("not a HAR file: {}", plain(&e)),
            serde_json::error::Category::Io => plain(&e),
        };
        HarError {
            path: path.to_path_buf(),
            entry,
            position: (e.line() > 0).then(|| (e.line(), e.column().max(1))),
            message,
        }
    })?;
    let Some(entries) = log.entries else {
        return Err(HarError {
            path: path.to_path_buf(),
            entry: None,
            position: None,
            message: "not a HAR file: no `log.entries` list".into(),
        });
    };
    Ok(HarFile {
        path: path.to_path_buf(),
        creator: log.creator,
        entries: entries
            .iter()
            .enumerate()
            .map(|(index, value)| {
                entry(index, value).map_err(|message| EntryError { index, message })
            })
            .collect(),
    })
}

/// serde_json's message without its " at line L column C" (printed apart).
fn plain(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// How far the parser got: whether it is inside `log.entries`, and how many
/// entries it has read, to name the entry a broken file breaks in.
#[derive(Default)]
struct Progress {
    in_entries: Cell<bool>,
    read: Cell<usize>,
}

/// What the file's `log` holds that this reader keeps.
struct Log {
    creator: Option<String>,
    entries: Option<Vec<Value>>,
}

struct Root<'p> {
    progress: &'p Progress,
}

impl<'de> DeserializeSeed<'de> for Root<'_> {
    type Value = Log;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Log, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Root<'_> {
    type Value = Log;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR document, an object with `log`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Log, A::Error> {
        let mut log = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" {
                log = Some(map.next_value_seed(LogSeed {
                    progress: self.progress,
                })?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        log.ok_or_else(|| de::Error::custom("no `log` object"))
    }
}

struct LogSeed<'p> {
    progress: &'p Progress,
}

impl<'de> DeserializeSeed<'de> for LogSeed<'_> {
    type Value = Log;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Log, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LogSeed<'_> {
    type Value = Log;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`log` as an object with `entries`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Log, A::Error> {
        let mut log = Log {
            creator: None,
            entries: None,
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "entries" => {
                    log.entries = Some(map.next_value_seed(EntriesSeed {
                        progress: self.progress,
                    })?);
                }
                "creator" => {
                    let creator: Value = map.next_value()?;
                    let name = creator.get("name").and_then(Value::as_str);
                    let version = creator.get("version").and_then(Value::as_str);
                    log.creator = name.map(|n| match version {
                        Some(v) => format!("{n} {v}"),
                        None => n.to_string(),
                    });
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(log)
    }
}

struct EntriesSeed<'p> {
    progress: &'p Progress,
}

impl<'de> DeserializeSeed<'de> for EntriesSeed<'_> {
    type Value = Vec<Value>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<Value>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntriesSeed<'_> {
    type Value = Vec<Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`log.entries` as a list of entries")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Value>, A::Error> {
        self.progress.in_entries.set(true);
        let mut entries = Vec::new();
        while let Some(entry) = seq.next_element::<Value>()? {
            entries.push(entry);
            self.progress.read.set(entries.len());
        }
        self.progress.in_entries.set(false);
        Ok(entries)
    }
}

/// One entry of `log.entries`, or why it cannot be read.
fn entry(index: usize, value: &Value) -> Result<Entry, String> {
    let request = value
        .get("request")
        .filter(|r| r.is_object())
        .ok_or("the entry has no `request` object")?;
    let method = text_field(request, "method", "request")?.to_ascii_uppercase();
    let url = text_field(request, "url", "request")?;
    let target = Target::parse(&url).ok_or_else(|| {
        format!(
            "request.url is not an absolute http(s) URL: `{}`",
            cut(&url)
        )
    })?;
    let body = match request.get("postData") {
        None | Some(Value::Null) => None,
        Some(post) => Some(content(post, "request.postData")?),
    };
    let response = match value.get("response") {
        None | Some(Value::Null) => None,
        Some(response) => {
            let status = response
                .get("status")
                .and_then(Value::as_u64)
                .ok_or("response.status is missing or not a number")?;
            match status {
                0 => None, // no answer (Chrome: `_error`)
                100..=999 => Some(Response {
                    status: status as u16,
                    headers: pairs(response.get("headers"), "value"),
                    cookies: pairs(response.get("cookies"), "value"),
                    body: match response.get("content") {
                        None | Some(Value::Null) => Content::default(),
                        Some(c) => content(c, "response.content")?,
                    },
                }),
                other => return Err(format!("response.status {other} is not an HTTP status")),
            }
        }
    };
    let gitcode = value.get("_gitcode").filter(|g| g.is_object()).map(|g| {
        let text = |key: &str| g.get(key).and_then(Value::as_str).map(String::from);
        GitcodeMeta {
            operation_id: text("operation_id"),
            path_template: text("path_template"),
            attempt: g.get("attempt").and_then(Value::as_u64),
        }
    });
    Ok(Entry {
        index,
        request: Request {
            method,
            url,
            target,
            headers: pairs(request.get("headers"), "value"),
            cookies: pairs(request.get("cookies"), "value"),
            body,
        },
        response,
        gitcode,
    })
}

/// A required string field of `object` (`request.url`).
fn text_field(object: &Value, key: &str, within: &str) -> Result<String, String> {
    match object.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        None | Some(Value::Null) => Err(format!("{within}.{key} is missing")),
        Some(_) => Err(format!("{within}.{key} is not a string")),
    }
}

/// `[{name, value}]` as pairs; items that are not such objects are left
/// out (a tool's own additions).
fn pairs(list: Option<&Value>, value_key: &str) -> Vec<(String, String)> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| {
            let name = item.get("name")?.as_str()?;
            let value = item.get(value_key).and_then(Value::as_str).unwrap_or("");
            Some((name.to_string(), value.to_string()))
        })
        .collect()
}

/// `postData` or `content`.
fn content(value: &Value, within: &str) -> Result<Content, String> {
    if !value.is_object() {
        return Err(format!("{within} is not an object"));
    }
    let base64 = match value.get("encoding") {
        None | Some(Value::Null) => false,
        Some(Value::String(e)) if e.eq_ignore_ascii_case("base64") => true,
        Some(Value::String(e)) if e.is_empty() => false,
        Some(other) => {
            return Err(format!(
                "{within}.encoding {other} is not one this reader knows (base64)"
            ));
        }
    };
    let bytes = match value.get("text") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) if base64 => Some(
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|e| format!("{within}.text is not valid base64: {e}"))?,
        ),
        Some(Value::String(text)) => Some(text.clone().into_bytes()),
        Some(_) => return Err(format!("{within}.text is not a string")),
    };
    let params = value.get("params").and_then(Value::as_array).map(|list| {
        list.iter()
            .filter_map(|p| {
                let name = p.get("name")?.as_str()?;
                let value = p
                    .get("fileName")
                    .or_else(|| p.get("value"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                Some((name.to_string(), value.to_string()))
            })
            .collect()
    });
    Ok(Content {
        mime_type: value
            .get("mimeType")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
            .map(String::from),
        bytes,
        params,
        size: value.get("size").and_then(Value::as_u64),
    })
}

/// At most 80 characters of `text`, for a message.
fn cut(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<HarFile, HarError> {
        parse(Path::new("rec.har"), text)
    }

    #[test]
    fn urls_split_into_host_port_path_and_decoded_query() {
        let t = Target::parse("HTTPS://user:pw@API.GitCode.com:8443/api/v5/repos/o/r/compare/a...b%2Fc?state=open&q=a+b%26c&flag#x").unwrap();
        assert_eq!(t.scheme, "https");
        assert_eq!(t.host, "api.gitcode.com");
        assert_eq!(t.port, Some(8443));
        assert_eq!(t.path, "/api/v5/repos/o/r/compare/a...b%2Fc");
        assert_eq!(
            t.query,
            [
                ("state".to_string(), "open".to_string()),
                ("q".into(), "a b&c".into()),
                ("flag".into(), "".into())
            ]
        );
        let v6 = Target::parse("http://[::1]:9/x").unwrap();
        assert_eq!(
            (v6.host.as_str(), v6.port, v6.path.as_str()),
            ("::1", Some(9), "/x")
        );
        assert_eq!(Target::parse("http://h").unwrap().path, "/");
        for bad in [
            "/api/v5/user",
            "ftp://h/x",
            "http://:80/x",
            "http://h:port/x",
            "http://[::1/x",
        ] {
            assert_eq!(Target::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn bodies_may_be_text_base64_params_or_not_kept() {
        let har = parse_text(
            r#"{"log": {"entries": [{
              "request": {"method": "post", "url": "https://h/x",
                "postData": {"mimeType": "multipart/form-data; boundary=b", "params": [{"name": "file", "fileName": "a.png"}, {"name": "n", "value": "1"}]}},
              "response": {"status": 200, "content": {"size": 10, "mimeType": "application/octet-stream", "text": "AAEC", "encoding": "base64"}},
              "_gitcode": {"operation_id": null, "path_template": "/x", "attempt": 2}
            }, {
              "request": {"method": "GET", "url": "https://h/y"},
              "response": {"status": 0, "_error": "net::ERR_ABORTED"}
            }, {
              "request": {"method": "GET", "url": "https://h/z"},
              "response": {"status": 200, "content": {"size": 12, "mimeType": "application/json"}}
            }]}}"#,
        )
        .unwrap();
        let first = har.entries[0].as_ref().unwrap();
        assert_eq!(first.request.method, "POST");
        assert_eq!(
            first.request.body.as_ref().unwrap().params,
            Some(vec![
                ("file".into(), "a.png".into()),
                ("n".into(), "1".into())
            ])
        );
        let body = &first.response.as_ref().unwrap().body;
        assert_eq!(body.bytes.as_deref(), Some(&[0u8, 1, 2][..]));
        assert!(body.truncated(), "3 bytes of 10");
        assert_eq!(
            first.gitcode,
            Some(GitcodeMeta {
                operation_id: None,
                path_template: Some("/x".into()),
                attempt: Some(2)
            })
        );
        assert_eq!(har.entries[1].as_ref().unwrap().response, None);
        let third = har.entries[2].as_ref().unwrap();
        assert_eq!(third.response.as_ref().unwrap().body.bytes, None);
    }

    #[test]
    fn a_bad_entry_is_named_and_the_others_are_read() {
        let har = parse_text(
            r#"{"log": {"entries": [
              {"request": {"method": "GET", "url": "https://h/ok"}},
              7,
              {"request": {"method": "GET", "url": "/relative"}},
              {"request": {"method": "GET", "url": "https://h/b"}, "response": {"status": 200, "content": {"text": "!!", "encoding": "base64"}}},
              {"request": {"method": "GET", "url": "https://h/c"}, "response": {"status": 200, "content": {"text": "x", "encoding": "gzip"}}},
              {"request": {"method": 3, "url": "https://h/d"}},
              {"request": {"method": "GET", "url": "https://h/e"}, "response": {"status": 1000}}
            ]}}"#,
        )
        .unwrap();
        let errors: Vec<String> = har
            .entries
            .iter()
            .filter_map(|e| e.as_ref().err())
            .map(|e| format!("{}: {}", e.index, e.message))
            .collect();
        assert_eq!(
            errors,
            [
                "1: the entry has no `request` object",
                "2: request.url is not an absolute http(s) URL: `/relative`",
                "3: response.content.text is not valid base64: Invalid symbol 33, offset 0.",
                "4: response.content.encoding \"gzip\" is not one this reader knows (base64)",
                "5: request.method is not a string",
                "6: response.status 1000 is not an HTTP status",
            ]
        );
        assert!(har.entries[0].is_ok());
    }

    #[test]
    fn a_file_that_is_not_a_har_or_is_cut_off_names_where() {
        let cases: [(&str, &str); 6] = [
            ("not json", "rec.har:1:2: not valid JSON: expected ident"),
            (
                "[1, 2]",
                "rec.har:1:1: not a HAR file: invalid type: sequence, expected a HAR document, an object with `log`",
            ),
            (
                "{\"lg\": {}}",
                "rec.har:1:10: not a HAR file: no `log` object",
            ),
            (
                "{\"log\": {\"version\": \"1.2\"}}",
                "rec.har: not a HAR file: no `log.entries` list",
            ),
            (
                "{\"log\": {\"entries\": {}}}",
                "rec.har:1:20: not a HAR file: invalid type: map, expected `log.entries` as a list of entries",
            ),
            (
                "{\"log\": {\"entries\": [\n{\"request\": {}},\n{\"request\": {\"url\": \"https://h/",
                "rec.har:3:31: in log.entries[1]: the JSON ends early: the file is cut off",
            ),
        ];
        let found: Vec<String> = cases
            .iter()
            .map(|(text, _)| parse_text(text).unwrap_err().to_string())
            .collect();
        let expected: Vec<&str> = cases.iter().map(|(_, e)| *e).collect();
        assert_eq!(found, expected);
        let trailing = parse_text("{\"log\": {\"entries\": []}} x").unwrap_err();
        assert_eq!(trailing.entry, None);
        assert!(
            trailing
                .message
                .starts_with("not valid JSON: trailing characters"),
            "{trailing}"
        );
    }
}
