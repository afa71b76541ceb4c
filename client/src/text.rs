//! Short quotes of text for messages: a value the caller gave or the server
//! sent, cut to a length an error message can carry.

/// `text` cut to at most `max` bytes (at a character boundary), with `…`
/// when something was cut.
pub(crate) fn snippet(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_a_character_boundary() {
        assert_eq!(snippet("short", 10), "short");
        assert_eq!(snippet("abcdef", 3), "abc…");
        // `é` is two bytes: a cut inside it moves back before it.
        assert_eq!(snippet("aé", 2), "a…");
    }
}
