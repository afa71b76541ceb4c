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
    let spec = gitcode_codegen::spec::Spec::load(&root.join("spec")).map_err(|e| e.to_string())?;
    let loaded = started.elapsed();
    let (files, phases) =
        gitcode_codegen::generate::generate_timed(&spec).map_err(|e| e.to_string())?;
    let written = write_all(root, &files).map_err(|e| e.to_string())?;
    let removed = gitcode_codegen::output::remove_stale(root, &files).map_err(|e| e.to_string())?;
    for path in &removed {
        eprintln!("regen: removed {} (no longer generated)", path.display());
    }
    let elapsed = started.elapsed();
    eprintln!(
        "regen: load {:.0} ms, {phases}",
        loaded.as_secs_f64() * 1000.0
    );
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
    let mut failures = Vec::new();
    if drifted.is_empty() {
        eprintln!(
            "check: the generated client is up to date ({} file(s))",
            files.len()
        );
    } else {
        failures.push(drift_message(
            "the checked-in client differs from the spec",
            &drifted,
            "cargo xtask regen",
        ));
    }
    if let Err(message) = check_docs_fixtures(root) {
        failures.push(message);
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n"))
    }
}

/// The docs fixtures against the docs beside the checkout, when they are there.
fn check_docs_fixtures(root: &Path) -> Result<(), String> {
    use gitcode_codegen::docs_fixtures::{BesideCheck, DOCS_BESIDE, FIXTURES_DIR, check_beside};
    match check_beside(root).map_err(|e| format!("check: importing {DOCS_BESIDE}: {e}"))? {
        BesideCheck::Skipped(docs) => {
            eprintln!(
                "check: docs fixtures not compared: no docs snapshot at {}",
                docs.display()
            );
            Ok(())
        }
        BesideCheck::UpToDate(n) => {
            eprintln!("check: {FIXTURES_DIR} is up to date with {DOCS_BESIDE} ({n} file(s))");
            Ok(())
        }
        BesideCheck::Drifted(drifted) => Err(drift_message(
            &format!("{FIXTURES_DIR} differs from {DOCS_BESIDE}"),
            &drifted,
            &format!("cargo xtask import-docs {DOCS_BESIDE}"),
        )),
    }
}

/// `check: WHAT:`, one line per drifted file, and the command that mends it.
fn drift_message(what: &str, drifted: &[gitcode_codegen::output::Drift], remedy: &str) -> String {
    let mut message = format!("check: {what}:\n");
    for d in drifted {
        message.push_str(&format!("{d}\n"));
    }
    message.push_str(&format!("run `{remedy}` and commit the result"));
    message
}

/// Writes the docs fixtures from the snapshot at `docs`.
pub fn import_docs(root: &Path, docs: &Path) -> Result<(), String> {
    use gitcode_codegen::docs_fixtures::{FIXTURES_DIR, import, write};
    let files = import(docs).map_err(|e| format!("import-docs: {e}"))?;
    let changes = write(root, &files).map_err(|e| format!("import-docs: {e}"))?;
    for path in &changes.written {
        eprintln!("import-docs: wrote {}", path.display());
    }
    for path in &changes.removed {
        eprintln!("import-docs: removed {}", path.display());
    }
    let changed = changes.written.len() + changes.removed.len();
    if changed == 0 {
        eprintln!(
            "import-docs: {FIXTURES_DIR} is up to date ({} file(s))",
            files.len()
        );
    } else {
        eprintln!(
            "import-docs: {} written, {} removed, of {} file(s) in {FIXTURES_DIR}",
            changes.written.len(),
            changes.removed.len(),
            files.len()
        );
    }
    Ok(())
}

pub fn coverage(root: &Path) -> Result<(), String> {
    use gitcode_codegen::coverage::coverage;
    let spec = gitcode_codegen::spec::Spec::load(&root.join("spec")).map_err(|e| e.to_string())?;
    let facts = gitcode_codegen::docs_fixtures::DocsFacts::load(root).map_err(|e| e.to_string())?;
    let report = coverage(&spec, &facts.index(), &facts.webhook_event_names());
    print!("{report}");
    let unverified = spec.operations.iter().filter(|op| op.unverified).count();
    println!("({unverified} operation(s) marked x-gitcode-unverified: no English page)");
    if report.missing.is_empty()
        && report.extra.is_empty()
        && report.missing_webhooks.is_empty()
        && report.extra_webhooks.is_empty()
    {
        Ok(())
    } else {
        Err("coverage: the spec and the index differ".into())
    }
}

pub fn bundle(root: &Path, out: &Path) -> Result<(), String> {
    let spec = gitcode_codegen::spec::Spec::load(&root.join("spec")).map_err(|e| e.to_string())?;
    let out = root.join(out);
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let text = serde_yaml::to_string(&spec.bundle.document).map_err(|e| e.to_string())?;
    std::fs::write(&out, text).map_err(|e| format!("writing {}: {e}", out.display()))?;
    eprintln!("bundle: wrote {}", out.display());
    Ok(())
}
