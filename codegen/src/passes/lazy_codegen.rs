//! Pass `lazy_codegen`: the code of an operation is compiled to machine code
//! only in a crate that calls it.
//!
//! A non-generic function of a library is compiled to machine code when the
//! library is built, whether any caller uses it or not; a generic one, or
//! one marked `#[inline]`, is compiled in the crate that calls it, and only
//! if it does. Every generated `send()` is non-generic and decodes its
//! answer, so without this pass building `gitcode` compiles the decoding of
//! every type of every operation (each a copy of serde's code per
//! deserializer), most of the crate's build time, for callers that use a
//! handful of operations.
//!
//! The pass marks `#[inline]` every non-generic method of every `impl` in
//! the generated client (the builders' `send`, `send_raw`,
//! `build_request`, `new` and `stream`, the page traits, the extension
//! traits on `Client`, the type builders' conversions), so that each is
//! compiled where it is used. It changes no signature and no behaviour;
//! derived trait impls (`Debug`, `Clone`) are left as they are.
//!
//! Triggered by: every `impl` in the generated client. Runs last, so that
//! it sees the methods every other pass adds.

use syn::visit_mut::VisitMut;

use super::Context;

pub fn run(file: &mut syn::File, _cx: &Context<'_>) -> Result<(), String> {
    if mark(file) == 0 {
        return Err("no method to mark: the generated client has no `impl`".into());
    }
    Ok(())
}

/// Marks the methods; returns how many.
fn mark(file: &mut syn::File) -> usize {
    let mut marker = Marker { marked: 0 };
    marker.visit_file_mut(file);
    marker.marked
}

struct Marker {
    marked: usize,
}

impl VisitMut for Marker {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if is_generic(&f.sig.generics) || f.attrs.iter().any(|a| a.path().is_ident("inline")) {
            return;
        }
        f.attrs.push(syn::parse_quote!(#[inline]));
        self.marked += 1;
    }

    // Function bodies hold no `impl` to mark; do not walk them.
    fn visit_block_mut(&mut self, _: &mut syn::Block) {}
}

/// Generic over a type or a constant (lifetimes alone make no copies).
fn is_generic(generics: &syn::Generics) -> bool {
    generics
        .params
        .iter()
        .any(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn marked(file: &syn::File) -> Vec<String> {
        let mut out = Vec::new();
        for item in &file.items {
            let syn::Item::Impl(imp) = item else { continue };
            for it in &imp.items {
                if let syn::ImplItem::Fn(f) = it
                    && f.attrs.iter().any(|a| a.path().is_ident("inline"))
                {
                    out.push(f.sig.ident.to_string());
                }
            }
        }
        out
    }

    #[test]
    fn non_generic_methods_are_marked_once_and_generic_ones_left_alone() {
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> GetIssue<'a> {
                pub fn owner<V>(mut self, value: V) -> Self where V: Into<String> { self }
                pub async fn send(self) -> Result<ResponseValue<types::Issue>, crate::Error> { todo!() }
                #[inline(always)]
                fn build_request(self) -> Result<reqwest::Request, Error<()>> { todo!() }
            }
            impl ClientIssuesExt for Client {
                fn get_issue(&self) -> builder::GetIssue<'_> { builder::GetIssue::new(self) }
            }
        };
        assert_eq!(mark(&mut file), 2);
        assert_eq!(marked(&file), ["send", "build_request", "get_issue"]);
        let text = file.to_token_stream().to_string();
        assert_eq!(text.matches("# [inline]").count(), 2, "{text}");
        assert_eq!(text.matches("# [inline (always)]").count(), 1, "{text}");
    }

    #[test]
    fn impls_inside_modules_are_marked_and_function_bodies_are_not_walked() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    impl Default for Label { fn default() -> Self { todo!() } }
                }
            }
            pub fn operation_meta() {
                struct Local;
                impl Local { fn inside(&self) {} }
            }
        };
        assert_eq!(mark(&mut file), 1);
        let text = file.to_token_stream().to_string();
        assert!(text.contains("# [inline] fn default"), "{text}");
        assert!(!text.contains("# [inline] fn inside"), "{text}");
    }
}
