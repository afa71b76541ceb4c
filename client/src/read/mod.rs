//! Stage 3 of a call, reading the answer: the server's response into a
//! typed value or an error ([`response`]), decoding a body that does not fit
//! the spec without losing it ([`decode`]), and the lenient scalar types
//! that take each of the server's spellings of an id, a date or a flag
//! ([`lenient`], with their serde helpers in `de`).
//!
//! Nothing here sends: the response arrives from [`crate::runtime`], and a
//! list's next page is asked for by [`crate::pagination`]. Each module has
//! its name at the crate root (`gitcode::decode`, ...); this folder only says
//! which stage it belongs to.

pub(crate) mod de;
pub mod decode;
pub mod lenient;
pub mod response;
