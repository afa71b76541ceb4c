//! One exchange as a HAR 1.2 entry, redacted, as JSON text.
//!
//! The fields are those of the HAR 1.2 specification
//! (<http://www.softwareishard.com/blog/har-12-spec/>) that a client can
//! fill; `_gitcode` is the custom field naming the spec operation. Every
//! credential is replaced here, while the entry is built, and the JSON is
//! checked once more for any secret text before it leaves this module.

use std::time::Duration;

use base64::Engine;
use reqwest::header::{self, HeaderMap};
use reqwest::{StatusCode, Url, Version};
use serde::Serialize;

use crate::auth::REDACTED;
use crate::redact::{self, Redactor};

/// What [`entry`] turns into a HAR entry: one request sent and its answer.
pub(super) struct Exchange<'a> {
    pub started: chrono::DateTime<chrono::Utc>,
    /// From sending the request to the answer's headers.
    pub wait: Duration,
    /// Reading the answer's body.
    pub receive: Duration,
    pub method: &'a str,
    pub url: &'a Url,
    pub version: Version,
    pub request_headers: &'a HeaderMap,
    pub request_body: RequestBody<'a>,
    pub status: StatusCode,
    pub response_headers: &'a HeaderMap,
    pub response_body: &'a [u8],
    /// The operation name the runtime ran (`get_issue`, or
    /// [`crate::request::OPERATION`] for a path the spec may lack).
    pub operation: &'a str,
    /// 1 for the first try, 2 for the first retry, ...
    pub attempt: u32,
    /// The index of the entry this one is a redirect hop of.
    pub redirect_of: Option<usize>,
}

/// A request's body as the recorder saw it.
#[derive(Clone, Copy)]
pub(super) enum RequestBody<'a> {
    None,
    Bytes(&'a [u8]),
    /// A body that could not be read (a stream not sent to its end):
    /// recorded with `bodySize` -1 and no text.
    Unknown,
}

/// The HAR entry of `exchange` as compact JSON, with every credential
/// replaced by [`REDACTED`]: the headers of [`redact::CREDENTIAL_HEADERS`]
/// whole, the values of [`redact::SECRET_NAMES`] (query, form, JSON), and
/// the text of every secret of `secrets` and of those values wherever it
/// appears.
pub(super) fn entry(exchange: &Exchange<'_>, secrets: &Redactor) -> Result<String, String> {
    let redactor = with_secrets_found(exchange, secrets);
    let entry = Entry::new(exchange, &redactor);
    let json = serde_json::to_string(&entry).map_err(|e| e.to_string())?;
    if !redactor.holds(json.as_bytes()) {
        return Ok(json);
    }
    // A secret left in the JSON in a form the fields did not show (escaped
    // across a field's text): replace it, and keep the entry only if it is
    // still JSON.
    let clean = redactor.text(&json);
    serde_json::from_str::<serde::de::IgnoredAny>(&clean)
        .map(|_| clean)
        .map_err(|_| "a secret could not be removed from the entry".to_string())
}

/// `secrets` and the values the exchange carries under a secret name: the
/// query, a form body, JSON bodies (the OAuth endpoints' `client_secret`,
/// `access_token`, `refresh_token`).
fn with_secrets_found(exchange: &Exchange<'_>, secrets: &Redactor) -> Redactor {
    let mut redactor = secrets.clone();
    for (name, value) in exchange.url.query_pairs() {
        if redact::is_secret_name(&name) {
            redactor.add(&value);
        }
    }
    if let RequestBody::Bytes(body) = exchange.request_body {
        let form = media_type(exchange.request_headers)
            .is_some_and(|m| m.eq_ignore_ascii_case("application/x-www-form-urlencoded"));
        if form && let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) {
            for (name, value) in pairs {
                if redact::is_secret_name(&name) {
                    redactor.add(&value);
                }
            }
        }
        json_secrets(body, &mut redactor);
    }
    json_secrets(exchange.response_body, &mut redactor);
    redactor
}

/// Adds the string values under a secret name anywhere in `body`, if it is
/// JSON that names one (bodies that name none are not parsed).
fn json_secrets(body: &[u8], redactor: &mut Redactor) {
    let names_one = redact::SECRET_NAMES.iter().any(|name| {
        body.windows(name.len())
            .any(|w| w.eq_ignore_ascii_case(name.as_bytes()))
    });
    if !names_one {
        return;
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    let mut pending = vec![&value];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::Object(fields) => {
                for (name, field) in fields {
                    match field {
                        serde_json::Value::String(text) if redact::is_secret_name(name) => {
                            redactor.add(text)
                        }
                        other => pending.push(other),
                    }
                }
            }
            serde_json::Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
}

/// The media type of a `Content-Type` header, without its parameters.
fn media_type(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or(value).trim())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    started_date_time: String,
    time: f64,
    request: Request,
    response: Response,
    cache: Empty,
    timings: Timings,
    #[serde(rename = "_gitcode")]
    gitcode: Gitcode<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    method: String,
    url: String,
    http_version: String,
    headers: Vec<Pair>,
    query_string: Vec<Pair>,
    cookies: [Empty; 0],
    headers_size: i64,
    body_size: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    post_data: Option<PostData>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PostData {
    mime_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Response {
    status: u16,
    status_text: &'static str,
    http_version: String,
    headers: Vec<Pair>,
    cookies: [Empty; 0],
    content: Content,
    #[serde(rename = "redirectURL")]
    redirect_url: String,
    headers_size: i64,
    body_size: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Content {
    size: i64,
    mime_type: String,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
}

#[derive(Serialize)]
struct Pair {
    name: String,
    value: String,
}

#[derive(Serialize)]
struct Empty {}

/// Milliseconds; -1 for what a client above the HTTP stack cannot see.
#[derive(Serialize)]
struct Timings {
    blocked: f64,
    dns: f64,
    connect: f64,
    send: f64,
    wait: f64,
    receive: f64,
    ssl: f64,
}

#[derive(Serialize)]
struct Gitcode<'a> {
    /// `None` for a call that is no spec operation (`Client::request`,
    /// `gitcode api`): a reader matches its method and path.
    operation_id: Option<&'a str>,
    path_template: Option<&'static str>,
    attempt: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_of: Option<usize>,
}

impl<'a> Entry<'a> {
    fn new(x: &Exchange<'a>, redactor: &Redactor) -> Self {
        let http_version = format!("{:?}", x.version);
        let (body_size, post_data) = match x.request_body {
            RequestBody::None => (-1, None),
            RequestBody::Bytes(bytes) => {
                let (text, encoding) = body_text(bytes, redactor);
                let post = PostData {
                    mime_type: header_text(x.request_headers, header::CONTENT_TYPE, redactor),
                    text: Some(text),
                    encoding,
                };
                (bytes.len() as i64, Some(post))
            }
            RequestBody::Unknown => {
                let post = PostData {
                    mime_type: header_text(x.request_headers, header::CONTENT_TYPE, redactor),
                    text: None,
                    encoding: None,
                };
                (-1, Some(post))
            }
        };
        let (text, encoding) = body_text(x.response_body, redactor);
        let meta = crate::generated::operation_meta(x.operation);
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        Entry {
            started_date_time: x
                .started
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, false),
            time: ms(x.wait) + ms(x.receive),
            request: Request {
                method: x.method.to_string(),
                url: redactor.text(&redact::url(x.url)),
                http_version: http_version.clone(),
                headers: headers(x.request_headers, redactor),
                query_string: query(x.url, redactor),
                cookies: [],
                headers_size: -1,
                body_size,
                post_data,
            },
            response: Response {
                status: x.status.as_u16(),
                status_text: x.status.canonical_reason().unwrap_or(""),
                http_version,
                headers: headers(x.response_headers, redactor),
                cookies: [],
                content: Content {
                    size: x.response_body.len() as i64,
                    mime_type: header_text(x.response_headers, header::CONTENT_TYPE, redactor),
                    text,
                    encoding,
                },
                redirect_url: header_text(x.response_headers, header::LOCATION, redactor),
                headers_size: -1,
                body_size: x.response_body.len() as i64,
            },
            cache: Empty {},
            timings: Timings {
                blocked: -1.0,
                dns: -1.0,
                connect: -1.0,
                // Sending is not seen apart from waiting: `wait` holds both.
                send: 0.0,
                wait: ms(x.wait),
                receive: ms(x.receive),
                ssl: -1.0,
            },
            gitcode: Gitcode {
                operation_id: meta.map(|_| x.operation),
                path_template: meta.map(|m| m.path),
                attempt: x.attempt,
                redirect_of: x.redirect_of,
            },
        }
    }
}

/// Every header, in order (a repeated header once per value); a credential
/// header's value is [`REDACTED`] (after its scheme, for `Authorization`:
/// [`redact::credential_header_value`]), any other's is redacted text.
fn headers(headers: &HeaderMap, redactor: &Redactor) -> Vec<Pair> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = if redact::is_credential_header(name.as_str()) {
                redact::credential_header_value(name.as_str(), value.as_bytes())
            } else {
                redactor.text(&String::from_utf8_lossy(value.as_bytes()))
            };
            Pair {
                name: name.as_str().to_string(),
                value,
            }
        })
        .collect()
}

/// The first value of `name`, redacted, or `""`.
fn header_text(headers: &HeaderMap, name: header::HeaderName, redactor: &Redactor) -> String {
    headers
        .get(name)
        .map(|v| redactor.text(&String::from_utf8_lossy(v.as_bytes())))
        .unwrap_or_default()
}

/// The query's pairs, decoded; a secret name's value is [`REDACTED`].
fn query(url: &Url, redactor: &Redactor) -> Vec<Pair> {
    url.query_pairs()
        .map(|(name, value)| {
            let value = if redact::is_secret_name(&name) {
                REDACTED.to_string()
            } else {
                redactor.text(&value)
            };
            Pair {
                name: redactor.text(&name),
                value,
            }
        })
        .collect()
}

/// A body as HAR text: UTF-8 as it is, anything else base64 (with the
/// encoding to say so), secrets replaced in the bytes first.
fn body_text(bytes: &[u8], redactor: &Redactor) -> (String, Option<&'static str>) {
    let bytes = redactor.bytes(bytes);
    match std::str::from_utf8(&bytes) {
        Ok(text) => (text.to_string(), None),
        Err(_) => (
            base64::engine::general_purpose::STANDARD.encode(&bytes),
            Some("base64"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn exchange<'a>(
        url: &'a Url,
        request_headers: &'a HeaderMap,
        request_body: RequestBody<'a>,
        response_headers: &'a HeaderMap,
        response_body: &'a [u8],
    ) -> Exchange<'a> {
        Exchange {
            started: chrono::DateTime::from_timestamp_millis(1_700_000_000_123).unwrap(),
            wait: Duration::from_micros(1500),
            receive: Duration::from_micros(250),
            method: "POST",
            url,
            version: Version::HTTP_11,
            request_headers,
            request_body,
            status: StatusCode::CREATED,
            response_headers,
            response_body,
            operation: "create_oauth_token",
            attempt: 2,
            redirect_of: None,
        }
    }

    #[test]
    fn an_entry_has_the_har_fields_and_no_secret() {
        let url = Url::parse(
            "https://gitcode.com/oauth/token?grant_type=refresh_token&refresh_token=r3fresh-old",
        )
        .unwrap();
        let mut sent = HeaderMap::new();
        sent.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer t0ken-s3cret"),
        );
        sent.insert(header::COOKIE, HeaderValue::from_static("session=abc"));
        sent.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        sent.insert("x-echo", HeaderValue::from_static("t0ken-s3cret"));
        let mut answered = HeaderMap::new();
        answered.insert(header::SET_COOKIE, HeaderValue::from_static("session=def"));
        answered.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let body = br#"{"client_secret":"app-s3cret"}"#;
        let answer =
            br#"{"access_token":"n3w-token","refresh_token":"r3fresh-new","seen":"app-s3cret"}"#;
        let x = exchange(&url, &sent, RequestBody::Bytes(body), &answered, answer);
        let json = entry(&x, &Redactor::new(Some("t0ken-s3cret"))).unwrap();
        for secret in [
            "t0ken-s3cret",
            "r3fresh-old",
            "r3fresh-new",
            "n3w-token",
            "app-s3cret",
            "abc",
            "def",
        ] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["startedDateTime"], "2023-11-14T22:13:20.123+00:00");
        assert_eq!(v["time"], 1.75);
        assert_eq!(v["timings"]["wait"], 1.5);
        assert_eq!(v["timings"]["dns"], -1.0);
        assert_eq!(v["request"]["httpVersion"], "HTTP/1.1");
        assert_eq!(
            v["request"]["url"],
            "https://gitcode.com/oauth/token?grant_type=refresh_token&refresh_token=[redacted]"
        );
        assert_eq!(
            v["request"]["queryString"][1],
            serde_json::json!({"name": "refresh_token", "value": "[redacted]"})
        );
        assert_eq!(v["request"]["bodySize"], body.len());
        assert_eq!(v["request"]["postData"]["mimeType"], "application/json");
        assert_eq!(
            v["request"]["postData"]["text"],
            r#"{"client_secret":"[redacted]"}"#
        );
        assert_eq!(v["response"]["status"], 201);
        assert_eq!(v["response"]["statusText"], "Created");
        assert_eq!(v["response"]["content"]["size"], answer.len());
        assert_eq!(v["response"]["redirectURL"], "");
        assert_eq!(v["cache"], serde_json::json!({}));
        assert_eq!(
            v["_gitcode"],
            serde_json::json!({"operation_id": "create_oauth_token", "path_template": "/oauth/token", "attempt": 2})
        );
        let header = |list: &serde_json::Value, name: &str| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|h| h["name"] == name)
                .map(|h| h["value"].clone())
        };
        assert_eq!(
            header(&v["request"]["headers"], "authorization").unwrap(),
            "Bearer [redacted]"
        );
        assert_eq!(
            header(&v["request"]["headers"], "x-echo").unwrap(),
            "[redacted]"
        );
        assert_eq!(
            header(&v["response"]["headers"], "set-cookie").unwrap(),
            "[redacted]"
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_base64_and_unknown_bodies_have_no_text() {
        let url = Url::parse("https://api.gitcode.com/api/v5/nowhere").unwrap();
        let none = HeaderMap::new();
        let raw = b"\x89PNG\r\n\x1a\nt0ken-s3cret";
        let mut x = exchange(&url, &none, RequestBody::Unknown, &none, raw);
        x.operation = crate::request::OPERATION;
        let json = entry(&x, &Redactor::new(Some("t0ken-s3cret"))).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["response"]["content"]["encoding"], "base64");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(v["response"]["content"]["text"].as_str().unwrap())
            .unwrap();
        assert_eq!(decoded, b"\x89PNG\r\n\x1a\n[redacted]");
        assert_eq!(v["request"]["bodySize"], -1);
        assert!(v["request"]["postData"].get("text").is_none());
        assert_eq!(v["_gitcode"]["operation_id"], serde_json::Value::Null);
        assert_eq!(v["_gitcode"]["path_template"], serde_json::Value::Null);
    }
}
