//! `spec-check`: check a few area files while other areas are unfinished.
//!
//! The named `paths/` files, the component files of the same name, the root
//! and `components/common.yaml` must be right; any other component file is
//! used if it parses and checks cleanly, and skipped (with a warning)
//! otherwise. Schemas referenced but defined nowhere yet get an empty
//! placeholder, with a warning. Then progenitor runs on the result, and every
//! JSON response example on the operations' pages (from the docs fixtures,
//! `fixtures/gitcode-docs/`) is checked against the schema, naming the page
//! and JSON path that does not fit.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gitcode_codegen::evidence::conformance;
use gitcode_codegen::evidence::docs::DocsFacts;
use gitcode_codegen::spec::load::{SpecFile, SpecFiles, yaml_files};
use gitcode_codegen::spec::{Spec, bundle, check};

pub fn run(root: &Path, focus: &[PathBuf]) -> Result<(), String> {
    let spec_dir = root.join("spec");
    let focus: Vec<PathBuf> = focus
        .iter()
        .map(|f| std::fs::canonicalize(f).map_err(|e| format!("{}: {e}", f.display())))
        .collect::<Result<_, _>>()?;
    let stems: BTreeSet<String> = focus
        .iter()
        .filter_map(|f| Some(f.file_stem()?.to_string_lossy().into_owned()))
        .collect();
    let is_focus = |path: &Path| {
        let canonical = std::fs::canonicalize(path).unwrap_or_default();
        focus.contains(&canonical)
            || path.ends_with("common.yaml")
            || path.ends_with("openapi.yaml")
            || (path.parent().is_some_and(|p| p.ends_with("components"))
                && path
                    .file_stem()
                    .is_some_and(|s| stems.contains(&*s.to_string_lossy())))
    };

    let mut errors = 0;
    let read = |path: &Path| -> Result<Option<SpecFile>, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        match SpecFile::parse(path.strip_prefix(root).unwrap_or(path), text) {
            Ok(file) => Ok(Some(file)),
            Err(err) => {
                eprintln!("{err}\n");
                Ok(None)
            }
        }
    };

    let root_file = read(&spec_dir.join("openapi.yaml"))?.ok_or("openapi.yaml does not parse")?;
    let mut components = Vec::new();
    for path in yaml_files(&spec_dir.join("components")).map_err(|e| e.to_string())? {
        match read(&path)? {
            Some(file) => components.push(file),
            None if is_focus(&path) => errors += 1,
            None => eprintln!(
                "warning: skipped {} (does not parse; not yours)\n",
                path.display()
            ),
        }
    }
    let mut paths = Vec::new();
    for path in &focus {
        match read(path)? {
            Some(file) => paths.push(file),
            None => errors += 1,
        }
    }
    if errors > 0 {
        return Err(format!("spec-check: {errors} file(s) do not parse"));
    }

    // Drop other areas' component files until what remains checks cleanly.
    let spec = loop {
        let files = SpecFiles {
            root: root_file.clone(),
            components: with_placeholders(&root_file, &components, &paths),
            paths: paths.clone(),
        };
        let bundled = match bundle::bundle(files) {
            Ok(b) => b,
            Err(errs) => {
                for e in &errs {
                    eprintln!("{e}\n");
                }
                return Err(format!(
                    "spec-check: {} conflict(s) between files",
                    errs.len()
                ));
            }
        };
        let problems = check::check(&bundled);
        let foreign: BTreeSet<PathBuf> = problems
            .iter()
            .map(|e| e.location.file.clone())
            .filter(|f| !is_focus(&root.join(f)) && !f.starts_with("(placeholders)"))
            .collect();
        if !foreign.is_empty() {
            for f in &foreign {
                eprintln!("warning: skipped {} (has errors; not yours)", f.display());
            }
            components.retain(|c| !foreign.contains(&c.path));
            continue;
        }
        if !problems.is_empty() {
            for e in &problems {
                eprintln!("{e}\n");
            }
            return Err(format!("spec-check: {} error(s)", problems.len()));
        }
        break Spec::from_bundle(bundled).map_err(|e| e.to_string())?;
    };

    let focus_ops: Vec<_> = spec
        .operations
        .iter()
        .filter(|op| {
            spec.bundle
                .file_of_operation(&op.path, &op.method)
                .is_some_and(|f| paths.iter().any(|p| p.path == f.path))
        })
        .collect();
    eprintln!(
        "spec-check: {} operation(s) in the given files",
        focus_ops.len()
    );

    gitcode_codegen::generate_from(&spec)
        .map_err(|e| format!("spec-check: generation failed: {e}"))?;
    eprintln!("spec-check: progenitor and the passes generate the client");

    let facts = DocsFacts::load(root).map_err(|e| format!("spec-check: {e}"))?;
    let mut mismatches = 0;
    for op in focus_ops {
        let Some(url) = &op.docs_url else { continue };
        let Some(page) = facts.page(url) else {
            if !op.unverified {
                eprintln!("warning: {}: no docs page for {url}", op.operation_id);
            }
            continue;
        };
        let examples = &page.examples;
        for example in examples.iter().filter(|e| e.content_type.contains("json")) {
            let Some(schema) =
                response_schema(&spec.openapi, &op.path, &op.method, &example.status)
            else {
                if !example.value.is_null() && example.value != serde_json::json!({}) {
                    eprintln!(
                        "{}: {} documents a {} JSON example but the spec has no JSON schema for it",
                        page.page, op.operation_id, example.status
                    );
                    mismatches += 1;
                }
                continue;
            };
            let body = example.body(is_array(&spec.openapi, &schema));
            for m in conformance::check(&spec.openapi, &schema, &body) {
                eprintln!("{}: {} {}: {m}", page.page, op.operation_id, example.status);
                mismatches += 1;
            }
        }
    }
    if mismatches > 0 {
        return Err(format!(
            "spec-check: {mismatches} docs example mismatch(es)"
        ));
    }
    eprintln!("spec-check: every docs example fits");
    Ok(())
}

/// The JSON schema of an operation's response for `status`.
fn response_schema(
    spec: &openapiv3::OpenAPI,
    path: &str,
    method: &str,
    status: &str,
) -> Option<openapiv3::ReferenceOr<openapiv3::Schema>> {
    let item = spec.paths.paths.get(path)?.as_item()?;
    let op = item.iter().find(|(m, _)| *m == method)?.1;
    let code: u16 = status.parse().ok()?;
    let response = op
        .responses
        .responses
        .get(&openapiv3::StatusCode::Code(code))?
        .as_item()?;
    let media = response
        .content
        .iter()
        .find(|(ct, _)| ct.contains("json"))?
        .1;
    media.schema.clone()
}

fn is_array(spec: &openapiv3::OpenAPI, schema: &openapiv3::ReferenceOr<openapiv3::Schema>) -> bool {
    let resolved = match schema {
        openapiv3::ReferenceOr::Item(s) => Some(s),
        openapiv3::ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .and_then(|n| spec.components.as_ref()?.schemas.get(n)?.as_item()),
    };
    resolved.is_some_and(|s| {
        matches!(
            s.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::Array(_))
        )
    })
}

/// `components` plus a placeholder file defining, as `{}`, every schema that
/// is referenced but defined nowhere yet.
fn with_placeholders(
    root: &SpecFile,
    components: &[SpecFile],
    paths: &[SpecFile],
) -> Vec<SpecFile> {
    let mut defined = BTreeSet::new();
    let mut referenced = BTreeSet::new();
    for file in std::iter::once(root).chain(components).chain(paths) {
        if let Some(schemas) = file
            .value
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(|s| s.as_mapping())
        {
            defined.extend(schemas.keys().filter_map(|k| k.as_str().map(String::from)));
        }
        let mut refs = Vec::new();
        check::collect_refs(&file.value, &mut refs);
        referenced.extend(
            refs.iter()
                .filter_map(|r| r.strip_prefix("#/components/schemas/"))
                .map(String::from),
        );
    }
    let missing: Vec<_> = referenced.difference(&defined).collect();
    let mut out = components.to_vec();
    if !missing.is_empty() {
        eprintln!(
            "warning: not defined yet, checked as any JSON: {}",
            missing
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let text = format!(
            "components:\n  schemas:\n{}",
            missing
                .iter()
                .map(|m| format!("    {m}: {{}}\n"))
                .collect::<String>()
        );
        out.push(SpecFile::parse("(placeholders)", text).expect("placeholder YAML"));
    }
    out
}
