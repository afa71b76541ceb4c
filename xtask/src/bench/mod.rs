//! `cargo xtask bench`: runs the benchmark binary, `gitcode-bench`
//! (`main.rs` beside this file, with the other files of this folder), built
//! in release mode with the `bench` feature. It is a binary of its own so
//! that its counting global allocator and the client it links stay out of
//! the other tasks.

use crate::workspace::cargo;

mod compile;
mod mcp;

/// Runs the benchmark from the current folder (the workspace root); with
/// `compile`, the build-time measurement instead (clean builds: one run,
/// `quick` or not); with `mcp`, the MCP server's startup and list sizes.
pub fn run(quick: bool, compile: bool, mcp: bool) -> Result<(), String> {
    if compile {
        return compile::run();
    }
    if mcp {
        return mcp::run();
    }
    let mut command = cargo();
    command.args([
        "run",
        "--release",
        "--package",
        "xtask",
        "--features",
        "bench",
        "--bin",
        "gitcode-bench",
        "--",
    ]);
    if quick {
        command.arg("--quick");
    }
    let status = command
        .status()
        .map_err(|e| format!("bench: cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("bench: the benchmark failed ({status})"))
    }
}

/// `cargo metadata` of the workspace (its own packages, no dependencies).
fn workspace_metadata() -> Result<serde_json::Value, String> {
    let out = cargo()
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .output()
        .map_err(|e| format!("bench: cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "bench: cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("bench: cargo metadata printed no JSON: {e}"))
}
