//! Stage 1 of a call, building the request: the values a caller passes to a
//! builder's setters ([`value`]), a path parameter put into the URL
//! ([`paths`]), a form body ([`form`]) and a multipart upload
//! ([`multipart`]).
//!
//! Nothing here sends or reads anything: a builder's `send()` takes what
//! these modules made to the next stage, [`crate::runtime`]. Each module has
//! its name at the crate root (`gitcode::value`, ...); this folder only says
//! which stage it belongs to.

pub mod form;
pub mod multipart;
pub mod paths;
pub mod value;
