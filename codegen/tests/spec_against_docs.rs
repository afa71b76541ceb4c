//! The spec against the official docs' index: every documented endpoint and
//! webhook event is in the spec, and nothing in the spec is unknown to them.

use std::path::Path;

use gitcode_codegen::coverage::{coverage, parse_index, parse_webhook_events};
use gitcode_codegen::spec::Spec;

#[test]
fn every_documented_endpoint_is_in_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = Spec::load(&root.join("spec")).unwrap_or_else(|e| panic!("{e}"));
    let tsv = std::fs::read_to_string(root.join("../shared/gitcode-docs/endpoints.tsv"))
        .expect("the docs index is at ../shared/gitcode-docs/endpoints.tsv");
    let webhooks = std::fs::read_to_string(root.join("../shared/gitcode-docs/webhooks.md"))
        .expect("the webhook facts are at ../shared/gitcode-docs/webhooks.md");
    let events = parse_webhook_events(&webhooks);
    assert_eq!(events.len(), 5, "{events:?}");
    let report = coverage(&spec, &parse_index(&tsv).unwrap(), &events);
    assert!(
        report.missing.is_empty()
            && report.extra.is_empty()
            && report.missing_webhooks.is_empty()
            && report.extra_webhooks.is_empty(),
        "{report}"
    );
    assert_eq!(report.covered(), report.documented());
}
