//! Where a recording goes, and how it is written: a file rewritten whole
//! and atomically after each exchange, a file of its own in a directory,
//! or a caller's writer, written once.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The HAR up to the first entry.
pub(super) const HEADER: &str = concat!(
    r#"{"log":{"version":"1.2","creator":{"name":"gitcode-rs","version":""#,
    env!("CARGO_PKG_VERSION"),
    r#""},"entries":["#,
    "\n"
);

/// Between two entries (one entry a line).
pub(super) const SEPARATOR: &str = ",\n";

/// The HAR after the last entry.
pub(super) const TRAILER: &str = "\n]}}\n";

/// Tells apart the files this process names: temporary files, and the
/// files of [`Sink::Dir`].
static NEXT: AtomicU64 = AtomicU64::new(0);

pub(super) enum Sink {
    /// This file, rewritten after each exchange.
    File(PathBuf),
    /// A new file in this directory, named at the first exchange.
    Dir { dir: PathBuf, file: Option<PathBuf> },
    /// Written once, at [`Sink::finish`]; `None` once written.
    Writer(Option<Box<dyn Write + Send>>),
}

impl Sink {
    /// Makes `entries` (the entries so far, joined by [`SEPARATOR`]) the
    /// recording: a file or a directory's file is replaced by the whole
    /// HAR, atomically; a writer waits for [`Sink::finish`].
    pub(super) fn write(&mut self, entries: &[u8]) -> io::Result<()> {
        match self {
            Sink::File(path) => write_atomically(path, entries),
            Sink::Dir { dir, file } => {
                let path = match file {
                    Some(path) => path,
                    None => file.insert(new_file_in(dir)),
                };
                write_atomically(path, entries)
            }
            Sink::Writer(_) => Ok(()),
        }
    }

    /// Writes the whole HAR to a writer not written yet (nothing for a
    /// file, which holds every entry already).
    pub(super) fn finish(&mut self, entries: &[u8]) -> io::Result<()> {
        let Sink::Writer(writer) = self else {
            return Ok(());
        };
        let Some(mut writer) = writer.take() else {
            return Ok(());
        };
        writer.write_all(HEADER.as_bytes())?;
        writer.write_all(entries)?;
        writer.write_all(TRAILER.as_bytes())?;
        writer.flush()
    }

    /// Whether an entry recorded now would be written (a writer takes one
    /// HAR, and takes no entry once it was written).
    pub(super) fn takes_entries(&self) -> bool {
        !matches!(self, Sink::Writer(None))
    }

    /// The file written, once known.
    pub(super) fn path(&self) -> Option<&Path> {
        match self {
            Sink::File(path) => Some(path),
            Sink::Dir { file, .. } => file.as_deref(),
            Sink::Writer(_) => None,
        }
    }

    /// How messages name the recording: its file, its directory, or "the
    /// writer".
    pub(super) fn describe(&self) -> String {
        match self {
            Sink::File(path) => format!("`{}`", path.display()),
            Sink::Dir {
                file: Some(path), ..
            } => format!("`{}`", path.display()),
            Sink::Dir { dir, file: None } => format!("a new file in `{}`", dir.display()),
            Sink::Writer(_) => "the writer".into(),
        }
    }
}

/// A name for a new recording in `dir`, unique in time, process and
/// recorder: `gitcode-20250101T120000.000Z-4242-0.har`.
fn new_file_in(dir: &Path) -> PathBuf {
    let time = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let pid = std::process::id();
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("gitcode-{time}-{pid}-{n}.har"));
        if !path.exists() {
            return path;
        }
    }
}

/// Replaces `path` with the HAR of `entries`: written whole to a
/// temporary file beside it, then renamed over it, so that a reader (or a
/// process that crashed) sees the previous HAR or the new one, never part
/// of one. The file is readable by its owner only (on Unix): a recording
/// holds what the account can see.
fn write_atomically(path: &Path, entries: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let temp = dir.join(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut file = create_private(&temp)?;
        file.write_all(HEADER.as_bytes())?;
        file.write_all(entries)?;
        file.write_all(TRAILER.as_bytes())?;
        file.flush()?;
        drop(file);
        fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

fn create_private(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_is_json_with_and_without_entries() {
        let empty = format!("{HEADER}{TRAILER}");
        let v: serde_json::Value = serde_json::from_str(&empty).unwrap();
        assert_eq!(v["log"]["version"], "1.2");
        assert_eq!(v["log"]["creator"]["name"], "gitcode-rs");
        assert_eq!(v["log"]["creator"]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(v["log"]["entries"], serde_json::json!([]));
        let two = format!("{HEADER}{{\"a\":1}}{SEPARATOR}{{\"b\":2}}{TRAILER}");
        let v: serde_json::Value = serde_json::from_str(&two).unwrap();
        assert_eq!(v["log"]["entries"][1]["b"], 2);
    }

    #[test]
    fn a_file_is_replaced_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.har");
        let mut sink = Sink::File(path.clone());
        sink.write(b"{\"n\":1}").unwrap();
        sink.write(b"{\"n\":1},\n{\"n\":2}").unwrap();
        let v: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(v["log"]["entries"][1]["n"], 2);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.har"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_missing_directory_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = Sink::Dir {
            dir: dir.path().join("missing"),
            file: None,
        };
        assert!(sink.write(b"").is_err());
        assert!(sink.describe().contains("missing"), "{}", sink.describe());
        assert!(Sink::File(PathBuf::from("/")).write(b"").is_err());
    }
}
