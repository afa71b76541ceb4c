//! Maintainer tasks for gitcode-rs. Run as `cargo xtask <task>`.

mod bench;
mod cli;
mod conformance;
mod diff;
mod layers;
mod probe;
mod spec_check;
mod workspace;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Task};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace::root();
    // Paths given on the command line are relative to where it was typed.
    let cwd = std::env::current_dir().unwrap_or_default();
    // Work from the workspace root so that spec errors show paths such as
    // `spec/paths/issues.yaml:12:7`.
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("cannot enter {}: {e}", root.display());
        return ExitCode::FAILURE;
    }
    let root = std::path::PathBuf::new();
    let result = match cli.task {
        Task::Conformance {
            files,
            json,
            check,
            base_url,
        } => {
            let options = conformance::Options {
                files: &files,
                cwd: &cwd,
                json,
                check,
                base_url: base_url.as_deref(),
            };
            return conformance::run(&root, &options);
        }
        Task::Probe {
            repo,
            token_env,
            base_url,
            out,
            max,
            per_minute,
            json,
        } => {
            let options = probe::Options {
                repo: &repo,
                token_env: &token_env,
                base_url: base_url.as_deref(),
                out: out.as_deref(),
                max,
                per_minute,
                json,
            };
            return probe::run(&root, &cwd, &options);
        }
        Task::Regen => workspace::regen(&root),
        Task::Check => workspace::check(&root),
        Task::Coverage => workspace::coverage(&root),
        Task::ImportDocs { dir } => workspace::import_fixtures(
            &root,
            &gitcode_codegen::evidence::docs::DOCS,
            &cwd.join(dir),
        ),
        Task::ImportPeerWire { dir } => workspace::import_fixtures(
            &root,
            &gitcode_codegen::evidence::peer_wire::PEER_WIRE,
            &cwd.join(dir),
        ),
        Task::ImportGitcodeCli { dir, rev } => {
            workspace::import_gitcode_cli(&root, &cwd.join(dir), rev.as_deref())
        }
        Task::Bundle { out } => workspace::bundle(&root, &out),
        Task::Diff { rev, check } => diff::run(&root, &rev, check),
        Task::SpecCheck { files } => spec_check::run(&root, &files),
        Task::Bench {
            quick,
            compile,
            mcp,
        } => bench::run(quick, compile, mcp),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
