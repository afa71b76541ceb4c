//! The generation pipeline: spec → progenitor → passes → formatted files.
//!
//! This module owns the run: [`generate_timed`] calls each step in order
//! (the mocks on a second thread meanwhile) and times it, for `cargo xtask
//! regen` and the benchmark. What progenitor is given lives beside it:
//! [`settings`] (builder style, one trait per tag, the hand-written
//! replacements of the `x-gitcode-lenient` schemas) and [`prepare`] (spec
//! edits for constructs progenitor cannot generate, each completed by a
//! pass).
//!
//! Where to look: a new generated file is a step here plus its path
//! constant (beside the module that builds it); a construct progenitor
//! refuses or gets wrong is an edit in [`prepare`] and the pass that
//! completes it ([`crate::passes`]); a progenitor option is [`settings`].

pub mod prepare;
pub mod settings;

use std::panic::AssertUnwindSafe;
use std::path::Path;

use crate::error::{Error, Result};
use crate::output::GeneratedFile;
use crate::output::render::{parse_file, render};
use crate::passes::{self, Context};
use crate::spec::Spec;
use settings::generation_settings;

/// Where the generated client goes, relative to the workspace root.
pub const CLIENT_FILE: &str = "client/src/generated/client.rs";

/// Generates every output file from the spec in `spec_dir`.
pub fn generate(spec_dir: &Path) -> Result<Vec<GeneratedFile>> {
    let spec = Spec::load(spec_dir)?;
    generate_from(&spec)
}

pub fn generate_from(spec: &Spec) -> Result<Vec<GeneratedFile>> {
    generate_timed(spec).map(|(files, _)| files)
}

/// How long each step of a generation took.
#[derive(Debug, Default, Clone)]
pub struct Phases(pub Vec<(&'static str, std::time::Duration)>);

impl Phases {
    fn time<T>(&mut self, name: &'static str, step: impl FnOnce() -> T) -> T {
        let started = std::time::Instant::now();
        let out = step();
        self.0.push((name, started.elapsed()));
        out
    }
}

impl std::fmt::Display for Phases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(name, d)| format!("{name} {:.0} ms", d.as_secs_f64() * 1000.0))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// [`generate_from`], reporting the time of each step.
pub fn generate_timed(spec: &Spec) -> Result<(Vec<GeneratedFile>, Phases)> {
    // The mocks need nothing from the client's tree: generate and format
    // them on the second core meanwhile (syntax trees cannot cross threads,
    // so the thread returns text).
    std::thread::scope(|scope| {
        let mocks = scope.spawn(|| {
            let started = std::time::Instant::now();
            let text = run_progenitor_mocks(spec)
                .and_then(|tokens| parse_file(tokens, MOCK_FILE))
                .and_then(|mut file| {
                    passes::plain_value_setters::run_on_mocks(&mut file).map_err(|message| {
                        Error::Pass {
                            pass: "plain_value_setters (mocks)",
                            message,
                        }
                    })?;
                    Ok(file)
                })
                .map(|file| render(&file));
            (text, started.elapsed())
        });
        let (mut files, mut phases) = generate_client(spec)?;
        let (mocks, took) = mocks
            .join()
            .map_err(|_| Error::Progenitor("the mock generator panicked".into()))?;
        phases.0.push(("mocks (in parallel)", took));
        files.extend(phases.time("bundled spec", || crate::output::bundled::documents(spec))?);
        files.insert(
            1,
            GeneratedFile {
                path: MOCK_FILE.into(),
                contents: mocks?,
            },
        );
        Ok((files, phases))
    })
}

/// The client, its CLI, the webhook events and the decoder table.
fn generate_client(spec: &Spec) -> Result<(Vec<GeneratedFile>, Phases)> {
    let mut phases = Phases::default();
    let tokens = phases.time("progenitor", || run_progenitor(spec))?;
    let mut file = phases.time("parse", || parse_file(tokens, CLIENT_FILE))?;
    phases.time("passes", || passes::run_all(&mut file, &Context { spec }))?;
    let decoders = phases.time("decoders", || {
        crate::tables::decoders::response_decoders(&file)
    });
    let (cli, mcp) = phases
        .time("cli", || {
            let commands = crate::tables::cli::commands(&file, spec)?;
            Ok((
                crate::tables::cli::cli(&commands),
                crate::tables::mcp::tools(&commands, spec)?,
            ))
        })
        .map_err(|message| Error::Pass {
            pass: "cli",
            message,
        })?;
    let parts = phases
        .time("split", || {
            crate::output::split::split(file, spec, CLIENT_FILE)
        })
        .map_err(|message| Error::Pass {
            pass: "split",
            message,
        })?;
    let files = phases.time("format", || {
        let mut files: Vec<GeneratedFile> = parts
            .iter()
            .map(|(path, part)| GeneratedFile {
                path: path.into(),
                contents: render(part),
            })
            .collect();
        files.extend([
            GeneratedFile {
                path: crate::tables::cli::CLI_FILE.into(),
                contents: render(&cli),
            },
            GeneratedFile {
                path: crate::tables::mcp::MCP_FILE.into(),
                contents: render(&mcp),
            },
            GeneratedFile {
                path: crate::tables::decoders::DECODERS_FILE.into(),
                contents: render(&decoders),
            },
            GeneratedFile {
                path: crate::tables::webhooks::WEBHOOKS_FILE.into(),
                contents: render(&crate::tables::webhooks::webhooks(spec)),
            },
        ]);
        files
    });
    Ok((files, phases))
}

/// Where the generated `httpmock` mocks go.
pub const MOCK_FILE: &str = "client/src/generated/mock.rs";

/// progenitor's typed `httpmock` mocks for every operation (feature `mock`).
pub fn run_progenitor_mocks(spec: &Spec) -> Result<proc_macro2::TokenStream> {
    let settings = generation_settings(spec);
    let mut generator = progenitor::Generator::new(&settings);
    let prepared = prepare::for_progenitor(&spec.openapi);
    generator
        .httpmock(&prepared, "crate")
        .map_err(|e| Error::Progenitor(e.to_string()))
}

/// progenitor's own pipeline on the checked spec, for comparison: the
/// client's tokens, parsed and formatted (what a `build.rs` using
/// progenitor alone produces), without our passes, checks and other outputs.
pub fn progenitor_alone(spec: &Spec) -> Result<String> {
    let tokens = run_progenitor(spec)?;
    let file = parse_file(tokens, CLIENT_FILE)?;
    Ok(prettyplease::unparse(&file))
}

/// Runs progenitor alone on the checked spec (also what the benchmark
/// compares the full pipeline with).
pub fn run_progenitor(spec: &Spec) -> Result<proc_macro2::TokenStream> {
    let settings = generation_settings(spec);
    let mut generator = progenitor::Generator::new(&settings);
    let prepared = prepare::for_progenitor(&spec.openapi);
    // progenitor reports some unsupported constructs with `todo!()`; turn a
    // panic into an error instead of aborting the run.
    let result =
        std::panic::catch_unwind(AssertUnwindSafe(|| generator.generate_tokens(&prepared)));
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(err)) => Err(Error::Progenitor(err.to_string())),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".into());
            Err(Error::Progenitor(message))
        }
    }
}
