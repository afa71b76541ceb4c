//! Which server a URL names, as messages and the redirect rule compare it.

/// A URL's host with its port when one is written (`api.gitcode.com`,
/// `127.0.0.1:8080`): how errors name a server and the CLI keys its tokens.
pub(crate) fn host_and_port(url: &reqwest::Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

/// `scheme://host:port`, never the path or query.
pub(crate) fn origin_text(url: &reqwest::Url) -> String {
    url.origin().ascii_serialization()
}
