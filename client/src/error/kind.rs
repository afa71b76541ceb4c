//! The cases of error a caller acts on: [`ErrorKind`], which every error of
//! the crate reports through its `kind()`.

/// What went wrong, as a caller acts on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 401: the token is missing, wrong or expired.
    Unauthorized,
    /// 403: the token lacks a permission.
    Forbidden,
    /// 404.
    NotFound,
    /// 429: over the rate limit (see [`Error::retry_after`](crate::Error::retry_after)).
    RateLimited,
    /// 400 or 422: the server rejected the parameters.
    Validation,
    /// 409.
    Conflict,
    /// Any 5xx, or a success status whose body is an error envelope and
    /// nothing else ([`ApiError::success_status`](crate::ApiError::success_status)).
    ServerError,
    /// Any other error status.
    OtherStatus,
    /// The request never got an answer (connection, TLS, timeout).
    Transport,
    /// The answer could not be decoded into the expected type.
    Decode,
    /// The request could not be built (a missing or invalid parameter, a
    /// path parameter with a `..` segment).
    InvalidRequest,
    /// A redirect that may not be followed ([`crate::redirect`]).
    Redirect,
    /// The client could not be built from its settings
    /// ([`ClientBuilder::build`](crate::ClientBuilder::build): a base URL
    /// that is not one, a token over plain HTTP, no TLS).
    InvalidConfig,
    /// A page stream that would not end: the server sent the same page
    /// again, or the pages went past the cap ([`crate::pagination`]).
    Pagination,
    /// The store of a shared rate limit could not be used and its policy
    /// said to fail the call ([`Error::RateLimitStore`](crate::Error::RateLimitStore)); nothing was sent.
    RateLimitStore,
}
