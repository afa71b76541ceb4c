//! Pass `keep_path_slashes`: file paths in URL paths keep their `/`.
//!
//! Quirk: `contents/{path}`, `raw/{path}` and similar take a repository file
//! path whose `/` separators must reach the server as `/`; progenitor's
//! `encode_path` escapes them to `%2F`. For each path parameter marked
//! `x-gitcode-keep-slashes: true`, this pass swaps `encode_path` for
//! `gitcode::paths::encode_path_keep_slashes`, which escapes everything
//! else (spaces, `#`, `?`, `%`, non-ASCII) as before.

use syn::visit_mut::VisitMut;

use super::Context;
use super::builder::{mentions, send_fn};

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    for op in cx
        .spec
        .operations
        .iter()
        .filter(|op| !op.keep_slashes.is_empty())
    {
        let send = send_fn(file, &op.operation_id)
            .ok_or_else(|| format!("no builder `send` for `{}`", op.operation_id))?;
        for param in &op.keep_slashes {
            let mut swap = Swap { param, done: false };
            swap.visit_impl_item_fn_mut(send);
            if !swap.done {
                return Err(format!(
                    "`{}`: no `encode_path` call for `{param}`",
                    op.operation_id
                ));
            }
        }
    }
    Ok(())
}

struct Swap<'a> {
    param: &'a str,
    done: bool,
}

impl VisitMut for Swap<'_> {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        let is_encode = matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("encode_path"));
        let args: proc_macro2::TokenStream = quote::ToTokens::to_token_stream(&call.args);
        if is_encode && mentions(&args, self.param) {
            *call.func = syn::parse_quote!(crate::paths::encode_path_keep_slashes);
            self.done = true;
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // progenitor builds the URL with `format!`, whose arguments are
        // macro tokens: parse them, rewrite, and put them back.
        if !mac.path.is_ident("format") {
            return;
        }
        let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        let Ok(mut args) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) else {
            return;
        };
        for arg in args.iter_mut() {
            self.visit_expr_mut(arg);
        }
        mac.tokens = quote::ToTokens::to_token_stream(&args);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn only_the_marked_parameter_keeps_its_slashes() {
        let mut send: syn::ImplItemFn = syn::parse_quote! {
            pub async fn send(self) {
                let url = format!("{}/api/v5/repos/{}/contents/{}", client.baseurl, encode_path(&owner.to_string()), encode_path(&path.to_string()));
            }
        };
        let mut swap = Swap {
            param: "path",
            done: false,
        };
        swap.visit_impl_item_fn_mut(&mut send);
        assert!(swap.done);
        let text = send.to_token_stream().to_string();
        assert!(
            text.contains("encode_path (& owner . to_string ())"),
            "{text}"
        );
        assert!(
            text.contains("crate :: paths :: encode_path_keep_slashes (& path . to_string ())"),
            "{text}"
        );
    }
}
