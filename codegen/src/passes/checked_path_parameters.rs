//! Pass `checked_path_parameters`: no path parameter can move a request to
//! another endpoint.
//!
//! URL parsing resolves `.` and `..` segments, so a value such as `..` for
//! `owner`, or `../../user` for a file path that keeps its slashes, would
//! send the request, with the token, to another endpoint. This pass routes
//! every path parameter of every operation through
//! `gitcode::paths::segment` (or `gitcode::paths::file_path` for the
//! slash-keeping ones), which refuses a dot segment, also percent-encoded,
//! before anything is sent, with an error that names the parameter.
//!
//! Triggered by: every path parameter (after `keep_path_slashes`).

use syn::visit_mut::VisitMut;

use super::Context;
use super::builder::{builder_impl, rewrite_format_args};

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    for op in &cx.spec.operations {
        let expected = op.path.matches('{').count();
        let imp = builder_impl(file, &op.operation_id)
            .ok_or_else(|| format!("no builder for `{}`", op.operation_id))?;
        let mut check = CheckSegments { checked: 0 };
        check.visit_item_impl_mut(imp);
        if check.checked != expected {
            return Err(format!(
                "`{}`: {} path parameter(s) in `{}`, but {} encoded in its URL",
                op.operation_id, expected, op.path, check.checked
            ));
        }
    }
    Ok(())
}

struct CheckSegments {
    checked: usize,
}

impl CheckSegments {
    /// `encode_path(&x.to_string())` → `crate::paths::segment("x", ...)?`,
    /// and the slash-keeping encoder → `crate::paths::file_path`.
    fn rewrite(&mut self, expr: &mut syn::Expr) {
        let syn::Expr::Call(call) = expr else { return };
        let syn::Expr::Path(function) = &*call.func else {
            return;
        };
        let last = function.path.segments.last().map(|s| s.ident.to_string());
        let checker: syn::Path = match last.as_deref() {
            Some("encode_path") => syn::parse_quote!(crate::paths::segment),
            Some("encode_path_keep_slashes") => syn::parse_quote!(crate::paths::file_path),
            _ => return,
        };
        let [argument] = call.args.iter().collect::<Vec<_>>()[..] else {
            return;
        };
        let Some(name) = parameter_name(argument) else {
            return;
        };
        *expr = syn::parse_quote!(#checker(#name, #argument).map_err(Error::InvalidRequest)?);
        self.checked += 1;
    }
}

/// `x` in `&x.to_string()`.
fn parameter_name(argument: &syn::Expr) -> Option<String> {
    let syn::Expr::Reference(reference) = argument else {
        return None;
    };
    let syn::Expr::MethodCall(call) = &*reference.expr else {
        return None;
    };
    match &*call.receiver {
        syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        _ => None,
    }
}

impl VisitMut for CheckSegments {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        self.rewrite(expr);
        syn::visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        rewrite_format_args(mac, |arg| self.rewrite(arg));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn every_path_parameter_is_checked_by_its_name() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> GetRepoContents<'a> {
                async fn execute(self) -> Result<reqwest::Response, Error<()>> {
                    let url = format!(
                        "{}/api/v5/repos/{}/{}/contents/{}",
                        client.baseurl,
                        encode_path(&owner.to_string()),
                        encode_path(&repo.to_string()),
                        crate::paths::encode_path_keep_slashes(&path.to_string()),
                    );
                    todo!()
                }
            }
        };
        let mut check = CheckSegments { checked: 0 };
        check.visit_item_impl_mut(&mut imp);
        assert_eq!(check.checked, 3);
        let text = imp.to_token_stream().to_string();
        assert!(
            text.contains("crate :: paths :: segment (\"owner\" , & owner . to_string ()) . map_err (Error :: InvalidRequest) ?"),
            "{text}"
        );
        assert!(
            text.contains("crate :: paths :: file_path (\"path\" , & path . to_string ())"),
            "{text}"
        );
        assert!(!text.contains("encode_path"), "{text}");
    }
}
