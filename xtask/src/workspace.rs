//! `regen` and `check`: the generated client against the spec.

use std::path::{Path, PathBuf};
use std::time::Instant;

use gitcode_codegen::evidence::docs::DOCS;
use gitcode_codegen::evidence::fixtures::FixtureSet;
use gitcode_codegen::evidence::peer_wire::PEER_WIRE;
use gitcode_codegen::output::{drift, drift_report, write_all};

/// The cargo that runs this task (`CARGO`), else the one on the path.
pub fn cargo() -> std::process::Command {
    std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

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
        failures.push(format!(
            "check: {}",
            drift_report(
                "the checked-in client differs from the spec",
                &drifted,
                "cargo xtask regen",
            )
        ));
    }
    for set in [&DOCS, &PEER_WIRE] {
        match set.check_beside_summary(root) {
            Ok(line) => eprintln!("check: {line}"),
            Err(message) => failures.push(format!("check: {message}")),
        }
    }
    match crate::layers::check(&root.join("client/src")) {
        Ok(line) => eprintln!("check: {line}"),
        Err(message) => failures.push(format!("check: {message}")),
    }
    match check_gitcode_cli(root) {
        Ok(line) => eprintln!("check: {line}"),
        Err(message) => failures.push(format!("check: {message}")),
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n"))
    }
}

/// `fixtures/gitcode-cli/` against a fresh import of the gitcode-cli
/// checkout beside the workspace, when there is one.
fn check_gitcode_cli(root: &Path) -> Result<String, String> {
    use gitcode_codegen::evidence::gitcode_cli::{BESIDE, FIXTURES_DIR, Source, import};
    let Some(source) = Source::beside(root) else {
        return Ok(format!(
            "{FIXTURES_DIR} not compared: no gitcode-cli checkout at {BESIDE} (or GITCODE_CLI_DIR)"
        ));
    };
    let source = source.map_err(|e| e.to_string())?;
    let (files, _) = import(root, &source).map_err(|e| e.to_string())?;
    let drifted = drift(root, &files);
    if drifted.is_empty() {
        Ok(format!(
            "{FIXTURES_DIR} is up to date with the gitcode-cli checkout"
        ))
    } else {
        Err(drift_report(
            &format!("{FIXTURES_DIR} differs from the gitcode-cli checkout"),
            &drifted,
            "cargo xtask import-gitcode-cli DIR",
        ))
    }
}

/// Writes a fixtures folder from the source at `source` (`import-docs`,
/// `import-peer-wire`).
pub fn import_fixtures(root: &Path, set: &FixtureSet, source: &Path) -> Result<(), String> {
    let (task, dir) = (set.command, set.dir);
    let files = (set.import)(source).map_err(|e| format!("{task}: {e}"))?;
    let changes = set
        .write(root, &files)
        .map_err(|e| format!("{task}: {e}"))?;
    for path in &changes.written {
        eprintln!("{task}: wrote {}", path.display());
    }
    for path in &changes.removed {
        eprintln!("{task}: removed {}", path.display());
    }
    let changed = changes.written.len() + changes.removed.len();
    if changed == 0 {
        eprintln!("{task}: {dir} is up to date ({} file(s))", files.len());
    } else {
        eprintln!(
            "{task}: {} written, {} removed, of {} file(s) in {dir}",
            changes.written.len(),
            changes.removed.len(),
            files.len()
        );
    }
    Ok(())
}

/// `import-gitcode-cli`: writes `fixtures/gitcode-cli/` from a checkout of
/// gitcode-cli, and names the requests that still need a reason.
pub fn import_gitcode_cli(root: &Path, dir: &Path, rev: Option<&str>) -> Result<(), String> {
    use gitcode_codegen::evidence::gitcode_cli::{Source, UNMAPPED, import};
    let task = "import-gitcode-cli";
    let source = Source::detect(dir, rev).map_err(|e| format!("{task}: {e}"))?;
    let (files, table) = import(root, &source).map_err(|e| format!("{task}: {e}"))?;
    let written = write_all(root, &files).map_err(|e| format!("{task}: {e}"))?;
    for path in &written {
        eprintln!(
            "{task}: wrote {}",
            path.strip_prefix(root).unwrap_or(path).display()
        );
    }
    let mapped = table.rows.iter().filter(|r| r.operation.is_some()).count();
    eprintln!(
        "{task}: {} request row(s), {mapped} mapped to an operation, {} not",
        table.rows.len(),
        table.rows.len() - mapped
    );
    for row in &table.without_reason {
        eprintln!(
            "{task}: no reason in {UNMAPPED} for {}\t{}\t{}{}",
            row.function,
            row.method,
            row.path,
            if row.via.is_empty() {
                String::new()
            } else {
                format!(" (via {})", row.via)
            }
        );
    }
    for reason in &table.unused_reasons {
        eprintln!(
            "{task}: {} is used by no row: {} {} {}",
            reason.origin, reason.function, reason.method, reason.path
        );
    }
    Ok(())
}

pub fn coverage(root: &Path) -> Result<(), String> {
    use gitcode_codegen::evidence::docs::coverage::coverage;
    let spec = gitcode_codegen::spec::Spec::load(&root.join("spec")).map_err(|e| e.to_string())?;
    let facts =
        gitcode_codegen::evidence::docs::DocsFacts::load(root).map_err(|e| e.to_string())?;
    let report = coverage(&spec, &facts.index(), &facts.webhook_event_names());
    print!("{report}");
    let unverified = spec.operations.iter().filter(|op| op.unverified).count();
    println!("({unverified} operation(s) marked x-gitcode-unverified: no English page)");
    if report.is_complete() {
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
    // The same document `regen` checks in as spec/bundled/: JSON for a
    // `.json` name, else YAML.
    let documents =
        gitcode_codegen::output::bundled::documents(&spec).map_err(|e| e.to_string())?;
    let json = out.extension().is_some_and(|e| e == "json");
    let text = &documents[usize::from(json)].contents;
    std::fs::write(&out, text).map_err(|e| format!("writing {}: {e}", out.display()))?;
    eprintln!("bundle: wrote {}", out.display());
    Ok(())
}
