//! The fixtures on disk: writing them, their drift, the check against the
//! docs beside the checkout.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::{Drift, GeneratedFile};

use super::*;

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
