//! Pass `repeated_form_fields`: form bodies that can hold lists.
//!
//! Quirk: GitCode takes a list in a form as one field per item under a
//! bracketed name (`labels[]=bug&labels[]=p1`, as GitCode's own CLI sends
//! labels and assignee ids), and the spec describes such a field as an array
//! named with its brackets. progenitor encodes every form body with
//! `serde_urlencoded`, which refuses a list at `send()`. This pass replaces
//! each generated `.form_urlencoded(&body)` with
//! `crate::form::form_urlencoded(request, &body)`, the runtime encoder that
//! sends a list as repeated fields and everything else as before.
//!
//! Triggered by: every operation whose body is sent form-encoded.

use syn::visit_mut::VisitMut;

use super::Context;
use super::builder::builder_impl;

const FORM: &str = "application/x-www-form-urlencoded";

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    for op in &cx.spec.operations {
        if op.body_content_type.as_deref() != Some(FORM) {
            continue;
        }
        let imp = builder_impl(file, &op.operation_id)
            .ok_or_else(|| format!("no builder for `{}`", op.operation_id))?;
        let mut rewrite = Rewrite::default();
        rewrite.visit_item_impl_mut(imp);
        if rewrite.replaced == 0 {
            return Err(format!(
                "`{}`: its body is a form, but no `.form_urlencoded(..)` call was found \
                 (has progenitor changed?)",
                op.operation_id
            ));
        }
    }
    Ok(())
}

#[derive(Default)]
struct Rewrite {
    replaced: usize,
}

impl VisitMut for Rewrite {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "form_urlencoded"
            && call.args.len() == 1
        {
            let receiver = &call.receiver;
            let body = &call.args[0];
            *expr = syn::parse_quote!(crate::form::form_urlencoded(#receiver, #body));
            self.replaced += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn the_form_call_goes_through_the_runtime_encoder() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> CreatePullRequest<'a> {
                fn build_request(self) -> Result<reqwest::Request, Error<()>> {
                    let request = client
                        .client
                        .post(url)
                        .header(::reqwest::header::ACCEPT, value)
                        .form_urlencoded(&body)?
                        .headers(header_map)
                        .build()?;
                    Ok(request)
                }
            }
        };
        let mut rewrite = Rewrite::default();
        rewrite.visit_item_impl_mut(&mut imp);
        assert_eq!(rewrite.replaced, 1);
        let text = imp.to_token_stream().to_string();
        assert!(
            text.contains(
                "crate :: form :: form_urlencoded (client . client . post (url) . header (:: reqwest :: header :: ACCEPT , value) , & body) ? . headers (header_map)"
            ),
            "{text}"
        );
        assert!(!text.contains(". form_urlencoded"), "{text}");
    }
}
