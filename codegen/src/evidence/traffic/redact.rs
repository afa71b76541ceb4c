//! Credentials never reach a report: [`Redactor`].
//!
//! A HAR file from another tool is not redacted: its requests carry the
//! token (`Authorization`, `PRIVATE-TOKEN`, the `access_token` query
//! parameter), its cookies carry sessions, and an answer may echo either. A
//! [`Redactor`] learns every such value from the entries it is given and
//! replaces it with [`MARKER`] wherever it appears in what is printed;
//! besides, every string in the value of a JSON key, form field or query
//! parameter named like a credential (`access_token`, `refresh_token`,
//! `password`, ...) is the marker, whatever it says. A text shorter than [`MIN_SECRET`] characters is
//! not searched for. This is the client's recorder's rule (`gitcode::record`,
//! whose marker this is, and whose list lives in the client's private
//! `redact` module, out of reach of this crate, which must build without
//! the client), widened for recordings nobody redacted: besides its names
//! (`access_token`, `refresh_token`, `client_secret`, `private_token`,
//! `password` and the credential headers) also `token`, `id_token` and
//! `secret`, and every cookie's value.

use serde_json::Value;

use super::har::Entry;

/// What replaces a credential.
pub const MARKER: &str = "[redacted]";

/// A text shorter than this is no secret and is not searched for (the
/// recorder's rule too): replacing `en` everywhere would garble every
/// message, and no token is that short.
pub const MIN_SECRET: usize = 4;

/// Names of fields, headers and query parameters whose value is a
/// credential (compared without case, `-` read as `_`).
const CREDENTIAL_NAMES: &[&str] = &[
    "authorization",
    "private_token",
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "password",
    "secret",
    "client_secret",
    "cookie",
    "set_cookie",
];

/// Whether a field, header or parameter called `name` holds a credential.
pub fn is_credential_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace('-', "_");
    CREDENTIAL_NAMES.contains(&name.as_str())
}

/// Replaces the credentials of some HAR entries in any text or JSON value.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Every secret learnt, longest first (so that a secret holding another
    /// is replaced whole).
    secrets: Vec<String>,
}

impl Redactor {
    /// Learns the credentials of `entries`: the `Authorization` header's
    /// value (and its credential after the scheme), every header, query
    /// parameter and cookie named like a credential, and every cookie's
    /// value.
    pub fn learn<'e>(&mut self, entries: impl IntoIterator<Item = &'e Entry>) {
        for entry in entries {
            let request = &entry.request;
            let response = entry.response.as_ref();
            let headers = request
                .headers
                .iter()
                .chain(response.into_iter().flat_map(|r| &r.headers));
            for (name, value) in headers {
                if name.eq_ignore_ascii_case("authorization") {
                    if let Some((_, credential)) = value.trim().split_once(' ') {
                        self.add(credential.trim());
                    }
                    self.add(value.trim());
                } else if name.eq_ignore_ascii_case("cookie") {
                    for cookie in value.split(';') {
                        let (_, v) = cookie.split_once('=').unwrap_or(("", cookie));
                        self.add(v.trim());
                    }
                } else if name.eq_ignore_ascii_case("set-cookie") {
                    let first = value.split(';').next().unwrap_or_default();
                    let (_, v) = first.split_once('=').unwrap_or(("", first));
                    self.add(v.trim());
                } else if is_credential_name(name) {
                    self.add(value.trim());
                }
            }
            for (name, value) in &request.target.query {
                if is_credential_name(name) {
                    self.add(value);
                }
            }
            let cookies = request
                .cookies
                .iter()
                .chain(response.into_iter().flat_map(|r| &r.cookies));
            for (_, value) in cookies {
                self.add(value);
            }
        }
        self.secrets
            .sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        self.secrets.dedup();
    }

    /// Learns `secret`, unless it is too short to be one or was redacted
    /// already (`[redacted]`, `Bearer [redacted]`: hiding it again would
    /// only hide the scheme).
    fn add(&mut self, secret: &str) {
        if secret.chars().count() >= MIN_SECRET && !secret.contains(MARKER) {
            self.secrets.push(secret.to_string());
        }
    }

    /// `text` with every learnt secret replaced by [`MARKER`].
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MARKER);
            }
        }
        out
    }

    /// `value` with every learnt secret replaced in its strings (and keys),
    /// and every string below a key named like a credential replaced
    /// whole. Numbers, booleans and `null` stay, so that the value keeps
    /// its types for the schema checks.
    pub fn value(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.value(v)).collect()),
            Value::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| {
                        let v = if is_credential_name(k) {
                            secret(v)
                        } else {
                            self.value(v)
                        };
                        (self.text(k), v)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// One example value for a report: `value` (the value of the field
    /// `name`, when it has one) redacted, as compact JSON, cut to at most
    /// `EXAMPLE_CHARS` characters after redaction, so that no part of a
    /// secret shows.
    pub fn example(&self, name: Option<&str>, value: &Value) -> String {
        let redacted = if name.is_some_and(is_credential_name) {
            secret(value)
        } else {
            self.value(value)
        };
        shorten(&redacted.to_string())
    }

    /// A text for a report (a path, a message, a body that is not JSON),
    /// redacted and cut.
    pub fn example_text(&self, text: &str) -> String {
        shorten(&self.text(text))
    }
}

/// A credential's value: every string in it is the marker.
fn secret(value: &Value) -> Value {
    match value {
        Value::String(_) => Value::String(MARKER.into()),
        Value::Array(items) => Value::Array(items.iter().map(secret).collect()),
        Value::Object(fields) => {
            Value::Object(fields.iter().map(|(k, v)| (k.clone(), secret(v))).collect())
        }
        other => other.clone(),
    }
}

/// How many characters of an example a report shows.
pub const EXAMPLE_CHARS: usize = 80;

/// `text` cut to [`EXAMPLE_CHARS`] characters, with `…` where it was cut.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(EXAMPLE_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::traffic::har::parse;

    fn redactor() -> Redactor {
        let har = parse(
            "a.har".as_ref(),
            r#"{"log": {"entries": [{
              "request": {"method": "GET", "url": "https://h/x?access_token=qtok&page=1",
                "headers": [{"name": "Authorization", "value": "Bearer btok"}, {"name": "PRIVATE-TOKEN", "value": "ptok"},
                            {"name": "Cookie", "value": "sid=s1s1; theme=dark; lang=en"}],
                "cookies": [{"name": "sid", "value": "s1s1"}]},
              "response": {"status": 200, "headers": [{"name": "Set-Cookie", "value": "sid=s2s2; Path=/"}]}
            }]}}"#,
        )
        .unwrap();
        let mut r = Redactor::default();
        r.learn(har.entries.iter().filter_map(|e| e.as_ref().ok()));
        r
    }

    #[test]
    fn every_credential_of_the_entries_is_replaced_wherever_it_shows() {
        let r = redactor();
        assert_eq!(
            r.text("btok ptok qtok s1s1 s2s2 Bearer btok dark en"),
            "[redacted] [redacted] [redacted] [redacted] [redacted] [redacted] [redacted] en"
        );
        let value = serde_json::json!({
            "echo": "token is btok", "access_token": "other", "n": null,
            "nested": [{"Password": 1, "secret": {"v": "x", "on": true}}],
        });
        assert_eq!(
            r.value(&value),
            serde_json::json!({
                "echo": "token is [redacted]", "access_token": "[redacted]", "n": null,
                "nested": [{"Password": 1, "secret": {"v": "[redacted]", "on": true}}],
            })
        );
    }

    #[test]
    fn examples_are_redacted_before_they_are_cut() {
        let r = redactor();
        let long = format!("{}btok", "x".repeat(78));
        let example = r.example(None, &Value::String(long));
        assert_eq!(example, format!("\"{}[…", "x".repeat(78)));
        assert!(!example.contains("bt"), "{example}");
        assert_eq!(
            r.example(Some("private-token"), &serde_json::json!("anything")),
            "\"[redacted]\""
        );
        assert_eq!(r.example_text("short"), "short");
    }
}
