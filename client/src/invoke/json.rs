//! Writing JSON as the server sent it: a jaq value (read with jaq's JSON
//! reader, which keeps key order and the text of every number) written
//! back indented or compact, so that a field the spec lacks, a `null` and
//! a 20-digit id reach the user or the agent unchanged.

use std::io::Write;

use jaq_json::Val;
use jaq_json::write::Pp;

/// Writes `value` as JSON: indented by two spaces at nesting `level`
/// (without a leading indent), or compact.
pub(crate) fn write_json(
    out: &mut dyn Write,
    value: &Val,
    pretty: bool,
    level: usize,
) -> std::io::Result<()> {
    let pp = Pp {
        indent: pretty.then(|| "  ".to_string()),
        sep_space: pretty,
        ..Pp::default()
    };
    jaq_json::write::write(out, &pp, level, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(body: &str, pretty: bool, level: usize) -> String {
        let value = jaq_json::read::parse_single(body.as_bytes()).unwrap();
        let mut out = Vec::new();
        write_json(&mut out, &value, pretty, level).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn key_order_and_number_text_are_kept() {
        let body = r#"{"z":1.50,"a":null,"id":123456789012345678901234}"#;
        assert_eq!(written(body, false, 0), body);
        assert_eq!(
            written(body, true, 0),
            "{\n  \"z\": 1.50,\n  \"a\": null,\n  \"id\": 123456789012345678901234\n}"
        );
    }

    #[test]
    fn a_nested_value_is_indented_from_its_level() {
        assert_eq!(
            written(r#"{"a":[1]}"#, true, 1),
            "{\n    \"a\": [\n      1\n    ]\n  }"
        );
    }
}
