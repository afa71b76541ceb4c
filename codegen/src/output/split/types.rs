//! The schema types, one file per spec file.
//!
//! progenitor puts every type in one `types` module: 2 MB of source in one
//! file, where a reviewer cannot find what a schema edit changed. Here each
//! type goes to the file named after the spec file that defines its schema
//! (`spec/components/issues.yaml` → `types/issues.rs`); a type defined
//! inline in an operation goes to the file of that operation's spec file
//! (`spec/paths/pull_requests.yaml` → `types/pull_requests.rs`). A type's
//! builder (`types::builder::X`) goes to the same file as the type.
//!
//! The public paths stay as they were: `types.rs` declares each file as a
//! private module and re-exports it (`pub use issues::*;`), and
//! `types::builder` re-exports each file's `builder` module; each file sees
//! every type through `use super::*;`. Items keep their own area gates.
//!
//! Where a type comes from:
//! 1. a component schema: its file (from the bundle's origins);
//! 2. a type only another type mentions (an inline property or item
//!    schema): the file of the first type, in the order 1 and 3 assign
//!    them, that mentions it;
//! 3. a type an operation's builder mentions (an inline body or response):
//!    the file of the first such operation, in spec order.
//!
//! Types nothing reaches go to `types/unreferenced.rs`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use heck::ToUpperCamelCase;

use super::file_of;
use crate::passes::area_features::{mentioned, type_item_owner};
use crate::passes::builder::{builder_name, type_name};
use crate::spec::Spec;

/// The file of types nothing in the spec reaches.
const UNREFERENCED: &str = "unreferenced";

/// Where each type goes: type name → spec file stem. Read off the client
/// before [`split_types`] takes it apart.
pub struct Homes {
    names: BTreeSet<String>,
    home: BTreeMap<String, String>,
}

/// `types.rs` and one `types/<file>.rs` per spec file that defines a type.
pub fn split_types(
    items: Vec<syn::Item>,
    homes: &Homes,
    dir: &str,
) -> Result<Vec<(String, syn::File)>, String> {
    let (mut kept, types, type_builders) = separate(items)?;
    let (names, home) = (&homes.names, &homes.home);

    let mut files: BTreeMap<String, (Vec<syn::Item>, Vec<syn::Item>)> = BTreeMap::new();
    for item in types {
        let file = type_item_owner(&item, names)
            .and_then(|name| home.get(&name))
            .map_or(UNREFERENCED, String::as_str);
        files.entry(file.to_string()).or_default().0.push(item);
    }
    for item in type_builders {
        let file = type_item_owner(&item, names)
            .and_then(|name| home.get(&name))
            .map_or(UNREFERENCED, String::as_str);
        files.entry(file.to_string()).or_default().1.push(item);
    }

    let mut out = Vec::new();
    let mut declarations = Vec::new();
    let mut builder_exports = Vec::new();
    for (file, (types, builders)) in files {
        let module = syn::Ident::new(&file, proc_macro2::Span::call_site());
        declarations.push(syn::parse_quote!(mod #module;));
        // An area build may leave a file with nothing public in it.
        declarations.push(syn::parse_quote! {
            #[allow(unused_imports)]
            pub use #module::*;
        });
        builder_exports.push(quote::quote! {
            #[allow(unused_imports)]
            pub use super::#module::builder::*;
        });
        let mut items: Vec<syn::Item> = vec![syn::parse_quote! {
            #[allow(unused_imports)]
            use super::*;
        }];
        items.extend(types);
        // Built around the items, not quoted: re-parsing them costs more
        // than the whole split.
        let mut module: syn::ItemMod = syn::parse_quote! {
            /// Builders of this file's types.
            pub mod builder {
                #[allow(unused_imports)]
                use super::*;
            }
        };
        if let Some((_, content)) = module.content.as_mut() {
            content.extend(builders);
        }
        items.push(syn::Item::Mod(module));
        out.push((format!("{dir}/types/{file}.rs"), file_of(items)));
    }
    declarations.push(syn::parse_quote! {
        /// Types for composing complex structures.
        pub mod builder {
            #(#builder_exports)*
        }
    });
    declarations.append(&mut kept);
    out.insert(0, (format!("{dir}/types.rs"), file_of(declarations)));
    Ok(out)
}

/// (other items, the types and their impls, the items of `mod builder`).
type Separated = (Vec<syn::Item>, Vec<syn::Item>, Vec<syn::Item>);

fn separate(items: Vec<syn::Item>) -> Result<Separated, String> {
    let (mut kept, mut types, mut builders) = (Vec::new(), Vec::new(), Vec::new());
    for item in items {
        match item {
            syn::Item::Mod(module) if module.ident == "builder" => {
                let Some((_, items)) = module.content else {
                    return Err("`types::builder` has no body".into());
                };
                builders = items;
            }
            syn::Item::Struct(_) | syn::Item::Enum(_) | syn::Item::Impl(_) => types.push(item),
            other => kept.push(other),
        }
    }
    Ok((kept, types, builders))
}

/// Where each type of `types` goes, given the client's `builder` module.
pub fn homes(types: &[syn::Item], builder_items: &[syn::Item], spec: &Spec) -> Homes {
    let names: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    // What each type's own definition (struct or enum) mentions.
    let mut mentions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in types {
        if let syn::Item::Struct(_) | syn::Item::Enum(_) = item
            && let Some(name) = type_item_owner(item, &names)
        {
            let mut used = mentioned(item, &names);
            used.remove(&name);
            mentions.insert(name, used);
        }
    }
    // What each operation builder (its struct and impls) mentions.
    let mut by_builder: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in builder_items {
        let builder = match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Impl(imp) => type_name(&imp.self_ty),
            _ => None,
        };
        if let Some(builder) = builder {
            by_builder
                .entry(builder)
                .or_default()
                .extend(mentioned(item, &names));
        }
    }
    let mut placing = Placing {
        names: &names,
        mentions,
        home: BTreeMap::new(),
    };

    // 1. Component schemas first, all of them, so that one mentioning
    //    another does not take it; then (2.) what only they mention.
    let components: Vec<String> = spec
        .bundle
        .component_origin
        .iter()
        .filter(|((section, _), _)| section == "schemas")
        .map(|((_, schema), &index)| {
            let name = schema.to_upper_camel_case();
            placing.place(&name, &stem(&spec.bundle.files[index].path));
            name
        })
        .collect();
    for name in components {
        placing.spread(&name);
    }
    // 3. Inline bodies and responses, by the first operation that uses them
    //    (its builder struct names the body, its `send` the response).
    for op in &spec.operations {
        let Some(origin) = spec.bundle.file_of_operation(&op.path, &op.method) else {
            continue;
        };
        let file = stem(&origin.path);
        for name in by_builder
            .get(&builder_name(&op.operation_id))
            .into_iter()
            .flatten()
        {
            if placing.place(name, &file) {
                placing.spread(name);
            }
        }
    }
    let home = placing.home;
    Homes { names, home }
}

struct Placing<'a> {
    names: &'a BTreeSet<String>,
    mentions: BTreeMap<String, BTreeSet<String>>,
    home: BTreeMap<String, String>,
}

impl Placing<'_> {
    /// Puts a generated type `name` in `file`, unless it has a home.
    fn place(&mut self, name: &str, file: &str) -> bool {
        if !self.names.contains(name) || self.home.contains_key(name) {
            return false;
        }
        self.home.insert(name.to_string(), file.to_string());
        true
    }

    /// Puts every type that `name`'s definition mentions and that has no
    /// home yet in `name`'s file, and so on down.
    fn spread(&mut self, name: &str) {
        // A schema that is no generated type (`Id` is `lenient::Id`) has none.
        let Some(file) = self.home.get(name).cloned() else {
            return;
        };
        let mut queue = VecDeque::from([name.to_string()]);
        while let Some(name) = queue.pop_front() {
            let used = self.mentions.get(&name).cloned().unwrap_or_default();
            for used in used {
                if self.place(&used, &file) {
                    queue.push_back(used);
                }
            }
        }
    }
}

/// `spec/components/pull_requests.yaml` → `pull_requests`.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().replace('-', "_"))
        .unwrap_or_else(|| UNREFERENCED.into())
}
