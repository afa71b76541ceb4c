//! `cargo xtask probe`: runs the probe binary, `gitcode-probe` (`main.rs`
//! beside this file, feature `probe`), which walks the read-only
//! operations against a repository and records them as HAR, then prints
//! the conformance report of that recording. The binary is apart so that
//! the other tasks never compile the client.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What `cargo xtask probe` was given.
pub struct Options<'a> {
    /// `OWNER/REPO`.
    pub repo: &'a str,
    /// The variable holding the token.
    pub token_env: &'a str,
    /// The server, when not api.gitcode.com.
    pub base_url: Option<&'a str>,
    /// The HAR file (default `target/probe/OWNER-REPO.har`).
    pub out: Option<&'a Path>,
    /// At most this many requests.
    pub max: usize,
    /// Requests a minute, when not GitCode's 50.
    pub per_minute: Option<u32>,
    /// `--json`: the report's JSON form.
    pub json: bool,
}

/// Runs the probe from the workspace root (`root`), then the report of
/// what it recorded. Exit 0; 1 when the probe stopped at a 401 (after the
/// report of what was recorded before it) or failed.
pub fn run(root: &Path, cwd: &Path, options: &Options<'_>) -> ExitCode {
    let out = match options.out {
        Some(out) => cwd.join(out),
        None => root
            .join("target/probe")
            .join(format!("{}.har", options.repo.replace('/', "-"))),
    };
    let mut command = crate::workspace::cargo();
    command.args([
        "run",
        "--quiet",
        "--package",
        "xtask",
        "--features",
        "probe",
        "--bin",
        "gitcode-probe",
        "--",
        "--repo",
        options.repo,
        "--token-env",
        options.token_env,
        "--max",
        &options.max.to_string(),
    ]);
    command.arg("--out").arg(&out);
    if let Some(url) = options.base_url {
        command.args(["--base-url", url]);
    }
    if let Some(n) = options.per_minute {
        command.args(["--per-minute", &n.to_string()]);
    }
    let status = match command.status() {
        Ok(status) => status,
        Err(e) => {
            eprintln!("probe: cannot run cargo: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stopped_at_401 = status.code() == Some(3);
    if !status.success() && !stopped_at_401 {
        eprintln!("probe: the probe failed ({status})");
        return ExitCode::FAILURE;
    }
    let files: Vec<PathBuf> = vec![out];
    let report = super::conformance::Options {
        files: &files,
        cwd,
        json: options.json,
        check: false,
        base_url: options.base_url,
    };
    let reported = super::conformance::run(root, &report);
    if stopped_at_401 || reported != ExitCode::SUCCESS {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
