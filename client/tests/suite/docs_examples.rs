//! Every JSON response example on the official docs pages decodes into the
//! type the generated client returns for that operation.
//!
//! The examples are what the server sent when the docs were written, so this
//! is the test that the spec says what the server really sends. It walks the
//! spec's operations, finds each one's page in the docs fixtures
//! (`fixtures/gitcode-docs/examples/`, written by `cargo xtask import-docs`)
//! through its `externalDocs` URL, and decodes each example with the
//! operation's generated response type. A failure names the page, the
//! operation, the status and the JSON path of the field.

#[rustfmt::skip]
#[path = "../generated/response_decoders.rs"]
mod response_decoders;

use std::collections::BTreeMap;
use std::path::Path;

use gitcode_codegen::evidence::docs::DocsFacts;
use gitcode_codegen::spec::Spec;

#[test]
fn every_docs_example_decodes_into_the_generated_type() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = Spec::load(&root.join("spec")).expect("the spec loads");
    let decoders: BTreeMap<&str, (bool, response_decoders::Decoder)> = response_decoders::DECODERS
        .iter()
        .map(|(op, list, f)| (*op, (*list, *f)))
        .collect();
    let facts = DocsFacts::load(&root).unwrap_or_else(|e| panic!("{e}"));

    let mut failures = Vec::new();
    let (mut pages, mut decoded) = (0, 0);
    for op in &spec.operations {
        let Some(page) = op.docs_url.as_deref().and_then(|url| facts.page(url)) else {
            continue;
        };
        pages += 1;
        let name =
            gitcode_codegen::evidence::docs::pages::page_slug(&page.page).unwrap_or(&page.page);
        let examples = &page.examples;
        for example in examples.iter().filter(|e| e.content_type.contains("json")) {
            let Some((is_list, decode)) = decoders.get(op.operation_id.as_str()) else {
                // The client returns no JSON (raw bytes or no body): an empty
                // example is all the docs may show.
                if !(example.value.is_null() || example.value == serde_json::json!({})) {
                    failures.push(format!(
                        "{name}: `{}` ignores the {} body, but the docs show {}",
                        op.operation_id, example.status, example.value
                    ));
                }
                continue;
            };
            let body = example.body(*is_list).to_string();
            match decode(&body) {
                Ok(()) => decoded += 1,
                Err(e) => failures.push(format!(
                    "{name}: `{}` {}{}: {e}",
                    op.operation_id,
                    example.status,
                    example
                        .name
                        .as_deref()
                        .map(|n| format!(" (example {n})"))
                        .unwrap_or_default()
                )),
            }
        }
    }
    eprintln!("{pages} pages, {decoded} examples decoded");
    assert!(pages >= 240, "only {pages} operations link a docs page");
    assert!(
        failures.is_empty(),
        "{} example(s) do not decode:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
