//! Redirects, followed so that the token goes only where the caller meant.
//!
//! Raw files and release assets may redirect to a storage host, so
//! redirects are followed (up to [`MAX_REDIRECTS`]), by the runtime rather
//! than by reqwest, under one rule:
//!
//! - a request that leaves the origin (scheme, host and port) of the one
//!   the caller made carries no credentials, in any auth mode: no
//!   `Authorization`, no `PRIVATE-TOKEN`, no `access_token` in the query, no
//!   cookie, and no `Referer` (which would hold the first URL, token
//!   included). Once stripped, they stay stripped for the rest of the chain;
//! - a redirect from `https` to `http` is refused: the call fails with
//!   [`Error::Redirect`](crate::Error::Redirect), as do a missing or
//!   unreadable `Location` and too many hops;
//! - a same-origin redirect keeps the credentials.
//!
//! A 303 (and a 301 or 302 answering a POST) is followed with a GET and no
//! body, as browsers and reqwest do; 307 and 308 resend the same request.
//!
//! The `reqwest::Client` the runtime builds follows no redirect itself and
//! sends no `Referer`. A client given to
//! [`ClientBuilder::reqwest_client`](crate::ClientBuilder::reqwest_client)
//! should be built the same way ([`http_client_builder`]), or its own
//! redirect policy applies instead of this one.

use reqwest::header::{self, HeaderName};
use reqwest::{Method, Request, Response, StatusCode, Url};

use crate::auth::TOKEN_QUERY;
use crate::origin::origin_text;

/// The most redirects followed for one request.
pub const MAX_REDIRECTS: usize = 10;

/// A `reqwest::ClientBuilder` set up as the runtime sets up its own: no
/// redirect followed by reqwest (the runtime follows them under the rule
/// above) and no `Referer` header.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    crate::tls::prepare();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
}

/// Why a redirect was not followed: attached to the 3xx response, which
/// the finishers turn into [`Error::Redirect`](crate::Error::Redirect).
#[derive(Clone, Debug)]
pub(crate) struct Refused(pub String);

/// What to do with a response.
pub(crate) enum Next {
    /// Not a redirect (or one that cannot be followed): the answer.
    Done(Response),
    /// Send this request next (to the caller's origin or elsewhere).
    Follow {
        request: Request,
        same_origin: bool,
        /// The hop stays on the origin and the request it follows carried
        /// the token: the token goes with it again (a `Location` holds no
        /// `access_token`). Once a hop has left the origin, never again.
        authorized: bool,
    },
}

/// Decides on `response`, `hops` redirects into the chain of a request
/// first sent to `origin`. `sent` gives a copy of the request as it was
/// sent (if it can be copied); it is called only to follow a redirect.
pub(crate) fn next(
    response: Response,
    sent: impl FnOnce() -> Option<Request>,
    origin: &str,
    hops: usize,
) -> Next {
    let status = response.status();
    if !is_followed(status) {
        return Next::Done(response);
    }
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok());
    let target = match target(response.url(), location, hops) {
        Ok(target) => target,
        Err(reason) => return Next::Done(refuse(response, &reason)),
    };
    let Some(mut request) = sent() else {
        // A streamed body cannot be sent twice: hand the redirect back.
        return Next::Done(refuse(response, "the request body cannot be sent again"));
    };
    let same_origin = origin_text(&target) == origin;
    let authorized = same_origin && carries_credentials(&request);
    if status == StatusCode::SEE_OTHER
        || (matches!(status.as_u16(), 301 | 302) && request.method() == Method::POST)
    {
        *request.method_mut() = Method::GET;
        *request.body_mut() = None;
        request.headers_mut().remove(header::CONTENT_TYPE);
        request.headers_mut().remove(header::CONTENT_LENGTH);
    }
    *request.url_mut() = target;
    if !same_origin {
        strip_credentials(&mut request);
    }
    Next::Follow {
        request,
        same_origin,
        authorized,
    }
}

/// Where a redirect from `from` with `location` goes, or why it is not
/// followed.
fn target(from: &Url, location: Option<&str>, hops: usize) -> Result<Url, String> {
    let location = location.ok_or("no readable `Location` header")?;
    let target = from
        .join(location)
        .map_err(|_| "the `Location` header is not a URL".to_string())?;
    if hops >= MAX_REDIRECTS {
        return Err(format!("more than {MAX_REDIRECTS} redirects"));
    }
    if !matches!(target.scheme(), "http" | "https") {
        return Err(format!("refused a redirect to a `{}` URL", target.scheme()));
    }
    if from.scheme() == "https" && target.scheme() != "https" {
        return Err(format!(
            "refused a redirect from https to plain http ({})",
            origin_text(&target)
        ));
    }
    Ok(target)
}

fn is_followed(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

fn refuse(mut response: Response, reason: &str) -> Response {
    response
        .extensions_mut()
        .insert(Refused(reason.to_string()));
    response
}

/// The reason a redirect was refused, if `response` is one.
pub(crate) fn refused(response: &Response) -> Option<String> {
    response.extensions().get::<Refused>().map(|r| r.0.clone())
}

/// Whether `request` carries a credential in any of the forms
/// [`strip_credentials`] removes.
fn carries_credentials(request: &Request) -> bool {
    let headers = request.headers();
    headers.contains_key(header::AUTHORIZATION)
        || headers.contains_key("private-token")
        || request.url().query_pairs().any(|(k, _)| k == TOKEN_QUERY)
}

/// Removes every credential from `request`: headers, the query token, and
/// headers that may repeat the first URL.
pub(crate) fn strip_credentials(request: &mut Request) {
    let headers = request.headers_mut();
    headers.remove(header::AUTHORIZATION);
    headers.remove(HeaderName::from_static("private-token"));
    headers.remove(header::COOKIE);
    headers.remove(header::PROXY_AUTHORIZATION);
    headers.remove(header::REFERER);
    crate::auth::remove_token_query(request.url_mut());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_stripped_in_every_form() {
        let client = reqwest::Client::new();
        let mut request = client
            .get("https://api.gitcode.com/api/v5/x?a=1&access_token=T0K&b=2")
            .header("authorization", "Bearer T0K")
            .header("private-token", "T0K")
            .header("referer", "https://api.gitcode.com/?access_token=T0K")
            .header("x-kept", "yes")
            .build()
            .unwrap();
        strip_credentials(&mut request);
        let text = format!("{} {:?}", request.url(), request.headers());
        assert!(!text.contains("T0K"), "{text}");
        assert_eq!(request.url().query(), Some("a=1&b=2"));
        assert_eq!(request.headers()["x-kept"], "yes");

        let mut only_token = client
            .get("https://api.gitcode.com/x?access_token=T0K")
            .build()
            .unwrap();
        strip_credentials(&mut only_token);
        assert_eq!(only_token.url().as_str(), "https://api.gitcode.com/x");
    }

    #[test]
    fn https_never_redirects_to_http() {
        let from =
            Url::parse("https://api.gitcode.com/api/v5/repos/o/r/raw/a?access_token=T").unwrap();
        let err = target(&from, Some("http://storage.example/a"), 0).unwrap_err();
        assert_eq!(
            err,
            "refused a redirect from https to plain http (http://storage.example)"
        );
        assert!(target(&from, Some("https://storage.example/a"), 0).is_ok());
        assert!(target(&from, Some("ftp://storage.example/a"), 0).is_err());
        assert_eq!(
            target(&from, Some("/api/v5/other"), 0).unwrap().as_str(),
            "https://api.gitcode.com/api/v5/other"
        );
        let plain = Url::parse("http://127.0.0.1:8080/x").unwrap();
        assert!(target(&plain, Some("http://127.0.0.2/y"), 0).is_ok());
    }

    #[test]
    fn chains_and_missing_locations_end() {
        let from = Url::parse("https://api.gitcode.com/x").unwrap();
        assert!(target(&from, None, 0).unwrap_err().contains("Location"));
        assert!(
            target(&from, Some("/y"), MAX_REDIRECTS)
                .unwrap_err()
                .contains("redirects")
        );
    }

    #[test]
    fn origins_show_no_path_or_query() {
        let url = Url::parse("https://storage.example:8443/a/b?access_token=T").unwrap();
        assert_eq!(origin_text(&url), "https://storage.example:8443");
    }
}
