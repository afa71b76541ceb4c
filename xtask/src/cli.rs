//! The command line of `cargo xtask`: every task and its arguments, as
//! clap parses them. A module of its own, with nothing but clap and std in
//! it, so that a test can parse command lines with it too (the docs' check
//! of every `cargo xtask ...` line they show: `client/tests/suite/docs/`).

use clap::{Parser, Subcommand};

/// The command line of `cargo xtask`.
#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer tasks for gitcode-rs")]
pub struct Cli {
    #[command(subcommand)]
    pub task: Task,
}

/// One maintainer task: a subcommand of `cargo xtask`.
#[derive(Subcommand)]
pub enum Task {
    /// Regenerate the client from `spec/` (writes nothing if the spec is broken).
    Regen,
    /// Fail if the checked-in client differs from a fresh generation, a
    /// fixtures folder from its source in `../shared` (when present), or an
    /// import in `client/src` breaks its layers (ARCHITECTURE.md).
    Check,
    /// Compare the spec with the docs' index of endpoints, per category.
    Coverage,
    /// Write the docs fixtures (`fixtures/gitcode-docs/`) from a docs snapshot:
    /// the endpoint index, the webhook events, each page's JSON examples.
    ImportDocs {
        /// The snapshot (`endpoints.tsv`, `en/*.md`, `webhooks.md`), e.g. `../shared/gitcode-docs`.
        dir: std::path::PathBuf,
    },
    /// Copy the recorded requests of GitCode's own CLI (`*.jsonl`) into
    /// `fixtures/peer-wire/`, where a test holds each against the spec.
    ImportPeerWire {
        /// The recordings, e.g. `../shared/peer-wire`.
        dir: std::path::PathBuf,
    },
    /// Write the audit of gitcode-cli's `api/` package
    /// (`fixtures/gitcode-cli/api-functions.tsv`): each request its exported
    /// functions send, and the operation of the spec it is.
    ImportGitcodeCli {
        /// A gitcode-cli work tree, or a git directory (a bare mirror).
        dir: std::path::PathBuf,
        /// The revision to read, for a git directory (default `HEAD`).
        #[arg(long)]
        rev: Option<String>,
    },
    /// Write the merged spec as one OpenAPI document (for external tools;
    /// `regen` keeps the same in spec/bundled/). A `.json` name writes JSON.
    Bundle {
        /// Where to write it.
        #[arg(long, default_value = "target/openapi.yaml")]
        out: std::path::PathBuf,
    },
    /// Report the API changes between the spec at a git revision and the
    /// working tree (Markdown, for a review), with the semver bump they call for.
    Diff {
        /// The revision to compare with.
        #[arg(default_value = "HEAD")]
        rev: String,
        /// Exit non-zero when a change breaks code written against the client.
        #[arg(long)]
        check: bool,
    },
    /// Check some area files of the spec while the rest may be unfinished:
    /// conventions, progenitor, and the docs examples of their operations.
    SpecCheck {
        /// Files under `spec/paths/` to check.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
    /// Hold recorded exchanges (HAR files: `gitcode --record`, a browser's
    /// export, mitmproxy, Charles) against the spec: a Markdown report of
    /// every disagreement, by operation and schema field, with the spec
    /// line to change.
    Conformance {
        /// The HAR files.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// Print the stable JSON form instead (see the rustdoc of
        /// `gitcode_codegen::evidence::traffic::report`).
        #[arg(long)]
        json: bool,
        /// Exit 1 when anything disagrees (a folder of recordings as a
        /// regression suite); 2 means a file could not be read.
        #[arg(long)]
        check: bool,
        /// Hold the exchanges with this server too, beside api.gitcode.com
        /// and api.atomgit.com (a self-hosted or loopback base URL).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Walk the read-only (GET) operations against a repository with a
    /// token, recording every exchange as HAR (`gitcode-probe`, feature
    /// `probe`), then print the conformance report of the recording. Sends
    /// nothing but GET; stops at the first 401.
    Probe {
        /// The repository, `OWNER/REPO`.
        #[arg(long)]
        repo: String,
        /// The environment variable that holds the token.
        #[arg(long, default_value = "GITCODE_TOKEN")]
        token_env: String,
        /// The server (default `https://api.gitcode.com`).
        #[arg(long)]
        base_url: Option<String>,
        /// The HAR file to write (default `target/probe/OWNER-REPO.har`).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Send at most this many requests.
        #[arg(long, default_value_t = 100)]
        max: usize,
        /// Requests a minute (default GitCode's limit, 50); more only for a
        /// server of your own.
        #[arg(long)]
        per_minute: Option<u32>,
        /// Print the report's JSON form.
        #[arg(long)]
        json: bool,
    },
    /// Benchmark (release build): generation vs progenitor alone, per-request
    /// overhead vs plain reqwest, pagination memory; prints ratios.
    Bench {
        /// Fewer iterations: a smoke run of a few seconds.
        #[arg(long)]
        quick: bool,
        /// Measure instead what `gitcode` adds to a downstream crate's clean
        /// build, against its dependencies alone and the oxide SDK, and the
        /// size of the generated source (about ten minutes: five clean
        /// builds).
        #[arg(long)]
        compile: bool,
        /// Measure instead `gitcode mcp`: the time until `initialize` and
        /// `tools/list` are answered, and the size of the tool list, for
        /// the default toolsets, `all` and `--dynamic`.
        #[arg(long, conflicts_with = "compile")]
        mcp: bool,
    },
}
