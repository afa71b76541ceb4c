//! Pass `no_api_version_header`: no `api-version` header on requests.
//!
//! progenitor adds `api-version: <info.version>` to every request it
//! builds. GitCode asks for no such header, and an unknown header is one
//! more thing a gateway may choke on, so this pass removes the statement
//! that adds it from every operation.
//!
//! Triggered by: every operation.

use quote::ToTokens;

use super::Context;
use super::builder::builder_impl;

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    for op in &cx.spec.operations {
        let imp = builder_impl(file, &op.operation_id)
            .ok_or_else(|| format!("no builder for `{}`", op.operation_id))?;
        if remove_header(imp) == 0 {
            return Err(format!(
                "`{}`: found no `api-version` header to remove (has progenitor changed?)",
                op.operation_id
            ));
        }
    }
    Ok(())
}

/// Removes the statements that append the header; returns how many.
fn remove_header(imp: &mut syn::ItemImpl) -> usize {
    let mut removed = 0;
    for item in &mut imp.items {
        let syn::ImplItem::Fn(f) = item else { continue };
        let before = f.block.stmts.len();
        f.block.stmts.retain(|stmt| {
            !(matches!(stmt, syn::Stmt::Expr(_, Some(_)))
                && stmt
                    .to_token_stream()
                    .to_string()
                    .contains("\"api-version\""))
        });
        removed += before - f.block.stmts.len();
        if before != f.block.stmts.len() {
            unmut_unused_header_map(&mut f.block);
        }
    }
    removed
}

/// `let mut header_map` becomes `let header_map` when nothing is added to
/// it any more (no `unused_mut` warning in the generated code).
fn unmut_unused_header_map(block: &mut syn::Block) {
    let still_added = block.stmts.iter().any(|stmt| {
        let text = stmt.to_token_stream().to_string();
        text.starts_with("header_map . append") || text.starts_with("header_map . insert")
    });
    if still_added {
        return;
    }
    for stmt in &mut block.stmts {
        if let syn::Stmt::Local(local) = stmt
            && let syn::Pat::Ident(ident) = &mut local.pat
            && ident.ident == "header_map"
        {
            ident.mutability = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_statement_goes_and_the_rest_stays() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> GetIssue<'a> {
                async fn execute(self) -> Result<reqwest::Response, Error<()>> {
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                    header_map.append(
                        ::reqwest::header::HeaderName::from_static("api-version"),
                        ::reqwest::header::HeaderValue::from_static(super::super::Client::api_version()),
                    );
                    header_map.append("x-other", value.try_into()?);
                    todo!()
                }
            }
        };
        assert_eq!(remove_header(&mut imp), 1);
        let text = imp.to_token_stream().to_string();
        assert!(!text.contains("api-version"), "{text}");
        assert!(text.contains("x-other"), "{text}");
        assert!(text.contains("let mut header_map"), "{text}");
        assert_eq!(remove_header(&mut imp), 0);
    }

    #[test]
    fn an_emptied_header_map_is_no_longer_mut() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> GetIssue<'a> {
                async fn execute(self) {
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                    header_map.append(
                        ::reqwest::header::HeaderName::from_static("api-version"),
                        ::reqwest::header::HeaderValue::from_static("5"),
                    );
                    todo!()
                }
            }
        };
        assert_eq!(remove_header(&mut imp), 1);
        let text = imp.to_token_stream().to_string();
        assert!(text.contains("let header_map ="), "{text}");
    }
}
