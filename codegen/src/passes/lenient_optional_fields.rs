//! Pass `lenient_optional_fields`: `""` is "none" for lenient values.
//!
//! Quirk: the server sends an absent date, id or flag as `""` as often as
//! `null` (`"closed_at": ""`). serde decodes `null` into `None` by itself but
//! would hand `""` to the value's type, which rightly rejects it as a date.
//! This pass gives every `Option<crate::lenient::T>` field of the generated
//! types `#[serde(default, deserialize_with = "crate::lenient::option")]`,
//! which decodes `null`, `""` and a missing key alike as `None`.
//!
//! The same holds for lists and maps: an optional array or object property
//! is generated as a `Vec` or `Map` defaulting to empty, and the server sends
//! `null` for "empty"; such fields get
//! `deserialize_with = "crate::lenient::null_as_default"`.
//!
//! Triggered by: a property whose schema is marked `x-gitcode-lenient`, or
//! an optional array or object property.

use syn::visit_mut::VisitMut;

use super::Context;

pub fn run(file: &mut syn::File, _cx: &Context<'_>) -> Result<(), String> {
    AddOptionDecoder.visit_file_mut(file);
    Ok(())
}

struct AddOptionDecoder;

impl VisitMut for AddOptionDecoder {
    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        let derives_deserialize = item.attrs.iter().any(|a| {
            a.path().is_ident("derive")
                && quote::ToTokens::to_token_stream(a)
                    .to_string()
                    .contains("Deserialize")
        });
        if !derives_deserialize {
            return;
        }
        for field in item.fields.iter_mut() {
            let has_default = field.attrs.iter().any(|a| {
                a.path().is_ident("serde") && serde_args(a).iter().any(|arg| arg == "default")
            });
            if is_option_of_lenient(&field.ty) {
                field.attrs.push(if has_default {
                    syn::parse_quote!(#[serde(deserialize_with = "crate::lenient::option")])
                } else {
                    syn::parse_quote!(#[serde(default, deserialize_with = "crate::lenient::option")])
                });
            } else if has_default && is_collection(&field.ty) {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(deserialize_with = "crate::lenient::null_as_default")]));
            }
        }
    }
}

/// The bare words among a `#[serde(...)]` attribute's arguments.
fn serde_args(attr: &syn::Attribute) -> Vec<String> {
    let mut words = Vec::new();
    let _ = attr.parse_nested_meta(|meta| {
        if let Some(ident) = meta.path.get_ident() {
            words.push(ident.to_string());
        }
        if meta.input.peek(syn::Token![=]) {
            let _: syn::Expr = meta.value()?.parse()?;
        }
        Ok(())
    });
    words
}

/// A `Vec<_>` or a `Map<_, _>`, which default to empty.
fn is_collection(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    p.path
        .segments
        .last()
        .is_some_and(|s| s.ident == "Vec" || s.ident == "Map" || s.ident == "HashMap")
}

/// `Option<crate::lenient::T>`, however the `Option` path is spelt.
fn is_option_of_lenient(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    let Some(last) = p.path.segments.last() else {
        return false;
    };
    if last.ident != "Option" {
        return false;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return false;
    };
    let Some(syn::GenericArgument::Type(syn::Type::Path(inner))) = args.args.first() else {
        return false;
    };
    let segments: Vec<String> = inner
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments.len() == 3 && segments[0] == "crate" && segments[1] == "lenient"
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn optional_lenient_fields_get_the_option_decoder() {
        let mut file: syn::File = syn::parse_quote! {
            #[derive(Deserialize, Serialize)]
            pub struct Issue {
                #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                pub closed_at: ::std::option::Option<crate::lenient::Timestamp>,
                pub number: ::std::option::Option<crate::lenient::Id>,
                pub title: ::std::option::Option<::std::string::String>,
                pub id: crate::lenient::Id,
                #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                pub labels: ::std::vec::Vec<Label>,
            }
        };
        AddOptionDecoder.visit_file_mut(&mut file);
        let text = file.to_token_stream().to_string();
        assert_eq!(
            text.matches("deserialize_with = \"crate::lenient::option\"")
                .count(),
            2,
            "{text}"
        );
        assert_eq!(
            text.matches("# [serde (default , deserialize_with").count(),
            1,
            "{text}"
        );
        assert_eq!(
            text.matches("deserialize_with = \"crate::lenient::null_as_default\"")
                .count(),
            1,
            "{text}"
        );
    }
}
