//! Splitting the generated client into files a reviewer can diff by area.
//!
//! progenitor emits one token stream. After the passes, the client is
//! written as:
//!
//! - `generated/client.rs`: the `Client`, the tag traits, the prelude;
//! - `generated/client/types.rs`: the `types` module, re-exporting
//! - `generated/client/types/<spec file>.rs`: the schema types each spec
//!   file defines, with their builders (`split/types.rs`);
//! - `generated/client/builder.rs`: the builders' shared imports and one
//!   (feature-gated) module per area;
//! - `generated/client/builder/<area>.rs`: the builders of that area.
//!
//! A spec change to one area's operations shows up in that area's builder
//! file, a change to a schema in the types file named like its spec file.

mod types;

use std::collections::BTreeMap;

use syn::visit_mut::VisitMut;

use crate::passes::area_features::builder_areas;
use crate::passes::builder::type_name;
use crate::spec::Spec;

/// The folder of the client's child modules, relative to the workspace root.
pub const CLIENT_DIR: &str = "client/src/generated/client";

/// `(path relative to the workspace root, file)` for each part of the client.
pub fn split(
    mut file: syn::File,
    spec: &Spec,
    client_path: &str,
) -> Result<Vec<(String, syn::File)>, String> {
    // Which operation uses which inline type decides where that type goes.
    let module = |name: &str| {
        file.items.iter().find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, i)| i.as_slice()),
            _ => None,
        })
    };
    let homes = types::homes(
        module("types").unwrap_or_default(),
        module("builder").unwrap_or_default(),
        spec,
    );
    let mut out = Vec::new();
    for item in file.items.iter_mut() {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        let name = module.ident.to_string();
        if name != "types" && name != "builder" {
            continue;
        }
        let Some((_, items)) = module.content.take() else {
            continue;
        };
        module.semi = Some(Default::default());
        if name == "types" {
            out.extend(types::split_types(items, &homes, CLIENT_DIR)?);
        } else {
            out.extend(split_builders(items, spec)?);
        }
    }
    out.insert(0, (client_path.to_string(), file));
    Ok(out)
}

fn file_of(items: Vec<syn::Item>) -> syn::File {
    let mut file: syn::File = syn::parse_quote!();
    file.items = items;
    file
}

/// `builder.rs` (imports and area modules) and one file per area.
fn split_builders(items: Vec<syn::Item>, spec: &Spec) -> Result<Vec<(String, syn::File)>, String> {
    let area_of = builder_areas(spec);
    let mut shared = Vec::new();
    let mut areas: BTreeMap<String, Vec<syn::Item>> = BTreeMap::new();
    for mut item in items {
        let owner = match &item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Impl(imp) => type_name(&imp.self_ty),
            _ => None,
        };
        match owner.and_then(|o| area_of.get(&o)) {
            Some(area) => {
                // One module deeper: `super::Client` becomes `super::super::Client`.
                DeeperSuper.visit_item_mut(&mut item);
                areas.entry(area.clone()).or_default().push(item);
            }
            None if matches!(item, syn::Item::Use(_)) => shared.push(item),
            None => return Err("a builder item that belongs to no operation".into()),
        }
    }
    let mut files = Vec::new();
    for (area, mut items) in areas {
        let module = syn::Ident::new(&area.replace('-', "_"), proc_macro2::Span::call_site());
        shared.push(syn::parse_quote! {
            #[cfg(feature = #area)]
            mod #module;
        });
        shared.push(syn::parse_quote! {
            #[cfg(feature = #area)]
            pub use #module::*;
        });
        items.insert(
            0,
            syn::parse_quote!(
                #[allow(unused_imports)]
                use super::*;
            ),
        );
        // The items' own `#[cfg(feature = ...)]` now sits on the module.
        for item in items.iter_mut() {
            strip_feature_cfg(item);
        }
        files.push((format!("{CLIENT_DIR}/builder/{module}.rs"), file_of(items)));
    }
    files.insert(0, (format!("{CLIENT_DIR}/builder.rs"), file_of(shared)));
    Ok(files)
}

struct DeeperSuper;

impl VisitMut for DeeperSuper {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none() && path.segments.first().is_some_and(|s| s.ident == "super")
        {
            path.segments.insert(0, syn::parse_quote!(super));
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

fn strip_feature_cfg(item: &mut syn::Item) {
    let attrs = match item {
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        _ => return,
    };
    attrs.retain(|a| {
        !(a.path().is_ident("cfg")
            && quote::ToTokens::to_token_stream(a)
                .to_string()
                .contains("feature"))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn builders_move_one_module_deeper() {
        let mut item: syn::Item = syn::parse_quote! {
            pub struct GetIssue<'a> { client: &'a super::Client, body: Result<types::X, String> }
        };
        DeeperSuper.visit_item_mut(&mut item);
        let text = item.to_token_stream().to_string();
        assert!(text.contains("& 'a super :: super :: Client"), "{text}");
        assert!(text.contains("types :: X"), "{text}");
    }
}
