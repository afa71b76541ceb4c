//! What a command prints: the body the server sent, not the typed model
//! re-serialised.
//!
//! The body is read with jaq's JSON reader, which keeps key order and the
//! text of every number as sent, and printed indented, so a field the spec
//! lacks, a `null` and a 20-digit id all reach the user unchanged. The
//! typed decode still runs on every answer ([`Check`]): what tolerant
//! decoding had to leave out becomes one warning line on standard error
//! per kind, and with `--strict` (a strict client) the command fails with
//! exit code 8 instead. `--all` merges the items of every page, as sent,
//! into one array; `--jq` filters whatever would have been printed.

use std::io::{IsTerminal, Write};

use futures::TryStreamExt;
use futures::stream::BoxStream;
use jaq_json::Val;
use jaq_json::write::Pp;
use serde::de::DeserializeOwned;

use super::CliError;
use super::jq::{self, Jq};
use crate::decode::Repair;
use crate::{ByteStream, Error, RawResponse, ResponseValue};

/// The typed decode a command's answer must pass: what it left out, or why
/// it failed (see [`check`]).
pub type Check = fn(&RawResponse) -> Result<Vec<Repair>, Error>;

/// The [`Check`]s generated commands use.
pub mod check {
    use super::*;

    /// The answer decodes as `T`.
    pub fn value<T: DeserializeOwned>(raw: &RawResponse) -> Result<Vec<Repair>, Error> {
        raw.decode_with_repairs::<T>().map(|(_, repairs)| repairs)
    }

    /// The answer is a list of `T`, each element decoded on its own.
    pub fn list<T: DeserializeOwned>(raw: &RawResponse) -> Result<Vec<Repair>, Error> {
        raw.decode_list_with_repairs::<T>()
            .map(|(_, repairs)| repairs)
    }

    /// Nothing to check (an answer whose body the spec ignores, `gitcode api`).
    pub fn nothing(_: &RawResponse) -> Result<Vec<Repair>, Error> {
        Ok(Vec::new())
    }
}

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
/// ([`Output::write`]), the MCP server returns it to the agent.
pub enum Answer<'c> {
    /// One JSON (or empty) answer, as sent, and the typed check to make.
    Whole(RawResponse, Check),
    /// Every page of a list (`--all`), and where each page holds its items.
    Pages(BoxStream<'c, Result<RawResponse, Error>>, PageItems, Check),
    /// A body of bytes (a raw file, an archive).
    Bytes(ResponseValue<ByteStream>),
}

/// Standard output for one command.
pub struct Output {
    out: Box<dyn Write + Send>,
    /// Indent JSON (always, but for `--jq` results on a pipe).
    terminal: bool,
    /// Show a running count of items on standard error.
    progress: bool,
    jq: Option<Jq>,
}

impl Output {
    pub(crate) fn new(jq: Option<Jq>) -> Self {
        Output {
            out: Box::new(std::io::BufWriter::new(std::io::stdout())),
            terminal: std::io::stdout().is_terminal(),
            progress: std::io::stderr().is_terminal(),
            jq,
        }
    }

    #[cfg(test)]
    fn to_buffer(jq: Option<Jq>) -> (Self, std::sync::Arc<std::sync::Mutex<Vec<u8>>>) {
        let buffer = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let out = Output {
            out: Box::new(SharedBuffer(buffer.clone())),
            terminal: false,
            progress: false,
            jq,
        };
        (out, buffer)
    }

    /// Prints what a command answered.
    pub async fn write(&mut self, answer: Answer<'_>) -> Result<(), CliError> {
        match answer {
            Answer::Whole(raw, check) => self.answer(raw, check),
            Answer::Pages(pages, items, check) => self.pages(pages, items, check).await,
            Answer::Bytes(response) => self.bytes(response).await,
        }
    }

    /// Prints a whole answer after its typed check.
    pub fn answer(&mut self, raw: RawResponse, check: Check) -> Result<(), CliError> {
        warn(raw.operation(), &check(&raw)?);
        self.body(raw.body())
    }

    /// Prints a body as sent: JSON indented (or through `--jq`), anything
    /// else byte for byte (no newline added); an empty body prints nothing.
    pub fn body(&mut self, body: &[u8]) -> Result<(), CliError> {
        if crate::decode::is_blank(body) {
            return Ok(());
        }
        match jaq_json::read::parse_single(body) {
            Ok(value) => self.value(value),
            Err(e) if self.jq.is_some() => Err(CliError::Jq(format!(
                "--jq: the answer is not JSON ({e}); it starts: {}",
                String::from_utf8_lossy(&body[..body.len().min(80)])
            ))),
            // Byte for byte: it may be a file (`gitcode api .../raw/...`).
            Err(_) => Ok(self.out.write_all(body)?),
        }
    }

    fn value(&mut self, value: Val) -> Result<(), CliError> {
        match &self.jq {
            Some(jq) => {
                for result in jq.run(value).map_err(CliError::Jq)? {
                    jq::write_result(&mut self.out, &result, self.terminal)?;
                }
            }
            None => {
                write_json(&mut self.out, &value, true, 0)?;
                writeln!(self.out)?;
            }
        }
        Ok(())
    }

    /// Prints the status line and headers of an answer (`gitcode api -i`).
    pub fn head(&mut self, raw: &RawResponse) -> Result<(), CliError> {
        writeln!(self.out, "HTTP {}", raw.status())?;
        for (name, value) in raw.headers() {
            writeln!(
                self.out,
                "{name}: {}",
                String::from_utf8_lossy(value.as_bytes())
            )?;
        }
        writeln!(self.out)?;
        Ok(())
    }

    /// Prints the items of every page as one JSON array, each page checked
    /// as it arrives. Without `--jq` items are written as they come, so
    /// memory holds one page; with it, the array is filtered whole.
    pub async fn pages(
        &mut self,
        mut pages: BoxStream<'_, Result<RawResponse, Error>>,
        items: PageItems,
        check: Check,
    ) -> Result<(), CliError> {
        let mut count = 0usize;
        let mut collected = Vec::new();
        let streaming = self.jq.is_none();
        if streaming {
            write!(self.out, "[")?;
        }
        while let Some(raw) = pages.try_next().await? {
            warn(raw.operation(), &check(&raw)?);
            for item in page_items(&raw, items)? {
                count += 1;
                if streaming {
                    write!(self.out, "{}\n  ", if count > 1 { "," } else { "" })?;
                    write_json(&mut self.out, &item, true, 1)?;
                } else {
                    collected.push(item);
                }
                if self.progress && count.is_multiple_of(100) {
                    eprint!("\r{count} items…");
                }
            }
        }
        if self.progress && count >= 100 {
            eprintln!("\r{count} items.  ");
        }
        if streaming {
            writeln!(self.out, "{}]", if count > 0 { "\n" } else { "" })?;
        } else {
            self.value(collected.into_iter().collect())?;
        }
        Ok(())
    }

    /// Writes a raw body (a file, an archive) as it arrives.
    pub async fn bytes(&mut self, response: ResponseValue<ByteStream>) -> Result<(), CliError> {
        if self.jq.is_some() {
            return Err(CliError::Jq(
                "--jq: this command answers with bytes, not JSON".into(),
            ));
        }
        let mut stream = response.into_inner().into_inner();
        while let Some(chunk) = stream
            .try_next()
            .await
            .map_err(|e| Error::transport("download", e))?
        {
            self.out.write_all(&chunk)?;
        }
        Ok(())
    }

    pub(crate) fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The items of one page as sent. A body that is not the list it should
/// be is kept whole as one item, with a warning, rather than dropped.
pub(crate) fn page_items(raw: &RawResponse, items: PageItems) -> Result<Vec<Val>, CliError> {
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

/// One warning line per kind of value tolerant decoding left out of the
/// typed value (the printed body keeps it).
pub(crate) fn warn(operation: &str, repairs: &[Repair]) {
    for (first, count) in crate::decode::grouped(repairs) {
        let path = if first.path.is_empty() {
            "the body"
        } else {
            &first.path
        };
        let more = match count {
            1 => String::new(),
            n => format!(", nor do {} more like it", n - 1),
        };
        eprintln!(
            "warning: {operation}: `{path}` does not fit the spec{more} ({}); left out of the typed value",
            first.reason
        );
    }
}

/// Writes `value` as JSON: indented by two spaces at nesting `level`
/// (without a leading indent), or compact.
pub(crate) fn write_json(
    out: &mut dyn Write,
    value: &Val,
    pretty: bool,
    level: usize,
) -> std::io::Result<()> {
    let pp = Pp {
        indent: pretty.then(|| "  ".to_string()),
        sep_space: pretty,
        ..Pp::default()
    };
    jaq_json::write::write(out, &pp, level, value)
}

#[cfg(test)]
struct SharedBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

#[cfg(test)]
impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(body: &str, jq: Option<&str>) -> String {
        let (mut out, buffer) = Output::to_buffer(jq.map(|c| Jq::compile(c).unwrap()));
        out.body(body.as_bytes()).unwrap();
        String::from_utf8(buffer.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn json_keeps_key_order_numbers_and_nulls_as_sent() {
        let body = r#"{"zeta":1,"alpha":null,"id":123456789012345678901234,"f":1.50,"s":"\u00e9\n","l":[]}"#;
        assert_eq!(
            printed(body, None),
            "{\n  \"zeta\": 1,\n  \"alpha\": null,\n  \"id\": 123456789012345678901234,\n  \"f\": 1.50,\n  \"s\": \"é\\n\",\n  \"l\": []\n}\n"
        );
    }

    #[test]
    fn a_body_that_is_not_json_prints_as_is() {
        assert_eq!(printed("<html>busy</html>", None), "<html>busy</html>");
        assert_eq!(printed("", None), "");
    }

    #[test]
    fn jq_filters_the_body() {
        assert_eq!(
            printed(r#"{"b":2,"login":"alice"}"#, Some(".login")),
            "alice\n"
        );
        assert_eq!(
            printed(r#"{"b":2,"a":1}"#, Some(".")),
            "{\"b\":2,\"a\":1}\n"
        );
    }
}
