//! What the pipeline writes, and how: step 5, after the passes and the
//! tables.
//!
//! - [`split`]: the client tree cut into files a reviewer can diff
//!   (builders by area, types by spec file);
//! - [`render`]: each syntax tree formatted with prettyplease under the
//!   generated-file header;
//! - [`bundled`]: the merged spec as `spec/bundled/openapi.{yaml,json}`, for
//!   other tools;
//! - this module: [`GeneratedFile`], [`write_all`] (atomic) and [`drift`]
//!   (what `cargo xtask check` and the freshness test report).
//!
//! Where to look: which file a generated item lands in is [`split`]; the
//! header or the formatting of every generated file is [`render`]; how a
//! run writes, or reports a difference from the checked-in files, is here.
//!
//! Writing is atomic: every file is first written in full to a temporary
//! file beside its target; only when all of them are written are they
//! renamed into place. A run that fails before that point leaves the
//! checked-in client untouched.

pub mod bundled;
pub mod render;
pub mod split;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One generated file, with its path relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// How a checked-in file differs from a fresh generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file is not on disk.
    Missing(PathBuf),
    /// A generated file on disk that a fresh generation no longer writes.
    Stale(PathBuf),
    /// The file differs: lines added and removed by regenerating.
    Changed {
        path: PathBuf,
        added: usize,
        removed: usize,
        /// The first differing lines, as a unified diff excerpt.
        excerpt: String,
    },
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(path) => write!(f, "{}: missing", path.display()),
            Drift::Stale(path) => write!(f, "{}: no longer generated", path.display()),
            Drift::Changed {
                path,
                added,
                removed,
                excerpt,
            } => write!(
                f,
                "{}: +{added} -{removed} lines\n{excerpt}",
                path.display()
            ),
        }
    }
}

/// Writes `files` under `root`, all or nothing. Unchanged files are not touched.
pub fn write_all(root: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>> {
    let mut staged = Vec::new();
    for file in files {
        let target = root.join(&file.path);
        if std::fs::read_to_string(&target).is_ok_and(|old| old == file.contents) {
            continue;
        }
        let dir = target.parent().unwrap_or(root);
        std::fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, e))?;
        let mut temp = tempfile::Builder::new()
            .prefix(".regen-")
            .tempfile_in(dir)
            .map_err(|e| Error::io("creating a temporary file in", dir, e))?;
        use std::io::Write;
        temp.write_all(file.contents.as_bytes())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|e| Error::io("writing", temp.path(), e))?;
        staged.push((temp, target));
    }
    let mut written = Vec::new();
    for (temp, target) in staged {
        temp.persist(&target)
            .map_err(|e| Error::io("replacing", &target, e.error))?;
        written.push(target);
    }
    Ok(written)
}

/// Compares `files` with the checked-in copies under `root`.
pub fn drift(root: &Path, files: &[GeneratedFile]) -> Vec<Drift> {
    let mut drift: Vec<Drift> = files
        .iter()
        .filter_map(|file| {
            let on_disk = match std::fs::read_to_string(root.join(&file.path)) {
                Ok(text) => text,
                Err(_) => return Some(Drift::Missing(file.path.clone())),
            };
            (on_disk != file.contents).then(|| changed(&file.path, &on_disk, &file.contents))
        })
        .collect();
    drift.extend(stale(root, files).into_iter().map(Drift::Stale));
    drift
}

/// Generated files that a fresh generation no longer writes (a spec file
/// renamed or removed leaves its types file behind): the files that begin
/// with the generated header in a folder that `files` write to, but are
/// not among them. Paths are relative to `root`, sorted.
pub fn stale(root: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    let written: std::collections::BTreeSet<&Path> =
        files.iter().map(|f| f.path.as_path()).collect();
    let folders: std::collections::BTreeSet<&Path> =
        written.iter().filter_map(|p| p.parent()).collect();
    let mut out = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = folder.join(entry.file_name());
            if written.contains(path.as_path()) || !is_generated(&root.join(&path)) {
                continue;
            }
            out.push(path);
        }
    }
    out.sort();
    out
}

fn is_generated(path: &Path) -> bool {
    use std::io::Read;
    let mut start = vec![0; render::HEADER.len()];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut start))
        .is_ok_and(|()| start == render::HEADER.as_bytes())
}

/// Removes the [`stale`] files; returns them.
pub fn remove_stale(root: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>> {
    let stale = stale(root, files);
    for path in &stale {
        let target = root.join(path);
        std::fs::remove_file(&target).map_err(|e| Error::io("removing", &target, e))?;
    }
    Ok(stale)
}

fn changed(path: &Path, old: &str, new: &str) -> Drift {
    let diff = similar::TextDiff::from_lines(old, new);
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => added += 1,
            similar::ChangeTag::Delete => removed += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    let unified = diff
        .unified_diff()
        .context_radius(2)
        .header("checked in", "fresh generation")
        .to_string();
    let excerpt: Vec<&str> = unified.lines().take(24).collect();
    Drift::Changed {
        path: path.to_path_buf(),
        added,
        removed,
        excerpt: excerpt.join("\n"),
    }
}

/// `WHAT:`, one line per drifted file, and the command that mends them.
pub fn drift_report(what: &str, drifted: &[Drift], remedy: &str) -> String {
    let mut message = format!("{what}:\n");
    for d in drifted {
        message.push_str(&format!("{d}\n"));
    }
    message.push_str(&format!("run `{remedy}` and commit the result"));
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn a_generated_file_no_longer_written_is_stale_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let generated = |body: &str| format!("{}\n{body}", render::HEADER);
        let files = vec![file("types/issues.rs", &generated("struct Issue;"))];
        write_all(dir.path(), &files).unwrap();
        std::fs::write(dir.path().join("types/gone.rs"), generated("struct Gone;")).unwrap();
        std::fs::write(dir.path().join("types/mod.rs"), "// hand-written\n").unwrap();
        assert_eq!(
            drift(dir.path(), &files),
            vec![Drift::Stale("types/gone.rs".into())]
        );
        assert_eq!(
            remove_stale(dir.path(), &files).unwrap(),
            vec![PathBuf::from("types/gone.rs")]
        );
        assert!(drift(dir.path(), &files).is_empty());
        assert!(
            dir.path().join("types/mod.rs").exists(),
            "hand-written files stay"
        );
    }

    #[test]
    fn writes_then_reports_no_drift() {
        let dir = tempfile::tempdir().unwrap();
        let files = [file("a/x.rs", "fn x() {}\n"), file("y.rs", "fn y() {}\n")];
        assert_eq!(write_all(dir.path(), &files).unwrap().len(), 2);
        assert!(drift(dir.path(), &files).is_empty());
        // A second write of identical content touches nothing.
        assert!(write_all(dir.path(), &files).unwrap().is_empty());
    }

    #[test]
    fn drift_counts_changed_lines_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        write_all(dir.path(), &[file("x.rs", "a\nb\n")]).unwrap();
        let drift = drift(dir.path(), &[file("x.rs", "a\nc\nd\n"), file("z.rs", "")]);
        assert_eq!(drift.len(), 2);
        match &drift[0] {
            Drift::Changed {
                added,
                removed,
                excerpt,
                ..
            } => {
                assert_eq!((*added, *removed), (2, 1));
                assert!(excerpt.contains("+c"), "{excerpt}");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(drift[1], Drift::Missing("z.rs".into()));
    }
}
