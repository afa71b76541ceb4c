//! Pass `plain_value_setters`: every setter takes the value a caller has.
//!
//! progenitor's setters are generic over `TryInto<T>` of the field's type:
//! an optional field (`Option<String>`) then takes only an `Option`
//! (`.body(Some("steps".to_string()))`), a name list (`CommaList`) neither a
//! `Vec` nor an array, an optional enum field not its text, and an id or
//! number from an answer (`Id`) does not go where a `String` is asked for.
//!
//! This pass rewrites every setter whose field has a type the runtime knows
//! (text, ids, integers, flags, dates, name lists, JSON, generated types and
//! lists of them) to take `impl gitcode::value::IntoValue<T>`, which holds
//! the conversions in one hand-written place (`client/src/build/value.rs`): the
//! value in any of its usual forms, a reference to it, or an `Option` of it
//! (`None` leaves an optional field out). The field and what `send()` does
//! with it are unchanged, so no byte on the wire changes.
//!
//! - operation builders (`mod builder`): path and query parameters;
//! - body and type builders (`mod types::builder`): every field;
//! - every generated struct and enum implements `value::Generated` (and a
//!   string enum `value::GeneratedEnum`, so its text is taken), and each
//!   type builder is an `IntoValue` of its type, so `.user(User::builder()
//!   .login("x"))` works for an optional field as for a required one.
//!
//! The whole-body setters (`body`, `body_map`) and fields of other types
//! (uploads, raw bodies, maps) keep progenitor's signature.
//!
//! Triggered by: every setter of a generated builder.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;

use super::Context;
use super::builder::{builder_items, module_items_mut};

pub fn run(file: &mut syn::File, _cx: &Context<'_>) -> Result<(), String> {
    rewrite_file(file)
}

fn rewrite_file(file: &mut syn::File) -> Result<(), String> {
    let types = module_items_mut(&mut file.items, "types").ok_or("no `types` module")?;
    let generated = generated_types(types);
    if generated.all.is_empty() {
        return Err("no generated type in `types`".into());
    }
    let mut rewritten = 0;
    let mut markers = marker_impls(&generated);
    let type_builders = module_items_mut(types, "builder").ok_or("no `types::builder` module")?;
    let mut conversions = builder_conversions(type_builders);
    type_builders.append(&mut conversions);
    rewritten += rewrite_setters(type_builders, &generated, Scope::TypeBuilders);
    types.append(&mut markers);

    let operations = builder_items(file).ok_or("no `builder` module")?;
    rewritten += rewrite_setters(operations, &generated, Scope::Operations);
    if rewritten == 0 {
        return Err("no setter rewritten: has progenitor's builder output changed?".into());
    }
    Ok(())
}

/// The typed mocks (`client/src/generated/mock.rs`): a matcher of an id
/// parameter takes what the client's setter takes (`.number(7)`,
/// `.number("7")`, `.number(&issue.number)`), so a test names an id as the
/// code under test does. A value that is no id (`None`) panics in the test
/// that wrote it, with the parameter's name, as httpmock's own matchers do.
pub fn run_on_mocks(file: &mut syn::File) -> Result<(), String> {
    let mut count = 0;
    let Some(mocks) = module_items_mut(&mut file.items, "operations") else {
        return Err("no `operations` module in the mocks".into());
    };
    for item in mocks.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let is_when = super::builder::type_name(&imp.self_ty).is_some_and(|n| n.ends_with("When"));
        if !is_when || imp.trait_.is_some() {
            continue;
        }
        for it in &mut imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            count += usize::from(mock_id_matcher(f));
        }
    }
    if count == 0 {
        return Err("no id matcher in the mocks: has progenitor's httpmock output changed?".into());
    }
    Ok(())
}

const ID: &str = "crate::lenient::Id";

/// `fn x(self, value: &Id)` (a path parameter) or `fn x<'a, T>(self,
/// value: T) where T: Into<Option<&'a Id>>` (a query parameter), rewritten
/// to take `impl IntoValue<Id>`; whether it was one.
fn mock_id_matcher(f: &mut syn::ImplItemFn) -> bool {
    let name = unraw(&f.sig.ident);
    let Some(syn::FnArg::Typed(arg)) = f.sig.inputs.iter().nth(1) else {
        return false;
    };
    let arg_type = arg.ty.to_token_stream().to_string().replace(' ', "");
    if arg_type == format!("&{ID}") {
        f.sig.generics = syn::parse_quote!(<V: crate::value::IntoValue<crate::lenient::Id>>);
        f.sig.inputs = syn::parse_quote!(self, value: V);
        f.block.stmts.insert(
            0,
            syn::parse_quote!(let value = crate::value::mock_matcher(value, #name);),
        );
        return true;
    }
    let bound = f
        .sig
        .generics
        .where_clause
        .as_ref()
        .map(|w| w.to_token_stream().to_string().replace(' ', ""));
    if bound.as_deref().map(|b| b.trim_end_matches(','))
        == Some(&format!("whereT:Into<Option<&'a{ID}>>"))
    {
        let text = f.block.to_token_stream().to_string();
        let replaced = text.replacen(
            "value . into ()",
            &format!("crate :: value :: mock_optional_matcher (value , {name:?})"),
            1,
        );
        let Ok(block) = syn::parse_str::<syn::Block>(&replaced) else {
            return false;
        };
        if replaced == text {
            return false;
        }
        f.sig.generics = syn::parse_quote!(<T: crate::value::IntoValue<crate::lenient::Id>>);
        f.block = block;
        return true;
    }
    false
}

/// The names of the generated types, and which are string enums.
#[derive(Default)]
struct GeneratedTypes {
    all: BTreeSet<String>,
    enums: BTreeSet<String>,
}

fn generated_types(types: &[syn::Item]) -> GeneratedTypes {
    let mut out = GeneratedTypes::default();
    let mut declared_enums = BTreeSet::new();
    let mut from_str = BTreeSet::new();
    for item in types {
        match item {
            syn::Item::Struct(s) if s.generics.params.is_empty() => {
                out.all.insert(s.ident.to_string());
            }
            syn::Item::Enum(e) if e.generics.params.is_empty() => {
                out.all.insert(e.ident.to_string());
                declared_enums.insert(e.ident.to_string());
            }
            // `impl From<&str> for X`: a string enum (pass `open_string_enums`).
            syn::Item::Impl(imp) if is_from_str_ref(imp) => {
                if let Some(name) = super::builder::type_name(&imp.self_ty) {
                    from_str.insert(name);
                }
            }
            _ => {}
        }
    }
    out.enums = declared_enums.intersection(&from_str).cloned().collect();
    out
}

fn is_from_str_ref(imp: &syn::ItemImpl) -> bool {
    let Some((path, _)) = &imp.trait_ else {
        return false;
    };
    let Some(last) = path.segments.last() else {
        return false;
    };
    last.ident == "From" && last.to_token_stream().to_string().replace(' ', "") == "From<&str>"
}

/// `impl Generated for X {}` for every type, and `GeneratedEnum` for string
/// enums.
fn marker_impls(generated: &GeneratedTypes) -> Vec<syn::Item> {
    let mut out = Vec::new();
    for name in &generated.all {
        let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
        out.push(syn::parse_quote!(impl crate::value::Generated for #ident {}));
        if generated.enums.contains(name) {
            out.push(syn::parse_quote!(impl crate::value::GeneratedEnum for #ident {}));
        }
    }
    out
}

/// `impl IntoValue<super::X> for X` for every type builder `X` that
/// converts into its type (`impl TryFrom<X> for super::X`).
fn builder_conversions(items: &[syn::Item]) -> Vec<syn::Item> {
    let mut out = Vec::new();
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        let Some((path, _)) = &imp.trait_ else {
            continue;
        };
        let last = path.segments.last();
        let is_try_from = last.is_some_and(|s| s.ident == "TryFrom");
        let Some(target) = super::builder::type_name(&imp.self_ty) else {
            continue;
        };
        let from = last.and_then(|s| match &s.arguments {
            syn::PathArguments::AngleBracketed(a) => match a.args.first() {
                Some(syn::GenericArgument::Type(t)) => super::builder::type_name(t),
                _ => None,
            },
            _ => None,
        });
        if !is_try_from || from.as_deref() != Some(target.as_str()) {
            continue;
        }
        let ident = syn::Ident::new(&target, proc_macro2::Span::call_site());
        out.push(syn::parse_quote! {
            impl crate::value::IntoValue<super::#ident> for #ident {
                fn into_value(
                    self,
                ) -> ::std::result::Result<
                    ::std::option::Option<super::#ident>,
                    crate::value::InvalidValue,
                > {
                    super::#ident::try_from(self)
                        .map(::std::option::Option::Some)
                        .map_err(crate::value::invalid)
                }
            }
        });
    }
    out
}

/// Where a setter is: the paths of generated types differ.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// `mod builder`: generated types are `types::X`.
    Operations,
    /// `mod types::builder`: generated types are `super::X`.
    TypeBuilders,
}

/// How a field is set: what `None` means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `Result<Option<T>, String>`: `None` leaves it out.
    Optional,
    /// Starts as an error ("was not initialized"): `None` is an error.
    Required,
    /// Starts empty (`Ok(Default::default())`): `None` leaves it empty.
    OrDefault,
}

/// Rewrites the setters of every builder struct in `items`; returns how many.
fn rewrite_setters(items: &mut [syn::Item], generated: &GeneratedTypes, scope: Scope) -> usize {
    // Each builder struct's fields: name → (type, kind).
    let mut fields: BTreeMap<String, BTreeMap<String, (syn::Type, Kind)>> = BTreeMap::new();
    for item in items.iter() {
        if let syn::Item::Struct(s) = item {
            let mut of = BTreeMap::new();
            for f in &s.fields {
                let (Some(name), Some(inner)) = (&f.ident, result_ok_type(&f.ty)) else {
                    continue;
                };
                let (ty, kind) = match super::builder::generic_arg(&inner, "Option") {
                    Some(t) => (t, Kind::Optional),
                    None => (inner, Kind::Required),
                };
                of.insert(unraw(name), (ty, kind));
            }
            fields.insert(s.ident.to_string(), of);
        }
    }
    // Which fields start with a value (a constructor's or `Default`'s `Ok`).
    for item in items.iter() {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(name) = super::builder::type_name(&imp.self_ty) else {
            continue;
        };
        let Some(of) = fields.get_mut(&name) else {
            continue;
        };
        for (field, starts_ok) in initial_values(imp) {
            if let Some((_, kind)) = of.get_mut(&field)
                && *kind == Kind::Required
                && starts_ok
            {
                *kind = Kind::OrDefault;
            }
        }
    }
    let mut count = 0;
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(name) = super::builder::type_name(&imp.self_ty) else {
            continue;
        };
        let Some(of) = fields.get(&name) else {
            continue;
        };
        for it in &mut imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            let setter = f.sig.ident.to_string();
            let Some((ty, kind)) = of.get(&unraw_str(&setter)) else {
                continue;
            };
            if setter == "body" && scope == Scope::Operations {
                continue;
            }
            if !is_setter(f) || !takes_plain_values(ty, generated, scope) {
                continue;
            }
            rewrite(f, ty, *kind, generated);
            count += 1;
        }
    }
    count
}

/// `T` of `Result<T, String>`.
fn result_ok_type(ty: &syn::Type) -> Option<syn::Type> {
    super::builder::generic_arg(ty, "Result")
}

fn unraw(ident: &syn::Ident) -> String {
    unraw_str(&ident.to_string())
}

fn unraw_str(s: &str) -> String {
    s.trim_start_matches("r#").to_string()
}

/// `field: Ok(..)` / `field: Err(..)` in the struct expressions of an
/// impl's functions (`new`, `Default::default`).
fn initial_values(imp: &syn::ItemImpl) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for it in &imp.items {
        let syn::ImplItem::Fn(f) = it else { continue };
        if f.sig.ident != "new" && f.sig.ident != "default" {
            continue;
        }
        for stmt in &f.block.stmts {
            let expr = match stmt {
                syn::Stmt::Expr(e, _) => e,
                _ => continue,
            };
            let syn::Expr::Struct(s) = expr else { continue };
            for fv in &s.fields {
                let syn::Member::Named(name) = &fv.member else {
                    continue;
                };
                let starts_ok = matches!(&fv.expr, syn::Expr::Call(c)
                    if matches!(&*c.func, syn::Expr::Path(p) if p.path.is_ident("Ok")));
                out.push((unraw(name), starts_ok));
            }
        }
    }
    out
}

/// `fn x<V>(mut self, value: V) -> Self` with one type parameter.
fn is_setter(f: &syn::ImplItemFn) -> bool {
    f.sig.generics.type_params().count() == 1 && f.sig.inputs.len() == 2
}

/// Whether `ty` is a type `gitcode::value` has conversions for.
fn takes_plain_values(ty: &syn::Type, generated: &GeneratedTypes, scope: Scope) -> bool {
    if let Some(item) = super::builder::generic_arg(ty, "Vec") {
        return matches!(
            scalar(&item).map(|s| s.name),
            Some("String" | "i64" | "Id" | "Value")
        ) || is_generated(&item, generated, scope);
    }
    scalar(ty).is_some() || is_generated(ty, generated, scope)
}

/// A scalar type with conversions in `gitcode::value`.
struct Scalar {
    /// The type as progenitor writes it, without spaces.
    path: &'static str,
    name: &'static str,
    /// What a setter of it takes, for its rustdoc.
    accepts: &'static str,
}

const SCALARS: &[Scalar] = &[
    Scalar {
        path: "::std::string::String",
        name: "String",
        accepts: "text (`&str`, `String`, or an `Id` as the server wrote it)",
    },
    Scalar {
        path: "crate::lenient::Id",
        name: "Id",
        accepts: "an id or number: an integer, `&str` or `String`, or the `Id` an answer or webhook carries",
    },
    Scalar {
        path: "crate::lenient::Flag",
        name: "Flag",
        accepts: "`true` or `false`",
    },
    Scalar {
        path: "crate::lenient::Timestamp",
        name: "Timestamp",
        accepts: "a point in time: a `chrono` date-time, or text (`2024-04-15T21:58:21+08:00`)",
    },
    Scalar {
        path: "crate::lenient::State",
        name: "State",
        accepts: "a state (`State::Open` or its text, `\"open\"`)",
    },
    Scalar {
        path: "crate::lenient::CommaList",
        name: "CommaList",
        accepts: "names: an array, `Vec` or slice of `&str` or `String` (`[\"bug\", \"p1\"]`), or one `\"bug,p1\"`",
    },
    Scalar {
        path: "bool",
        name: "bool",
        accepts: "`true` or `false`",
    },
    Scalar {
        path: "i64",
        name: "i64",
        accepts: "an integer (or an `Id` that is one)",
    },
    Scalar {
        path: "f64",
        name: "f64",
        accepts: "a number",
    },
    Scalar {
        path: "::std::num::NonZeroU64",
        name: "NonZeroU64",
        accepts: "a whole number of at least 1",
    },
    Scalar {
        path: "::chrono::naive::NaiveDate",
        name: "NaiveDate",
        accepts: "a date: a `chrono::NaiveDate` or `\"YYYY-MM-DD\"`",
    },
    Scalar {
        path: "::serde_json::Value",
        name: "Value",
        accepts: "any JSON: a `serde_json::Value`, text, a number or a `bool`",
    },
    Scalar {
        path: "::serde_json::Map<::std::string::String,::serde_json::Value>",
        name: "Map",
        accepts: "a JSON object",
    },
];

/// The scalar type `ty` is, if it is one.
fn scalar(ty: &syn::Type) -> Option<&'static Scalar> {
    let text = ty.to_token_stream().to_string().replace(' ', "");
    SCALARS.iter().find(|s| s.path == text)
}

/// `types::X` (operations) or `super::X` (type builders) of a generated `X`.
fn is_generated(ty: &syn::Type, generated: &GeneratedTypes, scope: Scope) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    let prefix = match scope {
        Scope::Operations => "types",
        Scope::TypeBuilders => "super",
    };
    let mut segments = p.path.segments.iter();
    match (segments.next(), segments.next(), segments.next()) {
        (Some(module), Some(name), None) => {
            module.ident == prefix && generated.all.contains(&name.ident.to_string())
        }
        _ => false,
    }
}

/// The setter, taking `impl IntoValue<ty>`.
fn rewrite(f: &mut syn::ImplItemFn, ty: &syn::Type, kind: Kind, generated: &GeneratedTypes) {
    let Some(param) = f.sig.generics.type_params().next().map(|p| p.ident.clone()) else {
        return;
    };
    let Some(field) = setter_field(f) else {
        return;
    };
    let name = unraw(&field);
    let helper = match kind {
        Kind::Optional => quote::format_ident!("optional"),
        Kind::Required => quote::format_ident!("required"),
        Kind::OrDefault => quote::format_ident!("or_default"),
    };
    f.sig.generics.where_clause = Some(syn::parse_quote! {
        where #param: crate::value::IntoValue<#ty>
    });
    f.block = syn::parse_quote! {{
        self.#field = crate::value::#helper(value, #name);
        self
    }};
    f.attrs.retain(|a| !a.path().is_ident("doc"));
    let what = accepts(ty, generated);
    let (required, none) = match kind {
        Kind::Optional => (
            "",
            "; a reference to one, or an `Option` of it (`None` leaves it out)",
        ),
        Kind::Required => (" (required)", ", or a reference to one"),
        Kind::OrDefault => (
            "",
            "; a reference to one, or an `Option` of it (`None` leaves it empty)",
        ),
    };
    let doc = format!(
        " Sets `{name}`{required}: {what}{none}. See [`IntoValue`](crate::value::IntoValue)."
    );
    f.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
}

/// What a setter of a field of type `ty` takes, for its rustdoc.
fn accepts(ty: &syn::Type, generated: &GeneratedTypes) -> String {
    if let Some(item) = super::builder::generic_arg(ty, "Vec") {
        return format!(
            "a list (`Vec`, array or slice) of {}",
            accepts(&item, generated)
        );
    }
    if let Some(scalar) = scalar(ty) {
        return scalar.accepts.to_string();
    }
    let path = ty.to_token_stream().to_string().replace(' ', "");
    let name = path.rsplit("::").next().unwrap_or(&path).to_string();
    if generated.enums.contains(&name) {
        format!("[`{name}`]({path}) or its text")
    } else {
        format!("[`{name}`]({path}) or its builder")
    }
}

/// The field a setter assigns (`self.<field> = ..`).
fn setter_field(f: &syn::ImplItemFn) -> Option<syn::Ident> {
    f.block.stmts.iter().find_map(|stmt| {
        let syn::Stmt::Expr(syn::Expr::Assign(a), _) = stmt else {
            return None;
        };
        match &*a.left {
            syn::Expr::Field(field) => match &field.member {
                syn::Member::Named(name) => Some(name.clone()),
                _ => None,
            },
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(item: &impl ToTokens) -> String {
        item.to_token_stream().to_string()
    }

    fn sample() -> syn::File {
        syn::parse_quote! {
            pub mod builder {
                pub struct GetIssue<'a> {
                    client: &'a super::Client,
                    number: Result<::std::string::String, String>,
                    state: Result<Option<types::IssueState>, String>,
                    body: Result<types::builder::IssueBody, String>,
                    file: Result<crate::multipart::UploadFile, String>,
                }
                impl<'a> GetIssue<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self {
                            client: client,
                            number: Err("number was not initialized".to_string()),
                            state: Ok(None),
                            body: Ok(::std::default::Default::default()),
                            file: Err("file was not initialized".to_string()),
                        }
                    }
                    pub fn number<V>(mut self, value: V) -> Self
                    where V: std::convert::TryInto<::std::string::String>,
                    {
                        self.number = value.try_into().map_err(|_| "conversion failed".to_string());
                        self
                    }
                    pub fn state<V>(mut self, value: V) -> Self
                    where V: std::convert::TryInto<types::IssueState>,
                    {
                        self.state = value.try_into().map(Some).map_err(|_| "conversion failed".to_string());
                        self
                    }
                    pub fn body<V>(mut self, value: V) -> Self
                    where V: std::convert::TryInto<types::IssueBody>,
                    {
                        self.body = value.try_into().map(From::from).map_err(|_| "x".to_string());
                        self
                    }
                    pub fn file<V>(mut self, value: V) -> Self
                    where V: std::convert::TryInto<crate::multipart::UploadFile>,
                    {
                        self.file = value.try_into().map_err(|_| "x".to_string());
                        self
                    }
                }
            }
            pub mod types {
                pub struct IssueBody {
                    pub labels: Option<crate::lenient::CommaList>,
                    pub title: ::std::string::String,
                    pub assignees: ::std::vec::Vec<::std::string::String>,
                }
                pub enum IssueState { Open, Other(String) }
                impl ::std::convert::From<&str> for IssueState {
                    fn from(value: &str) -> Self { todo!() }
                }
                pub mod builder {
                    pub struct IssueBody {
                        labels: ::std::result::Result<::std::option::Option<crate::lenient::CommaList>, ::std::string::String>,
                        title: ::std::result::Result<::std::string::String, ::std::string::String>,
                        assignees: ::std::result::Result<::std::vec::Vec<::std::string::String>, ::std::string::String>,
                    }
                    impl ::std::default::Default for IssueBody {
                        fn default() -> Self {
                            Self {
                                labels: Ok(Default::default()),
                                title: Err("no value supplied for title".to_string()),
                                assignees: Ok(Default::default()),
                            }
                        }
                    }
                    impl IssueBody {
                        pub fn labels<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::option::Option<crate::lenient::CommaList>>,
                            T::Error: ::std::fmt::Display,
                        {
                            self.labels = value.try_into().map_err(|e| format!("error: {e}"));
                            self
                        }
                        pub fn title<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::string::String>,
                            T::Error: ::std::fmt::Display,
                        {
                            self.title = value.try_into().map_err(|e| format!("error: {e}"));
                            self
                        }
                        pub fn assignees<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                            T::Error: ::std::fmt::Display,
                        {
                            self.assignees = value.try_into().map_err(|e| format!("error: {e}"));
                            self
                        }
                    }
                    impl ::std::convert::TryFrom<IssueBody> for super::IssueBody {
                        type Error = super::error::ConversionError;
                        fn try_from(value: IssueBody) -> Result<Self, Self::Error> { todo!() }
                    }
                }
            }
        }
    }

    fn method<'f>(file: &'f syn::File, module: &[&str], name: &str) -> &'f syn::ImplItemFn {
        let mut items = &file.items;
        for m in module {
            items = items
                .iter()
                .find_map(|i| match i {
                    syn::Item::Mod(x) if x.ident == *m => x.content.as_ref().map(|(_, i)| i),
                    _ => None,
                })
                .expect("module");
        }
        items
            .iter()
            .find_map(|i| match i {
                syn::Item::Impl(imp) if imp.trait_.is_none() => {
                    imp.items.iter().find_map(|it| match it {
                        syn::ImplItem::Fn(f) if f.sig.ident == name => Some(f),
                        _ => None,
                    })
                }
                _ => None,
            })
            .expect("method")
    }

    fn run_on_sample() -> syn::File {
        let mut file = sample();
        rewrite_file(&mut file).expect("pass runs");
        file
    }

    #[test]
    fn parameters_take_plain_values_and_keep_their_kind() {
        let file = run_on_sample();
        let number = text(method(&file, &["builder"], "number"));
        assert!(
            number.contains("V : crate :: value :: IntoValue < :: std :: string :: String >"),
            "{number}"
        );
        assert!(
            number.contains("crate :: value :: required (value , \"number\")"),
            "{number}"
        );
        let state = text(method(&file, &["builder"], "state"));
        assert!(
            state.contains("IntoValue < types :: IssueState >"),
            "{state}"
        );
        assert!(
            state.contains("crate :: value :: optional (value , \"state\")"),
            "{state}"
        );
    }

    #[test]
    fn whole_bodies_and_uploads_keep_progenitors_setter() {
        let file = run_on_sample();
        for name in ["body", "file"] {
            let f = text(method(&file, &["builder"], name));
            assert!(f.contains("TryInto"), "{f}");
            assert!(!f.contains("IntoValue"), "{f}");
        }
    }

    #[test]
    fn body_fields_take_plain_values_with_none_as_the_field_says() {
        let file = run_on_sample();
        let labels = text(method(&file, &["types", "builder"], "labels"));
        assert!(
            labels.contains("IntoValue < crate :: lenient :: CommaList >"),
            "{labels}"
        );
        assert!(labels.contains("optional (value , \"labels\")"), "{labels}");
        let title = text(method(&file, &["types", "builder"], "title"));
        assert!(title.contains("required (value , \"title\")"), "{title}");
        let assignees = text(method(&file, &["types", "builder"], "assignees"));
        assert!(
            assignees.contains("or_default (value , \"assignees\")"),
            "{assignees}"
        );
        assert!(!assignees.contains("T :: Error"), "{assignees}");
    }

    #[test]
    fn types_are_marked_and_builders_convert() {
        let file = run_on_sample();
        let all = text(&file);
        assert!(
            all.contains("impl crate :: value :: Generated for IssueBody { }"),
            "{all}"
        );
        assert!(
            all.contains("impl crate :: value :: GeneratedEnum for IssueState { }"),
            "{all}"
        );
        assert!(!all.contains("GeneratedEnum for IssueBody"), "{all}");
        assert!(
            all.contains("impl crate :: value :: IntoValue < super :: IssueBody > for IssueBody"),
            "{all}"
        );
    }

    #[test]
    fn mock_id_matchers_take_what_the_setters_take() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod operations {
                pub struct GetIssueWhen(::httpmock::When);
                impl GetIssueWhen {
                    pub fn owner(self, value: &str) -> Self { self }
                    pub fn number(self, value: &crate::lenient::Id) -> Self {
                        let re = format!("^/issues/{}$", value.to_string());
                        self
                    }
                    pub fn milestone_number<'a, T>(self, value: T) -> Self
                    where
                        T: Into<Option<&'a crate::lenient::Id>>,
                    {
                        if let Some(value) = value.into() { self } else { self }
                    }
                }
            }
        };
        run_on_mocks(&mut file).expect("rewritten");
        let all = text(&file);
        assert!(all.contains("pub fn owner (self , value : & str)"), "{all}");
        assert!(
            all.contains("pub fn number < V : crate :: value :: IntoValue < crate :: lenient :: Id > > (self , value : V)"),
            "{all}"
        );
        assert!(
            all.contains("let value = crate :: value :: mock_matcher (value , \"number\") ;"),
            "{all}"
        );
        assert!(
            all.contains("crate :: value :: mock_optional_matcher (value , \"milestone_number\")"),
            "{all}"
        );
        assert!(!all.contains("Into < Option"), "{all}");
    }

    #[test]
    fn a_changed_output_is_an_error() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {}
            pub mod types { pub struct A {} pub mod builder {} }
        };
        let e = rewrite_file(&mut file).unwrap_err();
        assert!(e.contains("no setter rewritten"), "{e}");
    }
}
