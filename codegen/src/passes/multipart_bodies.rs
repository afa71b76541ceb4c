//! Pass `multipart_bodies`: multipart uploads.
//!
//! Quirk: file uploads (repository file upload, release attachments, AI hub
//! audio and images) are `multipart/form-data`, which progenitor 0.15 cannot
//! generate. `prepare` hands progenitor such a body as a form with each file
//! property typed `gitcode::multipart::UploadFile`; this pass replaces the
//! form encoding in the operation's `send` by
//! `.multipart(gitcode::multipart::form(&body, [("file", ..)])?)`, which
//! sends the text fields as text parts and the files as file parts.
//!
//! Triggered by: a `multipart/form-data` request body in the spec.

use heck::ToSnakeCase;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;

use super::Context;
use super::builder::send_fn;
use crate::generate::prepare::multipart_file_fields;

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    for op in &cx.spec.operations {
        if op.body_content_type.as_deref() != Some("multipart/form-data") {
            continue;
        }
        let files = multipart_file_fields(&cx.spec.openapi, &op.operation_id).unwrap_or_default();
        let send = send_fn(file, &op.operation_id)
            .ok_or_else(|| format!("no builder `send` for `{}`", op.operation_id))?;
        let mut rewrite = Rewrite { files, done: false };
        rewrite.visit_impl_item_fn_mut(send);
        if !rewrite.done {
            return Err(format!(
                "`{}`: no `form_urlencoded(&body)` call to replace",
                op.operation_id
            ));
        }
    }
    Ok(())
}

struct Rewrite {
    files: Vec<String>,
    done: bool,
}

impl VisitMut for Rewrite {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Try(try_expr) = expr
            && let syn::Expr::MethodCall(call) = &*try_expr.expr
            && call.method == "form_urlencoded"
        {
            let receiver = &call.receiver;
            let parts = self.files.iter().map(|name| {
                let field = format_ident!("{}", name.to_snake_case());
                quote! { (#name, ::std::option::Option::from(&body.#field)) }
            });
            *expr = syn::parse_quote! {
                #receiver.multipart(crate::multipart::form(&body, [#(#parts),*])?)
            };
            self.done = true;
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn replaces_the_form_encoding_with_a_multipart_form() {
        let mut send: syn::ImplItemFn = syn::parse_quote! {
            pub async fn send(self) {
                let request = client.client.post(url).form_urlencoded(&body)?.build()?;
            }
        };
        let mut rewrite = Rewrite {
            files: vec!["file".into()],
            done: false,
        };
        rewrite.visit_impl_item_fn_mut(&mut send);
        assert!(rewrite.done);
        let text = send.to_token_stream().to_string();
        assert!(
            text.contains(
                "client . client . post (url) . multipart (crate :: multipart :: form (& body , [(\"file\" , :: std :: option :: Option :: from (& body . file))]) ?) . build ()"
            ),
            "{text}"
        );
    }
}
