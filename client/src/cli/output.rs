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

use super::jq::{self, Jq};
use crate::invoke::json::write_json;
use crate::invoke::{CliError, PageReader};
use crate::{ByteStream, Error, RawResponse, ResponseValue};

// Their old paths: the items are shared with `gitcode mcp` (`crate::invoke`).
pub use crate::invoke::{Answer, Check, PageItems, check};

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
        crate::invoke::check::run(&raw, check)?;
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
        pages: BoxStream<'_, Result<RawResponse, Error>>,
        items: PageItems,
        check: Check,
    ) -> Result<(), CliError> {
        let mut count = 0usize;
        let mut collected = Vec::new();
        let streaming = self.jq.is_none();
        if streaming {
            write!(self.out, "[")?;
        }
        let mut pages = PageReader::new(pages, items, check);
        while let Some(page) = pages.next_page().await? {
            for item in page {
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
