//! Generation time: our pipeline (`gitcode_codegen::generate_from`:
//! progenitor, passes, the CLI, mocks and decoder table, formatting; no
//! files written) against progenitor's own pipeline producing the client
//! alone (`generate::progenitor_alone`: tokens, parse, prettyplease), both
//! on the same loaded spec, with the load (read, merge, check) timed apart.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use gitcode_codegen::generate::progenitor_alone;
use gitcode_codegen::spec::Spec;

/// The time of each iteration.
pub struct Regen {
    /// `Spec::load`: read, merge, check, convert to `openapiv3`.
    pub load: Vec<Duration>,
    /// `progenitor_alone` on the loaded spec: the formatted client.
    pub progenitor: Vec<Duration>,
    /// `generate_from` on the loaded spec: everything but loading and writing.
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
        let client = black_box(progenitor_alone(&spec).map_err(fail)?);
        progenitor.push(started.elapsed());
        // Dropped outside the timed part.
        drop(client);

        let started = Instant::now();
        let files = black_box(gitcode_codegen::generate_from(&spec).map_err(fail)?);
        full.push(started.elapsed());
        drop((files, spec));
    }
    Ok(Regen {
        load,
        progenitor,
        full,
    })
}
