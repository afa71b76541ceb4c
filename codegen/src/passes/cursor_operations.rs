//! Pass `cursor_operations`: operations that page by cursor.
//!
//! Quirk: the events endpoints page by cursor, not by page number: each
//! answer carries a cursor (`next`) to send back as a query parameter of the
//! same name for the following page, until it comes back empty. For each
//! operation marked `x-gitcode-cursor: <name>`, this pass implements
//! `gitcode::pagination::CursorPaginated` for its builder, which gives it
//! `.pages()`, a lazy stream of the answers, and `.raw_pages()`, the same
//! answers as sent.
//!
//! Triggered by: `x-gitcode-cursor` on an operation.

use heck::ToSnakeCase;

use super::Context;
use super::builder::{builder_impl, builder_items, builder_name, success_type};

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    let mut impls = Vec::new();
    for op in &cx.spec.operations {
        let Some(cursor) = &op.cursor else { continue };
        let imp = builder_impl(file, &op.operation_id)
            .ok_or_else(|| format!("no builder for `{}`", op.operation_id))?;
        let page = imp
            .items
            .iter()
            .find_map(|it| match it {
                syn::ImplItem::Fn(f) if f.sig.ident == "send" => success_type(&f.sig.output),
                _ => None,
            })
            .ok_or_else(|| format!("`{}` has no `send`", op.operation_id))?;
        impls.push(cursor_impl(&builder_name(&op.operation_id), &page, cursor));
    }
    builder_items(file)
        .ok_or("no `builder` module")?
        .extend(impls);
    Ok(())
}

fn cursor_impl(builder: &str, page: &syn::Type, cursor: &str) -> syn::Item {
    let builder = syn::Ident::new(builder, proc_macro2::Span::call_site());
    let field = syn::Ident::new(&cursor.to_snake_case(), proc_macro2::Span::call_site());
    syn::parse_quote! {
        impl<'a> crate::pagination::CursorPaginated<'a> for #builder<'a> {
            type Page = #page;

            const CURSOR: &'static str = #cursor;

            fn at_cursor(self, cursor: String) -> Self {
                self.#field(cursor)
            }

            fn cursor_of(page: &Self::Page) -> Option<String> {
                page.#field.clone().filter(|c| !c.is_empty())
            }

            fn fetch(self) -> crate::pagination::CursorFuture<'a, Self::Page> {
                Box::pin(self.send())
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
    fn cursor_builders_send_back_the_field_they_receive() {
        let text = cursor_impl(
            "ListUserEvents",
            &syn::parse_quote!(types::UserEventList),
            "next",
        )
        .to_token_stream()
        .to_string();
        assert!(text.contains("for ListUserEvents < 'a >"), "{text}");
        assert!(
            text.contains("type Page = types :: UserEventList"),
            "{text}"
        );
        assert!(text.contains("self . next (cursor)"), "{text}");
        assert!(text.contains("page . next . clone ()"), "{text}");
        assert!(
            text.contains("const CURSOR : & 'static str = \"next\""),
            "{text}"
        );
    }
}
