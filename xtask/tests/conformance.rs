//! `cargo xtask conformance` as a maintainer runs it: the built `xtask`
//! binary on HAR files in a temporary folder, its output and exit codes.

use std::path::Path;
use std::process::{Command, Output};

const TOKEN: &str = "tok-0123456789";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("conformance")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the xtask binary runs")
}

fn write_har(dir: &Path, name: &str, answer: &str) {
    let entry = serde_json::json!({
        "request": {"method": "GET", "url": "http://127.0.0.1:9/api/v5/repos/o/r/issues/7",
                    "headers": [{"name": "Authorization", "value": format!("Bearer {TOKEN}")}]},
        "response": {"status": 200, "content": {"mimeType": "application/json", "text": answer}}
    });
    let har = serde_json::json!({"log": {"version": "1.2", "entries": [entry]}});
    std::fs::write(dir.join(name), har.to_string()).unwrap();
}

#[test]
fn check_fails_on_a_finding_and_passes_a_recording_that_fits() {
    let dir = tempfile::tempdir().unwrap();
    write_har(
        dir.path(),
        "bad.har",
        &format!("{{\"title\": \"t\", \"shadow\": \"{TOKEN}\"}}"),
    );
    write_har(
        dir.path(),
        "good.har",
        "{\"title\": \"t\", \"number\": \"7\"}",
    );
    let base = ["--base-url", "http://127.0.0.1:9"];

    let bad = run(dir.path(), &[&["--check", "bad.har"][..], &base].concat());
    let stdout = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("| response | unknown field | `Issue.shadow` | 1 | `\"[redacted]\"` | spec/components/issues.yaml:"),
        "{stdout}"
    );
    assert!(!stdout.contains(TOKEN), "{stdout}");

    let good = run(dir.path(), &[&["--check", "good.har"][..], &base].concat());
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(
        String::from_utf8_lossy(&good.stdout).contains("Every exchange checked fits the spec.")
    );

    // Without --base-url the loopback host is not the API's: nothing held.
    let elsewhere = run(dir.path(), &["--json", "bad.har"]);
    let report: serde_json::Value = serde_json::from_slice(&elsewhere.stdout).unwrap();
    assert_eq!(report["summary"]["other_hosts"], 1);
    assert_eq!(report["findings"], serde_json::json!([]));
}

#[test]
fn a_file_that_cannot_be_read_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cut.har"),
        "{\"log\": {\"entries\": [{\"req",
    )
    .unwrap();
    let out = run(dir.path(), &["cut.har"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "conformance: cut.har:1:26: in log.entries[0]: the JSON ends early: the file is cut off\n"
    );
}
