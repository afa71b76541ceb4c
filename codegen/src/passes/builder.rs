//! Finding the generated pieces of one operation in progenitor's output.

use heck::ToUpperCamelCase;

/// The name progenitor gives an operation's builder struct.
pub fn builder_name(operation_id: &str) -> String {
    operation_id.to_upper_camel_case()
}

/// The items of `mod name` among `items` (`builder` and `types` of the
/// client, `builder` inside `types`, `operations` of the mocks).
pub fn module_items<'i>(items: &'i [syn::Item], name: &str) -> Option<&'i Vec<syn::Item>> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// [`module_items`], to change them.
pub fn module_items_mut<'i>(
    items: &'i mut [syn::Item],
    name: &str,
) -> Option<&'i mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The items of `pub mod builder`.
pub fn builder_items(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    module_items_mut(&mut file.items, "builder")
}

/// The items of `pub mod builder`, read-only.
pub fn builder_items_ref(file: &syn::File) -> Option<&Vec<syn::Item>> {
    module_items(&file.items, "builder")
}

/// The items of `pub mod types`.
pub fn types_items(file: &syn::File) -> Option<&Vec<syn::Item>> {
    module_items(&file.items, "types")
}

/// The `send` method of the builder for `operation_id`.
pub fn send_fn<'f>(file: &'f mut syn::File, operation_id: &str) -> Option<&'f mut syn::ImplItemFn> {
    let name = builder_name(operation_id);
    builder_items(file)?.iter_mut().find_map(|item| {
        let syn::Item::Impl(imp) = item else {
            return None;
        };
        if imp.trait_.is_some() || !self_type_is(&imp.self_ty, &name) {
            return None;
        }
        imp.items.iter_mut().find_map(|it| match it {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
            _ => None,
        })
    })
}

/// Whether `ty` is a path type named `name` (compared without allocating:
/// passes call this for every item of the builder module, per operation).
fn self_type_is(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

/// The last segment of a path type (`X` for `types::X<'a>`).
pub fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `T` in `-> Result<ResponseValue<T>, E>`.
pub fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let result = generic_arg(ty, "Result")?;
    generic_arg(&result, "ResponseValue")
}

/// The first type argument of `ty` if its last segment is `outer`.
pub fn generic_arg(ty: &syn::Type, outer: &str) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != outer {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

/// The `impl` block (not a trait impl) of the builder for `operation_id`.
pub fn builder_impl<'f>(
    file: &'f mut syn::File,
    operation_id: &str,
) -> Option<&'f mut syn::ItemImpl> {
    let name = builder_name(operation_id);
    builder_items(file)?.iter_mut().find_map(|item| match item {
        syn::Item::Impl(imp) if imp.trait_.is_none() && self_type_is(&imp.self_ty, &name) => {
            Some(imp)
        }
        _ => None,
    })
}

/// Runs `rewrite` on each argument of a `format!` call (progenitor builds
/// URLs with it; syn keeps a macro's arguments as tokens, so they are parsed,
/// rewritten and put back). Other macros are left alone.
pub fn rewrite_format_args(mac: &mut syn::Macro, mut rewrite: impl FnMut(&mut syn::Expr)) {
    if !mac.path.is_ident("format") {
        return;
    }
    use syn::parse::Parser;
    let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
    let Ok(mut args) = parser.parse2(mac.tokens.clone()) else {
        return;
    };
    let before = quote::ToTokens::to_token_stream(&args).to_string();
    for arg in args.iter_mut() {
        rewrite(arg);
    }
    let after = quote::ToTokens::to_token_stream(&args);
    if after.to_string() != before {
        mac.tokens = after;
    }
}

/// Whether `tokens` mention the identifier `name`.
pub fn mentions(tokens: &proc_macro2::TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Ident(i) => i == name,
        proc_macro2::TokenTree::Group(g) => mentions(&g.stream(), name),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_names_follow_progenitor() {
        assert_eq!(builder_name("get_repo"), "GetRepo");
        assert_eq!(
            builder_name("list_enterprise_labels_v8"),
            "ListEnterpriseLabelsV8"
        );
    }

    #[test]
    fn finds_the_send_fn_of_a_builder() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub struct GetRepo<'a> { client: &'a super::Client }
                impl<'a> GetRepo<'a> { pub fn owner(self) -> Self { self } pub async fn send(self) {} }
                impl<'a> Other<'a> { pub async fn send(self) {} }
            }
        };
        let send = send_fn(&mut file, "get_repo").expect("found");
        assert_eq!(send.sig.ident, "send");
        assert!(send_fn(&mut file, "missing").is_none());
    }
}
