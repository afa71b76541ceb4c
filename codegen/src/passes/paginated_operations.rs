//! Pass `paginated_operations`: list operations stream across pages.
//!
//! For each operation that takes `page` and `per_page` query parameters and
//! returns a JSON array, this pass implements
//! `gitcode::pagination::Paginated` for its builder, which gives it
//! `.stream()` (every item of every page, lazily) and `.collect_all(cap)`.
//!
//! Triggered by: `page` and `per_page` parameters on an operation returning
//! an array.

use super::Context;
use super::builder::{builder_impl, builder_items, builder_name, generic_arg, success_type};

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    let mut impls = Vec::new();
    for op in cx.spec.operations.iter().filter(|op| op.paginated) {
        let imp = builder_impl(file, &op.operation_id)
            .ok_or_else(|| format!("no builder for `{}`", op.operation_id))?;
        let Some(item) = list_item_type(imp) else {
            continue; // a paged endpoint that answers with an object
        };
        impls.push(paginated_impl(&builder_name(&op.operation_id), &item));
    }
    let items = builder_items(file).ok_or("no `builder` module")?;
    items.extend(impls);
    Ok(())
}

/// `X` when the builder's `send()` (or `send_raw()`) returns `Vec<X>`.
fn list_item_type(imp: &syn::ItemImpl) -> Option<syn::Type> {
    imp.items.iter().find_map(|it| match it {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" || f.sig.ident == "send_raw" => {
            generic_arg(&success_type(&f.sig.output)?, "Vec")
        }
        _ => None,
    })
}

fn paginated_impl(builder: &str, item: &syn::Type) -> syn::Item {
    let builder = syn::Ident::new(builder, proc_macro2::Span::call_site());
    syn::parse_quote! {
        impl<'a> crate::pagination::Paginated<'a> for #builder<'a> {
            type Item = #item;

            fn at_page(self, page: u64, per_page: u64) -> Self {
                self.page(page).per_page(per_page)
            }

            fn fetch(self) -> crate::pagination::PageFuture<'a, Self::Item> {
                Box::pin(self.send())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn list_builders_get_a_paginated_impl() {
        let imp: syn::ItemImpl = syn::parse_quote! {
            impl<'a> ListRepoIssues<'a> {
                pub async fn send(self) -> Result<ResponseValue<::std::vec::Vec<types::Issue>>, crate::Error> { todo!() }
            }
        };
        let item = list_item_type(&imp).expect("a list");
        assert_eq!(item.to_token_stream().to_string(), "types :: Issue");
        let text = paginated_impl("ListRepoIssues", &item)
            .to_token_stream()
            .to_string();
        assert!(
            text.contains(
                "impl < 'a > crate :: pagination :: Paginated < 'a > for ListRepoIssues < 'a >"
            ),
            "{text}"
        );
        assert!(
            text.contains("self . page (page) . per_page (per_page)"),
            "{text}"
        );

        let object: syn::ItemImpl = syn::parse_quote! {
            impl<'a> ListRepoEvents<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::RepoEvents>, crate::Error> { todo!() }
            }
        };
        assert!(list_item_type(&object).is_none());
    }
}
