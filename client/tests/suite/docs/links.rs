//! Every relative link of the repository's Markdown documents points to a
//! file that exists, and every `#anchor` (in the same file or another) to a
//! heading that exists, by GitHub's anchor rules. The crate documentation
//! (the `//!` block of `client/src/lib.rs`, shown by docs.rs) links into the
//! repository by absolute URL; those links are held to the same rules, and
//! its own `#anchors` to its headings. Nothing is fetched.

use std::path::{Component, Path, PathBuf};

use super::markdown::{Document, anchors, links};
use super::{assert_none, documents, read, root};

/// `https://host/owner/repo/blob/main/`: how the crate documentation links
/// to a file of the repository, from `repository` in the workspace manifest.
fn blob_prefix() -> String {
    let manifest = read("Cargo.toml").text;
    let repository = manifest
        .lines()
        .find_map(|line| line.trim().strip_prefix("repository = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("no `repository = \"...\"` line in Cargo.toml"));
    format!("{repository}/blob/main/")
}

/// Whether a link leaves the repository (a URL, an e-mail address).
fn is_external(target: &str) -> bool {
    target.contains("://") || target.starts_with("mailto:")
}

/// `path` with its `.` and `..` segments resolved, or `None` if it climbs
/// out of the root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(part) => out.push(part),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// What is wrong with a link from `from` (a path from the root) to
/// `target`, relative to `from`'s folder; `None` when it resolves.
fn problem(from: &Document, target: &str) -> Option<String> {
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (target, None),
    };
    let file = if path.is_empty() {
        PathBuf::from(&from.path)
    } else {
        // `/spec/README.md` is from the root, as GitHub reads it.
        let joined = match path.strip_prefix('/') {
            Some(from_root) => PathBuf::from(from_root),
            None => Path::new(&from.path)
                .parent()
                .unwrap_or(Path::new(""))
                .join(path),
        };
        match normalize(&joined) {
            Some(file) => file,
            None => return Some(format!("`{target}` leaves the repository")),
        }
    };
    let on_disk = root().join(&file);
    if !on_disk.exists() {
        return Some(format!("`{target}`: there is no {}", file.display()));
    }
    let anchor = anchor?;
    let text = if path.is_empty() {
        from.text.clone()
    } else if file.extension().is_some_and(|e| e == "md") {
        match std::fs::read_to_string(&on_disk) {
            Ok(text) => text,
            Err(e) => return Some(format!("`{target}`: cannot read {}: {e}", file.display())),
        }
    } else {
        return Some(format!(
            "`{target}`: an anchor into {}, which has no headings",
            file.display()
        ));
    };
    match anchors(&text) {
        Ok(anchors) if anchors.iter().any(|a| a == anchor) => None,
        Ok(anchors) => Some(format!(
            "`{target}`: no heading of {} has the anchor `#{anchor}` (it has: {})",
            file.display(),
            anchors.join(", ")
        )),
        Err(e) => Some(format!("`{target}`: {}: {e}", file.display())),
    }
}

/// The path to resolve for a link, or `None` to leave it alone: a relative
/// link as written, a link to this repository by URL as the file it names
/// (from the root); a link elsewhere is not fetched.
fn to_check(target: &str, prefix: &str) -> Option<String> {
    if let Some(path) = target.strip_prefix(prefix) {
        return Some(format!("/{path}"));
    }
    (!is_external(target)).then(|| target.to_string())
}

/// Checks the links of `doc` that `select` picks (as the paths it gives),
/// adding each problem to `problems`; returns how many were checked.
fn check(
    doc: &Document,
    select: impl Fn(&str) -> Option<String>,
    problems: &mut Vec<String>,
) -> usize {
    let links = links(&doc.text).unwrap_or_else(|e| panic!("{}: {e}", doc.path));
    let mut checked = 0;
    for link in links {
        let Some(target) = select(&link.target) else {
            continue;
        };
        checked += 1;
        if let Some(problem) = problem(doc, &target) {
            problems.push(format!("{}:{}: {problem}", doc.path, link.line));
        }
    }
    checked
}

#[test]
fn every_relative_link_and_anchor_of_the_documents_resolves() {
    let prefix = blob_prefix();
    let mut problems = Vec::new();
    let mut checked = 0;
    for doc in documents() {
        checked += check(&doc, |target| to_check(target, &prefix), &mut problems);
    }
    assert!(
        checked > 0,
        "no relative link found: is the link reader broken?"
    );
    assert_none(problems, "links in the documents lead nowhere");
}

#[test]
fn the_crate_documentation_links_to_files_and_headings_that_exist() {
    let prefix = blob_prefix();
    // The `//!` block opens lib.rs, so its lines keep their numbers.
    let lib = read("client/src/lib.rs");
    let text: Vec<&str> = lib
        .text
        .lines()
        .map_while(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect();
    let doc = Document {
        path: lib.path,
        text: text.join("\n"),
    };
    let mut problems = Vec::new();
    // Its other links are intra-doc links, which `cargo doc` checks.
    let checked = check(
        &doc,
        |target| {
            if target.starts_with('#') {
                Some(target.to_string())
            } else {
                target.strip_prefix(&prefix).map(|path| format!("/{path}"))
            }
        },
        &mut problems,
    );
    assert!(
        checked > 0,
        "the crate documentation links to no guide and no heading"
    );
    assert_none(problems, "links in the crate documentation lead nowhere");
}

#[test]
fn links_resolve_as_github_resolves_them() {
    let doc = Document {
        path: "docs/cli.md".to_string(),
        text: "# The command line\n\n## Exit codes\n".to_string(),
    };
    assert_eq!(problem(&doc, "#exit-codes"), None);
    assert_eq!(problem(&doc, "../README.md#set-up"), None);
    assert_eq!(problem(&doc, "/spec/README.md#conventions"), None);
    assert_eq!(problem(&doc, "mcp.md"), None);
    for broken in [
        "#exit-code",
        "../README.md#no-such-heading",
        "cli.mdx",
        "../../outside.md",
        "../Cargo.toml#x",
    ] {
        assert!(
            problem(&doc, broken).is_some(),
            "{broken} should not resolve"
        );
    }
}
