//! `cargo xtask bench --compile`: what the generated client costs its users
//! in build time, with every area against one area, and its size.
//!
//! In a target folder of its own, the client's dependencies are built once;
//! then, in alternating rounds, the `gitcode` crate alone is removed and
//! rebuilt (debug) with `--features full` and with `--features issues`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const VARIANTS: [&str; 2] = ["full", "issues"];

/// Runs the measurement and prints its table.
pub fn run(rounds: usize) -> Result<(), String> {
    let target = Path::new("target").join("bench-compile");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let cargo_in_target = |args: &[&str]| -> Result<Duration, String> {
        let started = Instant::now();
        let status = Command::new(&cargo)
            .args(args)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .map_err(|e| format!("bench: cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!(
                "bench: `cargo {}` failed ({status})",
                args.join(" ")
            ));
        }
        Ok(started.elapsed())
    };
    eprintln!("bench --compile: building the client's dependencies once");
    cargo_in_target(&["build", "--quiet", "-p", "gitcode", "--no-default-features"])?;
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); VARIANTS.len()];
    for round in 0..rounds {
        for (i, feature) in VARIANTS.iter().enumerate() {
            cargo_in_target(&["clean", "--quiet", "-p", "gitcode"])?;
            let took = cargo_in_target(&[
                "build",
                "--quiet",
                "-p",
                "gitcode",
                "--no-default-features",
                "--features",
                feature,
            ])?;
            eprintln!(
                "bench --compile: round {}, --features {feature}: {:.1} s",
                round + 1,
                took.as_secs_f64()
            );
            times[i].push(took);
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let full = median(&mut times[0]);
    let one = median(&mut times[1]);
    println!("| measurement | A | B | B / A |");
    println!("|---|---|---|---|");
    println!(
        "| build of the gitcode crate (debug, deps prebuilt): all areas (A) vs `issues` only (B); median of {rounds} | {:.1} s | {:.1} s | {:.2} |",
        full.as_secs_f64(),
        one.as_secs_f64(),
        one.as_secs_f64() / full.as_secs_f64()
    );
    for file in [
        "client/src/generated/client.rs",
        "client/src/generated/cli.rs",
        "client/src/generated/mock.rs",
    ] {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
        println!(
            "| size of `{file}` | {:.1} MB | {} lines | |",
            text.len() as f64 / 1e6,
            text.lines().count()
        );
    }
    Ok(())
}
