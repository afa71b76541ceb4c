//! The spec against the official docs' index: every documented endpoint is
//! in the spec, and nothing in the spec is unknown to the index.

use std::path::Path;

use gitcode_codegen::coverage::{coverage, parse_index};
use gitcode_codegen::spec::Spec;

#[test]
fn every_documented_endpoint_is_in_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = Spec::load(&root.join("spec")).unwrap_or_else(|e| panic!("{e}"));
    let tsv = std::fs::read_to_string(root.join("../shared/gitcode-docs/endpoints.tsv"))
        .expect("the docs index is at ../shared/gitcode-docs/endpoints.tsv");
    let report = coverage(&spec, &parse_index(&tsv).unwrap());
    assert!(
        report.missing.is_empty() && report.extra.is_empty(),
        "{report}"
    );
    assert_eq!(report.covered(), report.documented());
}
