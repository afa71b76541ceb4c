//! Pass `operation_servers`: operations served by another host go there.
//!
//! Quirk: the OAuth endpoints (`/oauth/authorize`, `/oauth/token`) live on
//! the web host, `https://gitcode.com`, not on the API host; the spec says
//! so with `servers:` on those operations, which progenitor ignores. This
//! pass makes each such operation build its URL on the client's web base
//! URL (`gitcode::runtime::web_base_url`: derived from the API base URL,
//! or set with `ClientBuilder::web_base_url`) instead of the API base URL.
//!
//! Triggered by: `servers:` on an operation (only the web host is allowed;
//! see `operation_table::WEB_HOSTS`).

use syn::visit_mut::VisitMut;

use super::Context;
use super::builder::{builder_impl, rewrite_format_args};
use super::operation_table::web_host;

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    for op in &cx.spec.operations {
        if !web_host(op)? {
            continue;
        }
        let imp = builder_impl(file, &op.operation_id)
            .ok_or_else(|| format!("no builder for `{}`", op.operation_id))?;
        let mut rewrite = ToWebHost { replaced: 0 };
        rewrite.visit_item_impl_mut(imp);
        if rewrite.replaced == 0 {
            return Err(format!(
                "`{}`: no `client.baseurl` in its builder to point at the web host",
                op.operation_id
            ));
        }
    }
    Ok(())
}

/// Replaces `client.baseurl` with the client's web base URL.
struct ToWebHost {
    replaced: usize,
}

impl VisitMut for ToWebHost {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Field(field) = expr
            && matches!(&field.member, syn::Member::Named(name) if name == "baseurl")
            && matches!(&*field.base, syn::Expr::Path(p) if p.path.is_ident("client"))
        {
            *expr = syn::parse_quote!(crate::runtime::web_base_url(client));
            self.replaced += 1;
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        rewrite_format_args(mac, |arg| self.visit_expr_mut(arg));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn the_url_is_built_on_the_web_host() {
        let mut imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> CreateOauthToken<'a> {
                pub async fn send(self) -> Result<(), Error<()>> {
                    let url = format!("{}/oauth/token", client.baseurl,);
                    todo!()
                }
            }
        };
        let mut rewrite = ToWebHost { replaced: 0 };
        rewrite.visit_item_impl_mut(&mut imp);
        assert_eq!(rewrite.replaced, 1);
        let text = imp.to_token_stream().to_string();
        assert!(
            text.contains(
                "format ! (\"{}/oauth/token\" , crate :: runtime :: web_base_url (client) ,)"
            ),
            "{text}"
        );
    }
}
