//! Requests the spec does not describe: any method and path under
//! `/api/v5/` or `/api/v8/`, through the same runtime as every generated
//! operation (token, rate limiter, retries, tracing, typed errors).
//!
//! ```no_run
//! # async fn run(client: &gitcode::Client) -> Result<(), gitcode::Error> {
//! use futures::TryStreamExt;
//! use reqwest::Method;
//!
//! // Any JSON answer, every field as sent.
//! let me: serde_json::Value = client.request(Method::GET, "/api/v5/user").send_json().await?;
//!
//! // A type of your own, decoded like `send()` decodes.
//! #[derive(serde::Deserialize)]
//! struct Star { login: String }
//! let stars = client
//!     .request(Method::GET, "/api/v5/repos/o/r/stargazers")
//!     .query(&[("per_page", "10")])
//!     .send::<Vec<Star>>()
//!     .await?;
//!
//! // A write the spec lacks, with a JSON (or form) body.
//! client
//!     .request(Method::POST, "/api/v5/repos/o/r/issues")
//!     .json(&serde_json::json!({ "title": "Found a bug" }))
//!     .send_raw()
//!     .await?;
//!
//! // Every item of every page (`page` / `per_page`).
//! let mut all = client.request(Method::GET, "/api/v5/user/repos").stream::<serde_json::Value>();
//! while let Some(repo) = all.try_next().await? {
//!     println!("{}", repo["full_name"]);
//! }
//! # Ok(())
//! # }
//! ```

use std::marker::PhantomData;

use progenitor_client::{ClientInfo, ResponseValue};
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::pagination::{Page, PageFuture, Pages, PaginateExt, Paginated, RawFuture};
use crate::{Client, Error, RawResponse};

/// The operation name generic requests carry in errors and traces.
pub const OPERATION: &str = "request";

/// A request to a path the spec may lack ([`Client::request`]).
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct Request<'a> {
    client: &'a Client,
    method: Method,
    path: String,
    query: Pairs,
    headers: HeaderMap,
    body: Option<Body>,
    /// The first problem met while building, reported when sending.
    problem: Option<String>,
}

#[derive(Clone, Debug)]
enum Body {
    Json(Vec<u8>),
    Form(String),
    Bytes(HeaderValue, Vec<u8>),
}

impl Client {
    /// A request for any `method` and `path` of the API, such as one the
    /// spec lacks. `path` starts with `/api/v5/` or `/api/v8/` and may
    /// carry a query string; it is sent on this client's base URL with its
    /// token, rate limiter and retries. See [`crate::request`].
    pub fn request(&self, method: Method, path: &str) -> Request<'_> {
        let mut request = Request {
            client: self,
            method,
            path: String::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            problem: None,
        };
        match check_path(path) {
            Ok((path, query)) => {
                request.path = path.to_string();
                request.query = query;
            }
            Err(problem) => request.problem = Some(problem),
        }
        request
    }
}

/// Query parameters, in order.
type Pairs = Vec<(String, String)>;

/// Splits `path` into the path and its query pairs, refusing anything
/// outside the API's two versions.
fn check_path(path: &str) -> Result<(&str, Pairs), String> {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    if !(path.starts_with("/api/v5/") || path.starts_with("/api/v8/")) {
        return Err(format!(
            "the path `{path}` is not under `/api/v5/` or `/api/v8/` (give the path only, not a URL)"
        ));
    }
    if crate::paths::has_dot_segment(path) {
        return Err(format!(
            "the path `{path}` has a `.` or `..` segment, which could leave the API"
        ));
    }
    let query = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .map_err(|e| format!("the query string of `{path}` is not valid: {e}"))?;
    Ok((path, query))
}

impl<'a> Request<'a> {
    /// Adds query parameters: anything that serialises as a list of pairs
    /// or a flat struct (`&[("state", "open")]`, a `HashMap`, ...).
    pub fn query<Q: Serialize + ?Sized>(mut self, query: &Q) -> Self {
        match serde_urlencoded::to_string(query)
            .map_err(|e| e.to_string())
            .and_then(|s| {
                serde_urlencoded::from_str::<Vec<(String, String)>>(&s).map_err(|e| e.to_string())
            }) {
            Ok(pairs) => self.query.extend(pairs),
            Err(e) => self.fail(format!("the query parameters do not serialise: {e}")),
        }
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            _ => self.fail(format!("`{name}` is not a valid header")),
        }
        self
    }

    /// Sends `body` as JSON.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(Body::Json(bytes)),
            Err(e) => self.fail(format!("the body does not serialise as JSON: {e}")),
        }
        self
    }

    /// Sends `body` form-encoded (`application/x-www-form-urlencoded`), a
    /// list as one field per item, as the generated operations do
    /// ([`crate::form`]).
    pub fn form<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match crate::form::encode(body) {
            Ok(text) => self.body = Some(Body::Form(text)),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Sends `body` as it is, with `content_type` (a JSON document read
    /// from a file, an upload prepared elsewhere).
    pub fn body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        match HeaderValue::from_str(content_type) {
            Ok(value) => self.body = Some(Body::Bytes(value, body.into())),
            Err(_) => self.fail(format!("`{content_type}` is not a valid content type")),
        }
        self
    }

    fn fail(&mut self, problem: String) {
        self.problem.get_or_insert(problem);
    }

    /// Sends the request; the answer as the server sent it. An error
    /// status is an [`Error::Api`].
    pub async fn send_raw(self) -> Result<RawResponse, Error> {
        let client = self.client;
        let path = self.path.clone();
        let request = self.build()?;
        let response = crate::runtime::execute(client, request, OPERATION, &path).await?;
        crate::response::read(client.inner().decode_mode(), OPERATION, response).await
    }

    /// Sends the request; the body as JSON, every field as sent (an empty
    /// body is `null`).
    pub async fn send_json(self) -> Result<serde_json::Value, Error> {
        self.send_raw().await?.json()
    }

    /// Sends the request; the body decoded as `T` the way generated
    /// operations decode ([`crate::decode`]).
    pub async fn send<T: DeserializeOwned>(self) -> Result<ResponseValue<T>, Error> {
        let raw = self.send_raw().await?;
        let value = raw.decode::<T>()?;
        Ok(raw.into_value(value))
    }

    /// Every item of every page, lazily, for a path that pages with `page`
    /// and `per_page` and answers with a JSON list, 100 items a page (any
    /// `page` or `per_page` given is replaced). A path that serves fewer a
    /// page (the searches: 50 or 20) would end after its first page: stream
    /// those through their generated operations, which know their page size.
    pub fn stream<T: DeserializeOwned + Send + 'a>(self) -> Pages<'a, Paged<'a, T>> {
        Paged {
            request: self,
            item: PhantomData,
        }
        .stream()
    }

    /// Every page as the server sent it, lazily (see
    /// [`PaginateExt::raw_pages`]).
    pub fn raw_pages(self) -> futures::stream::BoxStream<'a, Result<RawResponse, Error>> {
        Paged::<'a, serde_json::Value> {
            request: self,
            item: PhantomData,
        }
        .raw_pages()
    }

    fn build(self) -> Result<reqwest::Request, Error> {
        let invalid = |message: String| Error::InvalidRequest {
            operation: OPERATION,
            message,
        };
        if let Some(problem) = self.problem {
            return Err(invalid(problem));
        }
        let url = format!("{}{}", self.client.baseurl(), self.path);
        let mut builder = self
            .client
            .client()
            .request(self.method, url)
            .header(reqwest::header::ACCEPT, "application/json")
            .headers(self.headers);
        if !self.query.is_empty() {
            builder = builder.query(&self.query);
        }
        builder = match self.body {
            Some(Body::Json(bytes)) => builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes),
            Some(Body::Form(text)) => builder
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(text),
            Some(Body::Bytes(content_type, bytes)) => builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes),
            None => builder,
        };
        let mut request = builder
            .build()
            .map_err(|e| invalid(format!("cannot build the request: {e}")))?;
        // However the path was written, the URL it became stays in the API.
        let base_path = reqwest::Url::parse(self.client.baseurl())
            .map(|u| u.path().trim_end_matches('/').to_string())
            .unwrap_or_default();
        let path = request.url().path();
        if !["/api/v5/", "/api/v8/"]
            .iter()
            .any(|version| path.starts_with(&format!("{base_path}{version}")))
        {
            return Err(invalid(format!(
                "the path `{}` leaves `/api/v5/` and `/api/v8/` once parsed as a URL",
                self.path
            )));
        }
        self.client
            .inner()
            .authorize(&mut request)
            .map_err(invalid)?;
        Ok(request)
    }

    /// This request with `page` and `per_page` set (replacing any given).
    fn at_page(mut self, page: u64, per_page: u64) -> Self {
        self.query.retain(|(k, _)| k != "page" && k != "per_page");
        self.query.push(("page".into(), page.to_string()));
        self.query.push(("per_page".into(), per_page.to_string()));
        self
    }
}

/// A generic request read page by page as items of type `T`
/// ([`Request::stream`]).
#[derive(Debug)]
pub struct Paged<'a, T> {
    request: Request<'a>,
    item: PhantomData<fn() -> T>,
}

impl<T> Clone for Paged<'_, T> {
    fn clone(&self) -> Self {
        Paged {
            request: self.request.clone(),
            item: PhantomData,
        }
    }
}

impl<'a, T: DeserializeOwned + Send + 'a> Paginated<'a> for Paged<'a, T> {
    type Item = T;

    fn at_page(self, page: u64, per_page: u64) -> Self {
        Paged {
            request: self.request.at_page(page, per_page),
            item: PhantomData,
        }
    }

    fn fetch(self) -> PageFuture<'a, T> {
        Box::pin(async move {
            let raw = self.request.send_raw().await?;
            let items = raw.decode_list::<T>()?;
            Ok(Page::from_list(raw.into_value(items)))
        })
    }

    fn fetch_raw(self) -> RawFuture<'a> {
        Box::pin(self.request.send_raw())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_api_are_refused() {
        assert!(check_path("/api/v5/user").is_ok());
        assert!(check_path("/api/v8/orgs/x").is_ok());
        let (path, query) = check_path("/api/v5/repos/o/r/issues?state=open&page=2").unwrap();
        assert_eq!(path, "/api/v5/repos/o/r/issues");
        assert_eq!(
            query,
            [("state".into(), "open".into()), ("page".into(), "2".into())]
        );
        for bad in [
            "api/v5/user",
            "/api/v6/user",
            "https://evil.example/api/v5/user",
            "/oauth/token",
            "/api/v5/../../admin",
            "/api/v5/repos/%2e%2e/x",
            "/api/v5/./user",
            "/api/v5/..\\..\\admin",
            "/api/v5/repos/%2e%2e%5c%2e%2e/x",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
        // Names that merely hold dots pass.
        assert!(check_path("/api/v5/repos/o/my..repo/contents/.github/a..b").is_ok());
    }
}
