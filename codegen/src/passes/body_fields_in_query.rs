//! Pass `body_fields_in_query`: body fields the server reads from the query.
//!
//! Quirk: some POST endpoints (tag create, label create) are documented with
//! a JSON or form body but read their parameters from the query string. For
//! each operation marked `x-gitcode-body-in-query: [fields]`, this pass adds
//! `.query(gitcode::paths::body_query(&body, &[fields])?)` after the body,
//! so the named fields travel in both places.
//!
//! Triggered by: `x-gitcode-body-in-query` on an operation.

use syn::visit_mut::VisitMut;

use super::Context;
use super::builder::builder_impl;

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    for op in cx
        .spec
        .operations
        .iter()
        .filter(|op| !op.body_in_query.is_empty())
    {
        let imp = builder_impl(file, &op.operation_id)
            .ok_or_else(|| format!("no builder for `{}`", op.operation_id))?;
        let mut add = AddQuery {
            fields: &op.body_in_query,
            done: false,
        };
        add.visit_item_impl_mut(imp);
        if !add.done {
            return Err(format!(
                "`{}`: no `.json(&body)` or `.form_urlencoded(&body)?` call",
                op.operation_id
            ));
        }
    }
    Ok(())
}

struct AddQuery<'a> {
    fields: &'a [String],
    done: bool,
}

/// `.json(&body)`, or `.form_urlencoded(&body)` (the latter inside its `?`).
fn sets_body(expr: &syn::Expr) -> bool {
    let call = match expr {
        syn::Expr::Try(t) => match &*t.expr {
            syn::Expr::MethodCall(call) if call.method == "form_urlencoded" => call,
            _ => return false,
        },
        syn::Expr::MethodCall(call) if call.method == "json" => call,
        _ => return false,
    };
    quote::ToTokens::to_token_stream(&call.args).to_string() == "& body"
}

impl VisitMut for AddQuery<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if sets_body(expr) {
            let fields = self.fields;
            let inner = expr.clone();
            *expr = syn::parse_quote! {
                #inner.query(&crate::paths::body_query(&body, &[#(#fields),*])?)
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
    fn the_named_body_fields_are_added_to_the_query() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> CreateRepoTag<'a> {
                async fn send_raw(self) {
                    let request = client.client.post(url).json(&body).headers(h).build()?;
                }
            }
        };
        let fields = vec!["tag_name".to_string(), "refs".to_string()];
        let mut add = AddQuery {
            fields: &fields,
            done: false,
        };
        add.visit_item_impl_mut(&mut imp);
        assert!(add.done);
        let text = imp.to_token_stream().to_string();
        assert!(
            text.contains(". json (& body) . query (& crate :: paths :: body_query (& body , & [\"tag_name\" , \"refs\"]) ?) . headers (h)"),
            "{text}"
        );
    }

    #[test]
    fn form_bodies_get_the_query_after_their_question_mark() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> CreateRepoLabel<'a> {
                async fn send_raw(self) {
                    let request = client.client.post(url).form_urlencoded(&body)?.headers(h).build()?;
                }
            }
        };
        let fields = vec!["name".to_string()];
        let mut add = AddQuery {
            fields: &fields,
            done: false,
        };
        add.visit_item_impl_mut(&mut imp);
        assert!(add.done);
        let text = imp.to_token_stream().to_string();
        assert!(
            text.contains(". form_urlencoded (& body) ? . query (& crate :: paths :: body_query (& body , & [\"name\"]) ?) . headers (h)"),
            "{text}"
        );
    }
}
