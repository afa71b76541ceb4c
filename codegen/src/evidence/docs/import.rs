//! A docs snapshot turned into fixture files: [`import()`].

use std::collections::BTreeMap;
use std::path::Path;

use super::pages::{page_slug, raw_response_examples};
use crate::error::{Error, Result};
use crate::output::GeneratedFile;

use super::*;

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
}
