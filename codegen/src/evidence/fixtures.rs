//! Folders of facts kept in the repository as test fixtures, each written by
//! an import from a source that maintainers keep beside the checkout
//! (`../shared/...`), so that a clone is whole without it.
//!
//! A [`FixtureSet`] names the folder, the source and the import; it writes
//! the files ([`FixtureSet::write`]), measures their drift from a fresh import
//! ([`FixtureSet::drift`]) and compares them with the source when it is there
//! ([`FixtureSet::check_beside`]). The sets: [`crate::evidence::docs::DOCS`]
//! (the official docs) and [`crate::evidence::peer_wire::PEER_WIRE`] (the requests of
//! GitCode's own CLI).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::{Drift, GeneratedFile};

/// A fixtures folder and where its facts come from.
#[derive(Debug, Clone, Copy)]
pub struct FixtureSet {
    /// The folder, relative to the workspace root (`fixtures/gitcode-docs`).
    pub dir: &'static str,
    /// Where maintainers keep the source, relative to the workspace root.
    pub beside: &'static str,
    /// The `cargo xtask` command that writes the folder (`import-docs`).
    pub command: &'static str,
    /// Turns a source folder into the fixture files (paths relative to the
    /// workspace root, all under `dir`).
    pub import: fn(&Path) -> Result<Vec<GeneratedFile>>,
}

/// What [`FixtureSet::write`] changed, paths relative to the workspace root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub written: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
}

/// The outcome of comparing a fixtures folder with its source beside the
/// checkout.
#[derive(Debug)]
pub enum BesideCheck {
    /// The source is not there (a clone on its own).
    Skipped(PathBuf),
    /// The fixtures hold what the source says (this many files).
    UpToDate(usize),
    /// The fixtures differ from a fresh import.
    Drifted(Vec<Drift>),
}

impl FixtureSet {
    /// The command line that rewrites the folder from the source beside.
    pub fn remedy(&self) -> String {
        format!("cargo xtask {} {}", self.command, self.beside)
    }

    /// The files under the folder in `root` that `files` does not hold.
    pub fn stale(&self, root: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>> {
        let produced: BTreeSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
        let mut out = Vec::new();
        let mut dirs = vec![PathBuf::from(self.dir)];
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

    /// How the folder under `root` differs from `files` (a fresh import):
    /// changed and missing files, and files no longer produced.
    pub fn drift(&self, root: &Path, files: &[GeneratedFile]) -> Result<Vec<Drift>> {
        let mut out = crate::output::drift(root, files);
        out.extend(self.stale(root, files)?.into_iter().map(Drift::Stale));
        Ok(out)
    }

    /// Writes `files` under `root` (all or nothing, unchanged files
    /// untouched), then removes the files of the folder they no longer hold.
    pub fn write(&self, root: &Path, files: &[GeneratedFile]) -> Result<Written> {
        let stale = self.stale(root, files)?;
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

    /// [`FixtureSet::check_beside`] in words: `Ok` with a line to print when
    /// the source is not there or the folder is up to date; `Err` naming
    /// each drifted file and the command that mends them, or why the import
    /// failed.
    pub fn check_beside_summary(&self, root: &Path) -> std::result::Result<String, String> {
        let (dir, beside) = (self.dir, self.beside);
        match self.check_beside(root) {
            Err(e) => Err(format!("importing {beside}: {e}")),
            Ok(BesideCheck::Skipped(source)) => Ok(format!(
                "{dir} not compared: nothing at {} (a clone on its own)",
                source.display()
            )),
            Ok(BesideCheck::UpToDate(n)) => {
                Ok(format!("{dir} is up to date with {beside} ({n} file(s))"))
            }
            Ok(BesideCheck::Drifted(drifted)) => Err(crate::output::drift_report(
                &format!("{dir} differs from {beside}"),
                &drifted,
                &self.remedy(),
            )),
        }
    }

    /// Imports the source beside the checkout (if present) in memory and
    /// compares the result with the folder under `root`.
    pub fn check_beside(&self, root: &Path) -> Result<BesideCheck> {
        let source = root.join(self.beside);
        if !source.exists() {
            return Ok(BesideCheck::Skipped(source));
        }
        let files = (self.import)(&source)?;
        let drifted = self.drift(root, &files)?;
        Ok(if drifted.is_empty() {
            BesideCheck::UpToDate(files.len())
        } else {
            BesideCheck::Drifted(drifted)
        })
    }
}
