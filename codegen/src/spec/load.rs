//! Reading the spec files from disk.

use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::error::{Error, Location, SpecError};

/// One YAML file of the spec, kept with its text so that problems found
/// later can be given a line.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// Path as shown to the user (relative to the working directory when the
    /// spec directory was given relative).
    pub path: PathBuf,
    pub text: String,
    pub value: Value,
}

impl SpecFile {
    /// Parses `text`; a YAML syntax error is reported at its line.
    pub fn parse(path: impl Into<PathBuf>, text: String) -> Result<Self, SpecError> {
        let path = path.into();
        match serde_yaml::from_str::<Value>(&text) {
            Ok(value) => Ok(Self { path, text, value }),
            Err(err) => {
                let (line, column) = err
                    .location()
                    .map(|l| (l.line(), l.column()))
                    .unwrap_or((1, 1));
                let message = strip_location_suffix(&err.to_string());
                Err(SpecError::new(
                    format!("invalid YAML: {message}"),
                    Location {
                        file: path,
                        line,
                        column,
                    },
                ))
            }
        }
    }

    /// Where `key_path` is in this file (the nearest enclosing key if absent).
    pub fn locate(&self, key_path: &[&str]) -> Location {
        let (line, column) = super::locate::key_position(&self.text, key_path);
        self.at(line, column)
    }

    pub fn at(&self, line: usize, column: usize) -> Location {
        Location {
            file: self.path.clone(),
            line,
            column,
        }
    }
}

/// serde_yaml appends " at line X column Y" to its messages; we print the
/// location our own way.
fn strip_location_suffix(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

/// The files of a spec directory: `openapi.yaml`, then `components/*.yaml`,
/// then `paths/*.yaml`, each group in file-name order.
#[derive(Debug, Clone)]
pub struct SpecFiles {
    pub root: SpecFile,
    pub components: Vec<SpecFile>,
    pub paths: Vec<SpecFile>,
}

impl SpecFiles {
    pub fn all(&self) -> impl Iterator<Item = &SpecFile> {
        std::iter::once(&self.root)
            .chain(&self.components)
            .chain(&self.paths)
    }
}

/// Reads and parses every file of the spec directory, collecting every YAML
/// error rather than stopping at the first.
pub fn load_dir(dir: &Path) -> crate::error::Result<SpecFiles> {
    let mut errors = Vec::new();
    let mut parse = |path: PathBuf| -> crate::error::Result<Option<SpecFile>> {
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io("reading", &path, e))?;
        match SpecFile::parse(path, text) {
            Ok(file) => Ok(Some(file)),
            Err(err) => {
                errors.push(err);
                Ok(None)
            }
        }
    };

    let root = parse(dir.join("openapi.yaml"))?;
    let mut components = Vec::new();
    for path in yaml_files(&dir.join("components"))? {
        components.extend(parse(path)?);
    }
    let mut paths = Vec::new();
    for path in yaml_files(&dir.join("paths"))? {
        paths.extend(parse(path)?);
    }

    match root {
        Some(root) if errors.is_empty() => Ok(SpecFiles {
            root,
            components,
            paths,
        }),
        _ => Err(Error::Spec(errors)),
    }
}

/// The `.yaml` files directly in `dir`, sorted by name; none if `dir` is absent.
pub fn yaml_files(dir: &Path) -> crate::error::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("listing", dir, e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io("listing", dir, e))?.path();
        if path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_error_names_file_and_line() {
        let err =
            SpecFile::parse("spec/paths/x.yaml", "a: 1\nb: [1, 2\nc: 3\n".into()).unwrap_err();
        assert_eq!(err.location.file, PathBuf::from("spec/paths/x.yaml"));
        assert!(err.location.line >= 2, "{err}");
        assert!(err.message.starts_with("invalid YAML"), "{err}");
        assert!(!err.message.contains(" at line "), "{err}");
    }
}
