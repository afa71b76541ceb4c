//! `cargo xtask bench --compile`: what `gitcode` costs its users in build
//! time, against the oxide SDK (a progenitor-generated client of the same
//! reqwest).
//!
//! Five one-call downstream binaries are written under
//! `target/bench-compile/` and each is built (debug, the default profile of
//! a new crate, `CARGO_INCREMENTAL=0`) from an empty target folder, one
//! after the other in one run:
//!
//! - `floor`: the dependencies of `gitcode` with its default features, read
//!   from `cargo metadata` (so it follows `client/Cargo.toml`), without
//!   `gitcode`;
//! - `gitcode`: `gitcode` with its default features;
//! - `gitcode-issues`: `gitcode` with the `issues` area alone (and the
//!   default TLS);
//! - `floor-aws-lc`: the floor with reqwest's own default TLS (rustls with
//!   aws-lc-rs), the TLS the oxide SDK builds;
//! - `oxide`: the oxide SDK 0.19.
//!
//! Our own share is `gitcode` minus `floor`; the oxide SDK's is `oxide`
//! minus `floor-aws-lc`, so that neither share counts a TLS library.
//! Sources are fetched before the clock starts; builds run `--offline`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The oxide SDK release compared against.
const OXIDE: &str = "0.19";

/// What every binary adds for its `main`: a runtime.
const TOKIO_FOR_MAIN: &str =
    r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#;

/// Runs the measurement and prints its table.
pub fn run() -> Result<(), String> {
    let root = Path::new("target").join("bench-compile");
    let client = std::fs::canonicalize("client").map_err(|e| format!("bench: client/: {e}"))?;
    let lock =
        std::fs::read_to_string("Cargo.lock").map_err(|e| format!("bench: Cargo.lock: {e}"))?;
    let package = gitcode_package()?;
    let default_features = string_list(&package["features"]["default"]);
    let tls_default: Vec<String> = default_features
        .iter()
        .filter(|f| f.as_str() != "full")
        .cloned()
        .collect();
    let mut with_aws_lc: Vec<String> = vec!["full".into(), "rustls-aws-lc".into()];
    with_aws_lc.retain(|f| package["features"].get(f).is_some());

    let gitcode_dep = |features: Option<&[String]>| match features {
        None => format!("gitcode = {{ path = {:?} }}", client.display()),
        Some(features) => format!(
            "gitcode = {{ path = {:?}, default-features = false, features = {features:?} }}",
            client.display()
        ),
    };
    let mut issues_only = tls_default.clone();
    issues_only.push("issues".into());
    let builds = [
        Build {
            name: "floor",
            what: "the dependencies of `gitcode` (default features) alone".into(),
            dependencies: floor_dependencies(&package, &default_features)?,
            main: FLOOR_MAIN,
        },
        Build {
            name: "gitcode",
            what: "`gitcode`, default features".into(),
            dependencies: vec![gitcode_dep(None)],
            main: GITCODE_MAIN,
        },
        Build {
            name: "gitcode-issues",
            what: format!("`gitcode`, features {issues_only:?}"),
            dependencies: vec![gitcode_dep(Some(&issues_only))],
            main: GITCODE_MAIN,
        },
        Build {
            name: "floor-aws-lc",
            what: "the same floor with reqwest's default TLS (rustls, aws-lc-rs), as the oxide SDK has".into(),
            dependencies: floor_dependencies(&package, &with_aws_lc)?,
            main: FLOOR_MAIN,
        },
        Build {
            name: "oxide",
            what: format!("the oxide SDK {OXIDE} (progenitor-generated)"),
            dependencies: vec![format!("oxide = {OXIDE:?}")],
            main: OXIDE_MAIN,
        },
    ];
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut seconds = BTreeMap::new();
    for build in &builds {
        let dir = root.join(build.name);
        build.write(&dir, &lock)?;
        let took = build.measure(&dir, jobs)?;
        eprintln!(
            "bench --compile: {} ({}): {:.1} s",
            build.name,
            build.what,
            took.as_secs_f64()
        );
        seconds.insert(build.name, took.as_secs_f64());
    }
    print_table(&builds, &seconds, jobs);
    print_sizes()
}

/// One downstream binary.
struct Build {
    name: &'static str,
    what: String,
    /// `[dependencies]` lines, besides tokio for `main`.
    dependencies: Vec<String>,
    main: &'static str,
}

impl Build {
    /// Writes the crate, with the workspace's lock file so that the
    /// versions shared with `gitcode` are the ones it is tested with.
    fn write(&self, dir: &Path, lock: &str) -> Result<(), String> {
        let mut dependencies = self.dependencies.clone();
        if !dependencies.iter().any(|d| d.starts_with("tokio =")) {
            dependencies.push(TOKIO_FOR_MAIN.to_string());
        }
        let manifest = format!(
            "[package]\nname = \"bench-{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             # A workspace of its own, not a member of gitcode-rs's.\n[workspace]\n\n\
             [dependencies]\n{}\n",
            self.name,
            dependencies.join("\n")
        );
        let write = |path: PathBuf, text: &str| {
            std::fs::write(&path, text).map_err(|e| format!("bench: {}: {e}", path.display()))
        };
        std::fs::create_dir_all(dir.join("src"))
            .map_err(|e| format!("bench: {}: {e}", dir.display()))?;
        write(dir.join("Cargo.toml"), &manifest)?;
        write(dir.join("src/main.rs"), self.main)?;
        write(dir.join("Cargo.lock"), lock)
    }

    /// Fetches the sources, then times a build from an empty target folder
    /// (removed again afterwards: five of them do not fit a small disk).
    fn measure(&self, dir: &Path, jobs: usize) -> Result<Duration, String> {
        let manifest = dir.join("Cargo.toml");
        let target = dir.join("target");
        let remove = || match std::fs::remove_dir_all(&target) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(format!("bench: {}: {e}", target.display())),
        };
        run_cargo(
            &["fetch", "--quiet", "--manifest-path", path_str(&manifest)?],
            &target,
        )?;
        remove()?;
        let started = Instant::now();
        run_cargo(
            &[
                "build",
                "--quiet",
                "--offline",
                "--jobs",
                &jobs.to_string(),
                "--manifest-path",
                path_str(&manifest)?,
            ],
            &target,
        )?;
        let took = started.elapsed();
        remove()?;
        Ok(took)
    }
}

fn path_str(path: &Path) -> Result<&str, String> {
    path.to_str()
        .ok_or_else(|| format!("bench: {} is not UTF-8", path.display()))
}

/// Runs cargo with its own target folder and no incremental compilation
/// (a dependency from crates.io is never compiled incrementally).
fn run_cargo(args: &[&str], target: &Path) -> Result<(), String> {
    let status = super::cargo()
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .status()
        .map_err(|e| format!("bench: cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "bench: `cargo {}` failed ({status})",
            args.join(" ")
        ))
    }
}

/// `gitcode`'s entry in `cargo metadata` (dependencies as declared, with
/// the workspace's inherited ones filled in).
fn gitcode_package() -> Result<Value, String> {
    let metadata = super::workspace_metadata()?;
    metadata["packages"]
        .as_array()
        .and_then(|packages| packages.iter().find(|p| p["name"] == "gitcode"))
        .cloned()
        .ok_or_else(|| "bench: no package `gitcode` in cargo metadata".to_string())
}

fn string_list(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The `[dependencies]` lines of the floor: every normal dependency of
/// `gitcode` that `features` turn on, with the features they turn on.
fn floor_dependencies(package: &Value, features: &[String]) -> Result<Vec<String>, String> {
    let enabled = resolve_features(package, features)?;
    let mut lines = Vec::new();
    for dep in package["dependencies"].as_array().into_iter().flatten() {
        if !dep["kind"].is_null() {
            continue; // dev or build
        }
        let name = dep["name"].as_str().unwrap_or_default();
        let optional = dep["optional"].as_bool().unwrap_or(false);
        if optional && !enabled.deps.contains(name) {
            continue;
        }
        let mut dep_features: BTreeSet<String> =
            string_list(&dep["features"]).into_iter().collect();
        dep_features.extend(enabled.dep_features.get(name).cloned().unwrap_or_default());
        if dep["source"]
            .as_str()
            .is_none_or(|s| !s.starts_with("registry+"))
        {
            return Err(format!("bench: dependency `{name}` is not from a registry"));
        }
        lines.push(format!(
            "{name} = {{ version = {:?}, default-features = {}, features = {:?} }}",
            dep["req"].as_str().unwrap_or("*"),
            dep["uses_default_features"].as_bool().unwrap_or(true),
            dep_features.iter().collect::<Vec<_>>()
        ));
    }
    Ok(lines)
}

/// What a set of features of `gitcode` turns on.
#[derive(Default, Debug)]
struct Enabled {
    deps: BTreeSet<String>,
    dep_features: BTreeMap<String, BTreeSet<String>>,
}

/// Follows `features` through `gitcode`'s feature table: `dep:x` and `x`
/// (an optional dependency) turn `x` on, `x/f` turns on `x` and its
/// feature `f`, `x?/f` the feature only if `x` is on anyway.
fn resolve_features(package: &Value, features: &[String]) -> Result<Enabled, String> {
    let table = package["features"]
        .as_object()
        .ok_or("bench: `gitcode` has no feature table")?;
    let optional: BTreeSet<&str> = package["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["optional"].as_bool() == Some(true))
        .filter_map(|d| d["name"].as_str())
        .collect();
    let mut enabled = Enabled::default();
    let mut weak: Vec<(String, String)> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = features.to_vec();
    while let Some(feature) = todo.pop() {
        if !seen.insert(feature.clone()) {
            continue;
        }
        if let Some(dep) = feature.strip_prefix("dep:") {
            enabled.deps.insert(dep.to_string());
            continue;
        }
        if let Some((dep, dep_feature)) = feature.split_once('/') {
            match dep.strip_suffix('?') {
                Some(dep) => weak.push((dep.to_string(), dep_feature.to_string())),
                None => {
                    if optional.contains(dep) {
                        enabled.deps.insert(dep.to_string());
                    }
                    enabled
                        .dep_features
                        .entry(dep.to_string())
                        .or_default()
                        .insert(dep_feature.to_string());
                }
            }
            continue;
        }
        match table.get(&feature) {
            Some(entries) => todo.extend(string_list(entries)),
            None if optional.contains(feature.as_str()) => {
                enabled.deps.insert(feature);
            }
            None => return Err(format!("bench: `gitcode` has no feature `{feature}`")),
        }
    }
    for (dep, dep_feature) in weak {
        if enabled.deps.contains(&dep) {
            enabled
                .dep_features
                .entry(dep)
                .or_default()
                .insert(dep_feature);
        }
    }
    Ok(enabled)
}

fn print_table(builds: &[Build], s: &BTreeMap<&str, f64>, jobs: usize) {
    println!("| clean debug build of a one-call binary (`-j{jobs}`, one run) | seconds |");
    println!("|---|---|");
    for build in builds {
        println!(
            "| `{}`: {} | {:.1} |",
            build.name, build.what, s[build.name]
        );
    }
    let ours = s["gitcode"] - s["floor"];
    let one_area = s["gitcode-issues"] - s["floor"];
    let oxide = s["oxide"] - s["floor-aws-lc"];
    println!();
    println!("| ratio | value | target |");
    println!("|---|---|---|");
    println!(
        "| `gitcode` / `oxide` (whole build) | {:.2} | ≤ 0.75 |",
        s["gitcode"] / s["oxide"]
    );
    println!(
        "| own share: (`gitcode` − `floor`) / (`oxide` − `floor-aws-lc`) = {ours:.1} s / {oxide:.1} s | {:.2} | ≤ 0.6 |",
        ours / oxide
    );
    println!(
        "| one area: (`gitcode-issues` − `floor`) / (`gitcode` − `floor`) = {one_area:.1} s / {ours:.1} s | {:.2} | ≤ 0.25 |",
        one_area / ours
    );
}

/// The size of the generated source, by part.
fn print_sizes() -> Result<(), String> {
    println!();
    println!("| generated source | MB | lines |");
    println!("|---|---|---|");
    for part in [
        "client/src/generated/client/types",
        "client/src/generated/client/builder",
        "client/src/generated/client.rs",
        "client/src/generated/cli.rs",
        "client/src/generated/mock.rs",
    ] {
        let (bytes, lines) = size_of(Path::new(part))?;
        println!("| `{part}` | {:.1} | {lines} |", bytes as f64 / 1e6);
    }
    Ok(())
}

/// Bytes and lines of a file, or of the `.rs` files of a folder.
fn size_of(path: &Path) -> Result<(usize, usize), String> {
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    if path.is_file() {
        let text = read(path)?;
        return Ok((text.len(), text.lines().count()));
    }
    let mut total = (0, 0);
    let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
    for entry in entries {
        let p = entry
            .map_err(|e| format!("{}: {e}", path.display()))?
            .path();
        if p.extension().is_some_and(|e| e == "rs") {
            let text = read(&p)?;
            total.0 += text.len();
            total.1 += text.lines().count();
        }
    }
    Ok(total)
}

/// The floor's one call: what the other two do, by hand.
const FLOOR_MAIN: &str = r#"#[derive(Debug, serde::Deserialize)]
struct Issue {
    title: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let issue: Issue = reqwest::Client::new()
        .get("https://api.gitcode.com/api/v5/repos/o/r/issues/1")
        .send()
        .await?
        .json()
        .await?;
    println!("{:?}", issue.title);
    Ok(())
}
"#;

const GITCODE_MAIN: &str = r#"use gitcode::prelude::*;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = gitcode::Client::builder().build()?;
    let issue = client.get_issue().owner("o").repo("r").number("1").send().await?;
    println!("{:?}", issue.title);
    Ok(())
}
"#;

const OXIDE_MAIN: &str = r#"use oxide::prelude::*;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = oxide::Client::new("https://oxide.example");
    let project = client.project_view().project("p").send().await?;
    println!("{:?}", project.name);
    Ok(())
}
"#;
