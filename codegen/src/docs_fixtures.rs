//! The facts of the official docs that the tests read, kept in the
//! repository as fixtures (`fixtures/gitcode-docs/`), so that a clone is whole
//! without the docs beside it.
//!
//! [`import()`] turns a docs snapshot (`endpoints.tsv`, `en/*.md`,
//! `webhooks.md`) into the fixture files; `cargo xtask import-docs DIR` writes
//! them with [`write()`], and [`drift()`] compares them with the checked-in copies.
//! [`DocsFacts::load`] reads them back. Only facts are kept, never the pages'
//! prose:
//!
//! - `endpoints.tsv`: the index of endpoints: method, path, category and the
//!   URL of the page (empty when there is no English page);
//! - `webhook_events.tsv`: the `X-GitCode-Event` values of the webhooks table,
//!   with the help page of each;
//! - `examples/<page>.json`, one per endpoint page: its URL, method and path,
//!   and each JSON response example (status, media type, name within an
//!   `Examples:` map, and the body as the page gives it, key order and number
//!   text included). One file a page, so that a change of the docs shows in
//!   the diff as the pages it touched.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::coverage::Endpoint;
use crate::docs::{ResponseExample, page_slug, raw_response_examples};
use crate::error::{Error, Result};
use crate::output::{Drift, GeneratedFile};

/// Where the fixtures live, relative to the workspace root.
pub const FIXTURES_DIR: &str = "fixtures/gitcode-docs";

/// Where maintainers keep the docs snapshot, relative to the workspace root.
pub const DOCS_BESIDE: &str = "../shared/gitcode-docs";

const README: &str = "\
# Facts of the official GitCode docs

Written by `cargo xtask import-docs DIR` from a snapshot of the docs; do not edit by hand. The tests, \
`cargo xtask coverage` and `cargo xtask spec-check` read these files. Only facts are kept, never the \
pages' prose:

- `endpoints.tsv`: every documented endpoint: method, path, category, page URL (empty: no English page);
- `webhook_events.tsv`: the `X-GitCode-Event` values, with their help page (under `.../webhook/webhook-stepup/`);
- `examples/<page>.json`: per endpoint page, its URL, method, path and every JSON response example
  (status, media type, name in an `Examples:` map, body as the page shows it).
";

/// One row of the index of endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub method: String,
    pub path: String,
    pub category: String,
    /// The URL of the English page, if there is one.
    pub page: Option<String>,
}

/// One documented webhook event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEvent {
    /// The `X-GitCode-Event` value.
    pub name: String,
    /// Its help page, as the table names it (relative to the webhook pages).
    pub help_page: String,
}

/// The JSON response examples of one endpoint page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageExamples {
    /// The page's URL (the spec's `externalDocs` URL).
    pub page: String,
    pub method: String,
    pub path: String,
    pub examples: Vec<ResponseExample>,
}

/// Everything the tests know of the docs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocsFacts {
    pub endpoints: Vec<IndexEntry>,
    pub webhook_events: Vec<WebhookEvent>,
    /// By page slug (the last segment of the page URL).
    pub pages: BTreeMap<String, PageExamples>,
}

impl DocsFacts {
    /// Reads the fixtures under the workspace root `root`.
    pub fn load(root: &Path) -> Result<Self> {
        let dir = root.join(FIXTURES_DIR);
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|e| {
                Error::docs(
                    &path,
                    None,
                    format!(
                        "{e} (the docs fixtures; write them with `cargo xtask import-docs {DOCS_BESIDE}`)"
                    ),
                )
            })
        };
        let mut facts = DocsFacts {
            endpoints: parse_endpoints(&dir.join("endpoints.tsv"), &read("endpoints.tsv")?)?,
            webhook_events: parse_webhook_events(
                &dir.join("webhook_events.tsv"),
                &read("webhook_events.tsv")?,
            )?,
            pages: BTreeMap::new(),
        };
        let examples = dir.join("examples");
        let entries =
            std::fs::read_dir(&examples).map_err(|e| Error::io("reading", &examples, e))?;
        for entry in entries {
            let path = entry
                .map_err(|e| Error::io("reading", &examples, e))?
                .path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let text =
                std::fs::read_to_string(&path).map_err(|e| Error::io("reading", &path, e))?;
            facts.add_page(&path, &text)?;
        }
        Ok(facts)
    }

    /// Reads fixture files held in memory (paths relative to the workspace
    /// root, as [`import()`] returns them).
    pub fn from_files(files: &[GeneratedFile]) -> Result<Self> {
        let dir = Path::new(FIXTURES_DIR);
        let find = |name: &str| {
            let path = dir.join(name);
            files
                .iter()
                .find(|f| f.path == path)
                .map(|f| (path.clone(), f.contents.as_str()))
                .ok_or_else(|| Error::docs(&path, None, "missing"))
        };
        let (path, text) = find("endpoints.tsv")?;
        let endpoints = parse_endpoints(&path, text)?;
        let (path, text) = find("webhook_events.tsv")?;
        let webhook_events = parse_webhook_events(&path, text)?;
        let mut facts = DocsFacts {
            endpoints,
            webhook_events,
            pages: BTreeMap::new(),
        };
        for file in files {
            if file.path.parent() == Some(dir.join("examples").as_path()) {
                facts.add_page(&file.path, &file.contents)?;
            }
        }
        Ok(facts)
    }

    fn add_page(&mut self, path: &Path, text: &str) -> Result<()> {
        let page: FixturePage = serde_json::from_str(text)
            .map_err(|e| Error::docs(path, Some(e.line()), e.to_string()))?;
        let slug = page_slug(&page.page)
            .ok_or_else(|| {
                Error::docs(
                    path,
                    None,
                    format!("`{}` is not a docs page URL", page.page),
                )
            })?
            .to_string();
        let examples = page
            .examples
            .into_iter()
            .map(|e| ResponseExample {
                status: e.status,
                content_type: e.content_type,
                name: e.name,
                value: e.body,
            })
            .collect();
        self.pages.insert(
            slug,
            PageExamples {
                page: page.page,
                method: page.method,
                path: page.path,
                examples,
            },
        );
        Ok(())
    }

    /// The examples of the page at `url` (an `externalDocs` URL), if the docs
    /// have that page.
    pub fn page(&self, url: &str) -> Option<&PageExamples> {
        self.pages.get(page_slug(url)?)
    }

    /// The index, as the coverage report compares it.
    pub fn index(&self) -> Vec<Endpoint> {
        self.endpoints
            .iter()
            .map(|e| Endpoint {
                method: e.method.clone(),
                path: e.path.clone(),
                category: e.category.clone(),
            })
            .collect()
    }

    /// The documented `X-GitCode-Event` values.
    pub fn webhook_event_names(&self) -> Vec<String> {
        self.webhook_events.iter().map(|e| e.name.clone()).collect()
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FixturePage {
    page: String,
    method: String,
    path: String,
    examples: Vec<FixtureExample>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureExample {
    status: String,
    content_type: String,
    #[serde(default)]
    name: Option<String>,
    body: serde_json::Value,
}

/// Rows of a tab-separated file after its header, with their line numbers.
fn rows<'a>(
    path: &'a Path,
    text: &'a str,
    header: &'a str,
) -> Result<impl Iterator<Item = (usize, Vec<&'a str>)> + 'a> {
    let first = text.lines().next().unwrap_or_default();
    if first != header {
        return Err(Error::docs(
            path,
            Some(1),
            format!("expected the header `{}`", header.replace('\t', "\\t")),
        ));
    }
    Ok(text
        .lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| (i + 1, l.split('\t').collect())))
}

const ENDPOINTS_HEADER: &str = "method\tpath\tcategory\tpage";
const WEBHOOKS_HEADER: &str = "event\thelp_page";

fn parse_endpoints(path: &Path, text: &str) -> Result<Vec<IndexEntry>> {
    rows(path, text, ENDPOINTS_HEADER)?
        .map(|(line, cols)| match cols[..] {
            [method, p, category, page] => Ok(IndexEntry {
                method: method.to_string(),
                path: p.to_string(),
                category: category.to_string(),
                page: (!page.is_empty()).then(|| page.to_string()),
            }),
            _ => Err(Error::docs(
                path,
                Some(line),
                "expected 4 tab-separated columns: method, path, category, page",
            )),
        })
        .collect()
}

fn parse_webhook_events(path: &Path, text: &str) -> Result<Vec<WebhookEvent>> {
    rows(path, text, WEBHOOKS_HEADER)?
        .map(|(line, cols)| match cols[..] {
            [name, help_page] => Ok(WebhookEvent {
                name: name.to_string(),
                help_page: help_page.to_string(),
            }),
            _ => Err(Error::docs(
                path,
                Some(line),
                "expected 2 tab-separated columns: event, help_page",
            )),
        })
        .collect()
}

/// The events table of a snapshot's `webhooks.md`: the first two cells (in
/// backticks) of each row after the table's header, in the section whose
/// heading starts with `## Events`.
pub fn webhook_events_table(markdown: &str) -> Vec<WebhookEvent> {
    let Some(section) = markdown.split("\n## Events").nth(1) else {
        return Vec::new();
    };
    section
        .lines()
        .take_while(|l| !l.starts_with("## "))
        .filter(|l| l.starts_with("| `"))
        .skip(1) // the header row
        .filter_map(|l| {
            let mut cells = l.trim_matches('|').split('|').map(|c| c.trim());
            let name = cells.next()?.strip_prefix('`')?.strip_suffix('`')?;
            let page = cells.next().unwrap_or_default().trim_matches('`');
            Some(WebhookEvent {
                name: name.to_string(),
                help_page: page.to_string(),
            })
        })
        .collect()
}

/// The fixture files for the docs snapshot in `docs` (paths relative to the
/// workspace root). Fails, naming the file and line, on a snapshot it cannot
/// read: a missing part, a malformed index row, a page with a broken example.
pub fn import(docs: &Path) -> Result<Vec<GeneratedFile>> {
    let missing: Vec<&str> = [
        ("endpoints.tsv", docs.join("endpoints.tsv").is_file()),
        ("webhooks.md", docs.join("webhooks.md").is_file()),
        ("en/", docs.join("en").is_dir()),
    ]
    .into_iter()
    .filter_map(|(name, present)| (!present).then_some(name))
    .collect();
    if !missing.is_empty() {
        return Err(Error::docs(
            docs,
            None,
            format!("not a GitCode docs snapshot: no {}", missing.join(", no ")),
        ));
    }
    let out = Path::new(FIXTURES_DIR);
    let mut files = vec![GeneratedFile {
        path: out.join("README.md"),
        contents: README.to_string(),
    }];

    // The endpoint pages, by file name.
    let en = docs.join("en");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&en).map_err(|e| Error::io("reading", &en, e))? {
        let path = entry.map_err(|e| Error::io("reading", &en, e))?.path();
        if path.is_file() && path.extension().is_some_and(|x| x == "md") {
            names.push(path);
        }
    }
    names.sort();
    let mut urls = BTreeMap::new();
    for path in names {
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io("reading", &path, e))?;
        let shown = Path::new("en").join(path.file_name().unwrap_or_default());
        let Some(page) = import_page(&docs.join(&shown), &text)? else {
            continue; // not an endpoint page (the introduction)
        };
        let slug = page_slug(&page.url).unwrap_or_default().to_string();
        files.push(GeneratedFile {
            path: out.join("examples").join(format!("{slug}.json")),
            contents: page.fixture,
        });
        urls.insert(shown, page.url);
    }

    // The index, with each page's URL in place of its file.
    let index_path = docs.join("endpoints.tsv");
    let text =
        std::fs::read_to_string(&index_path).map_err(|e| Error::io("reading", &index_path, e))?;
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let header: Vec<&str> = lines
        .next()
        .map(|(_, l)| l.split('\t').collect())
        .unwrap_or_default();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| Error::docs(&index_path, Some(1), format!("no `{name}` column")))
    };
    let (method, path, category, doc_page) = (
        column("method")?,
        column("path")?,
        column("category")?,
        column("doc_page")?,
    );
    let mut index = format!("{ENDPOINTS_HEADER}\n");
    for (line, row) in lines.filter(|(_, l)| !l.trim().is_empty()) {
        let cols: Vec<&str> = row.split('\t').map(str::trim).collect();
        let cell = |i: usize| {
            cols.get(i).copied().ok_or_else(|| {
                Error::docs(
                    &index_path,
                    Some(line),
                    format!("expected {} columns, found {}", header.len(), cols.len()),
                )
            })
        };
        let page = match cell(doc_page)? {
            "" => "",
            file => urls
                .get(Path::new(file))
                .map(String::as_str)
                .ok_or_else(|| {
                    Error::docs(
                        &index_path,
                        Some(line),
                        format!("`{file}` is not an endpoint page of the snapshot"),
                    )
                })?,
        };
        index.push_str(&format!(
            "{}\t{}\t{}\t{page}\n",
            cell(method)?.to_uppercase(),
            cell(path)?,
            cell(category)?
        ));
    }
    files.push(GeneratedFile {
        path: out.join("endpoints.tsv"),
        contents: index,
    });

    let webhooks_path = docs.join("webhooks.md");
    let text = std::fs::read_to_string(&webhooks_path)
        .map_err(|e| Error::io("reading", &webhooks_path, e))?;
    let events = webhook_events_table(&text);
    if events.is_empty() {
        return Err(Error::docs(
            &webhooks_path,
            None,
            "no events table (a `## Events` section with a table whose first column is `X-GitCode-Event`)",
        ));
    }
    let mut table = format!("{WEBHOOKS_HEADER}\n");
    for event in &events {
        for cell in [&event.name, &event.help_page] {
            if cell.contains('\t') {
                return Err(Error::docs(
                    &webhooks_path,
                    None,
                    format!("event `{}` holds a tab", event.name),
                ));
            }
        }
        table.push_str(&format!("{}\t{}\n", event.name, event.help_page));
    }
    files.push(GeneratedFile {
        path: out.join("webhook_events.tsv"),
        contents: table,
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

struct ImportedPage {
    url: String,
    fixture: String,
}

/// The fixture of one page, or `None` if the page documents no endpoint.
fn import_page(path: &Path, text: &str) -> Result<Option<ImportedPage>> {
    let (mut url, mut method, mut api_path) = (None, None, None);
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("## ") {
            break;
        }
        if let Some(rest) = line.strip_prefix("Source: [") {
            url = rest
                .split_once(']')
                .map(|(u, _)| (i + 1, u.trim().to_string()));
        } else if let Some(rest) = line.strip_prefix("- Method: ") {
            method = Some(rest.trim().trim_matches('`').to_uppercase());
        } else if let Some(rest) = line.strip_prefix("- Path: ") {
            api_path = Some(rest.trim().trim_matches('`').to_string());
        }
    }
    let (Some(method), Some(api_path)) = (method, api_path) else {
        return Ok(None);
    };
    let Some((url_line, url)) = url else {
        return Err(Error::docs(path, None, "no `Source: [URL](URL)` line"));
    };
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    if page_slug(&url) != Some(stem.as_ref()) {
        return Err(Error::docs(
            path,
            Some(url_line),
            format!("the page URL `{url}` does not end in `/docs/apis/{stem}`"),
        ));
    }
    let examples =
        raw_response_examples(text).map_err(|e| Error::docs(path, Some(e.line), e.message))?;
    let string = |s: &str| serde_json::Value::from(s).to_string();
    let mut out = format!(
        "{{\n  \"page\": {},\n  \"method\": {},\n  \"path\": {},\n  \"examples\": [",
        string(&url),
        string(&method),
        string(&api_path)
    );
    for (i, example) in examples.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&format!(
            "    {{\n      \"status\": {},\n      \"content_type\": {},\n",
            string(&example.status),
            string(&example.content_type)
        ));
        if let Some(name) = &example.name {
            out.push_str(&format!("      \"name\": {},\n", string(name)));
        }
        out.push_str("      \"body\": ");
        out.push_str(&example.json.replace('\n', "\n      "));
        out.push_str("\n    }");
    }
    out.push_str(if examples.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });

    // The fixture must read back as the page's examples.
    let mut check = DocsFacts::default();
    check.add_page(path, &out)?;
    let read_back = check.pages.into_values().next().map(|p| p.examples);
    for (i, raw) in examples.iter().enumerate() {
        let value = raw.parse().map_err(|e| {
            Error::docs(path, Some(raw.line), format!("status {}: {e}", raw.status))
        })?;
        if read_back.as_ref().and_then(|r| r.get(i)) != Some(&value) {
            return Err(Error::docs(
                path,
                Some(raw.line),
                format!(
                    "status {}: the example does not survive the fixture",
                    raw.status
                ),
            ));
        }
    }
    Ok(Some(ImportedPage { url, fixture: out }))
}

/// The files under the fixtures folder of `root` that `files` does not hold.
pub fn stale(root: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>> {
    let produced: BTreeSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    let mut out = Vec::new();
    let mut dirs = vec![PathBuf::from(FIXTURES_DIR)];
    while let Some(dir) = dirs.pop() {
        let full = root.join(&dir);
        let entries = match std::fs::read_dir(&full) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io("reading", &full, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("reading", &full, e))?;
            let relative = dir.join(entry.file_name());
            if entry.path().is_dir() {
                dirs.push(relative);
            } else if !produced.contains(relative.as_path()) {
                out.push(relative);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// How the fixtures under `root` differ from `files` (a fresh [`import()`]):
/// changed and missing files, and files no longer produced.
pub fn drift(root: &Path, files: &[GeneratedFile]) -> Result<Vec<Drift>> {
    let mut out = crate::output::drift(root, files);
    out.extend(stale(root, files)?.into_iter().map(Drift::Stale));
    Ok(out)
}

/// What [`write()`] changed, paths relative to the workspace root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub written: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
}

/// Writes `files` under `root` (all or nothing, unchanged files untouched),
/// then removes the fixture files they no longer hold.
pub fn write(root: &Path, files: &[GeneratedFile]) -> Result<Written> {
    let stale = stale(root, files)?;
    let written = crate::output::write_all(root, files)?
        .into_iter()
        .map(|p| p.strip_prefix(root).map(Path::to_path_buf).unwrap_or(p))
        .collect();
    for path in &stale {
        let full = root.join(path);
        std::fs::remove_file(&full).map_err(|e| Error::io("removing", &full, e))?;
    }
    Ok(Written {
        written,
        removed: stale,
    })
}

/// The outcome of comparing the fixtures with the docs beside the checkout.
#[derive(Debug)]
pub enum BesideCheck {
    /// `../shared/gitcode-docs` is not there (a clone on its own).
    Skipped(PathBuf),
    /// The fixtures hold what the docs say (this many files).
    UpToDate(usize),
    /// The fixtures differ from a fresh import.
    Drifted(Vec<Drift>),
}

/// Imports the docs at [`DOCS_BESIDE`] (if present) in memory and compares
/// the result with the fixtures under `root`.
pub fn check_beside(root: &Path) -> Result<BesideCheck> {
    let docs = root.join(DOCS_BESIDE);
    if !docs.exists() {
        return Ok(BesideCheck::Skipped(docs));
    }
    let files = import(&docs)?;
    let drifted = drift(root, &files)?;
    Ok(if drifted.is_empty() {
        BesideCheck::UpToDate(files.len())
    } else {
        BesideCheck::Drifted(drifted)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_events_are_read_from_the_events_table() {
        let md = "# x\n## Delivery\n| `X-GitCode-Token` | a |\n## Events (header value)\n| `X-GitCode-Event` | page |\n| --- | --- |\n| `Push Hook` | `commit-events` | `push` |\n| `Note Hook` | `note-events` |\n\nShape: ...\n## Other\n| `Nope` | x |\n";
        let events = webhook_events_table(md);
        let names: Vec<_> = events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Push Hook", "Note Hook"]);
        assert_eq!(events[0].help_page, "commit-events");
    }

    #[test]
    fn bad_fixture_rows_are_named_by_file_and_line() {
        let err = parse_endpoints(
            Path::new("e.tsv"),
            "method\tpath\tcategory\tpage\nGET\t/x\tUsers\t\nGET /y\n",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "e.tsv:3: expected 4 tab-separated columns: method, path, category, page"
        );
        let err = parse_webhook_events(Path::new("w.tsv"), "name\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "w.tsv:1: expected the header `event\\thelp_page`"
        );
    }
}
