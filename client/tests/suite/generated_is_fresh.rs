//! The checked-in generated files match a fresh generation from `spec/`, so
//! that a spec change without `cargo xtask regen` fails the test suite.

use std::path::Path;

#[test]
fn generated_code_matches_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = gitcode_codegen::generate(&root.join("spec")).unwrap_or_else(|e| panic!("{e}"));
    let drift = gitcode_codegen::output::drift(&root, &files);
    assert!(
        drift.is_empty(),
        "the checked-in client differs from the spec; run `cargo xtask regen`:\n{}",
        drift
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Every area the generated code is gated by is a feature of this crate,
/// and `full` (the default) enables them all.
#[test]
fn every_area_is_a_cargo_feature() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec =
        gitcode_codegen::spec::Spec::load(&root.join("spec")).unwrap_or_else(|e| panic!("{e}"));
    let manifest = std::fs::read_to_string(root.join("client/Cargo.toml")).unwrap();
    let features: std::collections::BTreeMap<&str, &str> = manifest
        .split("[features]")
        .nth(1)
        .expect("a [features] section")
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once(" = "))
        .collect();
    let full = features["full"];
    for op in &spec.operations {
        let feature = gitcode_codegen::passes::area_features::feature_name(&op.tag);
        assert!(
            features.contains_key(feature.as_str()),
            "client/Cargo.toml lacks the feature `{feature}`"
        );
        assert!(
            full.contains(&format!("\"{feature}\"")),
            "`full` lacks `{feature}`"
        );
    }
}
