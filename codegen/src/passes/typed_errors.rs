//! Pass `typed_errors`: every operation returns `gitcode::Error`, and its
//! answer is decoded tolerantly.
//!
//! progenitor's `send()` returns `progenitor_client::Error<()>`, decodes
//! only the statuses the docs list and fails on any value that does not fit
//! the spec. This pass turns that `send` into a private, synchronous
//! `build_request` that stops once the request is built, and adds a `send`
//! that hands it to `gitcode::runtime::send_operation` (auth, limiter,
//! retries and tracing, run in the hooks: one function for all operations,
//! not an `async` body per operation, which is most of what an operation
//! costs to compile) and ends in
//! `gitcode::response::{json, list, empty, stream}`: error bodies in all
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

/// The name of the private method that builds the request (and sends
/// nothing).
pub const BUILD_REQUEST: &str = "build_request";

fn wrap_send(imp: &mut syn::ItemImpl, operation_id: &str) -> Result<(), String> {
    if imp
        .items
        .iter()
        .any(|it| matches!(it, syn::ImplItem::Fn(f) if f.sig.ident == BUILD_REQUEST))
    {
        return Err(format!(
            "`{operation_id}` already has a method `{BUILD_REQUEST}` (a parameter of that name?)"
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
    stop_at_request(progenitor, operation_id)?;
    let send_built = send_built_request(operation_id);
    let send: syn::ImplItemFn = syn::parse_quote! {
        #(#docs)*
        /// Sends the request and decodes the answer (a value that does not
        /// fit an optional field is left out, with a warning).
        pub async fn send(self) -> Result<ResponseValue<#ty>, crate::Error> {
            #send_built
            #finish(client, #operation_id, sent).await
        }
    };
    imp.items.insert(position, syn::ImplItem::Fn(send));
    Ok(())
}

/// The start of every `send` and `send_raw`: `client` and `sent`, the
/// request built by `build_request` and sent through the runtime's hooks.
pub fn send_built_request(operation_id: &str) -> proc_macro2::TokenStream {
    let build_request = syn::Ident::new(BUILD_REQUEST, proc_macro2::Span::call_site());
    quote::quote! {
        let client = self.client;
        let sent = crate::runtime::send_operation(client, #operation_id, self.#build_request()).await;
    }
}

/// Turns progenitor's `send` into `build_request`: the same request,
/// built and returned, not sent. What progenitor does after building it
/// (the hooks, the exchange) is `gitcode::runtime::send_operation`'s.
fn stop_at_request(f: &mut syn::ImplItemFn, operation_id: &str) -> Result<(), String> {
    let end = f
        .block
        .stmts
        .iter()
        .position(|stmt| binds(stmt, "info"))
        .ok_or_else(|| {
            format!("`{operation_id}`: no `let info = OperationInfo {{ .. }};` in `send`")
        })?;
    f.block.stmts.truncate(end);
    if !f.block.stmts.iter().any(|stmt| binds(stmt, "request")) {
        return Err(format!(
            "`{operation_id}`: no `let mut request = ...;` before `OperationInfo` in `send`"
        ));
    }
    if f.block.to_token_stream().to_string().contains(". await") {
        return Err(format!(
            "`{operation_id}`: building the request awaits something; it must be synchronous"
        ));
    }
    f.block
        .stmts
        .push(syn::Stmt::Expr(syn::parse_quote!(Ok(request)), None));
    f.sig.asyncness = None;
    f.sig.ident = syn::Ident::new(BUILD_REQUEST, f.sig.ident.span());
    f.sig.output = syn::parse_quote!(-> Result<reqwest::Request, Error<()>>);
    f.vis = syn::Visibility::Inherited;
    f.attrs.retain(|a| !a.path().is_ident("doc"));
    Ok(())
}

/// `let name = ...;` or `let mut name = ...;`.
fn binds(stmt: &syn::Stmt, name: &str) -> bool {
    matches!(stmt, syn::Stmt::Local(syn::Local { pat: syn::Pat::Ident(p), .. }) if p.ident == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_is_split_into_build_request_and_a_finisher_for_its_body() {
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
                        #[allow(unused_mut)]
                        let mut request = build()?;
                        let info = OperationInfo { operation_id: "get_issue" };
                        client.pre(&mut request, &info).await?;
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
                    "fn build_request (self) -> Result < reqwest :: Request , Error < () > >"
                ),
                "{text}"
            );
            assert!(!text.contains("async fn build_request"), "{text}");
            assert!(
                text.contains("let mut request = build () ? ; Ok (request) }"),
                "{text}"
            );
            assert!(!text.contains("OperationInfo"), "{text}");
            assert!(!text.contains("from_response"), "{text}");
            assert!(
                text.contains("pub async fn send (self) -> Result < ResponseValue <"),
                "{text}"
            );
            assert!(
                text.contains(
                    "let sent = crate :: runtime :: send_operation (client , \"get_issue\" , self . build_request ()) . await ;"
                ),
                "{text}"
            );
            assert!(
                text.contains(&format!(
                    "crate :: response :: {finisher} (client , \"get_issue\" , sent) . await"
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
        assert!(err.contains("OperationInfo"), "{err}");
    }

    #[test]
    fn building_a_request_that_awaits_is_an_error() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> GetIssue<'a> {
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                    let body = read().await;
                    let mut request = build(body)?;
                    let info = OperationInfo { operation_id: "get_issue" };
                    todo!()
                }
            }
        };
        let err = wrap_send(&mut imp, "get_issue").unwrap_err();
        assert!(err.contains("synchronous"), "{err}");
    }
}
