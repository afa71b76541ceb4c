//! A tool's result: what the server sent, as it sent it.
//!
//! - JSON: the body's text, byte for byte, as text content, and the parsed
//!   body as `structuredContent` when it is an object (clients that read
//!   structured results get it typed; the text keeps key order and every
//!   number's digits).
//! - Bytes (raw files, archives): base64 in an embedded resource, with the
//!   media type the server gave.
//! - Anything else (an HTML page with a 2xx): its text.
//! - An error status: a tool error (`isError`) with the status, GitCode's
//!   `error_message` and the body as sent; the next call is served as ever.
//!
//! List tools add one line on paging: which page this is, how many there
//! are when the server says (`total_page`), and what to ask for next. With
//! `all_pages`, a list tool answers the items of every page as one JSON
//! array, up to `max_items` (and [`MAX_BYTES`] of text), and a line that
//! says how many pages were read and whether the cap cut the list.
//! Every text passes [`Redactor`] first, so the token never reaches an
//! agent, even when the server echoes it.

use base64::Engine;
use futures::TryStreamExt;
use rmcp::model::{CallToolResult, ContentBlock, ResourceContents};

use crate::generated::mcp::DEFAULT_MAX_ITEMS;
use crate::invoke::json::write_json;
use crate::invoke::{Answer, Check, CliError, PageItems, PageReader};
use crate::redact::Redactor;
use crate::{ByteStream, Error, RawResponse, ResponseValue};

/// The largest body of bytes returned (base64 makes it a third larger).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Where a list tool's page is, for the paging line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Paging {
    /// The `page` asked for (1 when not given).
    pub page: u64,
    /// With `all_pages`, the `max_items` given ([`DEFAULT_MAX_ITEMS`]
    /// when not).
    pub max_items: Option<usize>,
    /// The tool's largest `per_page` (its schema's `maximum`, from the
    /// spec, as the stream's page size is): what `all_pages` asked for
    /// each page, so the line that says where to read on names it.
    pub max_per_page: u64,
}

/// The result of a call that was answered.
pub(crate) async fn result(
    answer: Answer<'_>,
    paging: Option<Paging>,
    redactor: &Redactor,
) -> CallToolResult {
    match answer {
        Answer::Whole(raw, check) => {
            // Strict decoding fails here; tolerant decoding's repairs are
            // warned on standard error, as on the command line.
            if let Err(e) = crate::invoke::check::run(&raw, check) {
                return failure(&CliError::Api(e), redactor);
            }
            whole(&raw, paging, redactor)
        }
        // `all_pages` (`Args::all`).
        Answer::Pages(pages, items, check) => {
            let cap = paging
                .and_then(|p| p.max_items)
                .unwrap_or(DEFAULT_MAX_ITEMS);
            let per_page = paging.map_or(crate::pagination::MAX_PER_PAGE, |p| p.max_per_page);
            match all_pages(pages, items, check, cap).await {
                Ok(merged) => merged.result(per_page, redactor),
                Err(e) => failure(&e, redactor),
            }
        }
        Answer::Bytes(response) => bytes(response, redactor).await,
    }
}

/// The items of every page, merged, and how the reading ended.
struct Merged {
    /// The items as compact JSON text, without the brackets.
    text: String,
    count: usize,
    pages: u64,
    /// Why the reading stopped before the list ended, if it did.
    cut: Option<Cut>,
}

enum Cut {
    /// `max_items` items were answered; this page had more.
    Items { cap: usize, page: u64 },
    /// The text reached [`MAX_BYTES`] with this page.
    Bytes { page: u64 },
}

/// Reads pages until the list ends or a cap is reached. Once the items
/// reach the cap, one more page is read, to tell whether the list goes on.
async fn all_pages(
    pages: futures::stream::BoxStream<'_, Result<RawResponse, Error>>,
    items: PageItems,
    check: Check,
    cap: usize,
) -> Result<Merged, CliError> {
    let mut merged = Merged {
        text: String::new(),
        count: 0,
        pages: 0,
        cut: None,
    };
    let mut pages = PageReader::new(pages, items, check);
    while let Some(page) = pages.next_page().await? {
        merged.pages += 1;
        for item in page {
            if merged.count == cap {
                merged.cut = Some(Cut::Items {
                    cap,
                    page: merged.pages,
                });
                return Ok(merged);
            }
            let mut one = Vec::new();
            write_json(&mut one, &item, false, 0)?;
            if merged.text.len() + one.len() > MAX_BYTES {
                merged.cut = Some(Cut::Bytes { page: merged.pages });
                return Ok(merged);
            }
            if merged.count > 0 {
                merged.text.push(',');
            }
            merged.text.push_str(&String::from_utf8_lossy(&one));
            merged.count += 1;
        }
    }
    Ok(merged)
}

impl Merged {
    fn result(self, per_page: u64, redactor: &Redactor) -> CallToolResult {
        let pages = match self.pages {
            1 => "1 page".to_string(),
            n => format!("{n} pages"),
        };
        let line = match self.cut {
            None => format!("All {} items, from {pages}.", self.count),
            Some(Cut::Items { cap, page }) => format!(
                "Cut at max_items={cap}: the list goes on (page {page} of {per_page} items had \
                 more). Raise max_items, or read on from page={page} with per_page={per_page} \
                 without all_pages."
            ),
            Some(Cut::Bytes { page }) => format!(
                "Cut at {} items: the answer reached {} MiB, the most a result holds (on page {page} \
                 of {per_page} items). Read on from page={page} with per_page={per_page} without \
                 all_pages, or narrow the list with its filters.",
                self.count,
                MAX_BYTES / 1024 / 1024
            ),
        };
        CallToolResult::success(vec![
            ContentBlock::text(redactor.text(&format!("[{}]", self.text))),
            ContentBlock::text(line),
        ])
    }
}

/// A whole answer: its body as sent.
fn whole(raw: &RawResponse, paging: Option<Paging>, redactor: &Redactor) -> CallToolResult {
    let body = raw.body();
    let mut content = Vec::new();
    let mut structured = None;
    if crate::decode::is_blank(body) {
        content.push(ContentBlock::text(format!(
            "(HTTP {}, no body)",
            raw.status().as_u16()
        )));
    } else {
        match std::str::from_utf8(body) {
            Ok(text) => {
                let text = redactor.text(text);
                if let Ok(value @ serde_json::Value::Object(_)) =
                    serde_json::from_str::<serde_json::Value>(&text)
                {
                    structured = Some(value);
                }
                content.push(ContentBlock::text(text));
            }
            Err(_) => content.push(blob(body, media_type(raw.headers()), raw.operation())),
        }
    }
    if let Some(paging) = paging {
        content.push(ContentBlock::text(paging_line(raw, paging)));
    }
    let mut result = CallToolResult::success(content);
    result.structured_content = structured;
    result
}

/// The paging line of a list tool's result.
fn paging_line(raw: &RawResponse, paging: Paging) -> String {
    let header = |name: &str| {
        raw.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    let page = paging.page;
    match (header("total_page"), header("total_count")) {
        (Some(total), count) => {
            let count = count
                .map(|c| format!(", {c} items in all"))
                .unwrap_or_default();
            if page < total {
                format!(
                    "Page {page} of {total}{count}. For the next, call again with page={}.",
                    page + 1
                )
            } else {
                format!("Page {page} of {total}{count}: the last page.")
            }
        }
        _ => format!(
            "Page {page}. If it holds per_page items, call again with page={} for the next; a shorter page is the last.",
            page + 1
        ),
    }
}

/// A body of bytes, as base64 with its media type.
async fn bytes(response: ResponseValue<ByteStream>, redactor: &Redactor) -> CallToolResult {
    let media = media_type(response.headers());
    let operation = "download";
    let mut stream = response.into_inner().into_inner();
    let mut collected = Vec::new();
    loop {
        match stream.try_next().await {
            Ok(Some(chunk)) => {
                if collected.len() + chunk.len() > MAX_BYTES {
                    return tool_error(format!(
                        "the file is larger than {} MiB, the most a tool result holds; \
                         download it with `gitcode` or another client",
                        MAX_BYTES / 1024 / 1024
                    ));
                }
                collected.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => return failure(&CliError::Api(Error::transport(operation, e)), redactor),
        }
    }
    if redactor.holds(&collected) {
        return CallToolResult::success(vec![ContentBlock::text(
            redactor.text(&String::from_utf8_lossy(&collected)),
        )]);
    }
    CallToolResult::success(vec![blob(&collected, media, operation)])
}

fn blob(bytes: &[u8], media: Option<String>, operation: &str) -> ContentBlock {
    let data = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut resource = ResourceContents::blob(data, format!("gitcode:{operation}"));
    resource = resource.with_mime_type(media.unwrap_or_else(|| "application/octet-stream".into()));
    ContentBlock::resource(resource)
}

fn media_type(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(String::from)
}

/// A call that failed: before sending (bad arguments) or at the server.
pub(crate) fn failure(error: &CliError, redactor: &Redactor) -> CallToolResult {
    let mut text = redactor.text(&error.to_string());
    if let CliError::Api(api) = error {
        if let Some(message) = api
            .api()
            .and_then(|e| e.error_message.as_deref().or(e.message.as_deref()))
            .filter(|m| !text.contains(*m))
        {
            text.push_str(&format!("\nerror_message: {}", redactor.text(message)));
        }
        if let Some(body) = api.body().filter(|b| !crate::decode::is_blank(b)) {
            text.push_str("\n\nThe server sent:\n");
            text.push_str(&redactor.text(&String::from_utf8_lossy(body)));
        }
    }
    tool_error(text)
}

pub(crate) fn tool_error(text: String) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(text)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_redacted_from_text() {
        let r = Redactor::new(Some("s3cret-token"));
        assert_eq!(
            r.text("url?access_token=s3cret-token&x=s3cret-token"),
            "url?access_token=[redacted]&x=[redacted]"
        );
        assert!(r.holds(b"..s3cret-token.."));
        assert!(!r.holds(b"nothing"));
        assert_eq!(Redactor::new(None).text("s3cret-token"), "s3cret-token");
    }
}
