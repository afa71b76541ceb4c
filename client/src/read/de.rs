//! How the generated structs are read (pass `compact_deserialize`).
//!
//! serde's derive writes, for every struct, an enum of its fields with three
//! visitors, a visitor that reads the struct from a sequence as well as from
//! a map, and two wrapper types for every field with `deserialize_with`:
//! most of the compile time of the generated types, for shapes GitCode
//! never sends. The generated structs implement [`FromMap`] instead, one
//! `match` on the key, and share the rest here, including the one adapter
//! that reads any of them from a sequence.
//!
//! The result is serde's derive's: from a map, an unknown key is skipped, a
//! key given twice is an error, a missing `Option` field is `None`, a
//! missing `#[serde(default)]` field is its default, any other missing
//! field is an error. From a sequence (formats that write structs without
//! names: bincode, MessagePack's compact form) the fields are read in
//! order, as the derived `Serialize` writes them; a sequence that ends
//! early is an error.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

/// A generated struct, read from the entries of a map.
pub trait FromMap<'de>: Sized {
    /// The struct's name, for "expected struct ..." in errors.
    const NAME: &'static str;
    /// The key of each field, in the order of the struct's fields.
    const FIELDS: &'static [&'static str];
    /// Reads the struct from the entries of `map`.
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of every generated struct.
pub fn map<'de, D: Deserializer<'de>, T: FromMap<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, MapVisitor(PhantomData))
}

struct MapVisitor<T>(PhantomData<T>);

impl<'de, T: FromMap<'de>> Visitor<'de> for MapVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }

    fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<T, S::Error> {
        T::from_map(SeqAsMap {
            seq,
            fields: T::FIELDS,
            next: 0,
        })
    }
}

/// The elements of a sequence as the entries of a map keyed by the
/// struct's fields, in order.
struct SeqAsMap<S> {
    seq: S,
    fields: &'static [&'static str],
    next: usize,
}

impl<'de, S: SeqAccess<'de>> MapAccess<'de> for SeqAsMap<S> {
    type Error = S::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, S::Error> {
        match self.fields.get(self.next) {
            None => Ok(None),
            Some(name) => seed
                .deserialize(de::value::BorrowedStrDeserializer::new(name))
                .map(Some),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, S::Error> {
        let index = self.next;
        self.next += 1;
        self.seq.next_element_seed(seed)?.ok_or_else(|| {
            de::Error::invalid_length(index, &format!("{} fields", self.fields.len()).as_str())
        })
    }
}

/// A key of a JSON object, borrowed from the input when it can be.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// Reads the value of field `name` into `slot`; a second one is an error.
pub fn value<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    read(map, slot, name, |value: T| value)
}

/// [`value`] for a field read with `deserialize_with = "crate::lenient::option"`.
pub fn lenient_option<'de, A, T>(
    map: &mut A,
    slot: &mut Option<Option<T>>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: crate::lenient::Lenient,
{
    read(map, slot, name, |value: LenientOption<T>| value.0)
}

/// [`value`] for a field read with
/// `deserialize_with = "crate::lenient::null_as_default"`.
pub fn null_as_default<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de> + Default,
{
    read(map, slot, name, |value: Option<T>| {
        value.unwrap_or_default()
    })
}

/// Reads the value as `W`, turned into the field's `T` by `into`.
fn read<'de, A, W, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
    into: impl FnOnce(W) -> T,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    W: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(into(map.next_value()?));
    Ok(())
}

/// `deserialize_with = "crate::lenient::option"` as a type.
struct LenientOption<T>(Option<T>);

impl<'de, T: crate::lenient::Lenient> Deserialize<'de> for LenientOption<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::lenient::option(deserializer).map(LenientOption)
    }
}

/// Skips the value of a key the struct does not have.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// A required field's value, or the error that it is missing.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the pass writes for a struct with each kind of field.
    #[derive(Debug, PartialEq)]
    struct Sample {
        name: String,
        color: Option<String>,
        text_color: Option<String>,
        id: Option<crate::lenient::Id>,
        labels: Vec<String>,
        count: u32,
    }

    impl<'de> Deserialize<'de> for Sample {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            map(deserializer)
        }
    }

    impl<'de> FromMap<'de> for Sample {
        const NAME: &'static str = "Sample";
        const FIELDS: &'static [&'static str] =
            &["name", "color", "textColor", "id", "labels", "count"];
        fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let (mut name, mut color, mut text_color, mut id, mut labels, mut count) =
                (None, None, None, None, None, None);
            while let Some(key) = map.next_key::<Key<'de>>()? {
                match key.as_str() {
                    "name" => value(&mut map, &mut name, "name")?,
                    "color" => value(&mut map, &mut color, "color")?,
                    "textColor" | "text_color" => value(&mut map, &mut text_color, "textColor")?,
                    "id" => lenient_option(&mut map, &mut id, "id")?,
                    "labels" => null_as_default(&mut map, &mut labels, "labels")?,
                    "count" => value(&mut map, &mut count, "count")?,
                    _ => skip(&mut map)?,
                }
            }
            Ok(Sample {
                name: required(name, "name")?,
                color: color.unwrap_or_default(),
                text_color: text_color.unwrap_or_default(),
                id: id.unwrap_or_default(),
                labels: required(labels, "labels")?,
                count: count.unwrap_or_default(),
            })
        }
    }

    fn decode(json: &str) -> Result<Sample, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn fields_aliases_lenient_values_and_unknown_keys() {
        let s = decode(
            r##"{"name":"bug","text_color":"#fff","id":"","labels":null,"extra":{"a":[1]},"count":3}"##,
        )
        .unwrap();
        assert_eq!(
            s,
            Sample {
                name: "bug".into(),
                color: None,
                text_color: Some("#fff".into()),
                id: None,
                labels: vec![],
                count: 3,
            }
        );
        // An escaped key is read as an owned string and still matches.
        let s = decode(r#"{"n\u0061me":"x","labels":["a"]}"#).unwrap();
        assert_eq!((s.name.as_str(), s.labels.len()), ("x", 1));
    }

    #[test]
    fn a_missing_required_field_a_repeated_key_and_an_array_are_errors() {
        let e = decode(r#"{"labels":[]}"#).unwrap_err();
        assert!(e.starts_with("missing field `name`"), "{e}");
        let e = decode(r#"{"name":"a","labels":[],"name":"b"}"#).unwrap_err();
        assert!(e.starts_with("duplicate field `name`"), "{e}");
        let e = decode(r#"{"name":"a","labels":[],"textColor":"1","text_color":"2"}"#).unwrap_err();
        assert!(e.starts_with("duplicate field `textColor`"), "{e}");
        let e = decode(r#""bug""#).unwrap_err();
        assert!(e.contains("expected struct Sample"), "{e}");
    }

    #[test]
    fn a_sequence_is_read_field_by_field_in_order() {
        let s = decode(r##"["bug", null, "#fff", "7", ["a"], 2]"##).unwrap();
        assert_eq!(s.text_color.as_deref(), Some("#fff"));
        assert_eq!((s.name.as_str(), s.labels.len(), s.count), ("bug", 1, 2));
        assert!(s.id.is_some());
        let e = decode(r#"["bug", null]"#).unwrap_err();
        assert!(e.starts_with("invalid length 2, expected 6 fields"), "{e}");
    }

    #[test]
    fn the_path_of_a_value_that_does_not_fit_is_tracked() {
        let value: serde_json::Value =
            serde_json::from_str(r#"{"name":"a","labels":[1],"count":2}"#).unwrap();
        let e = serde_path_to_error::deserialize::<_, Sample>(&value).unwrap_err();
        assert_eq!(e.path().to_string(), "labels[0]");
    }
}
