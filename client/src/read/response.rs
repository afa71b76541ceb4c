//! The end of every call: the server's answer as a typed value, as bytes, or
//! as sent ([`RawResponse`]), with error statuses turned into
//! [`Error::Api`].
//!
//! Every generated builder has `send()` (the typed value, decoded as
//! [`crate::decode`] describes; pass `typed_errors`) and `send_raw()` (the
//! answer as the server sent it; pass `raw_answers`); both end in a
//! function of this module.
//! 2xx statuses the docs did not list (a 201 where the docs say 200) are
//! accepted, and an empty success body reads as `null`, `{}` or `[]`,
//! whichever the type accepts. A success body that is exactly an error
//! envelope is an [`Error::Api`] all the same (`read`, see
//! [`crate::error`]).

use bytes::Bytes;
use progenitor_client::{ByteStream, ClientInfo, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::decode::{self, DecodeMode, Repair};
use crate::error::{ApiError, DecodeError};
use crate::{Client, Error};

/// What the runtime hands a generated builder back: the response unread,
/// or why there is none (an invalid request, a transport error, a shared
/// rate limit's store that failed).
pub type Sent = Result<reqwest::Response, Error>;

/// An answer as the server sent it: status, headers and the whole body.
///
/// Returned by every builder's `send_raw()` and by
/// [`Client::request`](crate::Client::request); an error status is an
/// [`Error::Api`] instead, as for `send()`.
///
/// ```no_run
/// # async fn run(client: &gitcode::Client) -> Result<(), gitcode::Error> {
/// use gitcode::prelude::*;
///
/// let raw = client.get_issue().owner("o").repo("r").number("7").send_raw().await?;
/// let issue: serde_json::Value = raw.json()?; // every field, as sent
/// println!("{} {}", raw.status(), issue["title"]);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct RawResponse {
    operation: &'static str,
    mode: DecodeMode,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, as sent.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body as JSON, every field as sent; an empty body is `null`.
    pub fn json(&self) -> Result<serde_json::Value, Error> {
        decode::from_slice::<serde_json::Value>(&self.body, DecodeMode::Strict)
            .map(|(value, _)| value)
            .map_err(|f| self.decode_error(f))
    }

    /// The body decoded as `T` the way `send()` decodes: a value that does
    /// not fit an optional field is left out with a warning, unless the
    /// client decodes strictly ([`crate::decode`]).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let (value, repairs) =
            decode::from_slice::<T>(&self.body, self.mode).map_err(|f| self.decode_error(f))?;
        decode::report(self.operation, &repairs);
        Ok(value)
    }

    /// Like [`decode`](Self::decode), also returning what was left out.
    pub fn decode_with_repairs<T: DeserializeOwned>(&self) -> Result<(T, Vec<Repair>), Error> {
        decode::from_slice::<T>(&self.body, self.mode).map_err(|f| self.decode_error(f))
    }

    pub(crate) fn decode_list<T: DeserializeOwned>(&self) -> Result<Vec<T>, Error> {
        let (value, repairs) = self.decode_list_with_repairs::<T>()?;
        decode::report(self.operation, &repairs);
        Ok(value)
    }

    /// A list body decoded element by element (as `send()` decodes lists),
    /// with what was left out.
    pub(crate) fn decode_list_with_repairs<T: DeserializeOwned>(
        &self,
    ) -> Result<(Vec<T>, Vec<Repair>), Error> {
        decode::list_from_slice::<T>(&self.body, self.mode).map_err(|f| self.decode_error(f))
    }

    /// The list in the field `field` of an object body, decoded element by
    /// element as [`decode_list`](Self::decode_list) does; a missing or
    /// `null` field is an empty list.
    pub(crate) fn decode_list_at<T: DeserializeOwned>(&self, field: &str) -> Result<Vec<T>, Error> {
        let body = self.json()?;
        let items = match body.get(field) {
            None | Some(serde_json::Value::Null) => return Ok(Vec::new()),
            Some(items) => serde_json::to_vec(items).unwrap_or_default(),
        };
        let (value, repairs) =
            decode::list_from_slice::<T>(&items, self.mode).map_err(|f| self.decode_error(f))?;
        decode::report(self.operation, &repairs);
        Ok(value)
    }

    /// The operation that answered (its `operationId`, or `request`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    fn decode_error(&self, failure: decode::Failure) -> Error {
        Error::Decode(Box::new(DecodeError::new(
            self.operation,
            self.status.as_u16(),
            failure,
            self.body.clone(),
        )))
    }

    pub(crate) fn into_value<T>(self, value: T) -> ResponseValue<T> {
        ResponseValue::new(value, self.status, self.headers)
    }
}

/// Reads an answer whole: a success, or the typed error of its status, or
/// of its body when a success status carries an error envelope and nothing
/// else. Every buffered answer (`send()`, `send_raw()`, pages,
/// [`Client::request`](crate::Client::request)) comes through here.
pub(crate) async fn read(
    mode: DecodeMode,
    operation: &'static str,
    response: reqwest::Response,
) -> Result<RawResponse, Error> {
    refused_redirect(operation, &response)?;
    if !response.status().is_success() {
        return Err(api_error(operation, response).await);
    }
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .bytes()
        .await
        .map_err(|e| Error::transport(operation, e))?;
    if let Some(error) =
        ApiError::from_success_envelope(operation, status.as_u16(), &headers, &body)
    {
        return Err(Error::Api(Box::new(error)));
    }
    Ok(RawResponse {
        operation,
        mode,
        status,
        headers,
        body,
    })
}

/// A redirect the runtime would not follow is an [`Error::Redirect`].
fn refused_redirect(operation: &'static str, response: &reqwest::Response) -> Result<(), Error> {
    match crate::redirect::refused(response) {
        Some(message) => Err(Error::Redirect {
            operation,
            status: response.status().as_u16(),
            message,
        }),
        None => Ok(()),
    }
}

fn mode(client: &Client) -> DecodeMode {
    client.inner().decode_mode()
}

/// Ends an operation whose answer is JSON: the typed value.
pub async fn json<T: DeserializeOwned>(
    client: &Client,
    operation: &'static str,
    sent: Sent,
) -> Result<ResponseValue<T>, Error> {
    let raw = raw(client, operation, sent).await?;
    let value = raw.decode::<T>()?;
    Ok(raw.into_value(value))
}

/// Ends an operation whose answer is a JSON list: each element is repaired
/// on its own.
pub async fn list<T: DeserializeOwned>(
    client: &Client,
    operation: &'static str,
    sent: Sent,
) -> Result<ResponseValue<Vec<T>>, Error> {
    let raw = raw(client, operation, sent).await?;
    let value = raw.decode_list::<T>()?;
    Ok(raw.into_value(value))
}

/// Ends an operation whose body is ignored.
pub async fn empty(
    client: &Client,
    operation: &'static str,
    sent: Sent,
) -> Result<ResponseValue<()>, Error> {
    let raw = raw(client, operation, sent).await?;
    Ok(raw.into_value(()))
}

/// Ends an operation whose body is bytes (raw files, archives, logs): the
/// body is not read here but handed over as a stream.
pub async fn stream(
    _client: &Client,
    operation: &'static str,
    sent: Sent,
) -> Result<ResponseValue<ByteStream>, Error> {
    let response = sent?;
    refused_redirect(operation, &response)?;
    if response.status().is_success() {
        return Ok(ResponseValue::stream(response));
    }
    Err(api_error(operation, response).await)
}

/// The [`Error::Api`] of an error status, with what its body says (or the
/// transport error that kept the body from arriving).
async fn api_error(operation: &'static str, response: reqwest::Response) -> Error {
    let (status, headers) = (response.status(), response.headers().clone());
    match response.bytes().await {
        Ok(body) => Error::Api(Box::new(ApiError::from_parts(
            operation,
            status.as_u16(),
            &headers,
            &body,
        ))),
        Err(e) => Error::transport(operation, e),
    }
}

/// Ends an operation with the answer as sent.
pub async fn raw(
    client: &Client,
    operation: &'static str,
    sent: Sent,
) -> Result<RawResponse, Error> {
    let response = sent?;
    read(mode(client), operation, response).await
}
