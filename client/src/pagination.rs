//! Every list operation as a lazy stream of items across all its pages.
//!
//! GitCode pages with `page` (from 1) and `per_page` (at most 100), and
//! reports `total_page` / `total_count` in headers on some endpoints. The
//! pass `paginated_operations` implements [`Paginated`] for the builder of
//! every operation that takes `page` and `per_page` and returns a list, so
//! any of them can be consumed with [`PaginateExt::stream`]:
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

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use futures::Stream;
use progenitor_client::ResponseValue;

use crate::Error;

/// The largest page GitCode serves.
pub const MAX_PER_PAGE: u64 = 100;

/// One page's request in flight.
pub type PageFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<ResponseValue<Vec<T>>, Error>> + Send + 'a>>;

/// A list operation's builder that can fetch any page (implemented by codegen).
pub trait Paginated<'a>: Clone + Send + 'a {
    type Item: Send + 'a;

    /// This request for `page` (from 1) of `per_page` items.
    fn at_page(self, page: u64, per_page: u64) -> Self;

    /// Sends the request.
    fn fetch(self) -> PageFuture<'a, Self::Item>;
}

/// Streams and collects for every [`Paginated`] builder.
pub trait PaginateExt<'a>: Paginated<'a> {
    /// Every item of every page, fetched lazily one page (of 100) at a time:
    /// memory holds one page whatever the total.
    fn stream(self) -> Pages<'a, Self> {
        self.stream_pages_of(MAX_PER_PAGE)
    }

    /// Like [`stream`](Self::stream) with another page size (1 to 100).
    fn stream_pages_of(self, per_page: u64) -> Pages<'a, Self> {
        Pages::new(self, per_page.clamp(1, MAX_PER_PAGE))
    }

    /// Every item, stopping with an error past `cap` items rather than
    /// filling memory.
    fn collect_all(
        self,
        cap: usize,
    ) -> impl Future<Output = Result<Vec<Self::Item>, Error>> + Send + 'a
    where
        Self: Sized,
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

/// The stream returned by [`PaginateExt::stream`].
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, P: Paginated<'a>> {
    request: P,
    per_page: u64,
    next_page: Option<u64>,
    buffer: VecDeque<P::Item>,
    in_flight: Option<PageFuture<'a, P::Item>>,
}

impl<'a, P: Paginated<'a>> Pages<'a, P> {
    fn new(request: P, per_page: u64) -> Self {
        Pages {
            request,
            per_page,
            next_page: Some(1),
            buffer: VecDeque::new(),
            in_flight: None,
        }
    }

    /// Whether the page just read was the last one.
    fn is_last(&self, page: u64, len: usize, headers: &reqwest::header::HeaderMap) -> bool {
        let total_pages = headers
            .get("total_page")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        match total_pages {
            Some(total) => page >= total || len == 0,
            None => (len as u64) < self.per_page,
        }
    }
}

impl<'a, P: Paginated<'a>> Unpin for Pages<'a, P> {}

impl<'a, P: Paginated<'a>> Stream for Pages<'a, P> {
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
                // Give back the drained page before the next one arrives, so
                // that memory holds one page, whatever the total.
                self.buffer = VecDeque::new();
                let request = self.request.clone().at_page(page, self.per_page);
                self.in_flight = Some(request.fetch());
            }
            let future = self.in_flight.as_mut().expect("a request is in flight");
            match future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    self.in_flight = None;
                    let page = self.next_page.unwrap_or(1);
                    match result {
                        Err(e) => {
                            self.next_page = None;
                            return Poll::Ready(Some(Err(e)));
                        }
                        Ok(response) => {
                            let last = self.is_last(page, response.len(), response.headers());
                            self.next_page = (!last).then_some(page + 1);
                            // Takes the page's allocation over, without copying.
                            self.buffer = VecDeque::from(response.into_inner());
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

    /// This request, continuing from `cursor`.
    fn at_cursor(self, cursor: String) -> Self;

    /// The cursor of the page after `page`, `None` at the end.
    fn cursor_of(page: &Self::Page) -> Option<String>;

    /// Sends the request.
    fn fetch(self) -> CursorFuture<'a, Self::Page>;

    /// Every answer, first to last, fetched lazily one at a time.
    fn pages(self) -> futures::stream::BoxStream<'a, Result<Self::Page, Error>>
    where
        Self: Sized,
    {
        use futures::StreamExt;
        enum State<R> {
            Next(R),
            Done,
        }
        futures::stream::unfold(State::Next(self), |state| async move {
            let State::Next(request) = state else {
                return None;
            };
            match request.clone().fetch().await {
                Err(e) => Some((Err(e), State::Done)),
                Ok(page) => {
                    let page = page.into_inner();
                    let next = match Self::cursor_of(&page) {
                        Some(cursor) => State::Next(request.at_cursor(cursor)),
                        None => State::Done,
                    };
                    Some((Ok(page), next))
                }
            }
        })
        .boxed()
    }
}
