//! Pass `typed_errors`: every operation returns `gitcode::Error`.
//!
//! progenitor's `send()` returns `progenitor_client::Error<()>`, where an
//! error status is an unread `reqwest::Response`. This pass renames that
//! `send` to `send_raw` and adds a `send` that finishes the outcome with
//! `gitcode::error::finish_json` / `finish_empty` / `finish_stream`: error
//! bodies in all three GitCode forms become a typed [`ApiError`], a decode
//! failure names the field, 2xx statuses the docs did not list are accepted,
//! and an empty success body is not a JSON error.
//!
//! Triggered by: every operation.
//!
//! [`ApiError`]: https://docs.rs/gitcode/latest/gitcode/error/struct.ApiError.html

use quote::ToTokens;

use super::Context;
use super::builder::{builder_impl, success_type};

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    for op in &cx.spec.operations {
        let imp = builder_impl(file, &op.operation_id)
            .ok_or_else(|| format!("no builder for `{}`", op.operation_id))?;
        wrap_send(imp, &op.operation_id)?;
    }
    Ok(())
}

fn wrap_send(imp: &mut syn::ItemImpl, operation_id: &str) -> Result<(), String> {
    let position = imp
        .items
        .iter()
        .position(|it| matches!(it, syn::ImplItem::Fn(f) if f.sig.ident == "send"))
        .ok_or_else(|| format!("`{operation_id}` has no `send`"))?;
    let syn::ImplItem::Fn(raw) = &mut imp.items[position] else {
        unreachable!("found above")
    };
    let ty = success_type(&raw.sig.output)
        .ok_or_else(|| format!("`{operation_id}`: unexpected `send` signature"))?;
    let finish: syn::Path = match ty.to_token_stream().to_string().as_str() {
        "ByteStream" => syn::parse_quote!(crate::error::finish_stream),
        "()" => syn::parse_quote!(crate::error::finish_empty),
        _ => syn::parse_quote!(crate::error::finish_json),
    };
    let docs: Vec<syn::Attribute> = raw
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect();
    raw.sig.ident = syn::Ident::new("send_raw", raw.sig.ident.span());
    raw.vis = syn::Visibility::Inherited;
    raw.attrs.retain(|a| !a.path().is_ident("doc"));
    let send: syn::ImplItemFn = syn::parse_quote! {
        #(#docs)*
        /// Sends the request.
        pub async fn send(self) -> Result<ResponseValue<#ty>, crate::Error> {
            #finish(#operation_id, self.send_raw().await).await
        }
    };
    imp.items.insert(position, syn::ImplItem::Fn(send));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_is_wrapped_with_the_finisher_for_its_body() {
        for (ty, finisher) in [
            (quote::quote!(types::Issue), "finish_json"),
            (quote::quote!(ByteStream), "finish_stream"),
            (quote::quote!(()), "finish_empty"),
        ] {
            let mut imp: syn::ItemImpl = syn::parse_quote! {
                impl<'a> GetIssue<'a> {
                    pub async fn send(self) -> Result<ResponseValue<#ty>, Error<()>> { todo!() }
                }
            };
            wrap_send(&mut imp, "get_issue").unwrap();
            let text = imp.to_token_stream().to_string();
            assert!(
                text.contains("async fn send_raw (self) -> Result < ResponseValue <"),
                "{text}"
            );
            assert!(
                text.contains("pub async fn send (self) -> Result < ResponseValue <"),
                "{text}"
            );
            assert!(
                text.contains(&format!("crate :: error :: {finisher} (\"get_issue\" , self . send_raw () . await) . await")),
                "{text}"
            );
        }
    }
}
