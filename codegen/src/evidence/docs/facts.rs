//! Reading the fixtures back: [`DocsFacts::load`].

use std::collections::BTreeMap;
use std::path::Path;

use super::coverage::Endpoint;
use super::pages::{ResponseExample, page_slug};
use crate::error::{Error, Result};
use crate::output::GeneratedFile;

use super::*;

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

    pub(super) fn add_page(&mut self, path: &Path, text: &str) -> Result<()> {
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
#[cfg(test)]
mod tests {
    use super::*;

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
