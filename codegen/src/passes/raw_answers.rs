//! Pass `raw_answers`: every operation can be sent for the answer as the
//! server sent it.
//!
//! The spec is transcribed from docs that are often wrong: a field the spec
//! lacks is not in the generated type, so `send()` cannot return it. This
//! pass adds `send_raw()` to every builder, beside `send()`: the same
//! request through the same runtime (auth, rate limiter, retries, tracing,
//! typed errors for error statuses), returning `gitcode::RawResponse`
//! (status, headers, the whole body) with no decoding.
//!
//! An operation whose answer is bytes (`x-gitcode-raw-response`: raw
//! files, archives, logs) has a `send()` that streams the body
//! (`ResponseValue<ByteStream>`); for those the pass also adds
//! `send_bytes()`, the whole body in one call (`bytes::Bytes`), through
//! `send_raw()`.
//!
//! Triggered by: every operation (after `typed_errors`, whose
//! `build_request` it calls); `send_bytes()` by a `send()` answering
//! `ByteStream`.

use quote::ToTokens;

use super::Context;
use super::builder::{builder_impl, success_type};
use super::typed_errors::{BUILD_REQUEST, send_built_request};

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    for op in &cx.spec.operations {
        let imp = builder_impl(file, &op.operation_id)
            .ok_or_else(|| format!("no builder for `{}`", op.operation_id))?;
        add_send_raw(imp, &op.operation_id)?;
        add_send_bytes(imp, &op.operation_id)?;
    }
    Ok(())
}

/// Whether `send()` answers bytes (`ResponseValue<ByteStream>`).
fn answers_bytes(imp: &syn::ItemImpl) -> bool {
    imp.items.iter().any(|it| match it {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => success_type(&f.sig.output)
            .is_some_and(|t| t.to_token_stream().to_string() == "ByteStream"),
        _ => false,
    })
}

/// Adds `send_bytes()` after `send_raw()` when `send()` answers bytes.
fn add_send_bytes(imp: &mut syn::ItemImpl, operation_id: &str) -> Result<(), String> {
    if !answers_bytes(imp) {
        return Ok(());
    }
    let position = |name: &str| {
        imp.items
            .iter()
            .position(|it| matches!(it, syn::ImplItem::Fn(f) if f.sig.ident == name))
    };
    if position("send_bytes").is_some() {
        return Err(format!(
            "`{operation_id}` already has a method `send_bytes`"
        ));
    }
    let send_raw = position("send_raw")
        .ok_or_else(|| format!("`{operation_id}` has no `send_raw` (add it first)"))?;
    let send_bytes: syn::ImplItemFn = syn::parse_quote! {
        /// Sends the request and buffers the whole body in memory, returned
        /// in one piece; `send()` streams it instead, as it arrives. An
        /// error status is still an `Error::Api`.
        pub async fn send_bytes(self) -> Result<::bytes::Bytes, crate::Error> {
            self.send_raw().await.map(crate::RawResponse::into_body)
        }
    };
    imp.items
        .insert(send_raw + 1, syn::ImplItem::Fn(send_bytes));
    Ok(())
}

fn add_send_raw(imp: &mut syn::ItemImpl, operation_id: &str) -> Result<(), String> {
    let has = |name: &str| {
        imp.items
            .iter()
            .position(|it| matches!(it, syn::ImplItem::Fn(f) if f.sig.ident == name))
    };
    if has(BUILD_REQUEST).is_none() {
        return Err(format!(
            "`{operation_id}` has no `{BUILD_REQUEST}` (run `typed_errors` first)"
        ));
    }
    if has("send_raw").is_some() {
        return Err(format!("`{operation_id}` already has a method `send_raw`"));
    }
    let send = has("send").ok_or_else(|| format!("`{operation_id}` has no `send`"))?;
    let send_built = send_built_request(operation_id);
    let send_raw: syn::ImplItemFn = syn::parse_quote! {
        /// Sends the request and returns the answer as the server sent it:
        /// status, headers and the whole body, not decoded. An error
        /// status is still an `Error::Api`.
        pub async fn send_raw(self) -> Result<crate::RawResponse, crate::Error> {
            #send_built
            crate::response::raw(client, #operation_id, sent).await
        }
    };
    imp.items.insert(send + 1, syn::ImplItem::Fn(send_raw));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn send_raw_follows_send_and_sends_the_built_request() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> GetIssue<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::Issue>, crate::Error> { todo!() }
                fn build_request(self) -> Result<reqwest::Request, Error<()>> { todo!() }
            }
        };
        add_send_raw(&mut imp, "get_issue").unwrap();
        let names: Vec<String> = imp
            .items
            .iter()
            .filter_map(|it| match it {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["send", "send_raw", "build_request"]);
        let text = imp.to_token_stream().to_string();
        assert!(
            text.contains("crate :: response :: raw (client , \"get_issue\" , sent) . await"),
            "{text}"
        );
    }

    #[test]
    fn byte_answers_also_come_whole_with_send_bytes() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> GetRepoRawFile<'a> {
                pub async fn send(self) -> Result<ResponseValue<ByteStream>, crate::Error> { todo!() }
                fn build_request(self) -> Result<reqwest::Request, Error<()>> { todo!() }
            }
        };
        add_send_raw(&mut imp, "get_repo_raw_file").unwrap();
        add_send_bytes(&mut imp, "get_repo_raw_file").unwrap();
        let names: Vec<String> = imp
            .items
            .iter()
            .filter_map(|it| match it {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["send", "send_raw", "send_bytes", "build_request"]);
        let text = imp.to_token_stream().to_string();
        assert!(
            text.contains(
                "pub async fn send_bytes (self) -> Result < :: bytes :: Bytes , crate :: Error >"
            ),
            "{text}"
        );
        assert!(
            text.contains("self . send_raw () . await . map (crate :: RawResponse :: into_body)"),
            "{text}"
        );
        assert!(text.contains("buffers the whole body"), "{text}");
        assert!(text.contains("`send()` streams it"), "{text}");
    }

    #[test]
    fn json_answers_get_no_send_bytes() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> GetIssue<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::Issue>, crate::Error> { todo!() }
                fn build_request(self) -> Result<reqwest::Request, Error<()>> { todo!() }
            }
        };
        add_send_raw(&mut imp, "get_issue").unwrap();
        add_send_bytes(&mut imp, "get_issue").unwrap();
        let text = imp.to_token_stream().to_string();
        assert!(!text.contains("send_bytes"), "{text}");
    }

    #[test]
    fn without_build_request_the_pass_says_why() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> GetIssue<'a> { pub async fn send(self) {} }
        };
        let err = add_send_raw(&mut imp, "get_issue").unwrap_err();
        assert!(err.contains("typed_errors"), "{err}");
    }
}
