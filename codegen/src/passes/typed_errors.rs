//! Pass `typed_errors`: every operation returns `gitcode::Error`, and its
//! answer is decoded tolerantly.
//!
//! progenitor's `send()` returns `progenitor_client::Error<()>`, decodes
//! only the statuses the docs list and fails on any value that does not fit
//! the spec. This pass renames that `send` to a private `execute` that stops
//! once the response has arrived (auth, limiter, retries and tracing have
//! run in the hooks) and hands it back unread, and adds a `send` that ends
//! in `gitcode::response::{json, list, empty, stream}`: error bodies in all
//! three GitCode forms become a typed [`ApiError`], 2xx statuses the docs
//! did not list are accepted, an empty success body is not a JSON error,
//! and a value that does not fit an optional field is left out with a
//! warning instead of failing the call (`gitcode::decode`).
//!
//! Triggered by: every operation.
//!
//! [`ApiError`]: https://docs.rs/gitcode/latest/gitcode/error/struct.ApiError.html

use quote::ToTokens;

use super::Context;
use super::builder::{builder_impl, generic_arg, success_type};

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    for op in &cx.spec.operations {
        let imp = builder_impl(file, &op.operation_id)
            .ok_or_else(|| format!("no builder for `{}`", op.operation_id))?;
        wrap_send(imp, &op.operation_id)?;
    }
    Ok(())
}

/// The name of the private method that sends the request and returns the
/// response unread.
pub const EXECUTE: &str = "execute";

fn wrap_send(imp: &mut syn::ItemImpl, operation_id: &str) -> Result<(), String> {
    if imp
        .items
        .iter()
        .any(|it| matches!(it, syn::ImplItem::Fn(f) if f.sig.ident == EXECUTE))
    {
        return Err(format!(
            "`{operation_id}` already has a method `{EXECUTE}` (a parameter of that name?)"
        ));
    }
    let position = imp
        .items
        .iter()
        .position(|it| matches!(it, syn::ImplItem::Fn(f) if f.sig.ident == "send"))
        .ok_or_else(|| format!("`{operation_id}` has no `send`"))?;
    let syn::ImplItem::Fn(progenitor) = &mut imp.items[position] else {
        unreachable!("found above")
    };
    let ty = success_type(&progenitor.sig.output)
        .ok_or_else(|| format!("`{operation_id}`: unexpected `send` signature"))?;
    let finish: syn::Path = match ty.to_token_stream().to_string().as_str() {
        "ByteStream" => syn::parse_quote!(crate::response::stream),
        "()" => syn::parse_quote!(crate::response::empty),
        _ if generic_arg(&ty, "Vec").is_some() => syn::parse_quote!(crate::response::list),
        _ => syn::parse_quote!(crate::response::json),
    };
    let docs: Vec<syn::Attribute> = progenitor
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect();
    stop_at_response(progenitor, operation_id)?;
    let send: syn::ImplItemFn = syn::parse_quote! {
        #(#docs)*
        /// Sends the request and decodes the answer (a value that does not
        /// fit an optional field is left out, with a warning).
        pub async fn send(self) -> Result<ResponseValue<#ty>, crate::Error> {
            let client = self.client;
            #finish(client, #operation_id, self.execute().await).await
        }
    };
    imp.items.insert(position, syn::ImplItem::Fn(send));
    Ok(())
}

/// Turns progenitor's `send` into `execute`: the same request, returning
/// the response once it has arrived, unread.
fn stop_at_response(f: &mut syn::ImplItemFn, operation_id: &str) -> Result<(), String> {
    let is_response_stmt =
        |stmt: &syn::Stmt| stmt.to_token_stream().to_string() == "let response = result ? ;";
    let end = f
        .block
        .stmts
        .iter()
        .position(is_response_stmt)
        .ok_or_else(|| format!("`{operation_id}`: no `let response = result?;` in `send`"))?;
    f.block.stmts.truncate(end + 1);
    f.block
        .stmts
        .push(syn::Stmt::Expr(syn::parse_quote!(Ok(response)), None));
    f.sig.ident = syn::Ident::new(EXECUTE, f.sig.ident.span());
    f.sig.output = syn::parse_quote!(-> Result<reqwest::Response, Error<()>>);
    f.vis = syn::Visibility::Inherited;
    f.attrs.retain(|a| !a.path().is_ident("doc"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_is_split_into_execute_and_a_finisher_for_its_body() {
        for (ty, finisher) in [
            (quote::quote!(types::Issue), "json"),
            (quote::quote!(::std::vec::Vec<types::Issue>), "list"),
            (quote::quote!(ByteStream), "stream"),
            (quote::quote!(()), "empty"),
        ] {
            let mut imp: syn::ItemImpl = syn::parse_quote! {
                impl<'a> GetIssue<'a> {
                    /// Sends a `GET` request
                    pub async fn send(self) -> Result<ResponseValue<#ty>, Error<()>> {
                        let request = build();
                        let result = client.exec(request, &info).await;
                        client.post(&result, &info).await?;
                        let response = result?;
                        match response.status().as_u16() {
                            200u16 => ResponseValue::from_response(response).await,
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            };
            wrap_send(&mut imp, "get_issue").unwrap();
            let text = imp.to_token_stream().to_string();
            assert!(
                text.contains(
                    "async fn execute (self) -> Result < reqwest :: Response , Error < () > >"
                ),
                "{text}"
            );
            assert!(
                text.contains("let response = result ? ; Ok (response) }"),
                "{text}"
            );
            assert!(!text.contains("from_response"), "{text}");
            assert!(
                text.contains("pub async fn send (self) -> Result < ResponseValue <"),
                "{text}"
            );
            assert!(
                text.contains(&format!(
                    "crate :: response :: {finisher} (client , \"get_issue\" , self . execute () . await) . await"
                )),
                "{text}"
            );
        }
    }

    #[test]
    fn a_send_that_does_not_end_as_expected_is_an_error() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> GetIssue<'a> {
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> { todo!() }
            }
        };
        let err = wrap_send(&mut imp, "get_issue").unwrap_err();
        assert!(err.contains("let response = result?;"), "{err}");
    }
}
