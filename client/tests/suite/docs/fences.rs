//! Every code block of a guide says its language, so that rustdoc compiles
//! exactly the Rust ones, and every guide is included as a doctest.

use super::markdown::{Fence, fences};
use super::{assert_none, guides, read};

/// The words of an info string that make rustdoc read a block as Rust
/// (besides `rust` itself).
const RUSTDOC_WORDS: &[&str] = &[
    "no_run",
    "should_panic",
    "compile_fail",
    "test_harness",
    "ignore",
];

/// The words of the info string.
fn words(fence: &Fence) -> Vec<&str> {
    fence
        .info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether rustdoc compiles the block: `rust`, or only its own words.
fn is_rust(words: &[&str]) -> bool {
    words.contains(&"rust")
        || words.iter().all(|w| {
            RUSTDOC_WORDS.contains(w) || w.starts_with("edition") || w.starts_with("ignore-")
        })
}

#[test]
fn every_code_block_says_its_language_and_no_rust_block_is_skipped() {
    let mut problems = Vec::new();
    for doc in guides() {
        let fences = fences(&doc.text).unwrap_or_else(|e| panic!("{}: {e}", doc.path));
        for fence in fences {
            let words = words(&fence);
            let at = format!("{}:{}", doc.path, fence.line);
            if words.is_empty() {
                problems.push(format!(
                    "{at}: a code block without a language: rustdoc would compile it as Rust \
                     (tag it: ```text, ```sh, ```console, ```json, ```yaml, ```toml, ```rust)"
                ));
            } else if is_rust(&words) && words.iter().any(|w| w.starts_with("ignore")) {
                problems.push(format!(
                    "{at}: ```{}: a Rust block must compile (`no_run` where it needs the \
                     network), never `ignore`",
                    fence.info
                ));
            }
        }
    }
    assert_none(problems, "code blocks in the guides need a change");
}

#[test]
fn every_guide_is_compiled_as_a_doctest() {
    let lib = read("client/src/lib.rs").text;
    let mut problems = Vec::new();
    for doc in guides() {
        let include = format!("include_str!(\"../../{}\")", doc.path);
        match lib.matches(&include).count() {
            1 => {}
            0 => problems.push(format!(
                "{}: not a doctest: add `#[doc = {include}]` on an item of `guides` in \
                 client/src/lib.rs, gated by the features its snippets need",
                doc.path
            )),
            n => problems.push(format!(
                "{}: included {n} times in client/src/lib.rs",
                doc.path
            )),
        }
    }
    assert_none(problems, "guides are not doctests");
}

#[test]
fn rust_blocks_are_told_from_the_others_as_rustdoc_tells_them() {
    assert!(is_rust(&["rust"]));
    assert!(is_rust(&["rust", "no_run"]));
    assert!(is_rust(&["no_run"]));
    assert!(is_rust(&["ignore"]));
    assert!(is_rust(&["edition2024"]));
    assert!(!is_rust(&["sh"]));
    assert!(!is_rust(&["text"]));
    assert!(!is_rust(&["json"]));
}
