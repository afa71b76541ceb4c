//! The error every operation returns, and how a raw outcome becomes one.
//!
//! GitCode reports errors in three forms: the v5 JSON body
//! `{error_code, error_code_name, error_message, trace_id}`, an older
//! `{message}` body, and HTML pages from the gateway. [`ApiError`] keeps
//! whichever the server sent, with the status and, for 429, `Retry-After`.
//! [`Error::kind`] sorts every error into the cases a caller acts on.
//!
//! The generated `send()` methods end in one of the `finish_*` functions
//! (pass `typed_errors`), which also accept 2xx statuses the docs did not
//! list (a 201 where the docs say 200) and empty success bodies.

use std::fmt;
use std::time::Duration;

use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;

/// What went wrong, as a caller acts on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 401: the token is missing, wrong or expired.
    Unauthorized,
    /// 403: the token lacks a permission.
    Forbidden,
    /// 404.
    NotFound,
    /// 429: over the rate limit (see [`Error::retry_after`]).
    RateLimited,
    /// 400 or 422: the server rejected the parameters.
    Validation,
    /// 409.
    Conflict,
    /// Any 5xx.
    ServerError,
    /// Any other error status.
    OtherStatus,
    /// The request never got an answer (connection, TLS, timeout).
    Transport,
    /// The answer could not be decoded into the expected type.
    Decode,
    /// The request could not be built (a missing or invalid parameter).
    InvalidRequest,
}

/// An error status from the server, with whatever the body said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The operation that failed (its `operationId`).
    pub operation: &'static str,
    pub status: u16,
    pub error_code: Option<i64>,
    pub error_code_name: Option<String>,
    pub error_message: Option<String>,
    pub trace_id: Option<String>,
    /// The `message` of the older error form.
    pub message: Option<String>,
    /// The start of a body that is not JSON (an HTML gateway page, ...).
    pub body_snippet: Option<String>,
    /// `Retry-After`, when the server sent one.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// Reads an error response: status, headers and body in whichever form.
    pub(crate) fn from_parts(
        operation: &'static str,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Self {
        #[derive(serde::Deserialize, Default)]
        struct Body {
            #[serde(default, deserialize_with = "crate::lenient::option")]
            error_code: Option<crate::lenient::Id>,
            error_code_name: Option<String>,
            error_message: Option<String>,
            trace_id: Option<String>,
            message: Option<String>,
        }
        let parsed = serde_json::from_slice::<Body>(body).ok();
        let body_snippet = match &parsed {
            Some(_) => None,
            None => {
                let text = String::from_utf8_lossy(body);
                let text = text.trim();
                (!text.is_empty()).then(|| snippet(text, 200))
            }
        };
        let parsed = parsed.unwrap_or_default();
        ApiError {
            operation,
            status,
            error_code: parsed.error_code.and_then(|c| c.as_i64()),
            error_code_name: parsed.error_code_name,
            error_message: parsed.error_message,
            trace_id: parsed.trace_id,
            message: parsed.message,
            body_snippet,
            retry_after: retry_after(headers),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` failed with status {}", self.operation, self.status)?;
        if let Some(name) = &self.error_code_name {
            write!(f, " {name}")?;
        }
        if let Some(code) = self.error_code {
            write!(f, " (error code {code})")?;
        }
        if let Some(message) = self.error_message.as_ref().or(self.message.as_ref()) {
            write!(f, ": {message}")?;
        } else if let Some(snippet) = &self.body_snippet {
            write!(f, ": {snippet}")?;
        }
        if let Some(trace) = &self.trace_id {
            write!(f, " [trace_id {trace}]")?;
        }
        if let Some(after) = self.retry_after {
            write!(f, " (retry after {}s)", after.as_secs())?;
        }
        Ok(())
    }
}

/// The error of every `gitcode` operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// No answer: connection, TLS or timeout. The message never holds the token.
    #[error("`{operation}`: request failed: {source}")]
    Transport {
        operation: &'static str,
        #[source]
        source: reqwest::Error,
    },
    /// The answer did not decode into the expected type.
    #[error(
        "`{operation}`: could not decode the response at `{path}`: {message}; body starts: {snippet}"
    )]
    Decode {
        operation: &'static str,
        /// JSON path of the field that failed (`.user.id`).
        path: String,
        message: String,
        snippet: String,
    },
    /// The request could not be built.
    #[error("`{operation}`: invalid request: {message}")]
    InvalidRequest {
        operation: &'static str,
        message: String,
    },
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(api) => match api.status {
                401 => ErrorKind::Unauthorized,
                403 => ErrorKind::Forbidden,
                404 => ErrorKind::NotFound,
                429 => ErrorKind::RateLimited,
                400 | 422 => ErrorKind::Validation,
                409 => ErrorKind::Conflict,
                500..=599 => ErrorKind::ServerError,
                _ => ErrorKind::OtherStatus,
            },
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::InvalidRequest { .. } => ErrorKind::InvalidRequest,
        }
    }

    /// The HTTP status, for errors that came with one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            _ => None,
        }
    }

    /// The server's details, for error statuses.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// How long the server asked to wait (429 with `Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(|a| a.retry_after)
    }
}

/// `Retry-After` as seconds (GitCode's form) or an HTTP date.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = when.signed_duration_since(chrono::Utc::now());
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

/// `text` cut to at most `max` bytes (on a character boundary), with `…`.
pub(crate) fn snippet(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

type Raw<T> = Result<ResponseValue<T>, progenitor_client::Error<()>>;

/// Ends a JSON operation: its typed value, or an [`Error`].
pub async fn finish_json<T: DeserializeOwned>(
    operation: &'static str,
    raw: Raw<T>,
) -> Result<ResponseValue<T>, Error> {
    match raw {
        Ok(value) => Ok(value),
        Err(progenitor_client::Error::InvalidResponsePayload(bytes, _)) => {
            // Decoded by progenitor as 2xx, failed: retry leniently for the
            // empty body, else report the field.
            decode::<T>(operation, &bytes)
                .map(|v| ResponseValue::new(v, reqwest::StatusCode::OK, Default::default()))
        }
        Err(progenitor_client::Error::UnexpectedResponse(response))
            if response.status().is_success() =>
        {
            let (status, headers) = (response.status(), response.headers().clone());
            let bytes = response
                .bytes()
                .await
                .map_err(|source| transport(operation, source))?;
            decode::<T>(operation, &bytes).map(|v| ResponseValue::new(v, status, headers))
        }
        Err(other) => Err(convert(operation, other).await),
    }
}

/// Ends an operation whose body is ignored.
pub async fn finish_empty(
    operation: &'static str,
    raw: Raw<()>,
) -> Result<ResponseValue<()>, Error> {
    match raw {
        Ok(value) => Ok(value),
        Err(progenitor_client::Error::UnexpectedResponse(response))
            if response.status().is_success() =>
        {
            Ok(ResponseValue::new(
                (),
                response.status(),
                response.headers().clone(),
            ))
        }
        Err(other) => Err(convert(operation, other).await),
    }
}

/// Ends an operation whose body is bytes (raw files, archives, logs).
pub async fn finish_stream(
    operation: &'static str,
    raw: Raw<progenitor_client::ByteStream>,
) -> Result<ResponseValue<progenitor_client::ByteStream>, Error> {
    match raw {
        Ok(value) => Ok(value),
        Err(progenitor_client::Error::UnexpectedResponse(response))
            if response.status().is_success() =>
        {
            Ok(ResponseValue::stream(response))
        }
        Err(other) => Err(convert(operation, other).await),
    }
}

/// Decodes a success body; an empty body is read as `null`, `{}` or `[]`,
/// whichever the type accepts.
pub(crate) fn decode<T: DeserializeOwned>(
    operation: &'static str,
    bytes: &[u8],
) -> Result<T, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        for empty in ["null", "{}", "[]"] {
            if let Ok(value) = serde_json::from_str(empty) {
                return Ok(value);
            }
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| Error::Decode {
        operation,
        path: e.path().to_string(),
        message: e.inner().to_string(),
        snippet: snippet(&String::from_utf8_lossy(bytes), 120),
    })
}

fn transport(operation: &'static str, source: reqwest::Error) -> Error {
    Error::Transport {
        operation,
        source: source.without_url(),
    }
}

async fn convert(operation: &'static str, error: progenitor_client::Error<()>) -> Error {
    use progenitor_client::Error as P;
    match error {
        P::InvalidRequest(message) | P::Custom(message) => {
            Error::InvalidRequest { operation, message }
        }
        P::CommunicationError(e) | P::InvalidUpgrade(e) | P::ResponseBodyError(e) => {
            transport(operation, e)
        }
        P::InvalidResponsePayload(bytes, e) => Error::Decode {
            operation,
            path: String::new(),
            message: e.to_string(),
            snippet: snippet(&String::from_utf8_lossy(&bytes), 120),
        },
        P::ErrorResponse(rv) => Error::Api(Box::new(ApiError::from_parts(
            operation,
            rv.status().as_u16(),
            rv.headers(),
            b"",
        ))),
        P::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes().await.unwrap_or_default();
            Error::Api(Box::new(ApiError::from_parts(
                operation, status, &headers, &body,
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, body: &str, headers: &[(&str, &str)]) -> ApiError {
        let mut map = reqwest::header::HeaderMap::new();
        for (k, v) in headers {
            map.insert(
                reqwest::header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        ApiError::from_parts("get_issue", status, &map, body.as_bytes())
    }

    #[test]
    fn the_v5_error_body_is_decoded() {
        let e = api(
            422,
            r#"{"error_code":422,"error_code_name":"VALIDATION_ERROR","error_message":"title too long","trace_id":"abc123"}"#,
            &[],
        );
        assert_eq!(e.error_code, Some(422));
        assert_eq!(e.error_code_name.as_deref(), Some("VALIDATION_ERROR"));
        assert_eq!(
            e.to_string(),
            "`get_issue` failed with status 422 VALIDATION_ERROR (error code 422): title too long [trace_id abc123]"
        );
        assert_eq!(Error::Api(Box::new(e)).kind(), ErrorKind::Validation);
    }

    #[test]
    fn the_message_form_and_html_are_kept() {
        let e = api(404, r#"{"message":"404 Project Not Found"}"#, &[]);
        assert_eq!(e.message.as_deref(), Some("404 Project Not Found"));
        assert_eq!(Error::Api(Box::new(e)).kind(), ErrorKind::NotFound);
        let html = format!("<html><body>{}</body></html>", "Bad gateway ".repeat(40));
        let e = api(502, &html, &[]);
        let snippet = e.body_snippet.clone().unwrap();
        assert!(
            snippet.starts_with("<html><body>Bad gateway") && snippet.ends_with('…'),
            "{snippet}"
        );
        assert_eq!(Error::Api(Box::new(e)).kind(), ErrorKind::ServerError);
    }

    #[test]
    fn rate_limits_carry_retry_after() {
        let e = Error::Api(Box::new(api(429, "", &[("retry-after", "7")])));
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    }

    #[test]
    fn decode_errors_name_the_field_and_show_the_body() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Issue {
            user: User,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct User {
            login: String,
        }
        let err = decode::<Issue>("get_issue", br#"{"user": {"login": 5}}"#).unwrap_err();
        match &err {
            Error::Decode { path, snippet, .. } => {
                assert_eq!(path, "user.login");
                assert!(snippet.contains("\"login\": 5"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(err.kind(), ErrorKind::Decode);
    }

    #[test]
    fn empty_success_bodies_decode_when_the_type_allows() {
        assert_eq!(
            decode::<serde_json::Value>("x", b"").unwrap(),
            serde_json::Value::Null
        );
        assert!(decode::<Vec<u8>>("x", b" ").unwrap().is_empty());
        #[derive(serde::Deserialize)]
        struct AllOptional {
            #[allow(dead_code)]
            id: Option<i64>,
        }
        assert!(decode::<AllOptional>("x", b"").is_ok());
    }
}
