//! Every command line a guide shows in a shell block parses with the real
//! parser: `gitcode ...` with `gitcode::cli::app()` (so with feature `mcp`,
//! which brings `gitcode mcp` and the CLI with it), `cargo xtask ...` with
//! xtask's own clap definition, which this file includes from
//! `xtask/src/cli.rs`. Help and version requests count as parsing.
#![cfg(feature = "mcp")]

use clap::Parser;
use clap::error::ErrorKind;

use super::markdown::fences;
use super::shell::{Program, SHELL_LANGUAGES, commands, invocation};
use super::{assert_none, guides};

#[allow(dead_code)] // the tasks' fields are read by xtask's main, not here
#[path = "../../../../xtask/src/cli.rs"]
mod xtask_cli;

/// One command line of a guide, ready to parse.
struct Shown {
    /// `file:line`.
    at: String,
    program: Program,
    args: Vec<String>,
}

/// Every `gitcode` and `cargo xtask` command line of the guides' shell blocks.
fn shown() -> Vec<Shown> {
    let mut shown = Vec::new();
    for doc in guides() {
        let fences = fences(&doc.text).unwrap_or_else(|e| panic!("{}: {e}", doc.path));
        for fence in fences
            .iter()
            .filter(|f| SHELL_LANGUAGES.contains(&f.language()))
        {
            let commands = commands(fence).unwrap_or_else(|e| panic!("{}: {e}", doc.path));
            for command in commands {
                if let Some((program, args)) = invocation(&command.words) {
                    shown.push(Shown {
                        at: format!("{}:{}", doc.path, command.line),
                        program,
                        args,
                    });
                }
            }
        }
    }
    shown
}

/// Whether a clap error is only help or a version being printed.
fn only_shows_help(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
}

/// Parses every command line of `program` with `parse`, and fails naming
/// each that clap refuses.
fn check(program: Program, parse: impl Fn(&[String]) -> Result<(), clap::Error>) {
    let shown: Vec<Shown> = shown()
        .into_iter()
        .filter(|s| s.program == program)
        .collect();
    assert!(
        shown.iter().any(|s| s.at.starts_with("README.md:")),
        "no {program:?} command line found in README.md: is the shell block reader broken?"
    );
    let mut problems = Vec::new();
    for line in &shown {
        if let Err(error) = parse(&line.args)
            && !only_shows_help(error.kind())
        {
            let message = error.render().to_string();
            let first = message.lines().next().unwrap_or_default();
            problems.push(format!("{}: `{}`: {first}", line.at, line.args.join(" ")));
        }
    }
    assert_none(problems, "command lines in the guides do not parse");
}

#[test]
fn every_gitcode_command_line_in_the_guides_parses() {
    check(Program::Gitcode, |args| {
        gitcode::cli::app().try_get_matches_from(args).map(drop)
    });
}

#[test]
fn every_cargo_xtask_command_line_in_the_guides_parses() {
    check(Program::Xtask, |args| {
        xtask_cli::Cli::try_parse_from(args).map(drop)
    });
}
