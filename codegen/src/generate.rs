//! The generation pipeline: spec → progenitor → passes → formatted files.

use std::panic::AssertUnwindSafe;
use std::path::Path;

use crate::error::{Error, Result};
use crate::output::GeneratedFile;
use crate::passes::{self, Context};
use crate::render::{parse_file, render};
use crate::settings::generation_settings;
use crate::spec::Spec;

/// Where the generated client goes, relative to the workspace root.
pub const CLIENT_FILE: &str = "client/src/generated/client.rs";

/// Generates every output file from the spec in `spec_dir`.
pub fn generate(spec_dir: &Path) -> Result<Vec<GeneratedFile>> {
    let spec = Spec::load(spec_dir)?;
    generate_from(&spec)
}

pub fn generate_from(spec: &Spec) -> Result<Vec<GeneratedFile>> {
    let tokens = run_progenitor(spec)?;
    let mut file = parse_file(tokens, CLIENT_FILE)?;
    passes::run_all(&mut file, &Context { spec })?;
    let decoders = crate::decoders::response_decoders(&file);
    let cli = crate::cli::cli(&file, spec).map_err(|message| Error::Pass {
        pass: "cli",
        message,
    })?;
    let mocks = parse_file(run_progenitor_mocks(spec)?, MOCK_FILE)?;
    Ok(vec![
        GeneratedFile {
            path: CLIENT_FILE.into(),
            contents: render(&file),
        },
        GeneratedFile {
            path: MOCK_FILE.into(),
            contents: render(&mocks),
        },
        GeneratedFile {
            path: crate::cli::CLI_FILE.into(),
            contents: render(&cli),
        },
        GeneratedFile {
            path: crate::decoders::DECODERS_FILE.into(),
            contents: render(&decoders),
        },
    ])
}

/// Where the generated `httpmock` mocks go.
pub const MOCK_FILE: &str = "client/src/generated/mock.rs";

/// progenitor's typed `httpmock` mocks for every operation (feature `mock`).
pub fn run_progenitor_mocks(spec: &Spec) -> Result<proc_macro2::TokenStream> {
    let settings = generation_settings(spec);
    let mut generator = progenitor::Generator::new(&settings);
    let prepared = crate::prepare::for_progenitor(&spec.openapi);
    generator
        .httpmock(&prepared, "crate")
        .map_err(|e| Error::Progenitor(e.to_string()))
}

/// Runs progenitor alone on the checked spec (also what the benchmark
/// compares the full pipeline with).
pub fn run_progenitor(spec: &Spec) -> Result<proc_macro2::TokenStream> {
    let settings = generation_settings(spec);
    let mut generator = progenitor::Generator::new(&settings);
    let prepared = crate::prepare::for_progenitor(&spec.openapi);
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
