//! Stage 2 of a call, sending the request: the client and its builder
//! ([`runtime`]: the one place every request goes out), the token
//! ([`auth`]), the rate limit ([`rate_limit`]), retries ([`retry`]),
//! redirects ([`redirect`]), TLS set-up (`tls`), recording every exchange
//! ([`record`]) and hiding credentials from anything written down (`redact`).
//!
//! A request leaves [`runtime::execute`](crate::runtime) with the token in
//! the mode chosen, after the limiter's slot, and comes back as the server's
//! response, unread: reading it is the next stage, [`crate::response`].
//! Each module has its name at the crate root (`gitcode::runtime`, ...);
//! this folder only says which stage it belongs to.

pub mod auth;
pub(crate) mod origin;
pub mod rate_limit;
pub mod record;
pub(crate) mod redact;
pub mod redirect;
pub mod retry;
pub mod runtime;
pub(crate) mod tls;
