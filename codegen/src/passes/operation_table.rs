//! Pass `operation_table`: the path template of each operation, for tracing.
//!
//! Hooks see only an operation's `operationId`; tracing spans record the
//! path template (`/api/v5/repos/{owner}/{repo}/issues`) rather than the
//! URL, which may hold a token in its query. This pass adds
//! `operation_path(operation_id)` to the generated client.
//!
//! Triggered by: every operation.

use super::Context;

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    let mut entries: Vec<(&str, &str)> = cx
        .spec
        .operations
        .iter()
        .map(|op| (op.operation_id.as_str(), op.path.as_str()))
        .collect();
    entries.sort();
    let rows = entries
        .iter()
        .map(|(id, path)| quote::quote!((#id, #path),));
    file.items.push(syn::parse_quote! {
        /// The path template of an operation, by `operationId`.
        pub(crate) fn operation_path(operation_id: &str) -> Option<&'static str> {
            const OPERATIONS: &[(&str, &str)] = &[#(#rows)*];
            OPERATIONS
                .binary_search_by(|(id, _)| (*id).cmp(operation_id))
                .ok()
                .map(|i| OPERATIONS[i].1)
        }
    });
    Ok(())
}
