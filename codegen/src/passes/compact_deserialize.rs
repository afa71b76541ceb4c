//! Pass `compact_deserialize`: the generated structs are read by a short
//! `Deserialize` of our own, not serde's derive.
//!
//! serde's derive writes, per struct, a field enum with three visitors, a
//! visitor for reading the struct from a sequence as well as a map, and two
//! wrapper types per `deserialize_with` field: about a third of the time it
//! takes to build `gitcode`, for shapes GitCode never sends. For every
//! struct with named fields whose serde attributes it knows, this pass
//! takes `Deserialize` out of the derive and writes
//! `impl Deserialize` (a call of `gitcode::de::map`) and `impl FromMap` (one
//! `match` on the key), with the shared work in the hand-written
//! `client/src/read/de.rs`, which states the behaviour: serde's derive's, from a
//! map or a sequence.
//!
//! Field attributes it knows: `rename`, `alias`, `default`,
//! `skip_serializing_if` (serialization only), and `deserialize_with` for
//! the two functions of `gitcode::lenient` the other passes use. A struct
//! with any other serde attribute, a struct-level serde attribute or
//! generics keeps serde's derive.
//!
//! Triggered by: every struct deriving `Deserialize` with named fields. Runs
//! after the passes that add serde attributes (`merge_duplicate_fields`,
//! `lenient_optional_fields`) and before `area_features`, which gates the
//! new impls with their struct.

use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;

use super::Context;

pub fn run(file: &mut syn::File, _cx: &Context<'_>) -> Result<(), String> {
    let written = rewrite(file)?;
    if written == 0 {
        return Err("no struct deriving `Deserialize` was rewritten".into());
    }
    Ok(())
}

/// Rewrites every struct it can; returns how many.
fn rewrite(file: &mut syn::File) -> Result<usize, String> {
    let mut rewriter = Rewriter {
        written: 0,
        error: None,
    };
    rewriter.visit_file_mut(file);
    match rewriter.error {
        Some(error) => Err(error),
        None => Ok(rewriter.written),
    }
}

struct Rewriter {
    written: usize,
    error: Option<String>,
}

impl VisitMut for Rewriter {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        let Some((_, items)) = &mut module.content else {
            return;
        };
        let mut out = Vec::with_capacity(items.len());
        for mut item in std::mem::take(items) {
            if let syn::Item::Mod(inner) = &mut item {
                self.visit_item_mod_mut(inner);
            }
            let impls = match &mut item {
                syn::Item::Struct(s) => match plan(s) {
                    Ok(Some(fields)) => {
                        remove_deserialize_derive(s);
                        self.written += 1;
                        impls(s, &fields)
                    }
                    Ok(None) => Vec::new(),
                    Err(e) => {
                        self.error
                            .get_or_insert(format!("struct `{}`: {e}", s.ident));
                        Vec::new()
                    }
                },
                _ => Vec::new(),
            };
            out.push(item);
            out.extend(impls);
        }
        *items = out;
    }
}

/// How one field is read.
struct Field {
    ident: syn::Ident,
    /// The keys it is read from: its name (or `rename`), then its aliases.
    keys: Vec<String>,
    read: Read,
    /// What a missing key gives.
    missing: Missing,
}

enum Read {
    Value,
    LenientOption,
    NullAsDefault,
}

enum Missing {
    Default,
    Error,
}

/// The fields of a struct this pass rewrites, `None` for one it leaves to
/// serde's derive.
fn plan(s: &syn::ItemStruct) -> Result<Option<Vec<Field>>, String> {
    if !derives_deserialize(s)
        || !s.generics.params.is_empty()
        || s.attrs.iter().any(|a| a.path().is_ident("serde"))
    {
        return Ok(None);
    }
    let syn::Fields::Named(named) = &s.fields else {
        return Ok(None);
    };
    let mut fields = Vec::new();
    for f in &named.named {
        let Some(ident) = f.ident.clone() else {
            return Ok(None);
        };
        let Some(attrs) = field_attrs(f) else {
            return Ok(None);
        };
        let name = attrs
            .rename
            .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_string());
        let read = match attrs.with.as_deref() {
            None => Read::Value,
            Some("crate::lenient::option") => Read::LenientOption,
            Some("crate::lenient::null_as_default") => Read::NullAsDefault,
            Some(_) => return Ok(None),
        };
        // serde's derive: a missing `Option` field is `None` unless it is
        // read by a function of its own.
        let missing = if attrs.default || (matches!(read, Read::Value) && is_option(&f.ty)) {
            Missing::Default
        } else {
            Missing::Error
        };
        let mut keys = vec![name];
        keys.extend(attrs.aliases);
        if let Some(other) = fields
            .iter()
            .find(|other: &&Field| other.keys.iter().any(|k| keys.contains(k)))
        {
            return Err(format!(
                "fields `{}` and `{ident}` are read from the same key",
                other.ident
            ));
        }
        fields.push(Field {
            ident,
            keys,
            read,
            missing,
        });
    }
    Ok(Some(fields))
}

#[derive(Default)]
struct FieldAttrs {
    rename: Option<String>,
    aliases: Vec<String>,
    default: bool,
    with: Option<String>,
}

/// The serde attributes of a field, or `None` if one is not known here.
fn field_attrs(f: &syn::Field) -> Option<FieldAttrs> {
    let mut out = FieldAttrs::default();
    for attr in f.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let string = |meta: &syn::meta::ParseNestedMeta| -> syn::Result<String> {
                Ok(meta.value()?.parse::<syn::LitStr>()?.value())
            };
            if meta.path.is_ident("rename") {
                out.rename = Some(string(&meta)?);
            } else if meta.path.is_ident("alias") {
                out.aliases.push(string(&meta)?);
            } else if meta.path.is_ident("default") {
                if meta.input.peek(syn::Token![=]) {
                    return Err(meta.error("`default = ...` is not known to compact_deserialize"));
                }
                out.default = true;
            } else if meta.path.is_ident("deserialize_with") {
                out.with = Some(string(&meta)?);
            } else if meta.path.is_ident("skip_serializing_if") {
                string(&meta)?;
            } else {
                return Err(meta.error("not known to compact_deserialize"));
            }
            Ok(())
        })
        .ok()?;
    }
    Some(out)
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

fn is_deserialize(path: &syn::Path) -> bool {
    path.segments
        .last()
        .is_some_and(|s| s.ident == "Deserialize")
        && path.segments.iter().any(|s| s.ident == "serde")
}

fn derive_paths(attr: &syn::Attribute) -> Option<Punctuated<syn::Path, syn::Token![,]>> {
    if !attr.path().is_ident("derive") {
        return None;
    }
    attr.parse_args_with(Punctuated::parse_terminated).ok()
}

fn derives_deserialize(s: &syn::ItemStruct) -> bool {
    s.attrs
        .iter()
        .filter_map(derive_paths)
        .any(|paths| paths.iter().any(is_deserialize))
}

fn remove_deserialize_derive(s: &mut syn::ItemStruct) {
    for attr in &mut s.attrs {
        let Some(paths) = derive_paths(attr) else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths.iter().filter(|p| !is_deserialize(p)).collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
    s.attrs
        .retain(|a| derive_paths(a).is_none_or(|paths| !paths.is_empty()));
}

/// `impl Deserialize` and `impl FromMap` for `s`.
fn impls(s: &syn::ItemStruct, fields: &[Field]) -> Vec<syn::Item> {
    let name = &s.ident;
    let name_text = name.to_string();
    let slots: Vec<syn::Ident> = fields
        .iter()
        .map(|f| format_ident!("field_{}", f.ident.to_string().trim_start_matches("r#")))
        .collect();
    let arms = fields.iter().zip(&slots).map(|(f, slot)| {
        let keys = &f.keys;
        let first = &f.keys[0];
        let read = match f.read {
            Read::Value => quote!(crate::de::value),
            Read::LenientOption => quote!(crate::de::lenient_option),
            Read::NullAsDefault => quote!(crate::de::null_as_default),
        };
        quote!(#(#keys)|* => #read(&mut map, &mut #slot, #first)?,)
    });
    let primary_keys = fields.iter().map(|f| &f.keys[0]);
    let inits = fields.iter().zip(&slots).map(|(f, slot)| {
        let ident = &f.ident;
        let first = &f.keys[0];
        match f.missing {
            Missing::Default => quote!(#ident: #slot.unwrap_or_default(),),
            Missing::Error => quote!(#ident: crate::de::required(#slot, #first)?,),
        }
    });
    vec![
        syn::parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error> {
                    crate::de::map(deserializer)
                }
            }
        },
        syn::parse_quote! {
            impl<'de> crate::de::FromMap<'de> for #name {
                const NAME: &'static str = #name_text;
                const FIELDS: &'static [&'static str] = &[#(#primary_keys),*];
                fn from_map<A: ::serde::de::MapAccess<'de>>(
                    mut map: A,
                ) -> ::std::result::Result<Self, A::Error> {
                    #(let mut #slots = None;)*
                    while let Some(key) = map.next_key::<crate::de::Key<'de>>()? {
                        match key.as_str() {
                            #(#arms)*
                            _ => crate::de::skip(&mut map)?,
                        }
                    }
                    Ok(Self { #(#inits)* })
                }
            }
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn types(file: &syn::File) -> String {
        prettyplease::unparse(file)
    }

    #[test]
    fn a_struct_gets_a_map_reader_and_loses_the_derive() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Label {
                    pub name: ::std::string::String,
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub color: ::std::option::Option<::std::string::String>,
                    #[serde(rename = "textColor", skip_serializing_if = "::std::option::Option::is_none")]
                    #[serde(alias = "text_color")]
                    pub text_color: ::std::option::Option<::std::string::String>,
                    #[serde(default, deserialize_with = "crate::lenient::option")]
                    pub id: ::std::option::Option<crate::lenient::Id>,
                    #[serde(deserialize_with = "crate::lenient::null_as_default")]
                    pub labels: ::std::vec::Vec<::std::string::String>,
                    #[serde(rename = "type")]
                    pub type_: ::std::string::String,
                }
            }
        };
        assert_eq!(rewrite(&mut file).unwrap(), 1);
        let text = types(&file);
        let squeezed: String = text.split_whitespace().collect();
        for expected in [
            "#[derive(::serde::Serialize, Clone, Debug)]",
            "impl<'de> ::serde::Deserialize<'de> for Label",
            "crate::de::map(deserializer)",
            "impl<'de> crate::de::FromMap<'de> for Label",
            "const NAME: &'static str = \"Label\";",
            "const FIELDS: &'static [&'static str] = &[\"name\", \"color\", \"textColor\", \"id\", \"labels\", \"type\"];",
            "\"name\" => crate::de::value(&mut map, &mut field_name, \"name\")?",
            "\"textColor\" | \"text_color\" => {crate::de::value(&mut map, &mut field_text_color, \"textColor\")?",
            "\"id\" => crate::de::lenient_option(&mut map, &mut field_id, \"id\")?",
            "\"labels\" => crate::de::null_as_default(&mut map, &mut field_labels, \"labels\")?",
            "\"type\" => crate::de::value(&mut map, &mut field_type_, \"type\")?",
            "_ => crate::de::skip(&mut map)?",
            "name: crate::de::required(field_name, \"name\")?",
            "color: field_color.unwrap_or_default()",
            "id: field_id.unwrap_or_default()",
            "labels: crate::de::required(field_labels, \"labels\")?",
            "type_: crate::de::required(field_type_, \"type\")?",
        ] {
            // prettyplease may break a call over lines, with a trailing
            // comma, and put a match arm in braces.
            let strip = |s: &str| -> String {
                s.split_whitespace()
                    .collect::<String>()
                    .replace(",)", ")")
                    .replace(",]", "]")
                    .replace(['{', '}'], "")
            };
            let (expected, squeezed) = (strip(expected), strip(&squeezed));
            assert!(
                squeezed.contains(&expected),
                "missing {expected:?} in\n{text}"
            );
        }
        // The field attributes stay: Serialize still reads them.
        assert!(text.contains("#[serde(alias = \"text_color\")]"), "{text}");
    }

    #[test]
    fn structs_with_attributes_it_does_not_know_keep_the_derive() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                #[serde(transparent)]
                pub struct Wrapped { pub inner: i64 }
                #[derive(::serde::Deserialize)]
                pub struct Flattened { #[serde(flatten)] pub rest: ::std::collections::HashMap<String, String> }
                #[derive(::serde::Deserialize)]
                pub struct Other { #[serde(deserialize_with = "elsewhere")] pub x: i64 }
                #[derive(::serde::Deserialize)]
                pub struct Tuple(pub i64);
                #[derive(::serde::Serialize)]
                pub struct SerializeOnly { pub x: i64 }
            }
        };
        let before = file.to_token_stream().to_string();
        assert_eq!(rewrite(&mut file).unwrap(), 0);
        assert_eq!(file.to_token_stream().to_string(), before);
    }

    #[test]
    fn two_fields_read_from_one_key_are_an_error() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize)]
                pub struct Label {
                    pub color: String,
                    #[serde(alias = "color")]
                    pub colour: String,
                }
            }
        };
        let err = rewrite(&mut file).unwrap_err();
        assert!(err.contains("`Label`") && err.contains("same key"), "{err}");
    }
}
