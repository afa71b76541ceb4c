//! MCP resources: the context agents read most, as resource templates.
//!
//! `gitcode mcp` serves four [resource templates] under the `gitcode://`
//! scheme (list them with `resources/templates/list`, read one with
//! `resources/read`):
//!
//! | template | what it reads | `mimeType` |
//! | --- | --- | --- |
//! | `gitcode://{owner}/{repo}/contents/{+path}?ref={ref}` | a file at a branch, tag or commit | the file's |
//! | `gitcode://{owner}/{repo}/readme?ref={ref}` | the README at the repository's root | the file's |
//! | `gitcode://{owner}/{repo}/issues/{number}` | an issue and its comments | `application/json` |
//! | `gitcode://{owner}/{repo}/pulls/{number}` | a pull request and its changed files | `application/json` |
//!
//! The templates are [RFC 6570] level 1 (simple string expansion), but for
//! the file's `{+path}`, a level 2 reserved expansion: a client that
//! expands the template leaves the path's slashes as they are
//! (`docs/guide/intro.md`), where `{path}` would send them as `%2F`. Both
//! forms are read the same way: every part of the URI is percent-decoded,
//! so `docs%2Fguide%2Fintro.md` names the same file. A `?` or `#` inside a
//! path must be sent encoded (`%3F`, `%23`). `ref` may be left out, or left
//! empty (`?ref=`, what a level 1 expansion of an unset variable gives):
//! then the repository's default branch is read.
//!
//! A read sends only GETs, through the same [`Client`] as the tools (its
//! token, rate limiter, retries and redirect rules), with the generated
//! builders:
//!
//! - a file: `get_repo_raw_file`. Text that is UTF-8 comes back as `text`,
//!   anything else as base64 `blob`; the `mimeType` is the one the server
//!   sent, or one known by the file's extension when the server sent none
//!   or `application/octet-stream`. At most [`MAX_BYTES`](super::MAX_BYTES).
//! - the README: `list_repo_root_contents` (the root's entries), then the
//!   first of `README.md`, `README`, `README.*` (in any case) with
//!   `get_repo_raw_file`. The root listing is not in GitCode's docs (only
//!   ag-cli uses it; see its entry in the spec).
//! - an issue: `get_issue`, then every page of `list_issue_comments`, as
//!   one JSON document `{"issue": …, "comments": […], "comments_complete":
//!   true}`.
//! - a pull request: `get_pull_request`, then `list_pull_request_files`
//!   (one answer: the operation takes no `page`), as `{"pull_request": …,
//!   "files": […], "files_complete": true}`.
//!
//! The object and each list item are the bytes the server sent (key order
//! and every number's digits kept). A list holds at most [`MAX_LIST_ITEMS`]
//! items: past it, or when listing failed after the object was read,
//! `*_complete` is `false` and `*_note` says what is missing and how to get
//! it. Every text passes the same redactor as the tools' results, so the
//! token never reaches a resource.
//!
//! Errors are MCP errors: a URI no template fits is resource-not-found
//! (`-32002`); a URI that fits one but not its variables (no owner, a
//! number that is not one, a query parameter the template has not) is
//! invalid params (`-32602`); a 404 from GitCode is resource-not-found,
//! with GitCode's message; any other failure is an internal error
//! (`-32603`) with the status and message. Resources only read, so
//! `--read-only` serves them all the same.
//!
//! [resource templates]: https://modelcontextprotocol.io/specification/2025-11-25/server/resources
//! [RFC 6570]: https://www.rfc-editor.org/rfc/rfc6570

use std::borrow::Cow;

use base64::Engine;
use futures::{StreamExt, TryStreamExt};
use rmcp::ErrorData;
use rmcp::model::{ReadResourceResult, ResourceContents, ResourceTemplate};
use serde_json::json;
use serde_json::value::RawValue;

use crate::prelude::*;
use crate::redact::Redactor;
use crate::{Client, Error, ErrorKind};

/// The most items a resource's list holds (comments of an issue, files of
/// a pull request); ten pages of 100.
pub const MAX_LIST_ITEMS: usize = 1000;

/// The scheme of every resource URI.
const SCHEME: &str = "gitcode://";

/// Items per page when an issue's comments are read: the largest the
/// operation serves, as its stream asks.
const COMMENTS_PER_PAGE: usize =
    <crate::builder::ListIssueComments<'static> as crate::pagination::Paginated<'static>>::MAX_PER_PAGE as usize;

const FILE_TEMPLATE: &str = "gitcode://{owner}/{repo}/contents/{+path}?ref={ref}";
const README_TEMPLATE: &str = "gitcode://{owner}/{repo}/readme?ref={ref}";
const ISSUE_TEMPLATE: &str = "gitcode://{owner}/{repo}/issues/{number}";
const PULL_TEMPLATE: &str = "gitcode://{owner}/{repo}/pulls/{number}";

/// The resource templates served, in the order they are listed.
pub fn resource_templates() -> Vec<ResourceTemplate> {
    vec![
        ResourceTemplate::new(FILE_TEMPLATE, "file")
            .with_title("File at a ref")
            .with_description(
                "The content of one file of a GitCode repository at a branch, tag or commit \
                 (`ref`; leave it empty for the default branch). `path` keeps its slashes \
                 (`docs/guide/intro.md`). UTF-8 text comes back as text with the file's media \
                 type, anything else as a base64 blob.",
            ),
        ResourceTemplate::new(README_TEMPLATE, "readme")
            .with_title("Repository README")
            .with_description(
                "The README at the root of a GitCode repository (README.md, README or \
                 README.*), at a branch, tag or commit (`ref`; leave it empty for the default \
                 branch), as text with its media type.",
            ),
        ResourceTemplate::new(ISSUE_TEMPLATE, "issue")
            .with_title("Issue with its comments")
            .with_description(format!(
                "One issue of a GitCode repository and its comments, oldest first, as one JSON \
                 document: {{\"issue\": …, \"comments\": […], \"comments_complete\": true}}. At \
                 most {MAX_LIST_ITEMS} comments; past that `comments_complete` is false and \
                 `comments_note` says how to read the rest."
            ))
            .with_mime_type("application/json"),
        ResourceTemplate::new(PULL_TEMPLATE, "pull_request")
            .with_title("Pull request with its changed files")
            .with_description(format!(
                "One pull request of a GitCode repository and the files it changes (with their \
                 patches), as one JSON document: {{\"pull_request\": …, \"files\": […], \
                 \"files_complete\": true}}. At most {MAX_LIST_ITEMS} files; when the list is \
                 cut or could not be read, `files_complete` is false and `files_note` says why."
            ))
            .with_mime_type("application/json"),
    ]
}

/// What a resource URI names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    File {
        owner: String,
        repo: String,
        path: String,
        reference: Option<String>,
    },
    Readme {
        owner: String,
        repo: String,
        reference: Option<String>,
    },
    Issue {
        owner: String,
        repo: String,
        number: u64,
    },
    PullRequest {
        owner: String,
        repo: String,
        number: u64,
    },
}

/// The template of each kind of resource, for error messages.
fn template_of(kind: &str) -> &'static str {
    match kind {
        "contents" => FILE_TEMPLATE,
        "readme" => README_TEMPLATE,
        "issues" => ISSUE_TEMPLATE,
        _ => PULL_TEMPLATE,
    }
}

const KINDS: [&str; 4] = ["contents", "readme", "issues", "pulls"];

fn no_template(uri: &str, why: &str) -> ErrorData {
    ErrorData::resource_not_found(
        format!(
            "no resource `{uri}`: {why}; the templates are {FILE_TEMPLATE}, {README_TEMPLATE}, \
             {ISSUE_TEMPLATE} and {PULL_TEMPLATE}"
        ),
        Some(json!({ "uri": uri })),
    )
}

fn misfit(uri: &str, kind: &str, why: String) -> ErrorData {
    ErrorData::invalid_params(
        format!("`{uri}` does not fit {}: {why}", template_of(kind)),
        Some(json!({ "uri": uri })),
    )
}

/// Percent-decodes one part of a URI; `None` when the bytes are not UTF-8.
fn decode(part: &str) -> Option<String> {
    percent_encoding::percent_decode_str(part)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
}

/// Reads a resource URI.
fn parse(uri: &str) -> Result<Target, ErrorData> {
    let Some(rest) = uri
        .get(..SCHEME.len())
        .filter(|s| s.eq_ignore_ascii_case(SCHEME))
        .map(|_| &uri[SCHEME.len()..])
    else {
        return Err(no_template(uri, "not a `gitcode://` URI"));
    };
    // A fragment names a part of a resource; none of these has parts.
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let segments: Vec<&str> = path.split('/').collect();
    let kind_at = if segments.get(2).is_some_and(|k| KINDS.contains(k)) {
        2
    } else if segments.get(1).is_some_and(|k| KINDS.contains(k)) {
        // `gitcode://o/issues/1`: one name where two belong.
        1
    } else {
        return Err(no_template(
            uri,
            "it names no `contents`, `readme`, `issues` or `pulls` after `{owner}/{repo}`",
        ));
    };
    let kind = segments[kind_at];
    if kind_at == 1 {
        return Err(misfit(
            uri,
            kind,
            "it names no owner or no repository before `/{kind}`".replace("{kind}", kind),
        ));
    }
    let name = |index: usize, what: &str| -> Result<String, ErrorData> {
        let raw = segments[index];
        match decode(raw) {
            Some(name) if !name.is_empty() && !name.contains('/') => Ok(name),
            Some(name) if name.is_empty() => Err(misfit(uri, kind, format!("the {what} is empty"))),
            _ => Err(misfit(
                uri,
                kind,
                format!("the {what} `{raw}` is not a name (UTF-8, no `/`)"),
            )),
        }
    };
    let owner = name(0, "owner")?;
    let repo = name(1, "repository")?;
    let tail = &segments[3..];
    let reference = parse_query(uri, kind, query, matches!(kind, "contents" | "readme"))?;
    match kind {
        "contents" => {
            let joined = tail.join("/");
            let path =
                decode(&joined).ok_or_else(|| misfit(uri, kind, "the path is not UTF-8".into()))?;
            if path.trim_matches('/').is_empty() {
                return Err(misfit(uri, kind, "the path is empty".into()));
            }
            Ok(Target::File {
                owner,
                repo,
                path,
                reference,
            })
        }
        "readme" => {
            if !tail.is_empty() {
                return Err(misfit(
                    uri,
                    kind,
                    "nothing may follow `/readme` (a file is /contents/{+path})".into(),
                ));
            }
            Ok(Target::Readme {
                owner,
                repo,
                reference,
            })
        }
        _ => {
            let number = match tail {
                [] | [""] => return Err(misfit(uri, kind, "it has no number".into())),
                [number] => *number,
                _ => {
                    return Err(misfit(
                        uri,
                        kind,
                        format!("nothing may follow the number (`{}`)", tail.join("/")),
                    ));
                }
            };
            let parsed = number
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0 && number.bytes().all(|b| b.is_ascii_digit()));
            let Some(number) = parsed else {
                return Err(misfit(
                    uri,
                    kind,
                    format!("`{number}` is not a number (digits, from 1)"),
                ));
            };
            Ok(if kind == "issues" {
                Target::Issue {
                    owner,
                    repo,
                    number,
                }
            } else {
                Target::PullRequest {
                    owner,
                    repo,
                    number,
                }
            })
        }
    }
}

/// The `ref` of the query; an empty one is no ref (the default branch).
fn parse_query(
    uri: &str,
    kind: &str,
    query: &str,
    takes_ref: bool,
) -> Result<Option<String>, ErrorData> {
    let mut reference = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key != "ref" || !takes_ref {
            return Err(misfit(
                uri,
                kind,
                if takes_ref {
                    format!("no query parameter `{key}` (only `ref`)")
                } else {
                    format!("no query parameter `{key}` (this template takes none)")
                },
            ));
        }
        if reference.is_some() {
            return Err(misfit(uri, kind, "`ref` is given twice".into()));
        }
        let value =
            decode(value).ok_or_else(|| misfit(uri, kind, "the `ref` is not UTF-8".into()))?;
        reference = Some(value);
    }
    Ok(reference.filter(|r| !r.is_empty()))
}

/// Reads the resource `uri` with `client`.
pub(crate) async fn read(
    client: &Client,
    redactor: &Redactor,
    uri: &str,
) -> Result<ReadResourceResult, ErrorData> {
    let target = parse(uri)?;
    let reader = Reader {
        client,
        redactor,
        uri,
    };
    let contents = match target {
        Target::File {
            owner,
            repo,
            path,
            reference,
        } => {
            let what = format!("the file `{path}` of {owner}/{repo}{}", at(&reference));
            reader
                .file(&owner, &repo, &path, reference.as_deref(), &what)
                .await?
        }
        Target::Readme {
            owner,
            repo,
            reference,
        } => reader.readme(&owner, &repo, reference.as_deref()).await?,
        Target::Issue {
            owner,
            repo,
            number,
        } => reader.issue(&owner, &repo, number).await?,
        Target::PullRequest {
            owner,
            repo,
            number,
        } => reader.pull_request(&owner, &repo, number).await?,
    };
    Ok(ReadResourceResult::new(vec![contents]))
}

fn at(reference: &Option<String>) -> String {
    match reference {
        Some(r) => format!(" at `{r}`"),
        None => " at its default branch".into(),
    }
}

/// One read: the client, the redactor and the URI asked for.
struct Reader<'a> {
    client: &'a Client,
    redactor: &'a Redactor,
    uri: &'a str,
}

impl Reader<'_> {
    /// An error of the API as an MCP error about `what`.
    fn error(&self, what: &str, error: &Error) -> ErrorData {
        let mut message = format!(
            "`{}`: reading {what} failed: {}",
            self.uri,
            self.redactor.text(&error.to_string())
        );
        if let Some(detail) = error
            .api()
            .and_then(|e| e.error_message.as_deref().or(e.message.as_deref()))
            .filter(|m| !message.contains(*m))
        {
            message.push_str(&format!(" ({})", self.redactor.text(detail)));
        }
        let data = Some(json!({ "uri": self.uri, "status": error.status() }));
        match error.kind() {
            ErrorKind::NotFound => ErrorData::resource_not_found(
                format!("{message}; GitCode has no such resource, or the token may not see it"),
                data,
            ),
            // The builder refused a value (a `..` path segment): nothing was sent.
            ErrorKind::InvalidRequest => ErrorData::invalid_params(message, data),
            _ => ErrorData::internal_error(message, data),
        }
    }

    fn not_json(&self, operation: &str) -> ErrorData {
        ErrorData::internal_error(
            format!(
                "`{}`: `{operation}` answered something that is not JSON",
                self.uri
            ),
            Some(json!({ "uri": self.uri })),
        )
    }

    async fn file(
        &self,
        owner: &str,
        repo: &str,
        path: &str,
        reference: Option<&str>,
        what: &str,
    ) -> Result<ResourceContents, ErrorData> {
        let mut request = self
            .client
            .get_repo_raw_file()
            .owner(owner)
            .repo(repo)
            .path(path);
        if let Some(reference) = reference {
            request = request.ref_(reference);
        }
        let response = request.send().await.map_err(|e| self.error(what, &e))?;
        let sent_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from);
        let mut stream = response.into_inner().into_inner();
        let mut bytes = Vec::new();
        while let Some(chunk) = stream
            .try_next()
            .await
            .map_err(|e| self.error(what, &Error::transport("get_repo_raw_file", e)))?
        {
            if bytes.len() + chunk.len() > super::MAX_BYTES {
                return Err(ErrorData::internal_error(
                    format!(
                        "`{}`: {what} is larger than {} MiB, the most a resource holds; \
                         download it with `gitcode get-repo-raw-file`",
                        self.uri,
                        super::MAX_BYTES / 1024 / 1024
                    ),
                    Some(json!({ "uri": self.uri })),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(file_contents(
            self.uri,
            path,
            sent_type,
            bytes,
            self.redactor,
        ))
    }

    async fn readme(
        &self,
        owner: &str,
        repo: &str,
        reference: Option<&str>,
    ) -> Result<ResourceContents, ErrorData> {
        let what = format!(
            "the root of {owner}/{repo}{}",
            at(&reference.map(String::from))
        );
        let mut request = self
            .client
            .list_repo_root_contents()
            .owner(owner)
            .repo(repo);
        if let Some(reference) = reference {
            request = request.ref_(reference);
        }
        let raw = request
            .send_raw()
            .await
            .map_err(|e| self.error(&what, &e))?;
        let entries: Vec<serde_json::Value> = serde_json::from_slice(raw.body())
            .map_err(|_| self.not_json("list_repo_root_contents"))?;
        let names = entries.iter().filter_map(|entry| {
            let kind = entry.get("type").and_then(|t| t.as_str());
            if kind.is_some_and(|k| k != "file" && k != "blob") {
                return None;
            }
            let name = entry.get("name").and_then(|n| n.as_str())?;
            let path = entry.get("path").and_then(|p| p.as_str()).unwrap_or(name);
            Some((name, path))
        });
        let Some((_, path)) = names
            .filter_map(|(name, path)| readme_rank(name).map(|rank| (rank, name, path)))
            .min()
            .map(|(_, name, path)| (name, path.to_string()))
        else {
            return Err(ErrorData::resource_not_found(
                format!(
                    "`{}`: no README (README.md, README or README.*) in {what}",
                    self.uri
                ),
                Some(json!({ "uri": self.uri })),
            ));
        };
        let what = format!(
            "the README `{path}` of {owner}/{repo}{}",
            at(&reference.map(String::from))
        );
        self.file(owner, repo, &path, reference, &what).await
    }

    async fn issue(
        &self,
        owner: &str,
        repo: &str,
        number: u64,
    ) -> Result<ResourceContents, ErrorData> {
        let what = format!("issue {number} of {owner}/{repo}");
        let issue = self
            .client
            .get_issue()
            .owner(owner)
            .repo(repo)
            .number(number.to_string())
            .send_raw()
            .await
            .map_err(|e| self.error(&what, &e))?;
        let mut pages = self
            .client
            .list_issue_comments()
            .owner(owner)
            .repo(repo)
            .number(number.to_string())
            .raw_pages_up_to((MAX_LIST_ITEMS / COMMENTS_PER_PAGE) as u64);
        let mut comments = Items::default();
        let mut page = 0u64;
        loop {
            match pages.next().await {
                None => break,
                Some(Ok(raw)) => {
                    page += 1;
                    if !comments.add_page(raw.body()) {
                        comments.stop(format!(
                            "page {page} of `list_issue_comments` was not a JSON list"
                        ));
                        break;
                    }
                }
                Some(Err(Error::Pagination { page: next, .. }))
                    if next > (MAX_LIST_ITEMS / COMMENTS_PER_PAGE) as u64 =>
                {
                    comments.stop(format!(
                        "only the first {MAX_LIST_ITEMS} comments are here; for the rest call \
                         `list_issue_comments` with page={next} and per_page={COMMENTS_PER_PAGE}"
                    ));
                    break;
                }
                Some(Err(e)) => {
                    comments.stop(format!(
                        "listing the comments stopped after {} of them: {}",
                        comments.count,
                        self.redactor.text(&e.to_string())
                    ));
                    break;
                }
            }
        }
        self.document("issue", &issue, "comments", comments)
    }

    async fn pull_request(
        &self,
        owner: &str,
        repo: &str,
        number: u64,
    ) -> Result<ResourceContents, ErrorData> {
        let what = format!("pull request {number} of {owner}/{repo}");
        let pull = self
            .client
            .get_pull_request()
            .owner(owner)
            .repo(repo)
            .number(number.to_string())
            .send_raw()
            .await
            .map_err(|e| self.error(&what, &e))?;
        let mut files = Items::default();
        match self
            .client
            .list_pull_request_files()
            .owner(owner)
            .repo(repo)
            .number(number.to_string())
            .send_raw()
            .await
        {
            Ok(raw) => {
                if !files.add_page(raw.body()) {
                    files.stop("`list_pull_request_files` did not answer a JSON list".into());
                }
            }
            Err(e) => files.stop(format!(
                "the files could not be listed: {}",
                self.redactor.text(&e.to_string())
            )),
        }
        self.document("pull_request", &pull, "files", files)
    }

    /// `{"<object>": <the body>, "<list>": [...], "<list>_complete": bool,
    /// "<list>_note"?: "..."}`, redacted.
    fn document(
        &self,
        object: &str,
        raw: &crate::RawResponse,
        list: &str,
        items: Items,
    ) -> Result<ResourceContents, ErrorData> {
        let body = std::str::from_utf8(raw.body())
            .ok()
            .filter(|b| serde_json::from_str::<serde::de::IgnoredAny>(b).is_ok())
            .ok_or_else(|| self.not_json(raw.operation()))?;
        let mut text = format!(
            "{{\"{object}\":{},\"{list}\":[{}],\"{list}_complete\":{}",
            body.trim(),
            items.text,
            items.note.is_none()
        );
        if let Some(note) = &items.note {
            text.push_str(&format!(",\"{list}_note\":{}", json!(note)));
        }
        text.push('}');
        let text = self.redactor.text(&text);
        Ok(ResourceContents::text(text, self.uri).with_mime_type("application/json"))
    }
}

/// A list's items, as sent, joined with commas.
#[derive(Default)]
struct Items {
    text: String,
    count: usize,
    /// Why the list is not complete.
    note: Option<String>,
}

impl Items {
    /// Adds a page's items (up to the cap); `false` when it is not a list.
    fn add_page(&mut self, body: &[u8]) -> bool {
        let Some(items) = std::str::from_utf8(body).ok().and_then(split_array) else {
            return false;
        };
        let room = MAX_LIST_ITEMS - self.count;
        if items.len() > room {
            self.note = Some(format!(
                "only the first {MAX_LIST_ITEMS} of {} items are here",
                self.count + items.len()
            ));
        }
        for item in items.into_iter().take(room) {
            if self.count > 0 {
                self.text.push(',');
            }
            self.text.push_str(item);
            self.count += 1;
        }
        true
    }

    fn stop(&mut self, note: String) {
        self.note.get_or_insert(note);
    }
}

/// The items of a JSON array as the slices of text they are; `None` when
/// the text is not a JSON array.
fn split_array(text: &str) -> Option<Vec<&str>> {
    let items: Vec<&RawValue> = serde_json::from_str(text).ok()?;
    Some(items.into_iter().map(RawValue::get).collect())
}

/// How good a README name is (lower is better); `None` for no README.
fn readme_rank(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        _ if name == "README.md" => Some(0),
        "readme.md" => Some(1),
        "readme" => Some(2),
        _ if lower.starts_with("readme.") => Some(3),
        _ => None,
    }
}

/// A file's bytes as resource contents: text when UTF-8, else a blob.
fn file_contents(
    uri: &str,
    path: &str,
    sent_type: Option<String>,
    bytes: Vec<u8>,
    redactor: &Redactor,
) -> ResourceContents {
    // The server's type, unless it said nothing more than "bytes".
    let sent_type = sent_type.filter(|t| {
        !t.to_ascii_lowercase()
            .starts_with("application/octet-stream")
    });
    match String::from_utf8(bytes) {
        Ok(text) => {
            let media = sent_type
                .or_else(|| by_extension(path).map(String::from))
                .unwrap_or_else(|| "text/plain".into());
            ResourceContents::text(redactor.text(&text), uri).with_mime_type(media)
        }
        Err(e) => {
            let bytes = e.into_bytes();
            if redactor.holds(&bytes) {
                // The token must not leave in a blob either.
                return ResourceContents::text(
                    redactor.text(&String::from_utf8_lossy(&bytes)),
                    uri,
                );
            }
            // A text type on bytes that are not UTF-8 is not what they are.
            let media = sent_type
                .filter(|t| !t.to_ascii_lowercase().starts_with("text/"))
                .or_else(|| by_extension(path).map(String::from))
                .unwrap_or_else(|| "application/octet-stream".into());
            let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
            ResourceContents::blob(data, uri).with_mime_type(media)
        }
    }
}

/// The media type of a file by its extension, for the common ones.
fn by_extension(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (_, extension) = name.rsplit_once('.')?;
    Some(match extension.to_ascii_lowercase().as_str() {
        "md" | "markdown" => "text/markdown",
        "txt" | "rst" => "text/plain",
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "csv" => "text/csv",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "yaml" | "yml" => "application/yaml",
        "toml" => "application/toml",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" | "tgz" => "application/gzip",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, reference: Option<&str>) -> Target {
        Target::File {
            owner: "o".into(),
            repo: "r".into(),
            path: path.into(),
            reference: reference.map(String::from),
        }
    }

    #[test]
    fn uris_are_read_with_their_slashes_and_encodings() {
        assert_eq!(
            parse("gitcode://o/r/contents/docs/a b/x.md?ref=main").unwrap(),
            file("docs/a b/x.md", Some("main"))
        );
        assert_eq!(
            parse("gitcode://o/r/contents/docs%2Fx%20y.md?ref=").unwrap(),
            file("docs/x y.md", None)
        );
        assert_eq!(
            parse("gitcode://o/r/contents/a%3Fb.md?ref=feature%2Fx").unwrap(),
            file("a?b.md", Some("feature/x"))
        );
        assert_eq!(
            parse("gitcode://o/r/issues/12").unwrap(),
            Target::Issue {
                owner: "o".into(),
                repo: "r".into(),
                number: 12
            }
        );
        assert_eq!(
            parse("gitcode://o/r/readme").unwrap(),
            Target::Readme {
                owner: "o".into(),
                repo: "r".into(),
                reference: None
            }
        );
    }

    #[test]
    fn uris_that_do_not_fit_say_why() {
        for (uri, code, says) in [
            ("https://o/r/issues/1", -32002, "not a `gitcode://` URI"),
            ("gitcode://o/r/wiki/1", -32002, "names no `contents`"),
            ("gitcode://o/issues/1", -32602, "no owner or no repository"),
            ("gitcode:///r/issues/1", -32602, "the owner is empty"),
            ("gitcode://o/r/issues/1x", -32602, "`1x` is not a number"),
            ("gitcode://o/r/pulls/0", -32602, "`0` is not a number"),
            ("gitcode://o/r/pulls/", -32602, "it has no number"),
            ("gitcode://o/r/issues", -32602, "it has no number"),
            ("gitcode://o/r/issues/1?ref=x", -32602, "takes none"),
            (
                "gitcode://o/r/readme?sha=x",
                -32602,
                "no query parameter `sha`",
            ),
            ("gitcode://o/r/contents/?ref=x", -32602, "the path is empty"),
        ] {
            let error = parse(uri).expect_err(uri);
            assert_eq!(error.code.0, code, "{uri}: {}", error.message);
            assert!(error.message.contains(says), "{uri}: {}", error.message);
            assert!(error.message.contains(uri), "{uri}: {}", error.message);
        }
    }

    #[test]
    fn arrays_split_into_their_items_as_sent() {
        assert_eq!(
            split_array(r#" [ {"a":"x,]}\"y"} , [1,2],3.10 ] "#).unwrap(),
            [r#"{"a":"x,]}\"y"}"#, "[1,2]", "3.10"]
        );
        assert_eq!(split_array("[]").unwrap(), Vec::<&str>::new());
        assert!(split_array(r#"{"a":1}"#).is_none());
    }

    #[test]
    fn readmes_are_ranked() {
        let mut names = ["readme.rst", "README", "Readme.md", "README.md", "src"];
        names.sort_by_key(|n| readme_rank(n).unwrap_or(u8::MAX));
        assert_eq!(
            names,
            ["README.md", "Readme.md", "README", "readme.rst", "src"]
        );
    }
}
