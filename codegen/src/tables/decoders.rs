//! The response-decoder table for the docs-example test.
//!
//! For every operation whose success body is JSON, the table maps its
//! `operationId` to a function that decodes a body into the exact type the
//! generated `send()` returns, so that `client/tests/suite/docs_examples.rs` can
//! decode every example of the official pages without naming a type by hand.
//! It is read off the generated tree (not predicted from the spec), so it
//! follows whatever names progenitor chose.

use heck::ToSnakeCase;
use quote::{ToTokens, quote};
use syn::visit_mut::VisitMut;

use crate::passes::builder::{builder_items_ref, success_type};

/// Where the table goes, relative to the workspace root.
pub const DECODERS_FILE: &str = "client/tests/generated/response_decoders.rs";

/// Builds the table from the generated client.
pub fn response_decoders(client: &syn::File) -> syn::File {
    let mut entries = Vec::new();
    if let Some(items) = builder_items_ref(client) {
        for item in items.iter() {
            let syn::Item::Impl(imp) = item else { continue };
            let syn::Type::Path(self_ty) = &*imp.self_ty else {
                continue;
            };
            let Some(name) = self_ty.path.segments.last() else {
                continue;
            };
            let operation_id = name.ident.to_string().to_snake_case();
            for it in &imp.items {
                let syn::ImplItem::Fn(f) = it else { continue };
                if f.sig.ident != "send" {
                    continue;
                }
                if let Some(mut ty) = success_type(&f.sig.output) {
                    let text = ty.to_token_stream().to_string();
                    if text == "ByteStream" || text == "()" {
                        continue;
                    }
                    let is_list = text.contains("Vec <");
                    QualifyTypes.visit_type_mut(&mut ty);
                    entries.push(quote! {
                        (#operation_id, #is_list, decode::<#ty>),
                    });
                }
            }
        }
    }
    syn::parse_quote! {
        /// Decodes a body, or says which field does not fit.
        pub type Decoder = fn(&str) -> Result<(), String>;

        /// `(operationId, returns a list, decoder)` for every operation with a JSON body.
        pub const DECODERS: &[(&str, bool, Decoder)] = &[
            #(#entries)*
        ];

        /// Decodes `body` as `T` the way the client does in strict mode
        /// (no value left out), naming the path of the field that fails.
        fn decode<T: serde::de::DeserializeOwned>(body: &str) -> Result<(), String> {
            gitcode::decode::from_slice::<T>(body.as_bytes(), gitcode::decode::DecodeMode::Strict)
                .map(drop)
                .map_err(|e| e.to_string())
        }
    }
}

/// `types::X` → `gitcode::types::X`.
struct QualifyTypes;

impl VisitMut for QualifyTypes {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none() && path.segments.first().is_some_and(|s| s.ident == "types")
        {
            path.segments.insert(0, syn::parse_quote!(gitcode));
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_operations_to_their_json_success_types() {
        let client: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListRepoIssues<'a> {
                    pub async fn send(self) -> Result<ResponseValue<::std::vec::Vec<types::Issue>>, Error<()>> { todo!() }
                }
                impl<'a> GetRawFile<'a> {
                    pub async fn send(self) -> Result<ResponseValue<ByteStream>, Error<()>> { todo!() }
                }
            }
        };
        let text = response_decoders(&client).to_token_stream().to_string();
        assert!(
            text.contains("(\"list_repo_issues\" , true , decode :: < :: std :: vec :: Vec < gitcode :: types :: Issue > >)"),
            "{text}"
        );
        assert!(!text.contains("get_raw_file"), "{text}");
    }
}
