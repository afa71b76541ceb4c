//! One recorded request, reading the fixtures back, and the import.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::output::GeneratedFile;

use super::{FIXTURES_DIR, README};

/// One request `gc` sent, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recording {
    /// The `gc` command line that sent it.
    pub command: String,
    pub method: String,
    /// The path as sent (percent-encoded), without the query.
    pub path: String,
    /// The query parameters, in the order sent.
    pub query: Vec<(String, String)>,
    /// The `Content-Type` header, if one was sent.
    pub content_type: Option<String>,
    /// The `Authorization` scheme (`Bearer`), if one was sent.
    pub auth: Option<String>,
    /// The raw body; empty when none was sent.
    pub body: String,
    /// Where it was read from: `file:line`.
    #[serde(skip)]
    pub origin: String,
}

impl std::fmt::Display for Recording {
    /// `METHOD /path?query (from `gc ...`, file:line)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        for (i, (name, value)) in self.query.iter().enumerate() {
            write!(f, "{}{name}={value}", if i == 0 { '?' } else { '&' })?;
        }
        write!(f, " (`{}`, {})", self.command, self.origin)
    }
}

/// The recordings in the `*.jsonl` files of `dir`, in file and line order.
pub fn read_dir(dir: &Path) -> Result<Vec<(String, String, Vec<Recording>)>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("reading", dir, e))?;
    let mut names: Vec<String> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("reading", dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".jsonl") {
            names.push(name);
        }
    }
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io("reading", &path, e))?;
        let mut recordings = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut recording: Recording = serde_json::from_str(line).map_err(|e| {
                Error::docs(&path, Some(i + 1), format!("not a recorded request: {e}"))
            })?;
            recording.origin = format!("{name}:{}", i + 1);
            recordings.push(recording);
        }
        out.push((name, text, recordings));
    }
    Ok(out)
}

/// Every recording kept in the fixtures of the workspace at `root`.
pub fn load(root: &Path) -> Result<Vec<Recording>> {
    let dir = root.join(FIXTURES_DIR);
    Ok(read_dir(&dir)?
        .into_iter()
        .flat_map(|(_, _, recordings)| recordings)
        .collect())
}

/// The fixture files for the recordings in `dir`: each `*.jsonl` file as it
/// is (once every line is known to be a recorded request), and a README.
/// Fails, naming the file and line, on a line that is not a request.
pub fn import(dir: &Path) -> Result<Vec<GeneratedFile>> {
    let files = read_dir(dir)?;
    if files.is_empty() {
        return Err(Error::docs(
            dir,
            None,
            "no recordings: expected `*.jsonl` files of recorded requests",
        ));
    }
    let out = Path::new(FIXTURES_DIR);
    let mut generated = vec![GeneratedFile {
        path: out.join("README.md"),
        contents: README.to_string(),
    }];
    for (name, text, _) in files {
        generated.push(GeneratedFile {
            path: out.join(name),
            contents: text,
        });
    }
    Ok(generated)
}
