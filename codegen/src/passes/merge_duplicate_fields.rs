//! Pass `merge_duplicate_fields`: one field for two spellings of a key.
//!
//! Quirk: the server (or the docs) spell some keys two ways, and the spec
//! lists both so that either decodes: `closed_at` / `closed__at`,
//! `text_color` / `textColor`, `emotion_items` / `emotionItems`. Both
//! spellings become the same Rust identifier, which progenitor emits twice.
//! This pass keeps the first field and makes the other spelling a
//! `#[serde(alias)]` of it, so the value is reachable under the correct
//! name whichever key the server sends. The struct builders' duplicate
//! fields, setters and initializers are dropped likewise.
//!
//! Triggered by: two properties of one schema whose names differ only in
//! case or underscores.

use std::collections::BTreeSet;

use syn::visit_mut::VisitMut;

use super::Context;

pub fn run(file: &mut syn::File, _cx: &Context<'_>) -> Result<(), String> {
    Dedupe.visit_file_mut(file);
    Ok(())
}

struct Dedupe;

impl VisitMut for Dedupe {
    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        if let syn::Fields::Named(fields) = &mut item.fields {
            let mut kept: Vec<syn::Field> = Vec::new();
            for field in std::mem::take(&mut fields.named) {
                let ident = field.ident.clone();
                match kept.iter_mut().find(|k| k.ident == ident) {
                    Some(first) => {
                        let first_key = json_key(first);
                        let other_key = json_key(&field);
                        if other_key != first_key {
                            first
                                .attrs
                                .push(syn::parse_quote!(#[serde(alias = #other_key)]));
                        }
                    }
                    None => kept.push(field),
                }
            }
            fields.named = kept.into_iter().collect();
        }
        syn::visit_mut::visit_item_struct_mut(self, item);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let mut seen = BTreeSet::new();
        item.items.retain(|it| match it {
            syn::ImplItem::Fn(f) => seen.insert(f.sig.ident.to_string()),
            _ => true,
        });
        syn::visit_mut::visit_item_impl_mut(self, item);
    }

    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        let mut seen = BTreeSet::new();
        let fields = std::mem::take(&mut expr.fields);
        expr.fields = fields
            .into_iter()
            .filter(|f| seen.insert(quote::ToTokens::to_token_stream(&f.member).to_string()))
            .collect();
        syn::visit_mut::visit_expr_struct_mut(self, expr);
    }
}

/// The JSON key of a field: its `#[serde(rename = "...")]`, else its name.
fn json_key(field: &syn::Field) -> String {
    for attr in &field.attrs {
        if !attr.path().is_ident("serde") {
            continue;
        }
        let mut renamed = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                renamed = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        if let Some(name) = renamed {
            return name;
        }
    }
    field
        .ident
        .as_ref()
        .map(|i| i.to_string().trim_start_matches("r#").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn second_spelling_becomes_an_alias() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct PullRequest {
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub closed_at: Option<Timestamp>,
                #[serde(rename = "closed__at", default)]
                pub closed_at: Option<Timestamp>,
            }
            impl PullRequest {
                pub fn closed_at(self) -> Self { self }
                pub fn closed_at(self) -> Self { self }
            }
            fn build() -> PullRequest { PullRequest { closed_at: a, closed_at: b } }
        };
        Dedupe.visit_file_mut(&mut file);
        let text = file.to_token_stream().to_string();
        assert_eq!(text.matches("pub closed_at").count(), 1, "{text}");
        assert!(
            text.contains("# [serde (alias = \"closed__at\")]"),
            "{text}"
        );
        assert_eq!(text.matches("pub fn closed_at").count(), 1, "{text}");
        assert!(text.contains("PullRequest { closed_at : a }"), "{text}");
    }
}
