//! A broken spec stops generation with an error naming the file and line,
//! and writes nothing.

mod support;

use support::spec_copy;

#[test]
fn invalid_yaml_is_reported_with_file_and_line() {
    let dir = spec_copy();
    let file = dir.path().join("spec/paths/tags.yaml");
    let lines = std::fs::read_to_string(&file).unwrap().lines().count();
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("  /broken: [unclosed\n");
    std::fs::write(&file, text).unwrap();

    let err = gitcode_codegen::generate(&dir.path().join("spec"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid YAML"), "{err}");
    assert!(err.contains("spec/paths/tags.yaml:"), "{err}");
    let line: usize = err
        .split("tags.yaml:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .expect("a line number");
    assert!(
        line > lines,
        "line {line} should be past the original {lines} lines: {err}"
    );
}

#[test]
fn a_failed_run_leaves_the_checked_in_files_untouched() {
    let dir = spec_copy();
    let out = dir.path().join("out");
    let before = "// the checked-in client\n";
    std::fs::create_dir_all(out.join("client/src/generated")).unwrap();
    std::fs::write(out.join(gitcode_codegen::generate::CLIENT_FILE), before).unwrap();

    let file = dir.path().join("spec/paths/labels.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("operationId: list_repo_labels", "operationId: get_issue", 1),
    )
    .unwrap();

    let result = gitcode_codegen::generate(&dir.path().join("spec"))
        .and_then(|files| gitcode_codegen::output::write_all(&out, &files));
    let err = result.unwrap_err().to_string();
    assert!(err.contains("duplicate operationId `get_issue`"), "{err}");
    assert!(err.contains("labels.yaml:"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join(gitcode_codegen::generate::CLIENT_FILE)).unwrap(),
        before
    );
}
