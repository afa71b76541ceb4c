//! The generated types are split by the spec file that defines them: a
//! schema edit changes only the types file named like its spec file (and the
//! bundled document of the whole spec), and no generated file is too large
//! to review.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use support::spec_copy;

fn generate(spec: &Path) -> BTreeMap<PathBuf, String> {
    gitcode_codegen::generate(spec)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|file| (file.path, file.contents))
        .collect()
}

#[test]
fn a_schema_edit_changes_only_its_spec_files_types() {
    let dir = spec_copy();
    let before = generate(&dir.path().join("spec"));

    let labels = dir.path().join("spec/components/labels.yaml");
    let text = std::fs::read_to_string(&labels).unwrap();
    let edited = text.replacen(
        "        name:\n          type: string\n",
        "        name:\n          type: string\n        priority:\n          type: integer\n",
        1,
    );
    assert_ne!(text, edited, "the edit applies to `Label`");
    std::fs::write(&labels, edited).unwrap();
    let after = generate(&dir.path().join("spec"));

    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let changed: Vec<&PathBuf> = before
        .iter()
        .filter(|(path, contents)| after[*path] != **contents)
        .map(|(path, _)| path)
        .collect();
    // The Rust files, and the standard document that holds the whole spec.
    assert_eq!(
        changed,
        [
            Path::new("client/src/generated/client/types/labels.rs"),
            Path::new(gitcode_codegen::output::bundled::BUNDLED_JSON),
            Path::new(gitcode_codegen::output::bundled::BUNDLED_YAML),
        ]
    );
    assert!(after[Path::new("client/src/generated/client/types/labels.rs")].contains("priority"));
}

#[test]
fn every_spec_file_with_schemas_has_its_types_file_and_none_is_over_a_megabyte() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = generate(&root.join("spec"));
    // The bundled document is read by tools, its diff by nobody: the area
    // file's diff is the one to review.
    for (path, contents) in files.iter().filter(|(p, _)| !p.starts_with("spec/bundled")) {
        assert!(
            contents.len() <= 1 << 20,
            "{} is {} bytes: split it so that a reviewer can read its diff",
            path.display(),
            contents.len()
        );
    }
    for component in std::fs::read_dir(root.join("spec/components")).unwrap() {
        let path = component.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy();
        let text = std::fs::read_to_string(&path).unwrap();
        // `common.yaml` holds `Id`, `Timestamp`, ...: runtime types, but
        // also generated ones; a file of runtime types only has no file.
        if !text.contains("\n  schemas:") {
            continue;
        }
        let types = format!("client/src/generated/client/types/{stem}.rs");
        assert!(
            files.contains_key(Path::new(&types)),
            "{} defines schemas but {types} is not generated",
            path.display()
        );
    }
}
