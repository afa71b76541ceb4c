//! `--jq EXPR`: filters what a command prints, with jaq (jq in Rust).
//!
//! The expression is compiled before anything is sent, so a typo costs no
//! request: an invalid expression is a usage error carrying the parser's
//! message and where in the expression it stopped. Output follows `gh
//! --jq`: each result on its own line, strings without quotes, other values
//! as JSON (compact, or indented on a terminal).

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Filter, Vars, data};
use jaq_json::Val;

type Data = data::JustLut<Val>;

/// A compiled `--jq` expression.
pub struct Jq {
    filter: Filter<Data>,
}

impl std::fmt::Debug for Jq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Jq")
    }
}

impl Jq {
    /// Compiles `code`; the error names what the parser expected and where.
    pub fn compile(code: &str) -> Result<Jq, String> {
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs::<Data>()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let loader = Loader::new(defs);
        let arena = Arena::default();
        let modules = loader
            .load(&arena, File { code, path: () })
            .map_err(|errors| describe_load_errors(code, errors))?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| {
                let names: Vec<String> = errors
                    .into_iter()
                    .flat_map(|(_, errors)| errors)
                    .map(|(name, undefined)| format!("undefined {} `{name}`", undefined.as_str()))
                    .collect();
                format!("invalid --jq expression: {}", names.join("; "))
            })?;
        Ok(Jq { filter })
    }

    /// Every result of the expression on `input`, or the first error.
    pub fn run(&self, input: Val) -> Result<Vec<Val>, String> {
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([]));
        self.filter
            .id
            .run((ctx, input))
            .map(jaq_core::unwrap_valr)
            .map(|result| result.map_err(|e| format!("jq: {e}")))
            .collect()
    }
}

/// "expected X at character N" for each lex or parse error.
fn describe_load_errors(code: &str, errors: jaq_core::load::Errors<&str, ()>) -> String {
    use jaq_core::load::Error;
    // Each error carries the rest of the code from where it stopped.
    let at = |rest: &str| {
        let offset = (rest.as_ptr() as usize).saturating_sub(code.as_ptr() as usize);
        let offset = offset.min(code.len());
        let near: String = code[offset..].chars().take(12).collect();
        if near.is_empty() {
            format!(
                "at the end (character {})",
                code[..offset].chars().count() + 1
            )
        } else {
            format!(
                "at character {} (`{near}`)",
                code[..offset].chars().count() + 1
            )
        }
    };
    let mut messages = Vec::new();
    for (_, error) in errors {
        match error {
            Error::Io(errors) => {
                for (path, message) in errors {
                    messages.push(format!("cannot load `{path}`: {message}"));
                }
            }
            Error::Lex(errors) => {
                for (expected, rest) in errors {
                    messages.push(format!("expected {} {}", expected.as_str(), at(rest)));
                }
            }
            Error::Parse(errors) => {
                for (expected, rest) in errors {
                    messages.push(format!("expected {} {}", expected.as_str(), at(rest)));
                }
            }
        }
    }
    format!("invalid --jq expression: {}", messages.join("; "))
}

/// Writes one result the way `gh --jq` does.
pub fn write_result(
    out: &mut dyn std::io::Write,
    value: &Val,
    pretty: bool,
) -> std::io::Result<()> {
    match value {
        Val::TStr(text) => out.write_all(text)?,
        other => crate::invoke::json::write_json(out, other, pretty, 0)?,
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str, input: &str) -> Result<Vec<String>, String> {
        let input = jaq_json::read::parse_single(input.as_bytes()).unwrap();
        let results = Jq::compile(code)?.run(input)?;
        Ok(results
            .iter()
            .map(|v| {
                let mut out = Vec::new();
                write_result(&mut out, v, false).unwrap();
                String::from_utf8(out).unwrap()
            })
            .collect())
    }

    #[test]
    fn strings_print_bare_and_values_as_json() {
        assert_eq!(run(".login", r#"{"login":"alice"}"#).unwrap(), ["alice\n"]);
        assert_eq!(
            run(".[] | {id, n: .name}", r#"[{"name":"a","id":1},{"id":2}]"#).unwrap(),
            ["{\"id\":1,\"n\":\"a\"}\n", "{\"id\":2,\"n\":null}\n"]
        );
        assert_eq!(
            run("map(.id) | add", r#"[{"id":1},{"id":2}]"#).unwrap(),
            ["3\n"]
        );
    }

    #[test]
    fn the_standard_library_is_there() {
        assert_eq!(
            run(
                r#"[.[] | select(.name | test("^a"))] | length"#,
                r#"[{"name":"ab"},{"name":"b"}]"#
            )
            .unwrap(),
            ["1\n"]
        );
    }

    #[test]
    fn a_syntax_error_says_where() {
        let error = Jq::compile(".login |").unwrap_err();
        assert!(
            error.starts_with("invalid --jq expression: expected"),
            "{error}"
        );
        let error = Jq::compile(".a | nosuchfn").unwrap_err();
        assert!(error.contains("undefined filter `nosuchfn`"), "{error}");
    }

    #[test]
    fn a_runtime_error_is_an_error() {
        let error = run(".a.b", r#"{"a":1}"#).unwrap_err();
        assert!(error.starts_with("jq: cannot index"), "{error}");
    }
}
