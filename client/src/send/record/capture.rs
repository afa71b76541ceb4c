//! The hook every exchange passes when recording is on
//! ([`Recorder::send`]): it copies the request, reads the answer's body
//! (bounded by what is left of the cap) and hands the caller a response
//! rebuilt from those bytes, which reads as the original would have.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use http_body::{Body as _, Frame, SizeHint};
use reqwest::header::HeaderMap;
use reqwest::{StatusCode, Url, Version};

use super::Recorder;
use super::har::{self, Exchange, RequestBody};

/// Which call a request belongs to, for the entry's `_gitcode` field.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hop<'a> {
    /// The operation the runtime runs (`get_issue`, or
    /// [`crate::request::OPERATION`]).
    pub operation: &'a str,
    /// 1 for the first try, 2 for the first retry, ...
    pub attempt: u32,
    /// The entry of the request this one follows a redirect of.
    pub redirect_of: Option<usize>,
}

impl Recorder {
    /// Sends `request` with `http` and records the exchange; the answer,
    /// and the index of its entry in the HAR (`None` when it was not
    /// recorded). A failure to send is returned as it is and not recorded
    /// (there is no answer to record); a failure to record never fails the
    /// call ([`crate::record`]).
    pub(crate) async fn send(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
        hop: Hop<'_>,
    ) -> reqwest::Result<(reqwest::Response, Option<usize>)> {
        if !self.is_recording() {
            return Ok((http.execute(request).await?, None));
        }
        let budget = self.remaining_bytes();
        let sent = Sent::copy(&mut request, budget);
        let started = chrono::Utc::now();
        let clock = Instant::now();
        let response = http.execute(request).await?;
        let wait = clock.elapsed();
        let (response, answer) = Answer::read(response, budget).await;
        let receive = clock.elapsed().saturating_sub(wait);
        let request_body = sent.body.read();
        let (request_body, response_body) = match (&request_body, &answer.body) {
            (Copied::TooLarge, _) | (_, Read::TooLarge) => {
                self.stop_at_cap();
                return Ok((response, None));
            }
            (_, Read::Failed) => {
                // The caller meets the failure reading the body; there is
                // no whole answer to record.
                tracing::debug!("an answer's body failed: the exchange is not recorded");
                return Ok((response, None));
            }
            (body, Read::Whole(bytes)) => (body.as_request_body(), bytes),
        };
        let exchange = Exchange {
            started,
            wait,
            receive,
            method: sent.method.as_str(),
            url: &sent.url,
            version: answer.version,
            request_headers: &sent.headers,
            request_body,
            status: answer.status,
            response_headers: &answer.headers,
            response_body,
            operation: hop.operation,
            attempt: hop.attempt,
            redirect_of: hop.redirect_of,
        };
        let index = match har::entry(&exchange, &self.secrets()) {
            Ok(json) => self.append(&json),
            Err(reason) => {
                self.stop(format!("cannot write an entry: {reason}"));
                None
            }
        };
        Ok((response, index))
    }
}

/// What the recorder keeps of a request before it is sent.
struct Sent {
    method: reqwest::Method,
    url: Url,
    headers: HeaderMap,
    body: SentBody,
}

enum SentBody {
    None,
    Bytes(Bytes),
    TooLarge,
    /// A stream (a multipart upload), copied as it is sent ([`Tee`]).
    Stream(Arc<Mutex<TeeCopy>>),
}

/// A request body as it ended up.
enum Copied {
    None,
    Bytes(Bytes),
    TooLarge,
    Unknown,
}

impl Copied {
    fn as_request_body(&self) -> RequestBody<'_> {
        match self {
            Copied::None => RequestBody::None,
            Copied::Bytes(bytes) => RequestBody::Bytes(bytes),
            Copied::TooLarge | Copied::Unknown => RequestBody::Unknown,
        }
    }
}

impl Sent {
    /// Copies `request`'s method, URL, headers and body (at most `budget`
    /// bytes of it). A streamed body stays a stream: it is copied while
    /// reqwest sends it, so that the request goes out as it would unrecorded
    /// (a stream cannot be resent for a retry or a redirect either way).
    fn copy(request: &mut reqwest::Request, budget: usize) -> Sent {
        let body = match request.body_mut().take() {
            None => SentBody::None,
            Some(body) => match body.as_bytes() {
                Some(bytes) if bytes.len() > budget => {
                    *request.body_mut() = Some(body);
                    SentBody::TooLarge
                }
                Some(bytes) => {
                    let copy = Bytes::copy_from_slice(bytes);
                    *request.body_mut() = Some(body);
                    SentBody::Bytes(copy)
                }
                None => {
                    // reqwest's own streams (a multipart form) tell their
                    // length in the header, not in the body's size hint;
                    // hyper stops polling once that many bytes went out.
                    let expected = body.size_hint().exact().or_else(|| {
                        request
                            .headers()
                            .get(reqwest::header::CONTENT_LENGTH)?
                            .to_str()
                            .ok()?
                            .parse()
                            .ok()
                    });
                    let copy = Arc::new(Mutex::new(TeeCopy {
                        bytes: BytesMut::new(),
                        budget,
                        expected,
                        too_large: false,
                        ended: false,
                    }));
                    *request.body_mut() = Some(reqwest::Body::wrap(Tee {
                        inner: body,
                        copy: copy.clone(),
                    }));
                    SentBody::Stream(copy)
                }
            },
        };
        Sent {
            method: request.method().clone(),
            url: request.url().clone(),
            headers: request.headers().clone(),
            body,
        }
    }
}

impl SentBody {
    /// The body as sent, once the answer arrived.
    fn read(&self) -> Copied {
        match self {
            SentBody::None => Copied::None,
            SentBody::Bytes(bytes) => Copied::Bytes(bytes.clone()),
            SentBody::TooLarge => Copied::TooLarge,
            SentBody::Stream(copy) => {
                let copy = copy.lock().unwrap_or_else(PoisonError::into_inner);
                let whole = copy.ended || copy.expected == Some(copy.bytes.len() as u64);
                if copy.too_large {
                    Copied::TooLarge
                } else if whole {
                    Copied::Bytes(copy.bytes.clone().freeze())
                } else {
                    // The server answered before the body was sent to its
                    // end: what it received is not known.
                    Copied::Unknown
                }
            }
        }
    }
}

/// The bytes of a streamed request body, as far as reqwest sent them.
struct TeeCopy {
    bytes: BytesMut,
    budget: usize,
    /// The body's length, when the stream knew it.
    expected: Option<u64>,
    /// More than `budget` bytes were sent (the copy stopped).
    too_large: bool,
    ended: bool,
}

/// A request body that copies every chunk reqwest sends into a
/// [`TeeCopy`], and is otherwise the body it wraps.
struct Tee {
    inner: reqwest::Body,
    copy: Arc<Mutex<TeeCopy>>,
}

impl http_body::Body for Tee {
    type Data = Bytes;
    type Error = reqwest::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, reqwest::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        let end = self.inner.is_end_stream();
        let mut copy = self.copy.lock().unwrap_or_else(PoisonError::into_inner);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref()
                    && !copy.too_large
                {
                    if copy.bytes.len() + data.len() > copy.budget {
                        copy.too_large = true;
                        copy.bytes = BytesMut::new();
                    } else {
                        copy.bytes.extend_from_slice(data);
                    }
                }
                copy.ended |= end;
            }
            Poll::Ready(None) => copy.ended = true,
            Poll::Ready(Some(Err(_))) | Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// What the recorder keeps of an answer.
struct Answer {
    status: StatusCode,
    version: Version,
    headers: HeaderMap,
    body: Read,
}

/// How reading an answer's body ended.
enum Read {
    Whole(Bytes),
    /// Longer than what is left of the cap: the caller reads the rest from
    /// the server.
    TooLarge,
    /// The connection failed in the body: the caller meets that failure.
    Failed,
}

impl Answer {
    /// Reads `response`'s body, up to `budget` bytes; the response
    /// rebuilt to read the same (status, version, headers, extensions, URL,
    /// and the body: the bytes read, then whatever the server still sends
    /// or the failure met), and what was read.
    async fn read(mut response: reqwest::Response, budget: usize) -> (reqwest::Response, Answer) {
        let status = response.status();
        let version = response.version();
        let url = response.url().clone();
        let headers = std::mem::take(response.headers_mut());
        let extensions = std::mem::take(response.extensions_mut());
        let mut chunks: Vec<Bytes> = Vec::new();
        let mut length = 0;
        let (body, read) = loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    length += chunk.len();
                    chunks.push(chunk);
                    if length > budget {
                        let sent = futures::stream::iter(chunks.into_iter().map(Ok));
                        let rest = futures::StreamExt::chain(sent, response.bytes_stream());
                        break (reqwest::Body::wrap_stream(rest), Read::TooLarge);
                    }
                }
                Ok(None) => {
                    let whole = join(chunks, length);
                    break (reqwest::Body::from(whole.clone()), Read::Whole(whole));
                }
                Err(e) => {
                    let sent = chunks.into_iter().map(Ok);
                    let failed = futures::stream::iter(sent.chain(std::iter::once(Err(e))));
                    break (reqwest::Body::wrap_stream(failed), Read::Failed);
                }
            }
        };
        let answer = Answer {
            status,
            version,
            headers: headers.clone(),
            body: read,
        };
        (
            rebuild(status, version, headers, extensions, url, body),
            answer,
        )
    }
}

/// `chunks` (`length` bytes in all) as one buffer.
fn join(chunks: Vec<Bytes>, length: usize) -> Bytes {
    if chunks.len() == 1 {
        return chunks.into_iter().next().unwrap_or_default();
    }
    let mut whole = BytesMut::with_capacity(length);
    for chunk in chunks {
        whole.extend_from_slice(&chunk);
    }
    whole.freeze()
}

/// A `reqwest::Response` with these parts. reqwest keeps a response's URL
/// (which the redirect rule and error messages read) in an extension of
/// its own, set only through [`reqwest::ResponseBuilderExt::url`].
fn rebuild(
    status: StatusCode,
    version: Version,
    headers: HeaderMap,
    extensions: http::Extensions,
    url: Url,
    body: reqwest::Body,
) -> reqwest::Response {
    use reqwest::ResponseBuilderExt;
    let url_extension = http::response::Builder::new()
        .url(url)
        .extensions_mut()
        .map(std::mem::take)
        .unwrap_or_default();
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    *response.version_mut() = version;
    *response.headers_mut() = headers;
    *response.extensions_mut() = extensions;
    response.extensions_mut().extend(url_extension);
    reqwest::Response::from(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_rebuilt_response_keeps_its_url_status_headers_and_body() {
        let url = Url::parse("https://api.gitcode.com/api/v5/repos/o/r/raw/a?ref=main").unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-kept", "yes".parse().unwrap());
        let mut extensions = http::Extensions::new();
        extensions.insert(7u8);
        let rebuilt = rebuild(
            StatusCode::FOUND,
            Version::HTTP_11,
            headers,
            extensions,
            url.clone(),
            reqwest::Body::from("body"),
        );
        assert_eq!(rebuilt.url(), &url);
        assert_eq!(rebuilt.status(), StatusCode::FOUND);
        assert_eq!(rebuilt.headers()["x-kept"], "yes");
        assert_eq!(rebuilt.extensions().get::<u8>(), Some(&7));
        assert_eq!(rebuilt.bytes().await.unwrap(), "body");
    }

    /// A response whose body is `chunks`, then `failure` if any.
    fn streamed(chunks: &[&'static str], failure: Option<&str>) -> reqwest::Response {
        let mut items: Vec<Result<Bytes, std::io::Error>> = chunks
            .iter()
            .map(|c| Ok(Bytes::from_static(c.as_bytes())))
            .collect();
        if let Some(failure) = failure {
            items.push(Err(std::io::Error::other(failure.to_string())));
        }
        let body = reqwest::Body::wrap_stream(futures::stream::iter(items));
        reqwest::Response::from(http::Response::new(body))
    }

    #[tokio::test]
    async fn the_caller_reads_the_body_as_sent_whatever_the_recorder_kept() {
        let (response, answer) = Answer::read(streamed(&["abc", "def"], None), 6).await;
        assert!(matches!(&answer.body, Read::Whole(b) if b == "abcdef"));
        assert_eq!(response.bytes().await.unwrap(), "abcdef");

        // Past the budget: the recorder keeps nothing, the caller gets all.
        let (response, answer) = Answer::read(streamed(&["abc", "def", "ghi"], None), 4).await;
        assert!(matches!(answer.body, Read::TooLarge));
        assert_eq!(response.bytes().await.unwrap(), "abcdefghi");

        // A failure in the body reaches the caller after the bytes before it.
        let (mut response, answer) = Answer::read(streamed(&["abc"], Some("reset")), 100).await;
        assert!(matches!(answer.body, Read::Failed));
        assert_eq!(response.chunk().await.unwrap().unwrap(), "abc");
        let failure = response.chunk().await.unwrap_err();
        assert!(format!("{failure:?}").contains("reset"), "{failure:?}");
    }
}
