//! Decoding cost: the 100-issue page decoded by the client's decoder in
//! tolerant mode (the default) against serde_json straight into the same
//! generated type (what the client did before it repaired anything) and
//! against strict mode; and the cost of a page whose every issue holds a
//! value that does not fit, which only tolerant mode can decode.
//!
//! No network: the same bytes are decoded in interleaved rounds, so drift
//! falls on every variant alike.

use std::hint::black_box;
use std::time::{Duration, Instant};

use gitcode::decode::{DecodeMode, list_from_slice};
use gitcode::types::Issue;

use crate::server::issues_page_body;

/// Per round, the mean time per decode of each variant.
pub struct Decode {
    pub rounds: usize,
    pub serde: Vec<Duration>,
    pub tolerant: Vec<Duration>,
    pub strict: Vec<Duration>,
    pub repaired: Vec<Duration>,
}

pub fn run(rounds: usize, per_round: usize) -> Result<Decode, String> {
    let page = issues_page_body(100).into_bytes();
    // The same page with one odd value in every issue: `issue_type`, a
    // string in the spec, sent as an object.
    let odd = String::from_utf8(page.clone())
        .map_err(|e| e.to_string())?
        .replace("\"issue_type\":null", "\"issue_type\":{\"odd\":true}");
    if odd.as_bytes() == page.as_slice() {
        return Err("bench: the issue example has no `\"issue_type\":null` to spoil".into());
    }
    let odd = odd.into_bytes();
    // Check once that every variant decodes what it should.
    let check = list_from_slice::<Issue>(&odd, DecodeMode::Tolerant).map_err(|e| e.to_string())?;
    if check.0.len() != 100 || check.1.len() != 100 {
        return Err(format!(
            "bench: the odd page decoded {} issues with {} repairs",
            check.0.len(),
            check.1.len()
        ));
    }
    list_from_slice::<Issue>(&odd, DecodeMode::Strict)
        .err()
        .ok_or("bench: strict mode accepted the odd page")?;

    let mut out = Decode {
        rounds,
        serde: Vec::new(),
        tolerant: Vec::new(),
        strict: Vec::new(),
        repaired: Vec::new(),
    };
    let time = |f: &dyn Fn() -> usize| {
        let started = Instant::now();
        for _ in 0..per_round {
            black_box(f());
        }
        started.elapsed() / per_round as u32
    };
    let serde = || serde_json::from_slice::<Vec<Issue>>(&page).map_or(0, |v| v.len());
    let tolerant =
        || list_from_slice::<Issue>(&page, DecodeMode::Tolerant).map_or(0, |v| v.0.len());
    let strict = || list_from_slice::<Issue>(&page, DecodeMode::Strict).map_or(0, |v| v.0.len());
    let repaired = || list_from_slice::<Issue>(&odd, DecodeMode::Tolerant).map_or(0, |v| v.0.len());
    for round in 0..rounds {
        if round % 2 == 0 {
            out.serde.push(time(&serde));
            out.tolerant.push(time(&tolerant));
            out.strict.push(time(&strict));
            out.repaired.push(time(&repaired));
        } else {
            out.repaired.push(time(&repaired));
            out.strict.push(time(&strict));
            out.tolerant.push(time(&tolerant));
            out.serde.push(time(&serde));
        }
    }
    Ok(out)
}
