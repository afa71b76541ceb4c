//! `gitcode-probe`: the network half of `cargo xtask probe`, a binary of
//! its own (feature `probe`) so that the other tasks never compile the
//! client.
//!
//! It walks the plan of `gitcode_codegen::evidence::probe` against the server with
//! the `gitcode` client (its token, its rate limiter, its retries),
//! recording every exchange as HAR with `gitcode::record`, and prints a
//! summary. Only `GET` and `HEAD` are ever sent ([`walk::read_only`] stands
//! before every request). Exit status: 0 when the walk ended, 3 when it
//! stopped at a 401, 2 when it could not start.
//!
//! Usage: `gitcode-probe --repo OWNER/REPO --out FILE [--token-env VAR]
//! [--base-url URL] [--max N] [--per-minute N]`.

mod walk;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use gitcode::rate_limit::{GITCODE_LIMITS, Limit};
use gitcode::record::Recorder;
use gitcode_codegen::evidence::probe::Plan;
use gitcode_codegen::spec::Spec;

#[derive(Parser)]
#[command(
    name = "gitcode-probe",
    about = "Walks the read-only operations of the spec against a repository, recording them as HAR"
)]
struct Args {
    /// The repository, `OWNER/REPO`.
    #[arg(long)]
    repo: String,
    /// The HAR file to write.
    #[arg(long)]
    out: PathBuf,
    /// The environment variable that holds the token.
    #[arg(long, default_value = "GITCODE_TOKEN")]
    token_env: String,
    /// The server (default `https://api.gitcode.com`).
    #[arg(long)]
    base_url: Option<String>,
    /// Send at most this many requests.
    #[arg(long, default_value_t = 100)]
    max: usize,
    /// Requests a minute (default: GitCode's limit, 50).
    #[arg(long)]
    per_minute: Option<u32>,
}

/// Exit status when the walk stopped at a 401.
const STOPPED_AT_401: u8 = 3;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(walked) if matches!(walked.stopped, Some(walk::Stop::Unauthorized(_))) => {
            ExitCode::from(STOPPED_AT_401)
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("probe: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<walk::Walked, String> {
    let token = std::env::var(&args.token_env)
        .ok()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            format!(
                "no token: set {} (or name another variable with --token-env)",
                args.token_env
            )
        })?;
    let spec_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let spec = Spec::load(&spec_dir).map_err(|e| e.to_string())?;
    let mut plan = Plan::new(&spec, &args.repo)?;
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let recorder = Recorder::to_file(&args.out);
    let mut builder = gitcode::Client::builder()
        .token(token)
        .record(recorder.clone());
    if let Some(url) = &args.base_url {
        builder = builder.base_url(url.clone());
    }
    if let Some(per_minute) = args.per_minute {
        let mut limits = GITCODE_LIMITS.to_vec();
        limits[0] = Limit::new(per_minute, Duration::from_secs(60));
        builder = builder.rate_limits(limits);
    }
    let client = builder.build().map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let walked = runtime.block_on(walk::walk(&client, &mut plan, args.max))?;
    drop(client);
    recorder
        .flush()
        .map_err(|e| format!("cannot write {}: {e}", args.out.display()))?;
    eprint!("{}", walk::summary(&walked, &args.repo));
    match recorder.stopped() {
        Some(why) => eprintln!("probe: the recording stopped early: {why}"),
        None => eprintln!(
            "probe: recorded {} exchange(s) in {}",
            recorder.entries(),
            args.out.display()
        ),
    }
    Ok(walked)
}
