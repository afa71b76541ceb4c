//! `cargo xtask bench --mcp`: what an agent's host waits for and reads when
//! it starts `gitcode mcp`: the time until `initialize` is answered and
//! until `tools/list` is, and the size of the `tools/list` answer, for the
//! default toolsets, `all` and `--dynamic`. The binary is built in release
//! mode with the `mcp` feature; each figure is the median of several
//! starts, and the startup is also given as a ratio to `gitcode --version`
//! run in the same loop (the cost of starting the process at all).
//! Nothing is sent to GitCode: listing tools needs no request.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::cargo;

const RUNS: usize = 7;

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}"#;
const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;
const LIST: &str = r#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#;

/// One start of the server.
struct Start {
    initialize: Duration,
    list: Duration,
    bytes: usize,
    tools: usize,
}

pub fn run() -> Result<(), String> {
    let status = cargo()
        .args([
            "build",
            "--release",
            "--package",
            "gitcode",
            "--features",
            "mcp",
            "--bin",
            "gitcode",
        ])
        .status()
        .map_err(|e| format!("bench --mcp: cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("bench --mcp: the build failed ({status})"));
    }
    let binary = target_dir()?.join("release").join("gitcode");
    let config = std::env::temp_dir().join(format!("gitcode-bench-mcp-{}", std::process::id()));
    std::fs::create_dir_all(&config).map_err(|e| e.to_string())?;

    println!("gitcode mcp over stdio, release build, median of {RUNS} starts");
    println!(
        "| tools | listed | initialize answered | tools/list answered | vs `gitcode --version` | tools/list size |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (label, args) in [
        ("default", &[][..]),
        ("default, --no-destructive", &["--no-destructive"][..]),
        ("all", &["--toolsets", "all"][..]),
        (
            "all, --no-destructive",
            &["--toolsets", "all", "--no-destructive"][..],
        ),
        ("--dynamic", &["--dynamic"][..]),
    ] {
        let mut starts = Vec::new();
        let mut floors = Vec::new();
        for _ in 0..RUNS {
            floors.push(version(&binary)?);
            starts.push(start(&binary, args, &config)?);
        }
        let initialize = median(starts.iter().map(|s| s.initialize).collect());
        let list = median(starts.iter().map(|s| s.list).collect());
        let floor = median(floors);
        let first = &starts[0];
        println!(
            "| {label} | {} | {:.1} ms | {:.1} ms | {:.2} | {:.0} KiB ({} bytes) |",
            first.tools,
            ms(initialize),
            ms(list),
            initialize.as_secs_f64() / floor.as_secs_f64(),
            first.bytes as f64 / 1024.0,
            first.bytes
        );
    }
    let _ = std::fs::remove_dir_all(&config);
    Ok(())
}

/// Starts `gitcode mcp ARGS`, initializes, lists the tools, stops it.
fn start(binary: &Path, args: &[&str], config: &Path) -> Result<Start, String> {
    let began = Instant::now();
    let mut child = Command::new(binary)
        .arg("mcp")
        .args(args)
        .env_remove("GITCODE_TOKEN")
        .env("GITCODE_BASE_URL", "http://127.0.0.1:9")
        .env("GITCODE_CONFIG_DIR", config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("bench --mcp: cannot start {}: {e}", binary.display()))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let mut line = String::new();
    let result = (|| {
        writeln!(stdin, "{INITIALIZE}").map_err(|e| e.to_string())?;
        stdout.read_line(&mut line).map_err(|e| e.to_string())?;
        let initialize = began.elapsed();
        if !line.contains("\"serverInfo\"") {
            return Err(format!("bench --mcp: not an initialize answer: {line}"));
        }
        line.clear();
        writeln!(stdin, "{INITIALIZED}\n{LIST}").map_err(|e| e.to_string())?;
        stdout.read_line(&mut line).map_err(|e| e.to_string())?;
        let list = began.elapsed();
        let answer: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| format!("bench --mcp: tools/list is not JSON: {e}"))?;
        let tools = answer["result"]["tools"]
            .as_array()
            .map(Vec::len)
            .ok_or_else(|| format!("bench --mcp: no tools in {}", &line[..line.len().min(200)]))?;
        Ok(Start {
            initialize,
            list,
            bytes: line.trim_end().len(),
            tools,
        })
    })();
    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// How long `gitcode --version` takes from spawn to exit.
fn version(binary: &Path) -> Result<Duration, String> {
    let began = Instant::now();
    let status = Command::new(binary)
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!(
            "bench --mcp: `gitcode --version` failed ({status})"
        ));
    }
    Ok(began.elapsed())
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Cargo's target folder (`CARGO_TARGET_DIR` or the workspace's `target`).
fn target_dir() -> Result<PathBuf, String> {
    super::workspace_metadata()?["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| "bench --mcp: no target_directory in cargo metadata".into())
}
