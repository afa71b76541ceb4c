//! Keeping credentials out of what the crate shows or writes: the one place
//! that knows what a credential looks like.
//!
//! - [`CREDENTIAL_HEADERS`]: headers whose whole value is a credential;
//! - [`SECRET_NAMES`]: query parameters, form fields and JSON fields whose
//!   value is a credential (the token, and the OAuth secrets);
//! - [`Redactor`]: replaces known secret texts (the client's token, and
//!   values found under a secret name) wherever they appear.
//!
//! Everything is replaced by [`REDACTED`]. The MCP
//! server ([`crate::mcp`], feature `mcp`) and the recorder
//! ([`crate::record`]) both go through here.

use std::borrow::Cow;

/// What stands for a credential wherever the crate shows or writes one
/// (`Debug` output, errors, MCP results, recordings).
pub const REDACTED: &str = "[redacted]";

/// The name of the query parameter that carries a token.
pub(crate) const TOKEN_QUERY: &str = "access_token";

/// Headers whose value is a credential, in lower case: replaced whole.
pub(crate) const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "private-token",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// Names (of query parameters, form fields, JSON fields) whose value is a
/// credential: the token in the query (`access_token`), and what the OAuth
/// endpoints send and answer.
pub(crate) const SECRET_NAMES: &[&str] = &[
    TOKEN_QUERY,
    "refresh_token",
    "client_secret",
    "private_token",
    "password",
];

/// Whether a header named `name` carries a credential.
pub(crate) fn is_credential_header(name: &str) -> bool {
    CREDENTIAL_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
}

/// What is shown of the value of a credential header (one that
/// [`is_credential_header`]): [`REDACTED`] in place of the credential,
/// keeping the authentication scheme of `Authorization` and
/// `Proxy-Authorization` (`Bearer [redacted]`), which tells how the token
/// was sent and is no secret. Any other value, and one whose first word is
/// not a scheme name, is replaced whole.
pub(crate) fn credential_header_value(name: &str, value: &[u8]) -> String {
    let schemed = name.eq_ignore_ascii_case("authorization")
        || name.eq_ignore_ascii_case("proxy-authorization");
    let scheme = value
        .iter()
        .position(|&b| b == b' ')
        .map(|space| &value[..space])
        .filter(|scheme| !scheme.is_empty() && scheme.iter().all(u8::is_ascii_alphabetic));
    match scheme {
        Some(scheme) if schemed => {
            format!("{} {REDACTED}", String::from_utf8_lossy(scheme))
        }
        _ => REDACTED.to_string(),
    }
}

/// Whether a parameter or field named `name` carries a credential.
pub(crate) fn is_secret_name(name: &str) -> bool {
    SECRET_NAMES.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// The shortest text treated as a secret: a shorter one would redact
/// ordinary words (a test's token `t`), and is no real token.
const MIN_SECRET_LEN: usize = 4;

/// Replaces known secrets, in every form they take in a request or an
/// answer (as they are, form-encoded, JSON-escaped), with
/// [`REDACTED`].
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    /// Each secret's forms, longest first, without repeats.
    forms: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} form(s), {REDACTED})", self.forms.len())
    }
}

impl Redactor {
    /// A redactor of `token`, if any (and long enough to be one).
    #[cfg(any(feature = "mcp", test))]
    pub(crate) fn new(token: Option<&str>) -> Self {
        let mut redactor = Redactor::default();
        if let Some(token) = token {
            redactor.add(token);
        }
        redactor
    }

    /// Also redacts `secret` (ignored when shorter than 4 characters or
    /// known already).
    pub(crate) fn add(&mut self, secret: &str) {
        if secret.len() < MIN_SECRET_LEN || secret == REDACTED {
            return;
        }
        let form_encoded = serde_urlencoded::to_string([("", secret)])
            .map(|pair| pair.trim_start_matches('=').to_string())
            .unwrap_or_default();
        let json_escaped = serde_json::to_string(secret)
            .map(|quoted| quoted[1..quoted.len() - 1].to_string())
            .unwrap_or_default();
        for form in [secret.to_string(), form_encoded, json_escaped] {
            if form.len() >= MIN_SECRET_LEN && !self.forms.contains(&form) {
                self.forms.push(form);
            }
        }
        // A form that holds another is replaced first.
        self.forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    }

    /// `text` with every secret replaced.
    pub(crate) fn text(&self, text: &str) -> String {
        self.text_cow(text).into_owned()
    }

    /// `text` with every secret replaced, borrowed when it holds none.
    pub(crate) fn text_cow<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for form in &self.forms {
            if out.contains(form.as_str()) {
                out = Cow::Owned(out.replace(form.as_str(), REDACTED));
            }
        }
        out
    }

    /// `bytes` (any bytes, UTF-8 or not) with every secret replaced,
    /// borrowed when they hold none.
    pub(crate) fn bytes<'b>(&self, bytes: &'b [u8]) -> Cow<'b, [u8]> {
        let mut out = Cow::Borrowed(bytes);
        for form in &self.forms {
            if find(&out, form.as_bytes()).is_some() {
                out = Cow::Owned(replace(&out, form.as_bytes(), REDACTED.as_bytes()));
            }
        }
        out
    }

    /// Whether `bytes` hold a secret.
    pub(crate) fn holds(&self, bytes: &[u8]) -> bool {
        self.forms
            .iter()
            .any(|form| find(bytes, form.as_bytes()).is_some())
    }
}

/// The first position of `needle` (not empty) in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut start = 0;
    while start + needle.len() <= haystack.len() {
        let offset = haystack[start..=haystack.len() - needle.len()]
            .iter()
            .position(|&b| b == first)?;
        let at = start + offset;
        if haystack[at + 1..at + needle.len()] == *rest {
            return Some(at);
        }
        start = at + 1;
    }
    None
}

/// `haystack` with every `needle` (not empty) replaced by `with`.
fn replace(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = find(rest, needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(with);
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// `url` as text, with the value of every query parameter of a [secret
/// name](SECRET_NAMES) replaced by [`REDACTED`]
/// (written as it is, not percent-encoded, so that it reads as the
/// marker); the URL as it is when it has none.
pub(crate) fn url(url: &reqwest::Url) -> String {
    if !url.query_pairs().any(|(k, _)| is_secret_name(&k)) {
        return url.to_string();
    }
    let mut clean = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if is_secret_name(&k) {
                REDACTED.to_string()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    clean.query_pairs_mut().clear().extend_pairs(pairs);
    // The marker's brackets, as the query serializer percent-encoded them.
    let encoded =
        percent_encoding::utf8_percent_encode(REDACTED, percent_encoding::NON_ALPHANUMERIC);
    clean.as_str().replace(&encoded.to_string(), REDACTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_secret_is_redacted() {
        let r = Redactor::new(Some("s3cret/t0ken+x"));
        assert_eq!(
            r.text("a s3cret/t0ken+x b s3cret%2Ft0ken%2Bx"),
            "a [redacted] b [redacted]"
        );
        let quoted = Redactor::new(Some("with\"quote"));
        assert_eq!(
            quoted.text(r#"{"t":"with\"quote"}"#),
            r#"{"t":"[redacted]"}"#
        );
        let bytes = b"\xff\x00s3cret/t0ken+x\xfe";
        assert_eq!(&*r.bytes(bytes), b"\xff\x00[redacted]\xfe");
        assert!(r.holds(bytes));
        assert!(!r.holds(b"s3cret"));
        assert!(matches!(r.bytes(b"nothing"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_credential_header_keeps_only_its_scheme() {
        for (name, value, shown) in [
            ("Authorization", "Bearer s3cr3t-token", "Bearer [redacted]"),
            (
                "proxy-authorization",
                "Basic dXNlcjpwYXNz",
                "Basic [redacted]",
            ),
            ("Authorization", "s3cr3t-token", "[redacted]"),
            ("Authorization", "Bearer", "[redacted]"),
            ("Authorization", "Bear3r s3cr3t", "[redacted]"),
            ("PRIVATE-TOKEN", "Bearer s3cr3t", "[redacted]"),
            ("Cookie", "session=s3cr3t", "[redacted]"),
        ] {
            assert_eq!(
                credential_header_value(name, value.as_bytes()),
                shown,
                "{name}: {value}"
            );
        }
    }

    #[test]
    fn short_texts_are_no_secrets() {
        let mut r = Redactor::new(Some("t"));
        r.add("abc");
        r.add(REDACTED);
        assert!(r.forms.is_empty());
        assert_eq!(r.text("t abc [redacted]"), "t abc [redacted]");
    }

    #[test]
    fn byte_search_finds_overlaps_and_ends() {
        assert_eq!(find(b"aaab", b"aab"), Some(1));
        assert_eq!(find(b"xyz", b"yz"), Some(1));
        assert_eq!(find(b"xy", b"xyz"), None);
        assert_eq!(find(b"xy", b""), None);
        assert_eq!(replace(b"abab", b"ab", b"-"), b"--");
    }

    #[test]
    fn secret_query_parameters_are_redacted() {
        let u = reqwest::Url::parse(
            "https://gitcode.com/oauth/token?grant_type=refresh_token&refresh_token=R1&page=2",
        )
        .unwrap();
        assert_eq!(
            url(&u),
            "https://gitcode.com/oauth/token?grant_type=refresh_token&refresh_token=[redacted]&page=2"
        );
        let plain = reqwest::Url::parse("https://x/a?b=c%20d").unwrap();
        assert_eq!(url(&plain), "https://x/a?b=c%20d");
    }
}
