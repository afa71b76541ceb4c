//! Pass `paginated_operations`: list operations stream across pages.
//!
//! For each operation that takes a `page` and a page-size query parameter
//! (`per_page`, or `perPage` where the docs spell it so) and whose answer
//! holds a list, this pass implements `gitcode::pagination::Paginated` for
//! its builder, which gives it `.stream()` (every item of every page,
//! lazily), `.collect_all(cap)` and `.raw_pages()` (the pages as sent).
//! `streams` says what an operation streams; the CLI (`--all`) and the
//! MCP server (paging hints) ask it too, so the three agree.
//!
//! Where the answer holds its list:
//!
//! - `send()` answers `Vec<T>`: the page is the list.
//! - Quirk: `list_repo_pull_requests` answers `oneOf [array, counts]` (the
//!   counts with `only_count=true`), which progenitor makes an enum. An
//!   answer that is a generated enum with one arm holding `Vec<T>` streams
//!   `T`: each page's body is that bare list; `send()` keeps the enum.
//! - Quirk: some answers are an object with the items in one field
//!   (`{total_count, workflow_runs: [...]}`), `list_repo_events` with a
//!   "more pages" flag beside them. An operation marked
//!   `x-gitcode-page-items: {items: <field>}` streams the items of that
//!   field, and stops where a bare list would (the `total_page` header,
//!   else a short page); with `has_next: <field>` as well, it stops when
//!   the flag says so.
//!
//! Quirk: the docs cap the searches at 50 (or 20) items a page and 100
//! pages, the other lists at 100 a page. Where the spec gives `per_page`
//! or `page` a `maximum`, the impl carries it (`MAX_PER_PAGE`, `MAX_PAGE`),
//! so a stream asks for no more than the server serves: asked for 100, a
//! server that cut the page to 20 would have its full page read as the
//! short last one, and one that refused would fail the stream.
//!
//! An operation that pages and whose answer holds a list that would not
//! stream (an object with a list field but no `x-gitcode-page-items`, an
//! enum with several list arms) fails the pass, so that no list is skipped
//! unnoticed; a paged answer with no list at all is left alone.
//!
//! Triggered by: `page` and `per_page` (or `perPage`) parameters on an
//! operation whose answer is an array or an enum with an array arm, or
//! marked `x-gitcode-page-items`.

use super::Context;
use super::builder::{
    builder_impl, builder_items, builder_name, generic_arg, success_type, type_name, types_items,
};
use crate::spec::OperationInfo;
use crate::spec::operations::{PageItems, PageLimits};

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    add_impls(file, &cx.spec.operations)
}

fn add_impls(file: &mut syn::File, operations: &[OperationInfo]) -> Result<(), String> {
    let mut impls = Vec::new();
    for op in operations {
        if !op.paginated && op.page_items.is_none() {
            continue;
        }
        let imp = builder_impl(file, &op.operation_id)
            .ok_or_else(|| format!("no builder for `{}`", op.operation_id))?;
        let answer =
            send_type(imp).ok_or_else(|| format!("`{}` has no `send`", op.operation_id))?;
        let Some(streams) = streams(file, op, &answer)? else {
            continue; // a paged endpoint whose answer holds no list
        };
        let builder = builder_name(&op.operation_id);
        let mut imp = match &streams.shape {
            Shape::List => list_impl(&builder, &streams.item),
            Shape::ListArm => list_arm_impl(&builder, &streams.item),
            Shape::Field(page) => wrapped_impl(&builder, &streams.item, page),
        };
        add_limits(&mut imp, op.page_limits);
        impls.push(syn::Item::Impl(imp));
    }
    let items = builder_items(file).ok_or("no `builder` module")?;
    items.extend(impls);
    Ok(())
}

/// What a paged operation streams, and where each page holds it.
#[derive(Debug)]
pub(crate) struct Streams {
    /// The item, named as seen from `mod builder` (`types::PullRequest`).
    pub item: syn::Type,
    pub shape: Shape,
}

/// Where a page holds its items.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `send()` answers `Vec<T>`: the body is the list.
    List,
    /// `send()` answers an enum with one `Vec<T>` arm: the body of a page
    /// is that bare list.
    ListArm,
    /// `x-gitcode-page-items`: the body is an object, the list one field.
    Field(PageItems),
}

/// What `op` streams, given the `T` its builder's `send()` answers and the
/// client tree (for the answer's type): `None` when it takes no page
/// parameters or its answer holds no list. An error, naming the operation
/// and the fix, when it pages and its answer holds a list that would not
/// stream, or when `x-gitcode-page-items` does not fit it.
pub(crate) fn streams(
    file: &syn::File,
    op: &OperationInfo,
    answer: &syn::Type,
) -> Result<Option<Streams>, String> {
    let id = &op.operation_id;
    if !op.paginated {
        return match op.page_items {
            Some(_) => Err(format!(
                "`{id}` is marked `x-gitcode-page-items` but takes no `page` and `per_page` \
                 parameters: add them, or remove the extension"
            )),
            None => Ok(None),
        };
    }
    let types = types_items(file).ok_or("no `types` module")?;
    let name = type_name(answer).unwrap_or_default();
    if let Some(page) = &op.page_items {
        let item = field_item_type(types, &name, &page.items).ok_or_else(|| {
            format!(
                "`{id}`: x-gitcode-page-items names `{}`, which is not a list field of `{name}`",
                page.items
            )
        })?;
        if let Some(flag) = &page.has_next
            && !struct_fields(types, &name).is_some_and(|fields| has_field(fields, flag))
        {
            return Err(format!(
                "`{id}`: x-gitcode-page-items names the flag `{flag}`, which is not a field of \
                 `{name}`: name the answer's \"more pages\" field, or leave `has_next` out"
            ));
        }
        return Ok(Some(Streams {
            item,
            shape: Shape::Field(page.clone()),
        }));
    }
    if let Some(item) = generic_arg(answer, "Vec") {
        return Ok(Some(Streams {
            item,
            shape: Shape::List,
        }));
    }
    let arms = list_arms(types, &name);
    match arms.as_slice() {
        [] => {}
        [(_, item)] => {
            return Ok(Some(Streams {
                item: from_builder(item),
                shape: Shape::ListArm,
            }));
        }
        several => {
            let names: Vec<String> = several.iter().map(|(v, _)| format!("`{v}`")).collect();
            return Err(format!(
                "`{id}` takes page parameters, but its answer `{name}` has {} list arms ({}), \
                 so it would not stream: a stream follows one list; give the answer's `oneOf` \
                 one array arm",
                several.len(),
                names.join(", ")
            ));
        }
    }
    let fields = list_fields(types, &name);
    if let Some(field) = fields.first() {
        return Err(format!(
            "`{id}` takes page parameters and its answer `{name}` holds a list in `{field}`, but \
             it would not stream: mark the operation `x-gitcode-page-items: {{items: {field}}}` \
             (with `has_next: <field>` too if the answer says whether more pages follow)"
        ));
    }
    Ok(None)
}

/// `T` of the builder's `send() -> Result<ResponseValue<T>, _>`.
fn send_type(imp: &syn::ItemImpl) -> Option<syn::Type> {
    imp.items.iter().find_map(|it| match it {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => success_type(&f.sig.output),
        _ => None,
    })
}

/// The fields of the struct `types::<name>`.
fn struct_fields<'t>(types: &'t [syn::Item], name: &str) -> Option<&'t syn::Fields> {
    types.iter().find_map(|item| match item {
        syn::Item::Struct(s) if s.ident == name => Some(&s.fields),
        _ => None,
    })
}

fn has_field(fields: &syn::Fields, name: &str) -> bool {
    fields
        .iter()
        .any(|f| f.ident.as_ref().is_some_and(|i| i == name))
}

/// `X` when `types::<wrapper>` has a field `field: Vec<X>`, named as seen
/// from `mod builder`.
fn field_item_type(types: &[syn::Item], wrapper: &str, field: &str) -> Option<syn::Type> {
    let ty = struct_fields(types, wrapper)?
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == field))?;
    generic_arg(&ty.ty, "Vec").map(|item| from_builder(&item))
}

/// The fields of the struct `types::<name>` that hold a list
/// (`Vec<T>` or `Option<Vec<T>>`).
fn list_fields(types: &[syn::Item], name: &str) -> Vec<String> {
    let Some(fields) = struct_fields(types, name) else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|f| holds_list(&f.ty))
        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
        .collect()
}

fn holds_list(ty: &syn::Type) -> bool {
    generic_arg(ty, "Vec").is_some() || generic_arg(ty, "Option").is_some_and(|t| holds_list(&t))
}

/// The arms of the enum `types::<name>` that hold one `Vec<T>`: each
/// variant's name and `T` (as written in `mod types`).
fn list_arms(types: &[syn::Item], name: &str) -> Vec<(String, syn::Type)> {
    let Some(variants) = types.iter().find_map(|item| match item {
        syn::Item::Enum(e) if e.ident == name => Some(&e.variants),
        _ => None,
    }) else {
        return Vec::new();
    };
    variants
        .iter()
        .filter_map(|v| match &v.fields {
            syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                let item = generic_arg(&f.unnamed[0].ty, "Vec")?;
                Some((v.ident.to_string(), item))
            }
            _ => None,
        })
        .collect()
}

/// A type written inside `mod types`, as seen from `mod builder`: a bare
/// name is `types::Name`.
fn from_builder(item: &syn::Type) -> syn::Type {
    match item {
        syn::Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            let name = &p.path.segments[0].ident;
            syn::parse_quote!(types::#name)
        }
        _ => item.clone(),
    }
}

fn list_impl(builder: &str, item: &syn::Type) -> syn::ItemImpl {
    paginated_impl(
        builder,
        item,
        None,
        syn::parse_quote!({ self.send().await.map(crate::pagination::Page::from_list) }),
    )
}

/// For an answer that is an enum with a list arm: a page is read as sent
/// and decoded as a list (a body of another arm is a decode error), as the
/// stream decodes it.
fn list_arm_impl(builder: &str, item: &syn::Type) -> syn::ItemImpl {
    paginated_impl(
        builder,
        item,
        None,
        syn::parse_quote!({ crate::pagination::Page::from_raw_list(self.send_raw().await?) }),
    )
}

fn wrapped_impl(builder: &str, item: &syn::Type, page: &PageItems) -> syn::ItemImpl {
    let items = syn::Ident::new(&page.items, proc_macro2::Span::call_site());
    let items_name = &page.items;
    let (shape, has_next): (syn::Expr, syn::Expr) = match &page.has_next {
        Some(has_next_name) => {
            let has_next = syn::Ident::new(has_next_name, proc_macro2::Span::call_site());
            (
                syn::parse_quote! {
                    crate::pagination::PageShape::Wrapped {
                        items: #items_name,
                        has_next: #has_next_name,
                    }
                },
                syn::parse_quote!(body.#has_next.map(crate::lenient::Flag::get)),
            )
        }
        None => (
            syn::parse_quote!(crate::pagination::PageShape::Field { items: #items_name }),
            syn::parse_quote!(None),
        ),
    };
    paginated_impl(
        builder,
        item,
        Some(shape),
        syn::parse_quote!({
            let response = self.send().await?;
            let headers = response.headers().clone();
            let body = response.into_inner();
            Ok(crate::pagination::Page {
                items: body.#items,
                headers,
                has_next: #has_next,
            })
        }),
    )
}

/// The spec's caps on a page, where it states them (a `maximum` on
/// `per_page` and on `page`): `const MAX_PER_PAGE` (100 for most lists,
/// 50 or 20 for the searches) and `const MAX_PAGE` (the searches serve no
/// page past 100), so that a stream never asks for more than the server
/// serves. Where the spec is silent the trait's defaults hold.
fn add_limits(imp: &mut syn::ItemImpl, limits: PageLimits) {
    let literal = proc_macro2::Literal::u64_unsuffixed;
    // After `type Item`, in the order the trait declares them.
    if let Some(max) = limits.max_page.map(literal) {
        imp.items.insert(
            1,
            syn::parse_quote!(const MAX_PAGE: Option<u64> = Some(#max);),
        );
    }
    if let Some(max) = limits.max_per_page.map(literal) {
        imp.items
            .insert(1, syn::parse_quote!(const MAX_PER_PAGE: u64 = #max;));
    }
}

/// `impl Paginated for <builder>`: the page shape (`PageShape::List`
/// unless given) and the body of the `async` block in which `fetch` reads
/// a page; every impl pages and sends
/// raw pages the same way.
fn paginated_impl(
    builder: &str,
    item: &syn::Type,
    shape: Option<syn::Expr>,
    fetch: syn::Block,
) -> syn::ItemImpl {
    let builder = syn::Ident::new(builder, proc_macro2::Span::call_site());
    let shape = shape.map(|shape| -> syn::ImplItem {
        syn::parse_quote!(const SHAPE: crate::pagination::PageShape = #shape;)
    });
    syn::parse_quote! {
        impl<'a> crate::pagination::Paginated<'a> for #builder<'a> {
            type Item = #item;

            #shape

            fn at_page(self, page: u64, per_page: u64) -> Self {
                self.page(page).per_page(per_page)
            }

            fn fetch(self) -> crate::pagination::PageFuture<'a, Self::Item> {
                Box::pin(async move #fetch)
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

    /// An operation that takes `page` and `per_page`.
    fn paged(id: &str, page_items: Option<PageItems>) -> OperationInfo {
        OperationInfo {
            operation_id: id.into(),
            paginated: true,
            page_items,
            ..Default::default()
        }
    }

    fn flagless(items: &str) -> Option<PageItems> {
        Some(PageItems {
            items: items.into(),
            has_next: None,
        })
    }

    /// A client tree: `types` with these items, and a `builder` module with
    /// one builder per `(operation, answer)`.
    fn client(types: proc_macro2::TokenStream, builders: &[(&str, &str)]) -> syn::File {
        let builders = builders.iter().map(|(id, answer)| {
            let name = syn::Ident::new(&builder_name(id), proc_macro2::Span::call_site());
            let answer: syn::Type = syn::parse_str(answer).unwrap();
            quote::quote! {
                impl<'a> #name<'a> {
                    pub async fn send(self) -> Result<ResponseValue<#answer>, crate::Error> { todo!() }
                }
            }
        });
        syn::parse_quote! {
            pub mod types { #types }
            pub mod builder { #(#builders)* }
        }
    }

    fn impl_text(file: &syn::File, builder: &str) -> String {
        let items = match &file.items[1] {
            syn::Item::Mod(m) => &m.content.as_ref().unwrap().1,
            _ => unreachable!(),
        };
        items
            .iter()
            .filter_map(|it| match it {
                syn::Item::Impl(imp) if imp.trait_.is_some() => {
                    Some(imp.to_token_stream().to_string())
                }
                _ => None,
            })
            .find(|text| text.contains(&format!("for {builder} < 'a >")))
            .unwrap_or_default()
    }

    fn run_on(file: &mut syn::File, ops: Vec<OperationInfo>) -> Result<(), String> {
        add_impls(file, &ops)
    }

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
    fn the_specs_page_caps_become_the_impls_constants() {
        let mut file = client(
            quote::quote! {},
            &[
                ("search_repositories", "::std::vec::Vec<types::Repository>"),
                ("list_repo_issues", "::std::vec::Vec<types::Issue>"),
            ],
        );
        let mut search = paged("search_repositories", None);
        search.page_limits = PageLimits {
            max_per_page: Some(20),
            max_page: Some(100),
        };
        let silent = paged("list_repo_issues", None);
        run_on(&mut file, vec![search, silent]).unwrap();
        let text = impl_text(&file, "SearchRepositories");
        assert!(
            text.contains("type Item = types :: Repository ; const MAX_PER_PAGE : u64 = 20 ; const MAX_PAGE : Option < u64 > = Some (100) ;"),
            "{text}"
        );
        let text = impl_text(&file, "ListRepoIssues");
        assert!(
            !text.contains("MAX_PER_PAGE"),
            "the trait's default holds: {text}"
        );
        assert!(!text.contains("MAX_PAGE"), "{text}");
    }

    #[test]
    fn wrapped_pages_stream_the_field_and_stop_on_the_flag() {
        let file = client(
            quote::quote! {
                pub struct RepoEventPage {
                    pub events: ::std::vec::Vec<RepoEvent>,
                    pub has_next_page: Option<Flag>,
                }
            },
            &[],
        );
        let types = types_items(&file).unwrap();
        let item = field_item_type(types, "RepoEventPage", "events").expect("a list field");
        assert_eq!(item.to_token_stream().to_string(), "types :: RepoEvent");
        assert!(field_item_type(types, "RepoEventPage", "has_next_page").is_none());
        let page = PageItems {
            items: "events".into(),
            has_next: Some("has_next_page".into()),
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
            text.contains(
                "PageShape :: Wrapped { items : \"events\" , has_next : \"has_next_page\" , }"
            ),
            "{text}"
        );
    }

    #[test]
    fn wrapped_pages_without_a_flag_stream_the_field_and_end_like_a_list() {
        let mut file = client(
            quote::quote! {
                pub struct ActionsWorkflowRunList {
                    pub total_count: Option<crate::lenient::Id>,
                    pub workflow_runs: ::std::vec::Vec<ActionsWorkflowRun>,
                }
            },
            &[("list_repo_workflow_runs", "types::ActionsWorkflowRunList")],
        );
        let op = paged("list_repo_workflow_runs", flagless("workflow_runs"));
        run_on(&mut file, vec![op]).unwrap();
        let text = impl_text(&file, "ListRepoWorkflowRuns");
        assert!(
            text.contains("type Item = types :: ActionsWorkflowRun"),
            "{text}"
        );
        assert!(
            text.contains(
                "const SHAPE : crate :: pagination :: PageShape = crate :: pagination :: PageShape :: Field { items : \"workflow_runs\" }"
            ),
            "{text}"
        );
        assert!(text.contains("items : body . workflow_runs"), "{text}");
        assert!(text.contains("has_next : None"), "{text}");
        assert!(!text.contains("Wrapped"), "{text}");
    }

    #[test]
    fn an_enum_answer_with_a_list_arm_streams_that_arm() {
        let mut file = client(
            quote::quote! {
                #[serde(untagged)]
                pub enum ListRepoPullRequestsResponse {
                    Array(::std::vec::Vec<PullRequest>),
                    PullRequestCounts(PullRequestCounts),
                }
            },
            &[(
                "list_repo_pull_requests",
                "types::ListRepoPullRequestsResponse",
            )],
        );
        let op = paged("list_repo_pull_requests", None);
        run_on(&mut file, vec![op]).unwrap();
        let text = impl_text(&file, "ListRepoPullRequests");
        assert!(text.contains("type Item = types :: PullRequest"), "{text}");
        // A bare list on the wire: the default shape, decoded from the raw page.
        assert!(!text.contains("SHAPE"), "{text}");
        assert!(
            text.contains(
                "crate :: pagination :: Page :: from_raw_list (self . send_raw () . await ?)"
            ),
            "{text}"
        );
        assert!(
            text.contains("self . page (page) . per_page (per_page)"),
            "{text}"
        );
    }

    #[test]
    fn a_paged_list_that_would_not_stream_is_an_error() {
        let types = quote::quote! {
            pub struct RunList {
                pub total_count: Option<crate::lenient::Id>,
                pub runs: ::std::vec::Vec<Run>,
            }
            pub enum TwoLists {
                Runs(::std::vec::Vec<Run>),
                Jobs(::std::vec::Vec<Job>),
            }
            pub struct Counts { pub open: Option<i64> }
        };
        let mut file = client(types.clone(), &[("list_runs", "types::RunList")]);
        let err = run_on(&mut file, vec![paged("list_runs", None)]).unwrap_err();
        assert!(
            err.contains("`list_runs`")
                && err.contains("holds a list in `runs`")
                && err.contains("x-gitcode-page-items: {items: runs}"),
            "{err}"
        );

        let mut file = client(types.clone(), &[("list_both", "types::TwoLists")]);
        let err = run_on(&mut file, vec![paged("list_both", None)]).unwrap_err();
        assert!(
            err.contains("`list_both`") && err.contains("2 list arms (`Runs`, `Jobs`)"),
            "{err}"
        );

        let mut file = client(types.clone(), &[("list_runs", "types::RunList")]);
        let page = Some(PageItems {
            items: "runs".into(),
            has_next: Some("more".into()),
        });
        let err = run_on(&mut file, vec![paged("list_runs", page)]).unwrap_err();
        assert!(err.contains("the flag `more`"), "{err}");

        let mut file = client(types.clone(), &[("get_runs", "types::RunList")]);
        let op = OperationInfo {
            paginated: false,
            ..paged("get_runs", flagless("runs"))
        };
        let err = run_on(&mut file, vec![op]).unwrap_err();
        assert!(
            err.contains("`get_runs`") && err.contains("takes no `page`"),
            "{err}"
        );

        // A paged answer with no list at all is left alone.
        let mut file = client(types, &[("count_runs", "types::Counts")]);
        run_on(&mut file, vec![paged("count_runs", None)]).unwrap();
        assert_eq!(impl_text(&file, "CountRuns"), "");
    }
}
