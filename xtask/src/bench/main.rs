//! `gitcode-bench`: the measurements behind `cargo xtask bench`, built in
//! release mode. Every result is a ratio of two figures measured in the same
//! run; the absolute figures are printed for context only. A benchmark, not
//! a test: nothing here fails on a slow machine.
//!
//! 1. regen ([`regen`]): full generation against progenitor alone;
//! 2. per-request overhead ([`overhead`]): `gitcode` against plain reqwest +
//!    serde_json, for a small object (also with recording on) and a
//!    100-issue page;
//! 3. pagination memory ([`pagination_memory`]): peak heap streaming 10,000
//!    issues against 100;
//! 4. decoding ([`decode`]): the 100-issue page in tolerant mode against
//!    serde_json alone and against strict mode, and a page that needs a
//!    repair in every issue;
//! 5. limited throughput ([`limited`]): 300 GETs from 20 tasks under a
//!    limit the server enforces on arrival, against the least time the
//!    limit allows, and the 429s the server sent;
//! 6. the same across processes ([`shared_limited`]): 4 processes x 75 GETs
//!    sharing the limit through one `redis-server`.
//!
//! Usage: `gitcode-bench [--quick]` from anywhere in the workspace.

mod alloc;
mod decode;
mod limited;
mod overhead;
mod pagination_memory;
mod regen;
mod server;
mod shared_limited;

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
    decode_rounds: usize,
    decodes_per_round: usize,
    /// The limit of the limited-throughput run (client and server alike).
    limited: gitcode::rate_limit::Limit,
}

const FULL: Plan = Plan {
    name: "full",
    regen_iterations: 7,
    regen_warm_up: true,
    // Many short rounds: a burst of load from elsewhere spoils a few rounds
    // rather than shifting every one.
    overhead: overhead::Plan {
        rounds: 150,
        user_requests: 60,
        page_requests: 8,
    },
    memory_runs: 5,
    decode_rounds: 60,
    decodes_per_round: 40,
    // The limit and load of issue 19's report: about 20 s.
    limited: gitcode::rate_limit::Limit::new(100, Duration::from_secs(10)),
};

const QUICK: Plan = Plan {
    name: "quick",
    regen_iterations: 1,
    regen_warm_up: false,
    overhead: overhead::Plan {
        rounds: 10,
        user_requests: 20,
        page_requests: 4,
    },
    memory_runs: 1,
    decode_rounds: 6,
    decodes_per_round: 10,
    limited: gitcode::rate_limit::Limit::new(100, Duration::from_secs(1)),
};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(shared_limited::WORKER_FLAG) {
        return match shared_limited::worker(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("{message}");
                ExitCode::FAILURE
            }
        };
    }
    let mut plan = &FULL;
    for arg in args {
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
    eprintln!("bench: decoding, {} round(s)...", plan.decode_rounds);
    let decode = decode::run(plan.decode_rounds, plan.decodes_per_round)?;
    eprintln!(
        "bench: limited throughput, {} requests at {} per {:?}...",
        limited::REQUESTS,
        plan.limited.requests,
        plan.limited.per
    );
    let limited = limited::run(plan.limited)?;
    eprintln!(
        "bench: limited throughput across {} processes, {} requests each, shared through redis-server...",
        shared_limited::PROCESSES,
        shared_limited::PER_PROCESS
    );
    let shared = shared_limited::run(plan.limited)?;

    print!(
        "{}",
        report(plan, &regen, &overhead, &memory, &decode, &limited, &shared)
    );
    Ok(())
}

/// The median of `times` (the mean of the middle two for an even count).
pub fn median(times: &[Duration]) -> Duration {
    assert!(!times.is_empty(), "no samples");
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2
    }
}

/// The first and third quartiles (nearest rank) of the ratios `b[i] / a[i]`
/// of samples taken side by side.
pub fn ratio_quartiles(a: &[Duration], b: &[Duration]) -> (f64, f64) {
    assert!(!a.is_empty() && a.len() == b.len(), "paired samples");
    let mut ratios: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(a, b)| b.as_secs_f64() / a.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let rank =
        |q: f64| ratios[((q * ratios.len() as f64).ceil() as usize).clamp(1, ratios.len()) - 1];
    (rank(0.25), rank(0.75))
}

/// One row comparing two sets of paired timings.
fn timed_row(
    what: String,
    a: &[Duration],
    b: &[Duration],
    show: fn(Duration) -> String,
) -> [String; 5] {
    let (a_median, b_median) = (median(a), median(b));
    let (q1, q3) = ratio_quartiles(a, b);
    [
        what,
        show(a_median),
        show(b_median),
        format!("{:.2}", b_median.as_secs_f64() / a_median.as_secs_f64()),
        format!("{q1:.2} - {q3:.2}"),
    ]
}

fn report(
    plan: &Plan,
    regen: &regen::Regen,
    overhead: &overhead::Overhead,
    memory: &pagination_memory::PaginationMemory,
    decode: &decode::Decode,
    limited: &limited::Limited,
    shared: &Option<shared_limited::SharedLimited>,
) -> String {
    let o = overhead.plan;
    let memory_row = |small: u64, a: isize, b: isize| {
        [
            format!(
                "peak heap streaming {} issues (A) vs {} (B); largest of {}",
                thousands(small),
                thousands(pagination_memory::LARGE),
                memory.runs
            ),
            bytes(a),
            bytes(b),
            format!("{:.3}", b as f64 / a as f64),
            String::new(),
        ]
    };
    let rows: Vec<[String; 5]> = vec![
        [
            "measurement".into(),
            "A".into(),
            "B".into(),
            "B / A".into(),
            "B / A, p25 - p75".into(),
        ],
        [
            format!("regen: Spec::load; {} iteration(s)", regen.load.len()),
            secs(median(&regen.load)),
            String::new(),
            String::new(),
            String::new(),
        ],
        timed_row(
            "regen: progenitor alone, formatted client (A) vs our generate_from (B); loaded spec, no writes".into(),
            &regen.progenitor,
            &regen.full,
            secs,
        ),
        timed_row(
            format!(
                "GET user: reqwest + serde_json (A) vs gitcode, no rate limiter (B); {} x {}",
                o.rounds, o.user_requests
            ),
            &overhead.user_plain,
            &overhead.user_gitcode,
            micros,
        ),
        timed_row(
            "GET user: reqwest + serde_json (A) vs gitcode, limiter 1,000,000/s (B)".into(),
            &overhead.user_plain,
            &overhead.user_gitcode_limited,
            micros,
        ),
        timed_row(
            "GET user: reqwest + serde_json (A) vs gitcode, recording to a new HAR file each round (B)"
                .into(),
            &overhead.user_plain,
            &overhead.user_gitcode_recording,
            micros,
        ),
        timed_row(
            format!(
                "GET 100-issue page: reqwest + serde_json (A) vs gitcode (B); {} x {}",
                o.rounds, o.page_requests
            ),
            &overhead.page_plain,
            &overhead.page_gitcode,
            micros,
        ),
        memory_row(pagination_memory::SMALL, memory.small, memory.large),
        memory_row(pagination_memory::MIDDLE, memory.middle, memory.large),
        timed_row(
            format!(
                "decode 100-issue page: serde_json into Vec<Issue> (A) vs tolerant decoder (B); {} rounds",
                decode.rounds
            ),
            &decode.serde,
            &decode.tolerant,
            micros,
        ),
        timed_row(
            "decode 100-issue page: strict (A) vs tolerant (B)".into(),
            &decode.strict,
            &decode.tolerant,
            micros,
        ),
        timed_row(
            "decode 100-issue page: serde_json (A) vs tolerant, one value left out per issue (B)"
                .into(),
            &decode.serde,
            &decode.repaired,
            micros,
        ),
        [
            format!(
                "limited throughput: {} GETs from {} tasks, limit {} per {} s on arrival: least time the limit allows (A) vs the run (B)",
                limited::REQUESTS,
                limited::TASKS,
                limited.limit.requests,
                limited.limit.per.as_secs_f64()
            ),
            secs(limited.least),
            secs(limited.elapsed),
            format!("{:.3}", limited.elapsed.as_secs_f64() / limited.least.as_secs_f64()),
            format!(
                "429s from the server: {}; failed calls: {}",
                limited.too_many, limited.failed
            ),
        ],
        shared_row(shared),
    ];
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = format!(
        "\ngitcode-rs benchmark ({} run, release build). Times are medians over \
         iterations or rounds (GETs: per request, rounds x requests per round); \
         the last column is the spread of the per-round ratios.\n\n",
        plan.name
    );
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, &w))| {
                let pad = " ".repeat(w - cell.chars().count());
                if c == 0 {
                    format!("{cell}{pad}")
                } else {
                    format!("{pad}{cell}")
                }
            })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            let dashes: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
            out.push_str(&format!("|-{}-|\n", dashes.join("-|-")));
        }
    }
    out
}

/// The row of [`shared_limited`]: like the in-process row, or a note when
/// `redis-server` is not installed.
fn shared_row(shared: &Option<shared_limited::SharedLimited>) -> [String; 5] {
    let what = |limit: String| {
        format!(
            "limited throughput, shared: {} processes x {} GETs ({} tasks each), {limit} on arrival, through one redis-server: least time (A) vs the run (B)",
            shared_limited::PROCESSES,
            shared_limited::PER_PROCESS,
            shared_limited::TASKS,
        )
    };
    match shared {
        Some(shared) => [
            what(format!(
                "limit {} per {} s",
                shared.limit.requests,
                shared.limit.per.as_secs_f64()
            )),
            secs(shared.least),
            secs(shared.elapsed),
            format!(
                "{:.3}",
                shared.elapsed.as_secs_f64() / shared.least.as_secs_f64()
            ),
            format!(
                "429s from the server: {}; failed calls: {}",
                shared.too_many, shared.failed
            ),
        ],
        None => [
            what("the same limit".into()),
            String::new(),
            String::new(),
            String::new(),
            "not measured: redis-server is not installed".into(),
        ],
    }
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
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
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
    fn medians_quartiles_and_thousands() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(5), ms(1), ms(3)]), ms(3));
        assert_eq!(median(&[ms(4), ms(1), ms(2), ms(9)]), ms(3));
        // Ratios 2, 1, 4, 3 (paired by position, not by size).
        let a = [ms(1), ms(4), ms(1), ms(2)];
        let b = [ms(2), ms(4), ms(4), ms(6)];
        assert_eq!(ratio_quartiles(&a, &b), (1.0, 3.0));
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(100), "100");
    }
}
