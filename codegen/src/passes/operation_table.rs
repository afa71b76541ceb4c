//! Pass `operation_table`: what the runtime needs to know of each
//! operation, by `operationId`.
//!
//! Hooks see only an operation's `operationId`. This pass adds
//! `operation_meta(operation_id)` to the generated client, with, for each
//! operation:
//!
//! - its path template, which tracing spans record rather than the URL
//!   (which may hold a token in its query);
//! - whether it is served by the web host (`servers:` on the operation,
//!   `https://gitcode.com`), as the OAuth endpoints are;
//! - whether it takes no token (`security: []`), so that none is sent.
//!
//! Triggered by: every operation.

use super::Context;
use crate::spec::operations::OperationInfo;

/// The servers an operation may name in its own `servers`: the web host.
pub const WEB_HOSTS: &[&str] = &["https://gitcode.com"];

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    file.items.push(table(&cx.spec.operations)?);
    Ok(())
}

/// `operation_meta`, with one row per operation, sorted by `operationId`.
fn table(operations: &[OperationInfo]) -> Result<syn::Item, String> {
    let mut ops: Vec<&OperationInfo> = operations.iter().collect();
    ops.sort_by(|a, b| a.operation_id.cmp(&b.operation_id));
    let rows = ops
        .iter()
        .map(|op| {
            let (id, path, anonymous) = (&op.operation_id, &op.path, op.anonymous);
            let web_host = web_host(op)?;
            Ok(quote::quote! {
                (#id, crate::runtime::OperationMeta { path: #path, web_host: #web_host, anonymous: #anonymous }),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(syn::parse_quote! {
        /// What the runtime knows of an operation, by `operationId`.
        pub(crate) fn operation_meta(operation_id: &str) -> Option<crate::runtime::OperationMeta> {
            const OPERATIONS: &[(&str, crate::runtime::OperationMeta)] = &[#(#rows)*];
            OPERATIONS
                .binary_search_by(|(id, _)| (*id).cmp(operation_id))
                .ok()
                .map(|i| OPERATIONS[i].1)
        }
    })
}

/// Whether `op` is served by the web host; an unknown server is an error.
pub fn web_host(op: &OperationInfo) -> Result<bool, String> {
    match op.servers.as_slice() {
        [] => Ok(false),
        [url] if WEB_HOSTS.contains(&url.trim_end_matches('/')) => Ok(true),
        other => Err(format!(
            "`{}`: unsupported `servers` {other:?}: an operation may name only the web host ({})",
            op.operation_id,
            WEB_HOSTS.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn op(id: &str, servers: &[&str], anonymous: bool) -> OperationInfo {
        OperationInfo {
            operation_id: id.into(),
            method: "get".into(),
            path: format!("/{id}"),
            servers: servers.iter().map(|s| s.to_string()).collect(),
            anonymous,
            ..OperationInfo::default()
        }
    }

    #[test]
    fn web_host_operations_are_recognised_and_others_refused() {
        assert!(!web_host(&op("get_user", &[], false)).unwrap());
        assert!(web_host(&op("create_oauth_token", &["https://gitcode.com"], true)).unwrap());
        let err = web_host(&op("x", &["https://elsewhere.example"], false)).unwrap_err();
        assert!(err.contains("unsupported `servers`"), "{err}");
    }

    #[test]
    fn the_table_is_sorted_and_carries_every_fact() {
        let item = table(&[
            op("b_op", &[], false),
            op("a_op", &["https://gitcode.com"], true),
        ])
        .unwrap();
        let text = item.to_token_stream().to_string();
        let a = text.find("\"a_op\"").unwrap();
        let b = text.find("\"b_op\"").unwrap();
        assert!(a < b, "{text}");
        assert!(
            text.contains("path : \"/a_op\" , web_host : true , anonymous : true"),
            "{text}"
        );
    }
}
