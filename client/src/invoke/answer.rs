//! What running an operation answers, as sent ([`Answer`]), before either
//! front end presents it: the command line prints it
//! (`gitcode::cli::Output::write`), the MCP server returns it to the agent.
//! A list read across pages (`--all`, `all_pages`) is read with
//! [`PageReader`]: each page checked as it arrives, then split into its
//! items as sent.

use futures::TryStreamExt;
use futures::stream::BoxStream;
use jaq_json::Val;

use super::CliError;
use super::check::{self, Check};
use crate::{ByteStream, Error, RawResponse, ResponseValue};

/// Where the items of one page are, for `--all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageItems {
    /// The body is the list.
    List,
    /// The list is this field of the body (`x-gitcode-page-items`).
    Field(&'static str),
    /// Each answer is one item (cursor paging).
    Whole,
}

/// What a command answered, for the caller to present: the CLI prints it
/// (`Output::write`), the MCP server returns it to the agent.
pub enum Answer<'c> {
    /// One JSON (or empty) answer, as sent, and the typed check to make.
    Whole(RawResponse, Check),
    /// Every page of a list (`--all`), and where each page holds its items.
    Pages(BoxStream<'c, Result<RawResponse, Error>>, PageItems, Check),
    /// A body of bytes (a raw file, an archive).
    Bytes(ResponseValue<ByteStream>),
}

/// The pages of an [`Answer::Pages`], read one at a time.
pub(crate) struct PageReader<'c> {
    pages: BoxStream<'c, Result<RawResponse, Error>>,
    items: PageItems,
    check: Check,
}

impl<'c> PageReader<'c> {
    /// Reads `pages`, each holding its items where `items` says, each
    /// passing `check`.
    pub(crate) fn new(
        pages: BoxStream<'c, Result<RawResponse, Error>>,
        items: PageItems,
        check: Check,
    ) -> Self {
        PageReader {
            pages,
            items,
            check,
        }
    }

    /// The items of the next page as sent, or `None` after the last page.
    /// What tolerant decoding left out is warned; the error is the page's
    /// (a failed request, a strict decode that failed, a page that is not
    /// JSON).
    pub(crate) async fn next_page(&mut self) -> Result<Option<Vec<Val>>, CliError> {
        let Some(raw) = self.pages.try_next().await? else {
            return Ok(None);
        };
        check::run(&raw, self.check)?;
        page_items(&raw, self.items).map(Some)
    }
}

/// The items of one page as sent. A body that is not the list it should
/// be is kept whole as one item, with a warning, rather than dropped.
fn page_items(raw: &RawResponse, items: PageItems) -> Result<Vec<Val>, CliError> {
    if crate::decode::is_blank(raw.body()) {
        return Ok(Vec::new());
    }
    let body = jaq_json::read::parse_single(raw.body()).map_err(|e| {
        CliError::Undecodable(format!("`{}`: a page is not JSON ({e})", raw.operation()))
    })?;
    let list = match (items, &body) {
        (PageItems::Whole, _) => None,
        (PageItems::List, Val::Arr(list)) => Some(list.clone()),
        (PageItems::Field(field), Val::Obj(object)) => {
            match object.get(&Val::from(field.to_string())) {
                Some(Val::Arr(list)) => Some(list.clone()),
                Some(Val::Null) | None => Some(Default::default()),
                Some(_) => None,
            }
        }
        _ => None,
    };
    match list {
        Some(list) => Ok(list.iter().cloned().collect()),
        None => {
            if items != PageItems::Whole {
                eprintln!(
                    "warning: {}: a page is not a list of items; it is printed whole",
                    raw.operation()
                );
            }
            Ok(vec![body])
        }
    }
}
