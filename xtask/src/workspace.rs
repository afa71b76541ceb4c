//! `regen` and `check`: the generated client against the spec.

use std::path::{Path, PathBuf};
use std::time::Instant;

use gitcode_codegen::output::{drift, write_all};

/// The workspace root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

pub fn regen(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    let files = gitcode_codegen::generate(&root.join("spec")).map_err(|e| e.to_string())?;
    let written = write_all(root, &files).map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    if written.is_empty() {
        eprintln!("regen: {} file(s) up to date ({elapsed:.2?})", files.len());
    } else {
        for path in &written {
            eprintln!(
                "regen: wrote {}",
                path.strip_prefix(root).unwrap_or(path).display()
            );
        }
        eprintln!(
            "regen: {} of {} file(s) changed ({elapsed:.2?})",
            written.len(),
            files.len()
        );
    }
    Ok(())
}

pub fn check(root: &Path) -> Result<(), String> {
    let files = gitcode_codegen::generate(&root.join("spec")).map_err(|e| e.to_string())?;
    let drifted = drift(root, &files);
    if drifted.is_empty() {
        eprintln!(
            "check: the generated client is up to date ({} file(s))",
            files.len()
        );
        return Ok(());
    }
    let mut message = String::from("check: the checked-in client differs from the spec:\n");
    for d in &drifted {
        message.push_str(&format!("{d}\n"));
    }
    message.push_str("run `cargo xtask regen` and commit the result");
    Err(message)
}
