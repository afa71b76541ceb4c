//! The repository's documents cannot rot: every code block is tagged and
//! every Rust one is a doctest (`fences`), every `gitcode ...` and
//! `cargo xtask ...` line of a shell block parses with the real command
//! line (`commands`), and every relative link and `#anchor` leads to a file
//! and a heading that exist (`links`). External links are not fetched.

mod commands;
mod fences;
mod links;
mod markdown;
mod shell;

use std::path::{Path, PathBuf};

use markdown::Document;

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Reads a document by its path from the root, or fails the test naming it.
fn read(path: &str) -> Document {
    let text = std::fs::read_to_string(root().join(path))
        .unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    Document {
        path: path.to_string(),
        text,
    }
}

/// The guides: the README, ARCHITECTURE.md and every `docs/*.md`, in that
/// order. Their Rust blocks are doctests and their command lines checked.
fn guides() -> Vec<Document> {
    let mut paths = vec!["README.md".to_string(), "ARCHITECTURE.md".to_string()];
    let dir = root().join("docs");
    let mut docs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap_or_else(|e| panic!("cannot list docs/: {e}")))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    assert!(!docs.is_empty(), "no guide in docs/");
    docs.sort();
    paths.extend(docs);
    paths.iter().map(|p| read(p)).collect()
}

/// Every Markdown document whose links are checked: the guides, and the
/// changelog, the security policy and the spec's README.
fn documents() -> Vec<Document> {
    let mut documents = guides();
    for path in ["CHANGELOG.md", "SECURITY.md", "spec/README.md"] {
        documents.push(read(path));
    }
    documents
}

/// Fails the test with every problem found, one a line, if there is any.
fn assert_none(problems: Vec<String>, what: &str) {
    assert!(
        problems.is_empty(),
        "{} {what}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
