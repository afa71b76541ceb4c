//! Authentication: a personal access token sent the way the caller chooses.

use std::fmt;

/// How the token reaches the server. GitCode accepts all three.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthMode {
    /// `Authorization: Bearer <token>` (the default).
    #[default]
    Bearer,
    /// `PRIVATE-TOKEN: <token>`.
    PrivateToken,
    /// `?access_token=<token>` in the query string.
    QueryParameter,
}

pub use crate::redact::REDACTED;

/// A token that never shows itself: its `Debug` and `Display` print
/// [`REDACTED`].
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(token: impl Into<String>) -> Self {
        Token(token.into())
    }

    /// The token itself, for the request that carries it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({REDACTED})")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

pub(crate) use crate::redact::TOKEN_QUERY;

/// Removes every `access_token` pair from `url`'s query (and the query, if
/// nothing else is left).
pub(crate) fn remove_token_query(url: &mut reqwest::Url) {
    if !url.query_pairs().any(|(k, _)| k == TOKEN_QUERY) {
        return;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != TOKEN_QUERY)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}

/// Adds the token to `request` in the chosen mode.
pub(crate) fn authorize(
    request: &mut reqwest::Request,
    token: &Token,
    mode: AuthMode,
) -> Result<(), String> {
    use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
    let value = |text: String| {
        let mut value = HeaderValue::from_str(&text)
            .map_err(|_| "the token is not a valid header value".to_string())?;
        value.set_sensitive(true);
        Ok::<_, String>(value)
    };
    match mode {
        AuthMode::Bearer => {
            let v = value(format!("Bearer {}", token.expose()))?;
            request.headers_mut().insert(AUTHORIZATION, v);
        }
        AuthMode::PrivateToken => {
            let v = value(token.expose().to_string())?;
            request
                .headers_mut()
                .insert(HeaderName::from_static("private-token"), v);
        }
        AuthMode::QueryParameter => {
            let url = request.url_mut();
            if url.query_pairs().any(|(k, _)| k == TOKEN_QUERY) {
                // Once only, whatever the URL held (a redirect's `Location`).
                let kept: Vec<(String, String)> = url
                    .query_pairs()
                    .filter(|(k, _)| k != TOKEN_QUERY)
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                url.query_pairs_mut().clear().extend_pairs(kept);
            }
            url.query_pairs_mut()
                .append_pair(TOKEN_QUERY, token.expose());
        }
    }
    Ok(())
}

/// `url` with the value of any `access_token` (and of the other query
/// parameters that carry a credential: `refresh_token`, `client_secret`, ...)
/// replaced by [`REDACTED`], for errors and logs.
pub fn redact_url(url: &reqwest::Url) -> String {
    crate::redact::url(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_never_prints() {
        let token = Token::new("glpat-secret");
        assert_eq!(format!("{token:?} {token}"), "Token([redacted]) [redacted]");
    }

    #[test]
    fn urls_lose_their_token() {
        let url =
            reqwest::Url::parse("https://api.gitcode.com/api/v5/user?access_token=s3cr3t&page=2")
                .unwrap();
        let shown = redact_url(&url);
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("page=2"), "{shown}");
    }
}
