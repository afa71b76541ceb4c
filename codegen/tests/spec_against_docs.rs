//! The spec against the official docs' index (the docs fixtures): every
//! documented endpoint and webhook event is in the spec, and whatever else
//! the spec holds is marked `x-gitcode-undocumented` with its evidence.

use std::path::Path;

use gitcode_codegen::evidence::docs::DocsFacts;
use gitcode_codegen::evidence::docs::coverage::coverage;
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

#[test]
fn undocumented_operations_on_weaker_evidence_are_counted_apart() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = Spec::load(&root.join("spec")).unwrap_or_else(|e| panic!("{e}"));
    let facts = DocsFacts::load(&root).unwrap_or_else(|e| panic!("{e}"));
    let report = coverage(&spec, &facts.index(), &facts.webhook_event_names());
    let weak_in_spec = |id: &str| {
        spec.operations
            .iter()
            .find(|op| op.operation_id == id)
            .and_then(|op| op.undocumented.as_ref())
            .is_some_and(|u| u.weak.is_some())
    };
    // Each list holds only its kind, and every marked operation is in one.
    for (_, _, id, evidence) in &report.undocumented {
        assert!(
            !weak_in_spec(id),
            "{id} is weak but counted as a maintained client's ({evidence})"
        );
    }
    for (_, _, id, evidence) in &report.weak_undocumented {
        assert!(weak_in_spec(id), "{id} is counted as weak without `weak`");
        assert!(evidence.contains("weak: "), "{evidence}");
    }
    let marked = spec
        .operations
        .iter()
        .filter(|op| op.undocumented.is_some())
        .count();
    assert_eq!(
        report.undocumented.len() + report.weak_undocumented.len(),
        marked
    );
    // ag-cli's operations are weak; gitcode-cli's are not.
    let weak: Vec<&str> = report
        .weak_undocumented
        .iter()
        .map(|r| r.2.as_str())
        .collect();
    for id in [
        "get_pull_request_raw_diff",
        "get_workflow_job_step_log",
        "list_repo_root_contents",
    ] {
        assert!(weak.contains(&id), "{id} not among the weak: {weak:?}");
    }
    assert!(
        report
            .undocumented
            .iter()
            .any(|r| r.2 == "dispatch_workflow")
    );
    let text = report.to_string();
    assert!(
        text.contains(&format!(
            "{:<18}  {:>3} (weaker evidence only)",
            "undocumented, weak",
            weak.len()
        )),
        "{text}"
    );
    assert!(
        text.contains("undocumented, weak: GET /api/v5/repos/{owner}/{repo}/pulls/{number}/diff"),
        "{text}"
    );
}
