//! What a setter takes: plain values.
//!
//! Every setter of an operation's builder, of a request body's builder and
//! of the type builders the mocks use takes `impl IntoValue<T>`, where `T` is
//! the type of the field or parameter. That is the value itself in the forms
//! a caller has at hand, and an `Option` of it, where `None` leaves an
//! optional field out:
//!
//! | field or parameter | takes |
//! | --- | --- |
//! | text (`String`) | `&str`, `String`, `&String`, `Box<str>`, `Cow<str>`, `char`, an [`Id`] (as the server wrote it) |
//! | an id or number ([`Id`]) | an integer of any width, `&str`, `String`, an [`Id`] |
//! | an integer (`i64`) | an integer that fits, an [`Id`] that is one |
//! | a page number or size (`NonZeroU64`) | an integer of at least 1 |
//! | a name list ([`CommaList`]) | `Vec`, array or slice of `&str` or `String`, one `"a,b"` string |
//! | a list (`Vec<T>`) | `Vec<T>`, `[T; N]`, `&[T]`, and for text lists `&str` items |
//! | an enum of the spec | a variant, or its text (`"closed"`; text the spec does not list is kept as sent) |
//! | a type of the spec | the value, or its builder (`User::builder().login("x")`) |
//! | a flag (`bool`, [`Flag`]) | `bool` or [`Flag`] |
//! | a point in time ([`Timestamp`]) | a `chrono` date-time, or text in a form the server sends |
//! | a date (`NaiveDate`) | a `NaiveDate`, or `"YYYY-MM-DD"` |
//! | any JSON (`serde_json::Value`) | a `Value`, a JSON object (`Map`), text, a number, a `bool` |
//!
//! Each also takes a reference to any of these, and `Option<T>` and
//! `&Option<..>`: `None` leaves an optional field out, and for a required
//! one it is an error when the request is sent, as an unset field is. So an
//! id that an answer or a webhook payload carries goes straight back in:
//!
//! ```no_run
//! # async fn run(client: &gitcode::Client) -> Result<(), gitcode::Error> {
//! use gitcode::prelude::*;
//!
//! let issue = client.get_issue().owner("o").repo("r").number(7).send().await?;
//! client
//!     .create_issue_comment()
//!     .owner("o")
//!     .repo("r")
//!     .number(&issue.number) // the `Option<Id>` of the answer, by reference
//!     .body_map(|b| b.body("Thanks, looking into it."))
//!     .send()
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! A value that does not fit (an integer out of range, a date that does not
//! parse, `0` for a page size) is kept as an error in the builder, and
//! `send()` returns it as [`Error::InvalidRequest`](crate::Error) naming the
//! field, before anything is sent. Nothing on the wire depends on the form a
//! value was given in: `7`, `"7"` and `Id::from(7)` send the same bytes.
//!
//! A program's own types can implement [`IntoValue`] too (a newtype for
//! issue numbers, say).

use std::borrow::Cow;
use std::fmt;
use std::num::{NonZeroU32, NonZeroU64};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::lenient::{CommaList, Flag, Id, State, Timestamp};

/// A value a setter takes for a field or parameter of type `T`: see the
/// [module documentation](self) for what each type accepts.
pub trait IntoValue<T> {
    /// The value, `None` to leave the field out, or why it does not fit.
    fn into_value(self) -> Result<Option<T>, InvalidValue>;
}

/// A value that does not fit the field it was given for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidValue {
    message: String,
}

impl InvalidValue {
    pub fn new(message: impl Into<String>) -> Self {
        InvalidValue {
            message: message.into(),
        }
    }

    /// What is wrong with the value.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InvalidValue {}

/// Implemented by every type generated from the spec's schemas (structs and
/// enums): each is an [`IntoValue`] of itself, by value and by reference,
/// and lists of it take `Vec`, arrays and slices.
pub trait Generated: Clone {}

/// Implemented by every enum generated from a string enum of the spec: it
/// also takes its text (`"closed"`), which is how the server names it.
pub trait GeneratedEnum: Generated + for<'a> From<&'a str> {}

// ---------------------------------------------------------------------------
// What the generated setters call.

/// A required field's setter: `None` is kept as the error an unset field
/// gives.
#[doc(hidden)]
#[inline]
pub fn required<T, V: IntoValue<T>>(value: V, name: &str) -> Result<T, String> {
    match value.into_value() {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(format!("`{name}` is required, but was given `None`")),
        Err(e) => Err(format!("`{name}`: {e}")),
    }
}

/// An optional field's setter.
#[doc(hidden)]
#[inline]
pub fn optional<T, V: IntoValue<T>>(value: V, name: &str) -> Result<Option<T>, String> {
    value.into_value().map_err(|e| format!("`{name}`: {e}"))
}

/// The setter of a field that is empty unless set (a list or a map):
/// `None` leaves it empty.
#[doc(hidden)]
#[inline]
pub fn or_default<T: Default, V: IntoValue<T>>(value: V, name: &str) -> Result<T, String> {
    optional(value, name).map(Option::unwrap_or_default)
}

/// The error of a type builder's conversion, for the generated
/// `IntoValue` of each builder.
#[doc(hidden)]
#[inline]
pub fn invalid(e: impl fmt::Display) -> InvalidValue {
    InvalidValue::new(e.to_string())
}

/// A typed mock's matcher of a required parameter (feature `mock`).
#[doc(hidden)]
#[cfg(feature = "mock")]
#[track_caller]
pub fn mock_matcher<T, V: IntoValue<T>>(value: V, name: &str) -> T {
    match required(value, name) {
        Ok(v) => v,
        Err(e) => panic!("mock matcher: {e}"),
    }
}

/// A typed mock's matcher of an optional parameter: `None` matches a
/// request without it (feature `mock`).
#[doc(hidden)]
#[cfg(feature = "mock")]
#[track_caller]
pub fn mock_optional_matcher<T, V: IntoValue<T>>(value: V, name: &str) -> Option<T> {
    match optional(value, name) {
        Ok(v) => v,
        Err(e) => panic!("mock matcher: {e}"),
    }
}

// ---------------------------------------------------------------------------
// Options, references and generated types, for every target.

impl<T> IntoValue<T> for Option<T> {
    #[inline]
    fn into_value(self) -> Result<Option<T>, InvalidValue> {
        Ok(self)
    }
}

/// `&issue.number`: an optional value of an answer, by reference.
impl<'a, T, V> IntoValue<T> for &'a Option<V>
where
    &'a V: IntoValue<T>,
{
    #[inline]
    fn into_value(self) -> Result<Option<T>, InvalidValue> {
        match self {
            Some(v) => v.into_value(),
            None => Ok(None),
        }
    }
}

impl<E: Generated> IntoValue<E> for E {
    #[inline]
    fn into_value(self) -> Result<Option<E>, InvalidValue> {
        Ok(Some(self))
    }
}

impl<E: Generated> IntoValue<E> for &E {
    #[inline]
    fn into_value(self) -> Result<Option<E>, InvalidValue> {
        Ok(Some(self.clone()))
    }
}

impl<E: GeneratedEnum> IntoValue<E> for &str {
    #[inline]
    fn into_value(self) -> Result<Option<E>, InvalidValue> {
        Ok(Some(E::from(self)))
    }
}

impl<E: GeneratedEnum> IntoValue<E> for String {
    #[inline]
    fn into_value(self) -> Result<Option<E>, InvalidValue> {
        Ok(Some(E::from(self.as_str())))
    }
}

impl<E: GeneratedEnum> IntoValue<E> for &String {
    #[inline]
    fn into_value(self) -> Result<Option<E>, InvalidValue> {
        Ok(Some(E::from(self.as_str())))
    }
}

impl<E: Generated> IntoValue<Vec<E>> for Vec<E> {
    #[inline]
    fn into_value(self) -> Result<Option<Vec<E>>, InvalidValue> {
        Ok(Some(self))
    }
}

impl<E: Generated> IntoValue<Vec<E>> for &Vec<E> {
    #[inline]
    fn into_value(self) -> Result<Option<Vec<E>>, InvalidValue> {
        Ok(Some(self.clone()))
    }
}

impl<E: Generated> IntoValue<Vec<E>> for &[E] {
    #[inline]
    fn into_value(self) -> Result<Option<Vec<E>>, InvalidValue> {
        Ok(Some(self.to_vec()))
    }
}

impl<E: Generated, const N: usize> IntoValue<Vec<E>> for [E; N] {
    #[inline]
    fn into_value(self) -> Result<Option<Vec<E>>, InvalidValue> {
        Ok(Some(self.into()))
    }
}

// ---------------------------------------------------------------------------
// Scalars.

/// `impl IntoValue<$target> for $source` by an infallible conversion.
macro_rules! from {
    ($target:ty { $($source:ty => |$v:ident| $e:expr),+ $(,)? }) => {$(
        impl IntoValue<$target> for $source {
            #[inline]
            fn into_value(self) -> Result<Option<$target>, InvalidValue> {
                let $v = self;
                Ok(Some($e))
            }
        }
    )+};
}

/// `impl<const N: usize> IntoValue<$target> for [$item; N]`.
macro_rules! from_arrays {
    ($target:ty { $($item:ty => |$v:ident| $e:expr),+ $(,)? }) => {$(
        impl<const N: usize> IntoValue<$target> for [$item; N] {
            #[inline]
            fn into_value(self) -> Result<Option<$target>, InvalidValue> {
                let $v = self;
                Ok(Some($e))
            }
        }
    )+};
}

/// `impl IntoValue<$target> for $source` by a conversion that may fail.
macro_rules! try_from {
    ($target:ty { $($source:ty => |$v:ident| $e:expr),+ $(,)? }) => {$(
        impl IntoValue<$target> for $source {
            #[inline]
            fn into_value(self) -> Result<Option<$target>, InvalidValue> {
                let $v = self;
                $e.map(Some)
            }
        }
    )+};
}

from!(String {
    String => |v| v,
    &str => |v| v.to_owned(),
    &String => |v| v.clone(),
    &mut str => |v| v.to_owned(),
    Box<str> => |v| v.into(),
    Cow<'_, str> => |v| v.into_owned(),
    char => |v| v.into(),
    Id => |v| v.to_string(),
    &Id => |v| v.to_string(),
});

from!(Id {
    Id => |v| v,
    &Id => |v| v.clone(),
    &str => |v| Id::from(v),
    String => |v| Id::from(v),
    &String => |v| Id::from(v.as_str()),
    i64 => |v| Id::from(v),
    &i64 => |v| Id::from(*v),
    i32 => |v| Id::from(v),
    &i32 => |v| Id::from(*v),
    i16 => |v| Id::from(i64::from(v)),
    i8 => |v| Id::from(i64::from(v)),
    u32 => |v| Id::from(v),
    &u32 => |v| Id::from(*v),
    u16 => |v| Id::from(i64::from(v)),
    u8 => |v| Id::from(i64::from(v)),
    u64 => |v| id_of_unsigned(v),
    &u64 => |v| id_of_unsigned(*v),
    usize => |v| id_of_unsigned(v as u64),
    NonZeroU64 => |v| id_of_unsigned(v.get()),
});

/// An unsigned integer as an id: an integer when it fits, else its digits.
fn id_of_unsigned(v: u64) -> Id {
    i64::try_from(v).map_or_else(|_| Id::from(v.to_string()), Id::from)
}

fn too_large(v: impl fmt::Display, what: &str) -> InvalidValue {
    InvalidValue::new(format!("{v} does not fit {what}"))
}

fn integer_of_id(id: &Id) -> Result<i64, InvalidValue> {
    id.as_i64()
        .ok_or_else(|| InvalidValue::new(format!("the id `{id}` is not an integer")))
}

from!(i64 {
    i64 => |v| v,
    &i64 => |v| *v,
    i32 => |v| v.into(),
    &i32 => |v| (*v).into(),
    i16 => |v| v.into(),
    i8 => |v| v.into(),
    u32 => |v| v.into(),
    &u32 => |v| (*v).into(),
    u16 => |v| v.into(),
    u8 => |v| v.into(),
});

try_from!(i64 {
    u64 => |v| i64::try_from(v).map_err(|_| too_large(v, "a 64-bit signed integer")),
    usize => |v| i64::try_from(v).map_err(|_| too_large(v, "a 64-bit signed integer")),
    isize => |v| i64::try_from(v).map_err(|_| too_large(v, "a 64-bit signed integer")),
    Id => |v| integer_of_id(&v),
    &Id => |v| integer_of_id(v),
});

fn at_least_one(v: impl TryInto<u64> + Copy + fmt::Display) -> Result<NonZeroU64, InvalidValue> {
    v.try_into()
        .ok()
        .and_then(NonZeroU64::new)
        .ok_or_else(|| InvalidValue::new(format!("{v} is not a whole number of at least 1")))
}

from!(NonZeroU64 {
    NonZeroU64 => |v| v,
    NonZeroU32 => |v| v.into(),
});

try_from!(NonZeroU64 {
    u64 => |v| at_least_one(v),
    &u64 => |v| at_least_one(*v),
    u32 => |v| at_least_one(v),
    u16 => |v| at_least_one(v),
    u8 => |v| at_least_one(v),
    usize => |v| at_least_one(v),
    i64 => |v| at_least_one(v),
    i32 => |v| at_least_one(v),
    &i32 => |v| at_least_one(*v),
});

from!(f64 {
    f64 => |v| v,
    &f64 => |v| *v,
    f32 => |v| v.into(),
    i32 => |v| v.into(),
    u32 => |v| v.into(),
});

from!(bool {
    bool => |v| v,
    &bool => |v| *v,
    Flag => |v| v.get(),
    &Flag => |v| v.get(),
});

from!(Flag {
    Flag => |v| v,
    &Flag => |v| *v,
    bool => |v| Flag(v),
    &bool => |v| Flag(*v),
});

from!(State {
    State => |v| v,
    &State => |v| v.clone(),
    &str => |v| State::from(v),
    String => |v| State::from(v.as_str()),
    &String => |v| State::from(v.as_str()),
});

from!(Timestamp {
    Timestamp => |v| v,
    &Timestamp => |v| *v,
    DateTime<FixedOffset> => |v| v.into(),
    DateTime<Utc> => |v| v.into(),
});

fn timestamp_of(text: &str) -> Result<Timestamp, InvalidValue> {
    Timestamp::parse(text).ok_or_else(|| {
        InvalidValue::new(format!(
            "`{text}` is not a point in time (RFC 3339, `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DD`)"
        ))
    })
}

try_from!(Timestamp {
    &str => |v| timestamp_of(v),
    String => |v| timestamp_of(&v),
});

fn date_of(text: &str) -> Result<NaiveDate, InvalidValue> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|e| InvalidValue::new(format!("`{text}` is not a date `YYYY-MM-DD`: {e}")))
}

from!(NaiveDate {
    NaiveDate => |v| v,
    &NaiveDate => |v| *v,
});

try_from!(NaiveDate {
    &str => |v| date_of(v),
    String => |v| date_of(&v),
});

from!(CommaList {
    CommaList => |v| v,
    &CommaList => |v| v.clone(),
    &str => |v| CommaList::from(v),
    String => |v| CommaList::from(v),
    &String => |v| CommaList::from(v.as_str()),
    Vec<String> => |v| CommaList::new(v),
    &Vec<String> => |v| CommaList::new(v.iter().cloned()),
    Vec<&str> => |v| CommaList::new(v),
    &[String] => |v| CommaList::new(v.iter().cloned()),
    &[&str] => |v| CommaList::new(v.iter().copied()),
});

from_arrays!(CommaList {
    &str => |v| CommaList::new(v),
    String => |v| CommaList::new(v),
});

from!(Vec<String> {
    Vec<String> => |v| v,
    &Vec<String> => |v| v.clone(),
    Vec<&str> => |v| v.into_iter().map(String::from).collect(),
    &[String] => |v| v.to_vec(),
    &[&str] => |v| v.iter().map(|s| String::from(*s)).collect(),
    CommaList => |v| v.items().to_vec(),
});

from_arrays!(Vec<String> {
    &str => |v| v.into_iter().map(String::from).collect(),
    String => |v| v.into(),
});

from!(Vec<i64> {
    Vec<i64> => |v| v,
    &Vec<i64> => |v| v.clone(),
    &[i64] => |v| v.to_vec(),
    Vec<i32> => |v| v.into_iter().map(i64::from).collect(),
});

from_arrays!(Vec<i64> {
    i64 => |v| v.into(),
});

from!(Vec<Id> {
    Vec<Id> => |v| v,
    &Vec<Id> => |v| v.clone(),
    &[Id] => |v| v.to_vec(),
    Vec<i64> => |v| v.into_iter().map(Id::from).collect(),
    Vec<&str> => |v| v.into_iter().map(Id::from).collect(),
    Vec<String> => |v| v.into_iter().map(Id::from).collect(),
});

from_arrays!(Vec<Id> {
    Id => |v| v.into(),
    i64 => |v| v.into_iter().map(Id::from).collect(),
    &str => |v| v.into_iter().map(Id::from).collect(),
});

type JsonObject = serde_json::Map<String, serde_json::Value>;

from!(serde_json::Value {
    serde_json::Value => |v| v,
    &serde_json::Value => |v| v.clone(),
    JsonObject => |v| v.into(),
    &str => |v| v.into(),
    String => |v| v.into(),
    bool => |v| v.into(),
    i64 => |v| v.into(),
    i32 => |v| v.into(),
    u64 => |v| v.into(),
    f64 => |v| v.into(),
});

from!(JsonObject {
    JsonObject => |v| v,
    &JsonObject => |v| v.clone(),
});

from!(Vec<serde_json::Value> {
    Vec<serde_json::Value> => |v| v,
    &[serde_json::Value] => |v| v.to_vec(),
});

#[cfg(test)]
mod tests {
    use super::*;

    fn text<V: IntoValue<String>>(v: V) -> Result<Option<String>, InvalidValue> {
        v.into_value()
    }
    fn id<V: IntoValue<Id>>(v: V) -> Result<Option<Id>, InvalidValue> {
        v.into_value()
    }
    fn int<V: IntoValue<i64>>(v: V) -> Result<Option<i64>, InvalidValue> {
        v.into_value()
    }
    fn page<V: IntoValue<NonZeroU64>>(v: V) -> Result<Option<NonZeroU64>, InvalidValue> {
        v.into_value()
    }
    fn names<V: IntoValue<CommaList>>(v: V) -> Result<Option<CommaList>, InvalidValue> {
        v.into_value()
    }

    #[test]
    fn text_takes_every_string_form_and_ids_as_written() {
        let owned = String::from("x");
        assert_eq!(text("x").unwrap().as_deref(), Some("x"));
        assert_eq!(text(&owned).unwrap().as_deref(), Some("x"));
        assert_eq!(text(Some(owned.clone())).unwrap().as_deref(), Some("x"));
        assert_eq!(text(None).unwrap(), None);
        assert_eq!(text(Id::from("0a1b")).unwrap().as_deref(), Some("0a1b"));
        assert_eq!(text(&Some(Id::from(7))).unwrap().as_deref(), Some("7"));
        assert_eq!(text(&None::<Id>).unwrap(), None);
    }

    #[test]
    fn ids_take_integers_and_text_and_print_the_same() {
        assert_eq!(id(7).unwrap().unwrap().to_string(), "7");
        assert_eq!(id("7").unwrap().unwrap().to_string(), "7");
        assert_eq!(id(7u64).unwrap(), id(7i64).unwrap());
        assert_eq!(
            id(u64::MAX).unwrap().unwrap().to_string(),
            u64::MAX.to_string()
        );
        let answer: Option<Id> = Some(Id::from("12"));
        assert_eq!(id(&answer).unwrap(), answer);
        assert_eq!(id(answer.clone()).unwrap(), answer);
    }

    /// The forms in which answers and webhook payloads carry ids (`Id`,
    /// text, integers, each optional), by value and by reference, all fit an
    /// id parameter, and print as the server wrote them.
    #[test]
    fn every_form_an_answer_carries_an_id_in_fits_an_id_parameter() {
        let answer_id = Some(Id::from("0a1b"));
        let text = Some(String::from("42"));
        let int = Some(42i64);
        assert_eq!(id(&answer_id).unwrap().unwrap().to_string(), "0a1b");
        assert_eq!(id(answer_id.clone()).unwrap().unwrap().to_string(), "0a1b");
        assert_eq!(
            id(answer_id.as_ref().unwrap())
                .unwrap()
                .unwrap()
                .to_string(),
            "0a1b"
        );
        assert_eq!(id(&text).unwrap().unwrap().to_string(), "42");
        assert_eq!(
            id(text.clone().unwrap()).unwrap().unwrap().to_string(),
            "42"
        );
        assert_eq!(id(&int).unwrap().unwrap().to_string(), "42");
        assert_eq!(id(42i64).unwrap().unwrap().to_string(), "42");
        // And into text parameters (a login, a sha) and integer fields.
        assert_eq!(
            super::IntoValue::<String>::into_value(&answer_id)
                .unwrap()
                .as_deref(),
            Some("0a1b")
        );
        assert_eq!(int_of(&Some(Id::from("42"))).unwrap(), Some(42));
    }

    fn int_of<V: IntoValue<i64>>(v: V) -> Result<Option<i64>, InvalidValue> {
        v.into_value()
    }

    #[test]
    fn integers_refuse_what_does_not_fit_and_say_why() {
        assert_eq!(int(7).unwrap(), Some(7));
        assert_eq!(int(Id::from("42")).unwrap(), Some(42));
        let e = int(Id::from("abc")).unwrap_err();
        assert_eq!(e.message(), "the id `abc` is not an integer");
        let e = int(u64::MAX).unwrap_err();
        assert!(e.message().contains("does not fit"), "{e}");
    }

    #[test]
    fn page_numbers_are_at_least_one() {
        assert_eq!(page(2).unwrap().map(NonZeroU64::get), Some(2));
        assert_eq!(page(100u64).unwrap().map(NonZeroU64::get), Some(100));
        assert_eq!(
            page(0).unwrap_err().message(),
            "0 is not a whole number of at least 1"
        );
        assert!(page(-3).is_err());
    }

    #[test]
    fn name_lists_take_vecs_arrays_slices_and_comma_text() {
        let want = CommaList::new(["bug", "p1"]);
        assert_eq!(names(["bug", "p1"]).unwrap().as_ref(), Some(&want));
        assert_eq!(
            names(vec!["bug".to_string(), "p1".into()])
                .unwrap()
                .as_ref(),
            Some(&want)
        );
        assert_eq!(names(&["bug", "p1"][..]).unwrap().as_ref(), Some(&want));
        assert_eq!(names("bug,p1").unwrap().as_ref(), Some(&want));
        assert_eq!(names(None).unwrap(), None);
    }

    #[test]
    fn setter_helpers_name_the_field() {
        assert_eq!(
            required::<String, _>(None::<String>, "title").unwrap_err(),
            "`title` is required, but was given `None`"
        );
        assert_eq!(
            optional::<NonZeroU64, _>(0, "per_page").unwrap_err(),
            "`per_page`: 0 is not a whole number of at least 1"
        );
        assert_eq!(
            or_default::<Vec<String>, _>(None, "x").unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(
            or_default::<Vec<String>, _>(["a"], "x").unwrap(),
            vec!["a".to_string()]
        );
    }

    #[test]
    fn dates_and_times_parse_or_say_the_forms() {
        let d: Option<NaiveDate> = "2026-12-02".into_value().unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2026, 12, 2));
        let e = IntoValue::<NaiveDate>::into_value("02/12/2026").unwrap_err();
        assert!(e.message().starts_with("`02/12/2026` is not a date"), "{e}");
        let t: Option<Timestamp> = "2024-04-15T21:58:21+08:00".into_value().unwrap();
        assert!(t.is_some());
        assert!(IntoValue::<Timestamp>::into_value("soon").is_err());
    }
}
