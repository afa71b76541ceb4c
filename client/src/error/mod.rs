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
//!
//! A success status whose body is the v5 error envelope and nothing else
//! (`error_code` and `error_message`, at most `error_code_name` and
//! `trace_id` beside them) is an error too: the server sends such answers
//! when it failed (an `error_code` of 200 with an exception message was
//! reported), and no success schema of the API has only those fields, so
//! decoding it would hand the caller an empty value. It becomes
//! [`Error::Api`] with the success status, the body and the `trace_id`,
//! [`ApiError::success_status`] set and [`ErrorKind::ServerError`] as its
//! kind (`ApiError::from_success_envelope` is the one place that decides,
//! for every answer read whole).

use std::fmt;
use std::time::Duration;

mod build;
mod kind;

pub use build::BuildError;
pub use kind::ErrorKind;

/// An error status from the server, with whatever the body said.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
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
    /// The `error` of a third form (`{"error": "unauthorized"}`, seen by
    /// gitcode-cli), when it is text.
    pub error: Option<String>,
    /// The start of a body that is not JSON (an HTML gateway page, ...).
    pub body_snippet: Option<String>,
    /// `Retry-After`, when the server sent one.
    pub retry_after: Option<Duration>,
    /// The body, as the server sent it.
    pub body: bytes::Bytes,
    /// The status was a success (2xx) but the body was an error envelope
    /// and nothing else (see the [module docs](self)): the server failed
    /// while saying it did not. [`Error::kind`] is then
    /// [`ErrorKind::ServerError`].
    pub success_status: bool,
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
            // Text in the forms seen; anything else is kept in `body` only.
            error: Option<serde_json::Value>,
        }
        let parsed = serde_json::from_slice::<Body>(body).ok();
        let body_snippet = match &parsed {
            Some(_) => None,
            None => {
                let text = String::from_utf8_lossy(body);
                let text = text.trim();
                (!text.is_empty()).then(|| crate::text::snippet(text, 200))
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
            error: parsed
                .error
                .and_then(|e| e.as_str().map(String::from))
                .filter(|e| !e.is_empty()),
            body_snippet,
            retry_after: crate::retry::retry_after(headers),
            body: bytes::Bytes::copy_from_slice(body),
            success_status: false,
        }
    }

    /// The error a success answer stands for, when its body is exactly an
    /// error envelope: a JSON object with `error_code` and `error_message`
    /// (neither `null`) and no key besides those, `error_code_name` and
    /// `trace_id`. Any other body, an object with a field of a success
    /// schema among them included, is left to the decoder (`None`).
    pub(crate) fn from_success_envelope(
        operation: &'static str,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Option<Self> {
        const ENVELOPE: [&str; 4] = ["error_code", "error_code_name", "error_message", "trace_id"];
        // Cheap refusals first: every success body is read through here,
        // and only an object that names both keys is parsed.
        let has = |key: &[u8]| body.windows(key.len()).any(|w| w == key);
        if !body.trim_ascii_start().starts_with(b"{")
            || !has(b"\"error_code\"")
            || !has(b"\"error_message\"")
        {
            return None;
        }
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(body).ok()?;
        let present = |key: &str| object.get(key).is_some_and(|v| !v.is_null());
        let only_envelope = object.keys().all(|k| ENVELOPE.contains(&k.as_str()));
        if !(only_envelope && present("error_code") && present("error_message")) {
            return None;
        }
        let mut error = ApiError::from_parts(operation, status, headers, body);
        error.success_status = true;
        Some(error)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` failed with status {}", self.operation, self.status)?;
        if self.success_status {
            f.write_str(" (a success status, but the body is an error)")?;
        }
        if let Some(name) = &self.error_code_name {
            write!(f, " {name}")?;
        }
        if let Some(code) = self.error_code {
            write!(f, " (error code {code})")?;
        }
        if let Some(message) = self
            .error_message
            .as_ref()
            .or(self.message.as_ref())
            .or(self.error.as_ref())
        {
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
    /// No answer: connection, DNS, TLS or timeout. The message names the
    /// host and the cause, never the token, and says when the request may
    /// have reached the server ([`Error::may_have_acted`]).
    #[error(
        "`{operation}`: request to {} failed: {}{}",
        host.as_deref().unwrap_or("the server"),
        describe_transport(source),
        if sent_before_failing(source) {
            "; the request may have reached the server, which may have acted on it \
             (check before sending it again)"
        } else {
            ""
        }
    )]
    Transport {
        operation: &'static str,
        /// The host the request was for.
        host: Option<String>,
        #[source]
        source: reqwest::Error,
    },
    /// A success answer did not decode into the expected type; the whole
    /// body is kept ([`Error::body`]).
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The request could not be built.
    #[error("`{operation}`: invalid request: {message}")]
    InvalidRequest {
        operation: &'static str,
        message: String,
    },
    /// The client could not be built ([`ClientBuilder::build`](crate::ClientBuilder::build)),
    /// so that `?` takes a [`BuildError`] where a
    /// `gitcode::Error` is returned.
    #[error(transparent)]
    Build(BuildError),
    /// A value that does not fit what it was given for, outside an
    /// operation: a type builder's conversion (`Issue::builder()...
    /// .try_into()?`) or an [`IntoValue`](crate::IntoValue) of a program's
    /// own. In an operation's builder the same is an
    /// [`Error::InvalidRequest`] naming the operation.
    #[error("invalid value: {0}")]
    InvalidValue(crate::value::InvalidValue),
    /// The server redirected the request where it may not follow
    /// ([`crate::redirect`]: `https` to `http`, too many hops, no
    /// `Location`).
    #[error("`{operation}`: {message} (status {status})")]
    Redirect {
        operation: &'static str,
        status: u16,
        message: String,
    },
    /// A page stream was stopped rather than run forever
    /// ([`crate::pagination`]): `page` repeated the page before it, or was
    /// past the cap.
    #[error("`{operation}`: pagination stopped at page {page}: {message}")]
    Pagination {
        operation: &'static str,
        page: u64,
        message: String,
    },
    /// The store of a shared rate limit (feature `redis`,
    /// `gitcode::rate_limit::shared`) could not be used, and its
    /// `OnStoreFailure` policy said to fail the call (at once, or after
    /// waiting as long as it allows). The request was not sent, so it may
    /// be sent again as it is.
    #[error("`{operation}`: {source}")]
    RateLimitStore {
        operation: &'static str,
        #[source]
        source: crate::rate_limit::StoreError,
    },
}

/// A success answer that did not decode into the operation's type. Nothing
/// the server sent is lost: the status and the whole body are kept, so a
/// caller can fall back to [`DecodeError::json`] or the bytes.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation (its `operationId`, or `request` for
    /// [`Client::request`](crate::Client::request)).
    pub operation: &'static str,
    pub status: u16,
    /// JSON path of the value that did not fit (`[3].user.id`); empty when
    /// the body as a whole is at fault (not JSON, or the wrong shape).
    pub path: String,
    /// What was expected there.
    pub message: String,
    /// The body, as the server sent it.
    pub body: bytes::Bytes,
}

impl DecodeError {
    pub(crate) fn new(
        operation: &'static str,
        status: u16,
        failure: crate::decode::Failure,
        body: bytes::Bytes,
    ) -> Self {
        DecodeError {
            operation,
            status,
            path: failure.path,
            message: failure.message,
            body,
        }
    }

    /// The body as JSON, when it is JSON at all.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}`: could not decode the response (status {})",
            self.operation, self.status
        )?;
        if !self.path.is_empty() {
            write!(f, " at `{}`", self.path)?;
        }
        write!(
            f,
            ": {}; body starts: {}",
            self.message,
            crate::text::snippet(&String::from_utf8_lossy(&self.body), 120)
        )
    }
}

/// Whether a transport error came after the request went out (a reset, a
/// closed connection, a timeout), rather than while connecting.
fn sent_before_failing(error: &reqwest::Error) -> bool {
    !error.is_connect() && (error.is_request() || error.is_timeout())
}

/// The cause of a transport error, from its chain: "connection refused",
/// "timed out", "DNS lookup failed: ...", "TLS failure: ...".
fn describe_transport(error: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut chain: Vec<String> = Vec::new();
    let mut refused = false;
    let mut source: Option<&dyn std::error::Error> = error.source();
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            refused |= io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        let text = e.to_string();
        if !chain.iter().any(|c| c.contains(&text)) {
            chain.push(text);
        }
        source = e.source();
    }
    let innermost = chain.last().cloned().unwrap_or_else(|| error.to_string());
    let all = chain.join(": ").to_ascii_lowercase();
    if refused || all.contains("connection refused") {
        "connection refused".into()
    } else if error.is_timeout() || all.contains("timed out") {
        "timed out".into()
    } else if all.contains("dns error") || all.contains("failed to lookup address") {
        format!("DNS lookup failed: {innermost}")
    } else if all.contains("certificate") || all.contains("tls") || all.contains("handshake") {
        format!("TLS failure: {innermost}")
    } else if chain.is_empty() {
        error.to_string()
    } else {
        chain.join(": ")
    }
}

impl Error {
    /// A transport error of `operation`, naming the host; the URL (which
    /// may hold a token) is dropped.
    pub(crate) fn transport(operation: &'static str, source: reqwest::Error) -> Error {
        let host = source.url().and_then(crate::origin::host_and_port);
        Error::Transport {
            operation,
            host,
            source: source.without_url(),
        }
    }

    /// The body the server sent: with an error status, or with a success
    /// status that did not decode. `None` when no answer arrived.
    pub fn body(&self) -> Option<&bytes::Bytes> {
        match self {
            Error::Api(a) => Some(&a.body),
            Error::Decode(d) => Some(&d.body),
            _ => None,
        }
    }

    /// Takes the body out of the error (see [`Error::body`]).
    pub fn into_body(self) -> Option<bytes::Bytes> {
        match self {
            Error::Api(a) => Some(a.body),
            Error::Decode(d) => Some(d.body),
            _ => None,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(api) if api.success_status => ErrorKind::ServerError,
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
            Error::Decode(_) => ErrorKind::Decode,
            Error::InvalidRequest { .. } | Error::InvalidValue(_) => ErrorKind::InvalidRequest,
            Error::Build(e) => e.kind(),
            Error::Redirect { .. } => ErrorKind::Redirect,
            Error::Pagination { .. } => ErrorKind::Pagination,
            Error::RateLimitStore { .. } => ErrorKind::RateLimitStore,
        }
    }

    /// Whether the server may have acted on the request although no answer
    /// came: a transport error after the request went out (connection reset
    /// or closed, timeout). Such a POST or PATCH is not sent again by the
    /// runtime; check (list, get) before sending it again. `false` for
    /// every other error, such as a refused connection (nothing was sent).
    pub fn may_have_acted(&self) -> bool {
        match self {
            Error::Transport { source, .. } => sent_before_failing(source),
            _ => false,
        }
    }

    /// The HTTP status, for errors that came with one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(d) => Some(d.status),
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

impl From<BuildError> for Error {
    fn from(e: BuildError) -> Self {
        Error::Build(e)
    }
}

impl From<crate::value::InvalidValue> for Error {
    fn from(e: crate::value::InvalidValue) -> Self {
        Error::InvalidValue(e)
    }
}

/// A type builder's conversion error (`Issue::builder().try_into()`).
impl From<crate::types::error::ConversionError> for Error {
    fn from(e: crate::types::error::ConversionError) -> Self {
        Error::InvalidValue(crate::value::invalid(e))
    }
}

/// Turns what progenitor's layer returned short of a response into an
/// [`Error`].
pub(crate) fn convert(operation: &'static str, error: progenitor_client::Error<()>) -> Error {
    use progenitor_client::Error as P;
    match error {
        P::InvalidRequest(message) | P::Custom(message) => {
            Error::InvalidRequest { operation, message }
        }
        P::CommunicationError(e) | P::InvalidUpgrade(e) | P::ResponseBodyError(e) => {
            Error::transport(operation, e)
        }
        P::InvalidResponsePayload(bytes, e) => Error::Decode(Box::new(DecodeError {
            operation,
            status: 200,
            path: String::new(),
            message: e.to_string(),
            body: bytes,
        })),
        P::ErrorResponse(rv) => Error::Api(Box::new(ApiError::from_parts(
            operation,
            rv.status().as_u16(),
            rv.headers(),
            b"",
        ))),
        // Never produced: `execute` hands every response back unread.
        P::UnexpectedResponse(response) => Error::InvalidRequest {
            operation,
            message: format!("unexpected response {}", response.status()),
        },
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
    fn the_error_form_is_read_and_any_other_error_value_kept_in_the_body() {
        let e = api(401, r#"{"error":"unauthorized"}"#, &[]);
        assert_eq!(e.error.as_deref(), Some("unauthorized"));
        assert_eq!(
            e.to_string(),
            "`get_issue` failed with status 401: unauthorized"
        );
        let e = api(
            403,
            r#"{"message":"Forbidden","error":"forbidden","error_code":403}"#,
            &[],
        );
        assert_eq!(
            e.to_string(),
            "`get_issue` failed with status 403 (error code 403): Forbidden"
        );
        let e = api(400, r#"{"error":{"field":"title"},"message":"bad"}"#, &[]);
        assert_eq!(e.error, None);
        assert_eq!(e.message.as_deref(), Some("bad"));
        assert_eq!(
            &e.body[..],
            br#"{"error":{"field":"title"},"message":"bad"}"#
        );
    }

    #[test]
    fn rate_limits_carry_retry_after() {
        let e = Error::Api(Box::new(api(429, "", &[("retry-after", "7")])));
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    }
}
