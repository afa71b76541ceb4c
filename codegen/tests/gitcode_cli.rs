//! The audit of gitcode-cli's `api/` package (`fixtures/gitcode-cli/`)
//! against the spec: every request of every exported function maps to the
//! operation its row names, or to none for the reason `unmapped.tsv` gives.
//! And the table against a fresh import of a gitcode-cli checkout, when one
//! is beside the workspace.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gitcode_codegen::evidence::gitcode_cli::{
    Row, Source, TABLE, UNMAPPED, hold, import, load, load_reasons,
};
use gitcode_codegen::spec::Spec;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec() -> Spec {
    Spec::load(&root().join("spec")).unwrap_or_else(|e| panic!("{e}"))
}

fn row(function: &str, method: &str, path: &str, operation: Option<&str>, reason: &str) -> Row {
    Row {
        function: function.into(),
        file: "api/x.go".into(),
        method: method.into(),
        path: path.into(),
        operation: operation.map(String::from),
        reason: reason.into(),
        via: String::new(),
    }
}

#[test]
fn every_row_of_the_table_holds_against_the_spec() {
    let spec = spec();
    let rows = load(&root()).unwrap_or_else(|e| panic!("{e}"));
    let reasons = load_reasons(&root()).unwrap_or_else(|e| panic!("{e}"));
    assert!(rows.len() > 100, "only {} row(s) in {TABLE}", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        for problem in hold(&spec, row) {
            failures.push(format!(
                "{} ({}) {} {}: {problem}",
                row.function, row.file, row.method, row.path
            ));
        }
        // A `-` row's reason is the one unmapped.tsv gives it.
        if row.operation.is_none() {
            let given = reasons.iter().find(|r| {
                (r.function == row.function || r.function == row.via)
                    && r.method == row.method
                    && r.path == row.path
            });
            match given {
                Some(r) if r.reason == row.reason => {}
                Some(r) => failures.push(format!(
                    "{}: the table's reason differs from {}'s; run `cargo xtask import-gitcode-cli` again",
                    row.function, r.origin
                )),
                None => failures.push(format!(
                    "{} {} {}: no reason in {UNMAPPED}",
                    row.function, row.method, row.path
                )),
            }
        }
    }
    // Every reason is used by a row.
    for reason in &reasons {
        let used = rows.iter().any(|r| {
            r.operation.is_none()
                && (r.function == reason.function || r.via == reason.function)
                && r.method == reason.method
                && r.path == reason.path
        });
        if !used {
            failures.push(format!(
                "{}: no row of {TABLE} is {} {} {}",
                reason.origin, reason.function, reason.method, reason.path
            ));
        }
    }
    let functions: BTreeSet<&str> = rows.iter().map(|r| r.function.as_str()).collect();
    let operations: BTreeSet<&str> = rows.iter().filter_map(|r| r.operation.as_deref()).collect();
    eprintln!(
        "{} row(s) of {} function(s), {} operation(s), {} unmapped",
        rows.len(),
        functions.len(),
        operations.len(),
        rows.iter().filter(|r| r.operation.is_none()).count()
    );
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_row_that_disagrees_with_the_spec_is_named() {
    let spec = spec();
    // Fits: the documented issue fetch.
    let fits = row(
        "GetIssue",
        "GET",
        "/api/v5/repos/{owner}/{repo}/issues/{number}",
        Some("get_issue"),
        "",
    );
    assert_eq!(hold(&spec, &fits), Vec::<String>::new());
    // Another operation at that method and path.
    let wrong = row(
        "GetIssue",
        "GET",
        "/api/v5/repos/{owner}/{repo}/issues/{number}",
        Some("update_issue"),
        "",
    );
    let problems = hold(&spec, &wrong).join("\n");
    assert!(problems.contains("`update_issue` is PATCH"), "{problems}");
    assert!(
        problems.contains("matches `get_issue`, not `update_issue`"),
        "{problems}"
    );
    // An operationId the spec lacks.
    let gone = row("X", "GET", "/api/v5/nowhere", Some("no_such_operation"), "");
    let problems = hold(&spec, &gone).join("\n");
    assert!(
        problems.contains("`no_such_operation` is not in the spec"),
        "{problems}"
    );
    // `-` without a reason, and `-` for a request the spec now has.
    let bare = row("X", "GET", "/api/v5/nowhere", None, "");
    assert!(hold(&spec, &bare).join("\n").contains("has no reason"));
    let stale = row(
        "GetIssue",
        "GET",
        "/api/v5/repos/{owner}/{repo}/issues/{number}",
        None,
        "why not",
    );
    assert!(
        hold(&spec, &stale)
            .join("\n")
            .contains("now matches `get_issue`")
    );
}

#[test]
fn the_table_is_up_to_date_with_a_gitcode_cli_checkout_beside_the_workspace() {
    let root = root();
    let Some(source) = Source::beside(&root) else {
        eprintln!(
            "{TABLE} not compared: no gitcode-cli checkout at {} (set GITCODE_CLI_DIR to one)",
            root.join(gitcode_codegen::evidence::gitcode_cli::BESIDE)
                .display()
        );
        return;
    };
    let source = source.unwrap_or_else(|e| panic!("{e}"));
    let (files, _) = import(&root, &source).unwrap_or_else(|e| panic!("{e}"));
    let drifted = gitcode_codegen::output::drift(&root, &files);
    assert!(
        drifted.is_empty(),
        "{}",
        gitcode_codegen::output::drift_report(
            "fixtures/gitcode-cli differs from the checkout",
            &drifted,
            "cargo xtask import-gitcode-cli DIR",
        )
    );
}
