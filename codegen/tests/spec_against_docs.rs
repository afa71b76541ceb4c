//! The spec against the official docs' index (the docs fixtures): every
//! documented endpoint and webhook event is in the spec, and whatever else
//! the spec holds is marked `x-gitcode-undocumented` with its evidence.

use std::path::Path;

use gitcode_codegen::coverage::coverage;
use gitcode_codegen::docs_fixtures::DocsFacts;
use gitcode_codegen::spec::Spec;

#[test]
fn every_documented_endpoint_is_in_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = Spec::load(&root.join("spec")).unwrap_or_else(|e| panic!("{e}"));
    let facts = DocsFacts::load(&root).unwrap_or_else(|e| panic!("{e}"));
    let events = facts.webhook_event_names();
    assert_eq!(events.len(), 5, "{events:?}");
    let report = coverage(&spec, &facts.index(), &events);
    assert!(report.is_complete(), "{report}");
    assert_eq!(report.covered(), report.documented());
}
