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
