//! Pass `paginated_operations`: list operations stream across pages.
//!
//! For each operation that takes `page` and `per_page` query parameters and
//! returns a JSON array, this pass implements
//! `gitcode::pagination::Paginated` for its builder, which gives it
//! `.stream()` (every item of every page, lazily), `.collect_all(cap)` and
//! `.raw_pages()` (the pages as sent).
//!
//! Quirk: `list_repo_events` answers each page with an object that holds
//! the items in one field and a "more pages" flag in another. An operation
//! marked `x-gitcode-page-items: {items: <field>, has_next: <field>}` streams
//! the items of that field and stops when the flag says so.
//!
//! Triggered by: `page` and `per_page` parameters on an operation returning
//! an array, or marked `x-gitcode-page-items`.

use super::Context;
use super::builder::{
    builder_impl, builder_items, builder_name, generic_arg, success_type, type_name,
};
use crate::spec::operations::PageItems;

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    let mut impls = Vec::new();
    for op in cx.spec.operations.iter().filter(|op| op.paginated) {
        let imp = builder_impl(file, &op.operation_id)
            .ok_or_else(|| format!("no builder for `{}`", op.operation_id))?;
        let answer =
            send_type(imp).ok_or_else(|| format!("`{}` has no `send`", op.operation_id))?;
        let builder = builder_name(&op.operation_id);
        match (&op.page_items, generic_arg(&answer, "Vec")) {
            (None, Some(item)) => impls.push(list_impl(&builder, &item)),
            (None, None) => continue, // a paged endpoint that answers with an object
            (Some(page), _) => {
                let wrapper = type_name(&answer).unwrap_or_default();
                let item = field_item_type(file, &wrapper, &page.items).ok_or_else(|| {
                    format!(
                        "`{}`: x-gitcode-page-items names `{}`, which is not a list field of `{wrapper}`",
                        op.operation_id, page.items
                    )
                })?;
                impls.push(wrapped_impl(&builder, &item, page));
            }
        }
    }
    let items = builder_items(file).ok_or("no `builder` module")?;
    items.extend(impls);
    Ok(())
}

/// `T` of the builder's `send() -> Result<ResponseValue<T>, _>`.
fn send_type(imp: &syn::ItemImpl) -> Option<syn::Type> {
    imp.items.iter().find_map(|it| match it {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => success_type(&f.sig.output),
        _ => None,
    })
}

/// `X` when `types::<wrapper>` has a field `field: Vec<X>`.
fn field_item_type(file: &syn::File, wrapper: &str, field: &str) -> Option<syn::Type> {
    let types = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })?;
    let fields = types.iter().find_map(|item| match item {
        syn::Item::Struct(s) if s.ident == wrapper => Some(&s.fields),
        _ => None,
    })?;
    let ty = fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == field))?;
    let item = generic_arg(&ty.ty, "Vec")?;
    // Written inside `mod types`; seen from `mod builder`, a bare name is
    // `types::Name`.
    Some(match &item {
        syn::Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            let name = &p.path.segments[0].ident;
            syn::parse_quote!(types::#name)
        }
        _ => item,
    })
}

fn list_impl(builder: &str, item: &syn::Type) -> syn::Item {
    let builder = syn::Ident::new(builder, proc_macro2::Span::call_site());
    syn::parse_quote! {
        impl<'a> crate::pagination::Paginated<'a> for #builder<'a> {
            type Item = #item;

            fn at_page(self, page: u64, per_page: u64) -> Self {
                self.page(page).per_page(per_page)
            }

            fn fetch(self) -> crate::pagination::PageFuture<'a, Self::Item> {
                Box::pin(async move {
                    self.send().await.map(crate::pagination::Page::from_list)
                })
            }

            fn fetch_raw(self) -> crate::pagination::RawFuture<'a> {
                Box::pin(self.send_raw())
            }
        }
    }
}

fn wrapped_impl(builder: &str, item: &syn::Type, page: &PageItems) -> syn::Item {
    let builder = syn::Ident::new(builder, proc_macro2::Span::call_site());
    let items = syn::Ident::new(&page.items, proc_macro2::Span::call_site());
    let has_next = syn::Ident::new(&page.has_next, proc_macro2::Span::call_site());
    let (items_name, has_next_name) = (&page.items, &page.has_next);
    syn::parse_quote! {
        impl<'a> crate::pagination::Paginated<'a> for #builder<'a> {
            type Item = #item;

            const SHAPE: crate::pagination::PageShape = crate::pagination::PageShape::Wrapped {
                items: #items_name,
                has_next: #has_next_name,
            };

            fn at_page(self, page: u64, per_page: u64) -> Self {
                self.page(page).per_page(per_page)
            }

            fn fetch(self) -> crate::pagination::PageFuture<'a, Self::Item> {
                Box::pin(async move {
                    let response = self.send().await?;
                    let headers = response.headers().clone();
                    let body = response.into_inner();
                    Ok(crate::pagination::Page {
                        items: body.#items,
                        headers,
                        has_next: body.#has_next.map(crate::lenient::Flag::get),
                    })
                })
            }

            fn fetch_raw(self) -> crate::pagination::RawFuture<'a> {
                Box::pin(self.send_raw())
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
        let item = generic_arg(&send_type(&imp).unwrap(), "Vec").expect("a list");
        assert_eq!(item.to_token_stream().to_string(), "types :: Issue");
        let text = list_impl("ListRepoIssues", &item)
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
        assert!(text.contains("Box :: pin (self . send_raw ())"), "{text}");
    }

    #[test]
    fn wrapped_pages_stream_the_field_and_stop_on_the_flag() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct RepoEventPage {
                    pub events: ::std::vec::Vec<RepoEvent>,
                    pub has_next_page: Option<Flag>,
                }
            }
        };
        let item = field_item_type(&file, "RepoEventPage", "events").expect("a list field");
        assert_eq!(item.to_token_stream().to_string(), "types :: RepoEvent");
        assert!(field_item_type(&file, "RepoEventPage", "has_next_page").is_none());
        let page = PageItems {
            items: "events".into(),
            has_next: "has_next_page".into(),
        };
        let text = wrapped_impl("ListRepoEvents", &item, &page)
            .to_token_stream()
            .to_string();
        assert!(text.contains("type Item = types :: RepoEvent"), "{text}");
        assert!(text.contains("items : body . events"), "{text}");
        assert!(
            text.contains(
                "has_next : body . has_next_page . map (crate :: lenient :: Flag :: get)"
            ),
            "{text}"
        );
        assert!(
            text.contains("items : \"events\" , has_next : \"has_next_page\""),
            "{text}"
        );
    }
}
