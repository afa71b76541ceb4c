//! Receiving GitCode webhooks (feature `webhooks`): check that a delivery
//! comes from GitCode, then read it as a typed [`Event`].
//!
//! GitCode `POST`s each event as JSON with the event's name in
//! `X-GitCode-Event` (`Push Hook`, `Merge Request Hook`, ...) and proves
//! itself in one of two ways, chosen per hook:
//!
//! - a **password**, sent as is in `X-GitCode-Token`;
//! - a **signing key**: `X-GitCode-Signature-256: sha256=<hex>`, the
//!   HMAC-SHA256 of the raw body under the key.
//!
//! [`Receiver::receive`] takes the request's headers and raw body and
//! returns the verified, parsed [`Delivery`], or a [`WebhookError`] that
//! says which check failed. Both secrets are compared in constant time;
//! no input makes it panic. Give it the body exactly as received: the
//! signature is over those bytes, so a body parsed and re-serialised first
//! no longer verifies.
//!
//! ```
//! use gitcode::webhooks::{Event, Receiver, Secret};
//!
//! # fn handle(headers: &reqwest::header::HeaderMap, body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//! let receiver = Receiver::new(Secret::SigningKey(b"from the hook's settings".to_vec()))?;
//! let delivery = receiver.receive(headers, body)?; // answer 401 on an error
//! match &delivery.event {
//!     Event::Push(push) => println!("push to {:?}", push.ref_),
//!     Event::MergeRequest(mr) => println!("merge request {:?}", mr.object_attributes.as_ref().and_then(|a| a.iid.clone())),
//!     other => println!("{}", other.name()),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Payloads decode like answers ([`crate::decode`]): a value that does not
//! fit an optional field is left out with a warning (or, with
//! [`Receiver::strict`], fails), and an event the spec does not know yet
//! is [`Event::Unknown`] with its name and JSON body, never an error.

use bytes::Bytes;
use hmac::{KeyInit, Mac};
use reqwest::header::HeaderMap;
use subtle::ConstantTimeEq;

use crate::decode::{DecodeMode, Failure, Repair};
pub use crate::generated::webhooks::Event;

/// The header that names the event.
pub const EVENT_HEADER: &str = "X-GitCode-Event";
/// The header with the hook's password (password mode).
pub const TOKEN_HEADER: &str = "X-GitCode-Token";
/// The header with the body's signature (signing-key mode).
pub const SIGNATURE_HEADER: &str = "X-GitCode-Signature-256";
/// The header with the delivery's unique id.
pub const DELIVERY_HEADER: &str = "X-GitCode-Delivery";

/// What a hook was configured with.
#[derive(Clone, PartialEq, Eq)]
pub enum Secret {
    /// The hook's password, sent as is in `X-GitCode-Token`.
    Password(String),
    /// The hook's signing key; each delivery carries the HMAC-SHA256 of its
    /// body under it in `X-GitCode-Signature-256`.
    SigningKey(Vec<u8>),
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Secret::Password(_) => f.write_str("Password(<redacted>)"),
            Secret::SigningKey(_) => f.write_str("SigningKey(<redacted>)"),
        }
    }
}

/// Why a delivery was not accepted.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The receiver was given an empty password or signing key: a mistake
    /// in its configuration, not in the delivery.
    #[error("the webhook secret is empty: configure the hook's password or signing key")]
    EmptySecret,
    #[error("the delivery has no `{0}` header")]
    MissingHeader(&'static str),
    #[error("the `{0}` header is not valid text")]
    InvalidHeader(&'static str),
    #[error("`X-GitCode-Signature-256` is not `sha256=` followed by 64 hex digits")]
    MalformedSignature,
    #[error("the signature does not match the body (a wrong signing key, or a changed body)")]
    BadSignature,
    #[error("the password in `X-GitCode-Token` is wrong")]
    WrongPassword,
    /// Verified, but the body is not JSON or does not fit the event's
    /// payload. The body is kept.
    #[error("the body is not a `{event}` payload{}: {}", at(&.failure.path), .failure.message)]
    Body {
        event: String,
        failure: Failure,
        body: Bytes,
    },
}

fn at(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" at `{path}`")
    }
}

/// A verified delivery.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Delivery {
    pub event: Event,
    /// `X-GitCode-Delivery`, when sent.
    pub id: Option<String>,
    /// What tolerant decoding left out of the payload (also logged).
    pub repairs: Vec<Repair>,
}

/// Verifies and parses deliveries for one hook.
#[derive(Debug, Clone)]
pub struct Receiver {
    secret: Secret,
    mode: DecodeMode,
}

impl Receiver {
    /// A receiver for a hook configured with `secret`; an empty secret is
    /// refused ([`WebhookError::EmptySecret`]), since it would accept
    /// deliveries anyone can forge.
    pub fn new(secret: Secret) -> Result<Receiver, WebhookError> {
        let empty = match &secret {
            Secret::Password(p) => p.is_empty(),
            Secret::SigningKey(k) => k.is_empty(),
        };
        if empty {
            return Err(WebhookError::EmptySecret);
        }
        Ok(Receiver {
            secret,
            mode: DecodeMode::Tolerant,
        })
    }

    /// Fails a payload with a value that does not fit the spec, instead of
    /// leaving the value out.
    pub fn strict(mut self, strict: bool) -> Receiver {
        self.mode = DecodeMode::from_strict(strict);
        self
    }

    /// Checks the delivery's password or signature, then parses its body
    /// as the event its `X-GitCode-Event` header names.
    pub fn receive(&self, headers: &HeaderMap, body: &[u8]) -> Result<Delivery, WebhookError> {
        self.verify(headers, body)?;
        let event =
            header(headers, EVENT_HEADER)?.ok_or(WebhookError::MissingHeader(EVENT_HEADER))?;
        let (event, repairs) = parse_with(event, body, self.mode)?;
        crate::decode::report("webhook", &repairs);
        Ok(Delivery {
            event,
            id: header(headers, DELIVERY_HEADER)?.map(str::to_string),
            repairs,
        })
    }

    /// Only the password or signature check.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        match &self.secret {
            Secret::Password(password) => {
                let sent = header(headers, TOKEN_HEADER)?
                    .ok_or(WebhookError::MissingHeader(TOKEN_HEADER))?;
                verify_password(password, sent)
            }
            Secret::SigningKey(key) => {
                let sent = header(headers, SIGNATURE_HEADER)?
                    .ok_or(WebhookError::MissingHeader(SIGNATURE_HEADER))?;
                verify_signature(key, body, sent)
            }
        }
    }
}

/// A header's value as text, `None` when absent.
fn header<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<Option<&'h str>, WebhookError> {
    match headers.get(name) {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .map(|v| Some(v.trim()))
            .map_err(|_| WebhookError::InvalidHeader(name)),
    }
}

/// Checks `X-GitCode-Signature-256` (`sha256=<hex>`, either case of hex)
/// against the HMAC-SHA256 of `body` under `key`, in constant time.
pub fn verify_signature(key: &[u8], body: &[u8], header_value: &str) -> Result<(), WebhookError> {
    if key.is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    let hex = header_value
        .trim()
        .strip_prefix("sha256=")
        .ok_or(WebhookError::MalformedSignature)?;
    let sent = decode_hex(hex).ok_or(WebhookError::MalformedSignature)?;
    body_mac(key, body)
        .verify_slice(&sent)
        .map_err(|_| WebhookError::BadSignature)
}

/// The HMAC-SHA256 state over `body` under `key`.
fn body_mac(key: &[u8], body: &[u8]) -> hmac::Hmac<sha2::Sha256> {
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(body);
    mac
}

/// The signature GitCode sends for `body` under `key`:
/// `sha256=<lower-case hex>`. For tests and for forwarding deliveries.
pub fn sign(key: &[u8], body: &[u8]) -> String {
    let digest = body_mac(key, body).finalize().into_bytes();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for byte in digest.iter() {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Checks `X-GitCode-Token` against the hook's password in constant time
/// (both are hashed first, so not even their lengths are compared).
pub fn verify_password(password: &str, header_value: &str) -> Result<(), WebhookError> {
    if password.is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    use sha2::Digest;
    let expected = sha2::Sha256::digest(password.as_bytes());
    let sent = sha2::Sha256::digest(header_value.as_bytes());
    if bool::from(expected.as_slice().ct_eq(sent.as_slice())) {
        Ok(())
    } else {
        Err(WebhookError::WrongPassword)
    }
}

/// 64 hex digits → 32 bytes.
fn decode_hex(hex: &str) -> Option<[u8; 32]> {
    let digits = hex.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    let value = |d: u8| (d as char).to_digit(16).map(|v| v as u8);
    let mut out = [0u8; 32];
    for (i, pair) in digits.chunks_exact(2).enumerate() {
        out[i] = value(pair[0])? << 4 | value(pair[1])?;
    }
    Some(out)
}

/// Parses a body as the event `name` names, without any check: for
/// deliveries already verified elsewhere, or read from a hook's delivery
/// log. Tolerant, like answers; what was left out is logged.
pub fn parse(name: &str, body: &[u8]) -> Result<Event, WebhookError> {
    let (event, repairs) = parse_with(name, body, DecodeMode::Tolerant)?;
    crate::decode::report("webhook", &repairs);
    Ok(event)
}

/// [`parse`] with a decode mode, returning what was left out.
pub fn parse_with(
    name: &str,
    body: &[u8],
    mode: DecodeMode,
) -> Result<(Event, Vec<Repair>), WebhookError> {
    let decoded = if crate::decode::is_blank(body) {
        Err(Failure {
            path: String::new(),
            message: "the body is empty".into(),
        })
    } else {
        Event::decode(name, body, mode)
    };
    decoded.map_err(|failure| WebhookError::Body {
        event: name.to_string(),
        failure,
        body: Bytes::copy_from_slice(body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_reads_both_cases_and_nothing_else() {
        let lower = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assert_eq!(decode_hex(lower), decode_hex(&lower.to_uppercase()));
        assert!(decode_hex(lower).is_some());
        assert!(decode_hex(&lower[1..]).is_none());
        assert!(decode_hex(&format!("{}g", &lower[1..])).is_none());
        assert!(decode_hex(&format!("{}é", &lower[2..])).is_none());
    }
}
