//! `gitcode-bench`: the measurements behind `cargo xtask bench`, built in
//! release mode. Every result is a ratio of two figures measured in the same
//! run; the absolute figures are printed for context only. A benchmark, not
//! a test: nothing here fails on a slow machine.
//!
//! 1. regen ([`regen`]): full generation against progenitor alone;
//! 2. per-request overhead ([`overhead`]): `gitcode` against plain reqwest +
//!    serde_json, for a small object and a 100-issue page;
//! 3. pagination memory ([`pagination_memory`]): peak heap streaming 10,000
//!    issues against 100.
//!
//! Usage: `gitcode-bench [--quick]` from anywhere in the workspace.

mod alloc;
mod overhead;
mod pagination_memory;
mod regen;
mod server;

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// Counts every allocation of this binary (and only this binary).
#[global_allocator]
static HEAP: alloc::CountingAlloc = alloc::CountingAlloc::new();

/// How long a run is.
struct Plan {
    name: &'static str,
    regen_iterations: usize,
    regen_warm_up: bool,
    overhead: overhead::Plan,
    memory_runs: usize,
}

const FULL: Plan = Plan {
    name: "full",
    regen_iterations: 5,
    regen_warm_up: true,
    overhead: overhead::Plan {
        rounds: 30,
        user_requests: 300,
        page_requests: 40,
    },
    memory_runs: 5,
};

const QUICK: Plan = Plan {
    name: "quick",
    regen_iterations: 1,
    regen_warm_up: false,
    overhead: overhead::Plan {
        rounds: 4,
        user_requests: 50,
        page_requests: 10,
    },
    memory_runs: 1,
};

fn main() -> ExitCode {
    let mut plan = &FULL;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quick" => plan = &QUICK,
            _ => {
                eprintln!("usage: gitcode-bench [--quick]");
                return ExitCode::FAILURE;
            }
        }
    }
    match run(plan) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run(plan: &Plan) -> Result<(), String> {
    // The workspace root, so that spec paths read `spec/...`.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace");
    std::env::set_current_dir(root).map_err(|e| format!("cannot enter {}: {e}", root.display()))?;

    let server = server::Server::start(alloc::exclude_this_thread)
        .map_err(|e| format!("bench: cannot start the test server: {e}"))?;

    eprintln!(
        "bench ({} run): regen, {} iteration(s)...",
        plan.name, plan.regen_iterations
    );
    let regen = regen::run(Path::new("spec"), plan.regen_iterations, plan.regen_warm_up)?;
    eprintln!(
        "bench: per-request overhead, {} round(s)...",
        plan.overhead.rounds
    );
    let overhead = overhead::run(&server.url, plan.overhead)?;
    eprintln!("bench: pagination memory, {} run(s)...", plan.memory_runs);
    let memory = pagination_memory::run(&server.url, plan.memory_runs)?;

    print!("{}", report(plan, &regen, &overhead, &memory));
    Ok(())
}

/// The median of `times` (the mean of the middle two for an even count).
pub fn median(times: &mut [Duration]) -> Duration {
    assert!(!times.is_empty(), "no samples");
    times.sort_unstable();
    let mid = times.len() / 2;
    if times.len() % 2 == 1 {
        times[mid]
    } else {
        (times[mid - 1] + times[mid]) / 2
    }
}

fn report(
    plan: &Plan,
    regen: &regen::Regen,
    overhead: &overhead::Overhead,
    memory: &pagination_memory::PaginationMemory,
) -> String {
    let ratio = |b: Duration, a: Duration| b.as_secs_f64() / a.as_secs_f64();
    let o = overhead.plan;
    let rows: Vec<[String; 4]> = vec![
        [
            "measurement".into(),
            "A".into(),
            "B".into(),
            "B / A".into(),
        ],
        [
            format!(
                "regen: Spec::load (A); median of {}",
                regen.iterations
            ),
            secs(regen.load),
            String::new(),
            String::new(),
        ],
        [
            "regen: progenitor alone on the loaded spec (A) vs full generate, no writes (B)"
                .into(),
            secs(regen.progenitor),
            secs(regen.full),
            format!("{:.2}", regen.ratio()),
        ],
        [
            format!(
                "GET user: reqwest + serde_json (A) vs gitcode, no rate limiter (B); {} x {} requests",
                o.rounds, o.user_requests
            ),
            micros(overhead.user_plain),
            micros(overhead.user_gitcode),
            format!("{:.2}", ratio(overhead.user_gitcode, overhead.user_plain)),
        ],
        [
            "GET user: reqwest + serde_json (A) vs gitcode, rate limiter 1,000,000/s (B)".into(),
            micros(overhead.user_plain),
            micros(overhead.user_gitcode_limited),
            format!(
                "{:.2}",
                ratio(overhead.user_gitcode_limited, overhead.user_plain)
            ),
        ],
        [
            format!(
                "GET 100-issue page: reqwest + serde_json (A) vs gitcode (B); {} x {} requests",
                o.rounds, o.page_requests
            ),
            micros(overhead.page_plain),
            micros(overhead.page_gitcode),
            format!("{:.2}", ratio(overhead.page_gitcode, overhead.page_plain)),
        ],
        [
            format!(
                "peak heap streaming {} issues (A) vs {} (B); largest of {}",
                pagination_memory::SMALL,
                thousands(pagination_memory::LARGE),
                memory.runs
            ),
            bytes(memory.small),
            bytes(memory.large),
            format!("{:.3}", memory.ratio()),
        ],
    ];
    let widths: Vec<usize> = (0..4)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = format!(
        "\ngitcode-rs benchmark ({} run, release build; times are medians, per request for GETs)\n\n",
        plan.name
    );
    for (i, row) in rows.iter().enumerate() {
        out.push_str(&format!(
            "| {:<w0$} | {:>w1$} | {:>w2$} | {:>w3$} |\n",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
        ));
        if i == 0 {
            let dashes: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
            out.push_str(&format!("|-{}-|\n", dashes.join("-|-")));
        }
    }
    out
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn bytes(n: isize) -> String {
    format!("{} B", thousands(n.max(0) as u64))
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_thousands() {
        let ms = Duration::from_millis;
        assert_eq!(median(&mut [ms(5), ms(1), ms(3)]), ms(3));
        assert_eq!(median(&mut [ms(4), ms(1), ms(2), ms(9)]), ms(3));
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(100), "100");
    }
}
