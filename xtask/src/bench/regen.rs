//! Generation time: the whole pipeline (`gitcode_codegen::generate`: load,
//! checks, progenitor, passes, formatting; no files written) against
//! progenitor alone on the same loaded spec, with the load timed apart.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use gitcode_codegen::generate::run_progenitor;
use gitcode_codegen::spec::Spec;

/// The time of each iteration.
pub struct Regen {
    /// `Spec::load`: read, merge, check, convert to `openapiv3`.
    pub load: Vec<Duration>,
    /// `run_progenitor` on an already loaded spec.
    pub progenitor: Vec<Duration>,
    /// `generate`: everything but writing the files.
    pub full: Vec<Duration>,
}

/// `iterations` rounds of load, progenitor, full generation (in that order,
/// so each sees the others' effect on caches alike), after one untimed full
/// generation when `warm_up`.
pub fn run(spec_dir: &Path, iterations: usize, warm_up: bool) -> Result<Regen, String> {
    let fail = |e: gitcode_codegen::Error| format!("bench: generation failed:\n{e}");
    if warm_up {
        black_box(gitcode_codegen::generate(spec_dir).map_err(fail)?);
    }
    let (mut load, mut progenitor, mut full) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..iterations {
        let started = Instant::now();
        let spec = black_box(Spec::load(spec_dir).map_err(fail)?);
        load.push(started.elapsed());

        let started = Instant::now();
        let tokens = black_box(run_progenitor(&spec).map_err(fail)?);
        progenitor.push(started.elapsed());
        // Dropped outside the timed part.
        drop((tokens, spec));

        let started = Instant::now();
        let files = black_box(gitcode_codegen::generate(spec_dir).map_err(fail)?);
        full.push(started.elapsed());
        drop(files);
    }
    Ok(Regen {
        load,
        progenitor,
        full,
    })
}
