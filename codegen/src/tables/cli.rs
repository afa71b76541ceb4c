//! The `gitcode` command line, generated from the client.
//!
//! Every operation becomes a subcommand named after its `operationId` in
//! kebab-case, whose flags are the builder's parameters and the fields of
//! its request body. The generated code calls the typed builders of the
//! generated client, so every quirk the passes handle (comma lists, kept
//! slashes, multipart, form bodies, typed errors, pagination) holds on the
//! command line too. It is read off the final client tree, after the passes.
//! Each command answers as sent (`send_raw`, or `raw_pages` for `--all`)
//! with the typed check its `send()` would make; the caller presents it
//! (`crate::invoke::Answer`: the CLI prints it, `crate::mcp` returns it to
//! an agent).
//!
//! Two items are generated: `COMMANDS`, the table the hand-written CLI
//! (`client/src/cli/mod.rs`) builds its clap commands from, and `execute`,
//! which sends one of them with arguments from the command line or from an
//! MCP tool call (`crate::invoke::Args`), each command a boxed future.

use std::collections::BTreeMap;

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use crate::passes::area_features::feature_name;
use crate::passes::builder::{
    builder_items_ref, builder_name, generic_arg, success_type, type_name,
};
use crate::passes::paginated_operations::{Shape, Streams, streams};
use crate::spec::{OperationInfo, Spec};

/// Where the CLI goes, relative to the workspace root.
pub const CLI_FILE: &str = "client/src/generated/cli.rs";

/// One command: an operation and what its builder takes, read off the
/// final client tree (also what `crate::tables::mcp` describes as a tool).
pub(crate) struct CommandModel<'s> {
    pub op: &'s OperationInfo,
    /// The command (`create-repo-issue`).
    pub command: String,
    pub flags: Vec<Flag>,
    pub body: BodyInput,
    /// Lists across pages with `--all`: what it streams
    /// ([`streams`](crate::passes::paginated_operations::streams)), or a
    /// cursor.
    pub paginated: bool,
    /// What `--all` streams, for page-numbered lists.
    pub streams: Option<Streams>,
    /// Answers with bytes (`ByteStream`).
    pub raw: bool,
    /// The `T` of `send() -> ResponseValue<T>`.
    pub response: syn::Type,
}

/// One flag of a command.
pub(crate) struct Flag {
    /// The flag (`per-page`).
    pub name: String,
    /// The builder (or body builder) setter (`per_page`).
    pub setter: syn::Ident,
    /// The value's type, as the setter takes it (without `Option`).
    pub ty: syn::Type,
    pub required: bool,
    pub help: String,
    /// A field of the request body rather than a parameter.
    pub in_body: bool,
    /// The setter takes `Option<T>` (optional body fields).
    pub wrap_some: bool,
}

impl Flag {
    /// Takes a file to upload (`UploadFile`).
    pub fn is_file(&self) -> bool {
        self.ty
            .to_token_stream()
            .to_string()
            .ends_with("UploadFile")
    }
}

/// Builds the CLI file from the commands.
pub(crate) fn cli(commands: &[CommandModel<'_>]) -> syn::File {
    let rows = commands.iter().map(command_row);
    let arms = commands.iter().map(execute_arm);
    syn::parse_quote! {
        //! The generated half of the `gitcode` command line (see `crate::cli`).
        #![allow(clippy::all, unused_imports, unused_mut)]

        use crate::cli::{Arg, Command};
        use crate::invoke::{Answer, Args, CliError, PageItems, check};
        use crate::prelude::*;
        use crate::types;
        // Body field types are named as in `mod types`.
        use crate::types::*;

        /// Every operation as a command, in spec order.
        pub(crate) const COMMANDS: &[Command] = &[#(#rows)*];

        /// Sends `command` with `args` (flags, or a tool call's arguments)
        /// and returns the answer, for the caller to present.
        ///
        /// Each command is a future of its own, boxed: one `async fn`
        /// matching every command would be one state machine whose poll
        /// needs more stack, in a debug build, than a worker thread has.
        pub(crate) fn execute<'c>(
            client: &'c crate::Client,
            command: &str,
            args: &'c Args<'_>,
        ) -> futures::future::BoxFuture<'c, Result<Answer<'c>, CliError>> {
            match command {
                #(#arms)*
                other => {
                    let message = format!("unknown command `{other}`");
                    Box::pin(async move { Err(CliError::Usage(message)) })
                }
            }
        }
    }
}

/// Every operation of the spec as a command, read off the final client tree.
pub(crate) fn commands<'s>(
    client: &syn::File,
    spec: &'s Spec,
) -> Result<Vec<CommandModel<'s>>, String> {
    let structs = struct_fields(client);
    let mut commands = Vec::new();
    for op in &spec.operations {
        let builder = builder_name(&op.operation_id);
        let fields = structs
            .get(&("builder".to_string(), builder.clone()))
            .ok_or_else(|| format!("no builder struct for `{}`", op.operation_id))?;
        let response = send_type(client, &builder)
            .ok_or_else(|| format!("no send() for `{}`", op.operation_id))?;
        let descriptions = parameter_descriptions(spec, op);

        let mut flags = Vec::new();
        let mut body_type = None;
        for (name, ty) in fields {
            if name == "client" {
                continue;
            }
            let Some(inner) = generic_arg(ty, "Result") else {
                continue;
            };
            if name == "body" {
                body_type = Some(inner);
                continue;
            }
            let (ty, required) = match generic_arg(&inner, "Option") {
                Some(t) => (t, false),
                None => (inner, true),
            };
            let flag = name.trim_end_matches('_').to_kebab_case();
            let help = descriptions
                .get(name.trim_end_matches('_'))
                .cloned()
                .unwrap_or_default();
            flags.push(Flag {
                name: flag,
                setter: format_ident!("{}", name),
                ty,
                required,
                help,
                in_body: false,
                wrap_some: false,
            });
        }
        // The type `--json-body` parses: the body struct for a typed body
        // builder (`types::builder::X` → `types::X`), else the body type.
        let body_parse = body_type
            .as_ref()
            .map(|body| match struct_builder_target(body) {
                Some(name) => {
                    let ident = format_ident!("{}", name);
                    syn::parse_quote!(types::#ident)
                }
                None => body.clone(),
            });
        if let Some(name) = body_type.as_ref().and_then(struct_builder_target) {
            let body_fields = structs
                .get(&("types".to_string(), name.clone()))
                .ok_or_else(|| format!("no body struct `{name}`"))?;
            for (name, ty) in body_fields {
                let optional = generic_arg(ty, "Option");
                let mut flag = name
                    .trim_start_matches("r#")
                    .trim_end_matches('_')
                    .to_kebab_case();
                if flags.iter().any(|f| f.name == flag) {
                    flag = format!("body-{flag}");
                }
                flags.push(Flag {
                    name: flag,
                    setter: format_ident!("{}", name.trim_start_matches("r#")),
                    wrap_some: optional.is_some(),
                    ty: optional.unwrap_or_else(|| ty.clone()),
                    required: false,
                    help: String::new(),
                    in_body: true,
                });
            }
        }

        let command = op.operation_id.to_kebab_case();
        // Whatever `.stream()`s (lists, list arms, wrapped pages) and
        // cursors go across pages with `--all`.
        let streams = streams(client, op, &response)?;
        let paginated = streams.is_some() || op.cursor.is_some();
        let raw = response.to_token_stream().to_string() == "ByteStream";
        commands.push(CommandModel {
            op,
            command,
            flags,
            body: BodyInput::of(body_parse),
            paginated,
            streams,
            raw,
            response,
        });
    }
    Ok(commands)
}

/// Where a command's request body comes from.
pub(crate) enum BodyInput {
    None,
    /// `--json-body FILE`, parsed as this type.
    Json(Box<syn::Type>),
    /// `--body-file FILE`, sent as its bytes (an `application/octet-stream`
    /// body, generated as `reqwest::Body`).
    Bytes,
}

impl BodyInput {
    fn of(body: Option<syn::Type>) -> Self {
        match body {
            None => BodyInput::None,
            Some(ty) if ty.to_token_stream().to_string() == "reqwest :: Body" => BodyInput::Bytes,
            Some(ty) => BodyInput::Json(Box::new(ty)),
        }
    }
}

fn command_row(model: &CommandModel<'_>) -> TokenStream {
    let CommandModel {
        op,
        command,
        flags,
        body,
        paginated,
        ..
    } = model;
    let has_body = matches!(body, BodyInput::Json(_));
    let raw_body = matches!(body, BodyInput::Bytes);
    let id = &op.operation_id;
    let tag = &op.tag;
    let feature = feature_name(&op.tag);
    let about = op.summary.trim_end_matches('.');
    let method = op.method.to_uppercase();
    let path = &op.path;
    let args = flags.iter().map(|f| {
        let name = &f.name;
        let required = f.required;
        let in_body = f.in_body;
        let help = &f.help;
        quote!(Arg { name: #name, required: #required, in_body: #in_body, help: #help },)
    });
    quote! {
        #[cfg(feature = #feature)]
        Command {
            name: #command,
            operation_id: #id,
            tag: #tag,
            about: #about,
            method: #method,
            path: #path,
            args: &[#(#args)*],
            json_body: #has_body,
            raw_body: #raw_body,
            paginated: #paginated,
        },
    }
}

fn execute_arm(model: &CommandModel<'_>) -> TokenStream {
    let CommandModel {
        op,
        command,
        flags,
        body,
        paginated,
        streams,
        raw,
        response,
    } = model;
    let method = format_ident!("{}", op.operation_id);
    let feature = feature_name(&op.tag);
    let sets = flags.iter().map(|f| {
        let name = &f.name;
        let setter = &f.setter;
        let ty = &f.ty;
        let get = if f.is_file() {
            quote!(args.file(#name)?)
        } else {
            quote!(args.get::<#ty>(#name)?)
        };
        let value = if f.wrap_some {
            quote!(Some(value))
        } else {
            quote!(value)
        };
        if f.in_body {
            quote! {
                if let Some(value) = #get {
                    request = request.body_map(move |b| b.#setter(#value));
                }
            }
        } else {
            quote! {
                if let Some(value) = #get {
                    request = request.#setter(value);
                }
            }
        }
    });
    let json_body = match body {
        BodyInput::None => None,
        BodyInput::Bytes => Some(quote! {
            if let Some(bytes) = args.body_file()? {
                request = request.body(bytes);
            }
        }),
        BodyInput::Json(ty) => Some(quote! {
            if let Some(body) = args.json_body::<#ty>()? {
                request = request.body(body);
            }
        }),
    };
    // Every JSON answer is printed as sent, after the typed check its
    // `send()` would make (`crate::invoke::check`).
    let check = if response.to_token_stream().to_string() == "()" {
        quote!(check::nothing)
    } else if let Some(item) = generic_arg(response, "Vec") {
        quote!(check::list::<#item>)
    } else {
        quote!(check::value::<#response>)
    };
    // Where `--all` finds each page's items, and the check of a page: the
    // list `.stream()` decodes for a list arm (`send()` answers the enum).
    let (items, page_check) = match (streams, &op.cursor) {
        (_, Some(_)) => (quote!(PageItems::Whole), check.clone()),
        (Some(streams), None) => match &streams.shape {
            Shape::Field(page_items) => {
                let field = &page_items.items;
                (quote!(PageItems::Field(#field)), check.clone())
            }
            Shape::ListArm => {
                let item = &streams.item;
                (quote!(PageItems::List), quote!(check::list::<#item>))
            }
            Shape::List => (quote!(PageItems::List), check.clone()),
        },
        (None, None) => (quote!(PageItems::List), check.clone()),
    };
    let send = if *raw {
        quote!(Ok(Answer::Bytes(request.send().await?)))
    } else if *paginated {
        quote! {
            if args.all() {
                Ok(Answer::Pages(request.raw_pages(), #items, #page_check))
            } else {
                Ok(Answer::Whole(request.send_raw().await?, #check))
            }
        }
    } else {
        quote!(Ok(Answer::Whole(request.send_raw().await?, #check)))
    };
    quote! {
        #[cfg(feature = #feature)]
        #command => Box::pin(async move {
            let mut request = client.#method();
            #json_body
            #(#sets)*
            #send
        }),
    }
}

/// `(module, struct)` → its named fields, for `builder` and `types` structs.
fn struct_fields(file: &syn::File) -> BTreeMap<(String, String), Vec<(String, syn::Type)>> {
    let mut out = BTreeMap::new();
    let mut collect = |module: &str, items: &[syn::Item]| {
        for item in items {
            if let syn::Item::Struct(s) = item
                && let syn::Fields::Named(fields) = &s.fields
            {
                let list = fields
                    .named
                    .iter()
                    .filter_map(|f| Some((f.ident.as_ref()?.to_string(), f.ty.clone())))
                    .collect();
                out.insert((module.to_string(), s.ident.to_string()), list);
            }
        }
    };
    if let Some(items) = builder_items_ref(file) {
        collect("builder", items);
    }
    for item in &file.items {
        if let syn::Item::Mod(m) = item
            && m.ident == "types"
            && let Some((_, items)) = &m.content
        {
            collect("types", items);
        }
    }
    out
}

/// The `T` of the builder's `send() -> Result<ResponseValue<T>, _>`.
fn send_type(file: &syn::File, builder: &str) -> Option<syn::Type> {
    builder_items_ref(file)?.iter().find_map(|item| {
        let syn::Item::Impl(imp) = item else {
            return None;
        };
        if imp.trait_.is_some() || type_name(&imp.self_ty)? != builder {
            return None;
        }
        imp.items.iter().find_map(|it| match it {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => success_type(&f.sig.output),
            _ => None,
        })
    })
}

/// `X` for the struct builder type `types::builder::X`.
fn struct_builder_target(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else { return None };
    let segments: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    match segments.as_slice() {
        [types, builder, name] if types == "types" && builder == "builder" => Some(name.clone()),
        _ => None,
    }
}

/// Parameter name → description, from the spec.
fn parameter_descriptions(spec: &Spec, op: &OperationInfo) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(item) = spec
        .openapi
        .paths
        .paths
        .get(&op.path)
        .and_then(|i| i.as_item())
    else {
        return out;
    };
    let Some((_, operation)) = item.iter().find(|(m, _)| *m == op.method) else {
        return out;
    };
    for p in operation.parameters.iter().chain(&item.parameters) {
        let resolved = crate::spec::operations::resolve_parameter(&spec.openapi, p);
        if let Some(p) = resolved {
            let data = p.parameter_data_ref();
            let text = data.description.clone().unwrap_or_default();
            out.insert(
                data.name.clone(),
                text.split_whitespace().collect::<Vec<_>>().join(" "),
            );
        }
    }
    out
}
