//! Pass `area_features`: one Cargo feature per API area.
//!
//! The client is code for 281 endpoints; a crate that uses only issues
//! should not compile repositories, actions and the rest. Each docs category
//! (tag) becomes a feature of the `gitcode` crate ([`feature_name`]): this
//! pass puts `#[cfg(feature = "...")]` on every operation's builder, its
//! extension trait and its prelude export, and on every type the gate of
//! the areas that reach it (directly or through other types), so that a
//! build with one area compiles that area's operations and types only.
//! Webhook payload schemas (`x-gitcode-webhooks`) count as reached by the
//! `webhooks` area. Types nothing reaches stay ungated.
//!
//! Triggered by: every operation's tag.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use quote::ToTokens;
use syn::visit::Visit;

use super::Context;
use super::builder::{builder_name, type_name, types_items};

/// The Cargo feature of a tag: `Pull Requests` → `pull-requests`.
pub fn feature_name(tag: &str) -> String {
    tag.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// Each builder struct's name → the feature of its operation's area.
pub fn builder_areas(spec: &crate::spec::Spec) -> BTreeMap<String, String> {
    spec.operations
        .iter()
        .map(|op| (builder_name(&op.operation_id), feature_name(&op.tag)))
        .collect()
}

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    let builder_area = builder_areas(cx.spec);
    let trait_area: BTreeMap<String, String> = cx
        .spec
        .operations
        .iter()
        .map(|op| {
            (
                format!("Client{}Ext", op.tag.to_upper_camel_case()),
                feature_name(&op.tag),
            )
        })
        .collect();

    let type_names = type_names(file);
    let mut roots: BTreeMap<String, BTreeSet<String>> = BTreeMap::new(); // type -> areas

    for item in file.items.iter_mut() {
        match item {
            syn::Item::Mod(m) if m.ident == "builder" => {
                let Some((_, items)) = m.content.as_mut() else {
                    continue;
                };
                for item in items.iter_mut() {
                    // An area may use no generated type at all.
                    if let syn::Item::Use(u) = item {
                        u.attrs.push(syn::parse_quote!(#[allow(unused_imports)]));
                        continue;
                    }
                    let Some(name) = item_name(item) else {
                        continue;
                    };
                    let Some(area) = builder_area.get(&name) else {
                        continue;
                    };
                    for ty in mentioned(item, &type_names) {
                        roots.entry(ty).or_default().insert(area.clone());
                    }
                    gate(item, std::slice::from_ref(area));
                }
            }
            syn::Item::Mod(m) if m.ident == "prelude" => {
                let Some((_, items)) = m.content.as_mut() else {
                    continue;
                };
                for item in items.iter_mut() {
                    let text = item.to_token_stream().to_string();
                    if let Some(area) = trait_area
                        .iter()
                        .find(|(t, _)| text.contains(t.as_str()))
                        .map(|(_, a)| a)
                    {
                        gate(item, std::slice::from_ref(area));
                    }
                }
            }
            syn::Item::Trait(_) | syn::Item::Impl(_) => {
                if let Some(area) = item_name(item).and_then(|n| trait_area.get(&n)) {
                    gate(item, std::slice::from_ref(area));
                }
            }
            _ => {}
        }
    }

    // Webhook payloads belong to the `webhooks` area (`gitcode::webhooks`).
    for event in &cx.spec.webhooks {
        let name = event.schema.to_upper_camel_case();
        if type_names.contains(&name) {
            roots
                .entry(name)
                .or_default()
                .insert(feature_name("Webhooks"));
        }
    }
    let areas_of = close_over_types(file, &type_names, roots);
    gate_types(file, &areas_of);
    Ok(())
}

/// The name an item is known by: a struct's or trait's name, an impl's
/// trait (for `impl Trait for Client`) or self type.
fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Trait(t) => Some(t.ident.to_string()),
        syn::Item::Impl(imp) => {
            let self_name = type_name(&imp.self_ty);
            match &imp.trait_ {
                Some((path, _)) if self_name.as_deref() == Some("Client") => {
                    path.segments.last().map(|s| s.ident.to_string())
                }
                _ => self_name,
            }
        }
        _ => None,
    }
}

/// `#[cfg(any(feature = "a", ...))]` on an item.
fn gate(item: &mut syn::Item, areas: &[String]) {
    let attr: syn::Attribute = if areas.len() == 1 {
        let area = &areas[0];
        syn::parse_quote!(#[cfg(feature = #area)])
    } else {
        syn::parse_quote!(#[cfg(any(#(feature = #areas),*))])
    };
    match item {
        syn::Item::Struct(i) => i.attrs.insert(0, attr),
        syn::Item::Enum(i) => i.attrs.insert(0, attr),
        syn::Item::Impl(i) => i.attrs.insert(0, attr),
        syn::Item::Trait(i) => i.attrs.insert(0, attr),
        syn::Item::Use(i) => i.attrs.insert(0, attr),
        syn::Item::Fn(i) => i.attrs.insert(0, attr),
        syn::Item::Mod(i) => i.attrs.insert(0, attr),
        _ => {}
    }
}

/// The names of the generated types (structs and enums of `mod types`).
fn type_names(file: &syn::File) -> BTreeSet<String> {
    types_items(file)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Struct(_) | syn::Item::Enum(_) => item_name(item),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The generated type names that `item` mentions in a path (`Issue`,
/// `super::Issue`, `types::builder::Issue`).
pub(crate) fn mentioned(item: &syn::Item, names: &BTreeSet<String>) -> BTreeSet<String> {
    let mut mentions = Mentions {
        names,
        found: BTreeSet::new(),
    };
    mentions.visit_item(item);
    mentions.found
}

struct Mentions<'a> {
    names: &'a BTreeSet<String>,
    found: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Mentions<'_> {
    fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
        let ident = segment.ident.to_string();
        if self.names.contains(&ident) {
            self.found.insert(ident);
        }
        syn::visit::visit_path_segment(self, segment);
    }
}

/// Every type's areas: those of the operations that reach it through any
/// chain of types.
fn close_over_types(
    file: &syn::File,
    names: &BTreeSet<String>,
    mut areas: BTreeMap<String, BTreeSet<String>>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    if let Some(items) = types_items(file) {
        for item in items {
            if let Some(name) = item_name(item).filter(|n| names.contains(n)) {
                let mut refs = mentioned(item, names);
                refs.remove(&name);
                edges.entry(name).or_default().extend(refs);
            }
        }
    }
    let mut changed = true;
    while changed {
        changed = false;
        for (from, tos) in &edges {
            let Some(from_areas) = areas.get(from).cloned() else {
                continue;
            };
            for to in tos {
                let entry = areas.entry(to.clone()).or_default();
                let before = entry.len();
                entry.extend(from_areas.iter().cloned());
                changed |= entry.len() != before;
            }
        }
    }
    areas
}

/// Gates each type, its impls and its struct builder by its areas.
fn gate_types(file: &mut syn::File, areas_of: &BTreeMap<String, BTreeSet<String>>) {
    let names = type_names(file);
    let all_areas: BTreeSet<String> = areas_of.values().flatten().cloned().collect();
    let gate_for = |name: &str| -> Option<Vec<String>> {
        let areas = areas_of.get(name)?;
        (areas.len() < all_areas.len()).then(|| areas.iter().cloned().collect())
    };
    for item in file.items.iter_mut() {
        let syn::Item::Mod(types) = item else {
            continue;
        };
        if types.ident != "types" {
            continue;
        }
        let Some((_, items)) = types.content.as_mut() else {
            continue;
        };
        for item in items.iter_mut() {
            if let syn::Item::Mod(builders) = item {
                if builders.ident == "builder" {
                    for item in builders
                        .content
                        .iter_mut()
                        .flat_map(|(_, items)| items.iter_mut())
                    {
                        if let Some(areas) =
                            type_item_owner(item, &names).and_then(|n| gate_for(&n))
                        {
                            gate(item, &areas);
                        }
                    }
                }
                continue;
            }
            if let Some(areas) = type_item_owner(item, &names).and_then(|n| gate_for(&n)) {
                gate(item, &areas);
            }
        }
    }
}

/// The type an item of `mod types` belongs to: a struct's or enum's name,
/// an impl's self type, or, for `impl From<X> for i64`, the generated type
/// in the trait.
pub(crate) fn type_item_owner(item: &syn::Item, names: &BTreeSet<String>) -> Option<String> {
    let name = item_name(item)?;
    if names.contains(&name) {
        return Some(name);
    }
    let syn::Item::Impl(imp) = item else {
        return None;
    };
    let (path, _) = imp.trait_.as_ref()?;
    let mut mentions = Mentions {
        names,
        found: BTreeSet::new(),
    };
    mentions.visit_path(path);
    mentions.found.pop_first()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names_are_kebab_case_tags() {
        assert_eq!(feature_name("Pull Requests"), "pull-requests");
        assert_eq!(feature_name("AI hub"), "ai-hub");
        assert_eq!(feature_name("Issues"), "issues");
    }

    #[test]
    fn types_are_gated_by_the_areas_that_reach_them() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Issue { pub user: User, pub labels: Vec<Label> }
                pub struct User { pub name: String }
                pub struct Label { pub name: String }
                pub struct Branch { pub commit: Commit }
                pub struct Commit { pub author: User }
                impl From<&Issue> for Issue { fn from(v: &Issue) -> Self { v.clone() } }
                pub mod builder {
                    pub struct Issue { user: Result<super::User, String> }
                    impl From<super::Issue> for Issue { fn from(_: super::Issue) -> Self { todo!() } }
                }
            }
        };
        let names = type_names(&file);
        let roots = BTreeMap::from([
            ("Issue".to_string(), BTreeSet::from(["issues".to_string()])),
            ("Branch".to_string(), BTreeSet::from(["branch".to_string()])),
        ]);
        let areas = close_over_types(&file, &names, roots);
        assert_eq!(
            areas["User"],
            BTreeSet::from(["branch".to_string(), "issues".to_string()])
        );
        assert_eq!(areas["Label"], BTreeSet::from(["issues".to_string()]));
        assert_eq!(areas["Commit"], BTreeSet::from(["branch".to_string()]));
        gate_types(&mut file, &areas);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("# [cfg (feature = \"issues\")] pub struct Issue"),
            "{text}"
        );
        assert!(text.contains("pub struct User"), "{text}");
        assert!(
            !text.contains("] pub struct User"),
            "User is used by every area: {text}"
        );
        assert!(
            text.contains("# [cfg (feature = \"issues\")] impl From < & Issue > for Issue"),
            "{text}"
        );
        assert!(
            text.contains("# [cfg (feature = \"issues\")] impl From < super :: Issue > for Issue"),
            "{text}"
        );
        assert!(
            text.contains("# [cfg (feature = \"branch\")] pub struct Commit"),
            "{text}"
        );
    }
}
