//! Every list operation as a lazy stream of items across all its pages.
//!
//! GitCode pages with `page` (from 1) and `per_page` (at most 100), and
//! reports `total_page` / `total_count` in headers on some endpoints. The
//! pass `paginated_operations` implements [`Paginated`] for the builder of
//! every operation that takes `page` and `per_page` (or `perPage`) and
//! returns a list, so any of them can be consumed with
//! [`PaginateExt::stream`]:
//!
//! ```no_run
//! # async fn run(client: &gitcode::Client) -> Result<(), gitcode::Error> {
//! use futures::TryStreamExt;
//! use gitcode::prelude::*;
//!
//! let mut issues = client.list_repo_issues().owner("o").repo("r").state("open").stream();
//! while let Some(issue) = issues.try_next().await? {
//!     println!("{:?}", issue.title);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Some operations answer each page with an object: `list_repo_events`
//! with `{events, has_next_page}`, the Actions lists with
//! `{total_count, workflow_runs}` and the like. Their spec marks where the
//! items are, and the "more pages" flag if there is one
//! (`x-gitcode-page-items`), and they stream the same. So does
//! `list_repo_pull_requests`, whose `send()` answers an enum (a list, or
//! counts with `only_count`): its stream is the pull requests.
//!
//! [`PaginateExt::raw_pages`] streams the pages as the server sent them
//! ([`RawResponse`]), for callers that want every field, known or not.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use futures::Stream;
use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;

use crate::{Error, RawResponse};

/// The largest page GitCode serves: [`Paginated::MAX_PER_PAGE`] unless the
/// operation's spec says less (the searches serve 50 or 20 a page).
pub const MAX_PER_PAGE: u64 = 100;

/// One page of items, with what the server said about the next.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub headers: reqwest::header::HeaderMap,
    /// The server's own word on whether more pages follow, for answers
    /// that carry one (`has_next_page`); `None` for a bare list.
    pub has_next: Option<bool>,
}

impl<T> Page<T> {
    /// A page answered with a bare list.
    pub fn from_list(response: ResponseValue<Vec<T>>) -> Self {
        let headers = response.headers().clone();
        Page {
            items: response.into_inner(),
            headers,
            has_next: None,
        }
    }
}

impl<T: DeserializeOwned> Page<T> {
    /// A page whose body is a bare list, decoded as `send()` decodes a list
    /// answer, for an operation whose `send()` answers an enum with a list
    /// arm (`list_repo_pull_requests`): a body of another arm is an
    /// [`Error::Decode`].
    // Only `list_repo_pull_requests` answers so today: unused without its area.
    #[cfg_attr(not(feature = "pull-requests"), allow(dead_code))]
    pub(crate) fn from_raw_list(raw: RawResponse) -> Result<Self, Error> {
        Ok(Page {
            items: raw.decode_list::<T>()?,
            headers: raw.headers().clone(),
            has_next: None,
        })
    }
}

/// How a page's answer holds its items.
///
/// More shapes may be added as the server shows them: a `match` on it needs
/// a `_` arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageShape {
    /// A bare JSON array.
    List,
    /// An object with the items in one field and a "more pages" flag in
    /// another (`x-gitcode-page-items: {items, has_next}`).
    Wrapped {
        items: &'static str,
        has_next: &'static str,
    },
    /// An object with the items in one field and no flag
    /// (`x-gitcode-page-items: {items}`, as `{total_count, workflow_runs}`):
    /// the last page is told as for a bare list, by the `total_page`
    /// header, else by a short or empty page.
    Field { items: &'static str },
}

/// One page's request in flight.
pub type PageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send + 'a>>;

/// One answer, as the server sent it, in flight.
pub type RawFuture<'a> = Pin<Box<dyn Future<Output = Result<RawResponse, Error>> + Send + 'a>>;

/// A list operation's builder that can fetch any page (implemented by codegen).
pub trait Paginated<'a>: Clone + Send + 'a {
    type Item: Send + 'a;

    /// How a page's answer holds its items.
    const SHAPE: PageShape = PageShape::List;

    /// The most items a page of this operation holds (its `per_page`
    /// maximum in the spec): the page size of [`stream`](PaginateExt::stream),
    /// [`raw_pages`](PaginateExt::raw_pages) and the CLI's `--all`, and the
    /// cap on [`stream_pages_of`](PaginateExt::stream_pages_of). A stream
    /// that asked for more would read a page the server cut to its own
    /// maximum as the short last page, and end early.
    const MAX_PER_PAGE: u64 = MAX_PER_PAGE;

    /// The last page the server serves (its `page` maximum in the spec,
    /// 100 for the searches), `None` where it serves every page. A stream
    /// that would ask for the page after it ends with
    /// [`Error::Pagination`] instead, since the list may go on beyond what
    /// the server shows.
    const MAX_PAGE: Option<u64> = None;

    /// This request for `page` (from 1) of `per_page` items.
    fn at_page(self, page: u64, per_page: u64) -> Self;

    /// Sends the request; the page's items, decoded.
    fn fetch(self) -> PageFuture<'a, Self::Item>;

    /// Sends the request; the answer as sent.
    fn fetch_raw(self) -> RawFuture<'a>;
}

/// Streams and collects for every [`Paginated`] builder.
///
/// Every stream ends: after the last page (the server's flag, its
/// `total_page` header, or a page of fewer items than asked), or with an
/// [`Error::Pagination`] when a page repeats the page before it byte for
/// byte (a server that ignores `page`) or when the next page would be past
/// the cap ([`DEFAULT_MAX_PAGES`] unless set with [`Pages::max_pages`] or
/// [`raw_pages_up_to`](Self::raw_pages_up_to)).
pub trait PaginateExt<'a>: Paginated<'a> {
    /// Every item of every page, fetched lazily one page (of
    /// [`MAX_PER_PAGE`](Paginated::MAX_PER_PAGE) items, 100 for most lists)
    /// at a time: memory holds one page whatever the total.
    fn stream(self) -> Pages<'a, Self>
    where
        Self::Item: DeserializeOwned,
    {
        self.stream_pages_of(Self::MAX_PER_PAGE)
    }

    /// Like [`stream`](Self::stream) with another page size (from 1 to
    /// [`MAX_PER_PAGE`](Paginated::MAX_PER_PAGE)).
    fn stream_pages_of(self, per_page: u64) -> Pages<'a, Self>
    where
        Self::Item: DeserializeOwned,
    {
        Pages::new(self, per_page.clamp(1, Self::MAX_PER_PAGE.max(1)))
    }

    /// Every page as the server sent it ([`RawResponse`]: status, headers,
    /// body), fetched lazily, [`MAX_PER_PAGE`](Paginated::MAX_PER_PAGE)
    /// items a page, at most
    /// [`DEFAULT_MAX_PAGES`] pages. Ends after the last page as
    /// [`stream`](Self::stream) does; a body that is not a list (or, for
    /// wrapped pages, an object) ends the stream after itself.
    fn raw_pages(self) -> futures::stream::BoxStream<'a, Result<RawResponse, Error>>
    where
        Self: Sized,
    {
        self.raw_pages_up_to(DEFAULT_MAX_PAGES)
    }

    /// Like [`raw_pages`](Self::raw_pages), with at most `max_pages` pages
    /// (at least 1): asking for more ends the stream with
    /// [`Error::Pagination`].
    fn raw_pages_up_to(
        self,
        max_pages: u64,
    ) -> futures::stream::BoxStream<'a, Result<RawResponse, Error>>
    where
        Self: Sized,
    {
        use futures::StreamExt;
        let per_page = Self::MAX_PER_PAGE.max(1);
        let guard = Guard::new(max_pages, Self::MAX_PAGE);
        futures::stream::unfold(Some((self, 1u64, guard)), move |state| async move {
            let (request, page, mut guard) = state?;
            if let Err(e) = guard.before(page) {
                return Some((Err(e), None));
            }
            match request.clone().at_page(page, per_page).fetch_raw().await {
                Err(e) => Some((Err(e), None)),
                Ok(raw) => {
                    if let Err(e) = guard.after(page, &raw) {
                        return Some((Err(e), None));
                    }
                    let (len, has_next) = raw_page_facts(&raw, Self::SHAPE);
                    let last = match len {
                        Some(len) => is_last(page, per_page, len, has_next, raw.headers()),
                        None => true,
                    };
                    let next = (!last).then_some((request, page + 1, guard));
                    Some((Ok(raw), next))
                }
            }
        })
        .boxed()
    }

    /// Every item, stopping with an error past `cap` items rather than
    /// filling memory.
    fn collect_all(
        self,
        cap: usize,
    ) -> impl Future<Output = Result<Vec<Self::Item>, Error>> + Send + 'a
    where
        Self: Sized,
        Self::Item: DeserializeOwned,
    {
        use futures::TryStreamExt;
        let mut stream = self.stream();
        async move {
            let mut items = Vec::new();
            while let Some(item) = stream.try_next().await? {
                if items.len() == cap {
                    return Err(Error::InvalidRequest {
                        operation: "collect_all",
                        message: format!("more than {cap} items; raise the cap or use stream()"),
                    });
                }
                items.push(item);
            }
            Ok(items)
        }
    }
}

impl<'a, P: Paginated<'a>> PaginateExt<'a> for P {}

/// The most pages a stream fetches unless told otherwise: 100,000 items at
/// 100 a page, 20 minutes of requests at GitCode's 50 a minute.
pub const DEFAULT_MAX_PAGES: u64 = 1000;

/// What keeps a page stream from running forever: the cap on the page
/// number, and the body of the page before, to catch a repeat; and what
/// keeps it from asking past the last page the server serves.
struct Guard {
    max_pages: u64,
    /// [`Paginated::MAX_PAGE`].
    last_served: Option<u64>,
    operation: &'static str,
    previous: Option<bytes::Bytes>,
}

impl Guard {
    fn new(max_pages: u64, last_served: Option<u64>) -> Self {
        Guard {
            max_pages: max_pages.max(1),
            last_served,
            operation: "?",
            previous: None,
        }
    }

    /// Before asking for `page`.
    fn before(&self, page: u64) -> Result<(), Error> {
        if let Some(last) = self.last_served
            && page > last
        {
            return Err(Error::Pagination {
                operation: self.operation,
                page,
                message: format!(
                    "the server serves no page past {last} of this list, and page {last} was \
                     full: what follows it cannot be read (narrow the query to reach it)"
                ),
            });
        }
        if page > self.max_pages {
            return Err(Error::Pagination {
                operation: self.operation,
                page,
                message: format!(
                    "more than {} pages, the cap (raise it with `max_pages`)",
                    self.max_pages
                ),
            });
        }
        Ok(())
    }

    /// On the answer `raw` for `page`.
    fn after(&mut self, page: u64, raw: &RawResponse) -> Result<(), Error> {
        self.operation = raw.operation();
        // `Bytes` clones share the buffer: keeping the body costs no copy.
        let body = raw.body().clone();
        if self.previous.as_ref() == Some(&body) {
            return Err(Error::Pagination {
                operation: self.operation,
                page,
                message: format!(
                    "page {page} is the same as page {}; the server seems to ignore `page`",
                    page - 1
                ),
            });
        }
        self.previous = Some(body);
        Ok(())
    }
}

/// The stream returned by [`PaginateExt::stream`].
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, P: Paginated<'a>> {
    request: P,
    per_page: u64,
    next_page: Option<u64>,
    buffer: VecDeque<P::Item>,
    in_flight: Option<RawFuture<'a>>,
    guard: Guard,
}

impl<'a, P: Paginated<'a>> Pages<'a, P> {
    fn new(request: P, per_page: u64) -> Self {
        Pages {
            request,
            per_page,
            next_page: Some(1),
            buffer: VecDeque::new(),
            in_flight: None,
            guard: Guard::new(DEFAULT_MAX_PAGES, P::MAX_PAGE),
        }
    }

    /// Fetches at most `max_pages` pages (at least 1; default
    /// [`DEFAULT_MAX_PAGES`]): asking for more ends the stream with
    /// [`Error::Pagination`].
    pub fn max_pages(mut self, max_pages: u64) -> Self {
        self.guard.max_pages = max_pages.max(1);
        self
    }
}

/// Whether the page just read was the last one: the server's flag when it
/// sends one, else its `total_page` header, else a short page.
fn is_last(
    page: u64,
    per_page: u64,
    len: usize,
    has_next: Option<bool>,
    headers: &reqwest::header::HeaderMap,
) -> bool {
    if len == 0 {
        return true;
    }
    if let Some(more) = has_next {
        return !more;
    }
    let total_pages = headers
        .get("total_page")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match total_pages {
        Some(total) => page >= total,
        None => (len as u64) < per_page,
    }
}

/// The number of items in a raw page and its "more pages" flag; `None`
/// items when the body is not of the expected shape.
fn raw_page_facts(raw: &RawResponse, shape: PageShape) -> (Option<usize>, Option<bool>) {
    match shape {
        PageShape::List => {
            let len = serde_json::from_slice::<Vec<serde::de::IgnoredAny>>(raw.body())
                .ok()
                .map(|items| items.len());
            (len, None)
        }
        PageShape::Wrapped { items, has_next } => {
            let Ok(serde_json::Value::Object(body)) = raw.json() else {
                return (None, None);
            };
            let more = body.get(has_next).and_then(|v| {
                serde_json::from_value::<crate::lenient::Flag>(v.clone())
                    .ok()
                    .map(crate::lenient::Flag::get)
            });
            (Some(field_len(&body, items)), more)
        }
        PageShape::Field { items } => {
            let Ok(serde_json::Value::Object(body)) = raw.json() else {
                return (None, None);
            };
            (Some(field_len(&body, items)), None)
        }
    }
}

/// The number of items in the list field `items` of a page's object; 0
/// when it is missing, `null` or not a list.
fn field_len(body: &serde_json::Map<String, serde_json::Value>, items: &str) -> usize {
    body.get(items)
        .and_then(|v| v.as_array())
        .map_or(0, Vec::len)
}

/// A page's items, decoded as `send()` decodes them, and the server's
/// "more pages" flag for wrapped pages.
fn page_items<T: DeserializeOwned>(
    raw: &RawResponse,
    shape: PageShape,
) -> Result<(Vec<T>, Option<bool>), Error> {
    match shape {
        PageShape::List => Ok((raw.decode_list::<T>()?, None)),
        PageShape::Wrapped { items, .. } => {
            let decoded = raw.decode_list_at::<T>(items)?;
            Ok((decoded, raw_page_facts(raw, shape).1))
        }
        PageShape::Field { items } => Ok((raw.decode_list_at::<T>(items)?, None)),
    }
}

impl<'a, P: Paginated<'a>> Unpin for Pages<'a, P> {}

impl<'a, P: Paginated<'a>> Stream for Pages<'a, P>
where
    P::Item: DeserializeOwned,
{
    type Item = Result<P::Item, Error>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if self.in_flight.is_none() {
                let Some(page) = self.next_page else {
                    return Poll::Ready(None);
                };
                if let Err(e) = self.guard.before(page) {
                    self.next_page = None;
                    return Poll::Ready(Some(Err(e)));
                }
                // Give back the drained page before the next one arrives, so
                // that memory holds one page, whatever the total.
                self.buffer = VecDeque::new();
                let request = self.request.clone().at_page(page, self.per_page);
                self.in_flight = Some(request.fetch_raw());
            }
            let future = self.in_flight.as_mut().expect("a request is in flight");
            match future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    self.in_flight = None;
                    let page = self.next_page.unwrap_or(1);
                    let decoded = result.and_then(|raw| {
                        self.guard.after(page, &raw)?;
                        let (items, has_next) = page_items::<P::Item>(&raw, P::SHAPE)?;
                        Ok((items, has_next, raw))
                    });
                    match decoded {
                        Err(e) => {
                            self.next_page = None;
                            return Poll::Ready(Some(Err(e)));
                        }
                        Ok((items, has_next, raw)) => {
                            let last =
                                is_last(page, self.per_page, items.len(), has_next, raw.headers());
                            self.next_page = (!last).then_some(page + 1);
                            // Takes the page's allocation over, without copying.
                            self.buffer = VecDeque::from(items);
                        }
                    }
                }
            }
        }
    }
}

/// One answer of a cursor-paged operation in flight.
pub type CursorFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<ResponseValue<T>, Error>> + Send + 'a>>;

/// An operation that pages by cursor (implemented by codegen for operations
/// marked `x-gitcode-cursor`): each answer names the cursor of the next.
pub trait CursorPaginated<'a>: Clone + Send + 'a {
    type Page: Send + 'a;

    /// The cursor's name: a field of each answer and the query parameter
    /// that asks for the next.
    const CURSOR: &'static str;

    /// This request, continuing from `cursor`.
    fn at_cursor(self, cursor: String) -> Self;

    /// The cursor of the page after `page`, `None` at the end.
    fn cursor_of(page: &Self::Page) -> Option<String>;

    /// Sends the request.
    fn fetch(self) -> CursorFuture<'a, Self::Page>;

    /// Sends the request; the answer as sent.
    fn fetch_raw(self) -> RawFuture<'a>;

    /// Every answer as the server sent it, first to last, fetched lazily;
    /// the cursor is read from each body as sent. Ends after an answer
    /// without a cursor, or with [`Error::Pagination`] when a cursor comes
    /// back that was already followed, when an answer repeats the one
    /// before byte for byte, or past [`DEFAULT_MAX_PAGES`] answers.
    fn raw_pages(self) -> futures::stream::BoxStream<'a, Result<RawResponse, Error>>
    where
        Self: Sized,
    {
        self.raw_pages_up_to(DEFAULT_MAX_PAGES)
    }

    /// Like [`raw_pages`](Self::raw_pages), with at most `max_pages`
    /// answers (at least 1).
    fn raw_pages_up_to(
        self,
        max_pages: u64,
    ) -> futures::stream::BoxStream<'a, Result<RawResponse, Error>>
    where
        Self: Sized,
    {
        use futures::StreamExt;
        let guard = Guard::new(max_pages, None);
        let followed = std::collections::HashSet::<String>::new();
        // `Err`: the answer before was yielded; the stream ends with this.
        let start = Ok((self, 1u64, guard, followed));
        futures::stream::unfold(Some(start), |state| async move {
            let (request, page, mut guard, mut followed) = match state? {
                Ok(state) => state,
                Err(e) => return Some((Err(e), None)),
            };
            if let Err(e) = guard.before(page) {
                return Some((Err(e), None));
            }
            match request.clone().fetch_raw().await {
                Err(e) => Some((Err(e), None)),
                Ok(raw) => {
                    if let Err(e) = guard.after(page, &raw) {
                        return Some((Err(e), None));
                    }
                    let cursor = raw
                        .json()
                        .ok()
                        .and_then(|body| match body.get(Self::CURSOR) {
                            Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
                            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                            _ => None,
                        });
                    let Some(cursor) = cursor else {
                        return Some((Ok(raw), None));
                    };
                    if !followed.insert(cursor.clone()) {
                        let e = Error::Pagination {
                            operation: raw.operation(),
                            page: page + 1,
                            message: format!(
                                "answer {page} names the {} `{cursor}` again, already followed; \
                                 the server seems to ignore it",
                                Self::CURSOR
                            ),
                        };
                        return Some((Ok(raw), Some(Err(e))));
                    }
                    let next = (request.at_cursor(cursor), page + 1, guard, followed);
                    Some((Ok(raw), Some(Ok(next))))
                }
            }
        })
        .boxed()
    }

    /// Every answer, first to last, fetched lazily one at a time, decoded
    /// as `send()` decodes it; ends as [`raw_pages`](Self::raw_pages) does.
    fn pages(self) -> futures::stream::BoxStream<'a, Result<Self::Page, Error>>
    where
        Self: Sized,
        Self::Page: DeserializeOwned,
    {
        use futures::StreamExt;
        self.raw_pages()
            .map(|raw| raw.and_then(|raw| raw.decode::<Self::Page>()))
            .boxed()
    }
}
