//! Pass `open_string_enums`: a list of values never blocks a caller.
//!
//! Quirk: the spec lists the values of a field or parameter where the docs
//! or a maintained client show them (`state` of an issue update is `close` or
//! `reopen`, `direction` is `asc` or `desc`), but GitCode adds values without
//! notice and its docs are often incomplete. typify makes each string `enum`
//! a closed Rust enum, which would refuse to send a value the spec does not
//! know and fail to decode one the server sends.
//!
//! This pass opens every such enum: it gains a last variant
//! `Other(String)`, `#[serde(untagged)]` (sent and decoded as the bare
//! string), and `#[non_exhaustive]`; `FromStr` takes any string, typify's
//! `TryFrom<&str>` and `TryFrom<String>` become `From` (so `"value".into()`
//! works, and the builders take any string), and `Display` writes `Other` as
//! is. The named variants stay the typed way to say a known value, as
//! octocrab's `params` enums are. `Copy` goes, since `Other` holds a
//! `String`.
//!
//! Triggered by: a string schema with `enum` (typify's unit-variant enums
//! whose variants all carry `#[serde(rename = "...")]`).

use std::collections::BTreeSet;

use syn::visit_mut::VisitMut;

use super::Context;

pub fn run(file: &mut syn::File, _cx: &Context<'_>) -> Result<(), String> {
    let mut find = FindStringEnums::default();
    syn::visit_mut::visit_file_mut(&mut find, file);
    let mut open = OpenEnums {
        names: find.names,
        from_str_opened: BTreeSet::new(),
    };
    open.visit_file_mut(file);
    TryFromBecomesFrom { names: &open.names }.visit_file_mut(file);
    let missing: Vec<&String> = open.names.difference(&open.from_str_opened).collect();
    if !missing.is_empty() {
        return Err(format!(
            "no `FromStr` impl with a `_ =>` arm to open for {missing:?}; has typify's output changed?"
        ));
    }
    Ok(())
}

/// The name of the variant that holds a value the spec does not list.
pub const OTHER: &str = "Other";

#[derive(Default)]
struct FindStringEnums {
    names: BTreeSet<String>,
}

impl VisitMut for FindStringEnums {
    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        let string_enum = !item.variants.is_empty()
            && item.variants.iter().all(|v| {
                matches!(v.fields, syn::Fields::Unit)
                    && v.attrs.iter().any(|a| {
                        a.path().is_ident("serde")
                            && quote::ToTokens::to_token_stream(a)
                                .to_string()
                                .contains("rename")
                    })
            });
        if string_enum {
            self.names.insert(item.ident.to_string());
        }
    }
}

struct OpenEnums {
    names: BTreeSet<String>,
    from_str_opened: BTreeSet<String>,
}

impl VisitMut for OpenEnums {
    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        if !self.names.contains(&item.ident.to_string()) {
            return;
        }
        for attr in item.attrs.iter_mut() {
            if attr.path().is_ident("derive") {
                drop_copy(attr);
            }
        }
        item.attrs.push(syn::parse_quote!(#[non_exhaustive]));
        let other = syn::Ident::new(OTHER, proc_macro2::Span::call_site());
        item.variants.push(syn::parse_quote! {
            /// A value the spec does not list, sent and decoded as is.
            #[serde(untagged)]
            #other(::std::string::String)
        });
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let syn::Type::Path(self_ty) = &*item.self_ty else {
            return;
        };
        let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        if !self.names.contains(&name) {
            return;
        }
        let Some((trait_path, _)) = &item.trait_ else {
            return;
        };
        let trait_name = trait_path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let other = syn::Ident::new(OTHER, proc_macro2::Span::call_site());
        if trait_name == "FromStr" {
            // Parsing cannot fail any more.
            for impl_item in item.items.iter_mut() {
                match impl_item {
                    syn::ImplItem::Type(t) => t.ty = syn::parse_quote!(::std::convert::Infallible),
                    syn::ImplItem::Fn(f) => {
                        f.sig.output = syn::parse_quote!(
                            -> ::std::result::Result<Self, ::std::convert::Infallible>
                        )
                    }
                    _ => {}
                }
            }
        }
        for impl_item in item.items.iter_mut() {
            let syn::ImplItem::Fn(f) = impl_item else {
                continue;
            };
            for stmt in f.block.stmts.iter_mut() {
                let syn::Stmt::Expr(syn::Expr::Match(m), _) = stmt else {
                    continue;
                };
                match trait_name.as_str() {
                    "Display" => {
                        // `match *self` cannot move the `String` out; match
                        // on the reference.
                        if let syn::Expr::Unary(u) = &*m.expr
                            && matches!(u.op, syn::UnOp::Deref(_))
                        {
                            m.expr = u.expr.clone();
                        }
                        m.arms
                            .push(syn::parse_quote!(Self::#other(value) => f.write_str(value),));
                    }
                    "FromStr" => {
                        if let Some(arm) = m
                            .arms
                            .iter_mut()
                            .find(|arm| matches!(arm.pat, syn::Pat::Wild(_)))
                        {
                            *arm = syn::parse_quote!(other => Ok(Self::#other(other.to_string())),);
                            self.from_str_opened.insert(name.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Replaces `impl TryFrom<&str>` / `TryFrom<String>` of an open enum by
/// `impl From<..>` (the conversion cannot fail); the standard library's
/// blanket impl then gives `TryFrom` back, with `Infallible` as its error.
struct TryFromBecomesFrom<'a> {
    names: &'a BTreeSet<String>,
}

impl VisitMut for TryFromBecomesFrom<'_> {
    fn visit_item_mut(&mut self, item: &mut syn::Item) {
        if let syn::Item::Mod(m) = item {
            syn::visit_mut::visit_item_mod_mut(self, m);
            return;
        }
        let syn::Item::Impl(imp) = item else { return };
        let Some((trait_path, _)) = &imp.trait_ else {
            return;
        };
        let Some(last) = trait_path.segments.last() else {
            return;
        };
        if last.ident != "TryFrom" {
            return;
        }
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return;
        };
        let Some(syn::GenericArgument::Type(source)) = args.args.first() else {
            return;
        };
        let self_ty = &imp.self_ty;
        let name = quote::ToTokens::to_token_stream(self_ty).to_string();
        if !self.names.contains(&name) {
            return;
        }
        let attrs = &imp.attrs;
        *item = syn::parse_quote! {
            #(#attrs)*
            impl ::std::convert::From<#source> for #self_ty {
                fn from(value: #source) -> Self {
                    match value.parse() {
                        Ok(known) => known,
                        Err(never) => match never {},
                    }
                }
            }
        };
    }
}

/// `#[derive(..., Copy, ...)]` without `Copy`.
fn drop_copy(attr: &mut syn::Attribute) {
    let Ok(paths) = attr.parse_args_with(
        syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
    ) else {
        return;
    };
    let kept: Vec<&syn::Path> = paths.iter().filter(|p| !p.is_ident("Copy")).collect();
    *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typify_enum() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, Eq, PartialEq)]
                pub enum Direction {
                    #[serde(rename = "asc")]
                    Asc,
                    #[serde(rename = "desc")]
                    Desc,
                }
                impl ::std::fmt::Display for Direction {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match *self {
                            Self::Asc => f.write_str("asc"),
                            Self::Desc => f.write_str("desc"),
                        }
                    }
                }
                impl ::std::str::FromStr for Direction {
                    type Err = self::error::ConversionError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        match value {
                            "asc" => Ok(Self::Asc),
                            "desc" => Ok(Self::Desc),
                            _ => Err("invalid value".into()),
                        }
                    }
                }
                impl ::std::convert::TryFrom<&str> for Direction {
                    type Error = self::error::ConversionError;
                    fn try_from(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        value.parse()
                    }
                }
                #[derive(Clone, Copy, Debug)]
                pub enum Untouched { A, B }
            }
        }
    }

    #[test]
    fn string_enums_gain_an_other_variant_and_lose_copy() {
        let mut file = typify_enum();
        let spec = crate::spec::Spec::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
        )
        .unwrap();
        run(&mut file, &Context { spec: &spec }).unwrap();
        let text = prettyplease::unparse(&file);
        for expected in [
            "#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Eq, PartialEq)]",
            "#[non_exhaustive]",
            "#[serde(untagged)]\n        Other(::std::string::String),",
            "match self {",
            "Self::Other(value) => f.write_str(value),",
            "other => Ok(Self::Other(other.to_string())),",
            "type Err = ::std::convert::Infallible;",
            "impl ::std::convert::From<&str> for Direction {",
            "#[derive(Clone, Copy, Debug)]\n    pub enum Untouched",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        assert!(!text.contains("invalid value"), "{text}");
        assert!(!text.contains("TryFrom"), "{text}");
    }
}
