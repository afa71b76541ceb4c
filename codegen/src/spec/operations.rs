//! A flat view of each operation: what the passes need to know about it.

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

use super::extensions::{
    BODY_IN_QUERY, CURSOR, DESTRUCTIVE, EVIDENCE, KEEP_SLASHES, KNOWN_ISSUE, PAGE_ITEMS, SEND_AS,
    SOURCES, UNDOCUMENTED, UNVERIFIED,
};

/// One operation of the spec, with its quirks read from the extensions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationInfo {
    pub operation_id: String,
    pub method: String,
    pub path: String,
    pub tag: String,
    pub summary: String,
    pub docs_url: Option<String>,
    /// Path parameters marked `x-gitcode-keep-slashes`.
    pub keep_slashes: Vec<String>,
    /// `x-gitcode-known-issue` text.
    pub known_issue: Option<String>,
    /// `x-gitcode-destructive`: what this operation (not a DELETE) does that
    /// cannot be undone.
    pub destructive: Option<String>,
    /// `x-gitcode-unverified`.
    pub unverified: bool,
    /// `x-gitcode-undocumented`: the docs lack it; the evidence for it.
    pub undocumented: Option<Undocumented>,
    /// `x-gitcode-evidence` on the operation: what sources beyond the docs
    /// saw of it, each with its source resolved from `x-gitcode-sources`.
    pub evidence: Vec<Evidence>,
    /// The request body's content type the client sends, if any: the one
    /// `x-gitcode-send-as` names where the body has several.
    pub body_content_type: Option<String>,
    /// Every content type the spec says the server accepts for the body.
    pub body_content_types: Vec<String>,
    /// Takes `page` and a page-size query parameter: `per_page`, or
    /// `perPage` where the docs spell it in camel case (progenitor names
    /// either setter `per_page`).
    pub paginated: bool,
    /// The most items a page holds and the last page served, where the
    /// spec's `per_page` and `page` schemas say (`maximum`).
    pub page_limits: PageLimits,
    /// `x-gitcode-cursor`: the cursor's query parameter and response field.
    pub cursor: Option<String>,
    /// `x-gitcode-body-in-query`: body fields also sent in the query.
    pub body_in_query: Vec<String>,
    /// `x-gitcode-page-items`: a paged answer that wraps its items.
    pub page_items: Option<PageItems>,
    /// The operation's own `servers` (empty: the API host).
    pub servers: Vec<String>,
    /// `security: []`: the operation takes no token.
    pub anonymous: bool,
}

/// An operation the docs lack, and the evidence that the server serves it
/// (`x-gitcode-undocumented`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Undocumented {
    /// The client that sends it, with its version (`gitcode-cli 0.15.0`).
    pub client: String,
    /// Where in that client's source (`api/queries_release.go, DeleteRelease`).
    pub source: String,
    /// The command whose recorded request shows it, if one does.
    pub recorded: Option<String>,
    /// What the client does when the server answers 404, if it says.
    pub on_404: Option<String>,
    /// Why this evidence is weaker than a maintained client's, when it is
    /// (a client not tested against the live server, say).
    pub weak: Option<String>,
}

/// One fact a source beyond the docs reports (`x-gitcode-evidence`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The source's key in `x-gitcode-sources`.
    pub source: String,
    /// Its title and address, from `x-gitcode-sources`.
    pub title: String,
    pub url: String,
    /// When the source saw it (`2026-07`), if it says.
    pub seen: Option<String>,
    pub fact: String,
}

impl Evidence {
    /// Every entry of an `x-gitcode-evidence` list, with its source looked
    /// up in the document's `x-gitcode-sources` (an unknown source keeps its
    /// key as title: the spec check reports it).
    pub fn read_all(spec: &OpenAPI, value: Option<&serde_json::Value>) -> Vec<Self> {
        let sources = spec.extensions.get(SOURCES);
        let text = |v: &serde_json::Value, key: &str| match v.get(key) {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        value
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|entry| {
                let source = text(entry, "source")?;
                let registered = sources.and_then(|s| s.get(&source));
                Some(Evidence {
                    title: registered
                        .and_then(|r| text(r, "title"))
                        .unwrap_or_else(|| source.clone()),
                    url: registered.and_then(|r| text(r, "url")).unwrap_or_default(),
                    seen: text(entry, "seen"),
                    fact: text(entry, "fact")?,
                    source,
                })
            })
            .collect()
    }
}

impl Undocumented {
    fn read(value: &serde_json::Value) -> Option<Self> {
        let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(String::from);
        Some(Undocumented {
            client: text("client")?,
            source: text("source")?,
            recorded: text("recorded"),
            on_404: text("on-404"),
            weak: text("weak"),
        })
    }
}

/// Where a paged answer that is an object holds its items, and the flag
/// that says whether more pages follow if it has one
/// (`x-gitcode-page-items`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageItems {
    pub items: String,
    /// `None`: no flag; the last page is known as for a bare list (the
    /// `total_page` header, else a short or empty page).
    pub has_next: Option<String>,
}

/// What a paged operation's `page` and `per_page` schemas cap: `None`
/// where the schema gives no `maximum`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageLimits {
    /// `per_page`'s `maximum` (50 for `search_issues`).
    pub max_per_page: Option<u64>,
    /// `page`'s `maximum`: the last page the server serves (100 for the
    /// searches).
    pub max_page: Option<u64>,
}

impl PageLimits {
    fn read(params: &[&Parameter]) -> Self {
        let maximum = |names: &[&str]| {
            params
                .iter()
                .filter(|p| matches!(p, Parameter::Query { .. }))
                .map(|p| p.parameter_data_ref())
                .filter(|data| names.contains(&data.name.as_str()))
                .find_map(|data| match &data.format {
                    openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                        match &schema.schema_kind {
                            openapiv3::SchemaKind::Type(openapiv3::Type::Integer(int)) => {
                                int.maximum.and_then(|m| u64::try_from(m).ok())
                            }
                            _ => None,
                        }
                    }
                    _ => None,
                })
        };
        PageLimits {
            max_per_page: maximum(PAGE_SIZE_PARAMETERS),
            max_page: maximum(&["page"]),
        }
    }
}

/// The names a page-size query parameter goes by.
pub const PAGE_SIZE_PARAMETERS: &[&str] = &["per_page", "perPage"];

/// Reads every operation, in document order.
pub fn collect(spec: &OpenAPI) -> Vec<OperationInfo> {
    let mut out = Vec::new();
    for (path, item) in &spec.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (method, op) in item.iter() {
            let params: Vec<&Parameter> = op
                .parameters
                .iter()
                .chain(&item.parameters)
                .filter_map(|p| resolve_parameter(spec, p))
                .collect();
            let keep_slashes = params
                .iter()
                .filter(|p| matches!(p, Parameter::Path { .. }))
                .filter(|p| flag(&p.parameter_data_ref().extensions, KEEP_SLASHES))
                .map(|p| p.parameter_data_ref().name.clone())
                .collect();
            let query_names: Vec<&str> = params
                .iter()
                .filter(|p| matches!(p, Parameter::Query { .. }))
                .map(|p| p.parameter_data_ref().name.as_str())
                .collect();
            let body_content_types: Vec<String> = resolve_request_body(spec, op)
                .map(|body| body.content.keys().cloned().collect())
                .unwrap_or_default();
            let body_content_type = op
                .extensions
                .get(SEND_AS)
                .and_then(|v| v.as_str())
                .map(String::from)
                .or_else(|| body_content_types.first().cloned());
            out.push(OperationInfo {
                operation_id: op.operation_id.clone().unwrap_or_default(),
                method: method.to_string(),
                path: path.clone(),
                tag: op.tags.first().cloned().unwrap_or_default(),
                summary: op.summary.clone().unwrap_or_default(),
                docs_url: op.external_docs.as_ref().map(|d| d.url.clone()),
                keep_slashes,
                known_issue: op
                    .extensions
                    .get(KNOWN_ISSUE)
                    .and_then(|v| v.as_str())
                    .map(String::from),
                destructive: op
                    .extensions
                    .get(DESTRUCTIVE)
                    .and_then(|v| v.as_str())
                    .map(String::from),
                unverified: flag(&op.extensions, UNVERIFIED),
                undocumented: op.extensions.get(UNDOCUMENTED).and_then(Undocumented::read),
                evidence: Evidence::read_all(spec, op.extensions.get(EVIDENCE)),
                body_content_type,
                body_content_types,
                paginated: query_names.contains(&"page")
                    && PAGE_SIZE_PARAMETERS.iter().any(|p| query_names.contains(p)),
                page_limits: PageLimits::read(&params),
                cursor: op
                    .extensions
                    .get(CURSOR)
                    .and_then(|v| v.as_str())
                    .map(String::from),
                body_in_query: op
                    .extensions
                    .get(BODY_IN_QUERY)
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
                page_items: op.extensions.get(PAGE_ITEMS).and_then(|v| {
                    Some(PageItems {
                        items: v.get("items")?.as_str()?.to_string(),
                        has_next: v.get("has_next").and_then(|h| h.as_str()).map(String::from),
                    })
                }),
                servers: op
                    .servers
                    .iter()
                    .chain(&item.servers)
                    .map(|s| s.url.clone())
                    .collect(),
                anonymous: op.security.as_ref().is_some_and(|s| s.is_empty()),
            });
        }
    }
    out
}

fn flag(extensions: &indexmap::IndexMap<String, serde_json::Value>, name: &str) -> bool {
    extensions
        .get(name)
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// The path item and the operation of `spec` that `op` was collected from.
pub fn operation_of<'s>(
    spec: &'s OpenAPI,
    op: &OperationInfo,
) -> Option<(&'s openapiv3::PathItem, &'s openapiv3::Operation)> {
    let item = spec.paths.paths.get(&op.path)?.as_item()?;
    item.iter()
        .find(|(method, _)| method.eq_ignore_ascii_case(&op.method))
        .map(|(_, operation)| (item, operation))
}

/// A parameter, following a `#/components/parameters/...` reference.
pub fn resolve_parameter<'a>(
    spec: &'a OpenAPI,
    p: &'a ReferenceOr<Parameter>,
) -> Option<&'a Parameter> {
    match p {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            spec.components.as_ref()?.parameters.get(name)?.as_item()
        }
    }
}

/// An operation's request body, following a
/// `#/components/requestBodies/...` reference.
pub fn resolve_request_body<'a>(
    spec: &'a OpenAPI,
    op: &'a openapiv3::Operation,
) -> Option<&'a openapiv3::RequestBody> {
    match op.request_body.as_ref()? {
        ReferenceOr::Item(body) => Some(body),
        ReferenceOr::Reference { reference } => spec
            .components
            .as_ref()?
            .request_bodies
            .get(reference.rsplit('/').next()?)?
            .as_item(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operations(yaml: &str) -> Vec<OperationInfo> {
        let spec: OpenAPI = serde_yaml::from_str(&format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{yaml}"
        ))
        .expect("a spec");
        collect(&spec)
    }

    #[test]
    fn per_page_in_camel_case_pages_too() {
        let ops = operations(
            "  /a:\n    get:\n      operationId: camel\n      parameters:\n        - {name: page, in: query, schema: {type: integer}}\n        - {name: perPage, in: query, schema: {type: integer}}\n      responses: {'200': {description: ok}}\n  /b:\n    get:\n      operationId: no_size\n      parameters:\n        - {name: page, in: query, schema: {type: integer}}\n      responses: {'200': {description: ok}}\n",
        );
        assert!(ops[0].paginated, "{:?}", ops[0]);
        assert!(!ops[1].paginated, "{:?}", ops[1]);
        assert_eq!(
            ops[0].page_limits,
            PageLimits::default(),
            "no maximum given"
        );
    }

    #[test]
    fn page_limits_are_the_schemas_maxima() {
        let ops = operations(
            "  /search:\n    get:\n      operationId: search\n      parameters:\n        - {name: page, in: query, schema: {type: integer, minimum: 1, maximum: 100}}\n        - {name: per_page, in: query, schema: {type: integer, maximum: 20}}\n        - {name: other, in: query, schema: {type: integer, maximum: 7}}\n      responses: {'200': {description: ok}}\n",
        );
        assert_eq!(
            ops[0].page_limits,
            PageLimits {
                max_per_page: Some(20),
                max_page: Some(100),
            }
        );
    }

    #[test]
    fn page_items_may_have_no_flag() {
        let ops = operations(
            "  /a:\n    get:\n      operationId: flagged\n      x-gitcode-page-items: {items: events, has_next: more}\n      responses: {'200': {description: ok}}\n  /b:\n    get:\n      operationId: flagless\n      x-gitcode-page-items: {items: runs}\n      responses: {'200': {description: ok}}\n",
        );
        let page = |i: usize| ops[i].page_items.clone().expect("page items");
        assert_eq!(page(0).has_next.as_deref(), Some("more"));
        assert_eq!(page(1).items, "runs");
        assert_eq!(page(1).has_next, None);
    }
}
