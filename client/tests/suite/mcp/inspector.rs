//! A second real MCP client: the official MCP Inspector's CLI, whose
//! `--strict` lint reports tool schemas that some model providers reject
//! (a `type` list, among others). `.ci/run` installs it into
//! `target/tools` (npm `@modelcontextprotocol/inspector`) and names it in
//! `MCP_INSPECTOR`; elsewhere the test looks there too, and says so when it
//! finds none. In CI (`CI=true`) a missing Inspector fails the test.

use std::path::PathBuf;
use std::process::Command;

/// The Inspector's executable, if installed.
fn inspector() -> Option<PathBuf> {
    let path = std::env::var_os("MCP_INSPECTOR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../target/tools/node_modules/.bin/mcp-inspector")
        });
    path.is_file().then_some(path)
}

#[test]
fn the_inspectors_strict_lint_finds_nothing_in_any_tool() {
    let Some(inspector) = inspector() else {
        let message = "no MCP Inspector (set MCP_INSPECTOR, or `npm install --prefix target/tools \
                       @modelcontextprotocol/inspector@2.12.0`): its strict lint was not run";
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
        eprintln!("skipped: {message}");
        return;
    };
    let config = tempfile::tempdir().expect("a temporary directory");
    let output = Command::new(&inspector)
        .args(["--cli", "--method", "tools/list", "--strict"])
        .arg(env!("CARGO_BIN_EXE_gitcode"))
        .args(["mcp", "--toolsets", "all"])
        // The Inspector passes its environment to the server it starts.
        .env("GITCODE_TOKEN", super::TOKEN)
        .env("GITCODE_BASE_URL", "http://127.0.0.1:9")
        .env("HOME", config.path())
        .env("XDG_CONFIG_HOME", config.path())
        .env("GITCODE_CONFIG_DIR", config.path())
        .env("MCP_CATALOG_PATH", config.path().join("mcp.json"))
        .output()
        .expect("the Inspector runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the Inspector failed ({}):\n{stderr}",
        output.status
    );
    // With --strict every finding is a `Warning:` or `Error:` block on
    // standard error, with a count line; a clean list prints neither.
    assert!(
        !stderr.contains("Warning: tool") && !stderr.contains("Error: tool"),
        "the Inspector's strict lint:\n{stderr}"
    );
    assert!(!stderr.contains("warnings across"), "{stderr}");
    let listed: serde_json::Value = serde_json::from_str(&stdout).expect("tools/list as JSON");
    assert_eq!(
        listed["tools"].as_array().map(Vec::len),
        Some(gitcode::mcp::tools().len()),
        "every tool listed"
    );
    assert!(!stdout.contains(super::TOKEN));
}
