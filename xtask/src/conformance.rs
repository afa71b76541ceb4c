//! `conformance`: recorded exchanges (HAR files) against the spec, as a
//! Markdown report (or `--json`), with `--check` failing on any finding.
//! The checks are `gitcode_codegen::evidence::traffic`'s; this is the command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gitcode_codegen::evidence::traffic::report::{json, markdown};
use gitcode_codegen::evidence::traffic::{Hosts, Report, check, har};
use gitcode_codegen::spec::Spec;

/// How the report is asked for.
pub struct Options<'a> {
    /// The HAR files, as typed (relative to `cwd`).
    pub files: &'a [PathBuf],
    /// Where the command was typed.
    pub cwd: &'a Path,
    /// `--json`: the machine-readable form.
    pub json: bool,
    /// `--check`: exit 1 when anything disagrees.
    pub check: bool,
    /// `--base-url`: one more API host (a loopback or self-hosted server).
    pub base_url: Option<&'a str>,
}

/// Prints the report of `options.files` against the spec at `root`; exit
/// 0, or 1 with `--check` and a finding, or 2 when a file or the spec
/// cannot be read.
pub fn run(root: &Path, options: &Options<'_>) -> ExitCode {
    match report(root, options) {
        Ok(report) => {
            print!(
                "{}",
                if options.json {
                    json(&report)
                } else {
                    markdown(&report)
                }
            );
            if options.check && report.has_findings() {
                eprintln!(
                    "conformance: {} finding(s) in {} exchange(s)",
                    report.summary.findings, report.summary.exchanges_with_findings
                );
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(message) => {
            eprintln!("conformance: {message}");
            ExitCode::from(2)
        }
    }
}

/// The report of `options.files` against the spec at `root`.
pub fn report(root: &Path, options: &Options<'_>) -> Result<Report, String> {
    if options.files.is_empty() {
        return Err("no HAR file given".into());
    }
    let hosts = Hosts::new(options.base_url)?;
    let spec = Spec::load(&root.join("spec")).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    for given in options.files {
        // Read where it is; named as typed.
        let mut file = har::read(&options.cwd.join(given)).map_err(|e| {
            har::HarError {
                path: given.clone(),
                ..e
            }
            .to_string()
        })?;
        file.path = given.clone();
        files.push(file);
    }
    Ok(check(&spec, &files, &hosts))
}
