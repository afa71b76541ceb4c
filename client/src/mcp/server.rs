//! The MCP server: tools/list from the [`Selection`], tools/call through
//! the argument check, the generated `execute` and [`super::answer`].

use std::borrow::Cow;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::FutureExt;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListResourceTemplatesResult, ListToolsResult, PaginatedRequestParams,
    ProtocolVersion, ReadResourceRequestParams, ReadResourceResponse, ServerCapabilities,
    ServerConfig, ToolAnnotations, ToolsCapability,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Value, json};

use super::answer::{self, Paging};
use super::selection::{Refusal, Selection, toolset_names};
use super::{Tool, arguments, tools};
use crate::Client;
use crate::invoke::{Args, CliError, execute};
use crate::redact::Redactor;

/// The newest protocol version served. Versions from 2024-11-05 up to it
/// are served; 2026-07-28, which drops the initialize handshake and
/// sessions (and with them `notifications/tools/list_changed` as
/// `--dynamic` uses it), is not yet.
pub const NEWEST_PROTOCOL_VERSION: ProtocolVersion = ProtocolVersion::V_2025_11_25;

/// The discovery tools of a dynamic server (as github-mcp-server names them).
const LIST_TOOLSETS: &str = "list_available_toolsets";
const TOOLSET_TOOLS: &str = "get_toolset_tools";
const ENABLE_TOOLSET: &str = "enable_toolset";

/// The GitCode MCP server: one client, one selection of tools.
#[derive(Clone)]
pub struct Server {
    client: Arc<Client>,
    selection: Selection,
    redactor: Redactor,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("selection", &self.selection)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// A server sending every call with `client` (its token, base URL,
    /// rate limits and retries), listing the tools `selection` names.
    pub fn new(client: Client, selection: Selection) -> Server {
        let redactor = Redactor::new(client.inner.token_text());
        Server {
            client: Arc::new(client),
            selection,
            redactor,
        }
    }

    /// A server for a new HTTP session: the same client, and a selection of
    /// its own (a dynamic session enables toolsets for itself alone).
    pub(crate) fn for_session(&self) -> Server {
        Server {
            client: self.client.clone(),
            selection: self.selection.fresh_copy(),
            redactor: self.redactor.clone(),
        }
    }

    /// The tools listed now, as MCP tools.
    pub fn list(&self) -> Vec<rmcp::model::Tool> {
        let mut listed: Vec<rmcp::model::Tool> =
            self.selection.listed().into_iter().map(mcp_tool).collect();
        if self.selection.dynamic() {
            listed.splice(0..0, discovery_tools());
        }
        listed
    }

    /// Serves on standard input and output until the client closes them.
    pub async fn serve_stdio(self) -> Result<(), CliError> {
        let running = self
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| CliError::Io(std::io::Error::other(e.to_string())))?;
        running
            .waiting()
            .await
            .map_err(|e| CliError::Io(std::io::Error::other(e.to_string())))?;
        Ok(())
    }

    /// Runs one call (`enable_toolset`, which notifies the client, is
    /// `call_tool`'s); every failure is a tool error, never a panic.
    async fn call(&self, name: &str, arguments: JsonObject) -> Result<CallToolResult, ErrorData> {
        if self.selection.dynamic() {
            match name {
                LIST_TOOLSETS => return Ok(self.list_toolsets()),
                TOOLSET_TOOLS => return Ok(self.toolset_tools(&arguments)),
                _ => {}
            }
        }
        let tool = match self.selection.callable(name) {
            Ok(tool) => tool,
            Err(Refusal::Unknown) => {
                return Err(ErrorData::invalid_params(format!("no tool `{name}`"), None));
            }
            Err(Refusal::ReadOnly(tool)) => {
                return Ok(answer::tool_error(format!(
                    "`{}` is refused: the server is read-only and this tool {} ({}); nothing was sent",
                    tool.name,
                    if tool.method == "DELETE" {
                        "deletes"
                    } else {
                        "writes"
                    },
                    tool.method
                )));
            }
            Err(Refusal::Destructive(tool)) => {
                return Ok(answer::tool_error(format!(
                    "`{}` is refused: the server serves no destructive tool (--no-destructive) and \
                     this tool {} ({}); nothing was sent",
                    tool.name,
                    if tool.method == "DELETE" {
                        "deletes"
                    } else {
                        "does what cannot be undone (its description says what)"
                    },
                    tool.method
                )));
            }
            Err(Refusal::NotEnabled(tool)) => {
                return Ok(answer::tool_error(format!(
                    "`{}` is not enabled: its toolset is `{}`{}; nothing was sent",
                    tool.name,
                    tool.toolset,
                    if self.selection.dynamic() {
                        format!(" (enable it with `{ENABLE_TOOLSET}`)")
                    } else {
                        " (start the server with `--toolsets` naming it, or `--tools` naming the tool)".into()
                    }
                )));
            }
        };
        let schema: Value = match serde_json::from_str(tool.input_schema) {
            Ok(schema) => schema,
            Err(e) => {
                return Err(ErrorData::internal_error(
                    format!("the schema of `{name}` is not JSON: {e}"),
                    None,
                ));
            }
        };
        if let Err(message) = arguments::check(&schema, &arguments) {
            return Ok(answer::tool_error(format!("{message}; nothing was sent")));
        }
        let args = Args::json(&arguments);
        let page = arguments.get("page").and_then(Value::as_u64).unwrap_or(1);
        if args.all() && page != 1 {
            return Ok(answer::tool_error(
                "argument `page`: `all_pages` reads every page from the first; leave `page` out \
                 (or send `page` without `all_pages`); nothing was sent"
                    .into(),
            ));
        }
        let paging = tool.pages.then(|| Paging {
            page,
            max_items: arguments
                .get(arguments::MAX_ITEMS)
                .and_then(Value::as_u64)
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
            max_per_page: schema
                .pointer("/properties/per_page/maximum")
                .and_then(Value::as_u64)
                .unwrap_or(crate::pagination::MAX_PER_PAGE),
        });
        match execute(&self.client, tool.command, &args).await {
            Ok(answer) => Ok(answer::result(answer, paging, &self.redactor).await),
            // Arguments the typed request refused: nothing left the client.
            Err(e) if refused_before_sending(&e) => Ok(answer::tool_error(format!(
                "{}; nothing was sent",
                self.redactor.text(&e.to_string())
            ))),
            Err(e) => Ok(answer::failure(&e, &self.redactor)),
        }
    }

    fn list_toolsets(&self) -> CallToolResult {
        let enabled = self.selection.enabled();
        let toolsets: Vec<Value> = toolset_names()
            .into_iter()
            .map(|name| {
                let count = tools().iter().filter(|t| t.toolset == name).count();
                json!({
                    "name": name,
                    "tools": count,
                    "enabled": enabled.contains(&name),
                })
            })
            .collect();
        json_result(json!({ "toolsets": toolsets }))
    }

    fn toolset_tools(&self, arguments: &JsonObject) -> CallToolResult {
        let Some(toolset) = arguments.get("toolset").and_then(Value::as_str) else {
            return answer::tool_error("argument `toolset` is required".into());
        };
        if !toolset_names().contains(&toolset) {
            return answer::tool_error(format!(
                "no toolset `{toolset}`; call `{LIST_TOOLSETS}` for the toolsets"
            ));
        }
        let listed: Vec<Value> = tools()
            .iter()
            .filter(|t| t.toolset == toolset)
            .filter(|t| self.selection.allows(t))
            .map(|t| json!({"name": t.name, "method": t.method, "description": t.description}))
            .collect();
        json_result(json!({ "toolset": toolset, "tools": listed }))
    }

    /// Enables a toolset; `true` when the list of tools changed.
    fn enable_toolset(&self, arguments: &JsonObject) -> (CallToolResult, bool) {
        let Some(toolset) = arguments.get("toolset").and_then(Value::as_str) else {
            return (
                answer::tool_error("argument `toolset` is required".into()),
                false,
            );
        };
        match self.selection.enable(toolset) {
            Ok(changed) => {
                let count = self
                    .selection
                    .listed()
                    .iter()
                    .filter(|t| t.toolset == toolset)
                    .count();
                let text = if changed {
                    format!("Enabled `{toolset}`: {count} tools added to the list.")
                } else {
                    format!("`{toolset}` was enabled already ({count} tools).")
                };
                (
                    CallToolResult::success(vec![ContentBlock::text(text)]),
                    changed,
                )
            }
            Err(e) => (answer::tool_error(e.to_string()), false),
        }
    }
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        let mut tools = ToolsCapability::default();
        tools.list_changed = Some(self.selection.dynamic());
        // Resources (`super::resources`): templates only, served also
        // under --read-only, since they only read.
        let capabilities = ServerCapabilities::builder()
            .enable_resources()
            .enable_tools_with(tools)
            .build();
        ServerConfig::new(capabilities)
            .with_protocol_version(NEWEST_PROTOCOL_VERSION)
            .with_server_info(Implementation::new("gitcode", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Tools for the GitCode REST API (api.gitcode.com), one per operation, named by \
                 operationId. Results are the JSON the server sent. List tools return one page \
                 per call: pass `page` (from 1) and `per_page` (at most 100, less where the tool's \
                 schema says), or `all_pages` \
                 for one array of every page's items (up to `max_items`). Resource templates \
                 (resources/templates/list) read a file at a ref, a README, an issue with its \
                 comments and a pull request with its files.",
            )
    }

    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        Cow::Borrowed(ProtocolVersion::known_up_to(&NEWEST_PROTOCOL_VERSION))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.list()))
    }

    fn get_tool(&self, name: &str) -> Option<rmcp::model::Tool> {
        let discovery = self.selection.dynamic().then(discovery_tools);
        discovery
            .into_iter()
            .flatten()
            .find(|t| t.name == name)
            .or_else(|| {
                let listed = self.selection.listed();
                listed.into_iter().find(|t| t.name == name).map(mcp_tool)
            })
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        Ok(ListResourceTemplatesResult::with_all_items(
            super::resources::resource_templates(),
        ))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let uri = request.uri;
        let read = super::resources::read(&self.client, &self.redactor, &uri);
        guarded(read, || Err(read_failed(&uri)))
            .await
            .map(Into::into)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let arguments = request.arguments.unwrap_or_default();
        if self.selection.dynamic() && request.name == ENABLE_TOOLSET {
            let (result, changed) = self.enable_toolset(&arguments);
            if changed {
                // The client re-reads tools/list; a client that has gone
                // away needs no notice.
                let _ = context.peer.notify_tool_list_changed().await;
            }
            return Ok(result.into());
        }
        let name = &request.name;
        guarded(self.call(name, arguments), || Ok(call_failed(name)))
            .await
            .map(Into::into)
    }
}

/// An argument that did not convert, or a request the builder refused.
fn refused_before_sending(error: &CliError) -> bool {
    match error {
        CliError::Usage(_) => true,
        CliError::Api(e) => e.kind() == crate::ErrorKind::InvalidRequest,
        _ => false,
    }
}

/// Runs a call or a read. A bug of ours must not leave the agent waiting
/// for an answer that never comes: a panic becomes `on_panic()` (a tool
/// error, a resource error), and the server goes on serving.
async fn guarded<T>(work: impl Future<Output = T>, on_panic: impl FnOnce() -> T) -> T {
    AssertUnwindSafe(work)
        .catch_unwind()
        .await
        .unwrap_or_else(|_| on_panic())
}

/// What an agent gets when the call of tool `name` panicked.
fn call_failed(name: &str) -> CallToolResult {
    answer::tool_error(format!(
        "`{name}` failed inside the server (a bug in gitcode: please report it); \
         the request may or may not have been sent"
    ))
}

/// What a client gets when reading the resource `uri` panicked.
fn read_failed(uri: &str) -> ErrorData {
    ErrorData::internal_error(
        format!("reading `{uri}` failed inside the server (a bug in gitcode: please report it)"),
        None,
    )
}

/// A generated tool as an MCP tool: its schema and annotations.
fn mcp_tool(tool: &'static Tool) -> rmcp::model::Tool {
    let schema: JsonObject = serde_json::from_str(tool.input_schema).unwrap_or_default();
    let method = tool.method;
    let annotations = ToolAnnotations::new()
        .read_only(tool.read_only())
        .destructive(tool.destructive())
        .idempotent(matches!(method, "GET" | "PUT" | "DELETE"))
        .open_world(true);
    rmcp::model::Tool::new(tool.name, tool.description, Arc::new(schema))
        .with_annotations(annotations)
}

/// The three tools of a dynamic server.
fn discovery_tools() -> Vec<rmcp::model::Tool> {
    let no_arguments = json!({"type": "object", "properties": {}, "additionalProperties": false});
    let toolset_argument = json!({
        "type": "object",
        "properties": {
            "toolset": {
                "type": "string",
                "enum": toolset_names(),
                "description": "The toolset's name.",
            }
        },
        "required": ["toolset"],
        "additionalProperties": false,
    });
    let tool = |name: &'static str, description: &'static str, schema: &Value, read_only: bool| {
        let schema = schema.as_object().cloned().unwrap_or_default();
        rmcp::model::Tool::new(name, description, Arc::new(schema)).with_annotations(
            ToolAnnotations::new()
                .read_only(read_only)
                .destructive(false)
                .idempotent(true)
                .open_world(false),
        )
    };
    vec![
        tool(
            LIST_TOOLSETS,
            "List the toolsets of the GitCode API (one per area of the docs), how many tools each has and whether it is enabled.",
            &no_arguments,
            true,
        ),
        tool(
            TOOLSET_TOOLS,
            "Show the tools of one toolset (name, HTTP method, description) without enabling it.",
            &toolset_argument,
            true,
        ),
        tool(
            ENABLE_TOOLSET,
            "Enable a toolset: its tools join the list (the server sends notifications/tools/list_changed).",
            &toolset_argument,
            false,
        ),
    ]
}

fn json_result(value: Value) -> CallToolResult {
    let mut result = CallToolResult::success(vec![ContentBlock::text(value.to_string())]);
    result.structured_content = Some(value);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_in_a_call_is_a_tool_error() {
        let result: Result<CallToolResult, ErrorData> =
            guarded(async { panic!("a bug") }, || Ok(call_failed("get_issue"))).await;
        let result = result.unwrap();
        assert_eq!(result.is_error, Some(true));
        let text = &result.content[0].as_text().unwrap().text;
        assert!(
            text.contains("`get_issue` failed inside the server"),
            "{text}"
        );
        let fine: Result<CallToolResult, ErrorData> = guarded(
            async { Ok(CallToolResult::success(vec![ContentBlock::text("ok")])) },
            || Ok(call_failed("get_issue")),
        )
        .await;
        let fine = fine.unwrap();
        assert_eq!(fine.is_error, Some(false));
    }

    #[tokio::test]
    async fn a_panic_in_a_read_is_a_resource_error_naming_the_uri() {
        let uri = "gitcode://o/r/readme?ref=main";
        let error: Result<(), ErrorData> =
            guarded(async { panic!("a bug") }, || Err(read_failed(uri))).await;
        let error = error.unwrap_err();
        assert_eq!(error.code, rmcp::model::ErrorCode::INTERNAL_ERROR);
        assert!(
            error
                .message
                .contains(&format!("reading `{uri}` failed inside the server")),
            "{}",
            error.message
        );
    }
}
