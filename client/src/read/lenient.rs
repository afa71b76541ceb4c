//! Lenient scalar types: one Rust type for each value the GitCode server
//! sends in more than one form.
//!
//! The spec marks the schemas these replace with `x-gitcode-lenient`
//! (`spec/components/common.yaml`). Every type decodes all the forms seen in
//! the official docs' examples and re-encodes in the form the server accepts.
//! An optional field of one of these types also treats `""` as absent (see
//! [`option`]).

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A type whose optional fields decode `null`, a missing field and `""`
/// alike as `None`.
pub trait Lenient: Sized {
    /// What the type is called in error messages.
    const EXPECTING: &'static str;

    /// Decodes a string; `Ok(None)` for the empty string.
    fn from_str_opt<E: de::Error>(s: &str) -> Result<Option<Self>, E>;

    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        Err(E::invalid_type(de::Unexpected::Signed(v), &Self::EXPECTING))
    }

    fn from_u64<E: de::Error>(v: u64) -> Result<Self, E> {
        match i64::try_from(v) {
            Ok(v) => Self::from_i64(v),
            Err(_) => Err(E::invalid_type(
                de::Unexpected::Unsigned(v),
                &Self::EXPECTING,
            )),
        }
    }

    fn from_f64<E: de::Error>(v: f64) -> Result<Self, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Self::from_i64(v as i64)
        } else {
            Err(E::invalid_type(de::Unexpected::Float(v), &Self::EXPECTING))
        }
    }

    fn from_bool<E: de::Error>(v: bool) -> Result<Self, E> {
        Err(E::invalid_type(de::Unexpected::Bool(v), &Self::EXPECTING))
    }

    fn from_seq<'de, A: de::SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        let _ = seq;
        Err(de::Error::invalid_type(
            de::Unexpected::Seq,
            &Self::EXPECTING,
        ))
    }
}

/// Deserializes an `Option<T>` field: `null`, `""` and a missing field are
/// `None`. The generated types use it on every optional lenient field.
pub fn option<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient,
{
    deserializer.deserialize_any(OptionVisitor(std::marker::PhantomData))
}

struct OptionVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        T::from_str_opt(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::from_i64(v).map(Some)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::from_u64(v).map(Some)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::from_f64(v).map(Some)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::from_bool(v).map(Some)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::from_seq(seq).map(Some)
    }
}

/// Deserializes a list or map field that the server sends as `null` when
/// empty: `null` becomes the empty value.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A required lenient value: like [`option`], but absence is an error.
fn required<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient,
{
    option(deserializer)?
        .ok_or_else(|| de::Error::invalid_value(de::Unexpected::Str(""), &T::EXPECTING))
}

/// A value cut short for an error message.
fn snippet(s: &str) -> String {
    crate::text::snippet(s, 40)
}

// ---------------------------------------------------------------------------

/// An identifier or number the server sends as an integer in some objects
/// and as a string in others: user ids are hex strings, issue `number` is a
/// string, pull request `number` an integer.
///
/// Two `Id`s are equal when they print the same, so `Id::from(3)` equals
/// `Id::from("3")`: an issue number and a PR number are the same kind of
/// value whichever form the server chose.
#[derive(Clone, Debug)]
pub struct Id(IdRepr);

#[derive(Clone, Debug)]
enum IdRepr {
    Int(i64),
    Str(String),
}

impl Id {
    /// The id as an integer, if it is one (also for numeric strings).
    pub fn as_i64(&self) -> Option<i64> {
        match &self.0 {
            IdRepr::Int(v) => Some(*v),
            IdRepr::Str(s) => s.parse().ok(),
        }
    }

    /// The id as text, as it appears in URLs.
    pub fn as_str(&self) -> Cow<'_, str> {
        match &self.0 {
            IdRepr::Int(v) => Cow::Owned(v.to_string()),
            IdRepr::Str(s) => Cow::Borrowed(s),
        }
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            IdRepr::Int(v) => write!(f, "{v}"),
            IdRepr::Str(s) => f.write_str(s),
        }
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for Id {}

impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl From<i64> for Id {
    fn from(v: i64) -> Self {
        Id(IdRepr::Int(v))
    }
}
impl From<i32> for Id {
    fn from(v: i32) -> Self {
        Id(IdRepr::Int(v.into()))
    }
}
impl From<u32> for Id {
    fn from(v: u32) -> Self {
        Id(IdRepr::Int(v.into()))
    }
}
impl From<&str> for Id {
    fn from(v: &str) -> Self {
        Id(IdRepr::Str(v.to_string()))
    }
}
impl From<String> for Id {
    fn from(v: String) -> Self {
        Id(IdRepr::Str(v))
    }
}

impl std::str::FromStr for Id {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Id::from(s))
    }
}

impl Lenient for Id {
    const EXPECTING: &'static str = "an id (integer or string)";

    fn from_str_opt<E: de::Error>(s: &str) -> Result<Option<Self>, E> {
        Ok((!s.is_empty()).then(|| Id::from(s)))
    }
    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        Ok(Id::from(v))
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            IdRepr::Int(v) => s.serialize_i64(*v),
            IdRepr::Str(v) => s.serialize_str(v),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        required(d)
    }
}

// ---------------------------------------------------------------------------

/// A point in time, as the server sends it in one of several forms:
/// RFC 3339 with an offset or `Z`, with or without fractional seconds
/// (`2024-04-15T21:58:21.188+08:00`), `YYYY-MM-DD HH:MM[:SS]`, a bare date
/// (`2024-04-15`), or seconds / milliseconds since the epoch. Times without
/// an offset are GitCode's local time, China Standard Time (UTC+08:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(DateTime<FixedOffset>);

/// The offset of times the server sends without one.
fn server_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

impl Timestamp {
    /// The instant, with the offset it was sent with.
    pub fn as_datetime(&self) -> DateTime<FixedOffset> {
        self.0
    }

    /// Parses any of the accepted forms.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Some(Timestamp(t));
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f%z",
            "%Y-%m-%d %H:%M:%S%.f%z",
            "%Y-%m-%d %H:%M:%S %z",
        ] {
            if let Ok(t) = DateTime::parse_from_str(s, format) {
                return Some(Timestamp(t));
            }
        }
        for format in [
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y/%m/%d %H:%M:%S",
        ] {
            if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
                return server_offset()
                    .from_local_datetime(&t)
                    .single()
                    .map(Timestamp);
            }
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            let t = d.and_hms_opt(0, 0, 0)?;
            return server_offset()
                .from_local_datetime(&t)
                .single()
                .map(Timestamp);
        }
        None
    }

    fn from_epoch(v: i64) -> Option<Self> {
        // Values past the year 33658 in seconds are milliseconds.
        let utc = if v.abs() >= 1_000_000_000_000 {
            DateTime::from_timestamp_millis(v)?
        } else {
            DateTime::from_timestamp(v, 0)?
        };
        Some(Timestamp(utc.fixed_offset()))
    }
}

impl From<DateTime<FixedOffset>> for Timestamp {
    fn from(t: DateTime<FixedOffset>) -> Self {
        Timestamp(t)
    }
}

impl From<DateTime<chrono::Utc>> for Timestamp {
    fn from(t: DateTime<chrono::Utc>) -> Self {
        Timestamp(t.fixed_offset())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339())
    }
}

impl Lenient for Timestamp {
    const EXPECTING: &'static str =
        "a timestamp (RFC 3339, `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DD`)";

    fn from_str_opt<E: de::Error>(s: &str) -> Result<Option<Self>, E> {
        if s.trim().is_empty() {
            return Ok(None);
        }
        Timestamp::parse(s).map(Some).ok_or_else(|| {
            E::custom(format!(
                "invalid timestamp `{}`: expected {}",
                snippet(s),
                Self::EXPECTING
            ))
        })
    }
    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        Timestamp::from_epoch(v).ok_or_else(|| E::custom(format!("timestamp {v} is out of range")))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        required(d)
    }
}

// ---------------------------------------------------------------------------

/// A boolean the server may send as `true`/`false`, `0`/`1`, or as the
/// strings `"true"`/`"false"`/`"0"`/`"1"`. Sent back as a JSON boolean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Flag(pub bool);

impl Flag {
    pub fn get(self) -> bool {
        self.0
    }
}

impl From<bool> for Flag {
    fn from(v: bool) -> Self {
        Flag(v)
    }
}

impl From<Flag> for bool {
    fn from(v: Flag) -> Self {
        v.0
    }
}

impl PartialEq<bool> for Flag {
    fn eq(&self, other: &bool) -> bool {
        self.0 == *other
    }
}

impl std::ops::Deref for Flag {
    type Target = bool;
    fn deref(&self) -> &bool {
        &self.0
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Lenient for Flag {
    const EXPECTING: &'static str = "a boolean (true/false, 0/1 or a string of those)";

    fn from_str_opt<E: de::Error>(s: &str) -> Result<Option<Self>, E> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "1" => Ok(Some(Flag(true))),
            "false" | "0" => Ok(Some(Flag(false))),
            _ => Err(E::custom(format!(
                "invalid boolean `{}`: expected {}",
                snippet(s),
                Self::EXPECTING
            ))),
        }
    }
    fn from_i64<E: de::Error>(v: i64) -> Result<Self, E> {
        match v {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            _ => Err(E::invalid_value(
                de::Unexpected::Signed(v),
                &Self::EXPECTING,
            )),
        }
    }
    fn from_bool<E: de::Error>(v: bool) -> Result<Self, E> {
        Ok(Flag(v))
    }
}

impl Serialize for Flag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(self.0)
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        required(d)
    }
}

// ---------------------------------------------------------------------------

/// The state of an issue or pull request.
///
/// Responses say `opened` where filters take `open`: both are
/// [`State::Open`]. A state the server adds later decodes as
/// [`State::Other`] with its text rather than failing the whole response.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Open,
    Closed,
    Merged,
    Locked,
    /// A state this version does not know, as sent.
    Other(String),
}

impl State {
    /// The text filters take (`open`, `closed`, ...).
    pub fn as_str(&self) -> &str {
        match self {
            State::Open => "open",
            State::Closed => "closed",
            State::Merged => "merged",
            State::Locked => "locked",
            State::Other(s) => s,
        }
    }
}

impl From<&str> for State {
    fn from(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" | "opened" | "reopened" => State::Open,
            "closed" => State::Closed,
            "merged" => State::Merged,
            "locked" => State::Locked,
            _ => State::Other(s.to_string()),
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Lenient for State {
    const EXPECTING: &'static str = "a state string";

    fn from_str_opt<E: de::Error>(s: &str) -> Result<Option<Self>, E> {
        Ok((!s.trim().is_empty()).then(|| State::from(s)))
    }
}

impl Serialize for State {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for State {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        required(d)
    }
}

// ---------------------------------------------------------------------------

/// A list of names (labels, assignees, reviewers, ...) that the server takes
/// as one comma-separated string, `"bug,help wanted"`, never as a JSON
/// array. Responses may hold either form; both decode.
///
/// An empty list is sent as a lone `,`, never as `""`: GitCode rejects an
/// empty `labels=` as a missing parameter, and reads `,` as "no items", which
/// clears the list on an update (gitcode-cli's `api/queries_pr.go` states
/// both). [`CommaList::clear`] says that intent by name. To leave a list
/// alone in an update, or not to filter a listing by it, leave the field
/// unset instead.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CommaList {
    items: Vec<String>,
}

impl CommaList {
    pub fn new<I, S>(items: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CommaList {
            items: items.into_iter().map(Into::into).collect(),
        }
    }

    /// The empty list, which removes every item when sent in an update
    /// (sent as a lone `,`, as every empty list is).
    pub fn clear() -> Self {
        CommaList::default()
    }

    pub fn items(&self) -> &[String] {
        &self.items
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<S: Into<String>> FromIterator<S> for CommaList {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        CommaList::new(iter)
    }
}

impl<S: Into<String>> From<Vec<S>> for CommaList {
    fn from(v: Vec<S>) -> Self {
        CommaList::new(v)
    }
}

impl<S: Into<String> + Clone, const N: usize> From<[S; N]> for CommaList {
    fn from(v: [S; N]) -> Self {
        CommaList::new(v)
    }
}

impl From<&str> for CommaList {
    fn from(v: &str) -> Self {
        CommaList::new(split(v))
    }
}

impl From<String> for CommaList {
    fn from(v: String) -> Self {
        CommaList::from(v.as_str())
    }
}

fn split(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
}

impl fmt::Display for CommaList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.items.is_empty() {
            return f.write_str(",");
        }
        f.write_str(&self.items.join(","))
    }
}

impl Lenient for CommaList {
    const EXPECTING: &'static str = "a comma-separated string or an array of strings";

    fn from_str_opt<E: de::Error>(s: &str) -> Result<Option<Self>, E> {
        Ok(Some(CommaList::from(s)))
    }
    fn from_seq<'de, A: de::SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<String>()? {
            items.push(item);
        }
        Ok(CommaList::new(items))
    }
}

impl Serialize for CommaList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CommaList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(option(d)?.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Deserialize)]
    #[serde(bound(deserialize = "T: Lenient"))]
    struct Holder<T: Lenient> {
        #[serde(default, deserialize_with = "option")]
        value: Option<T>,
    }

    fn optional<T: Lenient + fmt::Debug>(value: serde_json::Value) -> Result<Option<T>, String> {
        serde_json::from_value::<Holder<T>>(json!({ "value": value }))
            .map(|h| h.value)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn ids_decode_from_integers_and_strings_and_compare_by_text() {
        for (input, text, int) in [
            (json!(152212), "152212", Some(152212)),
            (json!("3"), "3", Some(3)),
            (
                json!("661ce4eab470b1430d456154"),
                "661ce4eab470b1430d456154",
                None,
            ),
            (json!(3.0), "3", Some(3)),
        ] {
            let id: Id = serde_json::from_value(input.clone()).unwrap();
            assert_eq!(id.to_string(), text, "{input}");
            assert_eq!(id.as_i64(), int, "{input}");
        }
        assert_eq!(Id::from(7), Id::from("7"));
        assert_eq!(serde_json::to_value(Id::from(7)).unwrap(), json!(7));
        assert_eq!(serde_json::to_value(Id::from("7")).unwrap(), json!("7"));
        assert!(serde_json::from_value::<Id>(json!(true)).is_err());
        assert!(serde_json::from_value::<Id>(json!(1.5)).is_err());
    }

    #[test]
    fn timestamps_decode_every_documented_form() {
        let cst = |y, mo, d, h, mi, s| {
            server_offset()
                .with_ymd_and_hms(y, mo, d, h, mi, s)
                .single()
                .unwrap()
        };
        for (input, expected) in [
            (
                "2024-04-15T21:58:21.188+08:00",
                cst(2024, 4, 15, 21, 58, 21) + chrono::Duration::milliseconds(188),
            ),
            ("2024-04-15T21:58:21+08:00", cst(2024, 4, 15, 21, 58, 21)),
            ("2024-04-15T13:58:21Z", cst(2024, 4, 15, 21, 58, 21)),
            (
                "2024-04-15T13:58:21.5Z",
                cst(2024, 4, 15, 21, 58, 21) + chrono::Duration::milliseconds(500),
            ),
            ("2024-04-15 21:58:21", cst(2024, 4, 15, 21, 58, 21)),
            ("2024-04-17 08:00", cst(2024, 4, 17, 8, 0, 0)),
            ("2024-04-17", cst(2024, 4, 17, 0, 0, 0)),
            (
                "2024-04-15T21:58:21.188+0800",
                cst(2024, 4, 15, 21, 58, 21) + chrono::Duration::milliseconds(188),
            ),
        ] {
            let t: Timestamp =
                serde_json::from_value(json!(input)).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(t.as_datetime(), expected, "{input}");
        }
        let epoch: Timestamp = serde_json::from_value(json!(1_713_189_501)).unwrap();
        assert_eq!(epoch.as_datetime(), cst(2024, 4, 15, 21, 58, 21));
        let millis: Timestamp = serde_json::from_value(json!(1_713_189_501_000_i64)).unwrap();
        assert_eq!(millis, epoch);
    }

    #[test]
    fn empty_and_null_are_none_for_optional_fields() {
        assert_eq!(optional::<Timestamp>(json!("")).unwrap(), None);
        assert_eq!(optional::<Timestamp>(json!(null)).unwrap(), None);
        assert_eq!(optional::<Id>(json!("")).unwrap(), None);
        assert_eq!(optional::<Flag>(json!("")).unwrap(), None);
        let missing: Holder<Timestamp> = serde_json::from_value(json!({})).unwrap();
        assert_eq!(missing.value, None);
        // A required field still rejects the empty string.
        assert!(serde_json::from_value::<Timestamp>(json!("")).is_err());
    }

    #[test]
    fn malformed_values_are_errors_with_a_snippet_not_panics() {
        let err = optional::<Timestamp>(json!("yesterday at noon")).unwrap_err();
        assert!(
            err.contains("invalid timestamp `yesterday at noon`"),
            "{err}"
        );
        let long = "x".repeat(200);
        let err = optional::<Timestamp>(json!(long)).unwrap_err();
        assert!(err.contains('…') && err.len() < 200, "{err}");
        let err = optional::<Flag>(json!("maybe")).unwrap_err();
        assert!(err.contains("invalid boolean `maybe`"), "{err}");
        assert!(optional::<Flag>(json!(2)).is_err());
        assert!(optional::<Id>(json!({"id": 1})).is_err());
    }

    #[test]
    fn flags_decode_booleans_numbers_and_strings() {
        for (input, expected) in [
            (json!(true), true),
            (json!(false), false),
            (json!(1), true),
            (json!(0), false),
            (json!("true"), true),
            (json!("FALSE"), false),
            (json!("1"), true),
            (json!("0"), false),
        ] {
            let flag: Flag = serde_json::from_value(input.clone()).unwrap();
            assert_eq!(flag, expected, "{input}");
        }
        assert_eq!(serde_json::to_value(Flag(true)).unwrap(), json!(true));
    }

    #[test]
    fn states_normalise_known_values_and_keep_unknown_ones() {
        for (input, expected) in [
            ("opened", State::Open),
            ("open", State::Open),
            ("closed", State::Closed),
            ("merged", State::Merged),
            ("locked", State::Locked),
            ("progressing", State::Other("progressing".into())),
        ] {
            let state: State = serde_json::from_value(json!(input)).unwrap();
            assert_eq!(state, expected, "{input}");
        }
        assert_eq!(serde_json::to_value(State::Open).unwrap(), json!("open"));
        assert_eq!(optional::<State>(json!("")).unwrap(), None);
    }

    #[test]
    fn comma_lists_send_one_string_and_read_both_forms() {
        let list = CommaList::from(["bug", "help wanted"]);
        assert_eq!(
            serde_json::to_value(&list).unwrap(),
            json!("bug,help wanted")
        );
        // Never an empty value: the server rejects `labels=` as missing.
        for empty in [
            CommaList::default(),
            CommaList::clear(),
            CommaList::new(Vec::<String>::new()),
            CommaList::from(""),
        ] {
            assert_eq!(serde_json::to_value(&empty).unwrap(), json!(","));
            assert_eq!(
                serde_urlencoded::to_string([("labels", &empty)]).unwrap(),
                "labels=%2C"
            );
        }
        for input in [
            json!("bug, help wanted"),
            json!(["bug", "help wanted"]),
            json!("bug,,help wanted,"),
        ] {
            let decoded: CommaList = serde_json::from_value(input.clone()).unwrap();
            assert_eq!(decoded.items(), ["bug", "help wanted"], "{input}");
        }
        let none: Holder<CommaList> = serde_json::from_value(json!({"value": null})).unwrap();
        assert_eq!(none.value, None);
    }

    #[test]
    fn null_as_default_gives_empty_collections() {
        #[derive(Deserialize)]
        struct Lists {
            #[serde(default, deserialize_with = "null_as_default")]
            labels: Vec<String>,
        }
        let lists: Lists = serde_json::from_value(json!({"labels": null})).unwrap();
        assert!(lists.labels.is_empty());
        let lists: Lists = serde_json::from_value(json!({"labels": ["a"]})).unwrap();
        assert_eq!(lists.labels, ["a"]);
    }
}
